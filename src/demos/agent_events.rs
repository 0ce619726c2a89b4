//! agent-events: an agent as a stream of timestamped events.
//!
//! `thinking`, `tool_call`, `tool_result`, `response`: each event is yielded when it happens,
//! between an LLM call and a tool call, so a client can show progress as it goes.

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::py_repr_str;

parameters! {
    /// How long the LLM and the tool take.
    pub struct Params {
        llm: seconds[0.0..=30.0] = 1, "one LLM call";
        tool: seconds[0.0..=30.0] = 0.5, "the tool call";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "agent-events",
    title: "Agent events",
    concept: "An agent can stream timestamped events (thinking, tool call, tool result, response) as they happen.",
    section: Core,
    alternate: Params { llm: 2.0, tool: 0.1 },
};

type AgentEvent = (&'static str, String, f64);

fn agent(question: &'static str, llm: f64, tool: f64) -> Stream<AgentEvent> {
    stream(move |y| async move {
        y.yield_(("thinking", format!("about {}", py_repr_str(question)), now()))
            .await?;
        sleep(llm).await?;
        y.yield_(("tool_call", "search('weather Paris')".into(), now())).await?;
        sleep(tool).await?;
        y.yield_(("tool_result", "18 C, light rain".into(), now())).await?;
        sleep(llm).await?;
        y.yield_(("response", "Take an umbrella.".into(), now())).await?;
        Ok(())
    })
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let mut events = agent("weather in Paris", p.llm, p.tool);
    while let Some(event) = events.next().await {
        let (kind, detail, at) = event?;
        log(format!("event {kind:<11} at {at:.3}: {detail}"));
    }
    Ok(())
}

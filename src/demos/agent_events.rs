//! agent-events: an agent as a stream of timestamped events.
//!
//! `thinking`, `tool_call`, `tool_result`, `response`: each event is yielded when it happens,
//! between an LLM call and a tool call, so a client can show progress as it goes.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;
use crate::pyfmt::py_repr_str;

/// How long the LLM and the tool take.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "llm",
        help: "one LLM call",
        kind: Kind::Seconds { min: 0.0, max: 30.0 },
        default: "1",
    },
    ParamSpec {
        name: "tool",
        help: "the tool call",
        kind: Kind::Seconds { min: 0.0, max: 30.0 },
        default: "0.5",
    },
];

type AgentEvent = (&'static str, String, f64);

fn agent(question: &'static str, llm: f64, tool: f64) -> Stream<AgentEvent> {
    stream(move |y| async move {
        y.send(("thinking", format!("about {}", py_repr_str(question)), now()))
            .await?;
        sleep(llm).await?;
        y.send(("tool_call", "search('weather Paris')".into(), now())).await?;
        sleep(tool).await?;
        y.send(("tool_result", "18 C, light rain".into(), now())).await?;
        sleep(llm).await?;
        y.send(("response", "Take an umbrella.".into(), now())).await?;
        Ok(())
    })
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let mut events = agent("weather in Paris", p.seconds("llm"), p.seconds("tool"));
    while let Some(event) = events.next().await {
        let (kind, detail, at) = event?;
        log(format!("event {kind:<11} at {at:.3}: {detail}"));
    }
    Ok(())
}

//! sequential-agents: two agents' streams, one after the other, through an explicit loop.
//!
//! There is no `yield from` for async generators, so the pipeline re-yields each event of the
//! first agent, then each of the second.

use super::Demo;
use crate::prelude::*;

parameters! {
    /// How long each agent step takes.
    pub struct Params {
        step: seconds[0.0..=10.0] = 0.5, "one agent step";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "sequential-agents",
    title: "Sequential agents",
    concept: "Two agents' streams compose one after the other through an explicit loop; there is no yield from.",
    section: Core,
    alternate: Params { step: 0.2 },
};

fn agent(name: &'static str, steps: u32, step: f64) -> Stream<String> {
    stream(move |y| async move {
        for i in 0..steps {
            sleep(step).await?;
            y.yield_(format!("{name}: step {i}")).await?;
        }
        Ok(())
    })
}

fn pipeline(step: f64) -> Stream<String> {
    stream(move |y| async move {
        for (name, steps) in [("researcher", 3), ("writer", 2)] {
            let mut events = agent(name, steps, step);
            while let Some(event) = events.next().await {
                y.yield_(event?).await?;
            }
            log(format!("{name} finished"));
        }
        Ok(())
    })
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let mut events = pipeline(p.step);
    while let Some(event) = events.next().await {
        log(format!("consumer: {}", event?));
    }
    Ok(())
}

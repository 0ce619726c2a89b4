//! sequential-agents: two agents' streams, one after the other, through an explicit loop.
//!
//! There is no `yield from` for async generators, so the pipeline re-yields each event of the
//! first agent, then each of the second.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;

/// How long each agent step takes.
pub static PARAMS: &[ParamSpec] = &[ParamSpec {
    name: "step",
    help: "one agent step",
    kind: Kind::Seconds { min: 0.0, max: 10.0 },
    default: "0.5",
}];

fn agent(name: &'static str, steps: u32, step: f64) -> Stream<String> {
    stream(move |y| async move {
        for i in 0..steps {
            sleep(step).await?;
            y.send(format!("{name}: step {i}")).await?;
        }
        Ok(())
    })
}

fn pipeline(step: f64) -> Stream<String> {
    stream(move |y| async move {
        for (name, steps) in [("researcher", 3), ("writer", 2)] {
            let mut events = agent(name, steps, step);
            while let Some(event) = events.next().await {
                y.send(event?).await?;
            }
            log(format!("{name} finished"));
        }
        Ok(())
    })
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let mut events = pipeline(p.seconds("step"));
    while let Some(event) = events.next().await {
        log(format!("consumer: {}", event?));
    }
    Ok(())
}

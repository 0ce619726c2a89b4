//! parallel-agents-buffered: agents run in parallel, but their events wait in a queue.
//!
//! The agents put their events into a queue inside a task group, and the consumer reads the
//! queue after the group's block: it receives its first event only when the slowest agent ends.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;

/// The agents' step times and how many events each makes.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "fast",
        help: "the fast agent's step",
        kind: Kind::Seconds { min: 0.0, max: 10.0 },
        default: "0.5",
    },
    ParamSpec {
        name: "slow",
        help: "the slow agent's step",
        kind: Kind::Seconds { min: 0.0, max: 10.0 },
        default: "1.5",
    },
    ParamSpec {
        name: "events",
        help: "events per agent",
        kind: Kind::Count { min: 1, max: 50 },
        default: "3",
    },
];

async fn agent(name: &'static str, step: f64, events: i64, queue: Queue<(&'static str, i64)>) -> Result<(), Error> {
    for i in 0..events {
        sleep(step).await?;
        log(format!("{name} produces event {i}"));
        queue.put((name, i)).await?;
    }
    Ok(())
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let queue = Queue::new(0);
    let (fast, slow, events) = (p.seconds("fast"), p.seconds("slow"), p.count("events"));
    let q = queue.clone();
    task_group(|tg| async move {
        tg.spawn(agent("fast", fast, events, q.clone()))?;
        tg.spawn(agent("slow", slow, events, q))?;
        Ok(())
    })
    .await?;
    log("the group is done only now; the consumer starts reading");
    let mut first = None;
    while !queue.empty() {
        let (name, i) = queue.get_nowait()?;
        first.get_or_insert(now());
        log(format!("consumer receives {name} event {i}"));
    }
    log(format!(
        "first event reached the consumer after {:.1} s",
        first.unwrap_or(0.0)
    ));
    Ok(())
}

//! parallel-agents-buffered: agents run in parallel, but their events wait in a queue.
//!
//! The agents put their events into a queue inside a task group, and the consumer reads the
//! queue after the group's block: it receives its first event only when the slowest agent ends.

use super::Demo;
use crate::prelude::*;

parameters! {
    /// The agents' step times and how many events each makes.
    pub struct Params {
        fast: seconds[0.0..=10.0] = 0.5, "the fast agent's step";
        slow: seconds[0.0..=10.0] = 1.5, "the slow agent's step";
        events: count[1..=50] = 3, "events per agent";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "parallel-agents-buffered",
    title: "Parallel agents, buffered",
    concept: "Agents run in parallel, but a consumer that reads after the task group sees nothing until the slowest ends.",
    section: Core,
    alternate: Params { slow: 3.0, events: 2, ..Params::DEFAULT },
};

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
    let (fast, slow, events) = (p.fast, p.slow, p.events);
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

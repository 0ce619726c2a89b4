//! parallel-agents-streaming: events reach the consumer as they happen.
//!
//! The same agents, but the consumer reads the queue while they run, counting the agents that
//! have finished (each puts a final marker): the first event arrives after one fast step.

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
    id: "parallel-agents-streaming",
    title: "Parallel agents, streaming",
    concept: "Reading the queue while the agents run hands each event on as it arrives.",
    section: Core,
    alternate: Params { fast: 1.0, slow: 0.25, events: 4 },
};

type Item = Option<(&'static str, i64)>;

async fn agent(name: &'static str, step: f64, events: i64, queue: Queue<Item>) -> Result<(), Error> {
    let produced = async {
        for i in 0..events {
            sleep(step).await?;
            log(format!("{name} produces event {i}"));
            queue.put(Some((name, i))).await?;
        }
        Ok(())
    }
    .await;
    // finally: the marker that this producer is done.
    queue.put(None).await?;
    produced
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let queue = Queue::new(0);
    let (fast, slow, events) = (p.fast, p.slow, p.events);
    let agents = [
        spawn(agent("fast", fast, events, queue.clone())),
        spawn(agent("slow", slow, events, queue.clone())),
    ];
    let mut finished = 0;
    let mut first = None;
    while finished < agents.len() {
        let Some((name, i)) = queue.get().await? else {
            finished += 1;
            continue;
        };
        first.get_or_insert(now());
        log(format!("consumer receives {name} event {i}"));
    }
    let buffered = events as f64 * fast.max(slow);
    log(format!(
        "first event after {:.1} s, against {buffered:.1} s when buffered",
        first.unwrap_or(0.0)
    ));
    Ok(())
}

//! sync-and-async: blocking work inline versus on a worker.
//!
//! Called inline, the blocking work holds the loop and every other task waits (the heartbeat
//! stalls). Handed to a worker (`asyncio.to_thread`, simulated: the worker takes the time without
//! holding the loop), the heartbeat goes on while it works.

use super::Demo;
use crate::prelude::*;

parameters! {
    /// How long the blocking work takes, and how many heartbeats there are.
    pub struct Params {
        work: seconds[0.0..=10.0] = 1, "the blocking work";
        ticks: count[1..=100] = 4, "heartbeats";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "sync-and-async",
    title: "Sync and async",
    concept: "Blocking work called inline stops every task; handed to a worker, the loop keeps going.",
    section: Advanced,
    alternate: Params { work: 0.5, ticks: 6 },
};

fn crunch() -> i32 {
    42
}

async fn heartbeat(label: &'static str, ticks: i64) -> Result<(), Error> {
    for i in 0..ticks {
        log(format!("{label} heartbeat {i}"));
        sleep(0.25).await?;
    }
    Ok(())
}

async fn inline(work: f64) -> Result<(), Error> {
    log("inline: crunching on the loop");
    block_for(work);
    log(format!("inline: got {}", crunch()));
    Ok(())
}

async fn offloaded(work: f64) -> Result<(), Error> {
    log("offloaded: handing the work to a worker");
    let result = run_in_worker(work, crunch).await?;
    log(format!("offloaded: got {result}"));
    Ok(())
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let (work, ticks) = (p.work, p.ticks);
    gather(vec![spawn(heartbeat("A", ticks)), spawn(inline(work))]).await?;
    log("inline work held every task up; now the same work on a worker");
    gather(vec![spawn(heartbeat("B", ticks)), spawn(offloaded(work))]).await?;
    Ok(())
}

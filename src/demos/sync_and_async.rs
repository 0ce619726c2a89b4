//! sync-and-async: blocking work inline versus on a worker.
//!
//! Called inline, the blocking work holds the loop and every other task waits (the heartbeat
//! stalls). Handed to a worker (`asyncio.to_thread`, simulated: the worker takes the time without
//! holding the loop), the heartbeat goes on while it works.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;

/// How long the blocking work takes, and how many heartbeats there are.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "work",
        help: "the blocking work",
        kind: Kind::Seconds { min: 0.0, max: 10.0 },
        default: "1",
    },
    ParamSpec {
        name: "ticks",
        help: "heartbeats",
        kind: Kind::Count { min: 1, max: 100 },
        default: "4",
    },
];

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
    let (work, ticks) = (p.seconds("work"), p.count("ticks"));
    gather(vec![spawn(heartbeat("A", ticks)), spawn(inline(work))]).await?;
    log("inline work held every task up; now the same work on a worker");
    gather(vec![spawn(heartbeat("B", ticks)), spawn(offloaded(work))]).await?;
    Ok(())
}

//! blocking-the-loop: a step that never awaits stalls every other task.
//!
//! The cruncher's CPU-bound step holds the loop for its whole duration (a declared cost on the
//! virtual clock; real work in real-time mode), so the heartbeat is late. Debug mode reports the
//! slow step, as asyncio does past 0.1 s.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;

/// How long the blocking step takes, and how many heartbeats there are.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "block",
        help: "the blocking step",
        kind: Kind::Seconds { min: 0.0, max: 10.0 },
        default: "0.5",
    },
    ParamSpec {
        name: "ticks",
        help: "heartbeats",
        kind: Kind::Count { min: 1, max: 100 },
        default: "5",
    },
];

async fn heartbeat(ticks: i64) -> Result<(), Error> {
    for i in 0..ticks {
        log(format!("heartbeat {i}"));
        sleep(0.1).await?;
    }
    Ok(())
}

async fn cruncher(block: f64) -> Result<(), Error> {
    sleep(0.15).await?;
    log("crunching numbers without awaiting");
    block_for(block);
    log("done crunching");
    Ok(())
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    gather(vec![
        spawn_named("heartbeat", heartbeat(p.count("ticks"))),
        spawn_named("cruncher", cruncher(p.seconds("block"))),
    ])
    .await?;
    Ok(())
}

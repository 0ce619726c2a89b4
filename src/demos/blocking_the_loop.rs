//! blocking-the-loop: a step that never awaits stalls every other task.
//!
//! The cruncher's CPU-bound step holds the loop for its whole duration (a declared cost on the
//! virtual clock; real work in real-time mode), so the heartbeat is late. Debug mode reports the
//! slow step, as asyncio does past 0.1 s.

use super::Demo;
use crate::prelude::*;

parameters! {
    /// How long the blocking step takes, and how many heartbeats there are.
    pub struct Params {
        block: seconds[0.0..=10.0] = 0.5, "the blocking step";
        ticks: count[1..=100] = 5, "heartbeats";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "blocking-the-loop",
    title: "Blocking the loop",
    concept: "A step that never awaits stalls every other task; debug mode reports it.",
    section: Core,
    alternate: Params { block: 0.05, ticks: 3 },
    debug: true,
};

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
        spawn_named("heartbeat", heartbeat(p.ticks)),
        spawn_named("cruncher", cruncher(p.block)),
    ])
    .await?;
    Ok(())
}

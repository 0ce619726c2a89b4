//! event-loop: what one loop iteration does.
//!
//! `call_soon` callbacks run in the next iteration, in order; `call_later` and `call_at` put
//! timers on the heap, which run in the iteration where their deadline has passed; a task woken
//! by a timer runs one iteration after it. Starting a loop inside the running one fails with
//! asyncio's `RuntimeError` (and the coroutine given to it was never awaited).

use super::Demo;
use crate::prelude::*;
use crate::runtime::{coroutine, iteration};

parameters! {
    /// The timers' delay.
    pub struct Params {
        later: seconds[0.0..=60.0] = 0.5, "the timers' delay";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "event-loop",
    title: "The event loop",
    concept: "One iteration runs what was ready when it began; callbacks and timers run in asyncio's order.",
    section: Core,
    alternate: Params { later: 2.0 },
};

fn callback(what: String) {
    log(format!("iteration {}: {what}", iteration()));
}

async fn inner() -> Result<(), Error> {
    log("never runs");
    Ok(())
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let later = p.later;
    log(format!(
        "iteration {}: main starts and schedules callbacks",
        iteration()
    ));
    call_later(later, move || callback(format!("call_later({later:.1})")));
    call_at(now() + later, || callback("call_at(now + later), same deadline".into()));
    call_soon(|| callback("call_soon, first".into()));
    call_soon(|| callback("call_soon, second".into()));
    sleep(0.0).await?;
    log(format!(
        "iteration {}: main resumes after the call_soon callbacks ran",
        iteration()
    ));
    sleep(later).await?;
    log(format!(
        "iteration {}: main wakes, after the timers' callbacks",
        iteration()
    ));
    let message = match run(coroutine("inner", inner())) {
        Err(e) => e.message().to_string(),
        Ok(()) => "no error".to_string(),
    };
    log(format!("a loop inside the running loop: RuntimeError: {message}"));
    Ok(())
}

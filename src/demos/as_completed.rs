//! as-completed: results in the order they finish.
//!
//! Inputs of 2, 1 and 0.5 s arrive at 0.5, 1.0 and 2.0 s: whichever is done first comes first.

use super::Demo;
use crate::prelude::*;

parameters! {
    /// The three calls' durations.
    pub struct Params {
        first: seconds[0.0..=60.0] = 2, "the first call";
        second: seconds[0.0..=60.0] = 1, "the second call";
        third: seconds[0.0..=60.0] = 0.5, "the third call";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "as-completed",
    title: "as_completed",
    concept: "as_completed hands you results in the order they finish.",
    section: Core,
    alternate: Params { first: 0.1, second: 0.3, ..Params::DEFAULT },
};

async fn call(name: &'static str, seconds: f64) -> Result<&'static str, Error> {
    sleep(seconds).await?;
    Ok(name)
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let tasks = vec![
        spawn(call("first", p.first)),
        spawn(call("second", p.second)),
        spawn(call("third", p.third)),
    ];
    let mut arrivals = as_completed(tasks, None);
    while let Some(outcome) = arrivals.next().await {
        log(format!("arrived: {}", outcome?));
    }
    Ok(())
}

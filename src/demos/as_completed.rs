//! as-completed: results in the order they finish.
//!
//! Inputs of 2, 1 and 0.5 s arrive at 0.5, 1.0 and 2.0 s: whichever is done first comes first.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;

/// The three calls' durations.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "first",
        help: "the first call",
        kind: Kind::Seconds { min: 0.0, max: 60.0 },
        default: "2",
    },
    ParamSpec {
        name: "second",
        help: "the second call",
        kind: Kind::Seconds { min: 0.0, max: 60.0 },
        default: "1",
    },
    ParamSpec {
        name: "third",
        help: "the third call",
        kind: Kind::Seconds { min: 0.0, max: 60.0 },
        default: "0.5",
    },
];

async fn call(name: &'static str, seconds: f64) -> Result<&'static str, Error> {
    sleep(seconds).await?;
    Ok(name)
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let tasks = vec![
        spawn(call("first", p.seconds("first"))),
        spawn(call("second", p.seconds("second"))),
        spawn(call("third", p.seconds("third"))),
    ];
    let mut arrivals = as_completed(tasks, None);
    while let Some(outcome) = arrivals.next().await {
        log(format!("arrived: {}", outcome?));
    }
    Ok(())
}

//! gather: results come back in argument order, whatever order the work finishes in.
//!
//! Three calls of 2, 1 and 0.5 s finish at 0.5, 1 and 2 s, yet `gather` returns their results in
//! the order they were passed; it takes as long as the longest, 2.0 s.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;
use crate::pyfmt::py_str_list;

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
    log(format!("{name} starts ({seconds:.1} s)"));
    sleep(seconds).await?;
    log(format!("{name} finishes"));
    Ok(name)
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let results = gather(vec![
        spawn(call("first", p.seconds("first"))),
        spawn(call("second", p.seconds("second"))),
        spawn(call("third", p.seconds("third"))),
    ])
    .await?;
    log(format!("gather returns {} after {:.1} s", py_str_list(results), now()));
    Ok(())
}

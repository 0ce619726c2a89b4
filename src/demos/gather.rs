//! gather: results come back in argument order, whatever order the work finishes in.
//!
//! Three calls of 2, 1 and 0.5 s finish at 0.5, 1 and 2 s, yet `gather` returns their results in
//! the order they were passed; it takes as long as the longest, 2.0 s.

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::py_str_list;

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
    id: "gather",
    title: "gather",
    concept: "gather waits for all and returns the results in argument order, not completion order.",
    section: Core,
    alternate: Params { first: 0.25, third: 3.0, ..Params::DEFAULT },
};

async fn call(name: &'static str, seconds: f64) -> Result<&'static str, Error> {
    log(format!("{name} starts ({seconds:.1} s)"));
    sleep(seconds).await?;
    log(format!("{name} finishes"));
    Ok(name)
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let results = gather(vec![
        spawn(call("first", p.first)),
        spawn(call("second", p.second)),
        spawn(call("third", p.third)),
    ])
    .await?;
    log(format!("gather returns {} after {:.1} s", py_str_list(results), now()));
    Ok(())
}

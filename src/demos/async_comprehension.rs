//! async-comprehension: collecting and filtering streams, and a lazy one.
//!
//! `[e async for e in s]` collects a whole stream, `[... if ...]` keeps only some items, and an
//! async generator expression is lazy: nothing runs until a value is asked for.

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::py_list;

parameters! {
    /// How many events the stream has.
    pub struct Params {
        count: count[0..=200] = 7, "events in the stream";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "async-comprehension",
    title: "Async comprehensions",
    concept: "Async comprehensions collect and filter streams; an async generator expression is lazy.",
    section: Core,
    alternate: Params { count: 10 },
};

fn events(n: i64) -> Stream<(&'static str, i64)> {
    stream(move |y| async move {
        for i in 0..n {
            sleep(0.25).await?;
            y.yield_((if i % 3 == 2 { "error" } else { "info" }, i)).await?;
        }
        Ok(())
    })
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let count = p.count;
    let mut everything = Vec::new();
    let mut all = events(count);
    while let Some(event) = all.next().await {
        everything.push(event?);
    }
    log(format!("collected {} events", everything.len()));
    let mut errors = Vec::new();
    let mut filtered = events(count);
    while let Some(event) = filtered.next().await {
        let (kind, i) = event?;
        if kind == "error" {
            errors.push(i.to_string());
        }
    }
    log(format!("errors at {}", py_list(errors)));
    let mut lazy = stream(|y| async move {
        let mut inner = events(3);
        while let Some(event) = inner.next().await {
            let (_, i) = event?;
            y.yield_(i * 10).await?;
        }
        Ok(())
    });
    log("a lazy stream is made: nothing has run yet");
    sleep(1.0).await?;
    let first = lazy.next().await.transpose()?.unwrap_or_default();
    log(format!("asked for a first value: {first}"));
    lazy.aclose().await?;
    log("closed after one value");
    Ok(())
}

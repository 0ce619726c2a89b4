//! coroutine-objects: calling an async function only builds a coroutine object.
//!
//! Nothing runs until it is awaited or spawned. A coroutine that is made and dropped never runs,
//! and the run reports it as CPython does: `RuntimeWarning: coroutine 'fetch' was never awaited`.

use super::Demo;
use crate::prelude::*;
use crate::runtime::coroutine;

parameters! {
    /// How long a fetch takes.
    pub struct Params {
        delay: seconds[0.0..=60.0] = 0.5, "one fetch";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "coroutine-objects",
    title: "Coroutine objects",
    concept: "Calling an async function only builds a coroutine; nothing runs until it is awaited or spawned.",
    section: Core,
    alternate: Params { delay: 2.0 },
};

async fn fetch(url: &'static str, delay: f64) -> Result<String, Error> {
    log(format!("fetching {url}"));
    sleep(delay).await?;
    log(format!("fetched {url}"));
    Ok(format!("<page {url}>"))
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let delay = p.delay;
    let coro = coroutine("fetch", fetch("a", delay));
    log("fetch('a') returned a coroutine object; nothing ran yet");
    log(format!("awaiting it runs it: {}", coro.await?));
    let forgotten = coroutine("fetch", fetch("b", delay));
    log("fetch('b') is called, and its coroutine dropped without an await");
    drop(forgotten);
    let task = spawn(coroutine("fetch", fetch("c", delay)));
    log("create_task(fetch('c')) schedules it to run");
    log(format!("the task gives {}", task.await?));
    Ok(())
}

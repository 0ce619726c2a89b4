//! mental-model: why a single thread can overlap waiting.
//!
//! Three calls that only wait (an LLM call of 2 s, a DB query of 0.5 s, an API call of 1 s):
//! awaited one after another they take 3.5 s; started together as tasks they take 2.0 s, the
//! longest of the three, because while one waits the loop runs the others.

use super::Demo;
use crate::prelude::*;

parameters! {
    /// The three calls' durations.
    pub struct Params {
        llm: seconds[0.0..=60.0] = 2, "the LLM call";
        db: seconds[0.0..=60.0] = 0.5, "the DB query";
        api: seconds[0.0..=60.0] = 1, "the API call";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "mental-model",
    title: "The mental model",
    concept: "A single thread overlaps waiting: calls that wait take as long as the longest when started together.",
    section: Core,
    alternate: Params { llm: 3.0, api: 0.25, ..Params::DEFAULT },
};

async fn call(what: &'static str, seconds: f64) -> Result<(), Error> {
    log(format!("{what}: start, waits {seconds:.1} s"));
    sleep(seconds).await?;
    log(format!("{what}: done"));
    Ok(())
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let (llm, db, api) = (p.llm, p.db, p.api);
    log("one after another");
    let start = now();
    call("LLM call", llm).await?;
    call("DB query", db).await?;
    call("API call", api).await?;
    log(format!("one after another took {:.1} s", now() - start));

    log("started together");
    let start = now();
    let llm = spawn(call("LLM call", llm));
    let db = spawn(call("DB query", db));
    let api = spawn(call("API call", api));
    llm.await?;
    db.await?;
    api.await?;
    log(format!("started together took {:.1} s", now() - start));
    Ok(())
}

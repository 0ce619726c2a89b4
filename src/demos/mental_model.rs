//! mental-model: why a single thread can overlap waiting.
//!
//! Three calls that only wait (an LLM call of 2 s, a DB query of 0.5 s, an API call of 1 s):
//! awaited one after another they take 3.5 s; started together as tasks they take 2.0 s, the
//! longest of the three, because while one waits the loop runs the others.

use crate::prelude::*;

async fn call(what: &'static str, seconds: f64) -> Result<(), Error> {
    log(format!("{what}: start, waits {seconds:.1} s"));
    sleep(seconds).await?;
    log(format!("{what}: done"));
    Ok(())
}

/// The demo's main coroutine.
pub async fn main() -> Result<(), Error> {
    log("one after another");
    let start = now();
    call("LLM call", 2.0).await?;
    call("DB query", 0.5).await?;
    call("API call", 1.0).await?;
    log(format!("one after another took {:.1} s", now() - start));

    log("started together");
    let start = now();
    let llm = spawn(call("LLM call", 2.0));
    let db = spawn(call("DB query", 0.5));
    let api = spawn(call("API call", 1.0));
    llm.await?;
    db.await?;
    api.await?;
    log(format!("started together took {:.1} s", now() - start));
    Ok(())
}

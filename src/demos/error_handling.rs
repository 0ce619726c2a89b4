//! error-handling: where exceptions go.
//!
//! An exception in a task surfaces where the task is awaited. One that nobody awaits reaches the
//! loop's exception handler when the task is destroyed. An exception in a done callback goes to
//! the handler too, and the loop keeps running.

use super::Demo;
use crate::prelude::*;
use crate::runtime::set_exception_handler;

parameters! {
    /// How long each failing call takes.
    pub struct Params {
        delay: seconds[0.0..=10.0] = 0.5, "each call";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "error-handling",
    title: "Error handling",
    concept: "Errors surface where a task is awaited; the loop's handler sees the rest; a bad callback does not stop the loop.",
    section: Advanced,
    alternate: Params { delay: 2.0 },
};

async fn fails(what: &'static str, delay: f64) -> Result<(), Error> {
    sleep(delay).await?;
    Err(Error::new("ValueError", what))
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let delay = p.delay;
    set_exception_handler(|context| log(format!("loop handler: {}", context.line())));
    if let Err(e) = spawn(fails("awaited", delay)).await {
        log(format!("the error surfaces where the task is awaited: {}", e.repr()));
    }
    spawn(fails("never awaited", delay));
    sleep(delay * 2.0).await?;
    let task = spawn(sleep(delay));
    task.add_done_callback(|_| {
        log("done callback raises");
        Err(Error::runtime("bug in a callback"))
    });
    task.await?;
    sleep(delay).await?;
    log("the loop keeps running");
    Ok(())
}

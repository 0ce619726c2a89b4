//! timeouts: time limits with `asyncio.timeout` and `wait_for`.
//!
//! A 2 s call under a 1 s limit fails with `TimeoutError` at 1.0, and what it was running is
//! cancelled; moving the deadline later lets the call finish.

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::{py_bool, py_repr_str};

parameters! {
    /// How long the call takes, and the limit.
    pub struct Params {
        call: seconds[0.0..=60.0] = 2, "the call";
        limit: seconds[0.0..=60.0] = 1, "the time limit";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "timeouts",
    title: "Timeouts",
    concept: "A time limit cancels the work and raises TimeoutError at the boundary; a moved deadline lets it finish.",
    section: Advanced,
    alternate: Params { call: 0.5, limit: 2.0 },
};

async fn call(name: &'static str, seconds: f64) -> Result<String, Error> {
    match sleep(seconds).await {
        Ok(()) => {
            log(format!("{name} finished"));
            Ok(format!("{name} result"))
        }
        Err(e) => {
            log(format!("{name} cancelled by the time limit"));
            Err(e)
        }
    }
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let (seconds, limit) = (p.call, p.limit);
    match timeout(Some(limit)).run(call("call under timeout()", seconds)).await {
        Err(e) if e.is_timeout() => log(format!("timeout() raised TimeoutError at {:.1}", now())),
        other => {
            other?;
        }
    }
    let task = spawn(call("task under wait_for()", seconds));
    match wait_for(task.clone(), Some(limit)).await {
        Err(e) if e.is_timeout() => log(format!(
            "wait_for raised TimeoutError; the task is cancelled: {}",
            py_bool(task.cancelled())
        )),
        other => {
            other?;
        }
    }
    let cm = timeout(Some(limit));
    let inner = cm.clone();
    cm.run(async move {
        inner.reschedule(Some(now() + seconds + 0.5))?;
        log(format!("deadline moved to {:.1}", inner.when().unwrap_or(f64::NAN)));
        let result = call("call with a moved deadline", seconds).await?;
        log(format!("got {}", py_repr_str(&result)));
        Ok(())
    })
    .await
}

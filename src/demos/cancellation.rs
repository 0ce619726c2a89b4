//! cancellation: how `cancel()` travels.
//!
//! `cancel()` is delivered at the task's next await, as a `CancelledError` the task may clean up
//! after (awaiting, even) before re-raising it. A shielded operation finishes while the task
//! waiting for it gives up. And swallowing the cancellation is shown as the mistake it is: the
//! task runs on, and whoever cancelled it gets a result instead.

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::{py_bool, py_repr_str};

parameters! {
    /// When the worker is cancelled, and how long its cleanup takes.
    pub struct Params {
        after: seconds[0.0..=9.0] = 1, "when main cancels the worker";
        cleanup: seconds[0.0..=10.0] = 0.5, "the worker's cleanup";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "cancellation",
    title: "Cancellation",
    concept: "cancel() arrives at the next await; cleanup runs; shield protects; swallowing it is a mistake.",
    section: Advanced,
    alternate: Params { after: 3.0, cleanup: 2.0 },
};

async fn worker(cleanup: f64) -> Result<(), Error> {
    log("worker starts a long wait");
    if let Err(cancelled) = sleep(10.0).await {
        log("worker: CancelledError arrived at the await; cleaning up");
        sleep(cleanup).await?;
        log("worker: cleanup done, re-raising");
        return Err(cancelled);
    }
    Ok(())
}

async fn save() -> Result<&'static str, Error> {
    sleep(2.0).await?;
    log("save finished");
    Ok("saved")
}

async fn careless() -> Result<&'static str, Error> {
    if sleep(10.0).await.is_err() {
        log("careless: swallowed the cancellation (the mistake)");
    }
    sleep(1.0).await?;
    log("careless: still running after being cancelled");
    Ok("should have stopped")
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let task = spawn(worker(p.cleanup));
    sleep(p.after).await?;
    log("main: cancel() the worker");
    task.cancel();
    if task.clone().await.is_err() {
        log(format!("main: the worker is cancelled: {}", py_bool(task.cancelled())));
    }

    let inner = spawn(save());
    if let Err(e) = wait_for(shield(inner.clone()), Some(1.0)).await {
        if e.is_timeout() {
            log("main: the waiter gave up; the shielded save goes on");
        }
    }
    log(format!("main: {}", inner.await?));

    let task = spawn(careless());
    sleep(0.5).await?;
    task.cancel();
    let result = task.clone().await?;
    log(format!(
        "main: got {}, cancelled() = {}",
        py_repr_str(result),
        py_bool(task.cancelled())
    ));
    Ok(())
}

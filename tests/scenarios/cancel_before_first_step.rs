//! A task cancelled before its first step never runs any of its code.
use looplab::prelude::*;

async fn never() -> Result<(), Error> {
    log("this line never prints");
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let task = spawn(never());
    log(format!("cancel() returns {}", py_bool(task.cancel())));
    match task.await {
        Err(e) if e.is_cancelled() => log("cancelled before it ran"),
        other => other?,
    }
    Ok(())
}

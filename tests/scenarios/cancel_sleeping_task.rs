//! cancel() reaches a sleeping task at its await; its cleanup can still await.
use looplab::prelude::*;

async fn sleeper() -> Result<(), Error> {
    log("sleeping 10 s");
    match sleep(10.0).await {
        Err(e) if e.is_cancelled() => {
            log("cancelled, cleaning up");
            sleep(0.5).await?;
            log("cleanup done");
            Err(e)
        }
        other => other,
    }
}

pub async fn main() -> Result<(), Error> {
    let task = spawn(sleeper());
    sleep(1.0).await?;
    log(format!("cancel() returns {}", py_bool(task.cancel())));
    match task.clone().await {
        Err(e) if e.is_cancelled() => log("main sees the task cancelled"),
        other => other?,
    }
    let cancelled = py_bool(task.cancelled());
    log(format!("cancelled() = {cancelled}, cancel() again returns {}", py_bool(task.cancel())));
    Ok(())
}

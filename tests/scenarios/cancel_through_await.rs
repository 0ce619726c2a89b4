//! Cancelling a task that awaits another task cancels the awaited task too.
use looplab::prelude::*;

async fn inner() -> Result<(), Error> {
    match sleep(10.0).await {
        Err(e) if e.is_cancelled() => {
            log("inner cancelled");
            Err(e)
        }
        other => other,
    }
}

async fn outer(task: Task<()>) -> Result<(), Error> {
    match task.await {
        Err(e) if e.is_cancelled() => {
            log("outer cancelled");
            Err(e)
        }
        other => other,
    }
}

pub async fn main() -> Result<(), Error> {
    let i = spawn(inner());
    let o = spawn(outer(i.clone()));
    sleep(2.0).await?;
    o.cancel();
    match o.await {
        Err(e) if e.is_cancelled() => log(format!("outer done, inner cancelled() = {}", py_bool(i.cancelled()))),
        other => other?,
    }
    Ok(())
}

//! A task group whose task is cancelled from outside cancels its children and raises CancelledError.
use looplab::prelude::*;

async fn child(name: &'static str, cleanup: f64) -> Result<(), Error> {
    if let Err(e) = sleep(10.0).await {
        sleep(cleanup).await?;
        log(format!("{name} cleanup done after {cleanup} s"));
        return Err(e);
    }
    Ok(())
}

async fn worker() -> Result<(), Error> {
    let outcome = task_group(|tg| async move {
        tg.spawn(child("c1", 0.5))?;
        tg.spawn(child("c2", 0.25))?;
        sleep(10.0).await
    })
    .await;
    if let Err(e) = &outcome {
        if e.is_cancelled() {
            log("worker sees CancelledError after its children finished");
        }
    }
    outcome
}

pub async fn main() -> Result<(), Error> {
    let task = spawn(worker());
    sleep(1.0).await?;
    task.cancel();
    if let Err(e) = task.clone().await {
        if e.is_cancelled() {
            log(format!("worker cancelled: {}", py_bool(task.cancelled())));
        }
    }
    Ok(())
}

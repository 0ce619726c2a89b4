//! A task group's failures take priority over a cancellation of its task: a child that catches
//! the group's cancellation and then fails turns the cancellation into an ExceptionGroup (found
//! by the property tests).
use looplab::prelude::*;

async fn child() -> Result<(), Error> {
    if let Err(e) = sleep(1.0).await {
        if !e.is_cancelled() {
            return Err(e);
        }
        let me = current_task().ok_or_else(|| Error::runtime("no current task"))?;
        log(format!("child caught the cancellation; uncancel() = {}", me.uncancel()));
    }
    Err(Error::new("ValueError", "after the cancellation"))
}

async fn worker() -> Result<&'static str, Error> {
    match task_group(|tg| async move { tg.spawn(child()).map(drop) }).await {
        Err(e) if e.is_cancelled() => {
            log("worker sees CancelledError");
            return Err(e);
        }
        Err(e) => log(format!("worker sees {} instead", e.repr())),
        Ok(()) => {}
    }
    Ok("worker returned")
}

pub async fn main() -> Result<(), Error> {
    let task = spawn(worker());
    sleep(0.0).await?;
    log(format!("cancel('stop') returns {}", py_bool(task.cancel_with("stop"))));
    let result = task.clone().await?;
    log(format!(
        "{result}; cancelled() = {}, cancelling() = {}",
        py_bool(task.cancelled()),
        task.cancelling()
    ));
    Ok(())
}

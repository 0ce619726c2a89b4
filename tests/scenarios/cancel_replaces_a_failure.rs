//! A task whose future failed, cancelled before its step runs: the cancellation replaces the
//! failure (asyncio's __step(exc) under _must_cancel keeps only a CancelledError it was given).
use looplab::prelude::*;

pub async fn main() -> Result<(), Error> {
    let fut: Future<()> = Future::new();
    let awaited = fut.clone();
    let task = spawn(async move {
        match awaited.await {
            Err(e) if e.is_cancelled() => {
                log(format!("waiter sees CancelledError({},)", py_repr_str(e.message())));
                Err(e)
            }
            Err(e) => {
                log(format!("waiter sees {}", e.repr()));
                Ok(())
            }
            Ok(()) => Ok(()),
        }
    });
    sleep(0.0).await?;
    fut.set_exception(Error::new("ValueError", "the future failed"))?;
    log(format!(
        "cancel('after the failure') returns {}",
        py_bool(task.cancel_with("after the failure"))
    ));
    if let Err(e) = task.clone().await {
        if e.is_cancelled() {
            log(format!("the task ends cancelled: {}", py_bool(task.cancelled())));
        }
    }
    let kept = fut.result().and_then(Result::err).map_or("None".to_string(), |e| e.repr());
    log(format!("the future's failure is kept: {kept}"));
    Ok(())
}

//! Two cancel() calls on a waiting task in one iteration: one CancelledError, with the first
//! message (the future it waited on was cancelled with it; the second call finds it done).
use looplab::prelude::*;

fn args(e: &Error) -> String {
    match e.message() {
        "" => "()".to_string(),
        m => format!("({},)", py_repr_str(m)),
    }
}

pub async fn main() -> Result<(), Error> {
    let fut: Future<()> = Future::new();
    let awaited = fut.clone();
    let task = spawn(async move {
        match awaited.await {
            Err(e) if e.is_cancelled() => {
                log(format!("caught CancelledError{}", args(&e)));
                Err(e)
            }
            other => other,
        }
    });
    sleep(0.0).await?;
    let first = py_bool(task.cancel_with("first"));
    let second = py_bool(task.cancel_with("second"));
    log(format!("cancel('first') returns {first}, cancel('second') returns {second}"));
    match task.clone().await {
        Err(e) if e.is_cancelled() => log(format!(
            "main sees CancelledError{}; cancelling() = {}",
            args(&e),
            task.cancelling()
        )),
        other => other?,
    }
    Ok(())
}

//! A task whose future is done but whose step has not run yet (woken): a dump still names the
//! future (asyncio clears _fut_waiter in __step), and cancel() cannot pass on to the finished
//! future, so the cancellation is thrown in when the step runs.
use looplab::prelude::*;
use looplab::runtime::debug::task_dump;

pub async fn main() -> Result<(), Error> {
    let fut: Future<i64> = Future::new();
    let awaited = fut.clone();
    let task = spawn_named("waiter", async move {
        let value = awaited.await?;
        log(format!("waiter resumes with {value}"));
        Ok(())
    });
    sleep(0.0).await?;
    fut.set_result(1)?;
    for line in task_dump() {
        log(format!("ps {line}"));
    }
    log(format!("cancel('late') returns {}", py_bool(task.cancel_with("late"))));
    match task.await {
        Err(e) if e.is_cancelled() => log(format!("waiter cancelled: ({},)", py_repr_str(e.message()))),
        other => other?,
    }
    Ok(())
}

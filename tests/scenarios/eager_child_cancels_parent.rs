//! An eager child cancels its parent while the parent's step is still running: the parent gets
//! the cancellation at the await its step ends in, passed on to what it awaits there.
use looplab::prelude::*;
use looplab::runtime::{iteration, set_eager_tasks};

pub async fn main() -> Result<(), Error> {
    set_eager_tasks(true);
    let parent = current_task().ok_or_else(|| Error::runtime("no current task"))?;
    let target = parent.clone();
    spawn(async move {
        log(format!(
            "child cancels its parent: {}",
            py_bool(target.cancel_with("by the child"))
        ));
        Ok(())
    });
    log(format!(
        "after create_task: cancelling() = {}, iteration {}",
        parent.cancelling(),
        iteration()
    ));
    match sleep(1.0).await {
        Ok(()) => log("slept"),
        Err(e) if e.is_cancelled() => log(format!(
            "caught CancelledError({},) in iteration {}; uncancel() = {}",
            py_repr_str(e.message()),
            iteration(),
            parent.uncancel()
        )),
        Err(e) => return Err(e),
    }
    sleep(0.5).await?;
    log("main goes on");
    Ok(())
}

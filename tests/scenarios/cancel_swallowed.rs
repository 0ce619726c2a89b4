//! A task that swallows its cancellation and returns: the awaiter gets the value.
use looplab::prelude::*;

async fn stubborn() -> Result<&'static str, Error> {
    if let Err(e) = sleep(5.0).await {
        if !e.is_cancelled() {
            return Err(e);
        }
        log("swallowing the cancellation (a mistake)");
    }
    sleep(1.0).await?;
    log("still running");
    Ok("finished anyway")
}

pub async fn main() -> Result<(), Error> {
    let task = spawn(stubborn());
    sleep(1.0).await?;
    task.cancel();
    let result = task.clone().await?;
    log(format!("result {}, cancelled() = {}", py_repr_str(result), py_bool(task.cancelled())));
    Ok(())
}

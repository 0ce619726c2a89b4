//! wait_for: on timeout the inner task is cancelled and waited for, then TimeoutError.
use looplab::prelude::*;

async fn call(seconds: f64, cleanup: f64) -> Result<String, Error> {
    match sleep(seconds).await {
        Ok(()) => Ok(format!("slept {seconds}")),
        Err(e) => {
            log("inner cancelled");
            if cleanup > 0.0 {
                sleep(cleanup).await?;
                log("inner cleanup done");
            }
            Err(e)
        }
    }
}

pub async fn main() -> Result<(), Error> {
    if let Err(e) = wait_for(spawn(call(2.0, 0.5)), Some(1.0)).await {
        log(format!("wait_for raised {}", e.repr()));
    }
    log(wait_for(spawn(call(0.5, 0.0)), Some(1.0)).await?);
    if let Err(e) = wait_for(spawn(call(1.0, 0.0)), Some(0.0)).await {
        if e.is_timeout() {
            log("timeout=0 cancels at once");
        }
    }
    log(wait_for(spawn(call(0.25, 0.0)), None).await?);
    Ok(())
}

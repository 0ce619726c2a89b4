//! asyncio.timeout: a 2 s call under a 1 s limit fails with TimeoutError at 1.0.
use looplab::prelude::*;

async fn call() -> Result<(), Error> {
    match sleep(2.0).await {
        Ok(()) => {
            log("call finished");
            Ok(())
        }
        Err(e) => {
            log("call cancelled by the timeout");
            Err(e)
        }
    }
}

pub async fn main() -> Result<(), Error> {
    let cm = timeout(Some(1.0));
    if let Err(e) = cm.run(call()).await {
        log(format!("caught {}, expired={}", e.repr(), py_bool(cm.expired())));
    }
    let cm = timeout(Some(5.0));
    cm.run(call()).await?;
    log(format!("within the limit: expired={}", py_bool(cm.expired())));
    let cm = timeout(None);
    let inner = cm.clone();
    let outcome = cm
        .run(async move {
            sleep(0.5).await?;
            inner.reschedule(Some(now() + 0.25))?;
            call().await
        })
        .await;
    if let Err(e) = outcome {
        if e.is_timeout() {
            log("rescheduled deadline expired");
        }
    }
    Ok(())
}

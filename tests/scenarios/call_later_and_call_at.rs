//! call_later, call_at and sleeps on one heap; a cancelled timer never runs.
use looplab::prelude::*;

pub async fn main() -> Result<(), Error> {
    call_later(0.5, || log("later 0.5"));
    call_at(now() + 0.25, || log("at 0.25"));
    call_later(0.5, || log("later 0.5 again"));
    if let Some(handle) = call_later(0.3, || log("cancelled, never printed")) {
        handle.cancel();
    }
    call_later(0.0, || log("later 0"));
    call_soon(|| log("soon"));
    sleep(0.5).await?;
    log("main woke at 0.5");
    sleep(0.1).await?;
    log("main done");
    Ok(())
}

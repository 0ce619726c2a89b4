//! create_task schedules the first step with call_soon: it queues behind earlier callbacks.
use looplab::prelude::*;

async fn child(name: &'static str) -> Result<(), Error> {
    log(format!("{name}: first step"));
    sleep(0.0).await?;
    log(format!("{name}: second step"));
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    call_soon(|| log("callback 1"));
    let t1 = spawn(child("t1"));
    call_soon(|| log("callback 2"));
    let t2 = spawn(child("t2"));
    log("main: nothing else has run yet");
    sleep(0.0).await?;
    log("main: after one yield");
    t1.await?;
    t2.await?;
    log("main: both children done");
    Ok(())
}

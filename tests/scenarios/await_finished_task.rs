//! Awaiting a task that is already done returns at once, without yielding.
use looplab::prelude::*;

async fn quick() -> Result<i32, Error> {
    log("quick runs");
    Ok(42)
}

async fn ticker() -> Result<(), Error> {
    for i in 0..4 {
        log(format!("tick {i}"));
        sleep(0.0).await?;
    }
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let task = spawn(quick());
    let tick = spawn(ticker());
    sleep(0.0).await?;
    sleep(0.0).await?;
    log("awaiting a finished task");
    let result = task.await?;
    log(format!("got {result} without yielding"));
    tick.await?;
    Ok(())
}

//! A coroutine object that is created and dropped never runs, and asyncio says so.
use looplab::prelude::*;
use looplab::runtime::coroutine;

async fn fetch() -> Result<(), Error> {
    log("fetch runs");
    sleep(1.0).await
}

pub async fn main() -> Result<(), Error> {
    let coro = coroutine("fetch", fetch());
    log("created a coroutine object; nothing ran");
    drop(coro);
    log("dropped it");
    coroutine("fetch", fetch()).await?;
    let task = spawn(coroutine("fetch", fetch()));
    task.cancel();
    sleep(0.0).await?;
    log(format!("a task cancelled before it started: cancelled={}, no warning", py_bool(task.cancelled())));
    Ok(())
}

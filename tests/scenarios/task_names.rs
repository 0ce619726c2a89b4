//! Unnamed tasks count Task-2, Task-3, ...; in 3.11 a named task uses up a number too.
use looplab::prelude::*;

async fn noop() -> Result<(), Error> {
    Ok(())
}

async fn who() -> Result<(), Error> {
    log("inside the task");
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let a = spawn(noop());
    let b = spawn_named("llm-call-1", noop());
    let c = spawn(noop());
    log(format!("{} {} {}", a.name(), b.name(), c.name()));
    c.set_name("renamed");
    log(format!("after set_name: {}", c.name()));
    a.await?;
    b.await?;
    c.await?;
    spawn(who()).await?;
    Ok(())
}

//! A task awaiting another resumes one iteration after it finishes; a chain adds one per link.
use looplab::prelude::*;

async fn first() -> Result<&'static str, Error> {
    sleep(1.0).await?;
    log("A done");
    Ok("a")
}

async fn waits_for(task: Task<&'static str>, name: &'static str) -> Result<&'static str, Error> {
    let result = task.await?;
    log(format!("{name} sees {result}"));
    Ok(name)
}

async fn ticker() -> Result<(), Error> {
    sleep(1.0).await?;
    for i in 0..5 {
        log(format!("tick {i}"));
        sleep(0.0).await?;
    }
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let a = spawn(first());
    let tick = spawn(ticker());
    let b = spawn(waits_for(a, "B"));
    let c = spawn(waits_for(b, "C"));
    c.await?;
    tick.await?;
    Ok(())
}

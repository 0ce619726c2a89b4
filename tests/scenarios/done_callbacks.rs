//! Done callbacks run one iteration after the task finishes, in the order they were added.
use looplab::prelude::*;

async fn job() -> Result<i32, Error> {
    sleep(1.0).await?;
    log("job returns");
    Ok(7)
}

async fn failing() -> Result<i32, Error> {
    sleep(0.5).await?;
    Err(Error::new("ValueError", "boom"))
}

fn report(task: &Task<i32>) {
    match task.exception() {
        Some(e) => log(format!("callback: {} failed with {}", task.name(), e.repr())),
        None => {
            if let Some(Ok(value)) = task.result() {
                log(format!("callback: {} returned {value}", task.name()));
            }
        }
    }
}

pub async fn main() -> Result<(), Error> {
    let task = spawn_named("job", job());
    let bad = spawn_named("failing", failing());
    task.add_done_callback(report);
    bad.add_done_callback(report);
    task.add_done_callback(|_| log("second callback"));
    let result = task.clone().await?;
    log(format!("main got {result}"));
    task.add_done_callback(|_| log("added after done"));
    sleep(0.0).await?;
    log("main after one yield");
    if let Err(e) = bad.await {
        log(format!("main caught {}", e.repr()));
    }
    Ok(())
}

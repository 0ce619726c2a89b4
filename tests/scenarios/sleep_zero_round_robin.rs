//! sleep(0) yields for exactly one iteration: tasks take turns.
use looplab::prelude::*;

async fn worker(name: &'static str, turns: usize) -> Result<(), Error> {
    for i in 0..turns {
        log(format!("{name} turn {i}"));
        sleep(0.0).await?;
    }
    log(format!("{name} finished"));
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let tasks: Vec<_> = [("x", 3), ("y", 1), ("z", 2)].into_iter().map(|(n, t)| spawn(worker(n, t))).collect();
    for task in tasks {
        task.await?;
    }
    Ok(())
}

//! Equal deadlines leave the heap in heapq's order, not in the order they were set.
use looplab::prelude::*;

async fn sleeper(i: usize, seconds: f64) -> Result<(), Error> {
    sleep(seconds).await?;
    log(format!("sleeper {i} woke after {seconds:.1} s"));
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let tasks: Vec<_> = (0..12).map(|i| spawn(sleeper(i, 1.0))).collect();
    for task in tasks {
        task.await?;
    }
    log("mixed durations");
    let durations = [1.0, 0.5, 1.0, 0.5, 1.0, 1.5, 0.5, 1.0, 1.5, 0.5];
    let tasks: Vec<_> = durations.iter().enumerate().map(|(i, d)| spawn(sleeper(i, *d))).collect();
    for task in tasks {
        task.await?;
    }
    Ok(())
}

//! wait with a timeout returns at the timeout with the unfinished ones pending, not cancelled.
use looplab::prelude::*;

async fn call(seconds: f64) -> Result<f64, Error> {
    sleep(seconds).await?;
    Ok(seconds)
}

fn names(tasks: &[Task<f64>]) -> String {
    let mut names: Vec<_> = tasks.iter().map(|t| t.name()).collect();
    names.sort();
    py_str_list(names)
}

pub async fn main() -> Result<(), Error> {
    let tasks: Vec<_> = [(0.5, "t0.5"), (1.5, "t1.5"), (3.0, "t3.0")].into_iter().map(|(s, n)| spawn_named(n, call(s))).collect();
    let (done, pending) = wait(tasks.clone(), ReturnWhen::AllCompleted, Some(1.0)).await?;
    log(format!("timeout: done={} pending={}", names(&done), names(&pending)));
    log(format!("pending cancelled? {}", py_list(pending.iter().map(|t| py_bool(t.cancelled())))));
    let (done, pending) = wait(tasks.clone(), ReturnWhen::FirstCompleted, Some(10.0)).await?;
    log(format!("first completed: done={} pending={}", names(&done), pending.len()));
    let (done, _) = wait(tasks, ReturnWhen::AllCompleted, Some(10.0)).await?;
    log(format!("all: {} done at well before the timeout", done.len()));
    Ok(())
}

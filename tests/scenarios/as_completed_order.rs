//! as_completed yields outcomes in completion order; a timeout fails the remaining ones.
use looplab::prelude::*;

async fn call(name: &'static str, seconds: f64, fail: bool) -> Result<&'static str, Error> {
    sleep(seconds).await?;
    if fail {
        return Err(Error::new("ValueError", name));
    }
    Ok(name)
}

pub async fn main() -> Result<(), Error> {
    let tasks: Vec<_> =
        [("two", 2.0), ("one", 1.0), ("half", 0.5)].into_iter().map(|(n, s)| spawn(call(n, s, false))).collect();
    let mut it = as_completed(tasks, None);
    while let Some(outcome) = it.next().await {
        log(format!("got {}", outcome?));
    }
    let tasks = vec![spawn(call("quick", 0.5, false)), spawn(call("broken", 1.0, true)), spawn(call("late", 5.0, false))];
    let mut it = as_completed(tasks.clone(), Some(2.0));
    while let Some(outcome) = it.next().await {
        match outcome {
            Ok(v) => log(format!("got {v}")),
            Err(e) if e.is_timeout() => log("timed out"),
            Err(e) => log(format!("failed with {}", e.repr())),
        }
    }
    tasks[2].cancel();
    Ok(())
}

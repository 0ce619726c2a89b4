//! Without return_exceptions the first failure reaches the awaiter at once; siblings run on.
use looplab::prelude::*;

async fn call(name: &'static str, seconds: f64, fail: bool) -> Result<&'static str, Error> {
    sleep(seconds).await?;
    if fail {
        log(format!("{name} raises"));
        return Err(Error::new("ValueError", format!("{name} failed")));
    }
    log(format!("{name} done"));
    Ok(name)
}

pub async fn main() -> Result<(), Error> {
    let tasks = vec![spawn(call("a", 2.0, false)), spawn(call("b", 0.5, true)), spawn(call("c", 1.0, false))];
    if let Err(e) = gather(tasks.clone()).await {
        log(format!("gather raised {}", e.repr()));
    }
    let running: Vec<_> = tasks.iter().filter(|t| !t.done()).map(|t| t.name()).collect();
    log(format!("still running: {}", py_str_list(running)));
    sleep(3.0).await?;
    log(format!("later: a done={}, c done={}", py_bool(tasks[0].done()), py_bool(tasks[2].done())));
    Ok(())
}

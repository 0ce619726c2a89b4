//! gather returns results in argument order; the awaiter resumes two iterations after the last child.
use looplab::prelude::*;

async fn call(name: &'static str, seconds: f64) -> Result<&'static str, Error> {
    sleep(seconds).await?;
    log(format!("{name} done"));
    Ok(name)
}

async fn ticker() -> Result<(), Error> {
    sleep(2.0).await?;
    for i in 0..4 {
        log(format!("tick {i}"));
        sleep(0.0).await?;
    }
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let tick = spawn(ticker());
    let tasks: Vec<_> = [("slow", 2.0), ("mid", 1.0), ("fast", 0.5)].into_iter().map(|(n, s)| spawn(call(n, s))).collect();
    let results = gather(tasks).await?;
    log(format!("gather returned {}", py_str_list(results)));
    let empty: Vec<&str> = gather(Vec::<Task<&str>>::new()).await?;
    log(format!("empty gather returns {}", py_str_list(empty)));
    tick.await
}

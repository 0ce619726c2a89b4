//! With return_exceptions the failures sit in the result list at their index.
use looplab::prelude::*;

async fn call(name: &'static str, seconds: f64, fail: bool) -> Result<&'static str, Error> {
    sleep(seconds).await?;
    if fail {
        return Err(Error::new("KeyError", name));
    }
    Ok(name)
}

pub async fn main() -> Result<(), Error> {
    let tasks = vec![spawn(call("a", 1.0, false)), spawn(call("b", 0.5, true)), spawn(call("c", 0.2, false))];
    tasks[2].cancel();
    let results = gather_settled(tasks).await?;
    let shown: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(v) => py_repr_str(v),
            // repr(CancelledError('')) for a cancellation without a message, as gather builds it.
            Err(e) if e.is_cancelled() && e.message().is_empty() => "CancelledError('')".to_string(),
            Err(e) => e.repr(),
        })
        .collect();
    log(format!("results: {}", py_str_list(shown)));
    Ok(())
}

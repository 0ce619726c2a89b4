//! Cancelling a task that awaits gather cancels every child; the gather ends cancelled.
use looplab::prelude::*;

async fn child(name: &'static str, seconds: f64) -> Result<(), Error> {
    match sleep(seconds).await {
        Ok(()) => {
            log(format!("{name} finished"));
            Ok(())
        }
        Err(e) => {
            log(format!("{name} cancelled"));
            Err(e)
        }
    }
}

async fn waiter(tasks: Vec<Task<()>>) -> Result<(), Error> {
    match gather(tasks).await {
        Err(e) if e.is_cancelled() => {
            log("waiter sees CancelledError");
            Err(e)
        }
        other => other.map(|_| ()),
    }
}

pub async fn main() -> Result<(), Error> {
    let tasks: Vec<_> = [("x", 1.0), ("y", 5.0), ("z", 5.0)].into_iter().map(|(n, s)| spawn(child(n, s))).collect();
    let w = spawn(waiter(tasks.clone()));
    sleep(2.0).await?;
    log(format!("cancel() returns {}", py_bool(w.cancel())));
    if let Err(e) = w.await {
        if e.is_cancelled() {
            let cancelled: Vec<_> = tasks.iter().map(|t| py_bool(t.cancelled())).collect();
            log(format!("waiter cancelled; children cancelled: {}", py_list(cancelled)));
        }
    }
    let g = gather(vec![spawn(child("p", 1.0))]);
    sleep(0.0).await?;
    log(format!("gather.cancel() returns {}", py_bool(g.cancel())));
    if let Err(e) = g.await {
        if e.is_cancelled() {
            log("the cancelled gather raises CancelledError");
        }
    }
    Ok(())
}

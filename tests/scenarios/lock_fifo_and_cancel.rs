//! Lock waiters wake in FIFO order; a cancelled waiter passes its turn on.
use looplab::prelude::*;

async fn worker(lock: Lock, name: &'static str, hold: f64) -> Result<(), Error> {
    log(format!("{name} wants the lock"));
    let guard = match lock.enter().await {
        Ok(guard) => guard,
        Err(e) => {
            log(format!("{name} cancelled while waiting"));
            return Err(e);
        }
    };
    log(format!("{name} has the lock"));
    sleep(hold).await?;
    log(format!("{name} releases"));
    drop(guard);
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let lock = Lock::new();
    let tasks: Vec<_> = ["a", "b", "c", "d"].into_iter().map(|n| spawn(worker(lock.clone(), n, 1.0))).collect();
    sleep(0.5).await?;
    tasks[1].cancel();
    sleep(0.0).await?;
    log(format!("locked: {}", py_bool(lock.locked())));
    wait(tasks, ReturnWhen::AllCompleted, None).await?;
    if let Err(e) = lock.release() {
        log(format!("release of a free lock: {}", e.repr()));
    }
    Ok(())
}

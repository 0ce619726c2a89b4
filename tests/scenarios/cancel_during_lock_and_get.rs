//! Cancellation while waiting for a lock and while waiting on an empty queue.
use looplab::prelude::*;

async fn wants_lock(lock: Lock) -> Result<(), Error> {
    match lock.enter().await {
        Ok(_guard) => {
            log("never gets the lock");
            Ok(())
        }
        Err(e) => {
            log("cancelled in lock wait");
            Err(e)
        }
    }
}

async fn wants_item(queue: Queue<&'static str>) -> Result<(), Error> {
    if let Err(e) = queue.get().await {
        log("cancelled in queue get");
        return Err(e);
    }
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let lock = Lock::new();
    lock.acquire().await?;
    let queue = Queue::new(0);
    let a = spawn(wants_lock(lock.clone()));
    let b = spawn(wants_item(queue.clone()));
    sleep(1.0).await?;
    a.cancel();
    b.cancel();
    wait(vec![a.clone(), b.clone()], ReturnWhen::AllCompleted, None).await?;
    log(format!("both cancelled: {} {}", py_bool(a.cancelled()), py_bool(b.cancelled())));
    queue.put_nowait("late item")?;
    log(format!("queue still holds {} item", queue.qsize()));
    lock.release()?;
    log(format!("lock free again: {}", py_bool(!lock.locked())));
    Ok(())
}

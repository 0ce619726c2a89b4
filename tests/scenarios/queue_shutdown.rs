//! CPython 3.13's Queue.shutdown: waiting getters and putters wake to QueueShutDown.
use looplab::prelude::*;

async fn getter(queue: Queue<&'static str>, name: &'static str) -> Result<(), Error> {
    loop {
        match queue.get().await {
            Ok(item) => {
                log(format!("{name} got {item}"));
                queue.task_done()?;
            }
            Err(e) if e.is(ExceptionClass::QueueShutDown) => {
                log(format!("{name} sees the queue shut down"));
                return Ok(());
            }
            Err(e) => return Err(e),
        }
    }
}

pub async fn main() -> Result<(), Error> {
    let queue = Queue::new(1);
    let getters = vec![spawn(getter(queue.clone(), "g0")), spawn(getter(queue.clone(), "g1"))];
    queue.put("a").await?;
    sleep(1.0).await?;
    queue.shutdown(false);
    if queue.put_nowait("late").is_err() {
        log("put after shutdown fails");
    }
    gather(getters).await?;
    let full = Queue::new(0);
    for item in ["x", "y", "z"] {
        full.put_nowait(item)?;
    }
    full.shutdown(true);
    log(format!("immediate shutdown drops the items: size {}", full.qsize()));
    full.join().await?;
    log("join returns: the dropped items count as done");
    Ok(())
}

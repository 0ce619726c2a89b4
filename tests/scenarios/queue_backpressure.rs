//! A bounded queue stalls the producer when full; join waits for every task_done.
use looplab::prelude::*;

async fn producer(queue: Queue<u32>) -> Result<(), Error> {
    for i in 0..5 {
        log(format!("put {i} (size {})", queue.qsize()));
        queue.put(i).await?;
    }
    log("producer done");
    Ok(())
}

async fn consumer(queue: Queue<u32>) -> Result<(), Error> {
    loop {
        let item = queue.get().await?;
        sleep(1.0).await?;
        log(format!("processed {item}"));
        queue.task_done()?;
    }
}

pub async fn main() -> Result<(), Error> {
    let queue = Queue::new(2);
    let c = spawn(consumer(queue.clone()));
    producer(queue.clone()).await?;
    queue.join().await?;
    log("join returned: every item processed");
    c.cancel();
    let full = queue.put_nowait(1).and_then(|_| queue.put_nowait(2)).and_then(|_| queue.put_nowait(3));
    if let Err(e) = full {
        if e.is(ExceptionClass::QueueFull) {
            log(format!("QueueFull at size {}", queue.qsize()));
        }
    }
    if let Err(e) = Queue::<u32>::new(0).get_nowait() {
        log(e.kind());
    }
    Ok(())
}

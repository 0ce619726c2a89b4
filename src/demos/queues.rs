//! queues: producer and consumer with backpressure, and the other queue kinds.
//!
//! A bounded queue makes the producer wait when it is full; `join` waits until every item was
//! marked done with `task_done`. A priority queue gives the smallest first, a LIFO queue the
//! newest. (`Queue.shutdown` exists from CPython 3.13; the twin runs on 3.11, so it is shown by
//! the parity scenario `queue_shutdown` instead.)

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::py_str_list;

parameters! {
    /// How many items, the queue's bound, and the consumer's work per item.
    pub struct Params {
        items: count[0..=200] = 5, "items produced";
        maxsize: count[0..=100] = 2, "the queue's bound (0: none)";
        work: seconds[0.0..=10.0] = 1, "processing one item";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "queues",
    title: "Queues",
    concept: "A bounded queue pushes back on a fast producer; join waits for task_done; priority and LIFO orders.",
    section: Advanced,
    alternate: Params { items: 8, maxsize: 0, work: 0.25 },
};

async fn producer(queue: Queue<i64>, items: i64) -> Result<(), Error> {
    for i in 0..items {
        log(format!("producer puts {i} (queue holds {})", queue.qsize()));
        queue.put(i).await?;
    }
    log("producer done");
    Ok(())
}

async fn consumer(queue: Queue<i64>, work: f64) -> Result<(), Error> {
    loop {
        let item = queue.get().await?;
        sleep(work).await?;
        log(format!("consumer processed {item}"));
        queue.task_done()?;
    }
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let queue = Queue::new(p.maxsize as usize);
    let worker = spawn(consumer(queue.clone(), p.work));
    producer(queue.clone(), p.items).await?;
    queue.join().await?;
    log("join returned: every item was processed");
    worker.cancel();

    let pq = Queue::priority(0);
    for item in [(2, "write report"), (0, "fix outage"), (1, "answer email")] {
        pq.put_nowait(item)?;
    }
    let order: Vec<&str> = (0..3)
        .map(|_| pq.get_nowait().map(|(_, what)| what))
        .collect::<Result<_, _>>()?;
    log(format!("priority order: {}", py_str_list(order)));
    let lifo = Queue::lifo(0);
    for item in ["first", "second", "third"] {
        lifo.put_nowait(item)?;
    }
    let order: Vec<&str> = (0..3).map(|_| lifo.get_nowait()).collect::<Result<_, _>>()?;
    log(format!("LIFO order: {}", py_str_list(order)));
    Ok(())
}

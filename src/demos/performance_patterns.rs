//! performance-patterns: per-item tasks, batches, and a bounded worker pool.
//!
//! 1,000 items of 10 ms I/O each: a task per item finishes in one I/O time but creates 1,000
//! tasks; batches need only ten; a pool of ten workers also creates ten, but takes a hundred I/O
//! times. The trace shows each strategy's cost: tasks created, steps, virtual time.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;

/// The workload and the two strategies' sizes.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "items",
        help: "items to handle",
        kind: Kind::Count { min: 1, max: 20_000 },
        default: "1000",
    },
    ParamSpec {
        name: "io",
        help: "one item's I/O",
        kind: Kind::Seconds { min: 0.0, max: 1.0 },
        default: "0.01",
    },
    ParamSpec {
        name: "batch",
        help: "items per batch",
        kind: Kind::Count { min: 1, max: 20_000 },
        default: "100",
    },
    ParamSpec {
        name: "workers",
        help: "workers in the pool",
        kind: Kind::Count { min: 1, max: 1000 },
        default: "10",
    },
];

async fn per_item(n: i64, io: f64) -> Result<usize, Error> {
    let tasks: Vec<_> = (0..n).map(|_| spawn(sleep(io))).collect();
    let count = tasks.len();
    gather(tasks).await?;
    Ok(count)
}

async fn batched(n: i64, io: f64, size: i64) -> Result<usize, Error> {
    let tasks: Vec<_> = (0..n).step_by(size as usize).map(|_| spawn(sleep(io))).collect();
    let count = tasks.len();
    gather(tasks).await?;
    Ok(count)
}

async fn pool(n: i64, io: f64, workers: i64) -> Result<usize, Error> {
    let queue = Queue::new(0);
    for i in 0..n {
        queue.put_nowait(i)?;
    }
    let workers: Vec<_> = (0..workers)
        .map(|_| {
            let queue = queue.clone();
            spawn(async move {
                loop {
                    queue.get().await?;
                    sleep(io).await?;
                    queue.task_done()?;
                }
                #[allow(unreachable_code)]
                Ok::<(), Error>(())
            })
        })
        .collect();
    queue.join().await?;
    for w in &workers {
        w.cancel();
    }
    let count = workers.len();
    wait(workers, ReturnWhen::AllCompleted, None).await?;
    Ok(count)
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let (items, io) = (p.count("items"), p.seconds("io"));
    for name in ["per-item tasks", "batches", "worker pool"] {
        let start = now();
        let tasks = match name {
            "per-item tasks" => per_item(items, io).await?,
            "batches" => batched(items, io, p.count("batch")).await?,
            _ => pool(items, io, p.count("workers")).await?,
        };
        log(format!("{name}: {items} items, {tasks} tasks, {:.2} s", now() - start));
    }
    Ok(())
}

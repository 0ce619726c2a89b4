//! performance-patterns: per-item tasks, batches, and a bounded worker pool.
//!
//! 1,000 items of 10 ms I/O each: a task per item finishes in one I/O time but creates 1,000
//! tasks; batches need only ten; a pool of ten workers also creates ten, but takes a hundred I/O
//! times. The trace shows each strategy's cost: tasks created, steps, virtual time.

use super::Demo;
use crate::prelude::*;

parameters! {
    /// The workload and the two strategies' sizes.
    pub struct Params {
        // At most 10,000: one step spawns a task per item and gathers them all, and a step
        // cannot be cut; 20,000 held the page for over 50 ms in one go on a slower machine.
        items: count[1..=10_000] = 1000, "items to handle";
        io: seconds[0.0..=1.0] = 0.01, "one item's I/O";
        batch: count[1..=10_000] = 100, "items per batch";
        workers: count[1..=1000] = 10, "workers in the pool";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "performance-patterns",
    title: "Performance patterns",
    concept: "Per-item tasks, batches and a worker pool trade tasks created against time taken.",
    section: Advanced,
    alternate: Params { items: 300, batch: 50, workers: 30, ..Params::DEFAULT },
};

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
    let (items, io) = (p.items, p.io);
    for name in ["per-item tasks", "batches", "worker pool"] {
        let start = now();
        let tasks = match name {
            "per-item tasks" => per_item(items, io).await?,
            "batches" => batched(items, io, p.batch).await?,
            _ => pool(items, io, p.workers).await?,
        };
        log(format!("{name}: {items} items, {tasks} tasks, {:.2} s", now() - start));
    }
    Ok(())
}

/// The page's big run (`BIG_RUN` in bench/page.mjs), traced: the native timings of its replay
/// and drawing use it.
#[cfg(test)]
pub(crate) fn big_run() -> crate::trace::Trace {
    super::traced_with(
        "performance-patterns",
        &[("items", "10000"), ("batch", "1"), ("workers", "1")],
    )
}

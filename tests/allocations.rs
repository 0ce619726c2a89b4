//! How many heap allocations a task makes, natively: a task is one (its future lives in its
//! cell), and so is a sleeping task, alone or gathered (the sleep's timer and future live in the
//! loop's timer table, whose places are reused, and a gather's callback on a child is no
//! allocation of its own). A queue's wait reuses the future of the one before, so messages
//! passed back and forth through queues make none.
//!
//! One test in this binary, since the count is global: counted over two runs that differ only in
//! the number of tasks, so what a run makes once (the loop, its queues' growth) cancels out.

use std::sync::atomic::Ordering;

use looplab::prelude::*;
use looplab::{Loop, LoopOptions};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{Counting, ALLOCATIONS};

#[global_allocator]
static ALLOC: Counting = Counting;

/// Allocations a run of `main(n)` makes, untraced.
fn allocations<F, M>(main: M, n: u32) -> usize
where
    M: Fn(u32) -> F,
    F: std::future::Future<Output = Result<(), Error>> + 'static,
{
    let options = LoopOptions {
        trace: false,
        ..LoopOptions::default()
    };
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    Loop::new(options).run(main(n)).expect("the run");
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

/// Allocations per task: the difference between runs of 1,000 and 3,000 tasks.
fn per_task<F, M>(main: M) -> f64
where
    M: Fn(u32) -> F,
    F: std::future::Future<Output = Result<(), Error>> + 'static,
{
    let few = allocations(&main, 1000);
    let many = allocations(&main, 3000);
    (many as f64 - few as f64) / 2000.0
}

async fn spawn_join(n: u32) -> Result<(), Error> {
    let tasks: Vec<_> = (0..n).map(|i| spawn(async move { Ok(i) })).collect();
    for t in tasks {
        t.await?;
    }
    Ok(())
}

async fn sleepers(n: u32) -> Result<(), Error> {
    let tasks: Vec<_> = (0..n).map(|i| spawn(sleep(f64::from(i % 7) + 1.0))).collect();
    for t in tasks {
        t.await?;
    }
    Ok(())
}

async fn gathered_sleepers(n: u32) -> Result<(), Error> {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            spawn(async move {
                sleep(f64::from(i % 7) + 1.0).await?;
                Ok(i)
            })
        })
        .collect();
    let results = gather(tasks).await?;
    assert_eq!(results.len(), n as usize);
    Ok(())
}

/// `queue-pingpong`: `n` round trips between two tasks through two unbounded queues.
async fn pingpong(n: u32) -> Result<(), Error> {
    let (ping, pong) = (Queue::<u32>::new(0), Queue::<u32>::new(0));
    let (p2, q2) = (ping.clone(), pong.clone());
    let echo = spawn(async move {
        for _ in 0..n {
            let v = p2.get().await?;
            q2.put_nowait(v + 1)?;
        }
        Ok(())
    });
    for i in 0..n {
        ping.put_nowait(i)?;
        assert_eq!(pong.get().await?, i + 1);
    }
    echo.await
}

#[test]
fn a_task_and_a_sleeping_task_are_one_allocation_and_a_queue_round_trip_none() {
    let task = per_task(spawn_join);
    assert!((0.95..1.05).contains(&task), "a task makes {task:.2} allocations");
    let sleeping = per_task(sleepers);
    assert!(
        (0.95..1.05).contains(&sleeping),
        "a sleeping task makes {sleeping:.2} allocations"
    );
    let gathered = per_task(gathered_sleepers);
    assert!(
        (0.95..1.05).contains(&gathered),
        "a gathered sleeping task makes {gathered:.2} allocations"
    );
    let round_trip = per_task(pingpong);
    assert!(
        round_trip < 0.05,
        "a round trip through two queues makes {round_trip:.2} allocations"
    );
}

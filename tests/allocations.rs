//! How many heap allocations a task makes, natively: a task is one (its future lives in its
//! cell); a sleeping task one more, its timer's entry (which carries the sleep's future).
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

#[test]
fn a_task_is_one_allocation_and_a_sleeping_task_two() {
    let task = per_task(spawn_join);
    assert!((0.95..1.05).contains(&task), "a task makes {task:.2} allocations");
    let sleeping = per_task(sleepers);
    assert!(
        (1.95..2.05).contains(&sleeping),
        "a sleeping task makes {sleeping:.2} allocations"
    );
}

//! semaphore-limit: bounded concurrency.
//!
//! Ten requests of 1 s through a semaphore of 3 run in waves: three start at 0, three at 1,
//! three at 2, the last at 3; all are done at 4 s.

use super::Demo;
use crate::prelude::*;

parameters! {
    /// How many requests, how many at once, and how long each takes.
    pub struct Params {
        requests: count[0..=1000] = 10, "requests to make";
        limit: count[1..=100] = 3, "requests at once";
        duration: seconds[0.0..=60.0] = 1, "one request";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "semaphore-limit",
    title: "Bounded concurrency",
    concept: "A semaphore lets only N tasks in at once, so work proceeds in waves.",
    section: Advanced,
    alternate: Params { requests: 7, limit: 2, duration: 0.5 },
};

async fn request(sem: Semaphore, i: i64, duration: f64) -> Result<i64, Error> {
    let _slot = sem.enter().await?;
    log(format!("request {i} starts"));
    sleep(duration).await?;
    Ok(i)
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let (requests, limit) = (p.requests, p.limit);
    let sem = Semaphore::new(limit as u32);
    let tasks: Vec<_> = (0..requests)
        .map(|i| spawn(request(sem.clone(), i, p.duration)))
        .collect();
    gather(tasks).await?;
    log(format!("{requests} requests through {limit} slots took {:.1} s", now()));
    Ok(())
}

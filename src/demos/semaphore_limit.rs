//! semaphore-limit: bounded concurrency.
//!
//! Ten requests of 1 s through a semaphore of 3 run in waves: three start at 0, three at 1,
//! three at 2, the last at 3; all are done at 4 s.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;

/// How many requests, how many at once, and how long each takes.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "requests",
        help: "requests to make",
        kind: Kind::Count { min: 0, max: 1000 },
        default: "10",
    },
    ParamSpec {
        name: "limit",
        help: "requests at once",
        kind: Kind::Count { min: 1, max: 100 },
        default: "3",
    },
    ParamSpec {
        name: "duration",
        help: "one request",
        kind: Kind::Seconds { min: 0.0, max: 60.0 },
        default: "1",
    },
];

async fn request(sem: Semaphore, i: i64, duration: f64) -> Result<i64, Error> {
    let _slot = sem.enter().await?;
    log(format!("request {i} starts"));
    sleep(duration).await?;
    Ok(i)
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let (requests, limit) = (p.count("requests"), p.count("limit"));
    let sem = Semaphore::new(limit as u32);
    let tasks: Vec<_> = (0..requests)
        .map(|i| spawn(request(sem.clone(), i, p.seconds("duration"))))
        .collect();
    gather(tasks).await?;
    log(format!("{requests} requests through {limit} slots took {:.1} s", now()));
    Ok(())
}

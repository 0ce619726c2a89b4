//! fire-and-forget: background tasks, kept alive by reference, and what happens to the rest.
//!
//! The kept-reference pattern (a set of tasks, each removing itself when done) completes. A task
//! that fails with nobody reading its exception is reported ("Task exception was never
//! retrieved"). A task still pending when the run ends is cancelled by `asyncio.run`'s shutdown;
//! one left on a loop closed without that step is reported as destroyed while pending.

use std::cell::RefCell;
use std::rc::Rc;

use super::Demo;
use crate::prelude::*;
use crate::runtime::RunReport;
use crate::{Loop, LoopOptions};

parameters! {
    /// How many kept jobs, and how long the lingering task would wait.
    pub struct Params {
        jobs: count[0..=50] = 3, "background jobs kept in a set";
        linger: seconds[1.0..=600.0] = 30, "the lingering task's wait";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "fire-and-forget",
    title: "Fire and forget",
    concept: "Background tasks need a kept reference; failures nobody reads and tasks left pending are reported.",
    section: Core,
    alternate: Params { jobs: 5, linger: 2.0 },
    custom: run,
};

async fn job(name: String, seconds: f64, fail: bool) -> Result<(), Error> {
    sleep(seconds).await?;
    if fail {
        log(format!("{name} raises, and nobody will look"));
        return Err(Error::new("ValueError", format!("{name} failed")));
    }
    log(format!("{name} done"));
    Ok(())
}

async fn lingering(seconds: f64) -> Result<(), Error> {
    match sleep(seconds).await {
        Ok(()) => {
            log("lingering task finished");
            Ok(())
        }
        Err(e) => {
            log("lingering task cancelled by asyncio.run's shutdown");
            Err(e)
        }
    }
}

/// The demo's main coroutine (run by `asyncio.run`).
pub async fn main(p: Params) -> Result<(), Error> {
    let jobs = p.jobs;
    // Python's set of tasks, as the tasks' ids: each id is added once, so a list serves (and the
    // page's module carries no B-tree for one demo).
    let background: Rc<RefCell<Vec<u32>>> = Rc::default();
    for i in 0..jobs {
        let task = spawn(job(format!("job-{i}"), 0.5 * (i + 1) as f64, false));
        background.borrow_mut().push(task.id());
        let set = background.clone();
        task.add_done_callback(move |t| {
            set.borrow_mut().retain(|&id| id != t.id());
        });
    }
    log(format!(
        "{} jobs kept in a set; each removes itself when done",
        background.borrow().len()
    ));
    spawn(job("careless".into(), 0.25, true));
    spawn(lingering(p.linger));
    sleep(0.5 * jobs as f64 + 0.1).await?;
    log(format!(
        "main returns with {} jobs left in the set",
        background.borrow().len()
    ));
    Ok(())
}

async fn abandoning() -> Result<(), Error> {
    spawn_named("abandoned", sleep(10.0));
    sleep(0.5).await
}

/// `asyncio.run(main())`, then a second loop driven with `run_until_complete` and closed without
/// asyncio.run's cancellation step. The trace is the first loop's; the transcript has both.
pub fn run(options: LoopOptions, p: Params) -> RunReport<()> {
    let first = Loop::new(options.clone()).run_report(main(p));
    let second = Loop::new(LoopOptions {
        trace: false,
        ..options
    });
    let result = second.run_until_complete(abandoning()).and(second.close());
    let mut transcript = first.transcript;
    transcript.extend(second.transcript());
    RunReport {
        result: first.result.and(result),
        transcript,
        trace: first.trace,
    }
}

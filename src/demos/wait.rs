//! wait: `ALL_COMPLETED`, `FIRST_COMPLETED` and `FIRST_EXCEPTION`.
//!
//! `wait` returns two sets, done and pending, and cancels nothing itself. With `FIRST_COMPLETED`
//! it returns at 0.5 s; the demo then cancels what is pending, and the cancellations show.

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::py_str_list;

parameters! {
    /// The three tasks' durations.
    pub struct Params {
        fast: seconds[0.0..=60.0] = 0.5, "the fast task";
        bad: seconds[0.0..=60.0] = 1, "when the failing task fails";
        slow: seconds[0.0..=60.0] = 2, "the slow task";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "wait",
    title: "wait",
    concept: "wait returns done and pending sets when all, the first, or the first failing task is done.",
    section: Core,
    alternate: Params { fast: 1.5, bad: 0.25, ..Params::DEFAULT },
};

async fn call(name: &'static str, seconds: f64, fail: bool) -> Result<&'static str, Error> {
    if let Err(e) = sleep(seconds).await {
        log(format!("{name} cancelled"));
        return Err(e);
    }
    if fail {
        return Err(Error::runtime(format!("{name} failed")));
    }
    Ok(name)
}

fn sorted_names(tasks: &[Task<&'static str>]) -> Vec<std::rc::Rc<str>> {
    let mut names: Vec<_> = tasks.iter().map(|t| t.name()).collect();
    crate::sort::sort_by(&mut names, |a, b| a.cmp(b));
    names
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    for (mode, label) in [
        (ReturnWhen::AllCompleted, "ALL_COMPLETED"),
        (ReturnWhen::FirstCompleted, "FIRST_COMPLETED"),
        (ReturnWhen::FirstException, "FIRST_EXCEPTION"),
    ] {
        let start = now();
        let tasks = vec![
            spawn_named("fast", call("fast", p.fast, false)),
            spawn_named("bad", call("bad", p.bad, true)),
            spawn_named("slow", call("slow", p.slow, false)),
        ];
        let (done, mut pending) = wait(tasks.clone(), mode, None).await?;
        log(format!(
            "{label} returns after {:.1} s: done={} pending={}",
            now() - start,
            py_str_list(sorted_names(&done)),
            py_str_list(sorted_names(&pending))
        ));
        crate::sort::sort_by_key(&mut pending, |t| t.name());
        for task in &pending {
            task.cancel();
        }
        wait(tasks.clone(), ReturnWhen::AllCompleted, None).await?;
        for task in &tasks {
            if !task.cancelled() {
                task.exception();
            }
        }
    }
    Ok(())
}

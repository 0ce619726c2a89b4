//! wait: `ALL_COMPLETED`, `FIRST_COMPLETED` and `FIRST_EXCEPTION`.
//!
//! `wait` returns two sets, done and pending, and cancels nothing itself. With `FIRST_COMPLETED`
//! it returns at 0.5 s; the demo then cancels what is pending, and the cancellations show.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;
use crate::pyfmt::py_str_list;

/// The three tasks' durations.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "fast",
        help: "the fast task",
        kind: Kind::Seconds { min: 0.0, max: 60.0 },
        default: "0.5",
    },
    ParamSpec {
        name: "bad",
        help: "when the failing task fails",
        kind: Kind::Seconds { min: 0.0, max: 60.0 },
        default: "1",
    },
    ParamSpec {
        name: "slow",
        help: "the slow task",
        kind: Kind::Seconds { min: 0.0, max: 60.0 },
        default: "2",
    },
];

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
    names.sort();
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
            spawn_named("fast", call("fast", p.seconds("fast"), false)),
            spawn_named("bad", call("bad", p.seconds("bad"), true)),
            spawn_named("slow", call("slow", p.seconds("slow"), false)),
        ];
        let (done, mut pending) = wait(tasks.clone(), mode, None).await?;
        log(format!(
            "{label} returns after {:.1} s: done={} pending={}",
            now() - start,
            py_str_list(sorted_names(&done)),
            py_str_list(sorted_names(&pending))
        ));
        pending.sort_by_key(|t| t.name());
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

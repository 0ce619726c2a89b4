//! task-names-and-callbacks: naming tasks and reacting when they finish.
//!
//! Unnamed tasks are `Task-2`, `Task-3`, ...; a name (`llm-call-1`) can be given. A done callback
//! runs one iteration after its task finishes and sees the result, or the exception of a task
//! that failed.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;
use crate::pyfmt::py_repr_str;

/// The base delay and which call fails.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "delay",
        help: "the base delay",
        kind: Kind::Seconds { min: 0.0, max: 30.0 },
        default: "1",
    },
    ParamSpec {
        name: "fails",
        help: "which call fails",
        kind: Kind::Choice(&["none", "fetch", "llm", "search"]),
        default: "search",
    },
];

async fn call(name: &'static str, seconds: f64, fails: &'static str) -> Result<String, Error> {
    sleep(seconds).await?;
    if name == fails {
        return Err(Error::new("ConnectionError", format!("{name} unreachable")));
    }
    Ok(format!("{name} ok"))
}

fn on_done(task: &Task<String>) {
    match task.exception() {
        Some(e) => log(format!("callback: {} failed with {}", task.name(), e.repr())),
        None => {
            let value = task.result().and_then(Result::ok).unwrap_or_default();
            log(format!("callback: {} returned {}", task.name(), py_repr_str(&value)));
        }
    }
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let (delay, fails) = (p.seconds("delay"), p.choice("fails"));
    let fetch = spawn(call("fetch", delay, fails));
    let llm = spawn_named("llm-call-1", call("llm", delay * 2.0, fails));
    let search = spawn(call("search", delay / 2.0, fails));
    log(format!(
        "task names: {}, {}, {}",
        fetch.name(),
        llm.name(),
        search.name()
    ));
    for task in [&fetch, &llm, &search] {
        task.add_done_callback(on_done);
    }
    wait(vec![fetch, llm, search], ReturnWhen::AllCompleted, None).await?;
    log("all three done");
    Ok(())
}

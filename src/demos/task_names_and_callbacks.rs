//! task-names-and-callbacks: naming tasks and reacting when they finish.
//!
//! Unnamed tasks are `Task-2`, `Task-3`, ...; a name (`llm-call-1`) can be given. A done callback
//! runs one iteration after its task finishes and sees the result, or the exception of a task
//! that failed.

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::py_repr_str;

parameters! {
    /// The base delay and which call fails.
    pub struct Params {
        delay: seconds[0.0..=30.0] = 1, "the base delay";
        fails: choice["none", "fetch", "llm", "search"] = "search", "which call fails";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "task-names-and-callbacks",
    title: "Task names and callbacks",
    concept: "Tasks are named Task-N unless named; done callbacks see the result or the exception.",
    section: Core,
    alternate: Params { delay: 0.25, fails: "llm" },
};

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
    let (delay, fails) = (p.delay, p.fails);
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

//! task-group: structured concurrency.
//!
//! The group's block ends only when every child is done. When one child fails, the group cancels
//! its siblings at that moment, waits for them, and raises all the failures together as an
//! exception group, which `except*` splits by type (here `except_star`).

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::py_str_list;

parameters! {
    /// When the two children fail, and how long the slow one would take.
    pub struct Params {
        fail_at: seconds[0.0..=60.0] = 1, "when two children fail";
        slow: seconds[0.0..=600.0] = 3, "the slow child";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "task-group",
    title: "Task groups",
    concept: "A task group waits for all its children, cancels the rest when one fails, and raises an ExceptionGroup.",
    section: Core,
    alternate: Params { fail_at: 2.5, slow: 2.0 },
};

async fn worker(name: &'static str, seconds: f64, error: Option<Error>) -> Result<(), Error> {
    if let Err(e) = sleep(seconds).await {
        log(format!("{name} cancelled"));
        return Err(e);
    }
    if let Some(error) = error {
        log(format!("{name} raises {}", error.repr()));
        return Err(error);
    }
    log(format!("{name} done"));
    Ok(())
}

fn reprs(group: &Error) -> String {
    py_str_list(group.exceptions().iter().map(Error::repr))
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    task_group(|tg| async move {
        tg.spawn(worker("a", 0.5, None))?;
        tg.spawn(worker("b", 1.0, None))?;
        Ok(())
    })
    .await?;
    log("block ended: every child is done");
    let (fail_at, slow) = (p.fail_at, p.slow);
    let outcome = task_group(|tg| async move {
        tg.spawn(worker("parse", fail_at, Some(Error::new("ValueError", "bad input"))))?;
        tg.spawn(worker("fetch", fail_at, Some(Error::new("ConnectionError", "timeout"))))?;
        tg.spawn(worker("slow", slow, None))?;
        Ok(())
    })
    .await;
    except_star(outcome)
        .on(ExceptionClass::ValueError, |eg| {
            log(format!("except* ValueError got {}", reprs(&eg)))
        })
        .on("ConnectionError", |eg| {
            log(format!("except* ConnectionError got {}", reprs(&eg)))
        })
        .reraise()?;
    Ok(())
}

//! gather-vs-taskgroup: who cleans up when one task fails.
//!
//! Two long tasks beside one that fails at once. With `gather`, the long ones keep running until
//! hand-written cleanup cancels them; with a task group they are cancelled automatically, and the
//! group waits for their cancellation (and its cleanup) to finish before raising.

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::py_str_list;

parameters! {
    /// How long the long tasks would run.
    pub struct Params {
        long: seconds[1.0..=600.0] = 10, "the long tasks";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "gather-vs-taskgroup",
    title: "gather vs TaskGroup",
    concept: "When one task fails, gather leaves the others running; a task group cancels them and waits.",
    section: Core,
    alternate: Params { long: 3.0 },
};

async fn long_call(name: &'static str, seconds: f64, cleanup: f64) -> Result<(), Error> {
    match sleep(seconds).await {
        Ok(()) => {
            log(format!("{name} finished"));
            Ok(())
        }
        Err(e) => {
            sleep(cleanup).await?;
            log(format!("{name} cancelled, cleanup took {cleanup} s"));
            Err(e)
        }
    }
}

async fn fails() -> Result<(), Error> {
    Err(Error::runtime("failed at once"))
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let long = p.long;
    log("gather: the siblings keep running until cancelled by hand");
    let tasks = vec![
        spawn(long_call("g1", long, 0.5)),
        spawn(long_call("g2", long, 0.75)),
        spawn(fails()),
    ];
    if let Err(e) = gather(tasks.clone()).await {
        log(format!("gather raised {}; cancelling the rest by hand", e.repr()));
        for task in &tasks {
            task.cancel();
        }
        gather_settled(tasks).await?;
    }
    log(format!("hand-written cleanup done at {:.1}", now()));
    log("TaskGroup: the siblings are cancelled for you, and the group waits for them");
    let outcome = task_group(|tg| async move {
        tg.spawn(long_call("t1", long, 0.5))?;
        tg.spawn(long_call("t2", long, 0.75))?;
        tg.spawn(fails())?;
        Ok(())
    })
    .await;
    except_star(outcome)
        .on(ExceptionClass::RuntimeError, |eg| {
            let reprs = eg.exceptions().iter().map(Error::repr);
            log(format!("the group raised {} at {:.1}", py_str_list(reprs), now()));
        })
        .reraise()?;
    Ok(())
}

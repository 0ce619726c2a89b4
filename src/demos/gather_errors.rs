//! gather-errors: fail-fast versus `return_exceptions`.
//!
//! By default the first error reaches the caller at once, while the other tasks run on as orphans
//! (visible in the timeline after the error). With `return_exceptions=True` the failure takes its
//! place in the result list, at its index.

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::{py_repr_str, py_str_list};

parameters! {
    /// When the broken call fails, and how long the slow one takes.
    pub struct Params {
        fail_at: seconds[0.0..=60.0] = 0.5, "when the broken call fails";
        slow: seconds[0.0..=60.0] = 2, "the slow call";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "gather-errors",
    title: "gather and errors",
    concept: "By default the first error reaches you at once and the rest run on; return_exceptions collects them.",
    section: Core,
    alternate: Params { fail_at: 3.0, slow: 1.0 },
};

async fn call(name: &'static str, seconds: f64, fail: bool) -> Result<&'static str, Error> {
    sleep(seconds).await?;
    if fail {
        log(format!("{name} raises"));
        return Err(Error::new("ValueError", format!("{name} failed")));
    }
    log(format!("{name} finishes"));
    Ok(name)
}

fn tasks(p: &Params) -> Vec<Task<&'static str>> {
    vec![
        spawn(call("slow", p.slow, false)),
        spawn(call("broken", p.fail_at, true)),
        spawn(call("medium", p.slow / 2.0, false)),
    ]
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    log("default: the first error reaches the caller at once");
    let orphans = tasks(&p);
    if let Err(e) = gather(orphans.clone()).await {
        log(format!("caught {}; the others run on as orphans", e.repr()));
    }
    wait(orphans, ReturnWhen::AllCompleted, None).await?;
    log("every orphan finished on its own");
    log("return_exceptions=True: the failure takes its place in the results");
    let results = gather_settled(tasks(&p)).await?;
    let shown: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(v) => py_repr_str(v),
            Err(e) => e.repr(),
        })
        .collect();
    log(format!("results: {}", py_str_list(shown)));
    Ok(())
}

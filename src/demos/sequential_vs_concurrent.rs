//! sequential-vs-concurrent: `await` vs `create_task`.
//!
//! Awaiting a coroutine runs it inside the current task, so A (2 s), B (1 s) and C (1.5 s) take
//! 4.5 s one after another. Spawned as tasks A, B and C they run concurrently: B is done after
//! 1.0 s, C after 1.5 s, A after 2.0 s, and the whole takes 2.0 s.

use super::Demo;
use crate::prelude::*;

parameters! {
    /// The durations of A, B and C.
    pub struct Params {
        a: seconds[0.0..=60.0] = 2, "A's work";
        b: seconds[0.0..=60.0] = 1, "B's work";
        c: seconds[0.0..=60.0] = 1.5, "C's work";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "sequential-vs-concurrent",
    title: "Sequential vs concurrent",
    concept: "Awaiting a coroutine runs it in the current task; create_task runs it beside the others.",
    section: Core,
    alternate: Params { a: 0.5, c: 3.0, ..Params::DEFAULT },
};

async fn work(name: &'static str, seconds: f64) -> Result<&'static str, Error> {
    log(format!("{name}: start, needs {seconds:.1} s"));
    sleep(seconds).await?;
    log(format!("{name}: done"));
    Ok(name)
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let (a, b, c) = (p.a, p.b, p.c);
    log("sequential: await each in turn");
    let start = now();
    work("A", a).await?;
    work("B", b).await?;
    work("C", c).await?;
    log(format!("sequential total {:.1} s", now() - start));

    log("concurrent: create_task for each, then await them");
    let start = now();
    let a = spawn_named("A", work("A", a));
    let b = spawn_named("B", work("B", b));
    let c = spawn_named("C", work("C", c));
    for task in [a, b, c] {
        task.await?;
    }
    log(format!("concurrent total {:.1} s", now() - start));
    Ok(())
}

//! sequential-vs-concurrent: `await` vs `create_task`.
//!
//! Awaiting a coroutine runs it inside the current task, so A (2 s), B (1 s) and C (1.5 s) take
//! 4.5 s one after another. Spawned as tasks A, B and C they run concurrently: B is done after
//! 1.0 s, C after 1.5 s, A after 2.0 s, and the whole takes 2.0 s.

use crate::prelude::*;

async fn work(name: &'static str, seconds: f64) -> Result<&'static str, Error> {
    log(format!("{name}: start, needs {seconds:.1} s"));
    sleep(seconds).await?;
    log(format!("{name}: done"));
    Ok(name)
}

/// The demo's main coroutine.
pub async fn main() -> Result<(), Error> {
    log("sequential: await each in turn");
    let start = now();
    work("A", 2.0).await?;
    work("B", 1.0).await?;
    work("C", 1.5).await?;
    log(format!("sequential total {:.1} s", now() - start));

    log("concurrent: create_task for each, then await them");
    let start = now();
    let a = spawn_named("A", work("A", 2.0));
    let b = spawn_named("B", work("B", 1.0));
    let c = spawn_named("C", work("C", 1.5));
    for task in [a, b, c] {
        task.await?;
    }
    log(format!("concurrent total {:.1} s", now() - start));
    Ok(())
}

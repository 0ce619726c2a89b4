//! debugging: seeing inside a running program.
//!
//! A dump of every task with its state and what it awaits (the analog of `python -m asyncio ps`),
//! the await graph (`asyncio pstree`), and debug mode's warnings: a coroutine never awaited and a
//! step slower than 0.1 s.

use super::Demo;
use crate::prelude::*;
use crate::runtime::coroutine;
use crate::runtime::debug::{await_graph, task_dump};

parameters! {
    /// How long the slow step takes.
    pub struct Params {
        block: seconds[0.0..=5.0] = 0.2, "the slow step";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "debugging",
    title: "Debugging",
    concept: "A task dump, the await graph, and debug mode's warnings show what a program is doing.",
    section: Advanced,
    alternate: Params { block: 0.5 },
    debug: true,
};

async fn fetch(_url: &'static str) -> Result<(), Error> {
    sleep(5.0).await
}

async fn crawler() -> Result<(), Error> {
    gather(vec![
        spawn_named("fetch-a", fetch("a")),
        spawn_named("fetch-b", fetch("b")),
    ])
    .await?;
    Ok(())
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let crawl = spawn_named("crawler", crawler());
    spawn_named("reporter", crawl.clone());
    sleep(1.0).await?;
    log("task dump (asyncio ps):");
    for line in task_dump() {
        log(format!("  {line}"));
    }
    log("await graph (asyncio pstree):");
    for line in await_graph() {
        log(format!("  {line}"));
    }
    drop(coroutine("fetch", fetch("forgotten")));
    log("a slow step, reported by debug mode:");
    block_for(p.block);
    sleep(0.0).await?;
    crawl.cancel();
    Ok(())
}

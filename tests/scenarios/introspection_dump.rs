//! current_task, all_tasks, a dump of every task's state, and the await graph.
use looplab::prelude::*;
use looplab::runtime::debug::{await_graph, task_dump};

async fn leaf(seconds: f64) -> Result<(), Error> {
    sleep(seconds).await
}

async fn middle() -> Result<(), Error> {
    gather(vec![spawn_named("leaf-a", leaf(5.0)), spawn_named("leaf-b", leaf(5.0))]).await?;
    Ok(())
}

async fn waits_on(task: Task<()>) -> Result<(), Error> {
    task.await
}

async fn newcomer() -> Result<(), Error> {
    log("newcomer runs");
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let mid = spawn_named("middle", middle());
    spawn_named("watcher", waits_on(mid));
    sleep(1.0).await?;
    spawn_named("newcomer", newcomer());
    let me = current_task().map(|t| t.name().to_string()).unwrap_or_default();
    log(format!("current task: {me}, {} tasks", all_tasks().len()));
    for line in task_dump() {
        log(format!("ps  {line}"));
    }
    for line in await_graph() {
        log(format!("tree {line}"));
    }
    Ok(())
}

//! Looking inside a running loop: the task dump (the analog of `python -m asyncio ps`) and the
//! await graph (`asyncio pstree`, `asyncio.capture_call_graph`), from the running task.
//!
//! Tasks are listed `Task-1`, `Task-2`, ... by number, then named ones by name; each with its
//! state: `running`, `ready` (its step is scheduled), or `awaiting ...` what it waits on
//! (`Task X`, `gather(...)`, `a future`).

use super::event_loop::{current_loop, LoopCore};
use super::task::TaskPtr;
use crate::trace::TaskId;

fn order(name: &str) -> (u8, u64, String) {
    match name.strip_prefix("Task-").and_then(|n| n.parse::<u64>().ok()) {
        Some(n) => (0, n, String::new()),
        None => (1, 0, name.to_string()),
    }
}

fn tasks(lp: &LoopCore) -> Vec<TaskPtr> {
    let mut tasks = lp.all_tasks();
    crate::sort::sort_by_key(&mut tasks, |t| order(&t.header().name()));
    tasks
}

fn state(lp: &LoopCore, task: &TaskPtr) -> String {
    let header = task.header();
    if lp.current_task_id() == Some(header.id) {
        return "running".into();
    }
    match header.fut_waiter_description() {
        Some(what) => format!("awaiting {what}"),
        None if header.is_parked() => "awaiting a Rust future".into(),
        // Its step is scheduled (or, the parent of an eager task, it is running under it).
        None => "ready".into(),
    }
}

/// One line per pending task: `name: state`.
pub fn task_dump() -> Vec<String> {
    let Some(lp) = current_loop() else { return Vec::new() };
    tasks(&lp)
        .iter()
        .map(|t| format!("{}: {}", t.header().name(), state(&lp, t)))
        .collect()
}

/// Who awaits whom: each task not awaited by another, then (indented) the tasks it awaits.
pub fn await_graph() -> Vec<String> {
    let Some(lp) = current_loop() else { return Vec::new() };
    let tasks = tasks(&lp);
    let awaited: Vec<TaskId> = tasks.iter().flat_map(|t| t.header().awaited_tasks()).collect();
    let mut lines = Vec::new();
    fn walk(lp: &LoopCore, tasks: &[TaskPtr], task: &TaskPtr, depth: usize, lines: &mut Vec<String>) {
        lines.push(format!(
            "{}{} [{}]",
            "  ".repeat(depth),
            task.header().name(),
            state(lp, task)
        ));
        if depth > tasks.len() {
            return;
        }
        for id in task.header().awaited_tasks() {
            if let Some(child) = tasks.iter().find(|t| t.header().id == id) {
                walk(lp, tasks, child, depth + 1, lines);
            }
        }
    }
    for task in &tasks {
        if !awaited.contains(&task.header().id) {
            walk(&lp, &tasks, task, 0, &mut lines);
        }
    }
    lines
}

//! The trace as a Chrome trace-event file, which Perfetto and `chrome://tracing` open.
//!
//! - one track per task (a thread named as the task), plus track 0 for the loop's own callbacks
//!   (timers firing) and clock jumps;
//! - each step is a slice (`B`/`E`), each wake-up a flow arrow (`s` on the waker's slice, `f`
//!   bound to the woken task's next step), log lines and warnings are instant events (`i`).
//!
//! Virtual time has no duration inside an iteration, so the timestamps spread iterations out:
//! an event of iteration `n` at loop time `t` is drawn at `t` seconds plus `2n` microseconds, and
//! a step lasts one microsecond. Demos wait in whole milliseconds and more, so the spread never
//! reorders anything visible.

use serde_json::{json, Value};

use super::{EventKind, Outcome, Trace, Waker};

fn tid(task: Option<u32>) -> u64 {
    task.map_or(0, |t| u64::from(t) + 1)
}

/// The Chrome trace-event JSON of `trace`.
pub fn chrome_trace(trace: &Trace) -> String {
    let mut events: Vec<Value> = Vec::new();
    events.push(json!({"ph": "M", "pid": 1, "tid": 0, "name": "process_name", "args": {"name": "looplab"}}));
    events.push(json!({"ph": "M", "pid": 1, "tid": 0, "name": "thread_name", "args": {"name": "event loop"}}));
    for task in trace.tasks() {
        events.push(
            json!({"ph": "M", "pid": 1, "tid": tid(Some(task.id)), "name": "thread_name", "args": {"name": task.name}}),
        );
        events.push(json!({"ph": "M", "pid": 1, "tid": tid(Some(task.id)), "name": "thread_sort_index", "args": {"sort_index": task.id + 1}}));
    }

    let mut timed: Vec<(f64, Value)> = Vec::new();
    // The flow waiting to be bound to each task's next step.
    let mut pending_flow: Vec<Option<u64>> = vec![None; trace.tasks().len()];
    let mut next_flow: u64 = 1;
    // Track 0 has a slice only while a timer callback runs.
    let mut timer_slice_at: Option<f64> = None;
    let mut names: Vec<String> = Vec::new();

    for event in &trace.events {
        let ts = event.time * 1e6 + 2.0 * event.iteration as f64;
        let task = event.task;
        let t = tid(task);
        let mut push = |ts: f64, v: Value| timed.push((ts, v));
        match &event.kind {
            EventKind::Spawned { name, .. } => {
                names.push(name.to_string());
                push(
                    ts,
                    json!({"ph": "i", "s": "t", "pid": 1, "tid": t, "ts": ts, "name": format!("created {name}"), "cat": "task"}),
                );
            }
            EventKind::Renamed { name } => {
                push(
                    ts,
                    json!({"ph": "i", "s": "t", "pid": 1, "tid": t, "ts": ts, "name": format!("renamed {name}"), "cat": "task"}),
                );
            }
            EventKind::StepBegin => {
                push(
                    ts,
                    json!({"ph": "B", "pid": 1, "tid": t, "ts": ts, "name": "step", "cat": "step", "args": {"iteration": event.iteration}}),
                );
                if let Some(id) = task
                    .and_then(|i| pending_flow.get_mut(i as usize))
                    .and_then(Option::take)
                {
                    push(
                        ts,
                        json!({"ph": "f", "bp": "e", "pid": 1, "tid": t, "ts": ts, "id": id, "name": "wake", "cat": "wake"}),
                    );
                }
            }
            EventKind::StepEnd { .. } => {
                push(ts + 1.0, json!({"ph": "E", "pid": 1, "tid": t, "ts": ts + 1.0}));
            }
            EventKind::Scheduled { by } => {
                let (from, inside) = match by {
                    Waker::Task(w) => (tid(Some(*w)), true),
                    Waker::Timer(_) => (0, timer_slice_at.is_some()),
                    Waker::Loop | Waker::External => (0, false),
                };
                if inside {
                    if let Some(slot) = task.and_then(|i| pending_flow.get_mut(i as usize)) {
                        let id = next_flow;
                        next_flow += 1;
                        *slot = Some(id);
                        push(
                            ts,
                            json!({"ph": "s", "pid": 1, "tid": from, "ts": ts, "id": id, "name": "wake", "cat": "wake"}),
                        );
                    }
                }
            }
            EventKind::Exited { outcome } => {
                let what = match outcome {
                    Outcome::Returned => "returned".to_string(),
                    Outcome::Failed { error } => format!("failed: {error}"),
                    Outcome::Cancelled => "cancelled".to_string(),
                };
                push(
                    ts,
                    json!({"ph": "i", "s": "t", "pid": 1, "tid": t, "ts": ts, "name": what, "cat": "task"}),
                );
            }
            EventKind::TimerSet { timer, deadline, .. } => {
                push(
                    ts,
                    json!({"ph": "i", "s": "t", "pid": 1, "tid": t, "ts": ts, "name": format!("timer {timer} set for {deadline:.3} s"), "cat": "timer"}),
                );
            }
            EventKind::TimerFired { timer } => {
                if let Some(open) = timer_slice_at.take() {
                    push(open + 1.0, json!({"ph": "E", "pid": 1, "tid": 0, "ts": open + 1.0}));
                }
                push(
                    ts,
                    json!({"ph": "B", "pid": 1, "tid": 0, "ts": ts, "name": format!("timer {timer}"), "cat": "timer"}),
                );
                timer_slice_at = Some(ts);
            }
            EventKind::TimerCancelled { timer } => {
                push(
                    ts,
                    json!({"ph": "i", "s": "t", "pid": 1, "tid": t, "ts": ts, "name": format!("timer {timer} cancelled"), "cat": "timer"}),
                );
            }
            EventKind::ClockAdvanced { from } => {
                push(
                    ts,
                    json!({"ph": "i", "s": "g", "pid": 1, "tid": 0, "ts": ts, "name": format!("clock {from:.3} s -> {:.3} s", event.time), "cat": "clock"}),
                );
            }
            EventKind::CancelRequested { .. } => {
                push(
                    ts,
                    json!({"ph": "i", "s": "t", "pid": 1, "tid": t, "ts": ts, "name": "cancel requested", "cat": "cancel"}),
                );
            }
            EventKind::Warning { text } | EventKind::Log { text, .. } => {
                let cat = if matches!(event.kind, EventKind::Warning { .. }) {
                    "warning"
                } else {
                    "log"
                };
                push(
                    ts,
                    json!({"ph": "i", "s": "t", "pid": 1, "tid": t, "ts": ts, "name": text, "cat": cat}),
                );
            }
        }
        // A timer's slice lasts while its callback runs: it ends when a step begins (the next
        // handle), or the clock moves.
        if matches!(event.kind, EventKind::StepBegin | EventKind::ClockAdvanced { .. }) {
            if let Some(open) = timer_slice_at.take() {
                timed.push((open + 1.0, json!({"ph": "E", "pid": 1, "tid": 0, "ts": open + 1.0})));
            }
        }
    }
    if let Some(open) = timer_slice_at.take() {
        timed.push((open + 1.0, json!({"ph": "E", "pid": 1, "tid": 0, "ts": open + 1.0})));
    }
    // Stable: events at one timestamp keep the order they happened in.
    timed.sort_by(|a, b| a.0.total_cmp(&b.0));
    events.extend(timed.into_iter().map(|(_, v)| v));
    let document =
        json!({"traceEvents": events, "displayTimeUnit": "ms", "otherData": {"version": super::TRACE_VERSION}});
    serde_json::to_string(&document).unwrap_or_default()
}

//! Playback: the state of the run at any moment (an event index), rebuilt from the trace, for
//! the page's panels: the ready queue, the pending timers, each task's state and what it awaits,
//! and how much of the transcript has been printed.

use crate::trace::{EventKind, Outcome, Trace};

/// A task's state at a moment.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskState {
    /// Its step is on the ready queue.
    Ready,
    /// Its step is running now.
    Running,
    /// Suspended; on what, when known.
    Waiting(Option<String>),
    /// Finished.
    Done(Outcome),
}

impl TaskState {
    /// A short description: `ready`, `running`, `awaiting Task X`, `returned`, ...
    pub fn describe(&self) -> String {
        match self {
            TaskState::Ready => "ready".into(),
            TaskState::Running => "running".into(),
            TaskState::Waiting(Some(what)) => format!("awaiting {what}"),
            TaskState::Waiting(None) => "waiting".into(),
            TaskState::Done(Outcome::Returned) => "returned".into(),
            TaskState::Done(Outcome::Failed { error }) => format!("failed: {error}"),
            TaskState::Done(Outcome::Cancelled) => "cancelled".into(),
        }
    }
}

/// A pending timer.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingTimer {
    /// Its number.
    pub timer: u64,
    /// When it is due.
    pub deadline: f64,
    /// The task that set it (by name), if any.
    pub owner: Option<String>,
}

/// The run's state right after the event at `event`.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The moment.
    pub event: usize,
    /// Its loop time.
    pub time: f64,
    /// Its iteration.
    pub iteration: u64,
    /// Task names on the ready queue, in order.
    pub ready: Vec<String>,
    /// Timers set and not yet fired or cancelled, by deadline.
    pub timers: Vec<PendingTimer>,
    /// Every task created so far: name and state.
    pub tasks: Vec<(String, TaskState)>,
    /// How many transcript lines have been printed.
    pub lines: usize,
    /// What happened at this event, in words.
    pub happened: String,
}

/// The snapshot after `event` (clamped to the trace).
pub fn snapshot(trace: &Trace, event: usize) -> Snapshot {
    let last = event.min(trace.events.len().saturating_sub(1));
    let mut names: Vec<String> = Vec::new();
    let mut states: Vec<TaskState> = Vec::new();
    let mut ready: Vec<u32> = Vec::new();
    let mut timers: Vec<PendingTimer> = Vec::new();
    let mut lines = 0;
    for e in trace.events.iter().take(last + 1) {
        let id = e.task.map(|t| t as usize);
        match &e.kind {
            EventKind::Spawned { name, .. } => {
                names.push(name.to_string());
                states.push(TaskState::Waiting(None));
            }
            EventKind::Renamed { name } => {
                if let Some(slot) = id.and_then(|i| names.get_mut(i)) {
                    *slot = name.to_string();
                }
            }
            EventKind::Scheduled { .. } => {
                if let Some(i) = id {
                    ready.push(i as u32);
                    if let Some(s) = states.get_mut(i) {
                        *s = TaskState::Ready;
                    }
                }
            }
            EventKind::StepBegin => {
                if let Some(i) = id {
                    ready.retain(|r| *r as usize != i);
                    if let Some(s) = states.get_mut(i) {
                        *s = TaskState::Running;
                    }
                }
            }
            EventKind::StepEnd { awaiting } => {
                if let Some(s) = id.and_then(|i| states.get_mut(i)) {
                    if *s == TaskState::Running {
                        *s = TaskState::Waiting(awaiting.as_ref().map(|a| trace.describe_awaiting(a)));
                    }
                }
            }
            EventKind::Exited { outcome } => {
                if let Some(s) = id.and_then(|i| states.get_mut(i)) {
                    *s = TaskState::Done(outcome.clone());
                }
            }
            EventKind::TimerSet { timer, deadline, .. } => timers.push(PendingTimer {
                timer: *timer,
                deadline: *deadline,
                owner: id.and_then(|i| names.get(i).cloned()),
            }),
            EventKind::TimerFired { timer } | EventKind::TimerCancelled { timer } => {
                timers.retain(|t| t.timer != *timer)
            }
            EventKind::Log { .. } | EventKind::Warning { .. } => lines += 1,
            EventKind::ClockAdvanced { .. } | EventKind::CancelRequested { .. } => {}
        }
    }
    // A step that is running at the moment is still running; one begun and ended is waiting.
    timers.sort_by(|a, b| a.deadline.total_cmp(&b.deadline));
    let (time, iteration, happened) = match trace.events.get(last) {
        Some(e) => (e.time, e.iteration, describe(trace, last)),
        None => (0.0, 0, "nothing yet".into()),
    };
    Snapshot {
        event: last,
        time,
        iteration,
        ready: ready.iter().filter_map(|i| names.get(*i as usize).cloned()).collect(),
        timers,
        tasks: names.into_iter().zip(states).collect(),
        lines,
        happened,
    }
}

/// The event at `index`, in words.
pub fn describe(trace: &Trace, index: usize) -> String {
    let Some(e) = trace.events.get(index) else {
        return String::new();
    };
    let name = e
        .task
        .and_then(|t| trace.task(t))
        .map_or("the loop".to_string(), |t| t.name.to_string());
    match &e.kind {
        EventKind::Spawned { name, .. } => format!("{name} is created"),
        EventKind::Renamed { name: new } => format!("{name} is renamed {new}"),
        EventKind::Scheduled { .. } => format!("{name} is put on the ready queue"),
        EventKind::StepBegin => format!("{name} runs a step"),
        EventKind::StepEnd { awaiting: Some(what) } => {
            format!("{name} suspends, awaiting {}", trace.describe_awaiting(what))
        }
        EventKind::StepEnd { awaiting: None } => format!("{name}'s step ends"),
        EventKind::Exited { outcome } => match outcome {
            Outcome::Returned => format!("{name} returns"),
            Outcome::Failed { error } => format!("{name} fails with {error}"),
            Outcome::Cancelled => format!("{name} ends cancelled"),
        },
        EventKind::TimerSet { timer, deadline, .. } => format!("{name} sets timer {timer} for {deadline:.3} s"),
        EventKind::TimerFired { timer } => format!("timer {timer} fires"),
        EventKind::TimerCancelled { timer } => format!("timer {timer} is cancelled"),
        EventKind::ClockAdvanced { from } => format!("the clock jumps from {from:.3} s to {:.3} s", e.time),
        EventKind::CancelRequested { .. } => format!("cancel() is requested for {name}"),
        EventKind::Warning { text } => format!("warning: {text}"),
        EventKind::Log { text, .. } => format!("{name} logs \u{201c}{text}\u{201d}"),
    }
}

/// The moment for loop time `t`: the last event at or before it (0 if none).
pub fn event_at_time(trace: &Trace, t: f64) -> usize {
    trace.events.partition_point(|e| e.time <= t + 1e-9).saturating_sub(1)
}

/// The first event of the iteration after `event`'s (or the last event).
pub fn next_iteration(trace: &Trace, event: usize) -> usize {
    let Some(current) = trace.events.get(event).map(|e| e.iteration) else {
        return 0;
    };
    trace
        .events
        .iter()
        .position(|e| e.iteration > current)
        .unwrap_or(trace.events.len().saturating_sub(1))
}

/// The first event of the iteration before `event`'s.
pub fn previous_iteration(trace: &Trace, event: usize) -> usize {
    let Some(current) = trace.events.get(event).map(|e| e.iteration) else {
        return 0;
    };
    let target = current.saturating_sub(1);
    trace.events.iter().position(|e| e.iteration >= target).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos;

    fn trace(id: &str) -> Trace {
        demos::find(id).unwrap().run_traced().trace.unwrap()
    }

    #[test]
    fn at_the_start_only_the_main_task_exists_and_is_ready() {
        let t = trace("sequential-vs-concurrent");
        let s = snapshot(&t, 1);
        assert_eq!(s.tasks, [("Task-1".to_string(), TaskState::Ready)]);
        assert_eq!(s.ready, ["Task-1"]);
        assert!(s.timers.is_empty());
    }

    #[test]
    fn mid_run_the_panels_show_ready_tasks_timers_and_what_each_awaits() {
        let t = trace("sequential-vs-concurrent");
        // Just after the concurrent part created A, B and C and main awaits A.
        let i = t
            .events
            .iter()
            .position(
                |e| matches!(&e.kind, EventKind::StepEnd { awaiting: Some(w) } if t.describe_awaiting(w) == "Task A"),
            )
            .unwrap();
        let s = snapshot(&t, i);
        assert_eq!(s.time, 4.5);
        assert_eq!(s.ready, ["A", "B", "C"]);
        assert_eq!(
            s.tasks[0],
            ("Task-1".to_string(), TaskState::Waiting(Some("Task A".into())))
        );
        // Once A, B and C have run their first steps, three timers are pending, soonest first.
        let later = t
            .events
            .iter()
            .position(|e| e.iteration > t.events.get(i).unwrap().iteration + 1)
            .unwrap();
        let s = snapshot(&t, later);
        let deadlines: Vec<f64> = s.timers.iter().map(|x| x.deadline).collect();
        assert_eq!(deadlines, [5.5, 6.0, 6.5]);
        assert_eq!(s.timers[0].owner.as_deref(), Some("B"));
        assert!(s
            .tasks
            .iter()
            .any(|(n, st)| n == "B" && *st == TaskState::Waiting(Some("a future".into()))));
    }

    #[test]
    fn at_the_end_every_task_is_done_and_every_line_printed() {
        let t = trace("mental-model");
        let s = snapshot(&t, usize::MAX);
        assert!(s.tasks.iter().all(|(_, st)| *st == TaskState::Done(Outcome::Returned)));
        assert_eq!(s.lines, t.transcript().len());
        assert_eq!(s.time, 5.5);
    }

    #[test]
    fn moments_can_be_found_by_time_and_by_iteration() {
        let t = trace("mental-model");
        let i = event_at_time(&t, 2.0);
        assert_eq!(t.events.time_of(i), Some(2.0));
        assert!(t.events.get(i + 1).is_none_or(|e| e.time > 2.0));
        let next = next_iteration(&t, i);
        assert_eq!(t.events.iteration_of(next), t.events.iteration_of(i).map(|n| n + 1));
        let back = previous_iteration(&t, next);
        assert!(t.events.iteration_of(back) < t.events.iteration_of(next));
        assert!(describe(&t, 0).ends_with("is created"));
    }
}

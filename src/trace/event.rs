//! What the trace records: one event per scheduling decision, named after trio's instrument hooks.

use serde::{Deserialize, Serialize};

/// A task's number in a trace: 0 for the first task spawned in the run, 1 for the next, and so on.
pub type TaskId = u32;

/// One thing the scheduler did, stamped with the loop iteration, the loop's time and the task it
/// concerns (the task that ran, was woken, or was current when it happened; none for the loop's
/// own callbacks).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The loop iteration (asyncio's `_run_once` call) it happened in, counting from 1.
    pub iteration: u64,
    /// `loop.time()` when it happened, in seconds.
    pub time: f64,
    /// The task it concerns.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub task: Option<TaskId>,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// `create_task`: the task exists and its first step is scheduled for the next iteration.
    Spawned {
        /// Its name (`Task-N` by default).
        name: String,
        /// The task that was running when it was created, if any.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        parent: Option<TaskId>,
    },
    /// The task's name changed (`set_name`).
    Renamed {
        /// The new name.
        name: String,
    },
    /// The task was put on the ready queue (woken).
    Scheduled {
        /// Who woke it.
        by: Waker,
    },
    /// A step of the task begins: its future is polled.
    StepBegin,
    /// The step ends: the task suspended (on what it now awaits), or finished.
    StepEnd {
        /// What the task waits on after this step, if it suspended on a looplab awaitable.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        awaiting: Option<Awaiting>,
    },
    /// The task finished, with its outcome.
    Exited {
        /// How it ended.
        outcome: Outcome,
    },
    /// A timer was set (`call_later`, `call_at`, or a sleep).
    TimerSet {
        /// The timer's number in this run.
        timer: u64,
        /// When it is due, in loop time.
        deadline: f64,
        /// The source line that set it: an index into [`Trace::sources`](super::Trace::sources).
        #[serde(skip_serializing_if = "Option::is_none", default)]
        at: Option<u32>,
    },
    /// A timer came due and its callback ran.
    TimerFired {
        /// The timer's number.
        timer: u64,
    },
    /// A timer was cancelled before it fired.
    TimerCancelled {
        /// The timer's number.
        timer: u64,
    },
    /// The clock moved forward because nothing was ready (virtual jump or real wait).
    ClockAdvanced {
        /// The time before.
        from: f64,
    },
    /// `cancel()` was called on the task.
    CancelRequested {
        /// The task that asked, if any.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        by: Option<TaskId>,
    },
    /// A warning asyncio would log, with CPython's text.
    Warning {
        /// The warning's text.
        text: String,
    },
    /// A line the program logged: one line of the transcript.
    Log {
        /// The message.
        text: String,
        /// The source line that logged it: an index into [`Trace::sources`](super::Trace::sources).
        #[serde(skip_serializing_if = "Option::is_none", default)]
        at: Option<u32>,
    },
}

/// What a suspended task waits on (asyncio's `_fut_waiter`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "tasks", rename_all = "snake_case")]
pub enum Awaiting {
    /// A low-level future (a sleep, a lock, a queue...).
    Future,
    /// Another task.
    Task(TaskId),
    /// A gather of these children (tasks by id; `None` for a plain future).
    Gather(Vec<Option<TaskId>>),
}

impl Awaiting {
    /// In words, naming tasks with `name`: `a future`, `Task A`, `gather(Task A, a future)`.
    pub fn describe(&self, name: impl Fn(TaskId) -> String) -> String {
        let task = |t: &TaskId| format!("Task {}", name(*t));
        match self {
            Awaiting::Future => "a future".into(),
            Awaiting::Task(t) => task(t),
            Awaiting::Gather(children) => {
                let parts: Vec<String> = children
                    .iter()
                    .map(|c| c.as_ref().map_or_else(|| "a future".to_string(), task))
                    .collect();
                format!("gather({})", parts.join(", "))
            }
        }
    }
}

/// Who put a task on the ready queue.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Waker {
    /// Another task (or the task itself, as `sleep(0)` does).
    Task(TaskId),
    /// A timer's callback.
    Timer(u64),
    /// A callback run by the loop outside any task (`call_soon`), or the loop itself.
    Loop,
    /// Something outside the loop (a foreign waker, another thread, the host).
    External,
}

/// How a task ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// It returned a value.
    Returned,
    /// It raised: the exception as `repr` shows it.
    Failed {
        /// `repr(exc)`, such as `ValueError('boom')`.
        error: String,
    },
    /// It was cancelled.
    Cancelled,
}

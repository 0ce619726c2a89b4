//! What the trace records: one event per scheduling decision, named after trio's instrument hooks.

use std::fmt;
use std::rc::Rc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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
        name: TaskName,
        /// The task that was running when it was created, if any.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        parent: Option<TaskId>,
    },
    /// The task's name changed (`set_name`).
    Renamed {
        /// The new name.
        name: TaskName,
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

/// A task's name: the one it was given, or `Task-N` from its number, written out only when
/// shown (so that recording a spawn costs no text). In JSON it is the name as a string; names
/// compare by their text.
#[derive(Clone, Debug)]
pub enum TaskName {
    /// `Task-N`.
    Numbered(u64),
    /// A name given by the program.
    Given(Rc<str>),
}

impl fmt::Display for TaskName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskName::Numbered(n) if f.width().is_none() => write!(f, "Task-{n}"),
            TaskName::Numbered(n) => f.pad(&format!("Task-{n}")),
            TaskName::Given(name) => f.pad(name),
        }
    }
}

impl PartialEq for TaskName {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (TaskName::Numbered(a), TaskName::Numbered(b)) => a == b,
            (TaskName::Given(a), TaskName::Given(b)) => a == b,
            (TaskName::Numbered(_), TaskName::Given(given)) => self == &**given,
            (TaskName::Given(given), TaskName::Numbered(_)) => other == &**given,
        }
    }
}

impl PartialEq<str> for TaskName {
    fn eq(&self, other: &str) -> bool {
        match self {
            TaskName::Given(name) => &**name == other,
            TaskName::Numbered(n) => other.strip_prefix("Task-").is_some_and(|digits| {
                let canonical =
                    digits.bytes().all(|b| b.is_ascii_digit()) && (digits == "0" || !digits.starts_with('0'));
                canonical && digits.parse() == Ok(*n)
            }),
        }
    }
}

impl From<&str> for TaskName {
    fn from(name: &str) -> Self {
        TaskName::Given(name.into())
    }
}

impl From<String> for TaskName {
    fn from(name: String) -> Self {
        TaskName::Given(name.into())
    }
}

impl Serialize for TaskName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TaskName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(TaskName::from)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_name_is_written_out_only_when_shown_and_compares_by_its_text() {
        let numbered = TaskName::Numbered(3);
        assert_eq!(numbered.to_string(), "Task-3");
        assert_eq!(format!("[{numbered:<8}]"), "[Task-3  ]");
        assert_eq!(numbered, TaskName::from("Task-3"));
        assert_ne!(numbered, TaskName::Numbered(4));
        assert!(numbered == *"Task-3");
        assert!(numbered != *"Task-03" && numbered != *"Task-+3" && numbered != *"Task-");
        let json = serde_json::to_string(&numbered).unwrap();
        assert_eq!(json, "\"Task-3\"");
        let back: TaskName = serde_json::from_str(&json).unwrap();
        assert_eq!(back, numbered);
    }
}

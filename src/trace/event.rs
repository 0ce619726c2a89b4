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
///
/// In JSON: `{"kind": "future", "on": "queue.get()"}` (`on` left out for a plain future),
/// `{"kind": "task", "tasks": 3}`, `{"kind": "gather", "tasks": [1, null, 2]}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "AwaitingJson", try_from = "AwaitingJson")]
pub enum Awaiting {
    /// A low-level future, with the asyncio call that made it for the task to wait on (a sleep,
    /// `queue.get()`, `lock.acquire()`, ...), or [`FutureLabel::Plain`] for one the program made.
    Future(FutureLabel),
    /// Another task.
    Task(TaskId),
    /// A gather of these children (tasks by id; `None` for a plain future).
    Gather(Vec<Option<TaskId>>),
}

impl Awaiting {
    /// In words, naming tasks with `name`: `a future`, `queue.get()`, `Task A`,
    /// `gather(Task A, a future)`.
    pub fn describe(&self, name: impl Fn(TaskId) -> String) -> String {
        let task = |t: &TaskId| format!("Task {}", name(*t));
        match self {
            Awaiting::Future(label) => label.to_string(),
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

/// Which asyncio call made the low-level future a task waits on, so that a view can say what
/// the task awaits (`queue.get()`) where asyncio itself only knows "a future". Set when the
/// future is made (a constant, no text), recorded in the `StepEnd` event's payload; spelled as
/// asyncio spells the call ([`FutureLabel::as_str`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum FutureLabel {
    /// A future the program made itself (`loop.create_future()`), or one nothing names.
    #[default]
    #[serde(rename = "future")]
    Plain,
    /// `asyncio.sleep(delay)`: the view finds the delay in the timer set beside it.
    #[serde(rename = "sleep()")]
    Sleep,
    /// `Queue.get()` on an empty queue.
    #[serde(rename = "queue.get()")]
    QueueGet,
    /// `Queue.put(item)` on a full queue.
    #[serde(rename = "queue.put()")]
    QueuePut,
    /// `Queue.join()` with items not yet marked done.
    #[serde(rename = "queue.join()")]
    QueueJoin,
    /// `Lock.acquire()` (and `async with lock`, and a condition's lock) on a held lock.
    #[serde(rename = "lock.acquire()")]
    LockAcquire,
    /// `Event.wait()` on an event not set.
    #[serde(rename = "event.wait()")]
    EventWait,
    /// `Condition.wait()` (and `wait_for(predicate)`), until a `notify()`.
    #[serde(rename = "condition.wait()")]
    ConditionWait,
    /// `Semaphore.acquire()` (and `async with semaphore`) with no slot free.
    #[serde(rename = "semaphore.acquire()")]
    SemaphoreAcquire,
    /// `asyncio.wait(aws)`.
    #[serde(rename = "wait()")]
    Wait,
    /// One `await` of what `asyncio.as_completed(aws)` yields.
    #[serde(rename = "as_completed()")]
    AsCompleted,
    /// `asyncio.wait_for(aw, timeout)` (and its wait for a cancelled `aw` to end).
    #[serde(rename = "wait_for()")]
    WaitFor,
    /// `asyncio.shield(aw)`.
    #[serde(rename = "shield()")]
    Shield,
    /// The end of `async with asyncio.TaskGroup()`, waiting for the group's tasks.
    #[serde(rename = "TaskGroup.__aexit__()")]
    TaskGroupExit,
    /// `asyncio.to_thread(func)` (looplab's `run_in_worker`).
    #[serde(rename = "to_thread()")]
    ToThread,
    /// `StreamReader.read(n)` with no data buffered.
    #[serde(rename = "reader.read()")]
    ReaderRead,
    /// `StreamReader.readline()` and `readuntil(separator)`, until the separator comes.
    #[serde(rename = "reader.readuntil()")]
    ReaderReadUntil,
    /// `StreamReader.readexactly(n)`, until `n` bytes came.
    #[serde(rename = "reader.readexactly()")]
    ReaderReadExactly,
    /// What `asyncio.gather(...)` returns (awaited through its gathering state, which the trace
    /// records as [`Awaiting::Gather`]; the label names the future's class in warnings).
    #[serde(rename = "gather()")]
    Gather,
}

impl FutureLabel {
    /// Every label, in the order of their codes.
    pub const ALL: [FutureLabel; 19] = [
        FutureLabel::Plain,
        FutureLabel::Sleep,
        FutureLabel::QueueGet,
        FutureLabel::QueuePut,
        FutureLabel::QueueJoin,
        FutureLabel::LockAcquire,
        FutureLabel::EventWait,
        FutureLabel::ConditionWait,
        FutureLabel::SemaphoreAcquire,
        FutureLabel::Wait,
        FutureLabel::AsCompleted,
        FutureLabel::WaitFor,
        FutureLabel::Shield,
        FutureLabel::TaskGroupExit,
        FutureLabel::ToThread,
        FutureLabel::ReaderRead,
        FutureLabel::ReaderReadUntil,
        FutureLabel::ReaderReadExactly,
        FutureLabel::Gather,
    ];

    /// The call as asyncio spells it (`queue.get()`); `a future` for a plain one.
    pub fn as_str(self) -> &'static str {
        match self {
            FutureLabel::Plain => "a future",
            FutureLabel::Sleep => "sleep()",
            FutureLabel::QueueGet => "queue.get()",
            FutureLabel::QueuePut => "queue.put()",
            FutureLabel::QueueJoin => "queue.join()",
            FutureLabel::LockAcquire => "lock.acquire()",
            FutureLabel::EventWait => "event.wait()",
            FutureLabel::ConditionWait => "condition.wait()",
            FutureLabel::SemaphoreAcquire => "semaphore.acquire()",
            FutureLabel::Wait => "wait()",
            FutureLabel::AsCompleted => "as_completed()",
            FutureLabel::WaitFor => "wait_for()",
            FutureLabel::Shield => "shield()",
            FutureLabel::TaskGroupExit => "TaskGroup.__aexit__()",
            FutureLabel::ToThread => "to_thread()",
            FutureLabel::ReaderRead => "reader.read()",
            FutureLabel::ReaderReadUntil => "reader.readuntil()",
            FutureLabel::ReaderReadExactly => "reader.readexactly()",
            FutureLabel::Gather => "gather()",
        }
    }

    /// The label with this code (`label as u8`); a plain future for an unknown code.
    pub fn from_code(code: u8) -> FutureLabel {
        FutureLabel::ALL.get(code as usize).copied().unwrap_or_default()
    }

    /// The class of the future, as asyncio's warnings name it (`Future exception was never
    /// retrieved`).
    pub fn class(self) -> &'static str {
        match self {
            FutureLabel::Gather => "_GatheringFuture",
            _ => "Future",
        }
    }
}

impl fmt::Display for FutureLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// [`Awaiting`] as JSON has it.
#[derive(Serialize, Deserialize)]
struct AwaitingJson {
    kind: AwaitingKind,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    tasks: Option<AwaitedTasks>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    on: Option<FutureLabel>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum AwaitingKind {
    Future,
    Task,
    Gather,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum AwaitedTasks {
    One(TaskId),
    Many(Vec<Option<TaskId>>),
}

impl From<Awaiting> for AwaitingJson {
    fn from(awaiting: Awaiting) -> Self {
        let (kind, tasks, on) = match awaiting {
            Awaiting::Future(FutureLabel::Plain) => (AwaitingKind::Future, None, None),
            Awaiting::Future(label) => (AwaitingKind::Future, None, Some(label)),
            Awaiting::Task(t) => (AwaitingKind::Task, Some(AwaitedTasks::One(t)), None),
            Awaiting::Gather(children) => (AwaitingKind::Gather, Some(AwaitedTasks::Many(children)), None),
        };
        AwaitingJson { kind, tasks, on }
    }
}

impl TryFrom<AwaitingJson> for Awaiting {
    type Error = &'static str;

    fn try_from(json: AwaitingJson) -> Result<Self, Self::Error> {
        match (json.kind, json.tasks) {
            (AwaitingKind::Future, _) => Ok(Awaiting::Future(json.on.unwrap_or_default())),
            (AwaitingKind::Task, Some(AwaitedTasks::One(t))) => Ok(Awaiting::Task(t)),
            (AwaitingKind::Gather, Some(AwaitedTasks::Many(children))) => Ok(Awaiting::Gather(children)),
            (AwaitingKind::Task, _) => Err("an awaited task needs its id in `tasks`"),
            (AwaitingKind::Gather, _) => Err("a gather needs its children in `tasks`"),
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

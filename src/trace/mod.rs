//! The trace: what the scheduler did, event by event, and the views made from it (transcript,
//! text timeline, JSON, Chrome trace-event JSON). The trace model knows nothing of the executor's types or of the browser.

mod chrome;
mod event;
mod events;
mod timeline;
mod wire;

pub use chrome::chrome_trace;
pub use event::{Awaiting, Event, EventKind, FutureLabel, Outcome, TaskId, TaskName, Waker};
pub use events::{Events, Head, Iter};
pub use timeline::text_timeline;

use serde::{Deserialize, Serialize};

/// The version of the JSON document; bumped when its shape changes.
pub const TRACE_VERSION: u32 = 1;

/// A task as the trace knows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskInfo {
    /// Its number in this trace.
    pub id: TaskId,
    /// Its last name.
    pub name: TaskName,
    /// The task that created it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parent: Option<TaskId>,
    /// When it was created.
    pub spawned_at: f64,
    /// When it finished, if it did.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub exited_at: Option<f64>,
    /// How it finished, if it did.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub outcome: Option<Outcome>,
}

/// A recorded run.
///
/// Its events are kept compactly ([`Events`]) and decoded as they are read; the task table is
/// read from them too ([`Trace::tasks`], [`Trace::task`]). In JSON a trace is a document with its
/// `version`, its tasks and its events written out whole.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// [`TRACE_VERSION`].
    pub version: u32,
    /// The loop's time when the trace was taken.
    pub end_time: f64,
    /// The number of loop iterations run.
    pub iterations: u64,
    /// Every event, in order.
    pub events: Events,
    /// The source lines (`file:line`) events point to by index.
    pub sources: Vec<String>,
}

/// A trace as its JSON document has it.
#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    end_time: f64,
    iterations: u64,
    tasks: Vec<TaskInfo>,
    events: &'a Events,
    sources: &'a [String],
}

/// A JSON document read back: its task table is read from its events again.
#[derive(Deserialize)]
struct ReadDocument {
    version: u32,
    end_time: f64,
    iterations: u64,
    events: Events,
    #[serde(default)]
    sources: Vec<String>,
}

impl Serialize for Trace {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Document {
            version: self.version,
            end_time: self.end_time,
            iterations: self.iterations,
            tasks: self.tasks().collect(),
            events: &self.events,
            sources: &self.sources,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Trace {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let doc = ReadDocument::deserialize(deserializer)?;
        Ok(Trace {
            version: doc.version,
            end_time: doc.end_time,
            iterations: doc.iterations,
            events: doc.events,
            sources: doc.sources,
        })
    }
}

impl Trace {
    /// A trace of these events.
    pub fn new(events: Events, end_time: f64, iterations: u64, sources: Vec<String>) -> Self {
        Trace {
            version: TRACE_VERSION,
            end_time,
            iterations,
            events,
            sources,
        }
    }

    /// The task with this id.
    pub fn task(&self, id: TaskId) -> Option<TaskInfo> {
        self.events.task(id)
    }

    /// Every task of the run, by id.
    pub fn tasks(&self) -> impl ExactSizeIterator<Item = TaskInfo> + '_ {
        self.events.tasks()
    }

    /// The heap memory the trace takes, in bytes: its events (with the task index) and its
    /// source lines.
    pub fn heap_bytes(&self) -> usize {
        self.events.heap_bytes()
            + self
                .sources
                .iter()
                .map(|s| s.capacity() + size_of::<String>())
                .sum::<usize>()
    }

    /// The source line (`file:line`) an event's `at` points to.
    pub fn source(&self, at: Option<u32>) -> Option<&str> {
        at.and_then(|i| self.sources.get(i as usize)).map(String::as_str)
    }

    /// What a task awaits, in words, with this trace's task names.
    pub fn describe_awaiting(&self, awaiting: &Awaiting) -> String {
        awaiting.describe(|t| self.task(t).map_or_else(|| format!("#{t}"), |i| i.name.to_string()))
    }

    /// The transcript: one `"{time:.3f} {task} {message}"` line per logged line or warning.
    /// Equal to what the loop printed.
    pub fn transcript(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::with_capacity(self.events.task_count());
        let mut lines = Vec::new();
        for event in &self.events {
            match &event.kind {
                EventKind::Spawned { name, .. } => names.push(name.to_string()),
                EventKind::Renamed { name } => {
                    if let Some(slot) = event.task.and_then(|id| names.get_mut(id as usize)) {
                        *slot = name.to_string();
                    }
                }
                EventKind::Log { text, .. } | EventKind::Warning { text } => {
                    let task = event
                        .task
                        .and_then(|id| names.get(id as usize))
                        .map_or("-", |n| n.as_str());
                    lines.push(format!("{:.3} {} {}", event.time, task, text));
                }
                _ => {}
            }
        }
        lines
    }

    /// The trace as a JSON document (with its `version`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// A trace from its JSON document.
    pub fn from_json(json: &str) -> Result<Trace, String> {
        let trace: Trace = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if trace.version != TRACE_VERSION {
            return Err(format!(
                "trace version {} is not supported (expected {})",
                trace.version, TRACE_VERSION
            ));
        }
        Ok(trace)
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;
    use crate::{Loop, LoopOptions};

    #[test]
    fn a_traced_run_of_100000_tasks_keeps_at_most_32_bytes_of_trace_per_event() {
        let lp = Loop::new(LoopOptions {
            trace: true,
            ..LoopOptions::default()
        });
        let report = lp.run_report(async {
            let tasks: Vec<_> = (0..100_000).map(|_| spawn(async { Ok(()) })).collect();
            for t in tasks {
                t.await?;
            }
            Ok(())
        });
        let trace = report.trace.unwrap();
        // Each task is spawned, scheduled, stepped once (begin and end) and exits.
        assert!(trace.events.len() >= 500_000);
        let per_event = trace.heap_bytes() as f64 / trace.events.len() as f64;
        assert!(per_event <= 32.0, "{per_event:.1} bytes per event");
        assert_eq!(trace.tasks().len(), 100_001);
        assert_eq!(
            trace.task(100_000).map(|t| t.name.to_string()),
            Some("Task-100001".into())
        );
    }
}

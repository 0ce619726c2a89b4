//! The trace: what the scheduler did, event by event, and the views made from it (transcript,
//! text timeline, JSON, Chrome trace-event JSON). The trace model knows nothing of the executor's types or of the browser.

mod chrome;
mod event;
mod timeline;

pub use chrome::chrome_trace;
pub use event::{Awaiting, Event, EventKind, Outcome, TaskId, TaskName, Waker};
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// [`TRACE_VERSION`].
    pub version: u32,
    /// The loop's time when the trace was taken.
    pub end_time: f64,
    /// The number of loop iterations run.
    pub iterations: u64,
    /// Every task of the run, by id.
    pub tasks: Vec<TaskInfo>,
    /// Every event, in order.
    pub events: Vec<Event>,
    /// The source lines (`file:line`) events point to by index.
    #[serde(default)]
    pub sources: Vec<String>,
}

impl Trace {
    /// A trace of these events; the task table is derived from them.
    pub fn new(events: Vec<Event>, end_time: f64, iterations: u64, sources: Vec<String>) -> Self {
        let mut tasks: Vec<TaskInfo> = Vec::new();
        for event in &events {
            let Some(id) = event.task else { continue };
            match &event.kind {
                EventKind::Spawned { name, parent } => tasks.push(TaskInfo {
                    id,
                    name: name.clone(),
                    parent: *parent,
                    spawned_at: event.time,
                    exited_at: None,
                    outcome: None,
                }),
                EventKind::Renamed { name } => {
                    if let Some(t) = tasks.get_mut(id as usize) {
                        t.name = name.clone();
                    }
                }
                EventKind::Exited { outcome } => {
                    if let Some(t) = tasks.get_mut(id as usize) {
                        t.exited_at = Some(event.time);
                        t.outcome = Some(outcome.clone());
                    }
                }
                _ => {}
            }
        }
        Trace {
            version: TRACE_VERSION,
            end_time,
            iterations,
            tasks,
            events,
            sources,
        }
    }

    /// The task with this id.
    pub fn task(&self, id: TaskId) -> Option<&TaskInfo> {
        self.tasks.get(id as usize)
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
        let mut names: Vec<String> = Vec::with_capacity(self.tasks.len());
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

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

use std::borrow::Cow;

use serde::Serialize;

use super::{EventKind, Outcome, Trace, Waker};

fn tid(task: Option<u32>) -> u64 {
    task.map_or(0, |t| u64::from(t) + 1)
}

/// One trace event. Its fields are declared in alphabetical order, the order a JSON object's keys
/// are written in; absent ones are left out. (A typed record, not a JSON value built per event:
/// this is most of the page's export code, and the page's size counts.)
#[derive(Serialize)]
struct Record<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    args: Option<Args<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bp: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cat: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<Cow<'a, str>>,
    ph: &'static str,
    pid: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<&'static str>,
    tid: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    ts: Option<f64>,
}

/// A metadata or step event's arguments.
#[derive(Serialize)]
#[serde(untagged)]
enum Args<'a> {
    Name { name: Cow<'a, str> },
    SortIndex { sort_index: u32 },
    Iteration { iteration: u64 },
}

impl<'a> Record<'a> {
    /// An event of phase `ph` on track `tid`, with nothing else yet.
    fn new(ph: &'static str, tid: u64) -> Self {
        Record {
            args: None,
            bp: None,
            cat: None,
            id: None,
            name: None,
            ph,
            pid: 1,
            s: None,
            tid,
            ts: None,
        }
    }

    /// Metadata: `name` with `args`.
    fn meta(tid: u64, name: &'static str, args: Args<'a>) -> Self {
        Record {
            name: Some(Cow::Borrowed(name)),
            args: Some(args),
            ..Record::new("M", tid)
        }
    }

    /// An instant event (`s` its scope) at `ts`.
    fn instant(scope: &'static str, tid: u64, ts: f64, name: Cow<'a, str>, cat: &'static str) -> Self {
        Record {
            s: Some(scope),
            ts: Some(ts),
            name: Some(name),
            cat: Some(cat),
            ..Record::new("i", tid)
        }
    }

    /// A slice's end at `ts`.
    fn end(tid: u64, ts: f64) -> Self {
        Record {
            ts: Some(ts),
            ..Record::new("E", tid)
        }
    }
}

/// The whole file, keys in alphabetical order.
#[derive(Serialize)]
#[allow(non_snake_case)]
struct Document<'a> {
    displayTimeUnit: &'static str,
    otherData: OtherData,
    traceEvents: Vec<Record<'a>>,
}

#[derive(Serialize)]
struct OtherData {
    version: u32,
}

/// The Chrome trace-event JSON of `trace`.
pub fn chrome_trace(trace: &Trace) -> String {
    let tasks: Vec<_> = trace.tasks().collect();
    let mut events: Vec<Record> = Vec::new();
    events.push(Record::meta(0, "process_name", Args::Name { name: "looplab".into() }));
    events.push(Record::meta(
        0,
        "thread_name",
        Args::Name {
            name: "event loop".into(),
        },
    ));
    for task in &tasks {
        let t = tid(Some(task.id));
        events.push(Record::meta(
            t,
            "thread_name",
            Args::Name {
                name: task.name.to_string().into(),
            },
        ));
        events.push(Record::meta(
            t,
            "thread_sort_index",
            Args::SortIndex {
                sort_index: task.id + 1,
            },
        ));
    }

    let mut timed: Vec<(f64, Record)> = Vec::new();
    // The flow waiting to be bound to each task's next step.
    let mut pending_flow: Vec<Option<u64>> = vec![None; tasks.len()];
    let mut next_flow: u64 = 1;
    // Track 0 has a slice only while a timer callback runs.
    let mut timer_slice_at: Option<f64> = None;

    for event in &trace.events {
        let ts = event.time * 1e6 + 2.0 * event.iteration as f64;
        let task = event.task;
        let t = tid(task);
        let mut push = |ts: f64, r: Record<'static>| timed.push((ts, r));
        match event.kind {
            EventKind::Spawned { ref name, .. } => {
                push(
                    ts,
                    Record::instant("t", t, ts, format!("created {name}").into(), "task"),
                );
            }
            EventKind::Renamed { ref name } => {
                push(
                    ts,
                    Record::instant("t", t, ts, format!("renamed {name}").into(), "task"),
                );
            }
            EventKind::StepBegin => {
                push(
                    ts,
                    Record {
                        ts: Some(ts),
                        name: Some("step".into()),
                        cat: Some("step"),
                        args: Some(Args::Iteration {
                            iteration: event.iteration,
                        }),
                        ..Record::new("B", t)
                    },
                );
                if let Some(id) = task
                    .and_then(|i| pending_flow.get_mut(i as usize))
                    .and_then(Option::take)
                {
                    push(
                        ts,
                        Record {
                            bp: Some("e"),
                            ts: Some(ts),
                            id: Some(id),
                            name: Some("wake".into()),
                            cat: Some("wake"),
                            ..Record::new("f", t)
                        },
                    );
                }
            }
            EventKind::StepEnd { .. } => push(ts + 1.0, Record::end(t, ts + 1.0)),
            EventKind::Scheduled { by } => {
                let (from, inside) = match by {
                    Waker::Task(w) => (tid(Some(w)), true),
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
                            Record {
                                ts: Some(ts),
                                id: Some(id),
                                name: Some("wake".into()),
                                cat: Some("wake"),
                                ..Record::new("s", from)
                            },
                        );
                    }
                }
            }
            EventKind::Exited { ref outcome } => {
                let what = match outcome {
                    Outcome::Returned => "returned".to_string(),
                    Outcome::Failed { error } => format!("failed: {error}"),
                    Outcome::Cancelled => "cancelled".to_string(),
                };
                push(ts, Record::instant("t", t, ts, what.into(), "task"));
            }
            EventKind::TimerSet { timer, deadline, .. } => {
                let name = format!("timer {timer} set for {deadline:.3} s");
                push(ts, Record::instant("t", t, ts, name.into(), "timer"));
            }
            EventKind::TimerFired { timer } => {
                if let Some(open) = timer_slice_at.take() {
                    push(open + 1.0, Record::end(0, open + 1.0));
                }
                push(
                    ts,
                    Record {
                        ts: Some(ts),
                        name: Some(format!("timer {timer}").into()),
                        cat: Some("timer"),
                        ..Record::new("B", 0)
                    },
                );
                timer_slice_at = Some(ts);
            }
            EventKind::TimerCancelled { timer } => {
                let name = format!("timer {timer} cancelled");
                push(ts, Record::instant("t", t, ts, name.into(), "timer"));
            }
            EventKind::ClockAdvanced { from } => {
                let name = format!("clock {from:.3} s -> {:.3} s", event.time);
                push(ts, Record::instant("g", 0, ts, name.into(), "clock"));
            }
            EventKind::CancelRequested { .. } => {
                push(ts, Record::instant("t", t, ts, "cancel requested".into(), "cancel"));
            }
            EventKind::Warning { ref text } => {
                push(ts, Record::instant("t", t, ts, text.clone().into(), "warning"));
            }
            EventKind::Log { ref text, .. } => {
                push(ts, Record::instant("t", t, ts, text.clone().into(), "log"));
            }
        }
        // A timer's slice lasts while its callback runs: it ends when a step begins (the next
        // handle), or the clock moves.
        if matches!(event.kind, EventKind::StepBegin | EventKind::ClockAdvanced { .. }) {
            if let Some(open) = timer_slice_at.take() {
                timed.push((open + 1.0, Record::end(0, open + 1.0)));
            }
        }
    }
    if let Some(open) = timer_slice_at.take() {
        timed.push((open + 1.0, Record::end(0, open + 1.0)));
    }
    // Stable: events at one timestamp keep the order they happened in.
    crate::sort::sort_by(&mut timed, |a, b| a.0.total_cmp(&b.0));
    events.extend(timed.into_iter().map(|(_, r)| r));
    let document = Document {
        displayTimeUnit: "ms",
        otherData: OtherData {
            version: super::TRACE_VERSION,
        },
        traceEvents: events,
    };
    serde_json::to_string(&document).unwrap_or_default()
}

//! Where the page draws things: the timeline's lanes, steps and time axis, computed from a trace.
//!
//! Plain Rust with no browser in sight, so it is tested natively; `web` only turns a
//! [`TimelineLayout`] into SVG elements.

use crate::trace::{EventKind, Outcome, TaskId, Trace};

/// Width of the task names' column, in pixels.
pub const LABEL_WIDTH: f64 = 120.0;
/// Height of one lane.
pub const LANE_HEIGHT: f64 = 28.0;
/// Space above the first lane, for the axis labels.
pub const AXIS_HEIGHT: f64 = 24.0;
/// Space right of the axis's end.
pub const RIGHT_MARGIN: f64 = 24.0;
/// Space below the last lane, for the total.
pub const FOOTER_HEIGHT: f64 = 28.0;

/// Maps loop time to a horizontal position.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeAxis {
    /// The time at the left end.
    pub start: f64,
    /// The time at the right end.
    pub end: f64,
    /// The left end's x.
    pub left: f64,
    /// The right end's x.
    pub right: f64,
}

impl TimeAxis {
    /// The x of time `t`.
    pub fn x(&self, t: f64) -> f64 {
        let span = self.end - self.start;
        if span <= 0.0 {
            return self.left;
        }
        self.left + (t - self.start) / span * (self.right - self.left)
    }

    /// The time at position `x` (the inverse of [`TimeAxis::x`]).
    pub fn time(&self, x: f64) -> f64 {
        let width = self.right - self.left;
        if width <= 0.0 {
            return self.start;
        }
        self.start + (x - self.left) / width * (self.end - self.start)
    }
}

/// One task's lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// The task.
    pub task: TaskId,
    /// Its name, as asyncio names it.
    pub name: String,
    /// The lane's vertical centre.
    pub y: f64,
    /// When the task was created.
    pub start_time: f64,
    /// When it finished (or the end of the trace).
    pub end_time: f64,
    /// How it finished, if it did.
    pub outcome: Option<Outcome>,
    /// The x of its creation.
    pub start_x: f64,
    /// The x of its end.
    pub end_x: f64,
}

/// One step of a task, drawn as a mark on its lane.
#[derive(Clone, Debug, PartialEq)]
pub struct StepMark {
    /// The task that ran.
    pub task: TaskId,
    /// The loop time of the step.
    pub time: f64,
    /// The loop iteration of the step.
    pub iteration: u64,
    /// Where it is drawn.
    pub x: f64,
    /// The lane's centre.
    pub y: f64,
}

/// A line the program logged, drawn as a labelled tick on its task's lane.
#[derive(Clone, Debug, PartialEq)]
pub struct LogMark {
    /// The task that logged it (none for a callback outside any task).
    pub task: Option<TaskId>,
    /// The loop time.
    pub time: f64,
    /// The message.
    pub text: String,
    /// Where it is drawn.
    pub x: f64,
    /// The lane's centre (the axis line for callbacks).
    pub y: f64,
}

/// A labelled tick on the time axis.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisTick {
    /// Where it is drawn.
    pub x: f64,
    /// Its label, such as `1.5 s`.
    pub label: String,
}

/// Everything the timeline drawing needs.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineLayout {
    /// Total width in pixels.
    pub width: f64,
    /// Total height in pixels.
    pub height: f64,
    /// The time axis.
    pub axis: TimeAxis,
    /// One lane per task, in creation order.
    pub lanes: Vec<Lane>,
    /// Every step.
    pub steps: Vec<StepMark>,
    /// Every logged line.
    pub logs: Vec<LogMark>,
    /// The axis ticks.
    pub ticks: Vec<AxisTick>,
    /// The run's total virtual time.
    pub total_time: f64,
}

/// Lays out `trace` in a drawing `width` pixels wide.
pub fn timeline(trace: &Trace, width: f64) -> TimelineLayout {
    let width = width.max(LABEL_WIDTH + RIGHT_MARGIN + 100.0);
    let total_time = trace.end_time.max(0.0);
    let axis = TimeAxis {
        start: 0.0,
        end: nice_end(total_time),
        left: LABEL_WIDTH,
        right: width - RIGHT_MARGIN,
    };
    let lane_y = |i: usize| AXIS_HEIGHT + LANE_HEIGHT * (i as f64 + 0.5);

    let lanes: Vec<Lane> = trace
        .tasks
        .iter()
        .enumerate()
        .map(|(i, task)| {
            let end_time = task.exited_at.unwrap_or(total_time);
            Lane {
                task: task.id,
                name: task.name.clone(),
                y: lane_y(i),
                start_time: task.spawned_at,
                end_time,
                outcome: task.outcome.clone(),
                start_x: axis.x(task.spawned_at),
                end_x: axis.x(end_time),
            }
        })
        .collect();

    let steps = trace
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::StepBegin))
        .filter_map(|e| {
            let task = e.task?;
            Some(StepMark {
                task,
                time: e.time,
                iteration: e.iteration,
                x: axis.x(e.time),
                y: lane_y(task as usize),
            })
        })
        .collect();

    let logs = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Log { text } => Some(LogMark {
                task: e.task,
                time: e.time,
                text: text.clone(),
                x: axis.x(e.time),
                y: e.task.map_or(AXIS_HEIGHT, |t| lane_y(t as usize)),
            }),
            _ => None,
        })
        .collect();

    let step = tick_step(axis.end);
    let count = (axis.end / step).round() as usize;
    let ticks = (0..=count)
        .map(|i| {
            let t = i as f64 * step;
            AxisTick {
                x: axis.x(t),
                label: format!("{} s", trim_number(t)),
            }
        })
        .collect();

    let height = AXIS_HEIGHT + LANE_HEIGHT * lanes.len() as f64 + FOOTER_HEIGHT;
    TimelineLayout {
        width,
        height,
        axis,
        lanes,
        steps,
        logs,
        ticks,
        total_time,
    }
}

/// A tick spacing of 1, 2 or 5 times a power of ten giving about five to ten ticks.
pub fn tick_step(span: f64) -> f64 {
    if span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / 8.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
}

/// The axis end: the total rounded up to a whole tick (at least one tick long).
fn nice_end(total: f64) -> f64 {
    if total <= 0.0 || !total.is_finite() {
        return 1.0;
    }
    let step = tick_step(total);
    (total / step - 1e-9).ceil().max(1.0) * step
}

/// `1.5` not `1.500`, `2` not `2.000`, but keeping precision the tick step needs.
fn trim_number(t: f64) -> String {
    let s = format!("{t:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maps_time_to_x_and_back() {
        let axis = TimeAxis {
            start: 0.0,
            end: 4.0,
            left: 100.0,
            right: 500.0,
        };
        assert_eq!(axis.x(0.0), 100.0);
        assert_eq!(axis.x(2.0), 300.0);
        assert_eq!(axis.x(4.0), 500.0);
        assert_eq!(axis.time(300.0), 2.0);
    }

    #[test]
    fn tick_step_gives_five_to_ten_ticks() {
        assert_eq!(tick_step(6.5), 1.0);
        assert_eq!(tick_step(2.0), 0.5);
        assert_eq!(tick_step(100.0), 20.0);
        for span in [0.01, 0.3, 1.0, 7.0, 42.0, 1234.0] {
            let n = span / tick_step(span);
            assert!((3.0..=10.0).contains(&n), "span {span}: {n} ticks");
        }
    }

    #[test]
    fn nice_end_rounds_up_to_a_tick() {
        assert_eq!(nice_end(6.5), 7.0);
        assert_eq!(nice_end(2.0), 2.0);
        assert_eq!(nice_end(0.0), 1.0);
    }

    #[test]
    fn lanes_steps_and_logs_sit_where_their_times_map() {
        let trace = crate::demos::find("sequential-vs-concurrent")
            .unwrap()
            .run_traced()
            .trace
            .unwrap();
        let layout = timeline(&trace, 820.0);
        assert_eq!(layout.total_time, 6.5);
        assert_eq!(layout.axis.end, 7.0);
        let names: Vec<&str> = layout.lanes.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Task-1", "A", "B", "C"]);
        let a = &layout.lanes[1];
        assert_eq!((a.start_time, a.end_time), (4.5, 6.5));
        assert_eq!(a.start_x, layout.axis.x(4.5));
        assert!(a.y > layout.lanes[0].y);
        for step in &layout.steps {
            assert_eq!(step.x, layout.axis.x(step.time));
            assert_eq!(step.y, layout.lanes[step.task as usize].y);
        }
        let total = layout
            .logs
            .iter()
            .find(|l| l.text.starts_with("sequential total"))
            .unwrap();
        assert_eq!((total.time, total.y), (4.5, layout.lanes[0].y));
        assert_eq!(layout.ticks.first().unwrap().label, "0 s");
        assert_eq!(layout.ticks.last().unwrap().label, "7 s");
        assert_eq!(layout.height, AXIS_HEIGHT + 4.0 * LANE_HEIGHT + FOOTER_HEIGHT);
    }

    #[test]
    fn trim_number_drops_trailing_zeros() {
        assert_eq!(trim_number(1.5), "1.5");
        assert_eq!(trim_number(2.0), "2");
        assert_eq!(trim_number(0.25), "0.25");
    }
}

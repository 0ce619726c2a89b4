//! The timeline drawing, as a display list computed from a trace: plain Rust, tested natively.
//! The page paints the list on a canvas; the same list becomes an SVG file for export.
//!
//! Rows from the top: the time axis, the browser's turns (which macrotask and microtask ran each
//! iteration, when known), the loop's own row (timers firing), then one lane per task, named as
//! asyncio names it. In a lane: a thin bar from creation to end (its outline says how it ended), a
//! block per step, ticks for log lines, marks for timers set, cancellation requests and
//! failures; arrows go from the waker to the task it woke.
//!
//! Two horizontal axes: virtual time, and loop iterations (one column per iteration, so that the
//! order of the zero-duration steps of one instant shows). Only what is in view is listed, so a
//! 10,000-task trace draws as fast as a small one.

use crate::trace::{EventKind, Outcome, TaskId, Trace, Waker};

/// Width of the names' column.
pub const LABEL_WIDTH: f64 = 132.0;
/// Height of the axis row.
pub const AXIS_HEIGHT: f64 = 24.0;
/// Height of the browser's row.
pub const HOST_HEIGHT: f64 = 18.0;
/// Height of the loop's row and of each task lane.
pub const LANE_HEIGHT: f64 = 26.0;
/// Patterns that tell lanes apart without colour.
pub const PATTERNS: usize = 4;

/// Which horizontal axis the drawing uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AxisMode {
    /// Virtual time, in seconds.
    Time,
    /// Loop iterations, one column each.
    Iteration,
}

/// A step of a task.
#[derive(Clone, Debug, PartialEq)]
pub struct StepItem {
    /// The task.
    pub task: TaskId,
    /// Its iteration.
    pub iteration: u64,
    /// Its time.
    pub time: f64,
    /// When it ended: later than `time` when the step held the loop (a blocking call).
    pub end_time: f64,
    /// The index of its `StepBegin` in the trace's events.
    pub event: usize,
}

/// A wake-up: from the waker (a task, or the loop's row) to the woken task's next step.
#[derive(Clone, Debug, PartialEq)]
pub struct ArrowItem {
    /// The waking task, or `None` for the loop (a timer or callback).
    pub from: Option<TaskId>,
    /// The woken task.
    pub to: TaskId,
    /// When it was woken.
    pub iteration: u64,
    /// When it was woken.
    pub time: f64,
    /// The iteration of the step it was woken for.
    pub to_iteration: u64,
    /// The time of that step.
    pub to_time: f64,
    /// The index of the `Scheduled` event.
    pub event: usize,
}

/// What a mark shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// A log line.
    Log,
    /// A warning asyncio reports.
    Warning,
    /// A timer set.
    TimerSet,
    /// A timer fired (on the loop's row).
    TimerFired,
    /// `cancel()` was requested.
    Cancel,
}

/// A mark on a lane (or on the loop's row).
#[derive(Clone, Debug, PartialEq)]
pub struct MarkItem {
    /// What it is.
    pub kind: MarkKind,
    /// The lane; `None` for the loop's row.
    pub task: Option<TaskId>,
    /// When.
    pub iteration: u64,
    /// When.
    pub time: f64,
    /// Its text (the log line, the warning, the timer).
    pub text: String,
    /// The index of its event.
    pub event: usize,
}

/// One task's lane.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneItem {
    /// The task.
    pub task: TaskId,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub start_iteration: u64,
    /// When it was created.
    pub start_time: f64,
    /// When it ended (or the end of the trace).
    pub end_iteration: u64,
    /// When it ended.
    pub end_time: f64,
    /// How it ended, if it did.
    pub outcome: Option<Outcome>,
    /// Indices into [`TimelineModel::steps`] of its steps, in order.
    pub steps: Vec<usize>,
    /// Indices into [`TimelineModel::marks`] of its marks, in order.
    pub marks: Vec<usize>,
}

/// Which browser turn ran an iteration (from the page's driver).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HostTurn {
    /// The iteration.
    pub iteration: u64,
    /// The macrotask (slice) number.
    pub macrotask: u32,
    /// The microtask number.
    pub microtask: u32,
}

/// Everything the drawing needs from a trace, computed once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimelineModel {
    /// One lane per task, in creation order.
    pub lanes: Vec<LaneItem>,
    /// Every step, in order.
    pub steps: Vec<StepItem>,
    /// Every wake-up.
    pub arrows: Vec<ArrowItem>,
    /// Every mark.
    pub marks: Vec<MarkItem>,
    /// The loop's row's marks (timers firing), indices into `marks`.
    pub loop_marks: Vec<usize>,
    /// The time of each iteration (index 0 is iteration 1).
    pub iteration_times: Vec<f64>,
    /// The trace's total time.
    pub total_time: f64,
    /// The trace's iteration count.
    pub iterations: u64,
    /// The browser's turns, when the run was driven in a page.
    pub host: Vec<HostTurn>,
}

impl TimelineModel {
    /// The model of `trace`.
    pub fn new(trace: &Trace) -> Self {
        let mut m = TimelineModel {
            total_time: trace.end_time,
            iterations: trace.iterations,
            iteration_times: vec![0.0; trace.iterations as usize],
            ..Default::default()
        };
        for t in trace.tasks() {
            m.lanes.push(LaneItem {
                task: t.id,
                name: t.name.to_string(),
                start_iteration: 0,
                start_time: t.spawned_at,
                end_iteration: trace.iterations,
                end_time: t.exited_at.unwrap_or(trace.end_time),
                outcome: t.outcome,
                steps: Vec::new(),
                marks: Vec::new(),
            });
        }
        // The wake-up waiting for each task's next step: index into `arrows`.
        let mut pending: Vec<Option<usize>> = vec![None; m.lanes.len()];
        for (index, e) in trace.events.iter().enumerate() {
            if let Some(slot) = (e.iteration as usize)
                .checked_sub(1)
                .and_then(|i| m.iteration_times.get_mut(i))
            {
                *slot = e.time;
            }
            let lane = e.task.map(|t| t as usize).filter(|t| *t < m.lanes.len());
            let mark = |m: &mut TimelineModel, kind: MarkKind, task: Option<usize>, text: String| {
                let i = m.marks.len();
                m.marks.push(MarkItem {
                    kind,
                    task: task.map(|t| t as TaskId),
                    iteration: e.iteration,
                    time: e.time,
                    text,
                    event: index,
                });
                match task {
                    Some(t) => m.lanes[t].marks.push(i),
                    None => m.loop_marks.push(i),
                }
            };
            match &e.kind {
                EventKind::Spawned { .. } => {
                    if let Some(l) = lane {
                        m.lanes[l].start_iteration = e.iteration;
                    }
                }
                EventKind::StepBegin => {
                    if let Some(l) = lane {
                        let s = m.steps.len();
                        m.steps.push(StepItem {
                            task: l as TaskId,
                            iteration: e.iteration,
                            time: e.time,
                            end_time: e.time,
                            event: index,
                        });
                        m.lanes[l].steps.push(s);
                        if let Some(a) = pending[l].take() {
                            m.arrows[a].to_iteration = e.iteration;
                            m.arrows[a].to_time = e.time;
                        }
                    }
                }
                EventKind::Scheduled { by } => {
                    if let Some(l) = lane {
                        // A task that reschedules itself (sleep(0)) draws no arrow.
                        let is_self = matches!(by, Waker::Task(w) if *w as usize == l);
                        let from = match by {
                            Waker::Task(w) => Some(*w),
                            _ => None,
                        };
                        if !is_self {
                            pending[l] = Some(m.arrows.len());
                            m.arrows.push(ArrowItem {
                                from,
                                to: l as TaskId,
                                iteration: e.iteration,
                                time: e.time,
                                to_iteration: e.iteration + 1,
                                to_time: e.time,
                                event: index,
                            });
                        }
                    }
                }
                EventKind::StepEnd { .. } => {
                    if let Some(s) = lane.and_then(|l| m.lanes[l].steps.last().copied()) {
                        m.steps[s].end_time = e.time;
                    }
                }
                EventKind::Exited { .. } => {
                    if let Some(l) = lane {
                        m.lanes[l].end_iteration = e.iteration;
                    }
                }
                EventKind::Log { text, .. } => mark(&mut m, MarkKind::Log, lane, text.clone()),
                EventKind::Warning { text } => mark(&mut m, MarkKind::Warning, lane, text.clone()),
                EventKind::TimerSet { timer, deadline, .. } => mark(
                    &mut m,
                    MarkKind::TimerSet,
                    lane,
                    format!("timer {timer} set for {deadline:.3} s"),
                ),
                EventKind::TimerFired { timer } => {
                    mark(&mut m, MarkKind::TimerFired, None, format!("timer {timer} fired"))
                }
                EventKind::CancelRequested { .. } => mark(&mut m, MarkKind::Cancel, lane, "cancel() requested".into()),
                _ => {}
            }
        }
        // A wake-up whose step never came (the run ended): drop it.
        m.arrows.retain(|a| a.to_iteration > a.iteration || a.to_time > a.time);
        m
    }

    /// Attaches the browser's turns of a run in the page.
    pub fn with_host(mut self, host: Vec<HostTurn>) -> Self {
        self.host = host;
        self
    }

    /// The extent of an axis: `[0, total]` in its units.
    pub fn extent(&self, mode: AxisMode) -> f64 {
        match mode {
            AxisMode::Time => self.total_time.max(1e-3),
            AxisMode::Iteration => (self.iterations as f64).max(1.0),
        }
    }

    /// Where something of `iteration` at `time` sits on the axis: a time, or the middle of
    /// the iteration's column.
    pub fn position(&self, mode: AxisMode, iteration: u64, time: f64) -> f64 {
        match mode {
            AxisMode::Time => time,
            AxisMode::Iteration => iteration as f64 - 0.5,
        }
    }

    /// The total height of the drawing.
    pub fn height(&self) -> f64 {
        AXIS_HEIGHT + HOST_HEIGHT + LANE_HEIGHT * (self.lanes.len() as f64 + 1.0)
    }
}

/// Which part of the drawing is on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// The axis in use.
    pub mode: AxisMode,
    /// The axis value at the left edge of the plot.
    pub start: f64,
    /// The axis value at the right edge.
    pub end: f64,
    /// Width of the whole drawing, names included.
    pub width: f64,
    /// Height on screen.
    pub height: f64,
    /// How far the lanes are scrolled down.
    pub scroll_y: f64,
}

impl Viewport {
    /// The whole of `model` on `mode`'s axis, `width` by `height` pixels.
    pub fn fit(model: &TimelineModel, mode: AxisMode, width: f64, height: f64) -> Self {
        let end = match mode {
            AxisMode::Time => nice_end(model.extent(mode)),
            AxisMode::Iteration => model.extent(mode),
        };
        Viewport {
            mode,
            start: 0.0,
            end,
            width: width.max(LABEL_WIDTH + 120.0),
            height,
            scroll_y: 0.0,
        }
    }

    /// The plot's pixel range.
    pub fn plot(&self) -> (f64, f64) {
        (LABEL_WIDTH, self.width - 16.0)
    }

    /// The x of an axis value.
    pub fn x(&self, v: f64) -> f64 {
        let (left, right) = self.plot();
        let span = (self.end - self.start).max(1e-12);
        left + (v - self.start) / span * (right - left)
    }

    /// The axis value at pixel `x`.
    pub fn value(&self, x: f64) -> f64 {
        let (left, right) = self.plot();
        self.start + (x - left) / (right - left).max(1.0) * (self.end - self.start)
    }

    /// Zooms by `factor` (above 1: in) keeping the value under pixel `anchor` in place.
    pub fn zoom(&mut self, factor: f64, anchor: f64, extent: f64) {
        let factor = factor.clamp(0.05, 20.0);
        let at = self.value(anchor);
        let span = ((self.end - self.start) / factor).clamp(extent.max(1e-9) * 1e-6, extent.max(1e-9) * 1.05);
        let ratio = ((anchor - self.plot().0) / (self.plot().1 - self.plot().0).max(1.0)).clamp(0.0, 1.0);
        self.start = at - span * ratio;
        self.end = self.start + span;
        self.clamp(extent);
    }

    /// Pans by `dx` pixels (positive: the content moves right).
    pub fn pan(&mut self, dx: f64, extent: f64) {
        let (left, right) = self.plot();
        let shift = dx / (right - left).max(1.0) * (self.end - self.start);
        self.start -= shift;
        self.end -= shift;
        self.clamp(extent);
    }

    /// Scrolls the lanes by `dy` pixels, within the drawing.
    pub fn scroll(&mut self, dy: f64, content_height: f64) {
        let max = (content_height - self.height).max(0.0);
        self.scroll_y = (self.scroll_y + dy).clamp(0.0, max);
    }

    fn clamp(&mut self, extent: f64) {
        let span = self.end - self.start;
        let margin = span * 0.05;
        if self.start < -margin {
            self.start = -margin;
            self.end = self.start + span;
        }
        let far = extent.max(span) + margin;
        if self.end > far {
            self.end = far;
            self.start = self.end - span;
        }
    }
}

/// What a shape means: the painter maps it to colours, the SVG export to classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A grid line.
    Grid,
    /// An axis label.
    AxisLabel,
    /// A lane's background (alternating, and the lane at the playback moment).
    LaneBg(bool),
    /// A lane's name.
    LaneName,
    /// A task's lifetime bar, by outcome.
    Life(LifeEnd),
    /// A step, by lane pattern; `true` when it is in the past of the playback moment.
    Step(usize, bool),
    /// A wake-up arrow.
    Arrow,
    /// A mark.
    Mark(MarkKind),
    /// The browser's turn, alternating per macrotask.
    Host(bool),
    /// The playback moment's cursor.
    Cursor,
}

/// How a lifetime ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LifeEnd {
    /// Still running at the end of the trace.
    Pending,
    /// Returned.
    Returned,
    /// Failed.
    Failed,
    /// Cancelled.
    Cancelled,
}

/// One thing to paint.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A filled rectangle.
    Rect {
        /// Left.
        x: f64,
        /// Top.
        y: f64,
        /// Width.
        w: f64,
        /// Height.
        h: f64,
        /// Meaning.
        style: Style,
    },
    /// A line (an arrow when `style` is [`Style::Arrow`]).
    Line {
        /// Start.
        x1: f64,
        /// Start.
        y1: f64,
        /// End.
        x2: f64,
        /// End.
        y2: f64,
        /// Meaning.
        style: Style,
    },
    /// A text.
    Text {
        /// Anchor x (left, or centre for axis labels).
        x: f64,
        /// Baseline y.
        y: f64,
        /// The text.
        text: String,
        /// Meaning.
        style: Style,
    },
}

/// A drawn frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    /// Shapes in painting order.
    pub shapes: Vec<Shape>,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

fn life_end(outcome: &Option<Outcome>) -> LifeEnd {
    match outcome {
        None => LifeEnd::Pending,
        Some(Outcome::Returned) => LifeEnd::Returned,
        Some(Outcome::Failed { .. }) => LifeEnd::Failed,
        Some(Outcome::Cancelled) => LifeEnd::Cancelled,
    }
}

/// The y of a lane's centre (`None`: the loop's row), before scrolling.
pub fn lane_y(lane: Option<usize>) -> f64 {
    let top = AXIS_HEIGHT + HOST_HEIGHT;
    match lane {
        None => top + LANE_HEIGHT / 2.0,
        Some(i) => top + LANE_HEIGHT * (i as f64 + 1.5),
    }
}

/// The event index the playback moment stands at, if any: everything up to it is "past".
pub type Moment = Option<usize>;

/// Paints what `view` shows of `model`, with the playback cursor at `moment`.
pub fn draw(model: &TimelineModel, view: &Viewport, moment: Moment) -> Scene {
    let mut shapes = Vec::new();
    let (left, right) = view.plot();
    let mode = view.mode;
    let top = AXIS_HEIGHT + HOST_HEIGHT;
    let visible = |y: f64| y + LANE_HEIGHT >= top + view.scroll_y && y - LANE_HEIGHT <= view.scroll_y + view.height;
    let in_x = |x: f64| x >= left - 2.0 && x <= right + 2.0;
    let y_of = |lane: Option<usize>| -> f64 {
        match lane {
            None => lane_y(None),
            Some(_) => lane_y(lane) - view.scroll_y,
        }
    };
    let past = |event: usize| moment.is_none_or(|m| event <= m);

    // Lanes in view.
    let first = ((view.scroll_y - LANE_HEIGHT) / LANE_HEIGHT).floor().max(0.0) as usize;
    let last = (((view.scroll_y + view.height) / LANE_HEIGHT).ceil() as usize + 1).min(model.lanes.len());
    let lanes = first.min(last)..last;

    // Grid and axis labels.
    let step = match mode {
        AxisMode::Time => tick_step(view.end - view.start),
        AxisMode::Iteration => tick_step(view.end - view.start).max(1.0).round(),
    };
    let first_tick = (view.start / step).ceil() as i64;
    let last_tick = (view.end / step).floor() as i64;
    for k in first_tick.max(0)..=last_tick.max(0) {
        let v = k as f64 * step;
        let x = view.x(v);
        if !in_x(x) {
            continue;
        }
        shapes.push(Shape::Line {
            x1: x,
            y1: AXIS_HEIGHT - 4.0,
            x2: x,
            y2: view.height,
            style: Style::Grid,
        });
        let label = match mode {
            AxisMode::Time => format!("{} s", trim_number(v)),
            AxisMode::Iteration => format!("#{}", v as u64),
        };
        shapes.push(Shape::Text {
            x,
            y: 14.0,
            text: label,
            style: Style::AxisLabel,
        });
    }

    // Lane backgrounds and names.
    for i in lanes.clone() {
        let y = y_of(Some(i));
        if !visible(lane_y(Some(i))) {
            continue;
        }
        shapes.push(Shape::Rect {
            x: 0.0,
            y: y - LANE_HEIGHT / 2.0,
            w: view.width,
            h: LANE_HEIGHT,
            style: Style::LaneBg(i % 2 == 1),
        });
        shapes.push(Shape::Text {
            x: 8.0,
            y: y + 4.0,
            text: model.lanes[i].name.clone(),
            style: Style::LaneName,
        });
    }
    shapes.push(Shape::Text {
        x: 8.0,
        y: lane_y(None) + 4.0,
        text: "event loop".into(),
        style: Style::LaneName,
    });
    if !model.host.is_empty() {
        shapes.push(Shape::Text {
            x: 8.0,
            y: AXIS_HEIGHT + HOST_HEIGHT - 5.0,
            text: "browser".into(),
            style: Style::LaneName,
        });
    }

    // The browser's turns.
    let column = |iteration: u64| -> (f64, f64) {
        match mode {
            AxisMode::Iteration => (view.x(iteration as f64 - 1.0), view.x(iteration as f64)),
            AxisMode::Time => {
                let t = model
                    .iteration_times
                    .get(iteration.saturating_sub(1) as usize)
                    .copied()
                    .unwrap_or(0.0);
                let x = view.x(t);
                (x - 1.0, x + 1.0)
            }
        }
    };
    for turn in &model.host {
        let (x1, x2) = column(turn.iteration);
        if x2 < left || x1 > right {
            continue;
        }
        shapes.push(Shape::Rect {
            x: x1.max(left),
            y: AXIS_HEIGHT + 2.0,
            w: (x2.min(right) - x1.max(left)).max(1.0),
            h: HOST_HEIGHT - 4.0,
            style: Style::Host(turn.macrotask % 2 == 0),
        });
    }

    // Lifetimes and steps.
    for i in lanes.clone() {
        if !visible(lane_y(Some(i))) {
            continue;
        }
        let lane = &model.lanes[i];
        let y = y_of(Some(i));
        let x1 = view.x(match mode {
            AxisMode::Time => lane.start_time,
            AxisMode::Iteration => lane.start_iteration as f64,
        });
        let x2 = view.x(match mode {
            AxisMode::Time => lane.end_time,
            AxisMode::Iteration => lane.end_iteration as f64,
        });
        if x2 >= left && x1 <= right {
            let (a, b) = (x1.max(left), x2.min(right));
            shapes.push(Shape::Rect {
                x: a,
                y: y - 3.0,
                w: (b - a).max(2.0),
                h: 6.0,
                style: Style::Life(life_end(&lane.outcome)),
            });
        }
        // Steps in view: the lane's steps are in order, so search the visible range.
        let value = |s: &StepItem| model.position(mode, s.iteration, s.time);
        let from = lane
            .steps
            .partition_point(|&s| value(&model.steps[s]) < view.start - 1.0);
        for &s in &lane.steps[from..] {
            let st = &model.steps[s];
            let v = value(st);
            if v > view.end + 1.0 {
                break;
            }
            let (sx, sw) = match mode {
                AxisMode::Iteration => {
                    let (a, b) = column(st.iteration);
                    (a + 0.5, (b - a - 1.0).max(2.0))
                }
                // A step takes its real time: a blocking one is as wide as the stall it caused.
                AxisMode::Time => {
                    let w = view.x(st.end_time) - view.x(v);
                    (view.x(v) - 1.5, w.max(0.0) + 3.0)
                }
            };
            if sx + sw < left || sx > right {
                continue;
            }
            shapes.push(Shape::Rect {
                x: sx,
                y: y - 9.0,
                w: sw,
                h: 18.0,
                style: Style::Step(i % PATTERNS, past(st.event)),
            });
        }
        for &k in &lane.marks {
            mark_shape(&mut shapes, model, view, &model.marks[k], y, in_x);
        }
    }
    for &k in &model.loop_marks {
        mark_shape(&mut shapes, model, view, &model.marks[k], lane_y(None), in_x);
    }

    // Wake-up arrows with an end in view.
    for a in &model.arrows {
        let from_y = y_of(a.from.map(|t| t as usize));
        let to_y = y_of(Some(a.to as usize));
        let from_lane_visible = a.from.is_none_or(|t| visible(lane_y(Some(t as usize))));
        if !from_lane_visible && !visible(lane_y(Some(a.to as usize))) {
            continue;
        }
        let x1 = view.x(model.position(mode, a.iteration, a.time));
        let x2 = view.x(model.position(mode, a.to_iteration, a.to_time));
        if (x1 < left && x2 < left) || (x1 > right && x2 > right) {
            continue;
        }
        shapes.push(Shape::Line {
            x1,
            y1: from_y,
            x2,
            y2: to_y,
            style: Style::Arrow,
        });
    }

    // The playback cursor.
    if let Some(m) = moment {
        let x = view.x(moment_position(model, mode, m));
        if in_x(x) {
            shapes.push(Shape::Line {
                x1: x,
                y1: AXIS_HEIGHT,
                x2: x,
                y2: view.height,
                style: Style::Cursor,
            });
        }
    }
    Scene {
        shapes,
        width: view.width,
        height: view.height,
    }
}

/// Where the playback moment (an event index) sits on the axis.
pub fn moment_position(model: &TimelineModel, mode: AxisMode, moment: usize) -> f64 {
    // The latest step, mark or arrow at or before the moment gives its iteration and time.
    let step = model
        .steps
        .iter()
        .take_while(|s| s.event <= moment)
        .last()
        .map(|s| (s.event, s.iteration, s.time));
    let mark = model
        .marks
        .iter()
        .filter(|k| k.event <= moment)
        .max_by_key(|k| k.event)
        .map(|k| (k.event, k.iteration, k.time));
    match step.into_iter().chain(mark).max_by_key(|(e, _, _)| *e) {
        Some((_, iteration, time)) => model.position(mode, iteration, time),
        None => 0.0,
    }
}

fn mark_shape(
    shapes: &mut Vec<Shape>,
    model: &TimelineModel,
    view: &Viewport,
    mark: &MarkItem,
    y: f64,
    in_x: impl Fn(f64) -> bool,
) {
    let x = view.x(model.position(view.mode, mark.iteration, mark.time));
    if !in_x(x) {
        return;
    }
    let style = Style::Mark(mark.kind);
    match mark.kind {
        MarkKind::Log | MarkKind::Warning => shapes.push(Shape::Rect {
            x: x - 2.0,
            y: y + 7.0,
            w: 4.0,
            h: 4.0,
            style,
        }),
        MarkKind::TimerSet => shapes.push(Shape::Line {
            x1: x,
            y1: y - 12.0,
            x2: x,
            y2: y - 8.0,
            style,
        }),
        MarkKind::TimerFired => shapes.push(Shape::Rect {
            x: x - 3.0,
            y: y - 3.0,
            w: 6.0,
            h: 6.0,
            style,
        }),
        MarkKind::Cancel => shapes.push(Shape::Line {
            x1: x - 4.0,
            y1: y - 4.0,
            x2: x + 4.0,
            y2: y + 4.0,
            style,
        }),
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

/// The axis end: the total rounded up to a whole tick.
pub fn nice_end(total: f64) -> f64 {
    if total <= 0.0 || !total.is_finite() {
        return 1.0;
    }
    let step = tick_step(total);
    (total / step - 1e-9).ceil().max(1.0) * step
}

/// `1.5` not `1.500`, `2` not `2.000`.
pub fn trim_number(t: f64) -> String {
    let s = format!("{t:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// What is under pixel (`x`, `y`): the step or mark nearest to it in its row, if close.
pub fn hit(model: &TimelineModel, view: &Viewport, x: f64, y: f64) -> Option<usize> {
    let row = ((y + view.scroll_y - AXIS_HEIGHT - HOST_HEIGHT) / LANE_HEIGHT).floor() as i64 - 1;
    let lane = model.lanes.get(usize::try_from(row).ok()?)?;
    let mut best: Option<(f64, usize)> = None;
    for &s in &lane.steps {
        let st = &model.steps[s];
        let d = (view.x(model.position(view.mode, st.iteration, st.time)) - x).abs();
        if d <= 6.0 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, st.event));
        }
    }
    for &k in &lane.marks {
        let mk = &model.marks[k];
        let d = (view.x(model.position(view.mode, mk.iteration, mk.time)) - x).abs();
        if d <= 4.0 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, mk.event));
        }
    }
    best.map(|(_, e)| e)
}

/// The scene as an SVG document (for export). Texts are escaped.
pub fn to_svg(scene: &Scene) -> String {
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\">\n<style>{css}</style>\n",
        w = scene.width,
        h = scene.height,
        css = SVG_CSS
    );
    for shape in &scene.shapes {
        match shape {
            Shape::Rect { x, y, w, h, style } => {
                out += &format!(
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" class=\"{}\"/>\n",
                    class(style)
                )
            }
            Shape::Line { x1, y1, x2, y2, style } => {
                out += &format!(
                    "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" class=\"{}\"/>\n",
                    class(style)
                )
            }
            Shape::Text { x, y, text, style } => {
                out += &format!(
                    "<text x=\"{x:.1}\" y=\"{y:.1}\" class=\"{}\">{}</text>\n",
                    class(style),
                    escape(text)
                )
            }
        }
    }
    out + "</svg>\n"
}

const SVG_CSS: &str = ".grid{stroke:#e5e2da}.axis{fill:#4b5160;font-size:11px;text-anchor:middle}.bg0{fill:#fff}.bg1{fill:#f6f4ef}\
.name{fill:#1d2330;font:12px monospace}.life-returned{fill:#cfe6e3}.life-failed{fill:#f3c9c3}.life-cancelled{fill:#ecdcae}\
.life-pending{fill:#d9dce3}.step0{fill:#0b5752}.step1{fill:#1d4ed8}.step2{fill:#7c2d92}.step3{fill:#9a3412}.future{fill:#b9bec9}\
.arrow{stroke:#c2410c;stroke-width:1}.log{fill:#1d2330}.warning{fill:#b42318}.timer{stroke:#4b5160}.fired{fill:#4b5160}\
.cancel{stroke:#b42318;stroke-width:2}.host0{fill:#c7d2fe}.host1{fill:#a5b4fc}.cursor{stroke:#c2410c;stroke-width:2}";

/// The CSS class of a style (the SVG export's and the page's shared vocabulary).
pub fn class(style: &Style) -> String {
    match style {
        Style::Grid => "grid".into(),
        Style::AxisLabel => "axis".into(),
        Style::LaneBg(odd) => format!("bg{}", u8::from(*odd)),
        Style::LaneName => "name".into(),
        Style::Life(end) => format!(
            "life-{}",
            match end {
                LifeEnd::Pending => "pending",
                LifeEnd::Returned => "returned",
                LifeEnd::Failed => "failed",
                LifeEnd::Cancelled => "cancelled",
            }
        ),
        Style::Step(pattern, true) => format!("step{pattern}"),
        Style::Step(_, false) => "future".into(),
        Style::Arrow => "arrow".into(),
        Style::Mark(kind) => match kind {
            MarkKind::Log => "log",
            MarkKind::Warning => "warning",
            MarkKind::TimerSet => "timer",
            MarkKind::TimerFired => "fired",
            MarkKind::Cancel => "cancel",
        }
        .into(),
        Style::Host(even) => format!("host{}", u8::from(*even)),
        Style::Cursor => "cursor".into(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos;

    fn model(id: &str) -> TimelineModel {
        TimelineModel::new(&demos::find(id).unwrap().run_traced().trace.unwrap())
    }

    #[test]
    fn lanes_follow_the_tasks_with_their_lifetimes() {
        let m = model("sequential-vs-concurrent");
        let names: Vec<&str> = m.lanes.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Task-1", "A", "B", "C"]);
        assert_eq!((m.lanes[1].start_time, m.lanes[1].end_time), (4.5, 6.5));
        assert_eq!(m.lanes[2].end_time, 5.5);
        assert_eq!(m.total_time, 6.5);
        assert_eq!(m.lanes[0].outcome, Some(Outcome::Returned));
    }

    #[test]
    fn wake_ups_become_arrows_from_waker_to_the_woken_step() {
        let m = model("sequential-vs-concurrent");
        // Task-1 creates A, B and C: three arrows from Task-1 to their first steps.
        let from_main: Vec<TaskId> = m.arrows.iter().filter(|a| a.from == Some(0)).map(|a| a.to).collect();
        assert!(from_main.starts_with(&[1, 2, 3]), "{from_main:?}");
        for a in &m.arrows {
            assert!(
                a.to_iteration > a.iteration,
                "an arrow points to a later iteration: {a:?}"
            );
        }
        // Sleeps end with the loop waking the task: arrows from the loop's row.
        assert!(m.arrows.iter().any(|a| a.from.is_none() && a.to == 1));
    }

    #[test]
    fn the_viewport_maps_axis_values_to_pixels_and_back() {
        let m = model("mental-model");
        let v = Viewport::fit(&m, AxisMode::Time, 1000.0, 300.0);
        assert_eq!(v.end, 6.0);
        let x = v.x(3.0);
        assert!((v.value(x) - 3.0).abs() < 1e-9);
        assert_eq!(v.x(0.0), LABEL_WIDTH);
        assert_eq!(v.x(6.0), 1000.0 - 16.0);
    }

    #[test]
    fn zoom_keeps_the_anchor_and_pan_moves_the_window() {
        let m = model("mental-model");
        let mut v = Viewport::fit(&m, AxisMode::Time, 1000.0, 300.0);
        let anchor = v.x(2.0);
        v.zoom(4.0, anchor, m.extent(AxisMode::Time));
        assert!((v.value(anchor) - 2.0).abs() < 1e-9);
        assert!((v.end - v.start - 1.5).abs() < 1e-9);
        let before = v.start;
        v.pan(-100.0, m.extent(AxisMode::Time));
        assert!(v.start > before, "dragging left shows later times");
    }

    #[test]
    fn the_iteration_axis_gives_each_iteration_a_column() {
        let m = model("sequential-vs-concurrent");
        let v = Viewport::fit(&m, AxisMode::Iteration, 1000.0, 400.0);
        assert_eq!(v.end, m.iterations as f64);
        let scene = draw(&m, &v, None);
        let steps: Vec<(f64, f64)> = scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect {
                    x,
                    w,
                    style: Style::Step(..),
                    ..
                } => Some((*x, *w)),
                _ => None,
            })
            .collect();
        assert_eq!(steps.len(), m.steps.len());
        let column = (v.plot().1 - v.plot().0) / m.iterations as f64;
        assert!(steps
            .iter()
            .all(|(_, w)| (*w - (column - 1.0)).abs() < 1e-6 || *w == 2.0));
    }

    #[test]
    fn only_lanes_in_view_are_drawn() {
        let trace = demos::find("performance-patterns").unwrap().run_traced().trace.unwrap();
        let m = TimelineModel::new(&trace);
        assert!(m.lanes.len() > 1000);
        let v = Viewport::fit(&m, AxisMode::Time, 1200.0, 600.0);
        let scene = draw(&m, &v, None);
        let names = scene
            .shapes
            .iter()
            .filter(|s| {
                matches!(
                    s,
                    Shape::Text {
                        style: Style::LaneName,
                        ..
                    }
                )
            })
            .count();
        assert!(names < 40, "{names} lane names drawn for a 600 px view");
    }

    #[test]
    fn steps_after_the_moment_are_drawn_as_future() {
        let m = model("mental-model");
        let v = Viewport::fit(&m, AxisMode::Iteration, 1000.0, 300.0);
        let moment = m.steps[3].event;
        let scene = draw(&m, &v, Some(moment));
        let (past, future): (Vec<&Shape>, Vec<&Shape>) = scene
            .shapes
            .iter()
            .filter(|s| {
                matches!(
                    s,
                    Shape::Rect {
                        style: Style::Step(..),
                        ..
                    }
                )
            })
            .partition(|s| {
                matches!(
                    s,
                    Shape::Rect {
                        style: Style::Step(_, true),
                        ..
                    }
                )
            });
        assert_eq!(past.len(), 4);
        assert_eq!(future.len(), m.steps.len() - 4);
        assert!(scene.shapes.iter().any(|s| matches!(
            s,
            Shape::Line {
                style: Style::Cursor,
                ..
            }
        )));
    }

    #[test]
    fn clicking_a_step_finds_its_event() {
        let m = model("sequential-vs-concurrent");
        let v = Viewport::fit(&m, AxisMode::Iteration, 1000.0, 400.0);
        let step = &m.steps[m.lanes[1].steps[0]];
        let x = v.x(m.position(AxisMode::Iteration, step.iteration, step.time));
        assert_eq!(hit(&m, &v, x, lane_y(Some(1))), Some(step.event));
        assert_eq!(hit(&m, &v, x, 5.0), None);
    }

    #[test]
    fn the_svg_export_escapes_texts_and_names_its_classes() {
        let scene = Scene {
            shapes: vec![Shape::Text {
                x: 1.0,
                y: 2.0,
                text: "<b>&".into(),
                style: Style::LaneName,
            }],
            width: 10.0,
            height: 10.0,
        };
        let svg = to_svg(&scene);
        assert!(
            svg.contains("<text x=\"1.0\" y=\"2.0\" class=\"name\">&lt;b&gt;&amp;</text>"),
            "{svg}"
        );
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    }

    #[test]
    fn tick_steps_give_a_handful_of_ticks() {
        assert_eq!(tick_step(6.5), 1.0);
        assert_eq!(tick_step(2.0), 0.5);
        for span in [0.01, 0.3, 1.0, 7.0, 42.0, 1234.0] {
            let n = span / tick_step(span);
            assert!((3.0..=10.0).contains(&n), "span {span}: {n} ticks");
        }
        assert_eq!(nice_end(6.5), 7.0);
        assert_eq!(trim_number(1.5), "1.5");
    }
}

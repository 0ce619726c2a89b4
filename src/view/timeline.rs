//! The timeline's model and geometry: lanes, steps, waits, wake-up arrows and marks (filled by
//! the [`Replay`](super::replay::Replay) pass), the viewport on them, the lanes' layout (with
//! collapsed lanes), and what is under a point. Plain Rust, tested natively; `scene` turns them
//! into shapes.
//!
//! Rows from the top: the axis, the browser's turns (which macrotask and microtask ran each
//! iteration, when known), the loop's own row (timers firing), then one lane per task, named as
//! asyncio names it. Two horizontal axes: virtual time (a step is as wide as the time it held the
//! loop), and loop iterations (one column per iteration, so that the order of the zero-duration
//! steps of one instant shows).

use crate::trace::{FutureLabel, Outcome, TaskId, Waker};

/// Height of the axis row.
pub const AXIS_HEIGHT: f64 = 24.0;
/// Height of the browser's row.
pub const HOST_HEIGHT: f64 = 18.0;
/// Height of the loop's row and of each open task lane.
pub const LANE_HEIGHT: f64 = 30.0;
/// Height of a collapsed lane.
pub const COLLAPSED_HEIGHT: f64 = 10.0;
/// Patterns that tell lanes apart without colour.
pub const PATTERNS: usize = 4;
/// The widest the names' column gets.
pub const LABEL_WIDTH: f64 = 132.0;
/// Room kept right of the plot (for the scroll cue).
pub const RIGHT_MARGIN: f64 = 16.0;

/// Which horizontal axis the drawing uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AxisMode {
    /// Virtual time, in seconds.
    Time,
    /// Loop iterations, one column each.
    Iteration,
}

/// What a step left its task waiting on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Wait {
    /// Nothing: the task finished in this step.
    Finished,
    /// A sleep (its delay from the timer set in the same step).
    Sleep {
        /// How long.
        seconds: f64,
        /// Until when.
        until: f64,
    },
    /// Another task.
    Task(TaskId),
    /// A gather: an index into [`TimelineModel::gathers`].
    Gather(u32),
    /// Some other future, by the call that made it (`queue.get()`, `lock.acquire()`, a
    /// hand-made future...).
    Future(FutureLabel),
}

/// A step of a task.
#[derive(Clone, Debug, PartialEq)]
pub struct StepItem {
    /// The task.
    pub task: TaskId,
    /// Its iteration.
    pub iteration: u64,
    /// When it began.
    pub time: f64,
    /// When it ended: later than `time` when the step held the loop (a blocking call).
    pub end_time: f64,
    /// The index of its `StepBegin` event.
    pub event: usize,
    /// The index of its `StepEnd` event.
    pub end_event: usize,
    /// What it left the task waiting on.
    pub wait: Wait,
    /// The last source line it reached that the trace knows (an index into the trace's sources).
    pub at: Option<u32>,
    /// The wake-up that scheduled it (index into the arrows), if another task or the loop did.
    pub woken_by: Option<u32>,
}

/// A wake-up: from the waker (a task, or the loop's row) to the woken task's next step.
#[derive(Clone, Debug, PartialEq)]
pub struct ArrowItem {
    /// The waking task, or `None` for the loop (a timer or callback).
    pub from: Option<TaskId>,
    /// Who woke it.
    pub by: Waker,
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
    /// That step (an index into the steps).
    pub to_step: u32,
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
    /// Its (last) name.
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
    pub steps: Vec<u32>,
    /// Indices into [`TimelineModel::marks`] of its marks, in order.
    pub marks: Vec<u32>,
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

impl LaneItem {
    /// How its life ended.
    pub fn life(&self) -> LifeEnd {
        match &self.outcome {
            None => LifeEnd::Pending,
            Some(Outcome::Returned) => LifeEnd::Returned,
            Some(Outcome::Failed { .. }) => LifeEnd::Failed,
            Some(Outcome::Cancelled) => LifeEnd::Cancelled,
        }
    }
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

/// Everything the drawing needs from a trace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimelineModel {
    /// One lane per task, in creation order.
    pub lanes: Vec<LaneItem>,
    /// Every step, in order.
    pub steps: Vec<StepItem>,
    /// Every wake-up, in order.
    pub arrows: Vec<ArrowItem>,
    /// Every mark, in order.
    pub marks: Vec<MarkItem>,
    /// The loop's row's marks (timers firing), indices into `marks`.
    pub loop_marks: Vec<u32>,
    /// The children of each gather a step awaits.
    pub gathers: Vec<Vec<Option<TaskId>>>,
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
    /// The extent of an axis: `[0, total]` in its units.
    pub fn extent(&self, mode: AxisMode) -> f64 {
        match mode {
            AxisMode::Time => self.total_time.max(1e-3),
            AxisMode::Iteration => (self.iterations as f64).max(1.0),
        }
    }

    /// Where something of `iteration` at `time` sits on the axis: a time, or the middle of the
    /// iteration's column (iteration k fills the column from k-1 to k).
    pub fn position(&self, mode: AxisMode, iteration: u64, time: f64) -> f64 {
        match mode {
            AxisMode::Time => time,
            AxisMode::Iteration => iteration as f64 - 0.5,
        }
    }

    /// A step's extent on the axis: from its start to its end (a column on the iteration axis).
    pub fn step_span(&self, mode: AxisMode, step: &StepItem) -> (f64, f64) {
        match mode {
            AxisMode::Time => (step.time, step.end_time),
            AxisMode::Iteration => (step.iteration as f64 - 1.0, step.iteration as f64),
        }
    }
}

/// The lanes' vertical layout: which lanes are collapsed, and where each one starts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    collapsed: Vec<bool>,
    /// The top of each lane, from the top of the first lane; one more entry for the bottom.
    tops: Vec<f64>,
}

/// Where the lanes begin, below the axis, the browser's row and the loop's row.
pub const LANES_TOP: f64 = AXIS_HEIGHT + HOST_HEIGHT + LANE_HEIGHT;

impl Layout {
    /// Every lane open.
    pub fn new(lanes: usize) -> Self {
        let mut layout = Layout {
            collapsed: vec![false; lanes],
            tops: Vec::new(),
        };
        layout.measure();
        layout
    }

    fn measure(&mut self) {
        self.tops.clear();
        self.tops.reserve(self.collapsed.len() + 1);
        let mut y = 0.0;
        for c in &self.collapsed {
            self.tops.push(y);
            y += if *c { COLLAPSED_HEIGHT } else { LANE_HEIGHT };
        }
        self.tops.push(y);
    }

    /// How many lanes.
    pub fn len(&self) -> usize {
        self.collapsed.len()
    }

    /// Whether there are no lanes.
    pub fn is_empty(&self) -> bool {
        self.collapsed.is_empty()
    }

    /// Whether lane `i` is collapsed.
    pub fn is_collapsed(&self, i: usize) -> bool {
        self.collapsed.get(i).copied().unwrap_or(false)
    }

    /// Collapses or opens lane `i`.
    pub fn toggle(&mut self, i: usize) {
        if let Some(c) = self.collapsed.get_mut(i) {
            *c = !*c;
            self.measure();
        }
    }

    /// Collapses every lane whose task had finished by time `t` (or opens them all again).
    pub fn collapse_where(&mut self, collapse: impl Fn(usize) -> bool) {
        for (i, c) in self.collapsed.iter_mut().enumerate() {
            *c = collapse(i);
        }
        self.measure();
    }

    /// The lanes' total height.
    pub fn height(&self) -> f64 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// The top of lane `i` in the drawing, before scrolling.
    pub fn top(&self, i: usize) -> f64 {
        LANES_TOP + self.tops.get(i).copied().unwrap_or(0.0)
    }

    /// The height of lane `i`.
    pub fn lane_height(&self, i: usize) -> f64 {
        if self.is_collapsed(i) {
            COLLAPSED_HEIGHT
        } else {
            LANE_HEIGHT
        }
    }

    /// The centre of lane `i` in the drawing, before scrolling.
    pub fn centre(&self, i: usize) -> f64 {
        self.top(i) + self.lane_height(i) / 2.0
    }

    /// The lane at drawing height `y` (before scrolling), if any.
    pub fn lane_at(&self, y: f64) -> Option<usize> {
        let y = y - LANES_TOP;
        if y < 0.0 || y >= self.height() {
            return None;
        }
        let i = self.tops.partition_point(|t| *t <= y);
        i.checked_sub(1).filter(|i| *i < self.len())
    }

    /// The lanes that meet the band `[y0, y1)` of the drawing (before scrolling).
    pub fn lanes_between(&self, y0: f64, y1: f64) -> std::ops::Range<usize> {
        let a = self
            .tops
            .partition_point(|t| *t + LANE_HEIGHT <= y0 - LANES_TOP)
            .min(self.len());
        let b = self.tops.partition_point(|t| *t < y1 - LANES_TOP).min(self.len());
        a..b.max(a)
    }

    /// The full drawing's height.
    pub fn content_height(&self) -> f64 {
        LANES_TOP + self.height() + 4.0
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
            width: width.max(200.0),
            height,
            scroll_y: 0.0,
        }
    }

    /// The names' column: narrower on a narrow screen, so the plot keeps most of the width.
    pub fn label_width(&self) -> f64 {
        (self.width * 0.28).clamp(76.0, LABEL_WIDTH)
    }

    /// The plot's pixel range.
    pub fn plot(&self) -> (f64, f64) {
        (self.label_width(), self.width - RIGHT_MARGIN)
    }

    /// Pixels per axis unit.
    pub fn scale(&self) -> f64 {
        let (left, right) = self.plot();
        (right - left) / (self.end - self.start).max(1e-12)
    }

    /// The x of an axis value.
    pub fn x(&self, v: f64) -> f64 {
        self.x_of()(v)
    }

    /// `x` for many values: the plot's left edge and the scale are worked out once, where `x`
    /// works them out on every call (a frame fitted to a big run places tens of thousands).
    pub fn x_of(&self) -> impl Fn(f64) -> f64 + Copy {
        let (left, scale, start) = (self.plot().0, self.scale(), self.start);
        move |v| left + (v - start) * scale
    }

    /// The axis value at pixel `x`.
    pub fn value(&self, x: f64) -> f64 {
        self.start + (x - self.plot().0) / self.scale()
    }

    /// Zooms by `factor` (above 1: in) keeping the value under pixel `anchor` in place.
    pub fn zoom(&mut self, factor: f64, anchor: f64, extent: f64) {
        let factor = factor.clamp(0.05, 20.0);
        let at = self.value(anchor);
        let span = ((self.end - self.start) / factor).clamp(extent.max(1e-9) * 1e-6, extent.max(1e-9) * 1.05);
        let (left, right) = self.plot();
        let ratio = ((anchor - left) / (right - left).max(1.0)).clamp(0.0, 1.0);
        self.start = at - span * ratio;
        self.end = self.start + span;
        self.clamp(extent);
    }

    /// Pans by `dx` pixels (positive: the content moves right).
    pub fn pan(&mut self, dx: f64, extent: f64) {
        let shift = dx / self.scale();
        self.start -= shift;
        self.end -= shift;
        self.clamp(extent);
    }

    /// Scrolls the lanes by `dy` pixels, within the drawing.
    pub fn scroll(&mut self, dy: f64, content_height: f64) {
        let max = (content_height - self.height).max(0.0);
        self.scroll_y = (self.scroll_y + dy).clamp(0.0, max);
    }

    /// Scrolls so that lane `i` is in view.
    pub fn reveal_lane(&mut self, layout: &Layout, i: usize) {
        let top = layout.top(i) - LANES_TOP;
        let visible = self.height - LANES_TOP;
        if top < self.scroll_y || top + LANE_HEIGHT > self.scroll_y + visible {
            self.scroll_y = (top - visible / 3.0).max(0.0);
            self.scroll(0.0, layout.content_height());
        }
    }

    /// Moves the window so that axis value `v` is in view (keeping the zoom).
    pub fn reveal(&mut self, v: f64, extent: f64) {
        let span = self.end - self.start;
        if v < self.start || v > self.end {
            self.start = v - span / 2.0;
            self.end = self.start + span;
            self.clamp(extent);
        }
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

/// A tick spacing of 1, 2 or 5 times a power of ten giving about five to ten ticks.
pub fn tick_step(span: f64) -> f64 {
    if span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / 8.0;
    // The power of ten at or below `raw`, by steps (no `powf`/`log10`: the page's code stays
    // small without them).
    let mut magnitude = 1.0;
    while magnitude > raw && magnitude > 1e-300 {
        magnitude /= 10.0;
    }
    while magnitude * 10.0 <= raw && magnitude < 1e300 {
        magnitude *= 10.0;
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos;
    use crate::view::replay::Replay;

    fn model(id: &str) -> TimelineModel {
        Replay::new(&demos::find(id).unwrap().run_traced().trace.unwrap()).model
    }

    #[test]
    fn lanes_follow_the_tasks_with_their_lifetimes() {
        let m = model("sequential-vs-concurrent");
        let names: Vec<&str> = m.lanes.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Task-1", "A", "B", "C"]);
        assert_eq!((m.lanes[1].start_time, m.lanes[1].end_time), (4.5, 6.5));
        assert_eq!(m.lanes[2].end_time, 5.5);
        assert_eq!(m.total_time, 6.5);
        assert_eq!(m.lanes[0].life(), LifeEnd::Returned);
    }

    #[test]
    fn wake_ups_become_arrows_from_waker_to_the_woken_step() {
        let m = model("sequential-vs-concurrent");
        let from_main: Vec<TaskId> = m.arrows.iter().filter(|a| a.from == Some(0)).map(|a| a.to).collect();
        assert!(from_main.starts_with(&[1, 2, 3]), "{from_main:?}");
        for a in &m.arrows {
            assert!(
                a.to_iteration > a.iteration,
                "an arrow points to a later iteration: {a:?}"
            );
            assert_eq!(m.steps[a.to_step as usize].task, a.to);
        }
        assert!(m.arrows.iter().any(|a| a.from.is_none() && a.to == 1));
    }

    #[test]
    fn a_blocking_step_lasts_as_long_as_it_held_the_loop() {
        let m = model("blocking-the-loop");
        let long: Vec<&StepItem> = m.steps.iter().filter(|s| s.end_time - s.time > 0.4).collect();
        assert_eq!(long.len(), 1);
        assert_eq!((long[0].time, long[0].end_time), (0.15, 0.65));
        assert_eq!(m.lanes[long[0].task as usize].name, "cruncher");
    }

    #[test]
    fn the_viewport_maps_axis_values_to_pixels_and_back() {
        let m = model("mental-model");
        let v = Viewport::fit(&m, AxisMode::Time, 1000.0, 300.0);
        assert_eq!(v.end, 6.0);
        assert!((v.value(v.x(3.0)) - 3.0).abs() < 1e-9);
        assert_eq!(v.x(0.0), LABEL_WIDTH);
        assert_eq!(v.x(6.0), 1000.0 - RIGHT_MARGIN);
        // A phone gives the names less room.
        let narrow = Viewport::fit(&m, AxisMode::Time, 320.0, 300.0);
        assert!(narrow.label_width() < 100.0);
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
    fn collapsed_lanes_are_thin_and_lanes_are_found_by_height() {
        let mut layout = Layout::new(5);
        assert_eq!(layout.height(), 5.0 * LANE_HEIGHT);
        layout.toggle(1);
        assert_eq!(layout.height(), 4.0 * LANE_HEIGHT + COLLAPSED_HEIGHT);
        assert_eq!(layout.lane_at(layout.centre(2)), Some(2));
        assert_eq!(layout.lane_at(layout.centre(1)), Some(1));
        assert_eq!(layout.lane_at(LANES_TOP - 1.0), None);
        assert_eq!(layout.lanes_between(layout.top(2), layout.top(3) + 1.0), 1..4);
        let mut v = Viewport::fit(&TimelineModel::default(), AxisMode::Time, 800.0, 100.0);
        let mut big = Layout::new(1000);
        v.reveal_lane(&big, 500);
        assert!(big.top(500) - LANES_TOP >= v.scroll_y);
        big.collapse_where(|i| i % 2 == 0);
        assert_eq!(big.height(), 500.0 * (LANE_HEIGHT + COLLAPSED_HEIGHT));
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

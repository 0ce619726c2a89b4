//! The timeline as one complete scene: every rectangle, line, arrowhead, glyph and label, in
//! painting order, for what the viewport shows at the playback moment. The canvas paints it;
//! the SVG export writes it; both take their colours from [`palette`].
//!
//! Level of detail: only lanes and times in view are visited (binary searches over sorted
//! steps, marks and wake-ups), steps closer than a pixel are merged into one block, and
//! wake-up arrows are thinned to one per few pixels and lane pair, with a note saying how many
//! are merged, so a 500,000-event run draws in a few milliseconds at any zoom.

use super::palette;
use super::replay::{wait_label, Replay};
use super::timeline::{
    tick_step, trim_number, AxisMode, LaneItem, Layout, LifeEnd, MarkKind, StepItem, Viewport, Wait, AXIS_HEIGHT,
    HOST_HEIGHT, LANES_TOP, LANE_HEIGHT, PATTERNS,
};
use crate::trace::TaskId;

/// What a shape means: the palette says how it looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A grid line.
    Grid,
    /// An axis label.
    AxisLabel,
    /// The name of the browser's or the loop's row.
    RowLabel,
    /// A lane's background (alternating).
    LaneBg(bool),
    /// The lane of the task the current event concerns.
    LaneCurrent,
    /// A lane's name.
    LaneName,
    /// A task's life, by how it ended.
    Life(LifeEnd),
    /// The cross (failed) or slash (cancelled) at a life's end.
    EndGlyph(LifeEnd),
    /// A step, by lane pattern.
    Step(usize),
    /// The outline of the third pattern.
    StepOutline(usize),
    /// The white band of the second and fourth patterns.
    StepStripe,
    /// A step after the playback moment.
    StepFuture,
    /// What a wait is for, written on the lane.
    WaitLabel,
    /// The line a step ran to, written on the step.
    StepLabel,
    /// A wake-up arrow's line.
    Arrow,
    /// A wake-up arrow's head.
    ArrowHead,
    /// A mark.
    Mark(MarkKind),
    /// A browser macrotask (alternating).
    Host(bool),
    /// The playback moment.
    Cursor,
    /// The outline of what was clicked.
    Selected,
    /// A cue that lanes are out of view.
    Cue,
    /// The cue's background.
    CueBg,
    /// A note about the drawing (thinned arrows).
    Note,
}

/// How a text sits on its x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// x is its left end.
    Start,
    /// x is its middle.
    Middle,
    /// x is its right end.
    End,
}

/// One thing to paint.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A rectangle, filled or outlined as its style says.
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
    /// A straight line.
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
    /// A polygon (filled when closed) or polyline.
    Path {
        /// Its corners.
        points: Vec<(f64, f64)>,
        /// Closed and filled.
        closed: bool,
        /// Meaning.
        style: Style,
    },
    /// A text.
    Text {
        /// Anchor point x.
        x: f64,
        /// Baseline y.
        y: f64,
        /// The text.
        text: String,
        /// Meaning.
        style: Style,
        /// Where x is.
        anchor: Anchor,
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
    /// Wake-ups in view, and how many were drawn (the rest merged into nearby ones).
    pub arrows_in_view: usize,
    /// Arrows drawn.
    pub arrows_drawn: usize,
}

/// What a point of the timeline holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// A step (index into the model's steps).
    Step(u32),
    /// A mark (index into the model's marks).
    Mark(u32),
    /// A wake-up arrow (index into the model's arrows).
    Arrow(u32),
    /// A lane's name (index of the lane).
    LaneName(usize),
}

/// What to draw: the replay, the lanes' layout, the viewport, the moment and the selection.
pub struct Frame<'a> {
    /// The replayed trace.
    pub replay: &'a Replay,
    /// Which lanes are collapsed.
    pub layout: &'a Layout,
    /// What is on screen.
    pub view: &'a Viewport,
    /// The playback moment (an event index): later steps are drawn as future.
    pub moment: Option<usize>,
    /// The task the moment's event concerns (its lane is highlighted).
    pub current_task: Option<TaskId>,
    /// What was clicked.
    pub selected: Option<Hit>,
    /// The text written on a step (the line it ran to), when there is room.
    pub step_label: &'a dyn Fn(&StepItem) -> Option<String>,
}

/// The most wake-up arrows one frame draws.
pub const MAX_ARROWS: usize = 2500;
/// Arrows whose ends are this close (in pixels) to a drawn one are merged into it.
const ARROW_MERGE_PX: f64 = 3.0;

/// About how wide `text` is at `px` pixels (the fonts are monospaced).
pub fn text_width(text: &str, px: f64) -> f64 {
    text.chars().count() as f64 * px * 0.6
}

/// `text` cut to fit `width` pixels at `px`, with an ellipsis.
pub fn fit_text(text: &str, width: f64, px: f64) -> Option<String> {
    let fits = (width / (px * 0.6)).floor() as usize;
    let n = text.chars().count();
    if n <= fits {
        return Some(text.to_string());
    }
    if fits < 3 {
        return None;
    }
    let mut s: String = text.chars().take(fits - 1).collect();
    s.push('\u{2026}');
    Some(s)
}

impl Frame<'_> {
    fn lane_visible(&self, i: usize) -> bool {
        let top = self.layout.top(i) - self.view.scroll_y;
        top >= LANES_TOP - 0.5 && top < self.view.height
    }

    fn lane_y(&self, i: usize) -> f64 {
        self.layout.centre(i) - self.view.scroll_y
    }

    fn visible_lanes(&self) -> std::ops::Range<usize> {
        let r = self
            .layout
            .lanes_between(self.view.scroll_y + LANES_TOP, self.view.scroll_y + self.view.height);
        let start = (r.start..r.end).find(|i| self.lane_visible(*i)).unwrap_or(r.end);
        start..r.end
    }

    fn past(&self, event: usize) -> bool {
        self.moment.is_none_or(|m| event <= m)
    }

    /// A step's pixel extent.
    fn step_px(&self, step: &StepItem) -> (f64, f64) {
        let model = &self.replay.model;
        let (a, b) = model.step_span(self.view.mode, step);
        let (x0, x1) = (self.view.x(a), self.view.x(b));
        match self.view.mode {
            // A step of no duration is still a visible block.
            AxisMode::Time => (x0 - 1.5, (x1 - x0).max(0.0) + 3.0),
            AxisMode::Iteration => (x0 + 0.5, (x1 - x0 - 1.0).max(2.0)),
        }
    }
}

/// Paints what `frame.view` shows.
pub fn draw(frame: &Frame) -> Scene {
    let view = frame.view;
    let model = &frame.replay.model;
    let (left, right) = view.plot();
    let mut out = Vec::new();
    let lanes = frame.visible_lanes();

    // Lane backgrounds (the current task's lane highlighted).
    for i in lanes.clone() {
        let h = frame.layout.lane_height(i);
        let style = if frame.current_task == Some(i as TaskId) {
            Style::LaneCurrent
        } else {
            Style::LaneBg(i % 2 == 1)
        };
        out.push(Shape::Rect {
            x: 0.0,
            y: frame.layout.top(i) - view.scroll_y,
            w: view.width,
            h,
            style,
        });
    }

    // Grid and axis labels. On the iteration axis, iteration k fills the column from k-1 to k
    // and its label sits in the middle of its column.
    let span = view.end - view.start;
    let step = match view.mode {
        AxisMode::Time => tick_step(span),
        AxisMode::Iteration => tick_step(span).max(1.0).round(),
    };
    let first_tick = (view.start / step).ceil().max(0.0) as i64;
    let last_tick = (view.end / step).floor().max(0.0) as i64;
    for k in first_tick..=last_tick.min(first_tick + 200) {
        let v = k as f64 * step;
        let (grid_x, label_x, label) = match view.mode {
            AxisMode::Time => (view.x(v), view.x(v), format!("{} s", trim_number(v))),
            AxisMode::Iteration if k == 0 => continue,
            AxisMode::Iteration => (view.x(v), view.x(v - 0.5), format!("#{}", v as u64)),
        };
        if grid_x >= left - 0.5 && grid_x <= right + 0.5 {
            out.push(Shape::Line {
                x1: grid_x,
                y1: AXIS_HEIGHT - 4.0,
                x2: grid_x,
                y2: view.height,
                style: Style::Grid,
            });
        }
        if label_x >= left && label_x <= right {
            out.push(Shape::Text {
                x: label_x,
                y: 14.0,
                text: label,
                style: Style::AxisLabel,
                anchor: Anchor::Middle,
            });
        }
    }

    // Row names.
    let names_width = view.label_width() - 10.0;
    if !model.host.is_empty() {
        out.push(Shape::Text {
            x: 6.0,
            y: AXIS_HEIGHT + HOST_HEIGHT - 5.0,
            text: "browser".into(),
            style: Style::RowLabel,
            anchor: Anchor::Start,
        });
    }
    let loop_y = AXIS_HEIGHT + HOST_HEIGHT + LANE_HEIGHT / 2.0;
    out.push(Shape::Text {
        x: 6.0,
        y: loop_y + 4.0,
        text: "event loop".into(),
        style: Style::RowLabel,
        anchor: Anchor::Start,
    });
    for i in lanes.clone() {
        if frame.layout.is_collapsed(i) {
            continue;
        }
        if let Some(name) = fit_text(&model.lanes[i].name, names_width, 12.0) {
            out.push(Shape::Text {
                x: 6.0,
                y: frame.lane_y(i) + 4.0,
                text: name,
                style: Style::LaneName,
                anchor: Anchor::Start,
            });
        }
    }

    host_row(frame, &mut out);
    loop_row(frame, loop_y, &mut out);
    for i in lanes.clone() {
        lane(frame, i, &model.lanes[i], &mut out);
    }
    let (arrows_in_view, arrows_drawn) = arrows(frame, loop_y, &mut out);

    // The playback cursor.
    if let Some(m) = frame.moment {
        let r = frame.replay;
        let x = view.x(model.position(view.mode, r.iteration(m), r.time(m)));
        if x >= left - 1.0 && x <= right + 1.0 {
            out.push(Shape::Line {
                x1: x,
                y1: AXIS_HEIGHT - 2.0,
                x2: x,
                y2: view.height,
                style: Style::Cursor,
            });
        }
    }

    // What was clicked, outlined.
    if let Some(Hit::Step(s)) = frame.selected {
        if let Some(st) = model.steps.get(s as usize) {
            if frame.lane_visible(st.task as usize) && !frame.layout.is_collapsed(st.task as usize) {
                let (x, w) = frame.step_px(st);
                let y = frame.lane_y(st.task as usize);
                out.push(Shape::Rect {
                    x: x - 2.0,
                    y: y - 12.0,
                    w: w + 4.0,
                    h: 24.0,
                    style: Style::Selected,
                });
            }
        }
    }

    // Lanes out of view are never cut off silently.
    let above = lanes.start;
    let below = model.lanes.len().saturating_sub(lanes.end);
    if above > 0 || below > 0 {
        let mut parts = Vec::new();
        if above > 0 {
            parts.push(format!("\u{25b2} {above} above"));
        }
        if below > 0 {
            parts.push(format!("\u{25bc} {below} more below"));
        }
        let text = format!("{} \u{b7} scroll the lanes or find a task", parts.join(", "));
        let text = fit_text(&text, view.width - 12.0, 11.0).unwrap_or_default();
        out.push(Shape::Rect {
            x: 0.0,
            y: view.height - 16.0,
            w: view.width,
            h: 16.0,
            style: Style::CueBg,
        });
        out.push(Shape::Text {
            x: 6.0,
            y: view.height - 4.5,
            text,
            style: Style::Cue,
            anchor: Anchor::Start,
        });
    }
    if arrows_drawn < arrows_in_view {
        // Shorter where the plot is narrow, so that the browser's row shows beside it. (Whether
        // it is, is judged on room for big counts, so that zooming does not switch forms.)
        let long = |drawn: &dyn std::fmt::Display, in_view: &dyn std::fmt::Display| {
            format!("{drawn} of {in_view} wake-ups drawn: zoom in for all")
        };
        let note = if text_width(&long(&"0000", &"00000"), 11.0) <= (right - left) / 2.0 {
            long(&arrows_drawn, &arrows_in_view)
        } else {
            format!("{arrows_drawn}/{arrows_in_view} wake-ups")
        };
        if let Some(note) = fit_text(&note, right - left, 11.0) {
            // On a ground of its own: it sits on the browser's row, whose turns would run
            // through the letters.
            let w = text_width(&note, 11.0) + 8.0;
            out.push(Shape::Rect {
                x: right - w + 4.0,
                y: AXIS_HEIGHT + 1.0,
                w,
                h: HOST_HEIGHT - 2.0,
                style: Style::CueBg,
            });
            out.push(Shape::Text {
                x: right,
                y: AXIS_HEIGHT + HOST_HEIGHT - 5.0,
                text: note,
                style: Style::Note,
                anchor: Anchor::End,
            });
        }
    }
    Scene {
        shapes: out,
        width: view.width,
        height: view.height,
        arrows_in_view,
        arrows_drawn,
    }
}

/// The browser's turns: one block per iteration, merged when closer than a pixel.
fn host_row(frame: &Frame, out: &mut Vec<Shape>) {
    let view = frame.view;
    let model = &frame.replay.model;
    let (left, right) = view.plot();
    let mut last: Option<(f64, f64, bool)> = None;
    let flush = |out: &mut Vec<Shape>, block: Option<(f64, f64, bool)>| {
        if let Some((a, b, even)) = block {
            out.push(Shape::Rect {
                x: a,
                y: AXIS_HEIGHT + 2.0,
                w: (b - a).max(1.0),
                h: HOST_HEIGHT - 5.0,
                style: Style::Host(even),
            });
        }
    };
    for turn in &model.host {
        let (x1, x2) = match view.mode {
            AxisMode::Iteration => (view.x(turn.iteration as f64 - 1.0), view.x(turn.iteration as f64)),
            AxisMode::Time => {
                let t = model
                    .iteration_times
                    .get(turn.iteration.saturating_sub(1) as usize)
                    .copied()
                    .unwrap_or(0.0);
                (view.x(t) - 1.0, view.x(t) + 1.0)
            }
        };
        if x2 < left || x1 > right {
            continue;
        }
        let (a, b, even) = (x1.max(left), x2.min(right), turn.macrotask % 2 == 0);
        match &mut last {
            Some((_, end, e)) if *e == even && a <= *end + 0.5 => *end = end.max(b),
            _ => {
                flush(out, last.take());
                last = Some((a, b, even));
            }
        }
    }
    flush(out, last);
}

/// The loop's row: timers firing, merged per pixel.
fn loop_row(frame: &Frame, y: f64, out: &mut Vec<Shape>) {
    let view = frame.view;
    let model = &frame.replay.model;
    let (left, right) = view.plot();
    let marks = &model.loop_marks;
    let value = |k: &u32| {
        let m = &model.marks[*k as usize];
        model.position(view.mode, m.iteration, m.time)
    };
    let x_of = view.x_of();
    let mut at = marks.partition_point(|k| value(k) < view.start - 1.0);
    let mut last_x = f64::NEG_INFINITY;
    while let Some(k) = marks.get(at) {
        let v = value(k);
        if v > view.end + 1.0 {
            break;
        }
        let x = x_of(v);
        if x < left || x > right || x - last_x < 1.0 {
            // The marks are in order: skip at once those that fall on the pixel just drawn (a
            // run with 60,000 timers has dozens on each pixel when fitted to the screen).
            at += 1 + gallop(&marks[at + 1..], |k| x_of(value(k)) - last_x < 1.0);
            continue;
        }
        at += 1;
        last_x = x;
        let m = &model.marks[*k as usize];
        out.push(Shape::Rect {
            x: x - 3.0,
            y: y - 3.0,
            w: 6.0,
            h: 6.0,
            style: Style::Mark(m.kind),
        });
    }
}

/// How many items at the front of `items` satisfy `pred` (true for a prefix of them, then
/// false), found by looking 1, 2, 4, ... items ahead and then halving: a few nearby looks when
/// the prefix is short, where a binary search over all of `items` reads far-apart memory.
fn gallop<T>(items: &[T], pred: impl Fn(&T) -> bool) -> usize {
    let mut below = 0;
    let mut step = 1;
    while below + step <= items.len() && pred(&items[below + step - 1]) {
        below += step;
        step *= 2;
    }
    let end = (below + step).min(items.len());
    below + items[below..end].partition_point(pred)
}

/// One lane: the life, the waits with their labels, the steps with theirs, the marks and the
/// glyph at a failed or cancelled end.
fn lane(frame: &Frame, i: usize, lane: &LaneItem, out: &mut Vec<Shape>) {
    let view = frame.view;
    let model = &frame.replay.model;
    let (left, right) = view.plot();
    let y = frame.lane_y(i);
    let collapsed = frame.layout.is_collapsed(i);
    let life = lane.life();

    // The life, as a bar from creation to end.
    let (x1, x2) = match view.mode {
        AxisMode::Time => (view.x(lane.start_time), view.x(lane.end_time)),
        AxisMode::Iteration => (view.x(lane.start_iteration as f64), view.x(lane.end_iteration as f64)),
    };
    if x2 >= left && x1 <= right {
        let (a, b) = (x1.max(left), x2.min(right).max(x1.max(left) + 1.0));
        if life == LifeEnd::Cancelled {
            life_dashes(out, a, b, y);
        } else {
            out.push(Shape::Line {
                x1: a,
                y1: y,
                x2: b,
                y2: y,
                style: Style::Life(life),
            });
        }
        if matches!(life, LifeEnd::Failed | LifeEnd::Cancelled) && x2 <= right && x2 >= left {
            let r = if collapsed { 3.0 } else { 5.0 };
            out.push(Shape::Line {
                x1: x2 - r,
                y1: y + r,
                x2: x2 + r,
                y2: y - r,
                style: Style::EndGlyph(life),
            });
            if life == LifeEnd::Failed {
                out.push(Shape::Line {
                    x1: x2 - r,
                    y1: y - r,
                    x2: x2 + r,
                    y2: y + r,
                    style: Style::EndGlyph(life),
                });
            }
        }
    }

    // Steps in view (the lane's steps are in order: search for the first one that ends in view).
    let pattern = i % PATTERNS;
    let steps = &lane.steps;
    let from = steps.partition_point(|&s| {
        let st = &model.steps[s as usize];
        model.step_span(view.mode, st).1 < view.start
    });
    let h = if collapsed { 6.0 } else { 20.0 };
    let mut block: Option<(f64, f64, bool)> = None;
    let flush = |out: &mut Vec<Shape>, block: Option<(f64, f64, bool)>| {
        if let Some((x, end, past)) = block {
            step_block(out, x, y - h / 2.0, end - x, h, pattern, past);
        }
    };
    for (k, &s) in steps.iter().enumerate().skip(from) {
        let st = &model.steps[s as usize];
        let (x, w) = frame.step_px(st);
        if x > right + 1.0 {
            break;
        }
        let past = frame.past(st.event);
        let (x, end) = (x.max(left - 2.0), (x + w).min(right + 2.0));
        match &mut block {
            Some((_, e, p)) if *p == past && x <= *e + 0.75 => *e = e.max(end),
            _ => {
                flush(out, block.take());
                block = Some((x, end, past));
            }
        }
        if collapsed {
            continue;
        }
        // The line it ran to, on the step; what it then waits for, on the lane after it.
        if w >= 40.0 {
            if let Some(label) = (frame.step_label)(st).and_then(|l| fit_text(&l, w - 6.0, 10.5)) {
                flush(out, block.take());
                out.push(Shape::Text {
                    x: x + 3.0,
                    y: y + 3.5,
                    text: label,
                    style: Style::StepLabel,
                    anchor: Anchor::Start,
                });
            }
        }
        if st.wait != Wait::Finished {
            let next = steps.get(k + 1).map(|&n| &model.steps[n as usize]);
            let gap_end = match (next, view.mode) {
                (Some(n), _) => frame.step_px(n).0,
                (None, AxisMode::Time) => view.x(lane.end_time),
                (None, AxisMode::Iteration) => view.x(lane.end_iteration as f64),
            };
            let gap_start = (x + w + 4.0).max(left);
            let room = gap_end.min(right) - gap_start - 4.0;
            if room >= 30.0 {
                let text = wait_label(frame.replay, &st.wait, frame.moment.unwrap_or(usize::MAX));
                if let Some(text) = fit_text(&text, room, 10.5) {
                    out.push(Shape::Text {
                        x: gap_start,
                        y: y - 5.0,
                        text,
                        style: Style::WaitLabel,
                        anchor: Anchor::Start,
                    });
                }
            }
        }
    }
    flush(out, block);

    // Marks, one per pixel and kind.
    if collapsed {
        return;
    }
    // The x of the last mark drawn, by kind.
    let mut last = [f64::NEG_INFINITY; 5];
    let marks = &lane.marks;
    let value = |k: &u32| {
        let m = &model.marks[*k as usize];
        model.position(view.mode, m.iteration, m.time)
    };
    let from = marks.partition_point(|k| value(k) < view.start - 1.0);
    for k in &marks[from..] {
        let v = value(k);
        if v > view.end + 1.0 {
            break;
        }
        let x = view.x(v);
        let m = &model.marks[*k as usize];
        let slot = m.kind as usize;
        if x < left || x > right || x - last[slot] < 1.5 {
            continue;
        }
        last[slot] = x;
        mark(out, m.kind, x, y);
    }
}

/// A cancelled task's life: dashes from `a` to `b`.
fn life_dashes(out: &mut Vec<Shape>, a: f64, b: f64, y: f64) {
    let (on, off) = palette::DASH;
    let mut x = a;
    while x < b {
        out.push(Shape::Line {
            x1: x,
            y1: y,
            x2: (x + on).min(b),
            y2: y,
            style: Style::Life(LifeEnd::Cancelled),
        });
        x += on + off;
    }
}

/// A step block in its lane's pattern: solid, striped, outlined over a light fill, notched.
fn step_block(out: &mut Vec<Shape>, x: f64, y: f64, w: f64, h: f64, pattern: usize, past: bool) {
    if !past {
        out.push(Shape::Rect {
            x,
            y,
            w,
            h,
            style: Style::StepFuture,
        });
        return;
    }
    out.push(Shape::Rect {
        x,
        y,
        w,
        h,
        style: Style::Step(pattern),
    });
    if w < 6.0 || h < 10.0 {
        return;
    }
    match pattern {
        1 => out.push(Shape::Rect {
            x,
            y: y + h / 2.0 - 1.5,
            w,
            h: 3.0,
            style: Style::StepStripe,
        }),
        2 => {
            out.push(Shape::Rect {
                x: x + 2.0,
                y: y + 2.0,
                w: w - 4.0,
                h: h - 4.0,
                style: Style::StepStripe,
            });
            out.push(Shape::Rect {
                x: x + 4.0,
                y: y + 4.0,
                w: w - 8.0,
                h: h - 8.0,
                style: Style::Step(pattern),
            });
        }
        3 => out.push(Shape::Rect {
            x,
            y,
            w,
            h: 3.0,
            style: Style::StepStripe,
        }),
        _ => {}
    }
}

fn mark(out: &mut Vec<Shape>, kind: MarkKind, x: f64, y: f64) {
    let style = Style::Mark(kind);
    match kind {
        MarkKind::Log | MarkKind::Warning => out.push(Shape::Path {
            points: vec![(x, y + 7.0), (x + 4.0, y + 11.0), (x, y + 15.0), (x - 4.0, y + 11.0)],
            closed: true,
            style,
        }),
        MarkKind::TimerSet => out.push(Shape::Line {
            x1: x,
            y1: y - 14.0,
            x2: x,
            y2: y - 10.0,
            style,
        }),
        MarkKind::TimerFired => out.push(Shape::Rect {
            x: x - 3.0,
            y: y - 3.0,
            w: 6.0,
            h: 6.0,
            style,
        }),
        MarkKind::Cancel => {
            out.push(Shape::Line {
                x1: x - 4.0,
                y1: y - 14.0,
                x2: x + 4.0,
                y2: y - 6.0,
                style,
            });
        }
    }
}

/// An arrow's head at (x2, y2), pointing along the line from (x1, y1): two sides 6 px long at
/// about 26 degrees from the line (turned with a fixed rotation, no trigonometry).
fn arrow_head(x1: f64, y1: f64, x2: f64, y2: f64) -> Shape {
    const SIZE: f64 = 6.0;
    // cos and sin of 0.45 radians.
    const C: f64 = 0.900_447;
    const S: f64 = 0.434_966;
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (bx, by) = (-dx / len * SIZE, -dy / len * SIZE);
    Shape::Path {
        points: vec![
            (x2, y2),
            (x2 + bx * C - by * S, y2 + bx * S + by * C),
            (x2 + bx * C + by * S, y2 - bx * S + by * C),
        ],
        closed: true,
        style: Style::ArrowHead,
    }
}

/// Wake-up arrows with an end in view, thinned: returns (in view, drawn).
fn arrows(frame: &Frame, loop_y: f64, out: &mut Vec<Shape>) -> (usize, usize) {
    let view = frame.view;
    let model = &frame.replay.model;
    let (left, right) = view.plot();
    let (top, bottom) = (LANES_TOP, view.height - 2.0);
    // The rows an arrow can start or end on, numbered: the loop's, the top and the bottom edge
    // of the lanes (toward a lane out of view), and each lane on screen and not collapsed. All
    // computed once, not per arrow: a frame fitted to a big run walks tens of thousands.
    const LOOP_ROW: usize = 0;
    const TOP_EDGE: usize = 1;
    const BOTTOM_EDGE: usize = 2;
    let shown = frame.visible_lanes();
    let mut row_y = vec![loop_y, top, bottom];
    let lane_rows: Vec<Option<usize>> = shown
        .clone()
        .map(|i| {
            (frame.lane_visible(i) && !frame.layout.is_collapsed(i)).then(|| {
                row_y.push(frame.lane_y(i));
                row_y.len() - 1
            })
        })
        .collect();
    let row_of = |t: TaskId| lane_rows.get((t as usize).wrapping_sub(shown.start)).copied().flatten();
    // An end out of view is drawn at the edge of the lanes, toward where it is.
    let edge = |t: TaskId| {
        if frame.layout.top(t as usize) - view.scroll_y < top {
            TOP_EDGE
        } else {
            BOTTOM_EDGE
        }
    };
    let x_of = view.x_of();
    // The x of the last arrow drawn between each pair of rows (arrows come in time order).
    let rows = row_y.len();
    let mut last = vec![f64::NEG_INFINITY; rows * rows];
    let (mut in_view, mut drawn) = (0, 0);
    let start = |a: &super::timeline::ArrowItem| model.position(view.mode, a.iteration, a.time);
    let first = model
        .arrows
        .partition_point(|a| start(a) < view.start - (view.end - view.start));
    for a in &model.arrows[first..] {
        let v1 = start(a);
        if v1 > view.end + 1.0 {
            break;
        }
        // An arrow between two rows off screen, or from the loop's row to one, is not drawn.
        let (from, to) = (a.from.map_or(Some(LOOP_ROW), row_of), row_of(a.to));
        if to.is_none() && (a.from.is_none() || from.is_none()) {
            continue;
        }
        let x1 = x_of(v1);
        let x2 = x_of(model.position(view.mode, a.to_iteration, a.to_time));
        if (x1 < left && x2 < left) || (x1 > right && x2 > right) {
            continue;
        }
        in_view += 1;
        let from = from.unwrap_or_else(|| edge(a.from.unwrap_or(0)));
        let to = to.unwrap_or_else(|| edge(a.to));
        let pair = &mut last[from * rows + to];
        if drawn >= MAX_ARROWS || (x2 - *pair).abs() < ARROW_MERGE_PX {
            continue;
        }
        *pair = x2;
        drawn += 1;
        let (x1, x2) = (x1.clamp(left, right), x2.clamp(left, right));
        let (y1, y2) = (row_y[from], row_y[to]);
        let (y1, y2) = if (y1 - y2).abs() < 1.0 {
            (y1 - 6.0, y2)
        } else {
            (y1, y2)
        };
        // Stop short of the step's edge, so the head is seen.
        let y2 = if y2 > y1 { y2 - 10.0 } else { y2 + 10.0 };
        out.push(Shape::Line {
            x1,
            y1,
            x2,
            y2,
            style: Style::Arrow,
        });
        out.push(arrow_head(x1, y1, x2, y2));
    }
    (in_view, drawn)
}

/// What is under pixel (`x`, `y`) of the drawing: a step, a mark, a wake-up or a lane name.
pub fn hit(frame: &Frame, x: f64, y: f64) -> Option<Hit> {
    let view = frame.view;
    let model = &frame.replay.model;
    let (left, _) = view.plot();
    let lane = frame
        .layout
        .lane_at(y + view.scroll_y)
        .filter(|i| frame.lane_visible(*i));
    if x < left {
        return lane.map(Hit::LaneName);
    }
    if let Some(i) = lane {
        let lane_item = &model.lanes[i];
        let cy = frame.lane_y(i);
        // A step under the point, or the nearest within 6 px.
        let v0 = view.value(x - 6.0);
        let from = lane_item.steps.partition_point(|&s| {
            let st = &model.steps[s as usize];
            model.step_span(view.mode, st).1 < v0
        });
        let mut best: Option<(f64, Hit)> = None;
        for &s in &lane_item.steps[from..] {
            let st = &model.steps[s as usize];
            let (sx, sw) = frame.step_px(st);
            if sx > x + 6.0 {
                break;
            }
            let d = if x >= sx && x <= sx + sw {
                0.0
            } else {
                (sx - x).abs().min((sx + sw - x).abs())
            };
            if d <= 6.0 && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, Hit::Step(s)));
            }
        }
        if (y - cy).abs() > 10.0 {
            // Below the step: a mark.
            for &k in &lane_item.marks {
                let m = &model.marks[k as usize];
                let d = (view.x(model.position(view.mode, m.iteration, m.time)) - x).abs();
                if d <= 4.0 && best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, Hit::Mark(k)));
                }
            }
        }
        if let Some((_, h)) = best {
            return Some(h);
        }
    }
    // A wake-up arrow passing within 4 px.
    let loop_y = AXIS_HEIGHT + HOST_HEIGHT + LANE_HEIGHT / 2.0;
    let y_of = |t: Option<TaskId>| match t {
        None => Some(loop_y),
        Some(t) => frame.lane_visible(t as usize).then(|| frame.lane_y(t as usize)),
    };
    let v = view.value(x);
    let window = 6.0 / view.scale();
    let from = model
        .arrows
        .partition_point(|a| model.position(view.mode, a.iteration, a.time) < v - window - 1.0);
    for (k, a) in model.arrows.iter().enumerate().skip(from) {
        let v1 = model.position(view.mode, a.iteration, a.time);
        if v1 > v + window {
            break;
        }
        let (Some(y1), Some(y2)) = (y_of(a.from), y_of(Some(a.to))) else {
            continue;
        };
        let (x1, x2) = (view.x(v1), view.x(model.position(view.mode, a.to_iteration, a.to_time)));
        if distance_to_segment((x, y), (x1, y1), (x2, y2)) <= 4.0 {
            return Some(Hit::Arrow(k as u32));
        }
    }
    if y < LANES_TOP && y > AXIS_HEIGHT + HOST_HEIGHT {
        // The loop's row: a timer firing.
        for &k in &model.loop_marks {
            let m = &model.marks[k as usize];
            if (view.x(model.position(view.mode, m.iteration, m.time)) - x).abs() <= 4.0 {
                return Some(Hit::Mark(k));
            }
        }
    }
    None
}

fn distance_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    let (cx, cy) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt()
}

/// The scene as an SVG document: the same shapes in the same colours as the canvas.
pub fn to_svg(scene: &Scene) -> String {
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"ui-monospace, 'DejaVu Sans Mono', monospace\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n",
        w = scene.width,
        h = scene.height,
    );
    for shape in &scene.shapes {
        out += &svg_shape(shape);
    }
    out + "</svg>\n"
}

fn svg_paint(style: Style, filled: bool) -> String {
    let p = palette::paint(style);
    let mut a = String::new();
    match (filled, p.fill) {
        (true, Some(f)) => a += &format!(" fill=\"{f}\""),
        _ => a += " fill=\"none\"",
    }
    if let Some(s) = p.stroke {
        a += &format!(" stroke=\"{s}\" stroke-width=\"{}\"", p.width);
    }
    a
}

fn svg_shape(shape: &Shape) -> String {
    match shape {
        Shape::Rect { x, y, w, h, style } => format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\"{}/>\n",
            svg_paint(*style, true)
        ),
        Shape::Line { x1, y1, x2, y2, style } => format!(
            "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"{}/>\n",
            svg_paint(*style, false)
        ),
        Shape::Path { points, closed, style } => {
            let pts: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
            let tag = if *closed { "polygon" } else { "polyline" };
            format!("<{tag} points=\"{}\"{}/>\n", pts.join(" "), svg_paint(*style, *closed))
        }
        Shape::Text {
            x,
            y,
            text,
            style,
            anchor,
        } => {
            let p = palette::paint(*style);
            let anchor = match anchor {
                Anchor::Start => "start",
                Anchor::Middle => "middle",
                Anchor::End => "end",
            };
            format!(
                "<text x=\"{x:.1}\" y=\"{y:.1}\" fill=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\"{}>{}</text>\n",
                p.fill.unwrap_or(palette::INK),
                p.font_px,
                if p.bold { " font-weight=\"bold\"" } else { "" },
                escape(text)
            )
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The legend's pictures: a small scene for each kind of mark, by the key its entry in
/// `index.html` names (`data-legend`); the page's markup says what each one means.
pub fn legend() -> Vec<(&'static str, Scene)> {
    let scene = |shapes: Vec<Shape>| Scene {
        shapes,
        width: 44.0,
        height: 24.0,
        ..Scene::default()
    };
    let mut step = Vec::new();
    step_block(&mut step, 10.0, 2.0, 24.0, 20.0, 0, true);
    let mut patterns = Vec::new();
    for p in 1..PATTERNS {
        step_block(&mut patterns, 2.0 + (p as f64 - 1.0) * 14.0, 2.0, 12.0, 20.0, p, true);
    }
    let mut future = Vec::new();
    step_block(&mut future, 10.0, 2.0, 24.0, 20.0, 0, false);
    let life = |end: LifeEnd| {
        let mut v = Vec::new();
        if end == LifeEnd::Cancelled {
            life_dashes(&mut v, 2.0, 34.0, 12.0);
        } else {
            v.push(Shape::Line {
                x1: 2.0,
                y1: 12.0,
                x2: 34.0,
                y2: 12.0,
                style: Style::Life(end),
            });
        }
        if matches!(end, LifeEnd::Failed | LifeEnd::Cancelled) {
            v.push(Shape::Line {
                x1: 29.0,
                y1: 17.0,
                x2: 39.0,
                y2: 7.0,
                style: Style::EndGlyph(end),
            });
        }
        if end == LifeEnd::Failed {
            v.push(Shape::Line {
                x1: 29.0,
                y1: 7.0,
                x2: 39.0,
                y2: 17.0,
                style: Style::EndGlyph(end),
            });
        }
        v
    };
    let arrow = vec![
        Shape::Line {
            x1: 4.0,
            y1: 3.0,
            x2: 36.0,
            y2: 19.0,
            style: Style::Arrow,
        },
        arrow_head(4.0, 3.0, 36.0, 19.0),
    ];
    let mut timer = Vec::new();
    mark(&mut timer, MarkKind::TimerSet, 22.0, 20.0);
    let mut fired = Vec::new();
    mark(&mut fired, MarkKind::TimerFired, 22.0, 12.0);
    let mut log = Vec::new();
    mark(&mut log, MarkKind::Log, 22.0, 0.0);
    let mut cancel = Vec::new();
    mark(&mut cancel, MarkKind::Cancel, 22.0, 22.0);
    let host = vec![
        Shape::Rect {
            x: 4.0,
            y: 6.0,
            w: 16.0,
            h: 12.0,
            style: Style::Host(true),
        },
        Shape::Rect {
            x: 22.0,
            y: 6.0,
            w: 16.0,
            h: 12.0,
            style: Style::Host(false),
        },
    ];
    let cursor = vec![Shape::Line {
        x1: 22.0,
        y1: 0.0,
        x2: 22.0,
        y2: 24.0,
        style: Style::Cursor,
    }];
    vec![
        ("step", scene(step)),
        ("patterns", scene(patterns)),
        ("future", scene(future)),
        ("life", scene(life(LifeEnd::Returned))),
        ("failed", scene(life(LifeEnd::Failed))),
        ("cancelled", scene(life(LifeEnd::Cancelled))),
        ("wake-up", scene(arrow)),
        ("timer-set", scene(timer)),
        ("timer-fired", scene(fired)),
        ("log", scene(log)),
        ("cancel", scene(cancel)),
        ("browser", scene(host)),
        ("cursor", scene(cursor)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos;
    use crate::trace::Trace;

    fn replay(id: &str) -> (Trace, Replay) {
        let trace = demos::find(id).unwrap().run_traced().trace.unwrap();
        let r = Replay::new(&trace);
        (trace, r)
    }

    fn no_label(_: &StepItem) -> Option<String> {
        None
    }

    fn frame<'a>(r: &'a Replay, layout: &'a Layout, view: &'a Viewport, moment: Option<usize>) -> Frame<'a> {
        Frame {
            replay: r,
            layout,
            view,
            moment,
            current_task: None,
            selected: None,
            step_label: &no_label,
        }
    }

    fn rects(scene: &Scene, f: impl Fn(&Style) -> bool) -> Vec<(f64, f64, f64, f64)> {
        scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Rect { x, y, w, h, style } if f(style) => Some((*x, *y, *w, *h)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_iteration_axis_gives_each_iteration_a_column_labelled_in_its_middle() {
        let (_, r) = replay("sequential-vs-concurrent");
        let layout = Layout::new(r.model.lanes.len());
        let v = Viewport::fit(&r.model, AxisMode::Iteration, 1000.0, 400.0);
        let scene = draw(&frame(&r, &layout, &v, None));
        // The whole blocks (the outlined pattern adds an inner one).
        let steps: Vec<_> = rects(&scene, |s| matches!(s, Style::Step(_)))
            .into_iter()
            .filter(|r| r.3 >= 19.0)
            .collect();
        assert_eq!(steps.len(), r.model.steps.len());
        let column = v.scale();
        assert!(steps
            .iter()
            .all(|(_, _, w, _)| (*w - (column - 1.0)).abs() < 1e-6 || *w == 2.0));
        let label_1 = scene.shapes.iter().find_map(|s| match s {
            Shape::Text { x, text, .. } if text == "#1" => Some(*x),
            _ => None,
        });
        if let Some(x) = label_1 {
            assert!(
                (x - v.x(0.5)).abs() < 1e-6,
                "iteration 1's label sits in its column's middle"
            );
        }
        // No arrow reaches into the names' column.
        for s in &scene.shapes {
            if let Shape::Line {
                x1,
                x2,
                style: Style::Arrow,
                ..
            } = s
            {
                assert!(*x1 >= v.plot().0 && *x2 >= v.plot().0);
            }
        }
    }

    #[test]
    fn a_blocking_step_is_as_wide_as_its_duration() {
        let (_, r) = replay("blocking-the-loop");
        let layout = Layout::new(r.model.lanes.len());
        let v = Viewport::fit(&r.model, AxisMode::Time, 1000.0, 400.0);
        let scene = draw(&frame(&r, &layout, &v, None));
        let widest = rects(&scene, |s| matches!(s, Style::Step(_)))
            .into_iter()
            .map(|(_, _, w, _)| w)
            .fold(0.0, f64::max);
        assert!(
            (widest - (0.5 * v.scale() + 3.0)).abs() < 1.0,
            "{widest} for {}",
            0.5 * v.scale()
        );
    }

    #[test]
    fn only_lanes_in_view_are_drawn_and_the_rest_are_announced() {
        let (_, r) = replay("performance-patterns");
        assert!(r.model.lanes.len() > 1000);
        let layout = Layout::new(r.model.lanes.len());
        let v = Viewport::fit(&r.model, AxisMode::Time, 1200.0, 600.0);
        let scene = draw(&frame(&r, &layout, &v, None));
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
        let cue = scene.shapes.iter().find_map(|s| match s {
            Shape::Text {
                text,
                style: Style::Cue,
                ..
            } => Some(text.clone()),
            _ => None,
        });
        assert!(cue.is_some_and(|c| c.contains("more below")));
    }

    #[test]
    fn steps_after_the_moment_are_future_and_the_cursor_is_drawn() {
        let (_, r) = replay("mental-model");
        let layout = Layout::new(r.model.lanes.len());
        let v = Viewport::fit(&r.model, AxisMode::Iteration, 1000.0, 300.0);
        let moment = r.model.steps[3].event;
        let scene = draw(&frame(&r, &layout, &v, Some(moment)));
        let past = rects(&scene, |s| matches!(s, Style::Step(_)));
        assert_eq!(past.into_iter().filter(|r| r.3 >= 19.0).count(), 4);
        assert_eq!(
            rects(&scene, |s| *s == Style::StepFuture).len(),
            r.model.steps.len() - 4
        );
        assert!(scene.shapes.iter().any(|s| matches!(
            s,
            Shape::Line {
                style: Style::Cursor,
                ..
            }
        )));
    }

    #[test]
    fn waits_are_labelled_with_what_the_task_awaits() {
        let (_, r) = replay("gather");
        let layout = Layout::new(r.model.lanes.len());
        let v = Viewport::fit(&r.model, AxisMode::Time, 1200.0, 400.0);
        let scene = draw(&frame(&r, &layout, &v, None));
        let labels: Vec<&str> = scene
            .shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text {
                    text,
                    style: Style::WaitLabel,
                    ..
                } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert!(labels.contains(&"sleep(2.0)"), "{labels:?}");
        assert!(labels.iter().any(|l| l.starts_with("gather(Task-2")), "{labels:?}");
    }

    #[test]
    fn a_click_finds_the_step_drawn_there() {
        let (_, r) = replay("sequential-vs-concurrent");
        let layout = Layout::new(r.model.lanes.len());
        let v = Viewport::fit(&r.model, AxisMode::Iteration, 1000.0, 400.0);
        let f = frame(&r, &layout, &v, None);
        let s = r.model.lanes[1].steps[0];
        let (x, w) = f.step_px(&r.model.steps[s as usize]);
        assert_eq!(hit(&f, x + w / 2.0, layout.centre(1)), Some(Hit::Step(s)));
        assert_eq!(hit(&f, 10.0, layout.centre(1)), Some(Hit::LaneName(1)));
        assert_eq!(hit(&f, x, 5.0), None);
    }

    #[test]
    fn a_huge_run_draws_a_bounded_scene_with_thinned_arrows_and_says_so() {
        let trace = demos::traced_with(
            "performance-patterns",
            &[("items", "5000"), ("batch", "1"), ("workers", "1")],
        );
        let r = Replay::new(&trace);
        let mut layout = Layout::new(r.model.lanes.len());
        let mut v = Viewport::fit(&r.model, AxisMode::Iteration, 1200.0, 400.0);
        // Scrolled to the last lane: the pool's worker, with thousands of steps.
        v.reveal_lane(&layout, r.model.lanes.len() - 1);
        let scene = draw(&frame(&r, &layout, &v, Some(r.last() / 2)));
        assert!(scene.shapes.len() < 20_000, "{} shapes", scene.shapes.len());
        layout.collapse_where(|_| true);
        let v = Viewport::fit(&r.model, AxisMode::Time, 1200.0, 400.0);
        let scene = draw(&frame(&r, &layout, &v, None));
        assert!(scene.arrows_drawn <= MAX_ARROWS);
        if scene.arrows_drawn < scene.arrows_in_view {
            assert!(scene
                .shapes
                .iter()
                .any(|s| matches!(s, Shape::Text { style: Style::Note, .. })));
        }
    }

    #[test]
    fn the_note_on_thinned_arrows_has_a_ground_of_its_own_over_the_browser_row() {
        // A phone's width, the whole run in view: far more wake-ups than are drawn.
        let trace = demos::traced_with("performance-patterns", &[("items", "1000"), ("workers", "10")]);
        let r = Replay::new(&trace);
        let layout = Layout::new(r.model.lanes.len());
        let v = Viewport::fit(&r.model, AxisMode::Time, 340.0, 600.0);
        let scene = draw(&frame(&r, &layout, &v, Some(r.last() / 2)));
        assert!(
            scene.arrows_drawn < scene.arrows_in_view,
            "a run this size thins its arrows"
        );
        // The note says so, on a ground drawn under it that covers it: it sits on the
        // browser's row, whose turns would otherwise run through its letters.
        let at = |wanted: &dyn Fn(&Shape) -> bool| scene.shapes.iter().position(wanted);
        let note = at(&|s| matches!(s, Shape::Text { style: Style::Note, .. })).expect("a note");
        let Shape::Text { x, y, text, .. } = &scene.shapes[note] else {
            unreachable!()
        };
        let (x, y, width) = (*x, *y, text_width(text, 11.0));
        // Short enough at this width to leave a good part of the row in view, and whole.
        assert!(
            width <= (v.plot().1 - v.plot().0) * 0.6 && !text.ends_with('\u{2026}'),
            "{text:?}"
        );
        let ground = at(&|s| {
            matches!(s, Shape::Rect { x: gx, y: gy, w, h, style: Style::CueBg }
                if *gx <= x - width && gx + w >= x && *gy <= y - 9.0 && gy + h >= y + 1.0)
        });
        assert!(ground.is_some_and(|g| g < note), "no ground under the note {text:?}");
    }

    #[test]
    fn only_arrows_with_an_end_on_a_lane_on_screen_count_as_in_view() {
        let trace = demos::traced_with("performance-patterns", &[("items", "300"), ("workers", "3")]);
        let r = Replay::new(&trace);
        let mut layout = Layout::new(r.model.lanes.len());
        layout.toggle(2);
        for lane in [0, 40, r.model.lanes.len() - 1] {
            let mut v = Viewport::fit(&r.model, AxisMode::Time, 1200.0, 400.0);
            v.reveal_lane(&layout, lane);
            let f = frame(&r, &layout, &v, None);
            let on_screen = |t: TaskId| f.lane_visible(t as usize) && !layout.is_collapsed(t as usize);
            let (left, right) = v.plot();
            let expected = r
                .model
                .arrows
                .iter()
                .filter(|a| on_screen(a.to) || a.from.is_some_and(on_screen))
                .filter(|a| {
                    let (x1, x2) = (v.x(a.time), v.x(a.to_time));
                    !((x1 < left && x2 < left) || (x1 > right && x2 > right))
                })
                .count();
            let scene = draw(&f);
            assert_eq!(scene.arrows_in_view, expected, "scrolled to lane {lane}");
            assert!(expected > 0);
        }
    }

    #[test]
    fn the_svg_export_draws_the_same_shapes_with_the_palette() {
        let (_, r) = replay("task-group");
        let layout = Layout::new(r.model.lanes.len());
        let v = Viewport::fit(&r.model, AxisMode::Time, 1000.0, 300.0);
        let scene = draw(&frame(&r, &layout, &v, Some(10)));
        let svg = to_svg(&scene);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(palette::STEP[0]));
        assert!(svg.contains("<polygon"), "arrowheads");
        assert!(svg.contains(palette::ACCENT), "the cursor and arrows");
        assert!(svg.contains(palette::BAD), "a failed task's cross");
        let escaped = to_svg(&Scene {
            shapes: vec![Shape::Text {
                x: 1.0,
                y: 2.0,
                text: "<b>&".into(),
                style: Style::LaneName,
                anchor: Anchor::Start,
            }],
            width: 10.0,
            height: 10.0,
            ..Scene::default()
        });
        assert!(escaped.contains("&lt;b&gt;&amp;</text>"), "{escaped}");
    }

    #[test]
    fn a_cancelled_life_is_dashed_and_a_failed_one_solid() {
        let (_, r) = replay("task-group");
        let layout = Layout::new(r.model.lanes.len());
        let v = Viewport::fit(&r.model, AxisMode::Time, 1000.0, 300.0);
        let scene = draw(&frame(&r, &layout, &v, None));
        let count = |end: LifeEnd| {
            scene
                .shapes
                .iter()
                .filter(|s| matches!(s, Shape::Line { style: Style::Life(e), .. } if *e == end))
                .count()
        };
        let cancelled = r.model.lanes.iter().filter(|l| l.life() == LifeEnd::Cancelled).count();
        let failed = r.model.lanes.iter().filter(|l| l.life() == LifeEnd::Failed).count();
        assert!(cancelled > 0 && failed > 0);
        assert!(count(LifeEnd::Cancelled) > 3 * cancelled, "dashes");
        assert_eq!(count(LifeEnd::Failed), failed, "one solid line each");
    }

    #[test]
    fn an_arrowhead_points_back_along_its_line() {
        let Shape::Path { points, .. } = arrow_head(0.0, 0.0, 10.0, 0.0) else {
            panic!()
        };
        assert_eq!(points[0], (10.0, 0.0));
        for (x, y) in &points[1..] {
            assert!((x - (10.0 - 6.0 * 0.45f64.cos())).abs() < 1e-3, "{x}");
            assert!((y.abs() - 6.0 * 0.45f64.sin()).abs() < 1e-3, "{y}");
        }
        assert!(points[1].1 * points[2].1 < 0.0, "one side each way");
    }

    #[test]
    fn the_legend_has_a_picture_for_each_kind_of_mark() {
        let legend = legend();
        assert!(legend.len() >= 10);
        for (key, scene) in &legend {
            assert!(!scene.shapes.is_empty(), "{key}");
        }
        // Every picture has its entry in the page's markup, and every entry its picture.
        let html = include_str!("../../index.html");
        for (key, _) in &legend {
            assert!(html.contains(&format!("data-legend=\"{key}\"")), "{key}");
        }
        assert_eq!(html.matches("data-legend=").count(), legend.len());
        assert_eq!(fit_text("Task-12345", 40.0, 12.0).as_deref(), Some("Task\u{2026}"));
    }
}

#[cfg(test)]
mod timing {
    use super::*;
    use crate::demos;
    use crate::view::timeline::Layout;

    /// `cargo test --release --lib view::scene::timing -- --ignored --nocapture`: how long the
    /// largest run's replay, its states and the drawing of its timeline, fitted to the page's
    /// width, take natively.
    #[test]
    #[ignore]
    fn the_largest_run() {
        let trace = demos::performance_patterns::big_run();
        let t = std::time::Instant::now();
        let r = Replay::new(&trace);
        println!("replay of {} events: {:?}", r.len(), t.elapsed());
        let t = std::time::Instant::now();
        for k in 0..20 {
            let _ = r.state_at(&trace, r.len() * k / 20 + 12345);
        }
        println!("20 states: {:?}", t.elapsed());
        let layout = Layout::new(r.model.lanes.len());
        let no_label = |_: &StepItem| None;
        for mode in [AxisMode::Iteration, AxisMode::Time] {
            let v = Viewport::fit(&r.model, mode, 1100.0, 360.0);
            let mut best = std::time::Duration::MAX;
            let mut shapes = 0;
            let mut arrows = (0, 0);
            for k in 1..=40 {
                let frame = Frame {
                    replay: &r,
                    layout: &layout,
                    view: &v,
                    moment: Some(r.len() * k / 41),
                    current_task: None,
                    selected: None,
                    step_label: &no_label,
                };
                let t = std::time::Instant::now();
                let s = draw(&frame);
                best = best.min(t.elapsed());
                shapes = s.shapes.len();
                arrows = (s.arrows_in_view, s.arrows_drawn);
            }
            println!(
                "{mode:?}: a draw takes {best:?} at best; {shapes} shapes, arrows in view and drawn {arrows:?}, {} arrows in all",
                r.model.arrows.len()
            );
        }
    }
}

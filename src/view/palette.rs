//! The timeline's one palette: what each [`Style`] looks like. The canvas painter and the SVG
//! export both read it, so the two always agree.
//!
//! Every meaningful mark has at least 3:1 contrast with the lane backgrounds (WCAG's bar for
//! graphics), and nothing is told apart by colour alone: lanes differ by pattern and name,
//! failed and cancelled lives by a cross or a slash and a solid or dashed bar (the scene draws
//! the dashes, [`DASH`], as segments, so both painters draw only solid strokes).

use super::scene::Style;
use super::timeline::{LifeEnd, MarkKind};

/// How a style is painted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Paint {
    /// The fill colour, if filled.
    pub fill: Option<&'static str>,
    /// The stroke colour, if stroked.
    pub stroke: Option<&'static str>,
    /// The stroke's width.
    pub width: f64,
    /// Text size in pixels, for texts.
    pub font_px: f64,
    /// Bold text.
    pub bold: bool,
}

/// The dash of a cancelled task's life: on, off (pixels).
pub const DASH: (f64, f64) = (5.0, 3.0);

const NONE: Paint = Paint {
    fill: None,
    stroke: None,
    width: 1.0,
    font_px: 12.0,
    bold: false,
};

/// The ink of texts.
pub const INK: &str = "#1d2330";
/// Secondary text.
pub const MUTED: &str = "#4b5160";
/// The lane backgrounds (alternating) and the current task's lane.
pub const LANE_BG: [&str; 2] = ["#ffffff", "#f4f2ec"];
/// The current task's lane.
pub const LANE_CURRENT: &str = "#fbeec4";
/// Steps by lane pattern: each at least 7:1 on the lane backgrounds.
pub const STEP: [&str; 4] = ["#0b5752", "#1d4ed8", "#7c2d92", "#9a3412"];
/// A step after the playback moment.
pub const FUTURE: &str = "#7b808b";
/// Wake-ups and the playback cursor.
pub const ACCENT: &str = "#c2410c";
/// Failures and warnings.
pub const BAD: &str = "#9f1239";
/// Cancellation.
pub const CANCELLED: &str = "#a16207";

fn fill(colour: &'static str) -> Paint {
    Paint {
        fill: Some(colour),
        ..NONE
    }
}

fn stroke(colour: &'static str, width: f64) -> Paint {
    Paint {
        stroke: Some(colour),
        width,
        ..NONE
    }
}

fn text(colour: &'static str, px: f64) -> Paint {
    Paint {
        fill: Some(colour),
        font_px: px,
        ..NONE
    }
}

/// What `style` looks like.
pub fn paint(style: Style) -> Paint {
    match style {
        Style::Grid => stroke("#e2ded4", 1.0),
        Style::AxisLabel => text(MUTED, 11.0),
        Style::RowLabel => Paint {
            bold: true,
            ..text(MUTED, 11.0)
        },
        Style::LaneBg(odd) => fill(LANE_BG[usize::from(odd)]),
        Style::LaneCurrent => fill(LANE_CURRENT),
        Style::LaneName => text(INK, 12.0),
        Style::Life(LifeEnd::Returned) => stroke("#5f8f89", 3.0),
        Style::Life(LifeEnd::Pending) => stroke("#6b7280", 3.0),
        Style::Life(LifeEnd::Failed) => stroke(BAD, 3.0),
        Style::Life(LifeEnd::Cancelled) => stroke(CANCELLED, 3.0),
        Style::EndGlyph(LifeEnd::Cancelled) => stroke(CANCELLED, 2.5),
        Style::EndGlyph(_) => stroke(BAD, 2.5),
        Style::Step(pattern) => fill(STEP[pattern % STEP.len()]),
        Style::StepOutline(pattern) => stroke(STEP[pattern % STEP.len()], 1.5),
        Style::StepStripe => fill("#ffffff"),
        Style::StepFuture => fill(FUTURE),
        Style::WaitLabel => text("#3b4150", 10.5),
        Style::StepLabel => text("#ffffff", 10.5),
        Style::Arrow => stroke(ACCENT, 1.2),
        Style::ArrowHead => fill(ACCENT),
        Style::Mark(MarkKind::Log) => fill(INK),
        Style::Mark(MarkKind::Warning) => fill(BAD),
        Style::Mark(MarkKind::TimerSet) => stroke(MUTED, 1.5),
        Style::Mark(MarkKind::TimerFired) => fill(MUTED),
        Style::Mark(MarkKind::Cancel) => stroke(BAD, 2.0),
        Style::Host(even) => fill(if even { "#4338ca" } else { "#6d72e8" }),
        Style::Cursor => stroke(ACCENT, 2.0),
        Style::Selected => stroke("#111827", 2.0),
        Style::Cue => Paint {
            bold: true,
            ..text("#7c2d12", 11.0)
        },
        Style::CueBg => fill("#fff7ed"),
        Style::Note => text(MUTED, 11.0),
    }
}

/// `rgb(r, g, b)` of a `#rrggbb` colour (for contrast checks).
pub fn rgb(hex: &str) -> (u8, u8, u8) {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0);
    ((v >> 16) as u8, (v >> 8) as u8, v as u8)
}

/// WCAG's contrast ratio of two colours.
pub fn contrast(a: &str, b: &str) -> f64 {
    fn lum(hex: &str) -> f64 {
        let (r, g, b) = rgb(hex);
        let f = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
    }
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_that_mean_something_have_three_to_one_contrast_on_every_lane_background() {
        let styles = [
            Style::Life(LifeEnd::Returned),
            Style::Life(LifeEnd::Pending),
            Style::Life(LifeEnd::Failed),
            Style::Life(LifeEnd::Cancelled),
            Style::Step(0),
            Style::Step(1),
            Style::Step(2),
            Style::Step(3),
            Style::StepFuture,
            Style::Arrow,
            Style::Mark(MarkKind::Log),
            Style::Mark(MarkKind::TimerSet),
            Style::Mark(MarkKind::Cancel),
            Style::Host(true),
            Style::Host(false),
            Style::Cursor,
        ];
        for style in styles {
            let p = paint(style);
            let colour = p.fill.or(p.stroke).unwrap();
            for bg in LANE_BG.iter().chain([&LANE_CURRENT]) {
                let c = contrast(colour, bg);
                assert!(c >= 3.0, "{style:?} ({colour}) on {bg}: {c:.2}:1");
            }
        }
    }

    #[test]
    fn failed_and_cancelled_differ_in_colour() {
        let (f, c) = (
            paint(Style::Life(LifeEnd::Failed)),
            paint(Style::Life(LifeEnd::Cancelled)),
        );
        assert!(contrast(f.stroke.unwrap(), c.stroke.unwrap()) >= 1.5);
    }

    #[test]
    fn step_labels_are_readable_on_their_steps() {
        for colour in STEP {
            assert!(contrast("#ffffff", colour) >= 4.5, "{colour}");
        }
        assert!(contrast(paint(Style::WaitLabel).fill.unwrap(), LANE_CURRENT) >= 4.5);
    }
}

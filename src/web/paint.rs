//! Paints a [`Scene`] on a canvas. The colours live here; what is drawn where is decided in
//! `view::timeline`. Lanes are told apart without colour by their names and by the step shapes'
//! patterns (solid, striped, hollow, notched).

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::view::timeline::{LifeEnd, MarkKind, Scene, Shape, Style};

const INK: &str = "#1d2330";
const MUTED: &str = "#4b5160";
const ACCENT: &str = "#c2410c";
const STEP_COLOURS: [&str; 4] = ["#0b5752", "#1d4ed8", "#7c2d92", "#9a3412"];

fn fill_of(style: &Style) -> &'static str {
    match style {
        Style::LaneBg(false) => "#ffffff",
        Style::LaneBg(true) => "#f6f4ef",
        Style::Life(LifeEnd::Returned) => "#cfe6e3",
        Style::Life(LifeEnd::Failed) => "#f3c9c3",
        Style::Life(LifeEnd::Cancelled) => "#ecdcae",
        Style::Life(LifeEnd::Pending) => "#d9dce3",
        Style::Step(p, true) => STEP_COLOURS[p % STEP_COLOURS.len()],
        Style::Step(_, false) => "#b9bec9",
        Style::Mark(MarkKind::Warning) => "#b42318",
        Style::Mark(MarkKind::TimerFired) => MUTED,
        Style::Mark(_) => INK,
        Style::Host(true) => "#c7d2fe",
        Style::Host(false) => "#a5b4fc",
        _ => INK,
    }
}

fn stroke_of(style: &Style) -> (&'static str, f64) {
    match style {
        Style::Grid => ("#e5e2da", 1.0),
        Style::Arrow => (ACCENT, 1.0),
        Style::Cursor => (ACCENT, 2.0),
        Style::Mark(MarkKind::Cancel) => ("#b42318", 2.0),
        Style::Mark(MarkKind::TimerSet) => (MUTED, 1.5),
        _ => (INK, 1.0),
    }
}

/// The canvas's 2D context, sized to `width`×`height` CSS pixels at the screen's density.
pub fn prepare(canvas: &HtmlCanvasElement, width: f64, height: f64) -> Option<CanvasRenderingContext2d> {
    let ratio = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 3.0);
    canvas.set_width((width * ratio).round() as u32);
    canvas.set_height((height * ratio).round() as u32);
    let ctx = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()?;
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    Some(ctx)
}

/// Paints `scene`.
pub fn paint(ctx: &CanvasRenderingContext2d, scene: &Scene) {
    ctx.clear_rect(0.0, 0.0, scene.width, scene.height);
    ctx.set_font("12px ui-monospace, 'DejaVu Sans Mono', monospace");
    for shape in &scene.shapes {
        match shape {
            Shape::Rect { x, y, w, h, style } => {
                ctx.set_fill_style_str(fill_of(style));
                match style {
                    Style::Step(2, true) => {
                        // Outlined over a light fill: the third pattern.
                        ctx.set_global_alpha(0.45);
                        ctx.fill_rect(*x, *y, *w, *h);
                        ctx.set_global_alpha(1.0);
                        ctx.set_stroke_style_str(fill_of(style));
                        ctx.set_line_width(1.5);
                        ctx.stroke_rect(*x + 0.75, *y + 0.75, (*w - 1.5).max(0.5), *h - 1.5);
                    }
                    _ => ctx.fill_rect(*x, *y, *w, *h),
                }
                match style {
                    Style::Step(1, true) if *w >= 3.0 => {
                        // Striped: the second pattern.
                        ctx.set_fill_style_str("#ffffff");
                        ctx.fill_rect(*x, *y + h / 2.0 - 1.0, *w, 2.0);
                    }
                    Style::Step(3, true) if *w >= 3.0 => {
                        // Notched: the fourth pattern.
                        ctx.set_fill_style_str("#ffffff");
                        ctx.fill_rect(*x, *y, *w, 3.0);
                    }
                    Style::Life(LifeEnd::Failed | LifeEnd::Cancelled) => {
                        // Outcome at the bar's end, readable without colour: a cross or a slash.
                        ctx.set_stroke_style_str(if matches!(style, Style::Life(LifeEnd::Failed)) {
                            "#b42318"
                        } else {
                            "#8a6d00"
                        });
                        ctx.set_line_width(2.0);
                        ctx.begin_path();
                        let (ex, cy) = (x + w, y + h / 2.0);
                        ctx.move_to(ex - 4.0, cy - 5.0);
                        ctx.line_to(ex + 4.0, cy + 5.0);
                        if matches!(style, Style::Life(LifeEnd::Failed)) {
                            ctx.move_to(ex - 4.0, cy + 5.0);
                            ctx.line_to(ex + 4.0, cy - 5.0);
                        }
                        ctx.stroke();
                    }
                    _ => {}
                }
            }
            Shape::Line { x1, y1, x2, y2, style } => {
                let (colour, width) = stroke_of(style);
                ctx.set_stroke_style_str(colour);
                ctx.set_line_width(width);
                ctx.begin_path();
                ctx.move_to(*x1, *y1);
                ctx.line_to(*x2, *y2);
                ctx.stroke();
                if *style == Style::Arrow {
                    arrow_head(ctx, *x1, *y1, *x2, *y2);
                }
            }
            Shape::Text { x, y, text, style } => {
                ctx.set_fill_style_str(if *style == Style::AxisLabel { MUTED } else { INK });
                ctx.set_text_align(if *style == Style::AxisLabel { "center" } else { "left" });
                let _ = ctx.fill_text(text, *x, *y);
            }
        }
    }
}

fn arrow_head(ctx: &CanvasRenderingContext2d, x1: f64, y1: f64, x2: f64, y2: f64) {
    let angle = (y2 - y1).atan2(x2 - x1);
    let size = 6.0;
    ctx.set_fill_style_str(ACCENT);
    ctx.begin_path();
    ctx.move_to(x2, y2);
    ctx.line_to(x2 - size * (angle - 0.4).cos(), y2 - size * (angle - 0.4).sin());
    ctx.line_to(x2 - size * (angle + 0.4).cos(), y2 - size * (angle + 0.4).sin());
    ctx.close_path();
    ctx.fill();
}

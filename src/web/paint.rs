//! Paints a [`Scene`] on a canvas, in the colours of `view::palette` (the SVG export reads the
//! same palette, so the two agree).

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::view::palette::{paint as style_paint, Paint};
use crate::view::scene::{Anchor, Scene, Shape};

/// The canvas's 2D context, its backing store sized to `width`×`height` CSS pixels at the
/// screen's density and its transform scaled to match (set after the size: setting a canvas's
/// size resets its transform).
pub fn prepare(canvas: &HtmlCanvasElement, width: f64, height: f64) -> Option<CanvasRenderingContext2d> {
    let ratio = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .clamp(1.0, 4.0);
    let (w, h) = ((width * ratio).round() as u32, (height * ratio).round() as u32);
    if canvas.width() != w {
        canvas.set_width(w);
    }
    if canvas.height() != h {
        canvas.set_height(h);
    }
    let style = canvas.style();
    let _ = style.set_property("width", &format!("{width}px"));
    let _ = style.set_property("height", &format!("{height}px"));
    let ctx = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()?;
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    Some(ctx)
}

fn stroke_with(ctx: &CanvasRenderingContext2d, p: &Paint, colour: &str) {
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(p.width);
}

/// Paints `scene`.
pub fn paint(ctx: &CanvasRenderingContext2d, scene: &Scene) {
    ctx.clear_rect(0.0, 0.0, scene.width, scene.height);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, scene.width, scene.height);
    let mut font: Option<(f64, bool)> = None;
    for shape in &scene.shapes {
        match shape {
            Shape::Rect { x, y, w, h, style } => {
                let p = style_paint(*style);
                if let Some(fill) = p.fill {
                    ctx.set_fill_style_str(fill);
                    ctx.fill_rect(*x, *y, *w, *h);
                }
                if let Some(colour) = p.stroke {
                    stroke_with(ctx, &p, colour);
                    ctx.stroke_rect(*x, *y, *w, *h);
                }
            }
            Shape::Line { x1, y1, x2, y2, style } => {
                let p = style_paint(*style);
                if let Some(colour) = p.stroke.or(p.fill) {
                    stroke_with(ctx, &p, colour);
                    ctx.begin_path();
                    ctx.move_to(*x1, *y1);
                    ctx.line_to(*x2, *y2);
                    ctx.stroke();
                }
            }
            Shape::Path { points, closed, style } => {
                let p = style_paint(*style);
                let Some((first, rest)) = points.split_first() else {
                    continue;
                };
                ctx.begin_path();
                ctx.move_to(first.0, first.1);
                for (x, y) in rest {
                    ctx.line_to(*x, *y);
                }
                if *closed {
                    ctx.close_path();
                    if let Some(fill) = p.fill {
                        ctx.set_fill_style_str(fill);
                        ctx.fill();
                    }
                }
                if let Some(colour) = p.stroke {
                    stroke_with(ctx, &p, colour);
                    ctx.stroke();
                }
            }
            Shape::Text {
                x,
                y,
                text,
                style,
                anchor,
            } => {
                let p = style_paint(*style);
                if font != Some((p.font_px, p.bold)) {
                    ctx.set_font(&format!(
                        "{}{}px ui-monospace, 'DejaVu Sans Mono', monospace",
                        if p.bold { "bold " } else { "" },
                        p.font_px
                    ));
                    font = Some((p.font_px, p.bold));
                }
                ctx.set_fill_style_str(p.fill.unwrap_or("#1d2330"));
                ctx.set_text_align(match anchor {
                    Anchor::Start => "left",
                    Anchor::Middle => "center",
                    Anchor::End => "right",
                });
                let _ = ctx.fill_text(text, *x, *y);
            }
        }
    }
}

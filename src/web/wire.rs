//! The page's listeners: each one turns a click, a key or a drag into one of `page`'s actions.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, EventTarget};

use super::handles::Handles;
use super::page::{self, handles, with_app};
use super::render;
use crate::demos;
use crate::trace::chrome_trace;
use crate::view::playback::{action_for, Action, Focus};
use crate::view::timeline::AxisMode;

fn on(target: &EventTarget, event: &str, mut action: impl FnMut(web_sys::Event) + 'static) -> Result<(), JsValue> {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| action(e));
    target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())?;
    // The page lives as long as its listeners: hand the closure to JavaScript for good.
    closure.forget();
    Ok(())
}

/// Pointer coordinates within the canvas, in CSS pixels.
fn canvas_point(e: &web_sys::Event) -> Option<(f64, f64)> {
    let m = e.dyn_ref::<web_sys::MouseEvent>()?;
    Some((f64::from(m.offset_x()), f64::from(m.offset_y())))
}

/// Wires every control of the page.
pub fn wire(h: &Handles) -> Result<(), JsValue> {
    // The catalog: one listener for all its buttons.
    on(&h.catalog, "click", |e| {
        let id = e
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest(".demo-link").ok().flatten())
            .and_then(|b| b.get_attribute("data-demo"));
        if let Some(demo) = id.as_deref().and_then(demos::find) {
            page::choose_demo(demo);
        }
    })?;
    on(&h.form, "submit", |e| {
        e.prevent_default();
        page::run_from_form();
    })?;
    on(&h.stop, "click", |_| {
        if let Some(stop) = with_app(|app| app.stop.clone()).flatten() {
            stop.stop();
        }
    })?;
    for (button, action) in [
        (&h.to_start, Action::Start),
        (&h.step_back, Action::Back),
        (&h.play, Action::TogglePlay),
        (&h.step_forward, Action::Forward),
        (&h.next_iteration, Action::NextIteration),
        (&h.zoom_in, Action::ZoomIn),
        (&h.zoom_out, Action::ZoomOut),
        (&h.zoom_fit, Action::Fit),
    ] {
        on(button, "click", move |_| page::act(action))?;
    }
    let scrub = h.scrub.clone();
    on(&h.scrub, "input", move |_| {
        let v = scrub.value_as_number();
        if v.is_finite() {
            page::set_moment(v.max(0.0) as usize);
        }
    })?;
    let speed = h.speed.clone();
    on(&h.speed, "change", move |_| {
        let v = speed.value().parse::<f64>().unwrap_or(1.0);
        with_app(|app| app.clock.set_speed(v));
    })?;
    on(&h.axis_time, "click", |_| page::set_axis(AxisMode::Time))?;
    on(&h.axis_iteration, "click", |_| page::set_axis(AxisMode::Iteration))?;
    on(&h.collapse, "click", |_| page::toggle_fold_done())?;
    // Its suggestions are filled when it is first used for a trace.
    for event in ["focus", "input"] {
        on(&h.lane_find, event, |_| {
            if let Some(h) = handles() {
                render::lane_names(&h);
            }
        })?;
    }
    let find = h.lane_find.clone();
    on(&h.lane_find, "change", move |_| {
        page::find_lane(&find.value());
    })?;
    on(&h.rows_hint_close, "click", |_| {
        if let Some(h) = handles() {
            render::dismiss_rows_hint(&h);
        }
    })?;
    on(&h.export_json, "click", |_| {
        // Compact JSON: the pretty printer would add kilobytes to the page for no reader.
        export(
            |s| serde_json::to_string(&s.trace).unwrap_or_default(),
            "json",
            "application/json",
        );
    })?;
    on(&h.export_chrome, "click", |_| {
        export(|s| chrome_trace(&s.trace), "chrome-trace.json", "application/json");
    })?;
    on(&h.export_svg, "click", |_| {
        if let Some(svg) = handles().and_then(|h| render::svg(&h)) {
            download(&svg, "svg", "image/svg+xml");
        }
    })?;
    let link = h.share_link.clone();
    on(&h.copy_link, "click", move |_| {
        link.select();
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&link.value());
        }
    })?;
    wire_canvas(h)?;
    wire_keyboard(h)?;
    if let Some(w) = web_sys::window() {
        on(&w, "resize", |_| {
            with_app(|app| app.width = None);
            render::measure_width();
        })?;
    }
    Ok(())
}

/// The canvas: drag to pan, wheel to scroll lanes, Ctrl+wheel to zoom, click for details.
fn wire_canvas(h: &Handles) -> Result<(), JsValue> {
    let canvas = h.canvas.clone();
    on(&h.canvas, "pointerdown", move |e| {
        if let Some((x, _)) = canvas_point(&e) {
            with_app(|app| {
                app.drag_from = Some(x);
                app.dragged = false;
            });
            if let Some(p) = e.dyn_ref::<web_sys::PointerEvent>() {
                let _ = canvas.set_pointer_capture(p.pointer_id());
            }
        }
    })?;
    on(&h.canvas, "pointermove", |e| {
        let Some((x, _)) = canvas_point(&e) else { return };
        let panned = with_app(|app| {
            let from = app.drag_from?;
            let extent = app.shown.as_ref()?.replay.model.extent(app.view?.mode);
            if (x - from).abs() > 3.0 {
                app.dragged = true;
            }
            if app.dragged {
                app.view.as_mut()?.pan(x - from, extent);
                app.drag_from = Some(x);
            }
            Some(())
        })
        .flatten();
        if let (Some(()), Some(h)) = (panned, handles()) {
            render::timeline(&h);
        }
    })?;
    on(&h.canvas, "pointerup", |e| {
        let Some((x, y)) = canvas_point(&e) else { return };
        let dragged = with_app(|app| {
            app.drag_from = None;
            app.dragged
        })
        .unwrap_or(true);
        if dragged {
            return;
        }
        if let Some(hit) = handles().and_then(|h| render::hit_at(&h, x, y)) {
            page::select(hit);
        }
    })?;
    on(&h.canvas, "wheel", |e| {
        let Some(w) = e.dyn_ref::<web_sys::WheelEvent>() else {
            return;
        };
        let changed = with_app(|app| {
            let shown = app.shown.as_ref()?;
            let view = app.view.as_mut()?;
            if w.ctrl_key() || w.meta_key() {
                let factor = if w.delta_y() < 0.0 { 1.25 } else { 0.8 };
                view.zoom(factor, f64::from(w.offset_x()), shown.replay.model.extent(view.mode));
            } else if w.shift_key() || w.delta_x().abs() > w.delta_y().abs() {
                let dx = if w.delta_x() != 0.0 { w.delta_x() } else { w.delta_y() };
                view.pan(-dx, shown.replay.model.extent(view.mode));
            } else {
                let before = view.scroll_y;
                view.scroll(w.delta_y(), app.layout.content_height());
                if view.scroll_y == before {
                    return None; // let the page scroll
                }
            }
            Some(())
        })
        .flatten();
        if changed.is_some() {
            e.prevent_default();
            if let Some(h) = handles() {
                render::timeline(&h);
            }
        }
    })?;
    Ok(())
}

fn wire_keyboard(h: &Handles) -> Result<(), JsValue> {
    on(&h.doc, "keydown", |e| {
        let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
            return;
        };
        if k.ctrl_key() || k.meta_key() || k.alt_key() {
            return;
        }
        let tag = e
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .map(|t| t.tag_name())
            .unwrap_or_default();
        let focus = match tag.as_str() {
            "INPUT" | "SELECT" | "TEXTAREA" => Focus::Field,
            "BUTTON" | "A" | "SUMMARY" => Focus::Button,
            _ => Focus::Other,
        };
        // Page Up and Down on the timeline scroll its lanes.
        if tag == "CANVAS" && matches!(k.key().as_str(), "PageDown" | "PageUp") {
            let dy = if k.key() == "PageDown" { 200.0 } else { -200.0 };
            with_app(|app| {
                let height = app.layout.content_height();
                app.view.as_mut().map(|v| v.scroll(dy, height))
            });
            if let Some(h) = handles() {
                render::timeline(&h);
            }
            e.prevent_default();
            return;
        }
        if let Some(action) = action_for(&k.key(), k.shift_key(), focus) {
            page::act(action);
            e.prevent_default();
        }
    })
}

fn export(make: impl FnOnce(&page::Shown) -> String, ext: &str, mime: &str) {
    if let Some(text) = page::with_shown(|s, _| make(s)) {
        download(&text, ext, mime);
    }
}

fn download(text: &str, ext: &str, mime: &str) {
    let Some(h) = handles() else { return };
    // A run of the Python lab is the visitor's program, not the demo's.
    let id = with_app(|app| if app.lab_open { "lab" } else { app.shared.demo.id }).unwrap_or("trace");
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let a = super::dom::el(&h.doc, "a", "");
    super::dom::set(&a, "href", &url);
    super::dom::set(&a, "download", &format!("looplab-{id}.{ext}"));
    if let Some(body) = h.doc.body() {
        let _ = body.append_child(&a);
        if let Some(link) = a.dyn_ref::<web_sys::HtmlElement>() {
            link.click();
        }
        let _ = body.remove_child(&a);
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

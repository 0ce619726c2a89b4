//! The laboratory page: catalog, parameters, playback, timeline, panels, code, export, sharing.
//!
//! All state lives in one [`App`] (thread-local; the page has one thread). Every handler reads
//! it, changes it, and calls `render` for the parts that changed. Text from demos, parameters or
//! the URL is set as text, never parsed as HTML.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement};

use super::dom::{append, by_id, clear, document, el, set, text_el};
use super::driver::{now_ms, run_demo_stoppable, HostLog, PageRun, Progress, Stop};
use super::paint;
use crate::demos::{self, Kind, Section};
use crate::runtime::{ClockKind, Error, Loop, LoopOptions};
use crate::trace::{chrome_trace, Trace};
use crate::view::highlight::{highlight, Lang};
use crate::view::playback::{self, snapshot};
use crate::view::share::{self, Shared};
use crate::view::source;
use crate::view::timeline::{self, AxisMode, HostTurn, TimelineModel, Viewport};

/// Speeds offered for playback.
const SPEEDS: &[(&str, f64)] = &[
    ("0.25×", 0.25),
    ("0.5×", 0.5),
    ("1×", 1.0),
    ("2×", 2.0),
    ("4×", 4.0),
    ("8×", 8.0),
    ("16×", 16.0),
];
/// Height of the timeline on screen.
const TIMELINE_HEIGHT: f64 = 340.0;
const EMBED_TIMELINE_HEIGHT: f64 = 240.0;
/// The narrowest the timeline gets (a 320 px embed still fits).
const MIN_WIDTH: f64 = 240.0;

/// A finished (or growing) run, ready to be shown.
struct Shown {
    trace: Trace,
    model: TimelineModel,
    transcript: Vec<String>,
    moment: usize,
}

struct App {
    shared: Shared,
    real_time: bool,
    run: Option<Shown>,
    running: bool,
    /// Bumped by every run, so a superseded run's results are dropped.
    generation: u64,
    view: Option<Viewport>,
    playing: bool,
    speed: f64,
    play_time: f64,
    event_budget: f64,
    last_frame: Option<f64>,
    drag_from: Option<f64>,
    dragged: bool,
    first_drawn_ms: Option<f64>,
    /// The timeline's width, measured once laid out (reading it forces a layout).
    width: Option<f64>,
    /// How many transcript lines are shown as printed, and whether the lines are in the DOM.
    transcript_shown: Option<usize>,
    /// The current demo's Python twin, once fetched (to find the line a log came from).
    python_source: Option<String>,
    /// The current demo's Rust source, once fetched.
    rust_source: Option<String>,
    /// Stops the run in progress.
    stop: Option<Stop>,
    /// What the last drawing of the timeline cost.
    last_draw: Option<DrawStats>,
}

/// What one drawing of the timeline cost.
#[derive(Clone, Copy, Debug, Default)]
struct DrawStats {
    shapes: usize,
    ms: f64,
}

/// The playback's animation-frame callback, made once.
type FrameCallback = Closure<dyn FnMut(f64)>;

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
    static FRAME: RefCell<Option<FrameCallback>> = const { RefCell::new(None) };
}

fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|a| a.borrow_mut().as_mut().map(f))
}

// ---------------------------------------------------------------------------------------------
// Building the page.

/// Builds the page inside `#app` from the URL, and runs the demo it names.
pub fn start() -> Result<(), JsValue> {
    let doc = document().ok_or("no document")?;
    let root = doc.get_element_by_id("app").ok_or("the page has no #app element")?;
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let (shared, messages) = share::parse(&query);
    clear(&root);
    if shared.embed {
        root.set_class_name("embed");
    }
    append(&root, &header(&doc));
    let body = el(&doc, "div", "layout");
    append(&body, &catalog(&doc)?);
    append(&body, &stage(&doc)?);
    append(&root, &body);
    APP.with(|a| {
        *a.borrow_mut() = Some(App {
            shared,
            real_time: false,
            run: None,
            running: false,
            generation: 0,
            view: None,
            playing: false,
            speed: 1.0,
            play_time: 0.0,
            event_budget: 0.0,
            last_frame: None,
            drag_from: None,
            dragged: false,
            first_drawn_ms: None,
            width: None,
            transcript_shown: None,
            python_source: None,
            rust_source: None,
            stop: None,
            last_draw: None,
        })
    });
    wire_keyboard(&doc)?;
    if let Some(w) = web_sys::window() {
        let on_resize = Closure::<dyn FnMut()>::new(|| {
            with_app(|app| app.width = None);
            measure_width();
        });
        w.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref())?;
        on_resize.forget();
    }
    show_demo(&doc);
    show_messages(&doc, &messages);
    run_current();
    Ok(())
}

fn header(doc: &Document) -> Element {
    let header = el(doc, "header", "site-header");
    append(&header, &text_el(doc, "h1", "brand", "looplab"));
    let to_catalog = text_el(doc, "a", "to-catalog", "All demos");
    set(&to_catalog, "href", "#catalog");
    append(&header, &to_catalog);
    append(
        &header,
        &text_el(
            doc,
            "p",
            "tagline",
            "asyncio's event loop, run in your browser and drawn step by step",
        ),
    );
    header
}

fn catalog(doc: &Document) -> Result<Element, JsValue> {
    let nav = el(doc, "nav", "catalog");
    set(&nav, "id", "catalog");
    set(&nav, "aria-label", "Demos");
    for section in [Section::Core, Section::Advanced] {
        append(&nav, &text_el(doc, "h2", "section-title", section.title()));
        let list = el(doc, "ul", "demo-list");
        for demo in demos::DEMOS.iter().filter(|d| d.section == section) {
            let item = el(doc, "li", "");
            let button = el(doc, "button", "demo-link");
            set(&button, "type", "button");
            set(&button, "data-demo", demo.id);
            append(&button, &text_el(doc, "span", "demo-title", demo.title));
            append(&button, &text_el(doc, "span", "demo-concept", demo.concept));
            let id = demo.id;
            on(&button, "click", move |_| {
                let Some(demo) = demos::find(id) else { return };
                with_app(|app| {
                    let embed = app.shared.embed;
                    app.shared = Shared {
                        embed,
                        axis: app.shared.axis,
                        ..Shared::of(demo)
                    };
                    app.view = None;
                    // Real time is a choice for one run: a new demo starts on the virtual clock.
                    app.real_time = false;
                });
                if let Some(doc) = document() {
                    show_demo(&doc);
                    show_messages(&doc, &[]);
                }
                run_current();
            })?;
            append(&item, &button);
            append(&list, &item);
        }
        append(&nav, &list);
    }
    Ok(nav)
}

fn button(doc: &Document, id: &str, label: &str, title: &str) -> Element {
    let b = text_el(doc, "button", "tool", label);
    set(&b, "type", "button");
    set(&b, "id", id);
    set(&b, "title", title);
    // A button that shows words is named by them (a different aria-label would hide them, and
    // its state, from screen readers); a symbol needs a name.
    if !label.chars().any(char::is_alphanumeric) {
        set(&b, "aria-label", title);
    }
    b
}

fn section(doc: &Document, id: &str, title: &str, class: &str) -> (Element, Element) {
    let s = el(doc, "section", class);
    set(&s, "id", id);
    append(&s, &text_el(doc, "h3", "", title));
    let body = el(doc, "div", "panel-body");
    append(&s, &body);
    (s, body)
}

fn stage(doc: &Document) -> Result<Element, JsValue> {
    let stage = el(doc, "main", "stage");
    set(&stage, "id", "stage");
    set(&stage, "tabindex", "-1");
    let notice = el(doc, "div", "notice");
    set(&notice, "id", "notice");
    set(&notice, "role", "alert");
    set(&notice, "hidden", "");
    append(&stage, &notice);

    let head = el(doc, "div", "stage-head");
    let title = el(doc, "h2", "stage-title");
    set(&title, "id", "demo-title");
    append(&head, &title);
    let concept = el(doc, "p", "stage-concept");
    set(&concept, "id", "demo-concept");
    append(&head, &concept);
    append(&stage, &head);

    // Parameters, seed, real time, Run.
    let form = el(doc, "form", "params");
    set(&form, "id", "params");
    set(&form, "novalidate", "");
    on(&form, "submit", |e| {
        e.prevent_default();
        run_from_form();
    })?;
    let fields = el(doc, "div", "fields");
    set(&fields, "id", "param-fields");
    append(&form, &fields);
    let actions = el(doc, "div", "actions");
    let run = text_el(doc, "button", "run", "Run");
    set(&run, "id", "run");
    set(&run, "type", "submit");
    append(&actions, &run);
    let stop = text_el(doc, "button", "tool stop", "Stop");
    set(&stop, "id", "stop");
    set(&stop, "type", "button");
    set(&stop, "hidden", "");
    append(&actions, &stop);
    let status = el(doc, "span", "status");
    set(&status, "id", "status");
    set(&status, "role", "status");
    append(&actions, &status);
    append(&form, &actions);
    append(&stage, &form);

    // Playback.
    let bar = el(doc, "div", "playback");
    set(&bar, "role", "toolbar");
    set(&bar, "aria-label", "Playback");
    for (id, label, title) in [
        ("to-start", "⇤", "Go to the start (Home)"),
        ("step-back", "◀", "Back one event (←)"),
        ("play", "▶", "Play or pause (space)"),
        ("step-forward", "▶|", "Forward one event (→)"),
        ("next-iteration", "⇥", "Next loop iteration (Shift+→)"),
    ] {
        append(&bar, &button(doc, id, label, title));
    }
    let scrub = el(doc, "input", "scrub");
    set(&scrub, "id", "scrub");
    set(&scrub, "type", "range");
    set(&scrub, "min", "0");
    set(&scrub, "max", "0");
    set(&scrub, "value", "0");
    set(&scrub, "aria-label", "Moment in the run");
    append(&bar, &scrub);
    let speed = el(doc, "select", "speed");
    set(&speed, "id", "speed");
    set(&speed, "aria-label", "Playback speed");
    for (label, value) in SPEEDS {
        let option = text_el(doc, "option", "", label);
        set(&option, "value", &value.to_string());
        if *value == 1.0 {
            set(&option, "selected", "");
        }
        append(&speed, &option);
    }
    append(&bar, &speed);
    let moment = el(doc, "span", "moment");
    set(&moment, "id", "moment");
    // Not a live region: it changes every frame during playback. `#announce` speaks instead.
    append(&bar, &moment);
    append(&stage, &bar);
    let announce = el(doc, "p", "visually-hidden");
    set(&announce, "id", "announce");
    set(&announce, "aria-live", "polite");
    append(&stage, &announce);

    // The timeline.
    let figure = el(doc, "figure", "timeline");
    set(&figure, "id", "timeline");
    let tools = el(doc, "div", "timeline-tools");
    append(
        &tools,
        &button(
            doc,
            "axis",
            "Axis: time",
            "Switch the axis between virtual time and loop iterations",
        ),
    );
    append(&tools, &button(doc, "zoom-in", "+", "Zoom in"));
    append(&tools, &button(doc, "zoom-out", "−", "Zoom out"));
    append(&tools, &button(doc, "zoom-fit", "Fit", "Show the whole run"));
    let hover = el(doc, "span", "hover");
    set(&hover, "id", "hover");
    append(&tools, &hover);
    append(&figure, &tools);
    let canvas = el(doc, "canvas", "timeline-canvas");
    set(&canvas, "id", "timeline-canvas");
    set(&canvas, "tabindex", "0");
    set(&canvas, "role", "img");
    append(&figure, &canvas);
    let caption = text_el(
        doc,
        "figcaption",
        "",
        "One lane per task: bars from creation to end (✕ failed, / cancelled), a block per step, arrows from the waker \
         to the woken, ticks for log lines. Drag to pan, Ctrl+wheel to zoom, click a step to go to it.",
    );
    append(&figure, &caption);
    append(&stage, &figure);

    // Panels at the moment.
    let panels = el(doc, "div", "panels");
    let (happened, happened_body) = section(doc, "panel-now", "Now", "panel now");
    set(&happened_body, "id", "now");
    append(&panels, &happened);
    for (id, title) in [
        ("panel-ready", "Ready queue"),
        ("panel-timers", "Pending timers"),
        ("panel-tasks", "Tasks"),
    ] {
        let (s, body) = section(doc, id, title, "panel");
        let list = el(doc, "ol", "items");
        set(&list, "id", &format!("{id}-list"));
        append(&body, &list);
        append(&panels, &s);
    }
    append(&stage, &panels);
    let (transcript, body) = section(doc, "panel-transcript", "Transcript", "panel transcript-panel");
    let pre = el(doc, "pre", "transcript");
    set(&pre, "id", "transcript");
    set(&pre, "tabindex", "0");
    append(&body, &pre);
    append(&stage, &transcript);

    // Code, side by side.
    let code = el(doc, "div", "code");
    for (id, title) in [
        ("code-python", "Python twin (tests/twins)"),
        ("code-rust", "Rust (src/demos)"),
    ] {
        let (s, body) = section(doc, &format!("{id}-panel"), title, "code-panel");
        let pre = el(doc, "pre", "source");
        set(&pre, "id", id);
        set(&pre, "tabindex", "0");
        append(&body, &pre);
        append(&code, &s);
    }
    append(&stage, &code);

    // Export and share.
    let export = el(doc, "div", "export");
    append(
        &export,
        &button(doc, "export-json", "Trace (JSON)", "Download the trace as JSON"),
    );
    append(
        &export,
        &button(
            doc,
            "export-chrome",
            "Chrome trace",
            "Download a Chrome trace for Perfetto",
        ),
    );
    append(
        &export,
        &button(doc, "export-svg", "Timeline (SVG)", "Download the timeline as SVG"),
    );
    let link = el(doc, "input", "share-link");
    set(&link, "id", "share-link");
    set(&link, "readonly", "");
    set(&link, "aria-label", "Link to this view");
    append(&export, &link);
    append(
        &export,
        &button(doc, "copy-link", "Copy link", "Copy the link to this view"),
    );
    append(&stage, &export);

    wire_stage(&stage)?;
    Ok(stage)
}

fn on(target: &Element, event: &str, mut action: impl FnMut(web_sys::Event) + 'static) -> Result<(), JsValue> {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| action(e));
    target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())?;
    // The page lives as long as its listeners: hand the closure to JavaScript for good.
    closure.forget();
    Ok(())
}

fn on_id(stage: &Element, id: &str, event: &str, action: impl FnMut(web_sys::Event) + 'static) -> Result<(), JsValue> {
    match stage.query_selector(&format!("#{id}"))? {
        Some(target) => on(&target, event, action),
        None => Ok(()),
    }
}

fn wire_stage(stage: &Element) -> Result<(), JsValue> {
    on_id(stage, "to-start", "click", |_| set_moment(|_, _| 0))?;
    on_id(stage, "step-back", "click", |_| set_moment(|_, m| m.saturating_sub(1)))?;
    on_id(stage, "step-forward", "click", |_| {
        set_moment(|t, m| (m + 1).min(t.events.len().saturating_sub(1)))
    })?;
    on_id(stage, "next-iteration", "click", |_| {
        set_moment(playback::next_iteration)
    })?;
    on_id(stage, "play", "click", |_| toggle_play())?;
    on_id(stage, "stop", "click", |_| {
        if let Some(stop) = with_app(|app| app.stop.clone()).flatten() {
            stop.stop();
        }
    })?;
    on_id(stage, "scrub", "input", |e| {
        let value = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .map(|i| i.value_as_number());
        if let Some(v) = value.filter(|v| v.is_finite()) {
            set_moment(|_, _| v.max(0.0) as usize);
        }
    })?;
    on_id(stage, "speed", "change", |e| {
        let value = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            .and_then(|s| s.value().parse::<f64>().ok());
        with_app(|app| app.speed = value.unwrap_or(1.0).clamp(0.25, 16.0));
    })?;
    on_id(stage, "axis", "click", |_| {
        with_app(|app| {
            app.shared.axis = match app.shared.axis {
                AxisMode::Time => AxisMode::Iteration,
                AxisMode::Iteration => AxisMode::Time,
            };
            app.view = None;
        });
        render();
    })?;
    on_id(stage, "zoom-in", "click", |_| zoom_by(2.0, None))?;
    on_id(stage, "zoom-out", "click", |_| zoom_by(0.5, None))?;
    on_id(stage, "zoom-fit", "click", |_| {
        with_app(|app| app.view = None);
        render();
    })?;
    on_id(stage, "export-json", "click", |_| {
        export(|s| (s.trace.to_json(), "json", "application/json"))
    })?;
    on_id(stage, "export-chrome", "click", |_| {
        export(|s| (chrome_trace(&s.trace), "chrome-trace.json", "application/json"))
    })?;
    on_id(stage, "export-svg", "click", |_| {
        export(|s| {
            let mut view = Viewport::fit(&s.model, AxisMode::Time, 1200.0, s.model.height());
            view.height = s.model.height();
            let scene = timeline::draw(&s.model, &view, None);
            (timeline::to_svg(&scene), "svg", "image/svg+xml")
        })
    })?;
    on_id(stage, "copy-link", "click", |_| {
        if let Some(input) = document().and_then(|d| by_id::<HtmlInputElement>(&d, "share-link")) {
            input.select();
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&input.value());
            }
        }
    })?;
    // The canvas: drag to pan, wheel to scroll lanes, Ctrl+wheel to zoom, click a step.
    on_id(stage, "timeline-canvas", "pointerdown", |e| {
        if let Some(p) = e.dyn_ref::<web_sys::PointerEvent>() {
            let x = f64::from(p.offset_x());
            with_app(|app| {
                app.drag_from = Some(x);
                app.dragged = false;
            });
        }
    })?;
    on_id(stage, "timeline-canvas", "pointermove", |e| {
        let Some(p) = e.dyn_ref::<web_sys::PointerEvent>() else {
            return;
        };
        let (x, y) = (f64::from(p.offset_x()), f64::from(p.offset_y()));
        let panned = with_app(|app| {
            let from = app.drag_from?;
            let run = app.run.as_ref()?;
            let view = app.view.as_mut()?;
            if (x - from).abs() > 2.0 {
                app.dragged = true;
            }
            view.pan(x - from, run.model.extent(view.mode));
            app.drag_from = Some(x);
            Some(())
        })
        .flatten();
        if panned.is_some() {
            render_timeline();
        } else {
            hover(x, y);
        }
    })?;
    on_id(stage, "timeline-canvas", "pointerup", |e| {
        let Some(p) = e.dyn_ref::<web_sys::PointerEvent>() else {
            return;
        };
        let (x, y) = (f64::from(p.offset_x()), f64::from(p.offset_y()));
        let clicked = with_app(|app| {
            app.drag_from = None;
            if app.dragged {
                return None;
            }
            let run = app.run.as_ref()?;
            timeline::hit(&run.model, app.view.as_ref()?, x, y)
        })
        .flatten();
        if let Some(event) = clicked {
            set_moment(|_, _| event);
        }
    })?;
    on_id(stage, "timeline-canvas", "wheel", |e| {
        let Some(w) = e.dyn_ref::<web_sys::WheelEvent>() else {
            return;
        };
        let changed = with_app(|app| {
            let run = app.run.as_ref()?;
            let view = app.view.as_mut()?;
            if w.ctrl_key() || w.meta_key() {
                let factor = if w.delta_y() < 0.0 { 1.25 } else { 0.8 };
                view.zoom(factor, f64::from(w.offset_x()), run.model.extent(view.mode));
            } else if w.shift_key() || w.delta_x().abs() > w.delta_y().abs() {
                let dx = if w.delta_x() != 0.0 { w.delta_x() } else { w.delta_y() };
                view.pan(-dx, run.model.extent(view.mode));
            } else {
                let content = run.model.height();
                let before = view.scroll_y;
                view.scroll(w.delta_y(), content);
                if view.scroll_y == before {
                    return None; // let the page scroll
                }
            }
            Some(())
        })
        .flatten();
        if changed.is_some() {
            e.prevent_default();
            render_timeline();
        }
    })?;
    Ok(())
}

fn wire_keyboard(doc: &Document) -> Result<(), JsValue> {
    let closure = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(|e: web_sys::KeyboardEvent| {
        let tag = e
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .map(|t| t.tag_name())
            .unwrap_or_default();
        if matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA") {
            return;
        }
        // Space and Enter on a focused button or link press it, as everywhere else.
        if matches!(tag.as_str(), "BUTTON" | "A" | "SUMMARY") && matches!(e.key().as_str(), " " | "Enter") {
            return;
        }
        let handled = match (e.key().as_str(), e.shift_key()) {
            (" ", _) => {
                toggle_play();
                true
            }
            ("ArrowRight", false) => {
                set_moment(|t, m| (m + 1).min(t.events.len().saturating_sub(1)));
                true
            }
            ("ArrowLeft", false) => {
                set_moment(|_, m| m.saturating_sub(1));
                true
            }
            ("ArrowRight", true) => {
                set_moment(playback::next_iteration);
                true
            }
            ("ArrowLeft", true) => {
                set_moment(playback::previous_iteration);
                true
            }
            ("Home", _) => {
                set_moment(|_, _| 0);
                true
            }
            ("End", _) => {
                set_moment(|t, _| t.events.len().saturating_sub(1));
                true
            }
            _ => false,
        };
        if handled {
            e.prevent_default();
        }
    });
    doc.add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref())?;
    closure.forget();
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The demo, its parameters and its runs.

/// Shows the current demo's title, concept, parameter inputs and code.
fn show_demo(doc: &Document) {
    let Some((demo, shared)) = with_app(|app| (app.shared.demo, app.shared.clone())) else {
        return;
    };
    if let Some(t) = doc.get_element_by_id("demo-title") {
        t.set_text_content(Some(demo.title));
    }
    doc.set_title(&format!("{}: looplab", demo.title));
    if let Some(c) = doc.get_element_by_id("demo-concept") {
        c.set_text_content(Some(demo.concept));
    }
    if let Ok(links) = doc.query_selector_all(".demo-link") {
        for i in 0..links.length() {
            if let Some(link) = links.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                if link.get_attribute("data-demo").as_deref() == Some(demo.id) {
                    set(&link, "aria-current", "true");
                } else {
                    let _ = link.remove_attribute("aria-current");
                }
            }
        }
    }
    if let Some(fields) = doc.get_element_by_id("param-fields") {
        clear(&fields);
        let values = shared.params.to_args();
        for (spec, arg) in demo.params.iter().zip(values) {
            let value = arg.split_once('=').map(|(_, v)| v.to_string()).unwrap_or_default();
            let (label, input, hint) = field(doc, &format!("param-{}", spec.name), spec.name, spec.help, &value);
            set(&input, "data-param", spec.name);
            match spec.kind {
                Kind::Seconds { min, max } => {
                    set(&input, "inputmode", "decimal");
                    hint.set_text_content(Some(&format!("{min} to {max} s")));
                }
                Kind::Count { min, max } => {
                    set(&input, "inputmode", "numeric");
                    hint.set_text_content(Some(&format!("{min} to {max}")));
                }
                Kind::Choice(choices) => hint.set_text_content(Some(&choices.join(" | "))),
            }
            append(&fields, &label);
        }
        let seed = shared.seed.map(|s| s.to_string()).unwrap_or_default();
        let (label, input, hint) = field(
            doc,
            "param-seed",
            "seed",
            "perturbation (empty: CPython's order)",
            &seed,
        );
        set(&input, "inputmode", "numeric");
        hint.set_text_content(Some("a whole number, or empty"));
        append(&fields, &label);
        let realtime = el(doc, "label", "field check");
        let check = el(doc, "input", "");
        set(&check, "type", "checkbox");
        set(&check, "id", "real-time");
        append(&realtime, &check);
        append(&realtime, &text_el(doc, "span", "field-name", "real time"));
        append(&fields, &realtime);
    }
    with_app(|app| {
        app.python_source = None;
        app.rust_source = None;
    });
    // The code view is filled after the first timeline is drawn (see `show_code`): thousands
    // of coloured spans would make the page's first layout, and so its first timeline, slower.
    for id in ["code-rust", "code-python"] {
        if let Some(pre) = doc.get_element_by_id(id) {
            clear(&pre);
            let _ = pre.remove_attribute("data-demo");
        }
    }
}

/// Fills the code view for the current demo, once: the sources are fetched from `sources/`
/// (they are not in the module, to keep it small), then coloured.
fn show_code(doc: &Document) {
    let Some(demo) = with_app(|app| app.shared.demo) else {
        return;
    };
    let pending = ["code-rust", "code-python"].iter().any(|id| {
        doc.get_element_by_id(id)
            .is_some_and(|pre| pre.get_attribute("data-demo").as_deref() != Some(demo.id))
    });
    if !pending {
        return;
    }
    for id in ["code-rust", "code-python"] {
        if let Some(pre) = doc.get_element_by_id(id) {
            set(&pre, "data-demo", demo.id);
        }
    }
    wasm_bindgen_futures::spawn_local(async move {
        let rust = fetch_text(&format!("./sources/rust/{}.rs", demo.module)).await;
        let python = fetch_text(&format!("./sources/python/{}.py", demo.id)).await;
        let Some(doc) = document() else { return };
        let still = with_app(|app| app.shared.demo.id == demo.id).unwrap_or(false);
        if !still {
            return;
        }
        for (id, source, lang) in [("code-rust", &rust, Lang::Rust), ("code-python", &python, Lang::Python)] {
            if let Some(pre) = doc.get_element_by_id(id) {
                match source {
                    Some(text) => render_source(&doc, &pre, text, lang),
                    None => pre.set_text_content(Some(
                        "The source could not be loaded (offline before it was ever shown?).",
                    )),
                }
            }
        }
        with_app(|app| {
            app.python_source = python;
            app.rust_source = rust;
        });
        render_panels();
    });
}

/// The text at `url`, if it could be fetched.
async fn fetch_text(url: &str) -> Option<String> {
    let window = web_sys::window()?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
        .await
        .ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().ok()?).await.ok()?;
    text.as_string()
}

/// A labelled input with its hint and a place for its error.
fn field(doc: &Document, id: &str, name: &str, help: &str, value: &str) -> (Element, Element, Element) {
    let label = el(doc, "label", "field");
    set(&label, "for", id);
    append(&label, &text_el(doc, "span", "field-name", name));
    let input = el(doc, "input", "field-input");
    set(&input, "id", id);
    set(&input, "value", value);
    set(&input, "title", help);
    set(&input, "aria-describedby", &format!("{id}-hint {id}-error"));
    append(&label, &input);
    let hint = el(doc, "span", "field-hint");
    set(&hint, "id", &format!("{id}-hint"));
    append(&label, &hint);
    let error = el(doc, "span", "field-error");
    set(&error, "id", &format!("{id}-error"));
    set(&error, "role", "alert");
    append(&label, &error);
    (label, input, hint)
}

fn render_source(doc: &Document, pre: &Element, source: &str, lang: Lang) {
    clear(pre);
    for (n, spans) in highlight(source, lang).into_iter().enumerate() {
        let line = el(doc, "span", "line");
        set(&line, "data-line", &(n + 1).to_string());
        for (token, text) in spans {
            let span = text_el(doc, "span", token.class(), &text);
            append(&line, &span);
        }
        append(pre, &line);
        let _ = pre.append_child(&doc.create_text_node("\n"));
    }
}

/// Reads the form: the parameters, the seed and the real-time switch. Errors are shown next to
/// their inputs, and nothing runs while any remains.
fn run_from_form() {
    let Some(doc) = document() else { return };
    let Some(demo) = with_app(|app| app.shared.demo) else {
        return;
    };
    let mut params = demo.defaults();
    let mut ok = true;
    for spec in demo.params {
        let id = format!("param-{}", spec.name);
        let value = by_id::<HtmlInputElement>(&doc, &id)
            .map(|i| i.value())
            .unwrap_or_default();
        let error = params.set(spec.name, &value).err().map(|e| e.to_string());
        ok &= error.is_none();
        show_field_error(&doc, &id, error.as_deref());
    }
    let seed_text = by_id::<HtmlInputElement>(&doc, "param-seed")
        .map(|i| i.value())
        .unwrap_or_default();
    let seed = match seed_text.trim() {
        "" => None,
        text => match text.parse::<u64>() {
            Ok(s) => Some(s),
            Err(_) => {
                ok = false;
                None
            }
        },
    };
    let seed_error =
        (!seed_text.trim().is_empty() && seed.is_none()).then_some("the seed must be a whole number (0 or more)");
    show_field_error(&doc, "param-seed", seed_error);
    let real_time = by_id::<HtmlInputElement>(&doc, "real-time").is_some_and(|c| c.checked());
    if !ok {
        set_status(&doc, "Nothing ran: fix the values marked in red.");
        return;
    }
    // The values are good now: a warning about the link's values no longer applies.
    show_messages(&doc, &[]);
    with_app(|app| {
        app.shared.params = params;
        app.shared.seed = seed;
        app.shared.moment = None;
        app.shared.event = None;
        app.real_time = real_time;
    });
    run_current();
}

fn show_field_error(doc: &Document, id: &str, error: Option<&str>) {
    if let Some(span) = doc.get_element_by_id(&format!("{id}-error")) {
        span.set_text_content(error);
    }
    if let Some(input) = doc.get_element_by_id(id) {
        if error.is_some() {
            set(&input, "aria-invalid", "true");
        } else {
            let _ = input.remove_attribute("aria-invalid");
        }
    }
}

fn set_status(doc: &Document, text: &str) {
    if let Some(s) = doc.get_element_by_id("status") {
        s.set_text_content(Some(text));
    }
}

fn show_messages(doc: &Document, messages: &[String]) {
    let Some(notice) = doc.get_element_by_id("notice") else {
        return;
    };
    clear(&notice);
    if messages.is_empty() {
        set(&notice, "hidden", "");
        return;
    }
    for m in messages {
        append(&notice, &text_el(doc, "p", "", m));
    }
    let _ = notice.remove_attribute("hidden");
}

/// Runs the current demo with the current parameters.
fn run_current() {
    let stop = Stop::new();
    let Some((demo, params, seed, real_time, generation)) = with_app(|app| {
        if let Some(old) = app.stop.replace(stop.clone()) {
            old.stop();
        }
        app.running = true;
        app.playing = false;
        app.generation += 1;
        (
            app.shared.demo,
            app.shared.params.clone(),
            app.shared.seed,
            app.real_time,
            app.generation,
        )
    }) else {
        return;
    };
    if let Some(doc) = document() {
        set_status(
            &doc,
            if real_time {
                "Running in real time\u{2026}"
            } else {
                "Running\u{2026}"
            },
        );
        if let Some(b) = doc.get_element_by_id("stop") {
            let _ = b.remove_attribute("hidden");
        }
    }
    let clock = if real_time {
        ClockKind::Real(Rc::new(|| now_ms() / 1000.0))
    } else {
        ClockKind::Virtual
    };
    let options = LoopOptions {
        trace: true,
        seed,
        clock,
        max_iterations: 2_000_000,
        ..LoopOptions::default()
    };
    let progress: Option<Progress> = real_time.then(|| {
        Rc::new(move |lp: &Loop, host: &HostLog| {
            let Some(trace) = lp.trace() else { return };
            let live = with_app(|app| app.generation == generation).unwrap_or(false);
            if live {
                show_run(trace, lp.transcript(), Ok(()), host.clone(), true);
            }
        }) as Progress
    });
    wasm_bindgen_futures::spawn_local(async move {
        let run = run_demo_stoppable(demo, options, params, progress, Some(stop)).await;
        let current = with_app(|app| app.generation == generation).unwrap_or(false);
        if !current {
            return;
        }
        let PageRun { report, host } = run;
        with_app(|app| {
            app.running = false;
            app.stop = None;
        });
        if let Some(doc) = document() {
            if let Some(b) = doc.get_element_by_id("stop") {
                set(&b, "hidden", "");
            }
        }
        match report.trace {
            Some(trace) => show_run(trace, report.transcript, report.result, host, false),
            None => {
                if let Some(doc) = document() {
                    set_status(&doc, "The run recorded no trace.");
                }
            }
        }
    });
}

fn show_run(trace: Trace, transcript: Vec<String>, result: Result<(), Error>, host: HostLog, live: bool) {
    let turns: Vec<HostTurn> = host
        .turns
        .iter()
        .map(|t| HostTurn {
            iteration: t.iteration,
            macrotask: t.macrotask,
            microtask: t.microtask,
        })
        .collect();
    let model = TimelineModel::new(&trace).with_host(turns);
    let last = trace.events.len().saturating_sub(1);
    let status = if live {
        format!("Running in real time: {:.1} s so far", trace.end_time)
    } else {
        match &result {
            Ok(()) => format!(
                "Done: {} ran in {} over {} of the browser.",
                plural(trace.iterations, "loop iteration"),
                plural(u64::from(host.microtasks), "microtask"),
                plural(u64::from(host.macrotasks), "macrotask"),
            ),
            Err(e) if e.repr().contains("stopped") => format!(
                "Stopped after {:.2} s of loop time: the timeline shows the run so far.",
                trace.end_time
            ),
            Err(e) => format!("The run failed: {}", e.repr()),
        }
    };
    let mut late = Vec::new();
    with_app(|app| {
        let moment = match (live, app.shared.event, app.shared.moment) {
            (true, _, _) | (false, None, None) => last,
            (false, Some(e), _) if e <= last => e,
            (false, Some(e), _) => {
                late.push(format!(
                    "The run has {} events, so there is no event {e}; showing the end.",
                    last + 1
                ));
                app.shared.event = None;
                last
            }
            (false, None, Some(t)) if t > trace.end_time + 1e-9 => {
                late.push(format!(
                    "The run ends at {:.3} s, before t = {}; showing the end.",
                    trace.end_time,
                    timeline::trim_number(t)
                ));
                app.shared.moment = None;
                last
            }
            (false, None, Some(t)) => playback::event_at_time(&trace, t),
        };
        app.play_time = trace.events.get(moment).map_or(0.0, |e| e.time);
        let keep_view = app.view.is_some_and(|v| v.mode == app.shared.axis) && app.run.is_some();
        if !keep_view || live {
            app.view = None;
        }
        app.run = Some(Shown {
            trace,
            model,
            transcript,
            moment,
        });
        app.transcript_shown = None;
    });
    if let Some(doc) = document() {
        if !late.is_empty() {
            // After the link's own messages, which stay.
            if let Some(notice) = doc.get_element_by_id("notice") {
                for m in &late {
                    append(&notice, &text_el(&doc, "p", "", m));
                }
                let _ = notice.remove_attribute("hidden");
            }
        }
        set_status(&doc, &status);
        if let Some(scrub) = by_id::<HtmlInputElement>(&doc, "scrub") {
            scrub.set_max(&last.to_string());
        }
    }
    render_timeline();
    if let Some(doc) = document() {
        show_code(&doc);
    }
    render_panels();
    render_controls();
}

// ---------------------------------------------------------------------------------------------
// Playback.

fn set_moment(to: impl FnOnce(&Trace, usize) -> usize) {
    let changed = with_app(|app| {
        let run = app.run.as_mut()?;
        let next = to(&run.trace, run.moment).min(run.trace.events.len().saturating_sub(1));
        run.moment = next;
        app.play_time = run.trace.events.get(next).map_or(0.0, |e| e.time);
        app.shared.moment = Some(app.play_time);
        app.shared.event = Some(next);
        Some(())
    })
    .flatten();
    if changed.is_some() {
        render();
    }
}

fn toggle_play() {
    let start = with_app(|app| {
        let run = app.run.as_mut()?;
        app.playing = !app.playing;
        if app.playing && run.moment + 1 >= run.trace.events.len() {
            run.moment = 0;
            app.play_time = 0.0;
        }
        app.last_frame = None;
        app.event_budget = 0.0;
        Some(app.playing)
    })
    .flatten();
    if start == Some(true) {
        request_frame();
    } else {
        render_panels();
    }
    render_controls();
}

fn request_frame() {
    FRAME.with(|f| {
        if f.borrow().is_none() {
            *f.borrow_mut() = Some(Closure::<dyn FnMut(f64)>::new(frame));
        }
        if let (Some(w), Some(cb)) = (web_sys::window(), f.borrow().as_ref()) {
            let _ = w.request_animation_frame(cb.as_ref().unchecked_ref());
        }
    });
}

/// One animation frame of playback: loop time flows at the chosen speed (1× = one virtual
/// second per second); the events of one instant go by at 40 a second (times the speed), so a
/// burst of zero-duration steps is seen one by one.
fn frame(now: f64) {
    let keep_going = with_app(|app| {
        if !app.playing {
            return false;
        }
        let Some(run) = app.run.as_mut() else { return false };
        let dt = app.last_frame.map_or(0.0, |t| ((now - t) / 1000.0).clamp(0.0, 0.25));
        app.last_frame = Some(now);
        let mut time_budget = dt * app.speed;
        app.event_budget += dt * 40.0 * app.speed;
        let last = run.trace.events.len().saturating_sub(1);
        while run.moment < last {
            let Some(next_time) = run.trace.events.time_of(run.moment + 1) else {
                break;
            };
            if next_time <= app.play_time + 1e-9 {
                if app.event_budget < 1.0 {
                    break;
                }
                app.event_budget -= 1.0;
                run.moment += 1;
            } else {
                let step = (next_time - app.play_time).min(time_budget);
                app.play_time += step;
                time_budget -= step;
                if app.play_time + 1e-9 < next_time {
                    break;
                }
            }
        }
        app.event_budget = app.event_budget.min(4.0);
        app.shared.moment = Some(app.play_time);
        app.shared.event = Some(run.moment);
        if run.moment >= last {
            app.playing = false;
        }
        app.playing
    })
    .unwrap_or(false);
    render();
    if keep_going {
        request_frame();
    }
}

fn zoom_by(factor: f64, anchor: Option<f64>) {
    with_app(|app| {
        let run = app.run.as_ref()?;
        let view = app.view.as_mut()?;
        let (left, right) = view.plot();
        view.zoom(
            factor,
            anchor.unwrap_or((left + right) / 2.0),
            run.model.extent(view.mode),
        );
        Some(())
    });
    render_timeline();
}

// ---------------------------------------------------------------------------------------------
// Rendering.

fn render() {
    render_timeline();
    render_panels();
    render_controls();
}

fn render_timeline() {
    let Some(doc) = document() else { return };
    let Some(canvas) = by_id::<HtmlCanvasElement>(&doc, "timeline-canvas") else {
        return;
    };
    let width = canvas_width();
    let label = with_app(|app| {
        let embed = app.shared.embed;
        let run = app.run.as_ref()?;
        let height = (if embed { EMBED_TIMELINE_HEIGHT } else { TIMELINE_HEIGHT }).min(run.model.height() + 8.0);
        let mode = app.shared.axis;
        let view = app
            .view
            .get_or_insert_with(|| Viewport::fit(&run.model, mode, width, height));
        if (view.width - width).abs() > 1.0 {
            view.width = width.max(MIN_WIDTH);
        }
        view.height = height;
        let started = now_ms();
        let scene = timeline::draw(&run.model, view, Some(run.moment));
        if let Some(ctx) = paint::prepare(&canvas, view.width, view.height) {
            let _ = canvas.style().set_property("width", &format!("{}px", view.width));
            let _ = canvas.style().set_property("height", &format!("{}px", view.height));
            paint::paint(&ctx, &scene);
        }
        app.last_draw = Some(DrawStats {
            shapes: scene.shapes.len(),
            ms: now_ms() - started,
        });
        if app.first_drawn_ms.is_none() {
            app.first_drawn_ms = Some(now_ms());
        }
        Some(format!(
            "Timeline of {}: {} tasks over {:.3} s of virtual time and {} iterations",
            app.shared.demo.id,
            run.model.lanes.len(),
            run.model.total_time,
            run.model.iterations
        ))
    })
    .flatten();
    if let Some(label) = label {
        set(&canvas, "aria-label", &label);
    }
}

/// The demos' source files (Rust and Python), for the service worker to keep for offline use.
#[wasm_bindgen]
pub fn source_urls() -> Vec<String> {
    demos::DEMOS
        .iter()
        .flat_map(|d| {
            [
                format!("./sources/rust/{}.rs", d.module),
                format!("./sources/python/{}.py", d.id),
            ]
        })
        .collect()
}

/// What the page shows, as JSON, for the end-to-end tests and the benchmark (they call it; the
/// page never computes it on its own).
#[wasm_bindgen]
pub fn page_summary() -> String {
    with_app(|app| {
        let run = app.run.as_ref()?;
        let view = app.view.as_ref()?;
        let lanes: Vec<serde_json::Value> = run
            .model
            .lanes
            .iter()
            .take(200)
            .map(|l| {
                serde_json::json!({
                    "name": l.name, "start": l.start_time, "end": l.end_time,
                    "outcome": timeline::class(&timeline::Style::Life(life(&l.outcome))),
                    "steps": l.steps.len(),
                })
            })
            .collect();
        let arrows: Vec<serde_json::Value> = run
            .model
            .arrows
            .iter()
            .take(500)
            .map(|a| serde_json::json!({"from": a.from, "to": a.to, "time": a.time}))
            .collect();
        let stats = app.last_draw.unwrap_or_default();
        // The steps on screen, where a click finds them (CSS pixels within the canvas).
        let mut drawn = Vec::new();
        for (i, lane) in run.model.lanes.iter().enumerate() {
            let y = timeline::lane_y(Some(i)) - view.scroll_y;
            if y < timeline::AXIS_HEIGHT || y > view.height || drawn.len() >= 400 {
                continue;
            }
            for &k in &lane.steps {
                let st = &run.model.steps[k];
                let x = view.x(run.model.position(view.mode, st.iteration, st.time));
                let w = match view.mode {
                    AxisMode::Time => view.x(st.end_time) - x,
                    AxisMode::Iteration => 0.0,
                };
                if x >= view.plot().0 && x <= view.plot().1 && drawn.len() < 400 {
                    drawn.push(serde_json::json!({"lane": i, "event": st.event, "x": x, "y": y, "w": w,
                        "time": st.time, "end_time": st.end_time}));
                }
            }
        }
        Some(
            serde_json::json!({
                "demo": app.shared.demo.id,
                "axis": if view.mode == AxisMode::Time { "time" } else { "iteration" },
                "total_time": run.model.total_time,
                "iterations": run.model.iterations,
                "tasks": run.model.lanes.len(),
                "steps": run.model.steps.len(),
                "events": run.trace.events.len(),
                "arrows_total": run.model.arrows.len(),
                "lanes": lanes,
                "arrows": arrows,
                "shapes": stats.shapes,
                "moment": run.moment,
                "view": {"start": view.start, "end": view.end, "left": view.plot().0, "right": view.plot().1,
                         "width": view.width, "height": view.height},
                "draw_ms": stats.ms,
                "steps_drawn": drawn,
                "first_drawn_ms": app.first_drawn_ms,
            })
            .to_string(),
        )
    })
    .flatten()
    .unwrap_or_else(|| "{}".to_string())
}

/// The timeline's width: measured when known, estimated from the window before the page's
/// first layout (so the first timeline is drawn without forcing one), then measured in the
/// next animation frame and redrawn if the estimate was off.
fn canvas_width() -> f64 {
    if let Some(w) = with_app(|app| app.width).flatten() {
        return w;
    }
    let window = web_sys::window();
    let inner = window
        .as_ref()
        .and_then(|w| w.inner_width().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(1200.0);
    let embed = with_app(|app| app.shared.embed).unwrap_or(false);
    // The layout's columns (style.css): padding, the catalog, the gap, the figure's padding.
    let estimate = if embed {
        inner - 30.0
    } else if inner > 896.0 {
        inner.min(1600.0) - 40.0 - 288.0 - 20.0 - 20.0
    } else {
        inner - 60.0
    };
    if let Some(w) = window {
        let measure = Closure::once_into_js(measure_width);
        let _ = w.request_animation_frame(measure.unchecked_ref());
    }
    estimate.max(MIN_WIDTH)
}

/// Reads the laid-out width of the timeline and redraws if it changed.
fn measure_width() {
    let Some(doc) = document() else { return };
    let Some(figure) = doc.get_element_by_id("timeline") else {
        return;
    };
    let width = (f64::from(figure.client_width()) - 18.0).max(MIN_WIDTH);
    let changed = with_app(|app| {
        let changed = app.width.is_none_or(|w| (w - width).abs() > 1.0);
        app.width = Some(width);
        changed
    })
    .unwrap_or(false);
    if changed {
        render_timeline();
    }
}

fn life(outcome: &Option<crate::trace::Outcome>) -> timeline::LifeEnd {
    use crate::trace::Outcome;
    match outcome {
        None => timeline::LifeEnd::Pending,
        Some(Outcome::Returned) => timeline::LifeEnd::Returned,
        Some(Outcome::Failed { .. }) => timeline::LifeEnd::Failed,
        Some(Outcome::Cancelled) => timeline::LifeEnd::Cancelled,
    }
}

fn fill_list(doc: &Document, id: &str, items: &[String], empty: &str) {
    let Some(list) = doc.get_element_by_id(id) else { return };
    clear(&list);
    if items.is_empty() {
        append(&list, &text_el(doc, "li", "empty", empty));
    }
    for item in items.iter().take(200) {
        append(&list, &text_el(doc, "li", "", item));
    }
    if items.len() > 200 {
        append(
            &list,
            &text_el(doc, "li", "empty", &format!("\u{2026} and {} more", items.len() - 200)),
        );
    }
}

fn render_panels() {
    let Some(doc) = document() else { return };
    let data = with_app(|app| {
        let run = app.run.as_ref()?;
        let snap = snapshot(&run.trace, run.moment);
        let file = format!("{}.rs", app.shared.demo.module);
        let lines = source::follow(
            &run.trace,
            run.moment,
            &file,
            app.rust_source.as_deref(),
            app.python_source.as_deref(),
        );
        let (rust_line, python_line) = (lines.rust, lines.python);
        let url = share::query(&app.shared);
        Some((
            snap,
            run.transcript.clone(),
            rust_line,
            python_line,
            url,
            run.trace.events.len(),
        ))
    })
    .flatten();
    let Some((snap, transcript, rust_line, python_line, url, events)) = data else {
        return;
    };
    if let Some(now) = doc.get_element_by_id("now") {
        now.set_text_content(Some(&snap.happened));
    }
    if let Some(m) = doc.get_element_by_id("moment") {
        m.set_text_content(Some(&format!(
            "t = {:.3} s · iteration {} · event {} of {}",
            snap.time,
            snap.iteration,
            snap.event + 1,
            events
        )));
    }
    fill_list(&doc, "panel-ready-list", &snap.ready, "empty");
    let timers: Vec<String> = snap
        .timers
        .iter()
        .map(|t| {
            format!(
                "{:.3} s: timer {}{}",
                t.deadline,
                t.timer,
                t.owner.as_ref().map_or(String::new(), |o| format!(" ({o})"))
            )
        })
        .collect();
    fill_list(&doc, "panel-timers-list", &timers, "none");
    let tasks: Vec<String> = snap
        .tasks
        .iter()
        .map(|(name, state)| format!("{name}: {}", state.describe()))
        .collect();
    fill_list(&doc, "panel-tasks-list", &tasks, "none yet");
    render_transcript(&doc, &transcript, snap.lines);
    for (id, line) in [("code-rust", rust_line), ("code-python", python_line)] {
        let Some(pre) = doc.get_element_by_id(id) else { continue };
        if let Ok(Some(old)) = pre.query_selector(".line.current") {
            old.set_class_name("line");
        }
        if let Some(line) = line {
            if let Ok(Some(current)) = pre.query_selector(&format!(".line[data-line=\"{line}\"]")) {
                current.set_class_name("line current");
                if let (Some(p), Some(c)) = (
                    pre.dyn_ref::<web_sys::HtmlElement>(),
                    current.dyn_ref::<web_sys::HtmlElement>(),
                ) {
                    p.set_scroll_top((c.offset_top() - p.client_height() / 2).max(0));
                }
            }
        }
    }
    if let Some(input) = by_id::<HtmlInputElement>(&doc, "share-link") {
        let base = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .map(|h| h.split(['?', '#']).next().unwrap_or_default().to_string())
            .unwrap_or_default();
        input.set_value(&format!("{base}{url}"));
    }
    // While playing, the moment changes every frame: the address and the screen reader's
    // announcement follow only when it stops.
    if !with_app(|app| app.playing).unwrap_or(false) {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
        if let Some(a) = doc.get_element_by_id("announce") {
            a.set_text_content(Some(&snap.happened));
        }
    }
}

/// The transcript, lines printed so far in full, the rest dimmed, the latest marked. The lines
/// are built once per run; moving the moment only changes their classes.
fn render_transcript(doc: &Document, transcript: &[String], printed: usize) {
    let Some(pre) = doc.get_element_by_id("transcript") else {
        return;
    };
    let shown = with_app(|app| app.transcript_shown.replace(printed)).flatten();
    let class = |i: usize| {
        if i + 1 == printed {
            "tline current"
        } else if i < printed {
            "tline"
        } else {
            "tline future"
        }
    };
    let lines = pre.children();
    match shown {
        Some(before) if lines.length() as usize == transcript.len().min(2000) => {
            // Only the lines between the old and new moment change.
            let (a, b) = (before.min(printed).saturating_sub(1), before.max(printed) + 1);
            for i in a..b.min(lines.length() as usize) {
                if let Some(line) = lines.item(i as u32) {
                    line.set_class_name(class(i));
                }
            }
        }
        _ => {
            clear(&pre);
            for (i, line) in transcript.iter().enumerate().take(2000) {
                append(&pre, &text_el(doc, "span", class(i), line));
                let _ = pre.append_child(&doc.create_text_node("\n"));
            }
        }
    }
    if let Ok(Some(current)) = pre.query_selector(".current") {
        if let (Some(p), Some(c)) = (
            pre.dyn_ref::<web_sys::HtmlElement>(),
            current.dyn_ref::<web_sys::HtmlElement>(),
        ) {
            p.set_scroll_top((c.offset_top() - p.client_height() / 2).max(0));
        }
    }
}

fn render_controls() {
    let Some(doc) = document() else { return };
    let Some((playing, moment, axis)) =
        with_app(|app| (app.playing, app.run.as_ref().map(|r| r.moment), app.shared.axis))
    else {
        return;
    };
    if let Some(play) = doc.get_element_by_id("play") {
        play.set_text_content(Some(if playing { "||" } else { "▶" }));
        set(&play, "aria-pressed", if playing { "true" } else { "false" });
    }
    if let (Some(scrub), Some(moment)) = (by_id::<HtmlInputElement>(&doc, "scrub"), moment) {
        scrub.set_value(&moment.to_string());
    }
    if let Some(b) = doc.get_element_by_id("axis") {
        b.set_text_content(Some(if axis == AxisMode::Time {
            "Axis: time"
        } else {
            "Axis: iterations"
        }));
    }
}

fn hover(x: f64, y: f64) {
    let text = with_app(|app| {
        let run = app.run.as_ref()?;
        let event = timeline::hit(&run.model, app.view.as_ref()?, x, y)?;
        let e = run.trace.events.get(event)?;
        Some(format!(
            "{:.3} s, iteration {}: {}",
            e.time,
            e.iteration,
            playback::describe(&run.trace, event)
        ))
    })
    .flatten();
    if let Some(h) = document().and_then(|d| d.get_element_by_id("hover")) {
        h.set_text_content(Some(text.as_deref().unwrap_or("")));
    }
}

fn export(make: impl FnOnce(&Shown) -> (String, &'static str, &'static str)) {
    let Some(Some((text, ext, mime, id))) = with_app(|app| {
        app.run.as_ref().map(|r| {
            let (t, e, m) = make(r);
            (t, e, m, app.shared.demo.id)
        })
    }) else {
        return;
    };
    let Some(doc) = document() else { return };
    let parts = js_sys::Array::of1(&JsValue::from_str(&text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let a = el(&doc, "a", "");
    set(&a, "href", &url);
    set(&a, "download", &format!("looplab-{id}.{ext}"));
    if let Some(body) = doc.body() {
        let _ = body.append_child(&a);
        if let Some(h) = a.dyn_ref::<web_sys::HtmlElement>() {
            h.click();
        }
        let _ = body.remove_child(&a);
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Times drawing the timeline of a `tasks`-task trace into the page's canvas (the benchmark's
/// `ui-render`): returns milliseconds.
#[wasm_bindgen]
pub fn bench_timeline_draw(tasks: u32) -> f64 {
    let tasks = tasks.min(50_000);
    let lp = Loop::new(LoopOptions {
        trace: true,
        ..LoopOptions::default()
    });
    let _ = lp.run(async move {
        let handles: Vec<_> = (0..tasks)
            .map(|i| crate::runtime::spawn(crate::runtime::sleep(f64::from(i % 100) * 0.01)))
            .collect();
        for h in handles {
            h.await?;
        }
        Ok(())
    });
    let Some(trace) = lp.trace() else { return f64::NAN };
    let Some(doc) = document() else { return f64::NAN };
    let canvas = doc
        .create_element("canvas")
        .ok()
        .and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok());
    let Some(canvas) = canvas else { return f64::NAN };
    let started = now_ms();
    let model = TimelineModel::new(&trace);
    let view = Viewport::fit(&model, AxisMode::Time, 1200.0, TIMELINE_HEIGHT);
    let scene = timeline::draw(&model, &view, None);
    if let Some(ctx) = paint::prepare(&canvas, view.width, view.height) {
        paint::paint(&ctx, &scene);
    }
    now_ms() - started
}

/// `1 microtask`, `2 microtasks`.
fn plural(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

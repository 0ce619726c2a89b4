//! Writes the page's state into its elements: the demo's head and parameters, the timeline, the
//! panels, the narration, the transcript, the code view, the controls and the share link. Text
//! from demos, traces or the URL is always set as text, never parsed as HTML.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

use super::dom::{append, clear, el, set, text_el};
use super::driver::now_ms;
use super::handles::Handles;
use super::page::{self, handles, with_app, App, Shown, EMBED_TIMELINE_HEIGHT, MIN_WIDTH, TIMELINE_HEIGHT};
use super::paint;
use crate::demos::{self, Demo, Kind, Params, Section};
use crate::view::highlight::{highlight, Lang};
use crate::view::lists;
use crate::view::narrate::{self, describe, narrate};
use crate::view::replay::{wait_label, Phase};
use crate::view::scene::{self, Frame, Hit};
use crate::view::share::{self, Shared};
use crate::view::source::{self, nth_line};
use crate::view::timeline::{AxisMode, StepItem, Viewport};

/// The demo list, grouped as the guide groups them.
pub fn catalog(h: &Handles) {
    let doc = &h.doc;
    clear(&h.catalog);
    for section in [Section::Core, Section::Advanced] {
        append(&h.catalog, &text_el(doc, "h2", "section-title", section.title()));
        let list = el(doc, "ul", "demo-list");
        for demo in demos::DEMOS.iter().filter(|d| d.section == section) {
            let item = el(doc, "li", "");
            let button = el(doc, "button", "demo-link");
            set(&button, "type", "button");
            set(&button, "data-demo", demo.id);
            append(&button, &text_el(doc, "span", "demo-title", demo.title));
            append(&button, &text_el(doc, "span", "demo-concept", demo.concept));
            append(&item, &button);
            append(&list, &item);
        }
        append(&h.catalog, &list);
    }
}

/// The legend's pictures, drawn by the same scene code and palette as the timeline (as SVG),
/// into the entries of the static markup.
pub fn legend(h: &Handles) {
    for (key, picture) in scene::legend() {
        let Ok(Some(img)) = h.legend_list.query_selector(&format!("img[data-legend=\"{key}\"]")) else {
            continue;
        };
        let svg = scene::to_svg(&picture);
        // A blob URL (the content security policy allows blob: images) holds the picture.
        let parts = js_sys::Array::of1(&JsValue::from_str(&svg));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("image/svg+xml");
        if let Ok(url) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
            .and_then(|b| web_sys::Url::create_object_url_with_blob(&b))
        {
            set(&img, "src", &url);
        }
    }
}

const HINT_KEY: &str = "looplab.rows-hint-seen";

/// The two top rows' explanation (in the markup), shown until the visitor dismisses it once.
pub fn rows_hint(h: &Handles) {
    let seen = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(HINT_KEY).ok().flatten())
        .is_some();
    if !seen {
        let _ = h.rows_hint.remove_attribute("hidden");
    }
}

/// Hides the rows' explanation for good.
pub fn dismiss_rows_hint(h: &Handles) {
    let _ = h.rows_hint.set_attribute("hidden", "");
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(HINT_KEY, "1");
    }
}

/// The demo's title, concept, parameter fields and the catalog's current entry.
pub fn demo_head(h: &Handles, shared: &Shared) {
    let demo = shared.demo;
    h.title.set_text_content(Some(demo.title));
    h.concept.set_text_content(Some(demo.concept));
    h.doc.set_title(&format!("{}: looplab", demo.title));
    if let Ok(links) = h.catalog.query_selector_all(".demo-link") {
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
    clear(&h.fields);
    for (spec, arg) in demo.params.iter().zip(shared.params.to_args()) {
        let value = arg.split_once('=').map(|(_, v)| v.to_string()).unwrap_or_default();
        let id = format!("param-{}", spec.name);
        let label = el(&h.doc, "label", "field");
        set(&label, "for", &id);
        append(&label, &text_el(&h.doc, "span", "field-name", spec.name));
        let input = el(&h.doc, "input", "field-input");
        set(&input, "id", &id);
        set(&input, "value", &value);
        set(&input, "title", spec.help);
        set(&input, "data-param", spec.name);
        set(&input, "aria-describedby", &format!("{id}-hint {id}-error"));
        let hint = match spec.kind {
            Kind::Seconds { min, max } => {
                set(&input, "inputmode", "decimal");
                format!("{min} to {max} s")
            }
            Kind::Count { min, max } => {
                set(&input, "inputmode", "numeric");
                format!("{min} to {max}")
            }
            Kind::Choice(choices) => choices.join(" | "),
        };
        append(&label, &input);
        let hint_el = text_el(&h.doc, "span", "field-hint", &hint);
        set(&hint_el, "id", &format!("{id}-hint"));
        append(&label, &hint_el);
        let error = el(&h.doc, "span", "field-error");
        set(&error, "id", &format!("{id}-error"));
        set(&error, "role", "alert");
        append(&label, &error);
        append(&h.fields, &label);
    }
    h.seed
        .set_value(&shared.seed.map(|s| s.to_string()).unwrap_or_default());
    field_error(h, "param-seed", None);
    h.real_time.set_checked(false);
}

fn field_error(h: &Handles, id: &str, error: Option<&str>) {
    if let Some(span) = h.doc.get_element_by_id(&format!("{id}-error")) {
        span.set_text_content(error);
    }
    if let Some(input) = h.doc.get_element_by_id(id) {
        if error.is_some() {
            set(&input, "aria-invalid", "true");
        } else {
            let _ = input.remove_attribute("aria-invalid");
        }
    }
}

/// Reads the form: the parameters and the seed, or `None` after marking what is wrong.
pub fn read_form(h: &Handles, demo: &'static Demo) -> Option<(Params, Option<u64>)> {
    let mut params = demo.defaults();
    let mut ok = true;
    for spec in demo.params {
        let id = format!("param-{}", spec.name);
        let value = h
            .doc
            .get_element_by_id(&id)
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            .map(|i| i.value())
            .unwrap_or_default();
        let error = params.set(spec.name, &value).err().map(|e| e.to_string());
        ok &= error.is_none();
        field_error(h, &id, error.as_deref());
    }
    let text = h.seed.value();
    let seed = match text.trim() {
        "" => Ok(None),
        t => t.parse::<u64>().map(Some),
    };
    field_error(
        h,
        "param-seed",
        seed.is_err().then_some("the seed must be a whole number (0 or more)"),
    );
    match (ok, seed) {
        (true, Ok(seed)) => Some((params, seed)),
        _ => None,
    }
}

/// The line beside Run.
pub fn status(h: &Handles, text: &str) {
    h.status.set_text_content(Some(text));
}

/// Messages about the link or the run (hidden when there are none).
pub fn messages(h: &Handles, messages: &[String]) {
    clear(&h.notice);
    if messages.is_empty() {
        let _ = h.notice.set_attribute("hidden", "");
        return;
    }
    for m in messages {
        append(&h.notice, &text_el(&h.doc, "p", "", m));
    }
    let _ = h.notice.remove_attribute("hidden");
}

/// A new trace: "Find a task" offers its lane names once it is used ([`lane_names`]).
pub fn forget_lane_names(h: &Handles) {
    clear(&h.lane_names);
    let _ = h.lane_names.remove_attribute("data-filled");
}

/// The lane names offered by "Find a task" (the first thousand), filled when the box is first
/// used for a trace (a thousand options cost a big run's first frame 15 ms otherwise).
pub fn lane_names(h: &Handles) {
    if h.lane_names.has_attribute("data-filled") {
        return;
    }
    set(&h.lane_names, "data-filled", "");
    let names = page::with_shown(|s, _| {
        s.replay
            .model
            .lanes
            .iter()
            .take(1000)
            .map(|l| l.name.clone())
            .collect::<Vec<_>>()
    })
    .unwrap_or_default();
    for name in names {
        let option = el(&h.doc, "option", "");
        set(&option, "value", &name);
        append(&h.lane_names, &option);
    }
}

/// What follows the timeline and the controls after a new trace: the panels and the details
/// (the code's marks follow its sources, the transcript follows [`transcript`]).
pub fn rest(h: &Handles) {
    forget_lane_names(h);
    panels(h);
    details(h);
}

/// Everything that follows the moment.
pub fn moment(h: &Handles) {
    timeline(h);
    panels(h);
    controls(h);
    let mut marked = mark_transcript(h);
    marked.extend(mark_code(h));
    reveal(&marked);
}

// ---------------------------------------------------------------------------------------------
// The timeline.

/// The timeline's width: measured when known, estimated from the window before the first
/// layout (so the first timeline is drawn without forcing one), then measured in the next
/// animation frame and redrawn if the estimate was off.
fn canvas_width(h: &Handles) -> f64 {
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
        inner - 44.0
    };
    if let Some(w) = window {
        let measure = Closure::once_into_js(measure_width);
        let _ = w.request_animation_frame(measure.unchecked_ref());
    }
    let _ = h;
    estimate.max(MIN_WIDTH)
}

/// Reads the laid-out width of the timeline and redraws if it changed.
pub fn measure_width() {
    let Some(h) = handles() else { return };
    let Some(wrap) = h.canvas.parent_element() else { return };
    let width = f64::from(wrap.client_width()).max(MIN_WIDTH);
    let changed = with_app(|app| {
        let changed = app.width.is_none_or(|w| (w - width).abs() > 1.0);
        app.width = Some(width);
        changed
    })
    .unwrap_or(false);
    if changed {
        timeline(&h);
    }
}

/// The text on a step: the line it ran to, from the trace's source lines.
fn step_label(shown: &Shown) -> impl Fn(&StepItem) -> Option<String> + '_ {
    move |st: &StepItem| {
        let at = shown.trace.source(st.at)?;
        let (_, line) = at.rsplit_once(':')?;
        let n: usize = line.parse().ok()?;
        let code = match source::python_line_of(at) {
            // A trace of the Python lab points at the program's own lines.
            Some(_) => nth_line(shown.sources.python.as_deref().unwrap_or(""), n).map(|c| c.trim().to_string()),
            None => source::line_of(at, &shown.sources.rust_file)
                .and_then(|_| nth_line(shown.sources.rust.as_deref()?, n))
                .map(|c| c.trim().trim_end_matches(';').to_string()),
        };
        Some(match code {
            Some(c) => format!("line {n}: {c}"),
            None => format!("line {n}"),
        })
    }
}

/// The frame the app shows now.
fn with_frame<R>(app: &mut App, width: f64, f: impl FnOnce(&Frame, &Shown) -> R) -> Option<R> {
    let shown = app.shown.as_ref()?;
    let model = &shown.replay.model;
    let embed = app.shared.embed;
    let lanes_height = app.layout.content_height();
    let height = (if embed { EMBED_TIMELINE_HEIGHT } else { TIMELINE_HEIGHT }).min(lanes_height.max(120.0));
    let mode = app.shared.axis;
    let view = app
        .view
        .get_or_insert_with(|| Viewport::fit(model, mode, width, height));
    if (view.width - width).abs() > 1.0 {
        view.width = width.max(MIN_WIDTH);
    }
    view.height = height;
    view.scroll(0.0, lanes_height);
    let current_task = crate::view::replay::event(&shown.trace, app.moment).and_then(|e| e.task);
    let label = step_label(shown);
    let frame = Frame {
        replay: &shown.replay,
        layout: &app.layout,
        view,
        moment: Some(app.moment),
        current_task,
        selected: app.selected,
        step_label: &label,
    };
    Some(f(&frame, shown))
}

/// Draws the timeline.
pub fn timeline(h: &Handles) {
    let width = canvas_width(h);
    let label = with_app(|app| {
        let label = with_frame(app, width, |frame, shown| {
            let scene = scene::draw(frame);
            if let Some(ctx) = paint::prepare(&h.canvas, scene.width, scene.height) {
                paint::paint(&ctx, &scene);
            }
            let m = &shown.replay.model;
            format!(
                "Timeline: {} tasks over {:.3} s of virtual time and {} loop iterations",
                m.lanes.len(),
                m.total_time,
                m.iterations
            )
        })?;
        app.first_drawn_ms.get_or_insert_with(now_ms);
        Some(label)
    })
    .flatten();
    if let Some(label) = label {
        set(&h.canvas, "aria-label", &label);
    }
}

/// What is at pixel (x, y) of the timeline.
pub fn hit_at(h: &Handles, x: f64, y: f64) -> Option<Hit> {
    let width = canvas_width(h);
    with_app(|app| with_frame(app, width, |frame, _| scene::hit(frame, x, y)).flatten()).flatten()
}

/// The timeline as SVG, exactly as on screen (view, moment and all).
pub fn svg(h: &Handles) -> Option<String> {
    let width = canvas_width(h);
    with_app(|app| with_frame(app, width, |frame, _| scene::to_svg(&scene::draw(frame)))).flatten()
}

// ---------------------------------------------------------------------------------------------
// The panels.

/// Fills a list, touching the DOM only where its items changed: the items kept are rewritten
/// in place, only those added or gone are made or removed (a scrub through a big run changes
/// most of 200 tasks, and making 200 elements anew costs its frame a relayout of the page).
fn fill_list(h: &Handles, list: &Element, slot: usize, items: Vec<String>, empty: &str) {
    let Some(before) = with_app(|app| std::mem::replace(&mut app.lists[slot], items.clone())) else {
        return;
    };
    if before == items {
        return;
    }
    // Made anew: the "empty" line, and a list of unknown contents (a new trace's).
    let unknown = before.first().is_some_and(|b| b == "\u{0}");
    if items.is_empty() || before.is_empty() || unknown {
        clear(list);
        if items.is_empty() {
            append(list, &text_el(&h.doc, "li", "empty", empty));
        }
        for item in &items {
            append(list, &text_el(&h.doc, "li", "", item));
        }
        return;
    }
    // Only the items between the unchanged start and the unchanged end are touched.
    let (first, last) = lists::edit(&before, &items);
    let children = list.children();
    let (gone, added) = (&before[first..before.len() - last], &items[first..items.len() - last]);
    for (k, item) in added.iter().enumerate().take(gone.len()) {
        if let Some(li) = children.item((first + k) as u32) {
            if gone[k] != *item {
                li.set_text_content(Some(item));
            }
        }
    }
    let at = first + gone.len().min(added.len());
    for _ in added.len()..gone.len() {
        match children.item(at as u32) {
            Some(li) => li.remove(),
            None => break,
        }
    }
    let next = children.item(at as u32);
    for item in added.iter().skip(gone.len()) {
        let _ = list.insert_before(&text_el(&h.doc, "li", "", item), next.as_ref().map(|n| n.as_ref()));
    }
}

/// The most items a panel lists.
const PANEL_ITEMS: usize = 200;

fn more(items: &mut Vec<String>, total: usize) {
    if total > items.len() {
        items.push(format!("\u{2026} and {} more", total - items.len()));
    }
}

/// Now (the event and the narration), the ready queue, the timers and the tasks.
pub fn panels(h: &Handles) {
    let data = page::with_shown(|shown, app| {
        let r = &shown.replay;
        let m = app.moment;
        let state = r.state_at(&shown.trace, m);
        let mut ready: Vec<String> = state
            .ready
            .as_slice()
            .iter()
            .take(PANEL_ITEMS)
            .map(|t| r.name_at(*t, m))
            .collect();
        more(&mut ready, state.ready.len());
        let mut timers: Vec<String> = state
            .timers()
            .take(PANEL_ITEMS)
            .map(|t| {
                format!(
                    "{:.3} s: timer {}{}",
                    t.deadline,
                    t.timer,
                    t.owner.map_or(String::new(), |o| format!(" ({})", r.name_at(o, m)))
                )
            })
            .collect();
        more(&mut timers, state.timer_count());
        // The tasks that matter now first: running, ready, waiting, then created and done.
        let rank = |p: &Phase| match p {
            Phase::Running => 0,
            Phase::Ready => 1,
            Phase::Waiting { .. } => 2,
            Phase::Created => 3,
            Phase::Done => 4,
        };
        let mut order: Vec<usize> = Vec::new();
        for wanted in 0..5 {
            for (i, (p, _)) in state.tasks.iter().enumerate() {
                if rank(p) == wanted && order.len() < PANEL_ITEMS {
                    order.push(i);
                }
            }
        }
        let lanes = &r.model.lanes;
        let mut tasks: Vec<String> = order
            .into_iter()
            .map(|i| {
                let (phase, _) = state.tasks[i];
                let what = match phase {
                    Phase::Created => "created".to_string(),
                    Phase::Ready => "ready".to_string(),
                    Phase::Running => "running".to_string(),
                    Phase::Waiting { step } => {
                        format!("awaiting {}", wait_label(r, &r.model.steps[step as usize].wait, m))
                    }
                    Phase::Done => crate::view::replay::outcome_words(&lanes[i].outcome),
                };
                format!("{}: {what}", r.name_at(i as u32, m))
            })
            .collect();
        more(&mut tasks, state.tasks.len());
        (
            describe(&shown.trace, r, m),
            narrate(&shown.trace, r, m),
            ready,
            timers,
            tasks,
            app.clock.playing,
        )
    });
    let Some((now, story, ready, timers, tasks, playing)) = data else {
        return;
    };
    h.now.set_text_content(Some(&now));
    h.narration.set_text_content(Some(&story));
    fill_list(h, &h.ready_list, 0, ready, "empty");
    fill_list(h, &h.timers_list, 1, timers, "none");
    fill_list(h, &h.tasks_list, 2, tasks, "none yet");
    if !playing {
        h.announce.set_text_content(Some(&story));
    }
}

/// The details of what was clicked.
pub fn details(h: &Handles) {
    let d = page::with_shown(|shown, app| app.selected.and_then(|hit| narrate::details(&shown.replay, hit))).flatten();
    clear(&h.details_list);
    match d {
        Some((title, lines)) => {
            h.details_title.set_text_content(Some(&title));
            for line in lines {
                append(&h.details_list, &text_el(&h.doc, "li", "", &line));
            }
        }
        None => h
            .details_title
            .set_text_content(Some("Click a step, an arrow or a mark on the timeline.")),
    }
}

/// Play, scrub, the moment's text, the axis, the fold switch and the share link.
pub fn controls(h: &Handles) {
    let Some((playing, moment, last, time, iteration, axis, fold, query)) = page::with_shown(|shown, app| {
        (
            app.clock.playing,
            app.moment,
            shown.replay.last(),
            shown.replay.time(app.moment),
            shown.replay.iteration(app.moment),
            app.shared.axis,
            app.fold_done,
            share::query(&app.shared),
        )
    }) else {
        return;
    };
    h.play
        .set_text_content(Some(if playing { "\u{275a}\u{275a}" } else { "\u{25b6}" }));
    set(&h.play, "aria-pressed", if playing { "true" } else { "false" });
    set(
        &h.play,
        "aria-label",
        if playing { "Pause (space)" } else { "Play (space)" },
    );
    h.scrub.set_max(&last.to_string());
    h.scrub.set_value(&moment.to_string());
    h.moment.set_text_content(Some(&format!(
        "t = {time:.3} s \u{b7} iteration {iteration} \u{b7} event {} of {}",
        moment + 1,
        last + 1
    )));
    set(
        &h.axis_time,
        "aria-pressed",
        if axis == AxisMode::Time { "true" } else { "false" },
    );
    set(
        &h.axis_iteration,
        "aria-pressed",
        if axis == AxisMode::Iteration { "true" } else { "false" },
    );
    set(&h.collapse, "aria-pressed", if fold { "true" } else { "false" });
    // While playing, the moment changes every frame: the address follows at most twice a second.
    let now = now_ms();
    let due = with_app(|app| {
        let due = !app.lab_open && (!playing || now - app.last_url_write > 500.0);
        if due {
            app.last_url_write = now;
        }
        due
    })
    .unwrap_or(false);
    if due {
        let base = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .map(|href| href.split(['?', '#']).next().unwrap_or_default().to_string())
            .unwrap_or_default();
        h.share_link.set_value(&format!("{base}{query}"));
        write_address_soon(query);
    }
}

/// Puts `query` in the address bar, in a task of its own: `history.replaceState` takes a few
/// milliseconds, which a step or a scrub would otherwise spend before its frame. Several
/// writes before it runs make one.
fn write_address_soon(query: String) {
    let scheduled = with_app(|app| app.address.replace(query).is_some()).unwrap_or(true);
    if scheduled {
        return;
    }
    let write = Closure::once_into_js(|| {
        // The lab may have opened since: then the address is its own.
        let query = with_app(|app| app.address.take().filter(|_| !app.lab_open)).flatten();
        if let (Some(query), Some(history)) = (query, web_sys::window().and_then(|w| w.history().ok())) {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&query));
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(write.unchecked_ref(), 0);
    }
}

// ---------------------------------------------------------------------------------------------
// The transcript and the code.

/// Scrolls each pane (not the page) so that its marked line is in view, if it is not already.
/// Every position is read before any pane scrolls, after every other change to the page: the
/// layout is brought up to date once (reading a position after a change forces one, and the
/// frame needs it anyway), not once per pane.
fn reveal(marked: &[(HtmlElement, Element)]) {
    let scrolls: Vec<Option<i32>> = marked
        .iter()
        .map(|(pane, line)| {
            let (p, l) = (pane.get_bounding_client_rect(), line.get_bounding_client_rect());
            (l.top() < p.top() || l.bottom() > p.bottom()).then(|| {
                let offset = l.top() - p.top() + f64::from(pane.scroll_top());
                (offset - p.height() / 2.0 + l.height() / 2.0).max(0.0) as i32
            })
        })
        .collect();
    for ((pane, _), scroll) in marked.iter().zip(scrolls) {
        if let Some(top) = scroll {
            pane.set_scroll_top(top);
        }
    }
}

/// The transcript: lines printed so far in full, the rest dimmed, the latest marked, and
/// scrolled into view.
pub fn transcript(h: &Handles) {
    reveal(&mark_transcript(h));
}

/// [`transcript`] without the scrolling: the pane and its marked line, if any. The page holds
/// a window of a long transcript's lines ([`lists::window`]), with a line saying how many
/// come before and after it; moving the moment inside the window only changes classes.
fn mark_transcript(h: &Handles) -> Vec<(HtmlElement, Element)> {
    let Some((printed, before, window, lines)) = page::with_shown(|shown, app| {
        let total = shown.transcript.len();
        let printed = shown.replay.lines_at(app.moment);
        let before = app.transcript_shown.clone();
        let window = lists::window(total, printed, before.as_ref().map(|(_, w)| w.clone()));
        // The lines, only when the window is new (a step does not copy the transcript).
        let lines = (before.as_ref().map(|(_, w)| w) != Some(&window))
            .then(|| (shown.transcript[window.clone()].to_vec(), total));
        (printed, before, window, lines)
    }) else {
        return Vec::new();
    };
    with_app(|app| app.transcript_shown = Some((printed, window.clone())));
    let class = |i: usize| {
        if i + 1 == printed {
            "tline current"
        } else if i < printed {
            "tline"
        } else {
            "tline future"
        }
    };
    let pre = &h.transcript;
    // The element of line `i`: after the note on lines before the window, if there is one.
    let skip = u32::from(window.start > 0);
    match (lines, before) {
        (None, Some((before, _))) => {
            let children = pre.children();
            let (a, b) = (before.min(printed).saturating_sub(1), before.max(printed) + 1);
            for i in a.max(window.start)..b.min(window.end) {
                if let Some(line) = children.item((i - window.start) as u32 + skip) {
                    line.set_class_name(class(i));
                }
            }
        }
        (lines, _) => {
            let (lines, total) = lines.unwrap_or_default();
            clear(pre);
            let note = |n: usize, which: &str| format!("\u{2026} {} {which}\n", page::plural(n as u64, "line"));
            if window.start > 0 {
                append(
                    pre,
                    &text_el(&h.doc, "span", "tnote", &note(window.start, "before these")),
                );
            }
            for (i, line) in window.clone().zip(&lines) {
                append(pre, &text_el(&h.doc, "span", class(i), line));
                let _ = pre.append_child(&h.doc.create_text_node("\n"));
            }
            if window.end < total {
                append(
                    pre,
                    &text_el(&h.doc, "span", "tnote", &note(total - window.end, "after these")),
                );
            }
        }
    }
    match pre.query_selector(".current") {
        Ok(Some(current)) => vec![(pre.clone(), current)],
        _ => Vec::new(),
    }
}

/// Empties the code panes (a new demo, or a trace from elsewhere).
pub fn clear_code(h: &Handles) {
    for pre in [&h.code_python, &h.code_rust] {
        clear(pre);
        let _ = pre.remove_attribute("data-filled");
    }
}

fn fill_source(h: &Handles, pre: &HtmlElement, source: &str, lang: Lang) {
    clear(pre);
    let doc = &h.doc;
    for (n, spans) in highlight(source, lang).into_iter().enumerate() {
        let line = el(doc, "span", "line");
        set(&line, "data-line", &(n + 1).to_string());
        for (token, text) in spans {
            append(&line, &text_el(doc, "span", token.class(), &text));
        }
        append(pre, &line);
        let _ = pre.append_child(&doc.create_text_node("\n"));
    }
    set(pre, "data-filled", "");
}

/// Fills the code panes from the sources (the Python first; the Rust pane only if there is one).
pub fn code(h: &Handles) {
    let Some(sources) = with_app(|app| app.sources.clone()) else {
        return;
    };
    h.code_python_title.set_text_content(Some(&sources.python_title));
    h.code_rust_title.set_text_content(Some(&sources.rust_title));
    if let Some(python) = &sources.python {
        fill_source(h, &h.code_python, python, Lang::Python);
    }
    match &sources.rust {
        Some(rust) => {
            let _ = h.code_rust_panel.remove_attribute("hidden");
            fill_source(h, &h.code_rust, rust, Lang::Rust);
        }
        None => {
            let _ = h.code_rust_panel.set_attribute("hidden", "");
        }
    }
    code_marks(h);
}

/// Marks the Python and Rust lines that ran at the moment, each scrolled into view inside its
/// own pane.
pub fn code_marks(h: &Handles) {
    reveal(&mark_code(h));
}

/// [`code_marks`] without the scrolling: each pane with its marked line.
fn mark_code(h: &Handles) -> Vec<(HtmlElement, Element)> {
    let mut marked = Vec::new();
    let Some(lines) = page::with_shown(|shown, app| {
        source::follow(
            &shown.trace,
            app.moment,
            &shown.sources.rust_file,
            shown.sources.rust.as_deref(),
            shown.sources.python.as_deref(),
        )
    }) else {
        return marked;
    };
    for (pre, line) in [(&h.code_python, lines.python), (&h.code_rust, lines.rust)] {
        if let Ok(Some(old)) = pre.query_selector(".line.current") {
            old.set_class_name("line");
        }
        let Some(line) = line else { continue };
        if let Ok(Some(current)) = pre.query_selector(&format!(".line[data-line=\"{line}\"]")) {
            current.set_class_name("line current");
            marked.push((pre.clone(), current));
        }
    }
    marked
}

// ---------------------------------------------------------------------------------------------
// For the tests and the benchmark.

/// What the page shows, as JSON, for the end-to-end tests and the benchmark (they call it; the
/// page never computes it on its own).
#[wasm_bindgen]
pub fn page_summary() -> String {
    let Some(h) = handles() else {
        return "{}".into();
    };
    let width = canvas_width(&h);
    with_app(|app| {
        let first = app.first_drawn_ms;
        let demo = app.shared.demo.id;
        let moment = app.moment;
        with_frame(app, width, |frame, shown| {
            let r = &shown.replay;
            let m = &r.model;
            let view = frame.view;
            use std::fmt::Write;
            let text = |t: &str| serde_json::to_string(t).unwrap_or_default();
            let num = |v: f64| if v.is_finite() { v.to_string() } else { "null".to_string() };
            let mut out = String::new();
            let _ = write!(
                out,
                "{{\"demo\":{},\"axis\":\"{}\",\"total_time\":{},\"iterations\":{},\"tasks\":{},\"steps\":{},\"events\":{},\"arrows_total\":{},\"moment\":{},\"first_drawn_ms\":{},",
                text(demo),
                if view.mode == AxisMode::Time { "time" } else { "iteration" },
                num(m.total_time),
                m.iterations,
                m.lanes.len(),
                m.steps.len(),
                r.len(),
                m.arrows.len(),
                moment,
                first.map_or("null".to_string(), num),
            );
            let _ = write!(
                out,
                "\"view\":{{\"start\":{},\"end\":{},\"left\":{},\"right\":{},\"width\":{},\"height\":{},\"scroll_y\":{}}},\"lanes\":[",
                num(view.start),
                num(view.end),
                num(view.plot().0),
                num(view.plot().1),
                num(view.width),
                num(view.height),
                num(view.scroll_y)
            );
            for (i, l) in m.lanes.iter().take(200).enumerate() {
                let _ = write!(
                    out,
                    "{}{{\"name\":{},\"start\":{},\"end\":{},\"steps\":{}}}",
                    if i > 0 { "," } else { "" },
                    text(&l.name),
                    num(l.start_time),
                    num(l.end_time),
                    l.steps.len()
                );
            }
            // The steps on screen, where a click finds them (CSS pixels within the canvas).
            out += "],\"steps_drawn\":[";
            let mut drawn = 0;
            for (i, lane) in m.lanes.iter().enumerate() {
                let y = frame.layout.centre(i) - view.scroll_y;
                if y < crate::view::timeline::LANES_TOP || y > view.height - 16.0 {
                    continue;
                }
                for &k in &lane.steps {
                    let st = &m.steps[k as usize];
                    let (a, b) = m.step_span(view.mode, st);
                    let (x, w) = (view.x(a), view.x(b) - view.x(a));
                    if x >= view.plot().0 && x <= view.plot().1 && drawn < 400 {
                        let _ = write!(
                            out,
                            "{}{{\"lane\":{i},\"step\":{k},\"event\":{},\"x\":{},\"y\":{},\"w\":{},\"time\":{},\"end_time\":{}}}",
                            if drawn > 0 { "," } else { "" },
                            st.event,
                            num(x),
                            num(y),
                            num(w),
                            num(st.time),
                            num(st.end_time)
                        );
                        drawn += 1;
                    }
                }
            }
            out += "]}";
            out
        })
    })
    .flatten()
    .unwrap_or_else(|| "{}".to_string())
}

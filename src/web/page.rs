//! The laboratory page: its state and what the visitor can do to it.
//!
//! All state lives in one [`App`] (thread-local; the page has one thread); the elements are the
//! static markup of `index.html`, reached through [`Handles`]. A run's trace goes through
//! [`show_trace`]: a [`ReplayBuilder`] replays it a slice per animation frame (a huge run never
//! holds the page), then the timeline, panels, narration and code view show it. The Python lab
//! calls the same [`show_trace`] with its own trace and sources. Drawing and DOM writes are in
//! `render`; listeners in `wire`.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::driver::{now_ms, run_demo_stoppable, HostLog, PageRun, Progress, Stop};
use super::handles::Handles;
use super::render;
use crate::demos::Demo;
use crate::runtime::{ClockKind, Error, Loop, LoopOptions};
use crate::trace::Trace;
use crate::view::playback::{self, Action, Clock};
use crate::view::replay::{Replay, ReplayBuilder};
use crate::view::scene::Hit;
use crate::view::share::{self, Shared};
use crate::view::timeline::{AxisMode, HostTurn, Layout, Viewport};

/// The sources a trace came from: the Python program (a demo's twin, or the lab's code) first,
/// and the Rust demo when there is one.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// The Python source, once known.
    pub python: Option<String>,
    /// The Rust source, once known (`None`: no Rust pane).
    pub rust: Option<String>,
    /// The file name the trace's source lines (`file:line`) point into for the Rust pane.
    pub rust_file: String,
    /// The Python pane's heading.
    pub python_title: String,
    /// The Rust pane's heading.
    pub rust_title: String,
}

/// A trace being shown.
pub(crate) struct Shown {
    pub trace: Trace,
    pub replay: Replay,
    pub transcript: Vec<String>,
    pub sources: Sources,
}

/// A trace being replayed, a slice per frame.
struct Building {
    trace: Trace,
    transcript: Vec<String>,
    builder: ReplayBuilder,
    host: Vec<HostTurn>,
    status: String,
    live: bool,
    generation: u64,
    /// The replay is complete; showing it waits for the next frame (a frame does one or the
    /// other, so that neither makes a long task).
    done: bool,
}

pub(crate) struct App {
    pub shared: Shared,
    pub real_time: bool,
    /// Bumped by every run, so a superseded run's results are dropped.
    pub generation: u64,
    pub stop: Option<Stop>,
    pub shown: Option<Shown>,
    building: Option<Building>,
    pub view: Option<Viewport>,
    pub layout: Layout,
    pub fold_done: bool,
    pub clock: Clock,
    pub moment: usize,
    pub selected: Option<Hit>,
    pub drag_from: Option<f64>,
    pub dragged: bool,
    /// The timeline's width, measured once laid out.
    pub width: Option<f64>,
    /// How many transcript lines were marked printed at the last render, and which lines the
    /// page holds.
    pub transcript_shown: Option<(usize, std::ops::Range<usize>)>,
    /// The sources fetched for the current demo (kept across its runs).
    pub sources: Sources,
    pub first_drawn_ms: Option<f64>,
    /// The link's messages, shown until the visitor runs with fixed values.
    pub url_messages: Vec<String>,
    /// When the address bar was last written (it is written at most a few times a second).
    pub last_url_write: f64,
    /// The query the address bar is about to get (written in a task of its own).
    pub address: Option<String>,
    /// The Python lab is open: the address and the share link are the lab's (www/lab.js).
    pub lab_open: bool,
    /// The panels' last contents (the DOM is touched only when they change).
    pub lists: [Vec<String>; 3],
    /// A big trace's timeline is shown; the rest of the page follows in the next frame (the
    /// flag: a live run's).
    rest_pending: Option<bool>,
    /// The transcript of a newly shown big replay follows in the next frame.
    transcript_pending: bool,
}

/// The animation-frame callback, made once.
type FrameCallback = Closure<dyn FnMut(f64)>;

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
    static HANDLES: RefCell<Option<Rc<Handles>>> = const { RefCell::new(None) };
    static FRAME: RefCell<Option<FrameCallback>> = const { RefCell::new(None) };
}

pub(crate) fn with_app<R>(f: impl FnOnce(&mut App) -> R) -> Option<R> {
    APP.with(|a| a.try_borrow_mut().ok()?.as_mut().map(f))
}

pub(crate) fn handles() -> Option<Rc<Handles>> {
    HANDLES.with(|h| h.borrow().clone())
}

/// Height of the timeline on screen.
pub(crate) const TIMELINE_HEIGHT: f64 = 360.0;
pub(crate) const EMBED_TIMELINE_HEIGHT: f64 = 240.0;
/// The narrowest the timeline gets (a 320 px embed still fits).
pub(crate) const MIN_WIDTH: f64 = 240.0;
/// How long one slice of replaying may take before the page gets the thread back.
const BUILD_SLICE_MS: f64 = 6.0;

/// Starts the page from the URL, and runs the demo it names.
pub fn start() -> Result<(), String> {
    let doc = super::dom::document().ok_or("no document")?;
    let h = Rc::new(Handles::find(&doc)?);
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let (shared, messages) = share::parse(&query);
    if shared.embed {
        h.app.set_class_name("app embed");
    }
    HANDLES.with(|slot| *slot.borrow_mut() = Some(h.clone()));
    APP.with(|a| {
        *a.borrow_mut() = Some(App {
            shared,
            real_time: false,
            generation: 0,
            stop: None,
            shown: None,
            building: None,
            view: None,
            layout: Layout::default(),
            fold_done: false,
            clock: Clock::default(),
            moment: 0,
            selected: None,
            drag_from: None,
            dragged: false,
            width: None,
            transcript_shown: None,
            sources: Sources::default(),
            first_drawn_ms: None,
            url_messages: messages.clone(),
            last_url_write: 0.0,
            address: None,
            lab_open: false,
            lists: Default::default(),
            rest_pending: None,
            transcript_pending: false,
        })
    });
    render::catalog(&h);
    render::legend(&h);
    render::rows_hint(&h);
    super::wire::wire(&h).map_err(|e| format!("{e:?}"))?;
    h.loading.set_attribute("hidden", "").ok();
    show_demo();
    render::messages(&h, &messages);
    run_current();
    Ok(())
}

/// Reports an internal failure on the page (the banner the panic hook also uses).
pub fn report_error(text: &str) {
    let banner = handles()
        .map(|h| h.error_banner.clone())
        .or_else(|| super::dom::document()?.get_element_by_id("error-banner"));
    if let Some(banner) = banner {
        banner.set_text_content(Some(text));
        let _ = banner.remove_attribute("hidden");
    }
}

/// Switches to `demo` (at its defaults, keeping the axis and embed mode) and runs it.
pub(crate) fn choose_demo(demo: &'static Demo) {
    with_app(|app| {
        app.shared = Shared {
            embed: app.shared.embed,
            axis: app.shared.axis,
            ..Shared::of(demo)
        };
        app.view = None;
        // Real time is a choice for one run: a new demo starts on the virtual clock.
        app.real_time = false;
        app.url_messages.clear();
    });
    show_demo();
    if let Some(h) = handles() {
        render::messages(&h, &[]);
    }
    run_current();
}

/// Shows the current demo's title, concept and parameters, and clears its code.
fn show_demo() {
    let Some(h) = handles() else { return };
    let Some(shared) = with_app(|app| {
        app.sources = Sources {
            rust_file: format!("{}.rs", app.shared.demo.module),
            python_title: format!("Python twin (tests/twins/{}.py)", app.shared.demo.id),
            rust_title: format!("Rust (src/demos/{}.rs)", app.shared.demo.module),
            ..Sources::default()
        };
        app.shared.clone()
    }) else {
        return;
    };
    render::demo_head(&h, &shared);
    render::clear_code(&h);
}

/// Reads the form and runs, or marks what is wrong and runs nothing.
pub(crate) fn run_from_form() {
    let Some(h) = handles() else { return };
    let Some(demo) = with_app(|app| app.shared.demo) else {
        return;
    };
    let Some((params, seed)) = render::read_form(&h, demo) else {
        render::status(&h, "Nothing ran: fix the values marked in red.");
        return;
    };
    let real_time = h.real_time.checked();
    with_app(|app| {
        app.shared.params = params;
        app.shared.seed = seed;
        app.shared.moment = None;
        app.shared.event = None;
        app.real_time = real_time;
        // The values are good now: the link's warnings no longer apply.
        app.url_messages.clear();
    });
    render::messages(&h, &[]);
    run_current();
}

/// Runs the current demo with the current parameters.
pub(crate) fn run_current() {
    let stop = Stop::new();
    let Some((demo, params, seed, real_time, generation)) = with_app(|app| {
        if let Some(old) = app.stop.replace(stop.clone()) {
            old.stop();
        }
        app.clock.playing = false;
        app.generation += 1;
        app.building = None;
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
    if let Some(h) = handles() {
        render::status(
            &h,
            if real_time {
                "Running in real time\u{2026}"
            } else {
                "Running\u{2026}"
            },
        );
        let _ = h.stop.remove_attribute("hidden");
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
            let live = with_app(|app| app.generation == generation).unwrap_or(false);
            if let (true, Some(trace)) = (live, lp.trace()) {
                let status = format!("Running in real time: {:.1} s so far", trace.end_time);
                show_trace_of_run(trace, lp.transcript(), turns(host), status, true, generation);
            }
        }) as Progress
    });
    wasm_bindgen_futures::spawn_local(async move {
        let run = run_demo_stoppable(demo, options, params, progress, Some(stop)).await;
        let current = with_app(|app| app.generation == generation).unwrap_or(false);
        if !current {
            return;
        }
        with_app(|app| app.stop = None);
        if let Some(h) = handles() {
            let _ = h.stop.set_attribute("hidden", "");
        }
        let PageRun { report, host } = run;
        let status = run_status(&report.result, report.trace.as_ref(), &host);
        match report.trace {
            Some(trace) => show_trace_of_run(trace, report.transcript, turns(&host), status, false, generation),
            None => {
                if let Some(h) = handles() {
                    render::status(&h, "The run recorded no trace.");
                }
            }
        }
    });
}

fn turns(host: &HostLog) -> Vec<HostTurn> {
    host.turns
        .iter()
        .map(|t| HostTurn {
            iteration: t.iteration,
            macrotask: t.macrotask,
            microtask: t.microtask,
        })
        .collect()
}

/// `1 microtask`, `2 microtasks`.
pub(crate) fn plural(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn run_status(result: &Result<(), Error>, trace: Option<&Trace>, host: &HostLog) -> String {
    match result {
        Ok(()) => format!(
            "Done: {} ran in {} over {} of the browser.",
            plural(trace.map_or(0, |t| t.iterations), "loop iteration"),
            plural(u64::from(host.microtasks), "microtask"),
            plural(u64::from(host.macrotasks), "macrotask"),
        ),
        Err(e) if e.repr().contains("stopped") => format!(
            "Stopped after {:.2} s of loop time: the timeline shows the run so far.",
            trace.map_or(0.0, |t| t.end_time)
        ),
        Err(e) => format!("The run failed: {}", e.repr()),
    }
}

fn show_trace_of_run(
    trace: Trace,
    transcript: Vec<String>,
    host: Vec<HostTurn>,
    status: String,
    live: bool,
    generation: u64,
) {
    let sources = with_app(|app| app.sources.clone()).unwrap_or_default();
    begin(trace, transcript, host, sources, status, live, generation);
}

/// Shows `trace` in the page: the timeline, the panels, the narration and the code view (the
/// Python source first, the Rust one beside it when given). The Python lab calls this with the
/// trace of a visitor's program; `status` is the line shown beside Run.
pub fn show_trace(trace: Trace, transcript: Vec<String>, sources: Sources, status: &str) {
    let Some(generation) = with_app(|app| {
        app.generation += 1;
        app.sources = sources.clone();
        app.view = None;
        app.generation
    }) else {
        return;
    };
    if let Some(h) = handles() {
        render::clear_code(&h);
    }
    begin(
        trace,
        transcript,
        Vec::new(),
        sources,
        status.to_string(),
        false,
        generation,
    );
}

/// Starts replaying a trace; small ones finish at once, big ones a slice per frame.
fn begin(
    trace: Trace,
    transcript: Vec<String>,
    host: Vec<HostTurn>,
    sources: Sources,
    status: String,
    live: bool,
    generation: u64,
) {
    let builder = ReplayBuilder::new(&trace);
    let mut building = Building {
        trace,
        transcript,
        builder,
        host,
        status,
        live,
        generation,
        done: false,
    };
    let _ = sources;
    // A small trace is shown at once (the first timeline comes sooner); a big one a frame later.
    let started = now_ms();
    if build_slice(&mut building) {
        if now_ms() - started < BUILD_SLICE_MS / 2.0 {
            finish(building, false);
            return;
        }
        building.done = true;
    }
    if live {
        // A live run's partial timeline is skipped while it is too big to replay at once.
        return;
    }
    if let Some(h) = handles() {
        render::status(
            &h,
            &format!(
                "Preparing the timeline\u{2026} {:.0}%",
                building.builder.progress() * 100.0
            ),
        );
    }
    with_app(|app| app.building = Some(building));
    request_frame();
}

/// Replays for one slice of time; true when done.
fn build_slice(b: &mut Building) -> bool {
    let started = now_ms();
    // Chunks of about a millisecond: the clock is read between them.
    let mut chunk = 2048;
    loop {
        let t0 = now_ms();
        if b.builder.advance(&b.trace, chunk) {
            return true;
        }
        let took = now_ms() - t0;
        if now_ms() - started >= BUILD_SLICE_MS {
            return false;
        }
        if took < 0.5 {
            chunk = (chunk * 2).min(16_384);
        } else if took > 2.0 {
            chunk = (chunk / 2).max(256);
        }
    }
}

/// The replay is done: show it at the moment the link asked for (or the end). `deferred`: the
/// replay took several frames, and the rest of the page follows in the next one.
fn finish(b: Building, deferred: bool) {
    let Building {
        trace,
        transcript,
        builder,
        host,
        status,
        live,
        generation,
        done: _,
    } = b;
    let mut replay = builder.finish();
    replay.model.host = host;
    let mut late = Vec::new();
    let shown = with_app(|app| {
        if app.generation != generation {
            return false;
        }
        let last = replay.last();
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
                    crate::view::timeline::trim_number(t)
                ));
                app.shared.moment = None;
                last
            }
            (false, None, Some(t)) => replay.event_at_time(t),
        };
        app.moment = moment;
        app.clock.jumped(&replay, moment);
        let keep_view = !live && app.view.is_some_and(|v| v.mode == app.shared.axis) && app.shown.is_some();
        if !keep_view {
            app.view = None;
        }
        app.layout = Layout::new(replay.model.lanes.len());
        app.fold_done = false;
        app.selected = None;
        app.transcript_shown = None;
        // Nothing shown yet: the first render fills every list.
        app.lists = std::array::from_fn(|_| vec!["\u{0}".to_string()]);
        let sources = app.sources.clone();
        app.shown = Some(Shown {
            trace,
            replay,
            transcript,
            sources,
        });
        true
    })
    .unwrap_or(false);
    if !shown {
        return;
    }
    let Some(h) = handles() else { return };
    if !late.is_empty() {
        let mut all = with_app(|app| app.url_messages.clone()).unwrap_or_default();
        all.extend(late);
        render::messages(&h, &all);
    }
    render::status(&h, &status);
    render::timeline(&h);
    render::controls(&h);
    // The panels, transcript and code follow in the next frame when the replay was big (each
    // frame stays short); at once for a small one.
    if deferred {
        with_app(|app| app.rest_pending = Some(live));
        request_frame();
    } else {
        show_rest(&h, live);
        render::transcript(&h);
    }
}

/// What follows the timeline of a newly shown trace: the panels, the code; the transcript is
/// the caller's (a frame of its own after a big replay: the lines and the page's layout of
/// them take a frame's worth on a slow machine).
fn show_rest(h: &Handles, live: bool) {
    render::rest(h);
    if live {
        render::code_marks(h);
    } else {
        fetch_sources();
    }
}

/// Fetches the current demo's sources once (they are not in the module, to keep it small),
/// then shows them.
fn fetch_sources() {
    let Some((demo, known)) = with_app(|app| (app.shared.demo, app.sources.python.is_some())) else {
        return;
    };
    if known {
        if let Some(h) = handles() {
            if h.code_python.has_attribute("data-filled") {
                render::code_marks(&h);
            } else {
                render::code(&h);
            }
        }
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let rust = fetch_text(&format!("./sources/rust/{}.rs", demo.module)).await;
        let python = fetch_text(&format!("./sources/python/{}.py", demo.id)).await;
        let still = with_app(|app| {
            if app.shared.demo.id != demo.id {
                return false;
            }
            let missing = "# The source could not be loaded (offline before it was ever shown?).".to_string();
            app.sources.python = Some(python.unwrap_or_else(|| missing.clone()));
            app.sources.rust = Some(rust.unwrap_or(missing));
            if let Some(shown) = app.shown.as_mut() {
                shown.sources = app.sources.clone();
            }
            true
        })
        .unwrap_or(false);
        if let (true, Some(h)) = (still, handles()) {
            render::code(&h);
            render::moment(&h);
        }
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

// ---------------------------------------------------------------------------------------------
// Moving through the run.

/// Goes to event `moment` (clamped) and shows it.
pub(crate) fn set_moment(moment: usize) {
    let changed = with_app(|app| {
        let shown = app.shown.as_ref()?;
        let m = moment.min(shown.replay.last());
        app.moment = m;
        app.clock.jumped(&shown.replay, m);
        app.shared.moment = Some(shown.replay.time(m));
        app.shared.event = Some(m);
        Some(())
    })
    .flatten();
    if let (Some(()), Some(h)) = (changed, handles()) {
        render::moment(&h);
    }
}

/// Does what a key or button asks.
pub(crate) fn act(action: Action) {
    match action {
        Action::TogglePlay => toggle_play(),
        Action::ZoomIn => zoom_by(2.0),
        Action::ZoomOut => zoom_by(0.5),
        Action::Fit => {
            with_app(|app| app.view = None);
            if let Some(h) = handles() {
                render::timeline(&h);
            }
        }
        _ => {
            let to = with_app(|app| {
                let shown = app.shown.as_ref()?;
                playback::moved(&shown.replay, app.moment, action)
            })
            .flatten();
            if let Some(m) = to {
                set_moment(m);
            }
        }
    }
}

pub(crate) fn toggle_play() {
    let playing = with_app(|app| {
        let shown = app.shown.as_ref()?;
        let m = app.clock.toggle(&shown.replay, app.moment);
        app.moment = m;
        Some(app.clock.playing)
    })
    .flatten();
    if playing == Some(true) {
        request_frame();
    }
    if let Some(h) = handles() {
        render::moment(&h);
    }
}

pub(crate) fn zoom_by(factor: f64) {
    with_app(|app| {
        let shown = app.shown.as_ref()?;
        let view = app.view.as_mut()?;
        let (left, right) = view.plot();
        view.zoom(factor, (left + right) / 2.0, shown.replay.model.extent(view.mode));
        Some(())
    });
    if let Some(h) = handles() {
        render::timeline(&h);
    }
}

pub(crate) fn set_axis(mode: AxisMode) {
    with_app(|app| {
        app.shared.axis = mode;
        app.view = None;
    });
    if let Some(h) = handles() {
        render::moment(&h);
    }
}

/// Folds (or unfolds) the lanes of tasks that had finished by the moment shown.
pub(crate) fn toggle_fold_done() {
    with_app(|app| {
        let shown = app.shown.as_ref()?;
        app.fold_done = !app.fold_done;
        let fold = app.fold_done;
        let t = shown.replay.time(app.moment);
        let lanes = &shown.replay.model.lanes;
        app.layout
            .collapse_where(|i| fold && lanes[i].outcome.is_some() && lanes[i].end_time <= t);
        if let Some(v) = app.view.as_mut() {
            v.scroll(0.0, app.layout.content_height());
        }
        Some(())
    });
    if let Some(h) = handles() {
        render::timeline(&h);
        render::controls(&h);
    }
}

/// Scrolls the timeline to the lane of the task named `name` (or the first whose name starts so).
pub(crate) fn find_lane(name: &str) -> bool {
    let name = name.trim();
    let found = with_app(|app| {
        let shown = app.shown.as_ref()?;
        let lanes = &shown.replay.model.lanes;
        let i = lanes
            .iter()
            .position(|l| l.name == name)
            .or_else(|| lanes.iter().position(|l| l.name.starts_with(name)))?;
        let view = app.view.as_mut()?;
        view.reveal_lane(&app.layout, i);
        Some(i)
    })
    .flatten();
    if let (Some(i), Some(h)) = (found, handles()) {
        with_app(|app| app.selected = Some(Hit::LaneName(i)));
        render::timeline(&h);
        render::details(&h);
    }
    found.is_some()
}

/// Selects what was clicked, and goes to its moment.
pub(crate) fn select(hit: Hit) {
    let target = with_app(|app| {
        app.selected = Some(hit);
        let shown = app.shown.as_ref()?;
        let m = &shown.replay.model;
        match hit {
            Hit::Step(s) => m.steps.get(s as usize).map(|s| s.event),
            Hit::Mark(k) => m.marks.get(k as usize).map(|k| k.event),
            Hit::Arrow(a) => m.arrows.get(a as usize).map(|a| a.event),
            Hit::LaneName(i) => {
                app.layout.toggle(i);
                None
            }
        }
    })
    .flatten();
    let Some(h) = handles() else { return };
    render::details(&h);
    match target {
        Some(event) => set_moment(event),
        None => render::timeline(&h),
    }
}

pub(crate) fn request_frame() {
    FRAME.with(|f| {
        if f.borrow().is_none() {
            *f.borrow_mut() = Some(Closure::<dyn FnMut(f64)>::new(frame));
        }
        if let (Some(w), Some(cb)) = (web_sys::window(), f.borrow().as_ref()) {
            let _ = w.request_animation_frame(cb.as_ref().unchecked_ref());
        }
    });
}

/// One animation frame: a slice of a replay being built, or a step of playback.
fn frame(now: f64) {
    if let Some(live) = with_app(|app| app.rest_pending.take()).flatten() {
        if let Some(h) = handles() {
            show_rest(&h, live);
        }
        with_app(|app| app.transcript_pending = true);
        request_frame();
        return;
    }
    if with_app(|app| std::mem::take(&mut app.transcript_pending)).unwrap_or(false) {
        if let Some(h) = handles() {
            render::transcript(&h);
        }
        return;
    }
    if let Some(mut b) = with_app(|app| app.building.take()).flatten() {
        if b.done {
            finish(b, true);
        } else {
            b.done = build_slice(&mut b);
            if let Some(h) = handles() {
                render::status(
                    &h,
                    &format!("Preparing the timeline\u{2026} {:.0}%", b.builder.progress() * 100.0),
                );
            }
            with_app(|app| app.building = Some(b));
            request_frame();
        }
        return;
    }
    let playing = with_app(|app| {
        let shown = app.shown.as_ref()?;
        let before = app.moment;
        app.moment = app.clock.tick(&shown.replay, app.moment, now);
        if app.moment != before {
            app.shared.event = Some(app.moment);
            app.shared.moment = Some(shown.replay.time(app.moment));
        }
        Some((app.clock.playing, app.moment != before))
    })
    .flatten();
    let Some((playing, moved)) = playing else { return };
    if let Some(h) = handles() {
        if moved || !playing {
            render::moment(&h);
        } else {
            render::timeline(&h);
        }
    }
    if playing {
        request_frame();
    }
}

/// Reads the trace being shown and the app.
pub(crate) fn with_shown<R>(f: impl FnOnce(&Shown, &App) -> R) -> Option<R> {
    APP.with(|a| {
        let a = a.try_borrow().ok()?;
        let app = a.as_ref()?;
        Some(f(app.shown.as_ref()?, app))
    })
}

/// Whether the page is idle: no run, no replay being built, not playing (for tests and the
/// benchmark).
#[wasm_bindgen]
pub fn page_idle() -> bool {
    with_app(|app| app.stop.is_none() && app.building.is_none() && !app.clock.playing).unwrap_or(false)
}

/// Goes to event `moment` and returns the milliseconds it took to show it (the benchmark's
/// step and scrub).
#[wasm_bindgen]
pub fn page_go_to(moment: u32) -> f64 {
    let started = now_ms();
    set_moment(moment as usize);
    now_ms() - started
}

/// Zooms the timeline by `factor` and returns the milliseconds the redraw took.
#[wasm_bindgen]
pub fn page_zoom(factor: f64) -> f64 {
    let started = now_ms();
    zoom_by(factor);
    now_ms() - started
}

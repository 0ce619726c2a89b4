//! Typed handles to the page's static markup (`index.html`): every element the module reads or
//! writes, found once at start-up. A missing id is reported by name instead of failing later.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Document, Element, HtmlButtonElement, HtmlCanvasElement, HtmlElement, HtmlFormElement, HtmlInputElement,
    HtmlSelectElement,
};

/// The page's elements.
#[derive(Clone, Debug)]
pub struct Handles {
    /// The document.
    pub doc: Document,
    /// The whole app (gets the `embed` class in embed mode).
    pub app: HtmlElement,
    /// "Loading…", hidden once started.
    pub loading: Element,
    /// A page-level error (an internal failure); empty and hidden normally.
    pub error_banner: Element,
    /// The demo list.
    pub catalog: Element,
    /// Messages about the link or the run.
    pub notice: Element,
    /// The demo's title and concept.
    pub title: Element,
    /// The demo's concept.
    pub concept: Element,
    /// The parameters' form.
    pub form: HtmlFormElement,
    /// The demo's own parameters (made from its specs).
    pub fields: Element,
    /// The perturbation seed.
    pub seed: HtmlInputElement,
    /// The real-time switch.
    pub real_time: HtmlInputElement,
    /// Stop (shown while running).
    pub stop: HtmlButtonElement,
    /// What the run did.
    pub status: Element,
    /// Playback buttons.
    pub to_start: HtmlButtonElement,
    /// Back one event.
    pub step_back: HtmlButtonElement,
    /// Play or pause.
    pub play: HtmlButtonElement,
    /// Forward one event.
    pub step_forward: HtmlButtonElement,
    /// Next iteration.
    pub next_iteration: HtmlButtonElement,
    /// The moment slider.
    pub scrub: HtmlInputElement,
    /// The speed.
    pub speed: HtmlSelectElement,
    /// Time, iteration and event of the moment.
    pub moment: Element,
    /// What screen readers hear when the moment settles.
    pub announce: Element,
    /// The axis buttons.
    pub axis_time: HtmlButtonElement,
    /// Iteration axis.
    pub axis_iteration: HtmlButtonElement,
    /// Zoom in.
    pub zoom_in: HtmlButtonElement,
    /// Zoom out.
    pub zoom_out: HtmlButtonElement,
    /// Fit.
    pub zoom_fit: HtmlButtonElement,
    /// Fold the lanes of finished tasks.
    pub collapse: HtmlButtonElement,
    /// Find a lane by name.
    pub lane_find: HtmlInputElement,
    /// The lane names offered to the finder.
    pub lane_names: Element,
    /// The timeline.
    pub canvas: HtmlCanvasElement,
    /// The explanation of the two top rows, until dismissed.
    pub rows_hint: Element,
    /// Its dismiss button.
    pub rows_hint_close: HtmlButtonElement,
    /// The legend's entries.
    pub legend_list: Element,
    /// The event in a few words.
    pub now: Element,
    /// The event and why it happened.
    pub narration: Element,
    /// What was clicked: its title.
    pub details_title: Element,
    /// And its facts.
    pub details_list: Element,
    /// The ready queue.
    pub ready_list: Element,
    /// Pending timers.
    pub timers_list: Element,
    /// Tasks.
    pub tasks_list: Element,
    /// The transcript.
    pub transcript: HtmlElement,
    /// The Python source.
    pub code_python: HtmlElement,
    /// Its heading.
    pub code_python_title: Element,
    /// The Rust source.
    pub code_rust: HtmlElement,
    /// Its heading.
    pub code_rust_title: Element,
    /// The Rust pane (hidden when there is no Rust source).
    pub code_rust_panel: Element,
    /// Exports.
    pub export_json: HtmlButtonElement,
    /// Chrome trace export.
    pub export_chrome: HtmlButtonElement,
    /// SVG export.
    pub export_svg: HtmlButtonElement,
    /// The link to this view.
    pub share_link: HtmlInputElement,
    /// Copy it.
    pub copy_link: HtmlButtonElement,
}

/// The element `id` (its tag is the one the handle's type names: `index.html` and this file
/// are changed together, and the end-to-end tests use every handle).
#[inline(never)]
fn element(doc: &Document, id: &str) -> Result<Element, String> {
    doc.get_element_by_id(id)
        .ok_or_else(|| format!("the page has no #{id}"))
}

/// Finds elements, noting the first one missing (a placeholder stands in for it, so the
/// handles are built without a drop path for each field).
struct Finder<'a> {
    doc: &'a Document,
    missing: Option<String>,
}

impl Finder<'_> {
    /// The element `id` as the type its tag was checked to be.
    #[inline(never)]
    fn get<T: JsCast>(&mut self, id: &str) -> T {
        match element(self.doc, id) {
            Ok(e) => e.unchecked_into(),
            Err(m) => {
                self.missing.get_or_insert(m);
                JsValue::UNDEFINED.unchecked_into()
            }
        }
    }
}

impl Handles {
    /// Finds every element, or names the first one missing.
    pub fn find(doc: &Document) -> Result<Self, String> {
        let mut f = Finder { doc, missing: None };
        let handles = Handles {
            doc: doc.clone(),
            app: f.get("app"),
            loading: f.get("loading"),
            error_banner: f.get("error-banner"),
            catalog: f.get("catalog"),
            notice: f.get("notice"),
            title: f.get("demo-title"),
            concept: f.get("demo-concept"),
            form: f.get("params"),
            fields: f.get("param-fields"),
            seed: f.get("param-seed"),
            real_time: f.get("real-time"),
            stop: f.get("stop"),
            status: f.get("status"),
            to_start: f.get("to-start"),
            step_back: f.get("step-back"),
            play: f.get("play"),
            step_forward: f.get("step-forward"),
            next_iteration: f.get("next-iteration"),
            scrub: f.get("scrub"),
            speed: f.get("speed"),
            moment: f.get("moment"),
            announce: f.get("announce"),
            axis_time: f.get("axis-time"),
            axis_iteration: f.get("axis-iteration"),
            zoom_in: f.get("zoom-in"),
            zoom_out: f.get("zoom-out"),
            zoom_fit: f.get("zoom-fit"),
            collapse: f.get("collapse"),
            lane_find: f.get("lane-find"),
            lane_names: f.get("lane-names"),
            canvas: f.get("timeline-canvas"),
            rows_hint: f.get("rows-hint"),
            rows_hint_close: f.get("rows-hint-close"),
            legend_list: f.get("legend-list"),
            now: f.get("now"),
            narration: f.get("narration"),
            details_title: f.get("details-title"),
            details_list: f.get("details-list"),
            ready_list: f.get("panel-ready-list"),
            timers_list: f.get("panel-timers-list"),
            tasks_list: f.get("panel-tasks-list"),
            transcript: f.get("transcript"),
            code_python: f.get("code-python"),
            code_python_title: f.get("code-python-title"),
            code_rust: f.get("code-rust"),
            code_rust_title: f.get("code-rust-title"),
            code_rust_panel: f.get("code-rust-panel"),
            export_json: f.get("export-json"),
            export_chrome: f.get("export-chrome"),
            export_svg: f.get("export-svg"),
            share_link: f.get("share-link"),
            copy_link: f.get("copy-link"),
        };
        match f.missing {
            Some(m) => Err(m),
            None => Ok(handles),
        }
    }
}

//! Typed handles to the page's static markup (`index.html`): every element the module reads or
//! writes, found once at start-up. A missing id is reported by name instead of failing later.

use wasm_bindgen::JsCast;
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
    /// What is under the pointer.
    pub hover: Element,
    /// The timeline.
    pub canvas: HtmlCanvasElement,
    /// The explanation of the two top rows, until dismissed.
    pub rows_hint: Element,
    /// Its text.
    pub rows_hint_text: Element,
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

fn find<T: JsCast>(doc: &Document, id: &str) -> Result<T, String> {
    doc.get_element_by_id(id)
        .ok_or_else(|| format!("the page has no #{id}"))?
        .dyn_into::<T>()
        .map_err(|_| format!("#{id} is not the kind of element expected"))
}

impl Handles {
    /// Finds every element, or names the first one missing.
    pub fn find(doc: &Document) -> Result<Self, String> {
        Ok(Handles {
            doc: doc.clone(),
            app: find(doc, "app")?,
            loading: find(doc, "loading")?,
            error_banner: find(doc, "error-banner")?,
            catalog: find(doc, "catalog")?,
            notice: find(doc, "notice")?,
            title: find(doc, "demo-title")?,
            concept: find(doc, "demo-concept")?,
            form: find(doc, "params")?,
            fields: find(doc, "param-fields")?,
            seed: find(doc, "param-seed")?,
            real_time: find(doc, "real-time")?,
            stop: find(doc, "stop")?,
            status: find(doc, "status")?,
            to_start: find(doc, "to-start")?,
            step_back: find(doc, "step-back")?,
            play: find(doc, "play")?,
            step_forward: find(doc, "step-forward")?,
            next_iteration: find(doc, "next-iteration")?,
            scrub: find(doc, "scrub")?,
            speed: find(doc, "speed")?,
            moment: find(doc, "moment")?,
            announce: find(doc, "announce")?,
            axis_time: find(doc, "axis-time")?,
            axis_iteration: find(doc, "axis-iteration")?,
            zoom_in: find(doc, "zoom-in")?,
            zoom_out: find(doc, "zoom-out")?,
            zoom_fit: find(doc, "zoom-fit")?,
            collapse: find(doc, "collapse")?,
            lane_find: find(doc, "lane-find")?,
            lane_names: find(doc, "lane-names")?,
            hover: find(doc, "hover")?,
            canvas: find(doc, "timeline-canvas")?,
            rows_hint: find(doc, "rows-hint")?,
            rows_hint_text: find(doc, "rows-hint-text")?,
            rows_hint_close: find(doc, "rows-hint-close")?,
            legend_list: find(doc, "legend-list")?,
            now: find(doc, "now")?,
            narration: find(doc, "narration")?,
            details_title: find(doc, "details-title")?,
            details_list: find(doc, "details-list")?,
            ready_list: find(doc, "panel-ready-list")?,
            timers_list: find(doc, "panel-timers-list")?,
            tasks_list: find(doc, "panel-tasks-list")?,
            transcript: find(doc, "transcript")?,
            code_python: find(doc, "code-python")?,
            code_python_title: find(doc, "code-python-title")?,
            code_rust: find(doc, "code-rust")?,
            code_rust_title: find(doc, "code-rust-title")?,
            code_rust_panel: find(doc, "code-rust-panel")?,
            export_json: find(doc, "export-json")?,
            export_chrome: find(doc, "export-chrome")?,
            export_svg: find(doc, "export-svg")?,
            share_link: find(doc, "share-link")?,
            copy_link: find(doc, "copy-link")?,
        })
    }
}

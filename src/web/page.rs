//! The page: the catalog of demos, a Run button, the timeline drawing and the transcript.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use super::dom::{append, by_id, clear, document, el, px, set, svg, text_el};
use super::driver::{run_demo, PageRun};
use crate::demos::{self, Demo, Section};
use crate::layout::{self, TimelineLayout, AXIS_HEIGHT, FOOTER_HEIGHT};
use crate::runtime::LoopOptions;
use crate::trace::Outcome;

struct App {
    demo: &'static Demo,
    running: bool,
}

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
}

/// Builds the page inside `#app` and selects the demo named by `?demo=`, if any.
pub fn start() -> Result<(), JsValue> {
    let doc = document().ok_or("no document")?;
    let root = doc.get_element_by_id("app").ok_or("the page has no #app element")?;
    clear(&root);
    append(&root, &header(&doc));
    let body = el(&doc, "div", "layout");
    append(&body, &catalog(&doc)?);
    append(&body, &stage(&doc)?);
    append(&root, &body);

    let requested = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|q| web_sys::UrlSearchParams::new_with_str(&q).ok())
        .and_then(|p| p.get("demo"));
    let (demo, notice) = match requested.as_deref() {
        None => (&demos::DEMOS[0], None),
        Some(id) => match demos::find(id) {
            Some(demo) => (demo, None),
            None => (
                &demos::DEMOS[0],
                Some(format!(
                    "There is no demo called \u{201c}{id}\u{201d}; showing {} instead.",
                    demos::DEMOS[0].id
                )),
            ),
        },
    };
    APP.with(|a| *a.borrow_mut() = Some(App { demo, running: false }));
    select(&doc, demo);
    if let Some(notice) = notice {
        show_notice(&doc, &notice);
    }
    Ok(())
}

fn header(doc: &Document) -> Element {
    let header = el(doc, "header", "site-header");
    append(&header, &text_el(doc, "h1", "brand", "looplab"));
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
    set(&nav, "aria-label", "Demos");
    for section in [Section::Core, Section::Advanced] {
        let members: Vec<&Demo> = demos::DEMOS.iter().filter(|d| d.section == section).collect();
        if members.is_empty() {
            continue;
        }
        append(&nav, &text_el(doc, "h2", "section-title", section.title()));
        let list = el(doc, "ul", "demo-list");
        for demo in members {
            let item = el(doc, "li", "");
            let button = el(doc, "button", "demo-link");
            set(&button, "type", "button");
            set(&button, "data-demo", demo.id);
            append(&button, &text_el(doc, "span", "demo-title", demo.title));
            append(&button, &text_el(doc, "span", "demo-concept", demo.concept));
            let id = demo.id;
            on_click(&button, move || {
                if let (Some(doc), Some(demo)) = (document(), demos::find(id)) {
                    APP.with(|a| {
                        if let Some(app) = a.borrow_mut().as_mut() {
                            app.demo = demo;
                        }
                    });
                    select(&doc, demo);
                }
            })?;
            append(&item, &button);
            append(&list, &item);
        }
        append(&nav, &list);
    }
    Ok(nav)
}

fn stage(doc: &Document) -> Result<Element, JsValue> {
    let stage = el(doc, "section", "stage");
    set(&stage, "id", "stage");
    let notice = el(doc, "p", "notice");
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
    let controls = el(doc, "div", "controls");
    let run = text_el(doc, "button", "run", "Run");
    set(&run, "id", "run");
    set(&run, "type", "button");
    on_click(&run, run_selected)?;
    append(&controls, &run);
    let status = el(doc, "span", "status");
    set(&status, "id", "status");
    set(&status, "role", "status");
    append(&controls, &status);
    append(&head, &controls);
    append(&stage, &head);

    let figure = el(doc, "figure", "timeline");
    set(&figure, "id", "timeline");
    append(
        &figure,
        &text_el(
            doc,
            "figcaption",
            "",
            "Timeline: one lane per task, a bar from its creation to its end, a tick for each step (virtual time).",
        ),
    );
    let drawing = el(doc, "div", "drawing");
    set(&drawing, "id", "drawing");
    append(
        &drawing,
        &text_el(
            doc,
            "p",
            "placeholder",
            "Press Run to run the demo and draw what the scheduler did.",
        ),
    );
    append(&figure, &drawing);
    append(&stage, &figure);

    append(&stage, &text_el(doc, "h3", "", "Transcript"));
    let transcript = el(doc, "pre", "transcript");
    set(&transcript, "id", "transcript");
    set(&transcript, "tabindex", "0");
    append(&stage, &transcript);
    Ok(stage)
}

fn on_click(target: &Element, mut action: impl FnMut() + 'static) -> Result<(), JsValue> {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |_event: web_sys::Event| action());
    target.add_event_listener_with_callback("click", closure.as_ref().unchecked_ref())?;
    // The page lives as long as its listeners: hand the closure to JavaScript for good.
    closure.forget();
    Ok(())
}

fn show_notice(doc: &Document, text: &str) {
    if let Some(notice) = doc.get_element_by_id("notice") {
        notice.set_text_content(Some(text));
        let _ = notice.remove_attribute("hidden");
    }
}

fn select(doc: &Document, demo: &'static Demo) {
    if let Some(title) = doc.get_element_by_id("demo-title") {
        title.set_text_content(Some(demo.title));
    }
    if let Some(concept) = doc.get_element_by_id("demo-concept") {
        concept.set_text_content(Some(demo.concept));
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
    if let Some(status) = doc.get_element_by_id("status") {
        status.set_text_content(Some(""));
    }
}

fn run_selected() {
    let Some(demo) = APP.with(|a| {
        let mut a = a.borrow_mut();
        let app = a.as_mut()?;
        if app.running {
            return None;
        }
        app.running = true;
        Some(app.demo)
    }) else {
        return;
    };
    let Some(doc) = document() else { return };
    if let Some(status) = doc.get_element_by_id("status") {
        status.set_text_content(Some("Running\u{2026}"));
    }
    if let Some(run) = by_id::<web_sys::HtmlButtonElement>(&doc, "run") {
        run.set_disabled(true);
    }
    wasm_bindgen_futures::spawn_local(async move {
        let options = LoopOptions {
            trace: true,
            ..LoopOptions::default()
        };
        let run = run_demo(demo, options, demo.defaults()).await;
        if let Some(doc) = document() {
            show_run(&doc, demo, &run);
            if let Some(button) = by_id::<web_sys::HtmlButtonElement>(&doc, "run") {
                button.set_disabled(false);
            }
        }
        APP.with(|a| {
            if let Some(app) = a.borrow_mut().as_mut() {
                app.running = false;
            }
        });
    });
}

fn show_run(doc: &Document, demo: &Demo, run: &PageRun) {
    let report = &run.report;
    if let Some(pre) = doc.get_element_by_id("transcript") {
        pre.set_text_content(Some(&report.transcript.join("\n")));
    }
    let status = match &report.result {
        Ok(()) => format!(
            "Done: {} loop iterations ran in {} microtasks over {} macrotask{} of the browser.",
            report.trace.as_ref().map_or(0, |t| t.iterations),
            run.host.microtasks,
            run.host.macrotasks,
            if run.host.macrotasks == 1 { "" } else { "s" }
        ),
        Err(e) => format!("The run failed: {}", e.repr()),
    };
    if let Some(s) = doc.get_element_by_id("status") {
        s.set_text_content(Some(&status));
    }
    if let (Some(drawing), Some(trace)) = (doc.get_element_by_id("drawing"), report.trace.as_ref()) {
        let width = f64::from(drawing.client_width()).max(480.0);
        clear(&drawing);
        append(&drawing, &draw_timeline(doc, demo, &layout::timeline(trace, width)));
    }
}

fn outcome_class(outcome: &Option<Outcome>) -> &'static str {
    match outcome {
        None => "pending",
        Some(Outcome::Returned) => "returned",
        Some(Outcome::Failed { .. }) => "failed",
        Some(Outcome::Cancelled) => "cancelled",
    }
}

/// The timeline as SVG. Every element carries its times as data attributes, so that tests (and
/// curious readers of the DOM) can check the drawing against the trace.
fn draw_timeline(doc: &Document, demo: &Demo, layout: &TimelineLayout) -> Element {
    let root = svg(
        doc,
        "svg",
        &[
            ("viewBox", format!("0 0 {} {}", px(layout.width), px(layout.height))),
            ("width", px(layout.width)),
            ("height", px(layout.height)),
            ("role", "img".into()),
            ("class", "timeline-svg".into()),
            ("data-axis-start", px(layout.axis.start)),
            ("data-axis-end", layout.axis.end.to_string()),
            ("data-axis-left", px(layout.axis.left)),
            ("data-axis-right", px(layout.axis.right)),
        ],
    );
    let title = svg(doc, "title", &[]);
    title.set_text_content(Some(&format!("Timeline of {}: {} tasks", demo.id, layout.lanes.len())));
    append(&root, &title);

    let bottom = layout.height - FOOTER_HEIGHT;
    let axis = svg(doc, "g", &[("class", "axis".into())]);
    for tick in &layout.ticks {
        append(
            &axis,
            &svg(
                doc,
                "line",
                &[
                    ("x1", px(tick.x)),
                    ("x2", px(tick.x)),
                    ("y1", px(AXIS_HEIGHT - 4.0)),
                    ("y2", px(bottom)),
                    ("class", "grid".into()),
                ],
            ),
        );
        let label = svg(
            doc,
            "text",
            &[("x", px(tick.x)), ("y", "14".into()), ("class", "tick-label".into())],
        );
        label.set_text_content(Some(&tick.label));
        append(&axis, &label);
    }
    append(&root, &axis);

    let lanes = svg(doc, "g", &[("class", "lanes".into())]);
    for (i, lane) in layout.lanes.iter().enumerate() {
        let group = svg(
            doc,
            "g",
            &[
                ("class", format!("lane lane-{} {}", i % 8, outcome_class(&lane.outcome))),
                ("data-task", lane.name.clone()),
                ("data-start", lane.start_time.to_string()),
                ("data-end", lane.end_time.to_string()),
                ("data-outcome", outcome_class(&lane.outcome).into()),
            ],
        );
        let name = svg(
            doc,
            "text",
            &[
                ("x", "8".into()),
                ("y", px(lane.y + 4.0)),
                ("class", "lane-name".into()),
            ],
        );
        name.set_text_content(Some(&lane.name));
        append(&group, &name);
        append(
            &group,
            &svg(
                doc,
                "rect",
                &[
                    ("x", px(lane.start_x)),
                    ("y", px(lane.y - 6.0)),
                    ("width", px((lane.end_x - lane.start_x).max(2.0))),
                    ("height", "12".into()),
                    ("rx", "3".into()),
                    ("class", "life".into()),
                ],
            ),
        );
        append(&lanes, &group);
    }
    append(&root, &lanes);

    let steps = svg(doc, "g", &[("class", "steps".into())]);
    for step in &layout.steps {
        let mark = svg(
            doc,
            "rect",
            &[
                ("x", px(step.x - 1.5)),
                ("y", px(step.y - 10.0)),
                ("width", "3".into()),
                ("height", "20".into()),
                ("class", "step".into()),
                ("data-time", step.time.to_string()),
                ("data-iteration", step.iteration.to_string()),
            ],
        );
        append(&steps, &mark);
    }
    append(&root, &steps);

    let logs = svg(doc, "g", &[("class", "logs".into())]);
    for log in &layout.logs {
        let mark = svg(
            doc,
            "circle",
            &[
                ("cx", px(log.x)),
                ("cy", px(log.y + 9.0)),
                ("r", "2.5".into()),
                ("class", "log".into()),
                ("data-time", log.time.to_string()),
                ("data-text", log.text.clone()),
            ],
        );
        let tip = svg(doc, "title", &[]);
        tip.set_text_content(Some(&format!("{:.3} {}", log.time, log.text)));
        append(&mark, &tip);
        append(&logs, &mark);
    }
    append(&root, &logs);

    let total = svg(
        doc,
        "text",
        &[
            ("x", px(layout.axis.left)),
            ("y", px(layout.height - 8.0)),
            ("class", "total".into()),
            ("id", "timeline-total".into()),
            ("data-total", layout.total_time.to_string()),
        ],
    );
    total.set_text_content(Some(&format!("total {:.3} s of virtual time", layout.total_time)));
    append(&root, &total);
    root
}

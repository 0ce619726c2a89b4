//! The browser side, and the only module that talks to JavaScript (wasm32 only).
//!
//! - [`driver`]: runs a loop on the browser's microtask queue, yielding to the page every 8 ms;
//! - `page`: the page itself (catalog, parameters, playback, timeline, panels, code, export);
//! - `paint`: paints the timeline's display list on a canvas;
//! - [`dom`]: small helpers over web-sys.

#[cfg(feature = "bench")]
pub mod bench;
pub mod dom;
pub mod driver;
mod page;
mod paint;

use wasm_bindgen::prelude::*;

/// Starts the page when the module loads, if the document has an `#app` element to fill (the
/// headless-browser tests load the module into a page without one).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let text = format!("looplab hit an internal error; please reload the page. ({info})");
        web_sys::console::error_1(&JsValue::from_str(&text));
        if let Some(notice) = dom::document().and_then(|d| d.get_element_by_id("notice")) {
            notice.set_text_content(Some(&text));
            let _ = notice.remove_attribute("hidden");
        }
    }));
    let has_app = dom::document().is_some_and(|d| d.get_element_by_id("app").is_some());
    if has_app {
        if let Err(e) = page::start() {
            web_sys::console::error_2(&JsValue::from_str("looplab could not start:"), &e);
        }
    }
}

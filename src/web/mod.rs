//! The browser side, and the only module that talks to JavaScript (wasm32 only).
//!
//! - [`driver`]: runs a loop on the browser's microtask queue, yielding to the page every 8 ms;
//! - [`page`]: the page's state and actions, and [`show_trace`], which shows any trace (the
//!   Python lab calls it with its own);
//! - `handles`: typed handles to the static markup of `index.html`;
//! - `render`: writes the state into the page; `wire`: the listeners;
//! - `paint`: paints the timeline's scene on a canvas;
//! - [`dom`]: small helpers over web-sys.

#[cfg(feature = "bench")]
pub mod bench;
pub mod dom;
pub mod driver;
mod handles;
pub mod page;
mod paint;
mod render;
mod wire;

pub use page::{show_trace, Sources};

use wasm_bindgen::prelude::*;

/// Starts the page when the module loads, if the document has the page's markup (the
/// headless-browser tests load the module into a page without it).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let text = format!("looplab hit an internal error; please reload the page. ({info})");
        web_sys::console::error_1(&JsValue::from_str(&text));
        // The page-level error banner (`#error-banner`): the place for internal failures.
        page::report_error(&text);
    }));
    let has_page = dom::document().is_some_and(|d| d.get_element_by_id("stage").is_some());
    if has_page {
        if let Err(e) = page::start() {
            web_sys::console::error_1(&JsValue::from_str(&format!("looplab could not start: {e}")));
            page::report_error(&format!("looplab could not start: {e}"));
        }
    }
}

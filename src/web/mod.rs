//! The browser side, and the only module that talks to JavaScript (wasm32 only).
//!
//! - [`driver`]: runs a loop on the browser's microtask queue, yielding to the page every 8 ms;
//! - [`page`]: the page's state and actions, and [`show_trace`], which shows any trace (the
//!   Python lab calls it with its own);
//! - `handles`: typed handles to the static markup of `index.html`;
//! - [`lab`]: what the Python lab (`www/lab.js`) asks of the page;
//! - `render`: writes the state into the page; `wire`: the listeners;
//! - `paint`: paints the timeline's scene on a canvas;
//! - [`dom`]: small helpers over web-sys.

#[cfg(feature = "bench")]
pub mod bench;
pub mod dom;
pub mod driver;
mod handles;
pub mod lab;
pub mod page;
mod paint;
mod render;
mod wire;

pub use page::{show_trace, Sources};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// `window.looplabRestart(message)`, set by `boot.js`: starts the module afresh (see
    /// [`on_panic`]). Absent when the module runs without `boot.js` (the headless tests).
    #[wasm_bindgen(js_namespace = window, js_name = looplabRestart, catch)]
    fn restart_module(message: &str) -> Result<(), JsValue>;
}

/// A panic in wasm kills the module: it traps, and every later call into it may fail. The hook
/// says so in the console and on the page (`#error-banner`), then asks `boot.js` to start a
/// fresh module, which restores the view from the URL. It touches nothing that could panic in
/// turn (no page state, only the document).
fn on_panic(info: &std::panic::PanicHookInfo<'_>) {
    let message = info.to_string();
    let text = format!("looplab hit an internal error and restarts: {message}");
    web_sys::console::error_1(&JsValue::from_str(&text));
    if let Some(banner) = dom::document().and_then(|d| d.get_element_by_id("error-banner")) {
        banner.set_text_content(Some(&text));
        let _ = banner.remove_attribute("hidden");
    }
    let _ = restart_module(&message);
}

/// Panics on purpose, so that the tests can check that the page reports a panic and recovers.
/// (Nothing a visitor does reaches a panic: this is the only way to cause one.)
#[wasm_bindgen]
pub fn panic_for_tests(message: &str) {
    panic!("{message}");
}

/// The size of the module's linear memory in bytes: it only grows, so a page that leaks shows
/// it here over many runs (the memory check in `tests/e2e/memory.mjs`).
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .unchecked_into::<js_sys::WebAssembly::Memory>()
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length()
        .into()
}

/// Starts the page when the module loads, if the document has the page's markup (the
/// headless-browser tests load the module into a page without it).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(on_panic));
    let has_page = dom::document().is_some_and(|d| d.get_element_by_id("stage").is_some());
    if has_page {
        if let Err(e) = page::start() {
            web_sys::console::error_1(&JsValue::from_str(&format!("looplab could not start: {e}")));
            page::report_error(&format!("looplab could not start: {e}"));
        }
    }
}

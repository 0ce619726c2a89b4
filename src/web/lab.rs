//! What the Python lab (`www/lab.js`, loaded only when a visitor opens the editor) asks of the
//! page: which demo is shown (to open its Python twin with its parameters), and to draw a run of
//! the lab's worker with the same timeline, panels, narration and code view as a demo.

use wasm_bindgen::prelude::*;

use super::page::{self, with_app, Sources};
use crate::trace::Trace;

/// The lab opens (`true`) or closes: while it is open the address bar and the share link are the
/// lab's, not the demo's. Gives the demo shown, one item a line: its id, its title, then its
/// parameters as the twin reads them (`name=value`), for "Edit the Python".
#[wasm_bindgen]
pub fn lab_opened(open: bool) -> String {
    with_app(|app| {
        app.lab_open = open;
        let demo = app.shared.demo;
        let mut lines = vec![demo.id.to_string(), demo.title.to_string()];
        lines.extend(app.shared.params.to_args());
        lines.join("\n")
    })
    .unwrap_or_default()
}

/// Draws a run of the lab: `trace` (the worker's trace, as `Trace::to_bytes` wrote it), the
/// lines the program printed, its source (the code view's Python pane, titled `title`) and the
/// status line. Bytes that are not a trace are refused with a message.
#[wasm_bindgen]
pub fn lab_show(trace: &[u8], stdout: &str, source: &str, title: &str, status: &str) -> Result<(), JsValue> {
    let trace =
        Trace::from_bytes(trace).map_err(|e| JsValue::from_str(&format!("the lab's trace is not valid: {e}")))?;
    let transcript = stdout.lines().map(str::to_string).collect();
    let sources = Sources {
        python: Some(source.to_string()),
        rust: None,
        rust_file: String::new(),
        python_title: title.to_string(),
        rust_title: String::new(),
    };
    page::show_trace(trace, transcript, sources, status);
    Ok(())
}

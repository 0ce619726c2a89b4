//! The Python lab's Web Worker: looplab's Python engine (`looplab::python`, RustPython's VM on
//! looplab's executor) compiled to wasm as a bundle of its own, which the page loads only when
//! a visitor opens the editor, and runs in a worker so that no program can freeze the page:
//! the page can always terminate the worker (Stop, or the time budget) and start another.
//!
//! The protocol, one message each way per run:
//!
//! - the page posts a request as JSON: `{"source", "filename", "args", "clock": "virtual" |
//!   "real", "seed", "trace", "budgets": {"steps", "memory"}}` (all but `source` optional);
//! - the worker posts the answer as JSON: `{"stdout", "stderr", "exit", "status", "traces",
//!   "elapsed_ms"}`, where `exit` says how the program ended (`finished`, `raised`,
//!   `system_exit`, `syntax_error` with its line and column, `stopped` with the budget that
//!   ended it) and `traces` holds one JSON trace per loop the program ran.
//!
//! When it has loaded, the worker posts `{"ready": true}`.

use looplab::python::{run_source, Budgets, Exit, LabOptions};
use looplab::runtime::ClockKind;
use serde::{Deserialize, Serialize};

/// What the page asks for.
#[derive(Deserialize, Debug, Default)]
#[serde(default)]
pub struct Request {
    /// The program.
    pub source: String,
    /// Its name in tracebacks and in the trace's source lines (`main.py`).
    pub filename: Option<String>,
    /// `sys.argv[1:]`.
    pub args: Vec<String>,
    /// `"real"` for the real clock; the virtual clock otherwise.
    pub clock: Option<String>,
    /// The perturbation seed.
    pub seed: Option<u64>,
    /// Record the traces (the page draws them).
    pub trace: bool,
    /// The limits.
    pub budgets: Option<RequestBudgets>,
}

/// The budgets a request may set (the rest keep the lab's defaults).
#[derive(Deserialize, Debug, Default)]
#[serde(default)]
pub struct RequestBudgets {
    /// Loop iterations.
    pub steps: Option<u64>,
    /// Bytes of wasm memory.
    pub memory: Option<usize>,
}

/// What the worker answers.
#[derive(Serialize, Debug)]
pub struct Response {
    /// What the program printed.
    pub stdout: String,
    /// Tracebacks, warnings and asyncio's reports.
    pub stderr: String,
    /// How it ended.
    pub exit: Exit,
    /// The exit status `looplab py` would give.
    pub status: i32,
    /// One trace per loop run (JSON documents), when asked for.
    pub traces: Vec<serde_json::Value>,
    /// How long the run took, in milliseconds.
    pub elapsed_ms: f64,
}

/// Runs one request (a JSON document) and gives the response (a JSON document). A request that
/// is not valid JSON gets a response saying so, never a panic.
pub fn run_request(request: &str, now: impl Fn() -> f64) -> String {
    let started = now();
    let request: Request = match serde_json::from_str(request) {
        Ok(r) => r,
        Err(e) => {
            return serde_json::json!({ "error": format!("the lab's request is not valid: {e}") }).to_string();
        }
    };
    let defaults = Budgets::default();
    let budgets = request.budgets.unwrap_or_default();
    let options = LabOptions {
        clock: match request.clock.as_deref() {
            Some("real") => real_clock(),
            _ => ClockKind::Virtual,
        },
        seed: request.seed,
        trace: request.trace,
        args: request.args,
        budgets: Budgets {
            steps: budgets.steps.unwrap_or(defaults.steps),
            // The page ends a run that takes too long by terminating the worker.
            seconds: None,
            memory: budgets.memory.or(defaults.memory),
        },
    };
    let filename = request.filename.unwrap_or_else(|| "main.py".to_string());
    let run = run_source(&request.source, &filename, &options);
    let traces = run
        .traces
        .iter()
        .filter_map(|t| serde_json::from_str(&t.to_json()).ok())
        .collect();
    let response = Response {
        status: run.status(),
        stdout: run.stdout,
        stderr: run.stderr,
        exit: run.exit,
        traces,
        elapsed_ms: now() - started,
    };
    serde_json::to_string(&response).unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string())
}

#[cfg(target_arch = "wasm32")]
fn real_clock() -> ClockKind {
    ClockKind::Real(std::rc::Rc::new(|| browser::now() / 1000.0))
}

#[cfg(not(target_arch = "wasm32"))]
fn real_clock() -> ClockKind {
    ClockKind::real_native()
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    /// `performance.now()` in the worker, in milliseconds.
    pub(crate) fn now() -> f64 {
        js_sys::global()
            .dyn_into::<web_sys::WorkerGlobalScope>()
            .ok()
            .and_then(|scope| scope.performance())
            .map(|p| p.now())
            .unwrap_or_else(js_sys::Date::now)
    }

    /// Runs a request (a JSON document); the answer is a JSON document. The worker's message
    /// handler calls it; so can a page that loads the module itself (the tests do).
    #[wasm_bindgen]
    pub fn run_program(request: &str) -> String {
        super::run_request(request, now)
    }

    /// Answers each message the page posts, when the module runs in a dedicated worker.
    #[wasm_bindgen(start)]
    pub fn start() {
        let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
            return;
        };
        let reply = scope.clone();
        let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let request = event.data().as_string().unwrap_or_default();
            let answer = run_program(&request);
            let _ = reply.post_message(&JsValue::from_str(&answer));
        });
        scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        handler.forget();
        let _ = scope.post_message(&JsValue::from_str(r#"{"ready":true}"#));
    }
}

#[cfg(test)]
mod tests;

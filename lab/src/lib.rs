//! The Python lab's Web Worker: looplab's Python engine (`looplab::python`, RustPython's VM on
//! looplab's executor) compiled to wasm as a bundle of its own, which the page loads only when
//! a visitor opens the editor, and runs in a worker so that no program can freeze the page:
//! the page can always terminate the worker (Stop, or the time budget) and start another.
//!
//! The protocol, one message each way per run:
//!
//! - the page posts a request as JSON: `{"source", "filename", "args", "clock": "virtual" |
//!   "real", "seed", "trace", "budgets": {"steps", "memory"}}` (all but `source` optional);
//! - the worker posts `{answer, traces}`: `answer` a JSON document `{"stdout", "stderr", "exit",
//!   "status", "traces", "elapsed_ms"}`, where `exit` says how the program ended (`finished`,
//!   `raised`, `system_exit`, `syntax_error` with its line and column, `stopped` with the budget
//!   that ended it) and `traces` counts the loops the program ran; `traces` one trace per loop,
//!   as bytes (`Trace::to_bytes`, which the page reads without a JSON parser).
//!
//! When it has loaded and built the interpreter its first run will use, the worker posts
//! `{"ready": true}`; after each answer it builds the next run's interpreter.

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
    /// How many loops the program ran (their traces go beside the answer, as bytes).
    pub traces: usize,
    /// How long the run took, in milliseconds.
    pub elapsed_ms: f64,
}

/// Runs one request (a JSON document) and gives the response (a JSON document) and the traces
/// (as bytes). A request that is not valid JSON gets a response saying so, never a panic.
pub fn run_request(request: &str, now: impl Fn() -> f64) -> (String, Vec<Vec<u8>>) {
    let started = now();
    let request: Request = match serde_json::from_str(request) {
        Ok(r) => r,
        Err(e) => {
            let answer = serde_json::json!({ "error": format!("the lab's request is not valid: {e}") });
            return (answer.to_string(), Vec::new());
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
    let traces: Vec<Vec<u8>> = run.traces.iter().map(|t| t.to_bytes()).collect();
    let response = Response {
        status: run.status(),
        stdout: run.stdout,
        stderr: run.stderr,
        exit: run.exit,
        traces: traces.len(),
        elapsed_ms: now() - started,
    };
    let answer =
        serde_json::to_string(&response).unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }).to_string());
    (answer, traces)
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

    /// Runs a request (a JSON document): `{answer, traces}`, the answer a JSON document and the
    /// traces `Uint8Array`s. The worker's message handler calls it; so can a page that loads
    /// the module itself.
    #[wasm_bindgen]
    pub fn run_program(request: &str) -> JsValue {
        let (answer, traces) = super::run_request(request, now);
        let list = js_sys::Array::new();
        for trace in traces {
            list.push(&js_sys::Uint8Array::from(trace.as_slice()));
        }
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"answer".into(), &answer.into());
        let _ = js_sys::Reflect::set(&message, &"traces".into(), &list);
        message.into()
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
            let message = run_program(&request);
            // The traces' buffers move to the page rather than being copied.
            let transfer = js_sys::Array::new();
            if let Ok(traces) = js_sys::Reflect::get(&message, &"traces".into()) {
                for trace in js_sys::Array::from(&traces).iter() {
                    if let Ok(bytes) = trace.dyn_into::<js_sys::Uint8Array>() {
                        transfer.push(&bytes.buffer());
                    }
                }
            }
            let _ = reply.post_message_with_transfer(&message, &transfer);
            // The answer is on its way; the next run's interpreter is built while the page
            // shows it.
            looplab::python::prepare();
        });
        scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        handler.forget();
        // Ready means an interpreter is ready, as `loadPyodide()` does.
        looplab::python::prepare();
        let ready = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&ready, &"ready".into(), &JsValue::TRUE);
        let _ = scope.post_message(&ready);
    }
}

#[cfg(test)]
mod tests;

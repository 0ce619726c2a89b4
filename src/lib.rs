//! looplab: an in-browser laboratory for asyncio-style concurrency.
//!
//! A map of the crate:
//!
//! - [`runtime`]: the executor. A single-threaded event loop that schedules exactly as CPython's
//!   asyncio does (ready queue, iterations, timers with `heapq`'s tie order, tasks, names,
//!   cancellation), on a virtual or a real clock. Plain Rust, no browser.
//! - [`trace`]: what the loop records when tracing is on, and the views made from it: the
//!   transcript, a text timeline, JSON.
//! - [`demos`]: the catalog of demos, one file each, each with a Python twin in `tests/twins/`.
//! - [`view`]: what the page shows (the timeline's display list, playback state, syntax colouring,
//!   share URLs); plain Rust, tested natively.
//! - [`pyfmt`]: Python's way of printing values, for transcripts that match a twin's.
//! - `sort`: the crate's one stable sort (one copy of the sorting code in the page's wasm).
//! - [`guide`]: asyncio in looplab, side by side (documentation only).
//! - [`cli`]: the `looplab` command (`list`, `show`, `run`, `py`).
//! - `python` (feature `python`): the Python lab's engine: RustPython's VM running a visitor's
//!   asyncio program, each Python task a looplab task, over an `asyncio` module of our own.
//! - `workloads` (feature `bench`): the benchmark suite's programs, shared by its native and
//!   browser halves.
//! - `web` (wasm32 only): the one module that talks to JavaScript: the microtask driver and the
//!   page.
//!
//! Demos and tasks use the [`prelude`]. New to looplab and at home in asyncio? Start with the
//! [`guide`]: each asyncio idiom beside its looplab spelling.
#![warn(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
// The executor needs no `unsafe`, and nothing else here does either.
#![forbid(unsafe_code)]

#[cfg(feature = "cli")]
pub mod cli;
pub mod demos;
pub mod guide;
pub mod pyfmt;
#[cfg(feature = "python")]
pub mod python;
pub mod runtime;
mod sort;
pub mod trace;
pub mod view;
// The page. The Python lab's worker (the crate in lab/, which turns `python` on) has no page.
#[cfg(all(target_arch = "wasm32", not(feature = "python")))]
pub mod web;
#[cfg(feature = "bench")]
pub mod workloads;

pub use runtime::{Error, Loop, LoopOptions, Task};

/// What a demo or a task needs in scope.
pub mod prelude {
    pub use crate::pyfmt::{py_bool, py_list, py_repr, py_repr_str, py_str_list, PyRepr};
    pub use crate::runtime::{
        all_tasks, as_completed, async_exit_stack, async_with, attempt, block_for, call_at, call_later, call_soon,
        context_manager, current_task, current_task_name, except_star, gather, gather_settled, log, now, run,
        run_in_worker, run_report, shield, sleep, spawn, spawn_named, stream, task_group, timeout, timeout_at,
        try_spawn, wait, wait_for, AsyncContextManager, AsyncExitStack, Condition, Error, Event, ExceptStar,
        ExceptionClass, Future, LocalBoxFuture, Lock, Queue, ReturnWhen, Semaphore, Stream, StreamReader, Task,
        TaskGroup, TaskRef, Yielder,
    };
    pub use crate::{gather, gather_settled};
}

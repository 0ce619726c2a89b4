//! The Python lab's engine: a visitor's asyncio program, run by RustPython's VM on looplab's
//! executor (feature `python`).
//!
//! Each Python task is a looplab task whose future steps its coroutine, one `send`/`throw` per
//! step, as CPython's `Task.__step` does; the `asyncio` module is ours, over looplab's tasks,
//! futures, timers, queues, locks, gather, wait, timeouts and task groups, so every scheduling
//! decision (and the trace of it) is the executor's. The pieces:
//!
//! - [`engine`]: one run of a program: the interpreter, its modules, the output, the budgets;
//! - `driver`: the future of a task that runs a coroutine;
//! - `objects`: `Task`, `Future`, and the one-shot awaitable standing for any looplab awaitable;
//! - `event_loop`: the loop object, `asyncio.run`, the exception handler;
//! - `module`: the native module `_looplab` the Python half is written on;
//! - `convert`: exceptions both ways (a Python exception travels through looplab intact);
//! - `traceback`: tracebacks folded as CPython prints them (a run of one line, three times);
//! - `warnings`: asyncio's warnings (a coroutine never awaited, ...);
//! - `lib/`: the Python half (`asyncio`, `contextlib`, `looplab_twin`, `random`, ...), compiled
//!   into the binary.

mod ast;
mod convert;
mod driver;
pub mod engine;
mod event_loop;
mod math;
mod module;
mod objects;
mod sync;
mod traceback;
mod warnings;

pub use engine::{prepare, run_source, Budgets, Exit, LabOptions, LabRun};

use std::cell::Cell;

use rustpython_vm::{PyObject, PyObjectRef, VirtualMachine};

/// Runs `f` with the VM that owns `anchor`, if one is running on this thread (it always is while
/// a program runs; this keeps code that may run during teardown from ever panicking).
pub(crate) fn vm_do<R>(anchor: &PyObject, f: impl FnOnce(&VirtualMachine) -> R) -> Option<R> {
    let f = Cell::new(Some(f));
    rustpython_vm::vm::thread::with_vm(anchor, |vm| f.take().map(|f| f(vm))).flatten()
}

/// Python's `None`, without a VM at hand.
pub(crate) fn with_vm_none() -> PyObjectRef {
    rustpython_vm::Context::genesis().none()
}

pub(crate) use engine::lab;

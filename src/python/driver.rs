//! How a Python coroutine runs as a looplab task: the task's future is a [`Driver`], and one
//! poll of it is one step of the task, exactly as CPython's `Task.__step` does it: one
//! `coro.send(value)` (or `coro.throw(exc)`), which runs the coroutine until it suspends.
//!
//! A coroutine suspends by yielding an object that stands for something to wait on: a task, a
//! future, a one-shot awaitable made by the `asyncio` module ([`PyOp`](super::objects::PyOp):
//! a sleep, a queue's `get`...), or `None` (a bare `yield`: run again in the next iteration).
//! The driver turns it into a looplab awaitable and polls that: the awaitable registers the
//! task's wake-up and becomes what the task waits on (`_fut_waiter`), so cancellation, names
//! and the trace all come from the executor. When it completes, the next step sends its result
//! in (or throws its exception). An awaitable that completes at once does not suspend the task,
//! as in CPython, where awaiting a finished future does not yield.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use rustpython_vm::builtins::PyCoroutine;
use rustpython_vm::protocol::PyIterReturn;
use rustpython_vm::{AsObject, PyObjectRef, PyRef, PyResult, VirtualMachine};

use super::convert::{to_error, to_exception};
use super::objects::{PyFuture, PyOp, PyTask};
use super::vm_do;
use crate::runtime::Error;

/// What a task waits on between two steps.
pub(crate) type Waiting = Pin<Box<dyn Future<Output = Result<PyObjectRef, Error>>>>;

/// The future of a looplab task that runs a Python coroutine.
pub(crate) struct Driver {
    coro: PyObjectRef,
    /// The task's own Python object (a cycle, broken when the task finishes and its future is
    /// dropped): `current_task()` finds it through the loop's table, filled at the first step.
    task: Option<PyRef<PyTask>>,
    waiting: Option<Waiting>,
    started: bool,
}

impl Driver {
    pub(crate) fn new(coro: PyObjectRef, task: PyRef<PyTask>) -> Self {
        Driver {
            coro,
            task: Some(task),
            waiting: None,
            started: false,
        }
    }
}

/// What to throw into a coroutine along with an error, besides the error itself.
#[derive(Default)]
struct Thrown {
    /// What the exception must keep alive ([`hold_with_error`]).
    held: Option<PyObjectRef>,
    /// The exception to throw instead of a new one ([`raise_instead`]).
    instead: Option<PyObjectRef>,
}

thread_local! {
    /// What the awaitable being polled now said about the error it may end with
    /// ([`hold_with_error`], [`raise_instead`]); taken when the poll is over.
    static THROWN: std::cell::RefCell<Thrown> = const { std::cell::RefCell::new(Thrown { held: None, instead: None }) };
}

/// Keeps `obj` alive as long as the exception that the awaitable being polled now ends with.
/// An asyncio function written in Python (CPython's `wait_for`) holds its locals in its frame,
/// and the frame stays alive in the traceback of the exception it raises: a task it ran is
/// freed, and its unretrieved failure reported, only when that exception is. The lab's native
/// version of such a function says so by this.
pub(crate) fn hold_with_error(obj: PyObjectRef) {
    THROWN.with(|t| t.borrow_mut().held = Some(obj));
}

/// The awaitable being polled failed with `exc`, an exception object of its own (a task's
/// kept CancelledError): the coroutine gets that object, not a new one.
pub(crate) fn raise_instead(exc: PyObjectRef) {
    THROWN.with(|t| t.borrow_mut().instead = Some(exc));
}

/// Polls what the task waits on; with what its error must hold, if it failed.
fn poll_waiting(waiting: &mut Waiting, cx: &mut Context<'_>) -> Poll<(Result<PyObjectRef, Error>, Thrown)> {
    let take = || THROWN.with(|t| std::mem::take(&mut *t.borrow_mut()));
    drop(take());
    waiting.as_mut().poll(cx).map(|outcome| {
        let said = take();
        let thrown = match outcome.is_err() {
            true => said,
            false => Thrown::default(),
        };
        (outcome, thrown)
    })
}

/// The name under which an exception holds what [`hold_with_error`] gave it.
const HELD_ATTRIBUTE: &str = "__looplab_frame_locals__";

/// Keeps `obj` alive as long as the exception `exc` (see [`hold_with_error`]), with whatever
/// it held already (a CancelledError that wait_for raised in one task may end another).
pub(crate) fn hold_in(vm: &VirtualMachine, exc: &rustpython_vm::builtins::PyBaseExceptionRef, obj: PyObjectRef) {
    let held = match exc.as_object().get_attr(HELD_ATTRIBUTE, vm) {
        Ok(before) => vm.ctx.new_tuple(vec![before, obj]).into(),
        Err(_) => obj,
    };
    let _ = exc.as_object().set_attr(HELD_ATTRIBUTE, held, vm);
}

/// How one `send` or `throw` ended.
enum Sent {
    Yielded(PyObjectRef),
    Returned(PyObjectRef),
    /// The error, and the Python exception it came from (none when the VM was gone).
    Raised(Error, Option<rustpython_vm::builtins::PyBaseExceptionRef>),
}

/// How many levels of the recursion limit CPython 3.11's `asyncio.run` has taken when it steps a
/// task: its Python frames (`run`, `Runner.run`, `run_until_complete`, `run_forever`,
/// `_run_once`, `Handle._run`) and the C calls it counts with them. The lab's loop is native and
/// takes none, so it takes these: a task that recurses without end stops where it stops on
/// CPython, and its traceback counts the same repeated lines.
pub(crate) const STEP_LEVELS: usize = 8;

/// The same for a callback (`call_soon`, `call_later`, a done callback): no `Task.__step` under it.
pub(crate) const CALLBACK_LEVELS: usize = 7;

/// Runs `f` `levels` deeper in the VM's recursion count (see [`STEP_LEVELS`]).
pub(crate) fn beneath_the_loop<R>(vm: &VirtualMachine, levels: usize, f: impl FnOnce() -> PyResult<R>) -> PyResult<R> {
    if levels == 0 {
        return f();
    }
    vm.with_recursion("", || beneath_the_loop(vm, levels - 1, f))
}

fn send(vm: &VirtualMachine, coro: &PyObjectRef, input: Result<PyObjectRef, Error>, thrown: Thrown) -> Sent {
    let Thrown { mut held, mut instead } = thrown;
    let mut to_exception = |vm: &VirtualMachine, error: &Error| {
        let exc = match instead
            .take()
            .and_then(|e| e.downcast::<rustpython_vm::builtins::PyBaseException>().ok())
        {
            Some(exc) => exc,
            None => to_exception(vm, error),
        };
        // Moved into the exception: nothing else may keep it alive.
        if let Some(held) = held.take() {
            hold_in(vm, &exc, held);
        }
        exc
    };
    let result: PyResult<PyIterReturn> =
        beneath_the_loop(vm, STEP_LEVELS, || match coro.downcast_ref::<PyCoroutine>() {
            Some(c) => match input {
                Ok(value) => c.as_coro().send(coro.as_object(), value, vm),
                Err(error) => {
                    let exc = to_exception(vm, &error);
                    c.as_coro()
                        .throw(coro.as_object(), exc.into(), vm.ctx.none(), vm.ctx.none(), vm)
                }
            },
            None => {
                let called = match input {
                    Ok(value) => vm.call_method(coro, "send", (value,)),
                    Err(error) => {
                        let exc: PyObjectRef = to_exception(vm, &error).into();
                        vm.call_method(coro, "throw", (exc,))
                    }
                };
                PyIterReturn::from_pyresult(called, vm)
            }
        });
    match result {
        Ok(PyIterReturn::Return(yielded)) => Sent::Yielded(yielded),
        Ok(PyIterReturn::StopIteration(value)) => Sent::Returned(value.unwrap_or_else(|| vm.ctx.none())),
        Err(exc) => Sent::Raised(to_error(vm, exc.clone()), Some(exc)),
    }
}

/// The looplab awaitable for what a coroutine yielded.
pub(crate) fn waiting_for(vm: &VirtualMachine, yielded: PyObjectRef) -> Waiting {
    if let Ok(task) = yielded.clone().downcast::<PyTask>() {
        if let Some(t) = task.typed() {
            return Box::pin(async move {
                let outcome = t.await;
                if let Err(error @ Error::Cancelled(_)) = &outcome {
                    if let Some(exc) = vm_do(task.as_object(), |vm| task.cancelled_error(vm, error)) {
                        raise_instead(exc.into());
                    }
                }
                outcome
            });
        }
    }
    if let Some(future) = yielded.downcast_ref::<PyFuture>() {
        return Box::pin(future.future());
    }
    if let Some(op) = yielded.downcast_ref::<PyOp>() {
        if let Some(future) = op.take_future() {
            return future;
        }
        let error = Error::runtime("cannot reuse already awaited coroutine");
        return Box::pin(async move { Err(error) });
    }
    let none = vm.ctx.none();
    if vm.is_none(&yielded) {
        // A bare `yield` (`@types.coroutine`'s `sleep(0)`): step again in the next iteration.
        return Box::pin(async move { crate::runtime::sleep(0.0).await.map(|()| none) });
    }
    // asyncio throws this in at the next step.
    let text = yielded.repr(vm).map(|r| r.to_string()).unwrap_or_default();
    let error = Error::runtime(format!("Task got bad yield: {text}"));
    Box::pin(async move {
        crate::runtime::sleep(0.0).await?;
        Err(error)
    })
}

impl Future for Driver {
    type Output = Result<PyObjectRef, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if !this.started {
            this.started = true;
            if let Some(task) = &this.task {
                PyTask::started(task);
            }
        }
        let (mut input, mut thrown) = match this.waiting.as_mut() {
            Some(waiting) => match poll_waiting(waiting, cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(outcome) => {
                    this.waiting = None;
                    outcome
                }
            },
            // The first step (or one after a bare yield) sends None.
            None => (
                vm_do(&this.coro, |vm| vm.ctx.none()).ok_or_else(no_vm),
                Thrown::default(),
            ),
        };
        loop {
            let coro = this.coro.clone();
            let sent = vm_do(&coro, |vm| send(vm, &coro, input, std::mem::take(&mut thrown)))
                .unwrap_or_else(|| Sent::Raised(no_vm(), None));
            match sent {
                Sent::Returned(value) => {
                    vm_do(&coro, |vm| release_locals(vm, &coro));
                    return Poll::Ready(Ok(value));
                }
                Sent::Raised(error, exc) => {
                    // CPython's task keeps the CancelledError its coroutine raised, to raise
                    // that very exception to the first who asks for its outcome.
                    if let (Some(task), Some(exc), true) = (&this.task, exc, error.is_cancelled()) {
                        task.keep_cancelled_error(exc.into());
                    }
                    // A failed task that is still alive when the program ends is reported then
                    // (CPython's last garbage collection finds it).
                    if let Some(task) = &this.task {
                        if let (Some((handle, lp)), Some(id)) = (task.remembered(), task.id()) {
                            vm_do(&coro, |vm| {
                                lp.note_failed(id, task.coro_repr(vm));
                                super::lab().remember_failed(handle, &lp, vm)
                            });
                        }
                    }
                    return Poll::Ready(Err(error));
                }
                Sent::Yielded(yielded) => {
                    let mut waiting = match vm_do(&coro, |vm| waiting_for(vm, yielded)) {
                        Some(waiting) => waiting,
                        None => return Poll::Ready(Err(no_vm())),
                    };
                    // The timers this await sets belong to the Python line the task waits at.
                    let at = if super::lab().tracing() {
                        vm_do(&coro, |vm| suspended_line(vm, &coro)).flatten()
                    } else {
                        None
                    };
                    let polled = match &at {
                        Some(at) => crate::runtime::at_source(at, || poll_waiting(&mut waiting, cx)),
                        None => poll_waiting(&mut waiting, cx),
                    };
                    match polled {
                        Poll::Pending => {
                            this.waiting = Some(waiting);
                            return Poll::Pending;
                        }
                        Poll::Ready((outcome, kept)) => (input, thrown) = (outcome, kept),
                    }
                }
            }
        }
    }
}

/// A coroutine has returned: its frame lets go of its locals, as CPython clears a finished
/// coroutine's frame (a task's list of tasks it made is freed then, not when the task is).
/// Unless something else holds the frame (a traceback: an exception that passed through it,
/// or the coroutine that raised): CPython's frame object then keeps its locals.
fn release_locals(vm: &VirtualMachine, coro: &PyObjectRef) {
    if let Some(coroutine) = coro.downcast_ref::<PyCoroutine>() {
        let frame = coroutine.as_coro().frame();
        // Two holders: the coroutine and `frame` here.
        if frame.as_object().strong_count() <= 2 {
            let _ = vm.call_method(frame.as_object(), "clear", ());
        }
    }
}

/// `file:line` where a coroutine waits: the innermost coroutine of its `await` chain that is in
/// the program's file.
fn suspended_line(vm: &VirtualMachine, coro: &PyObjectRef) -> Option<String> {
    let file = super::lab().filename.clone();
    let mut line = None;
    let mut current = Some(coro.clone());
    // An await chain is as deep as the program's recursion at most; the bound keeps a
    // pathological one cheap.
    for _ in 0..256 {
        let Some(object) = current.take() else { break };
        let Some(coroutine) = object.downcast_ref::<PyCoroutine>() else {
            break;
        };
        let frame = coroutine.as_coro().frame();
        if frame.code.source_path().as_str() == file {
            line = Some(format!("{file}:{}", frame.f_lineno()));
        }
        current = object.get_attr("cr_await", vm).ok().filter(|a| !vm.is_none(a));
    }
    line
}

fn no_vm() -> Error {
    Error::runtime("the Python interpreter is not running")
}

impl Drop for Driver {
    fn drop(&mut self) {
        // A coroutine that never ran (its task was cancelled first, or the loop closed) is
        // closed quietly: asyncio threw the cancellation into it, which counts as starting it.
        if !self.started {
            if let Some(c) = self.coro.downcast_ref::<PyCoroutine>() {
                let coro = self.coro.clone();
                vm_do(&coro, |vm| {
                    let _ = c.as_coro().close(coro.as_object(), vm);
                });
            }
        }
        if let Some(task) = self.task.take() {
            task.finished();
        }
    }
}

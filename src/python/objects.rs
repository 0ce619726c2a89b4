//! asyncio's `Task` and `Future` as native classes over looplab's, and the one-shot awaitable
//! ([`PyOp`]) that stands for any other looplab awaitable (a sleep, a queue's `get`, a lock's
//! `acquire`, a `wait`...).

use std::cell::{Cell, OnceCell, RefCell};

use std::fmt;
use std::rc::Rc;

use rustpython_vm::builtins::PyType;
use rustpython_vm::convert::ToPyResult;
use rustpython_vm::function::FuncArgs;
use rustpython_vm::protocol::PyIterReturn;
use rustpython_vm::types::{Constructor, Destructor, IterNext, Representable, SelfIter};
use rustpython_vm::{pyclass, AsObject, Py, PyObjectRef, PyPayload, PyRef, PyResult, VirtualMachine};

use super::convert::{new_exception, to_error, to_exception};
use super::driver::Waiting;
use super::event_loop::PyLoop;
use super::vm_do;
use crate::runtime::{Error, Task, TaskRef};

/// A done callback added from Python, which `remove_done_callback` can switch off.
pub(crate) type Callbacks = RefCell<Vec<(PyObjectRef, Rc<Cell<bool>>)>>;

pub(crate) fn cancel_message(args: &FuncArgs, vm: &VirtualMachine) -> PyResult<Option<String>> {
    let msg = args.args.first().cloned().or_else(|| args.kwargs.get("msg").cloned());
    match msg {
        Some(m) if !vm.is_none(&m) => Ok(Some(m.str(vm)?.to_string())),
        _ => Ok(None),
    }
}

/// `add_done_callback(fn)` of `owner` (a task, a future, a gather): `fn` is kept in `callbacks`,
/// so that `remove_done_callback` can switch it off; the returned function calls it with
/// `owner` (unless switched off), for the runtime to run when `owner` is done.
pub(crate) fn done_callback(
    owner: PyObjectRef,
    callbacks: &Callbacks,
    args: &FuncArgs,
    vm: &VirtualMachine,
) -> PyResult<impl FnOnce() -> Result<(), Error> + 'static> {
    let callback = args
        .args
        .first()
        .cloned()
        .ok_or_else(|| vm.new_type_error("add_done_callback() missing the callback"))?;
    let live = Rc::new(Cell::new(true));
    callbacks.borrow_mut().push((callback.clone(), live.clone()));
    Ok(move || call_back(&callback, owner, &live))
}

/// Runs a Python done callback with `arg`; a failure goes to the loop's exception handler.
fn call_back(callback: &PyObjectRef, arg: PyObjectRef, live: &Cell<bool>) -> Result<(), Error> {
    if !live.get() {
        return Ok(());
    }
    vm_do(callback, |vm| {
        super::driver::beneath_the_loop(vm, super::driver::CALLBACK_LEVELS, || callback.call((arg,), vm))
            .map(|_| ())
            .map_err(|exc| to_error(vm, exc))
    })
    .unwrap_or(Ok(()))
}

/// `remove_done_callback`: how many entries of `callback` it took back. Once the future is
/// `done`, its callbacks are scheduled already (asyncio empties `_callbacks` then, and a
/// callback added later is scheduled at once): none is taken back, and each still runs.
pub(crate) fn remove_callback(
    callbacks: &Callbacks,
    callback: &PyObjectRef,
    done: bool,
    vm: &VirtualMachine,
) -> PyResult<usize> {
    if done {
        callbacks.borrow_mut().clear();
        return Ok(0);
    }
    let mut removed = 0;
    let mut kept = Vec::new();
    for (f, live) in callbacks.borrow_mut().drain(..) {
        if vm.bool_eq(&f, callback)? {
            live.set(false);
            removed += 1;
        } else {
            kept.push((f, live));
        }
    }
    *callbacks.borrow_mut() = kept;
    Ok(removed)
}

/// `asyncio.Task`: a looplab task running a coroutine.
#[pyclass(module = "asyncio", name = "Task")]
#[derive(PyPayload)]
pub(crate) struct PyTask {
    /// A stand-in for a task being destroyed (see `named_ghost`).
    ghost: Option<Ghost>,
    handle: OnceCell<TaskRef>,
    typed: RefCell<Option<Task<PyObjectRef>>>,
    coro: PyObjectRef,
    lp: PyRef<PyLoop>,
    callbacks: Callbacks,
    /// The CancelledError its coroutine raised (CPython's `_cancelled_exc`); the runtime decides
    /// when it is handed out (see `Task::handed_out_raised`).
    cancelled_error: RefCell<Option<PyObjectRef>>,
}

/// What is left of a task being destroyed, for the exception handler's report on it: its name,
/// and its repr when the lab knows it (a task that failed: `<Task finished name='Task-2'
/// coro=<job() done, defined at f.py:3> exception=ValueError('bad')>`).
struct Ghost {
    name: String,
    repr: Option<String>,
}

impl fmt::Debug for PyTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Task")
    }
}

impl PyTask {
    pub(crate) fn new(coro: PyObjectRef, lp: PyRef<PyLoop>) -> Self {
        PyTask {
            ghost: None,
            handle: OnceCell::new(),
            typed: RefCell::new(None),
            coro,
            lp,
            callbacks: RefCell::default(),
            cancelled_error: RefCell::default(),
        }
    }

    /// Its coroutine ended by raising this CancelledError.
    pub(crate) fn keep_cancelled_error(&self, exc: PyObjectRef) {
        *self.cancelled_error.borrow_mut() = Some(exc);
    }

    /// The exception its outcome `error`, just handed out by the runtime, raises: for a
    /// cancellation handed out for the first time (CPython's `_make_cancelled_error`), the very
    /// CancelledError its coroutine raised; otherwise the one `error` names.
    pub(crate) fn cancelled_error(
        &self,
        vm: &VirtualMachine,
        error: &Error,
    ) -> rustpython_vm::builtins::PyBaseExceptionRef {
        let raised = if error.is_cancelled() {
            self.raised_cancelled_error()
        } else {
            None
        };
        raised.unwrap_or_else(|| to_exception(vm, error))
    }

    /// The CancelledError its coroutine raised, if the runtime has just handed its cancellation
    /// out for the first time (to an await, `result()`, a gather, wait_for) and nobody has taken
    /// the object yet: whoever raises that cancellation raises this very object.
    pub(crate) fn raised_cancelled_error(&self) -> Option<rustpython_vm::builtins::PyBaseExceptionRef> {
        if !self.typed().is_some_and(|t| t.handed_out_raised()) {
            return None;
        }
        let exc = self.cancelled_error.borrow_mut().take()?;
        exc.downcast::<rustpython_vm::builtins::PyBaseException>().ok()
    }

    /// A stand-in for a task that is being destroyed: it has the task's name and, if known,
    /// its repr, so that an exception handler reporting on the task can still show it.
    pub(crate) fn named_ghost(name: String, repr: Option<String>, lp: PyRef<PyLoop>) -> Self {
        PyTask {
            ghost: Some(Ghost { name, repr }),
            ..PyTask::new(super::with_vm_none(), lp)
        }
    }

    /// Its number in the trace, once it has its looplab task.
    pub(crate) fn id(&self) -> Option<crate::trace::TaskId> {
        self.handle.get().map(TaskRef::id)
    }

    /// Its coroutine as asyncio's reprs show it (`job() running at f.py:4`).
    pub(crate) fn coro_repr(&self, vm: &VirtualMachine) -> String {
        coro_repr(&self.coro, vm)
    }

    /// The looplab task, once `create_task` has it (during an eager first step it has not yet).
    pub(crate) fn typed(&self) -> Option<Task<PyObjectRef>> {
        self.typed.borrow().clone()
    }

    pub(crate) fn set_task(&self, task: Task<PyObjectRef>) {
        let _ = self.handle.set(task.as_ref());
        *self.typed.borrow_mut() = Some(task);
    }

    /// The task that stays reachable from its looplab task: the looplab handle and the loop.
    pub(crate) fn remembered(&self) -> Option<(crate::runtime::WeakTaskRef, PyRef<PyLoop>)> {
        Some((self.handle.get()?.downgrade(), self.lp.clone()))
    }

    /// The first step begins: the task now answers to `current_task()`.
    pub(crate) fn started(zelf: &PyRef<Self>) {
        if zelf.handle.get().is_none() {
            if let Some(current) = crate::runtime::current_task() {
                let _ = zelf.handle.set(current);
            }
        }
        if let Some(handle) = zelf.handle.get() {
            zelf.lp.register(handle.id(), zelf.clone());
        }
    }

    /// The task is done (or its loop dropped it): it leaves the loop's table.
    pub(crate) fn finished(&self) {
        if let Some(handle) = self.handle.get() {
            self.lp.forget(handle.id());
        }
    }

    pub(crate) fn name(&self) -> String {
        if let Some(ghost) = &self.ghost {
            return ghost.name.clone();
        }
        self.handle.get().map(|h| h.name().to_string()).unwrap_or_default()
    }

    fn state(&self) -> &'static str {
        match self.handle.get() {
            Some(h) if h.cancelled() => "cancelled",
            Some(h) if h.done() => "finished",
            _ => "pending",
        }
    }

    fn outcome(&self, vm: &VirtualMachine) -> PyResult<Option<Result<PyObjectRef, Error>>> {
        match self.typed() {
            Some(t) => Ok(t.result()),
            None => Err(new_exception(vm, "InvalidStateError", "Result is not set.")),
        }
    }
}

#[pyclass(with(Representable, Destructor), flags(HAS_WEAKREF))]
impl PyTask {
    #[pymethod]
    fn get_name(&self) -> String {
        self.name()
    }

    #[pymethod]
    fn set_name(&self, value: PyObjectRef, vm: &VirtualMachine) -> PyResult<()> {
        let name = value.str(vm)?.to_string();
        if let Some(t) = self.typed() {
            t.set_name(name);
        }
        Ok(())
    }

    #[pymethod]
    fn get_coro(&self) -> PyObjectRef {
        self.coro.clone()
    }

    #[pymethod]
    fn get_loop(&self) -> PyRef<PyLoop> {
        self.lp.clone()
    }

    #[pymethod]
    fn cancel(&self, args: FuncArgs, vm: &VirtualMachine) -> PyResult<bool> {
        let Some(handle) = self.handle.get() else {
            return Ok(false);
        };
        Ok(match cancel_message(&args, vm)? {
            Some(msg) => handle.cancel_with(msg),
            None => handle.cancel(),
        })
    }

    #[pymethod]
    fn cancelled(&self) -> bool {
        self.handle.get().is_some_and(|h| h.cancelled())
    }

    #[pymethod]
    fn done(&self) -> bool {
        self.handle.get().is_some_and(|h| h.done())
    }

    #[pymethod]
    fn cancelling(&self) -> u32 {
        self.handle.get().map_or(0, |h| h.cancelling())
    }

    #[pymethod]
    fn uncancel(&self) -> u32 {
        self.handle.get().map_or(0, |h| h.uncancel())
    }

    #[pymethod]
    fn result(&self, vm: &VirtualMachine) -> PyResult {
        match self.outcome(vm)? {
            None => Err(new_exception(vm, "InvalidStateError", "Result is not set.")),
            Some(Ok(value)) => Ok(value),
            Some(Err(error)) => Err(self.cancelled_error(vm, &error)),
        }
    }

    #[pymethod]
    fn exception(&self, vm: &VirtualMachine) -> PyResult {
        let Some(task) = self.typed() else {
            return Err(new_exception(vm, "InvalidStateError", "Exception is not set."));
        };
        if !task.done() {
            return Err(new_exception(vm, "InvalidStateError", "Exception is not set."));
        }
        match task.exception() {
            None => Ok(vm.ctx.none()),
            Some(e @ Error::Cancelled(_)) => Err(self.cancelled_error(vm, &e)),
            Some(e) => Ok(to_exception(vm, &e).into()),
        }
    }

    #[pymethod]
    fn add_done_callback(zelf: PyRef<Self>, args: FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
        let Some(task) = zelf.typed() else {
            return Ok(());
        };
        let run = done_callback(zelf.clone().into(), &zelf.callbacks, &args, vm)?;
        task.add_done_callback(move |_| run());
        Ok(())
    }

    #[pymethod]
    fn remove_done_callback(&self, callback: PyObjectRef, vm: &VirtualMachine) -> PyResult<usize> {
        remove_callback(&self.callbacks, &callback, self.done(), vm)
    }

    #[pymethod]
    fn __await__(zelf: PyRef<Self>) -> PyAwaitIter {
        PyAwaitIter::new(zelf.into())
    }

    #[pyclassmethod]
    fn __class_getitem__(cls: PyRef<PyType>, _args: PyObjectRef) -> PyRef<PyType> {
        cls
    }
}

impl Destructor for PyTask {
    /// `Task.__del__`: the last reference to a task whose failure nobody retrieved is gone, so
    /// nobody can retrieve it any more: report it now, as CPython does when the task is freed
    /// (a task in a reference cycle is reported when the program ends, see `release_tasks`).
    fn del(zelf: &Py<Self>, _vm: &VirtualMachine) -> PyResult<()> {
        if zelf.ghost.is_some() {
            return Ok(());
        }
        // The Python object holds its task twice (`handle` and `typed`). If anything else still
        // holds it (a gather, a wait, a shield), that may yet retrieve the failure: the task is
        // reported when the last of them lets go (the loop's report on a dropped task).
        if let Some(task) = zelf.handle.get().filter(|t| t.done() && t.holders() <= 2) {
            if let Some(error) = task.take_unretrieved_exception() {
                zelf.lp.report_never_retrieved(&task.name(), task.id(), error);
            }
        }
        Ok(())
    }
}

/// A coroutine as asyncio's reprs show it (`coroutines._format_coroutine`): `job() running at
/// FILE:LINE` while it has a frame (the line it is suspended at, or its `def` before it
/// started), `job() done, defined at FILE:LINE` once it has returned or raised.
pub(crate) fn coro_repr(coro: &PyObjectRef, vm: &VirtualMachine) -> String {
    let attr = |object: &PyObjectRef, name: &'static str| object.get_attr(name, vm).ok().filter(|v| !vm.is_none(v));
    let text = |object: Option<PyObjectRef>| {
        object
            .and_then(|o| o.str(vm).ok())
            .map(|s| s.to_string())
            .filter(|s| !s.is_empty())
    };
    let name = text(attr(coro, "__qualname__"))
        .or_else(|| text(attr(coro, "__name__")))
        .unwrap_or_else(|| format!("<{} without __name__>", coro.class().name()));
    let name = format!("{name}()");
    let Some(code) = attr(coro, "cr_code").or_else(|| attr(coro, "gi_code")) else {
        let running = attr(coro, "cr_running")
            .or_else(|| attr(coro, "gi_running"))
            .is_some_and(|r| r.try_to_bool(vm).unwrap_or(false));
        return if running { format!("{name} running") } else { name };
    };
    let filename = text(attr(&code, "co_filename")).unwrap_or_else(|| "<empty co_filename>".to_string());
    match attr(coro, "gi_frame").or_else(|| attr(coro, "cr_frame")) {
        Some(frame) => {
            let line = text(attr(&frame, "f_lineno")).unwrap_or_else(|| "0".to_string());
            format!("{name} running at {filename}:{line}")
        }
        None => {
            let line = text(attr(&code, "co_firstlineno")).unwrap_or_else(|| "0".to_string());
            format!("{name} done, defined at {filename}:{line}")
        }
    }
}

/// `reprlib.repr(value)`: a result as asyncio's reprs show it, cut to size
/// (`result=[0, 1, 2, 3, 4, 5, ...]`).
pub(crate) fn short_repr(value: &PyObjectRef, vm: &VirtualMachine) -> PyResult<String> {
    let Ok(reprlib) = vm.import("reprlib", 0) else {
        return Ok(value.repr(vm)?.to_string());
    };
    let text = vm.call_method(&reprlib, "repr", (value.clone(),))?;
    Ok(text.str(vm)?.to_string())
}

/// How asyncio's reprs show a task's wake-up among a future's done callbacks.
const TASK_WAKEUP: &str = "Task.task_wakeup()";

/// The start of asyncio's task repr, `<Task STATE name='NAME' coro=<CORO>`: the caller adds
/// what follows (`wait_for=`, `result=`, `exception=`, `cb=`) and the closing `>`.
pub(crate) fn task_repr_head(vm: &VirtualMachine, state: &str, name: &str, coro: &str) -> PyResult<String> {
    let name = vm.ctx.new_str(name).as_object().repr(vm)?;
    Ok(format!("<Task {state} name={name} coro=<{coro}>"))
}

/// What a pending task's `_fut_waiter` shows in its repr (`wait_for=...`): asyncio's futures
/// (a sleep's, a queue's or a lock's) as `<Future pending cb=[Task.task_wakeup()]>`, an awaited
/// task as its own repr with that callback, a gather as its `_GatheringFuture`.
fn wait_for_repr(zelf: &Py<PyTask>, vm: &VirtualMachine) -> PyResult<Option<String>> {
    let Some((awaiting, woken)) = zelf.handle.get().and_then(TaskRef::fut_waiter) else {
        return Ok(None);
    };
    Ok(match (awaiting, woken) {
        (crate::trace::Awaiting::Future(_), false) => Some(format!("<Future pending cb=[{TASK_WAKEUP}]>")),
        // Woken: the future is done and has let go of its callbacks (a sleep's, a queue's
        // getter's result is None); cancelled if the task's cancel() cancelled it.
        (crate::trace::Awaiting::Future(_), true) => {
            let cancelled = zelf
                .handle
                .get()
                .is_some_and(|h| h.cancelling() > 0 && !h.must_cancel());
            Some(
                if cancelled {
                    "<Future cancelled>"
                } else {
                    "<Future finished result=None>"
                }
                .to_string(),
            )
        }
        (crate::trace::Awaiting::Task(id), _) => match zelf.lp.task_object(id) {
            Some(task) => Some(PyTask::repr_str(&task, vm)?),
            None => None,
        },
        (crate::trace::Awaiting::Gather(_), false) => Some(format!("<_GatheringFuture pending cb=[{TASK_WAKEUP}]>")),
        (crate::trace::Awaiting::Gather(_), true) => None,
    })
}

impl Representable for PyTask {
    /// asyncio's `Task.__repr__` (`base_tasks._task_repr_info`): state (`cancelling` while a
    /// `cancel()` waits to be delivered), name, coroutine, what it waits for, and its result or
    /// exception once finished. Reading the outcome here does not count as retrieving it.
    fn repr_str(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<String> {
        if let Some(repr) = zelf.ghost.as_ref().and_then(|g| g.repr.clone()) {
            return Ok(repr);
        }
        let cancelling = zelf.handle.get().is_some_and(|h| !h.done() && h.cancelling() > 0);
        let state = if cancelling { "cancelling" } else { zelf.state() };
        let mut text = task_repr_head(vm, state, &zelf.name(), &coro_repr(&zelf.coro, vm))?;
        if let Some(wait_for) = wait_for_repr(zelf, vm)? {
            text.push_str(&format!(" wait_for={wait_for}"));
        }
        if let Some(Some(outcome)) = zelf.typed().map(|t| t.peek()) {
            match outcome {
                Ok(value) if !zelf.cancelled() => text.push_str(&format!(" result={}", short_repr(&value, vm)?)),
                Err(e) if !e.is_cancelled() => {
                    text.push_str(&format!(" exception={}", to_exception(vm, &e).as_object().repr(vm)?))
                }
                _ => {}
            }
        }
        // `cb=[...]`: the tasks that await this one (other callbacks are not shown).
        let waiting = zelf.typed().map_or(0, |t| t.waiting_tasks());
        match waiting {
            0 => {}
            1 => text.push_str(&format!(" cb=[{TASK_WAKEUP}]")),
            2 => text.push_str(&format!(" cb=[{TASK_WAKEUP}, {TASK_WAKEUP}]")),
            n => text.push_str(&format!(" cb=[{TASK_WAKEUP}, <{} more>, {TASK_WAKEUP}]", n - 2)),
        }
        text.push('>');
        Ok(text)
    }
}

/// `asyncio.Future`: a looplab future holding a Python value.
#[pyclass(module = "asyncio", name = "Future")]
#[derive(PyPayload)]
pub(crate) struct PyFuture {
    future: crate::runtime::Future<PyObjectRef>,
    lp: Option<PyRef<PyLoop>>,
    callbacks: Callbacks,
}

impl fmt::Debug for PyFuture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Future")
    }
}

impl PyFuture {
    pub(crate) fn from_future(future: crate::runtime::Future<PyObjectRef>, lp: Option<PyRef<PyLoop>>) -> Self {
        PyFuture {
            future,
            lp,
            callbacks: RefCell::default(),
        }
    }

    pub(crate) fn future(&self) -> crate::runtime::Future<PyObjectRef> {
        self.future.clone()
    }

    fn state(&self) -> &'static str {
        if self.future.cancelled() {
            "cancelled"
        } else if self.future.done() {
            "finished"
        } else {
            "pending"
        }
    }
}

impl Constructor for PyFuture {
    type Args = FuncArgs;

    fn py_new(_cls: &Py<PyType>, _args: FuncArgs, vm: &VirtualMachine) -> PyResult<Self> {
        let lp = super::event_loop::running_loop();
        if lp.is_none() {
            return Err(vm.new_runtime_error("no running event loop"));
        }
        Ok(PyFuture::from_future(crate::runtime::Future::new(), lp))
    }
}

#[pyclass(with(Constructor, Representable), flags(BASETYPE))]
impl PyFuture {
    #[pymethod]
    fn get_loop(&self, vm: &VirtualMachine) -> PyObjectRef {
        self.lp.clone().map_or_else(|| vm.ctx.none(), Into::into)
    }

    #[pymethod]
    fn set_result(&self, value: PyObjectRef, vm: &VirtualMachine) -> PyResult<()> {
        self.future
            .set_result(value)
            .map_err(|_| new_exception(vm, "InvalidStateError", "invalid state"))
    }

    #[pymethod]
    fn set_exception(&self, exception: PyObjectRef, vm: &VirtualMachine) -> PyResult<()> {
        // An exception class is called with no arguments (`set_exception(RuntimeError)`).
        let is_class = exception
            .downcast_ref::<PyType>()
            .is_some_and(|t| t.fast_issubclass(vm.ctx.exceptions.base_exception_type));
        let exception = if is_class { exception.call((), vm)? } else { exception };
        let exc = exception
            .downcast::<rustpython_vm::builtins::PyBaseException>()
            .map_err(|_| vm.new_type_error("invalid exception object"))?;
        if exc.class().is(vm.ctx.exceptions.stop_iteration) {
            return Err(
                vm.new_type_error("StopIteration interacts badly with generators and cannot be raised into a Future")
            );
        }
        self.future
            .set_exception(to_error(vm, exc))
            .map_err(|_| new_exception(vm, "InvalidStateError", "invalid state"))
    }

    #[pymethod]
    fn result(&self, vm: &VirtualMachine) -> PyResult {
        match self.future.result() {
            None => Err(new_exception(vm, "InvalidStateError", "Result is not set.")),
            Some(Ok(value)) => Ok(value),
            Some(Err(error)) => Err(to_exception(vm, &error)),
        }
    }

    #[pymethod]
    fn exception(&self, vm: &VirtualMachine) -> PyResult {
        if !self.future.done() {
            return Err(new_exception(vm, "InvalidStateError", "Exception is not set."));
        }
        match self.future.exception() {
            None => Ok(vm.ctx.none()),
            Some(e @ Error::Cancelled(_)) => Err(to_exception(vm, &e)),
            Some(e) => Ok(to_exception(vm, &e).into()),
        }
    }

    #[pymethod]
    fn done(&self) -> bool {
        self.future.done()
    }

    #[pymethod]
    fn cancelled(&self) -> bool {
        self.future.cancelled()
    }

    #[pymethod]
    fn cancel(&self, args: FuncArgs, vm: &VirtualMachine) -> PyResult<bool> {
        Ok(match cancel_message(&args, vm)? {
            Some(msg) => self.future.cancel_with(msg),
            None => self.future.cancel(),
        })
    }

    #[pymethod]
    fn add_done_callback(zelf: PyRef<Self>, args: FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
        let run = done_callback(zelf.clone().into(), &zelf.callbacks, &args, vm)?;
        zelf.future.add_done_callback(move |_| run());
        Ok(())
    }

    #[pymethod]
    fn remove_done_callback(&self, callback: PyObjectRef, vm: &VirtualMachine) -> PyResult<usize> {
        remove_callback(&self.callbacks, &callback, self.done(), vm)
    }

    #[pymethod]
    fn __await__(zelf: PyRef<Self>) -> PyAwaitIter {
        PyAwaitIter::new(zelf.into())
    }

    #[pyclassmethod]
    fn __class_getitem__(cls: PyRef<PyType>, _args: PyObjectRef) -> PyRef<PyType> {
        cls
    }
}

impl Representable for PyFuture {
    fn repr_str(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<String> {
        let mut text = format!("<Future {}", zelf.state());
        if let Some(outcome) = zelf.future.result() {
            match outcome {
                Ok(value) => text.push_str(&format!(" result={}", short_repr(&value, vm)?)),
                Err(e) if !e.is_cancelled() => {
                    text.push_str(&format!(" exception={}", to_exception(vm, &e).as_object().repr(vm)?))
                }
                _ => {}
            }
        }
        text.push('>');
        Ok(text)
    }
}

/// What `await` on a task or a future iterates: it yields the task or future itself to the
/// task's driver (unless it is already done), and returns what the driver sends back.
#[pyclass(module = false, name = "FutureIter")]
#[derive(PyPayload)]
pub(crate) struct PyAwaitIter {
    target: PyObjectRef,
    yielded: Cell<bool>,
}

impl fmt::Debug for PyAwaitIter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FutureIter")
    }
}

impl PyAwaitIter {
    fn new(target: PyObjectRef) -> Self {
        PyAwaitIter {
            target,
            yielded: Cell::new(false),
        }
    }

    fn outcome(&self) -> Option<Result<PyObjectRef, Error>> {
        if let Some(task) = self.target.downcast_ref::<PyTask>() {
            return task.typed().and_then(|t| t.result());
        }
        if let Some(future) = self.target.downcast_ref::<PyFuture>() {
            return future.future.result();
        }
        None
    }

    fn advance(&self, value: PyObjectRef, vm: &VirtualMachine) -> PyResult<PyIterReturn> {
        if self.yielded.replace(true) {
            return Ok(PyIterReturn::StopIteration(Some(value)));
        }
        match self.outcome() {
            Some(Ok(value)) => Ok(PyIterReturn::StopIteration(Some(value))),
            Some(Err(error)) => match self.target.downcast_ref::<PyTask>() {
                Some(task) => Err(task.cancelled_error(vm, &error)),
                None => Err(to_exception(vm, &error)),
            },
            None => Ok(PyIterReturn::Return(self.target.clone())),
        }
    }
}

#[pyclass(with(IterNext))]
impl PyAwaitIter {
    #[pymethod]
    fn send(&self, value: PyObjectRef, vm: &VirtualMachine) -> PyResult {
        self.advance(value, vm)?.to_pyresult(vm)
    }

    #[pymethod]
    fn throw(&self, args: FuncArgs, vm: &VirtualMachine) -> PyResult {
        self.yielded.set(true);
        Err(throw_exception(args, vm))
    }

    #[pymethod]
    fn close(&self) {
        self.yielded.set(true);
    }
}

/// The exception `throw(exc)` (or `throw(type, value, tb)`) raises: `exc` itself, or a new
/// instance of an exception class.
fn throw_exception(args: FuncArgs, vm: &VirtualMachine) -> rustpython_vm::builtins::PyBaseExceptionRef {
    let mut args = args.args.into_iter();
    let Some(exc) = args.next() else {
        return vm.new_type_error("throw expected at least 1 argument, got 0");
    };
    let value = args.next().filter(|v| !vm.is_none(v));
    let made = match exc.downcast::<PyType>() {
        Ok(class) => match value {
            Some(v) if v.class().fast_issubclass(&class) => Ok(v),
            Some(v) => class.as_object().call((v,), vm),
            None => class.as_object().call((), vm),
        },
        Err(obj) => Ok(obj),
    };
    match made {
        Ok(obj) => match obj.downcast::<rustpython_vm::builtins::PyBaseException>() {
            Ok(e) => e,
            Err(_) => vm.new_type_error("exceptions must derive from BaseException"),
        },
        Err(e) => e,
    }
}

impl SelfIter for PyAwaitIter {}
impl IterNext for PyAwaitIter {
    fn next(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<PyIterReturn> {
        zelf.advance(vm.ctx.none(), vm)
    }
}

/// A one-shot awaitable over a looplab future (what `asyncio.sleep(1)`, `queue.get()`,
/// `lock.acquire()` return): awaiting it yields it to the task's driver, which polls its future
/// in the task; `create_task` runs the future as a task of its own. Like a coroutine object it
/// can be awaited once, and one never awaited is reported.
#[pyclass(module = "asyncio", name = "coroutine")]
#[derive(PyPayload)]
pub(crate) struct PyOp {
    name: &'static str,
    future: RefCell<Option<Waiting>>,
    /// 0: fresh, 1: yielded to the driver, 2: done.
    state: Cell<u8>,
    /// Whether one never awaited is reported (not the iterator of a future's `__await__`).
    coroutine: bool,
}

impl fmt::Debug for PyOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "coroutine {}", self.name)
    }
}

impl PyOp {
    pub(crate) fn new(name: &'static str, future: Waiting) -> Self {
        PyOp {
            name,
            future: RefCell::new(Some(future)),
            state: Cell::new(0),
            coroutine: true,
        }
    }

    /// What a future's `__await__` returns (a gather's): like a generator, nobody is told if it
    /// is never iterated.
    pub(crate) fn awaiting_future(name: &'static str, future: Waiting) -> Self {
        PyOp {
            coroutine: false,
            ..PyOp::new(name, future)
        }
    }

    /// Its future, for the driver (once).
    pub(crate) fn take_future(&self) -> Option<Waiting> {
        self.state.set(2);
        self.future.borrow_mut().take()
    }

    /// Whether nobody ever awaited it (nor made a task of it).
    pub(crate) fn never_awaited(&self) -> bool {
        self.state.get() == 0 && self.future.borrow().is_some()
    }

    fn advance(zelf: &Py<Self>, value: PyObjectRef) -> PyIterReturn {
        match zelf.state.get() {
            0 => {
                zelf.state.set(1);
                PyIterReturn::Return(zelf.as_object().to_owned())
            }
            _ => {
                zelf.state.set(2);
                PyIterReturn::StopIteration(Some(value))
            }
        }
    }
}

#[pyclass(with(IterNext, Representable, Destructor))]
impl PyOp {
    #[pymethod]
    fn send(zelf: PyRef<Self>, value: PyObjectRef, vm: &VirtualMachine) -> PyResult {
        Self::advance(&zelf, value).to_pyresult(vm)
    }

    #[pymethod]
    fn throw(&self, args: FuncArgs, vm: &VirtualMachine) -> PyResult {
        self.state.set(2);
        self.future.borrow_mut().take();
        Err(throw_exception(args, vm))
    }

    #[pymethod]
    fn close(&self) {
        self.state.set(2);
        self.future.borrow_mut().take();
    }

    #[pymethod]
    fn __await__(zelf: PyRef<Self>) -> PyRef<Self> {
        zelf
    }

    #[pygetset]
    fn __name__(&self) -> &'static str {
        self.name
    }

    #[pygetset]
    fn __qualname__(&self) -> &'static str {
        self.name
    }
}

impl SelfIter for PyOp {}
impl IterNext for PyOp {
    fn next(zelf: &Py<Self>, _vm: &VirtualMachine) -> PyResult<PyIterReturn> {
        Ok(Self::advance(zelf, _vm.ctx.none()))
    }
}

impl Representable for PyOp {
    fn repr_str(zelf: &Py<Self>, _vm: &VirtualMachine) -> PyResult<String> {
        Ok(format!("<coroutine object {} at {:#x}>", zelf.name, zelf.get_id()))
    }
}

impl Destructor for PyOp {
    fn del(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<()> {
        if zelf.coroutine && zelf.never_awaited() {
            zelf.state.set(2);
            super::warnings::never_awaited(vm, zelf.name, zelf.as_object());
        }
        Ok(())
    }
}

//! asyncio's event loop object over a looplab [`Loop`]: `asyncio.run`, `run_until_complete`,
//! the loop's methods (`time`, `call_soon`, `call_later`, `call_at`, `create_future`,
//! `create_task`, the exception handler) and the table that maps looplab's tasks to their
//! Python objects.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use rustpython_vm::builtins::PyDictRef;
use rustpython_vm::function::FuncArgs;
use rustpython_vm::{pyclass, AsObject, PyObjectRef, PyPayload, PyRef, PyResult, VirtualMachine};

use super::convert::{new_exception, to_error, to_exception, Classes};
use super::driver::{Driver, Waiting};
use super::objects::{PyFuture, PyOp, PyTask};
use super::sync::Spawn;
use super::{lab, vm_do};
use crate::runtime::{Error, ExceptionContext, Loop, LoopOptions, Task, Turn};
use crate::trace::TaskId;

thread_local! {
    /// The loops running now, innermost last (`get_running_loop()` is the last).
    static RUNNING: RefCell<Vec<PyRef<PyLoop>>> = const { RefCell::new(Vec::new()) };
}

/// The loop running now, if any.
pub(crate) fn running_loop() -> Option<PyRef<PyLoop>> {
    RUNNING.with(|r| r.borrow().last().cloned())
}

/// asyncio's event loop, as a program sees it.
#[pyclass(module = "asyncio", name = "EventLoop")]
#[derive(PyPayload)]
pub(crate) struct PyLoop {
    lp: Rc<Loop>,
    /// The Python object of every live task, by looplab id.
    tasks: RefCell<HashMap<TaskId, PyRef<PyTask>>>,
    handler: RefCell<Option<PyObjectRef>>,
    task_factory: RefCell<Option<PyObjectRef>>,
    debug: bool,
    closed: Cell<bool>,
    started: Cell<bool>,
    /// Its own Python object, weakly (the loop's hooks reach it through this; a strong
    /// reference would be a cycle nothing breaks).
    myself: RefCell<Option<PyRef<rustpython_vm::builtins::PyWeak>>>,
    /// The coroutine of each task that raised, as its repr shows it once done (`job() done,
    /// defined at f.py:3`), for the report of a failure nobody retrieved, which comes when the
    /// task's Python object may be gone.
    failed_coros: RefCell<HashMap<TaskId, String>>,
}

impl fmt::Debug for PyLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventLoop")
    }
}

impl PyLoop {
    /// A new loop with the lab's options (`debug` as `asyncio.run(debug=...)` asks).
    pub(crate) fn create(vm: &VirtualMachine, debug: bool) -> PyRef<PyLoop> {
        let mut options: LoopOptions = lab().loop_options();
        options.debug = debug;
        let pyloop = PyLoop {
            lp: Rc::new(Loop::new(options)),
            tasks: RefCell::default(),
            handler: RefCell::new(None),
            task_factory: RefCell::new(None),
            debug,
            closed: Cell::new(false),
            started: Cell::new(false),
            myself: RefCell::new(None),
            failed_coros: RefCell::default(),
        }
        .into_ref(&vm.ctx);
        let weak = pyloop.as_object().downgrade(None, vm).ok();
        *pyloop.myself.borrow_mut() = weak.clone();
        let weak_for_warnings = weak.clone();
        pyloop.lp.set_warning_hook(move |message| {
            let Some(me) = weak_for_warnings.as_ref().and_then(|w| w.upgrade()) else {
                return;
            };
            vm_do(&me, |vm| {
                let logged = vm.import("logging", 0).and_then(|logging| {
                    let logger = vm.call_method(&logging, "getLogger", ("asyncio",))?;
                    vm.call_method(&logger, "warning", (message.to_string(),))
                });
                if logged.is_err() {
                    lab().write_stderr(&format!("{message}\n"));
                }
            });
        });
        pyloop.lp.set_exception_handler(move |context| {
            let Some(me) = weak.as_ref().and_then(|w| w.upgrade()) else {
                return;
            };
            vm_do(&me, |vm| {
                if let Ok(me) = me.clone().downcast::<PyLoop>() {
                    PyLoop::handle_exception(&me, context, vm);
                }
            });
        });
        pyloop
    }

    pub(crate) fn register(&self, id: TaskId, task: PyRef<PyTask>) {
        self.tasks.borrow_mut().insert(id, task);
    }

    pub(crate) fn forget(&self, id: TaskId) {
        let task = self.tasks.borrow_mut().remove(&id);
        drop(task);
    }

    /// The task `id`'s coroutine raised; `coro` is how the task's repr shows it now.
    pub(crate) fn note_failed(&self, id: TaskId, coro: String) {
        self.failed_coros.borrow_mut().insert(id, coro);
    }

    pub(crate) fn task_object(&self, id: TaskId) -> Option<PyRef<PyTask>> {
        self.tasks.borrow().get(&id).cloned()
    }

    /// `create_task(coro, name=name)` on this loop, which must be the running one.
    pub(crate) fn spawn(
        zelf: &PyRef<Self>,
        coro: PyObjectRef,
        name: Option<String>,
        vm: &VirtualMachine,
    ) -> PyResult<PyRef<PyTask>> {
        let spawned = PyLoop::spawn_with(zelf, coro, vm, |body| {
            Ok(match name {
                Some(name) => crate::runtime::spawn_named(name, body),
                None => crate::runtime::spawn(body),
            })
        });
        spawned.map_err(|e| match e {
            Spawn::Python(e) => e,
            Spawn::Looplab(e, _) => to_exception(vm, &e),
        })
    }

    /// Makes the task for `coro` (a coroutine, or one of the lab's one-shot awaitables) with
    /// `spawner`, which spawns the task's future as it likes (a task group's way, say).
    pub(crate) fn spawn_with(
        zelf: &PyRef<Self>,
        coro: PyObjectRef,
        vm: &VirtualMachine,
        spawner: impl FnOnce(Waiting) -> Result<Task<PyObjectRef>, Error>,
    ) -> Result<PyRef<PyTask>, Spawn> {
        if !is_running(zelf) {
            return Err(Spawn::Python(vm.new_runtime_error("no running event loop")));
        }
        let task = PyTask::new(coro.clone(), zelf.clone()).into_ref(&vm.ctx);
        let body: Waiting = if let Some(op) = coro.downcast_ref::<PyOp>() {
            let future = op
                .take_future()
                .ok_or_else(|| Spawn::Python(vm.new_runtime_error("cannot reuse already awaited coroutine")))?;
            let me = Registered(task.clone());
            Box::pin(async move {
                PyTask::started(&me.0);
                let outcome = future.await;
                drop(me);
                outcome
            })
        } else {
            if !is_coroutine(&coro, vm) {
                let repr = coro.repr(vm).map(|r| r.to_string()).unwrap_or_default();
                return Err(Spawn::Python(
                    vm.new_type_error(format!("a coroutine was expected, got {repr}")),
                ));
            }
            Box::pin(Driver::new(coro.clone(), task.clone()))
        };
        let typed = spawner(body).map_err(|e| Spawn::Looplab(e, coro))?;
        zelf.register(typed.id(), task.clone());
        task.set_task(typed);
        Ok(task)
    }

    /// Runs `main` as the first task until it is done, driving the loop one iteration at a time
    /// within the lab's budgets; then (`asyncio.run`) cancels what is left and runs until that
    /// has finished.
    pub(crate) fn run_main(zelf: &PyRef<Self>, main: PyObjectRef, shutdown: bool, vm: &VirtualMachine) -> PyResult {
        if zelf.closed.get() {
            return Err(vm.new_runtime_error("Event loop is closed"));
        }
        if zelf.started.replace(true) {
            return Err(vm.new_runtime_error("This event loop is already running"));
        }
        let task = PyTask::new(main.clone(), zelf.clone()).into_ref(&vm.ctx);
        let driver = Driver::new(main, task.clone());
        let started = if shutdown {
            zelf.lp.start(driver)
        } else {
            zelf.lp.start_until_complete(driver)
        };
        let typed = match started {
            Ok(t) => t,
            Err(e) => return Err(to_exception(vm, &e)),
        };
        task.set_task(typed.clone());
        RUNNING.with(|r| r.borrow_mut().push(zelf.clone()));
        // `loop._asyncgen_finalizer_hook`: an async generator dropped before it finished is
        // closed by a task of its own (`create_task(agen.aclose())`, one iteration later).
        let finalizer = vm.new_function("_asyncgen_finalizer_hook", finalize_async_generator);
        let saved = vm.async_gen_finalizer.replace(Some(finalizer.into()));
        let outcome = zelf.drive(vm);
        *vm.async_gen_finalizer.borrow_mut() = saved;
        RUNNING.with(|r| r.borrow_mut().pop());
        lab().finish_loop(&zelf.lp);
        if shutdown {
            // `asyncio.run` closes its loop (nothing is pending after its shutdown).
            zelf.closed.set(true);
            let _ = zelf.lp.close();
        }
        outcome?;
        match typed.result() {
            Some(Ok(value)) => Ok(value),
            Some(Err(error)) => Err(to_exception(vm, &error)),
            None => Err(vm.new_runtime_error("Event loop stopped before Future completed.")),
        }
    }

    /// Runs iterations until the run is over.
    fn drive(&self, vm: &VirtualMachine) -> PyResult<()> {
        let budget = lab().budget();
        loop {
            let turn = self.lp.run_once().map_err(|e| to_exception(vm, &e))?;
            match turn {
                Turn::Ran => {
                    if let Some(reason) = budget.exceeded(&self.lp) {
                        return Err(lab().stop(vm, reason));
                    }
                }
                Turn::Finished => return Ok(()),
                Turn::Wait(until) => budget.wait_until(&self.lp, until),
                Turn::Stalled(stall) => {
                    let error = self.lp.abandon(stall);
                    return Err(to_exception(vm, &error));
                }
            }
        }
    }

    /// The loop's exception handler: the program's, or asyncio's default (a report on stderr).
    fn handle_exception(zelf: &PyRef<Self>, context: &ExceptionContext, vm: &VirtualMachine) {
        let dict = PyLoop::context_dict(zelf, context, vm);
        let handler = zelf.handler.borrow().clone();
        match handler {
            Some(handler) => {
                let me: PyObjectRef = zelf.clone().into();
                if let Err(exc) = handler.call((me, dict.clone()), vm) {
                    // asyncio: "Unhandled error in exception handler", then the default handler.
                    lab().report(vm, "Unhandled error in exception handler", Some(&exc));
                    zelf.default_handler(&dict, vm);
                }
            }
            None => zelf.default_handler(&dict, vm),
        }
    }

    /// "Task exception was never retrieved" for `task`, as its destruction would report it.
    pub(crate) fn report_never_retrieved(&self, task: &str, id: TaskId, error: Error) {
        let Some(me) = self.myself.borrow().as_ref().and_then(|w| w.upgrade()) else {
            return;
        };
        let Ok(me) = me.downcast::<PyLoop>() else { return };
        let context = ExceptionContext {
            message: "Task exception was never retrieved".to_string(),
            task: Some(task.into()),
            task_id: Some(id),
            exception: Some(error),
        };
        vm_do(me.as_object(), |vm| PyLoop::handle_exception(&me, &context, vm));
    }

    fn context_dict(zelf: &PyRef<Self>, context: &ExceptionContext, vm: &VirtualMachine) -> PyDictRef {
        let dict = vm.ctx.new_dict();
        let _ = dict.set_item("message", vm.ctx.new_str(context.message.as_str()).into(), vm);
        if let Some(e) = &context.exception {
            let _ = dict.set_item("exception", to_exception(vm, e).into(), vm);
        }
        if let Some(name) = &context.task {
            let ghost = PyTask::named_ghost(
                name.to_string(),
                PyLoop::failed_task_repr(zelf, context, vm),
                zelf.clone(),
            );
            let key = if context.message.contains("never retrieved") {
                "future"
            } else {
                "task"
            };
            let _ = dict.set_item(key, ghost.into_ref(&vm.ctx).into(), vm);
        }
        dict
    }

    /// The repr of the failed task a report is about, as CPython's report shows it: `<Task
    /// finished name='Task-2' coro=<job() done, defined at f.py:3> exception=ValueError('bad')>`.
    fn failed_task_repr(zelf: &PyRef<Self>, context: &ExceptionContext, vm: &VirtualMachine) -> Option<String> {
        let coro = zelf.failed_coros.borrow().get(&context.task_id?).cloned()?;
        let head = super::objects::task_repr_head(vm, "finished", context.task.as_deref()?, &coro).ok()?;
        let exception = to_exception(vm, context.exception.as_ref()?)
            .as_object()
            .repr(vm)
            .ok()?;
        Some(format!("{head} exception={exception}>"))
    }

    /// asyncio's `default_exception_handler`: the message, the task, the traceback, on stderr.
    fn default_handler(&self, context: &PyDictRef, vm: &VirtualMachine) {
        let message = context
            .get_item_opt("message", vm)
            .ok()
            .flatten()
            .and_then(|m| m.str(vm).ok().map(|s| s.to_string()))
            .unwrap_or_else(|| "Unhandled exception in event loop".to_string());
        let mut text = message.clone();
        for key in ["future", "task", "handle"] {
            if let Ok(Some(value)) = context.get_item_opt(key, vm) {
                if let Ok(repr) = value.repr(vm) {
                    text.push_str(&format!("\n{key}: {repr}"));
                }
            }
        }
        let exception = context
            .get_item_opt("exception", vm)
            .ok()
            .flatten()
            .and_then(|e| e.downcast::<rustpython_vm::builtins::PyBaseException>().ok());
        lab().report_text(vm, &text, exception.as_ref(), &message);
    }
}

/// A task's place in its loop's table, given up when the task's future is dropped (finished,
/// or discarded by a closing loop).
struct Registered(PyRef<PyTask>);

impl Drop for Registered {
    fn drop(&mut self) {
        self.0.finished();
    }
}

fn finalize_async_generator(agen: PyObjectRef, vm: &VirtualMachine) -> PyResult<()> {
    let Some(lp) = running_loop() else { return Ok(()) };
    let aclose = vm.call_method(&agen, "aclose", ())?;
    crate::runtime::call_soon(move || -> Result<(), Error> {
        vm_do(&aclose, |vm| {
            PyLoop::spawn(&lp, aclose.clone(), None, vm)
                .map(|_| ())
                .map_err(|e| to_error(vm, e))
        })
        .unwrap_or(Ok(()))
    });
    Ok(())
}

fn is_running(lp: &PyRef<PyLoop>) -> bool {
    running_loop().is_some_and(|r| r.is(lp))
}

/// Whether `obj` is a coroutine (`asyncio.iscoroutine`): a coroutine object, one of the lab's
/// one-shot awaitables, or an object with the coroutine protocol (`send`, `throw`, `close`,
/// `__await__`: what an async generator's `aclose()` returns, say).
pub(crate) fn is_coroutine(obj: &PyObjectRef, vm: &VirtualMachine) -> bool {
    if obj.class().is(vm.ctx.types.coroutine_type) || obj.downcast_ref::<PyOp>().is_some() {
        return true;
    }
    let class = obj.class();
    ["send", "throw", "close", "__await__"]
        .iter()
        .all(|name| class.get_attr(vm.ctx.intern_str(*name)).is_some())
}

#[pyclass(flags(HAS_WEAKREF))]
impl PyLoop {
    #[pymethod]
    fn time(&self) -> f64 {
        self.lp.time()
    }

    #[pymethod]
    fn is_running(zelf: PyRef<Self>) -> bool {
        is_running(&zelf)
    }

    #[pymethod]
    fn is_closed(&self) -> bool {
        self.closed.get()
    }

    /// `loop.close()`. The tasks still pending are destroyed (and reported) when the program
    /// ends, as CPython's garbage collector finds them then: a pending task sits in a cycle with
    /// what it awaits.
    #[pymethod]
    fn close(zelf: PyRef<Self>) {
        if !zelf.closed.replace(true) {
            lab().close_at_exit(zelf.lp.clone());
        }
    }

    #[pymethod]
    fn get_debug(&self) -> bool {
        self.debug
    }

    #[pymethod]
    fn set_debug(&self, _enabled: bool) {}

    #[pymethod]
    fn create_future(zelf: PyRef<Self>) -> PyFuture {
        PyFuture::from_future(crate::runtime::Future::new(), Some(zelf))
    }

    #[pymethod]
    fn create_task(zelf: PyRef<Self>, args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyRef<PyTask>> {
        let (coro, name) = task_args(args, vm)?;
        let factory = zelf.task_factory.borrow().clone();
        if let Some(factory) = factory {
            if !is_eager_factory(&factory, vm) {
                let task = factory.call((zelf.clone(), coro), vm)?;
                if let Some(name) = name {
                    vm.call_method(&task, "set_name", (name,))?;
                }
                return task
                    .downcast::<PyTask>()
                    .map_err(|_| vm.new_type_error("the task factory must make a Task"));
            }
        }
        PyLoop::spawn(&zelf, coro, name, vm)
    }

    #[pymethod]
    fn set_task_factory(&self, factory: PyObjectRef, vm: &VirtualMachine) {
        let eager = !vm.is_none(&factory) && is_eager_factory(&factory, vm);
        crate::runtime::set_eager_tasks(eager);
        *self.task_factory.borrow_mut() = (!vm.is_none(&factory)).then_some(factory);
    }

    #[pymethod]
    pub(crate) fn get_task_factory(&self, vm: &VirtualMachine) -> PyObjectRef {
        self.task_factory.borrow().clone().unwrap_or_else(|| vm.ctx.none())
    }

    #[pymethod]
    fn call_soon(zelf: PyRef<Self>, args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        schedule(&zelf, None, args, vm)
    }

    /// `run_in_executor(executor, func, *args)`. The lab has no threads: `func` runs now, holding
    /// the loop (as `to_thread` does), and the future it returns is done an iteration later, as
    /// a worker thread's result arrives through `call_soon_threadsafe`.
    #[pymethod]
    fn run_in_executor(zelf: PyRef<Self>, args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        let mut args = args.args.into_iter().skip(1);
        let func = args
            .next()
            .ok_or_else(|| vm.new_type_error("run_in_executor() missing required argument: 'func'"))?;
        let future: PyObjectRef = PyLoop::create_future(zelf.clone()).into_ref(&vm.ctx).into();
        let (setter, value) = match func.call(FuncArgs::from(args.collect::<Vec<_>>()), vm) {
            Ok(value) => ("set_result", value),
            Err(exc) => ("set_exception", exc.into()),
        };
        let setter = future.get_attr(setter, vm)?;
        schedule(&zelf, None, FuncArgs::from(vec![setter, value]), vm)?;
        Ok(future)
    }

    #[pymethod]
    fn call_later(zelf: PyRef<Self>, mut args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        let delay = take_number(&mut args, "call_later", vm)?;
        let when = zelf.lp.time() + delay;
        schedule(&zelf, Some(when), args, vm)
    }

    #[pymethod]
    fn call_at(zelf: PyRef<Self>, mut args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        let when = take_number(&mut args, "call_at", vm)?;
        schedule(&zelf, Some(when), args, vm)
    }

    #[pymethod]
    fn set_exception_handler(&self, handler: PyObjectRef, vm: &VirtualMachine) -> PyResult<()> {
        if !vm.is_none(&handler) && !handler.is_callable() {
            return Err(vm.new_type_error(format!(
                "A callable object or None is expected, got {}",
                handler.repr(vm)?
            )));
        }
        *self.handler.borrow_mut() = (!vm.is_none(&handler)).then_some(handler);
        Ok(())
    }

    #[pymethod]
    fn get_exception_handler(&self, vm: &VirtualMachine) -> PyObjectRef {
        self.handler.borrow().clone().unwrap_or_else(|| vm.ctx.none())
    }

    #[pymethod]
    fn call_exception_handler(zelf: PyRef<Self>, context: PyDictRef, vm: &VirtualMachine) -> PyResult<()> {
        let handler = zelf.handler.borrow().clone();
        match handler {
            Some(handler) => {
                handler.call((zelf.clone(), context), vm)?;
            }
            None => zelf.default_handler(&context, vm),
        }
        Ok(())
    }

    #[pymethod]
    fn default_exception_handler(&self, context: PyDictRef, vm: &VirtualMachine) {
        self.default_handler(&context, vm);
    }

    #[pymethod]
    fn run_until_complete(zelf: PyRef<Self>, future: PyObjectRef, vm: &VirtualMachine) -> PyResult {
        if !is_coroutine(&future, vm) {
            return Err(vm.new_type_error("run_until_complete() in the lab takes a coroutine"));
        }
        PyLoop::run_main(&zelf, future, false, vm)
    }

    /// `asyncio.run`'s work on this loop (the twin helper's `run` makes its own loop first).
    #[pymethod]
    fn _run_main(zelf: PyRef<Self>, main: PyObjectRef, vm: &VirtualMachine) -> PyResult {
        if running_loop().is_some() {
            return Err(vm.new_runtime_error("asyncio.run() cannot be called from a running event loop"));
        }
        if !is_coroutine(&main, vm) {
            return Err(vm.new_value_error(format!("a coroutine was expected, got {}", main.repr(vm)?)));
        }
        PyLoop::run_main(&zelf, main, true, vm)
    }

    #[pymethod]
    fn shutdown_asyncgens(&self) -> PyOp {
        PyOp::new("shutdown_asyncgens", Box::pin(async { Ok(none()) }))
    }
}

/// `None`, made without the VM at hand.
pub(crate) fn none() -> PyObjectRef {
    super::with_vm_none()
}

fn is_eager_factory(factory: &PyObjectRef, vm: &VirtualMachine) -> bool {
    factory
        .get_attr("__name__", vm)
        .ok()
        .and_then(|n| n.str(vm).ok())
        .is_some_and(|n| n.to_string_lossy() == "eager_task_factory")
}

/// `create_task`'s arguments: the coroutine and the name (`context=` is accepted and ignored).
pub(crate) fn task_args(args: FuncArgs, vm: &VirtualMachine) -> PyResult<(PyObjectRef, Option<String>)> {
    let coro = args
        .args
        .first()
        .cloned()
        .or_else(|| args.kwargs.get("coro").cloned())
        .ok_or_else(|| vm.new_type_error("create_task() missing required argument 'coro'"))?;
    let name = match args.kwargs.get("name") {
        Some(n) if !vm.is_none(n) => Some(n.str(vm)?.to_string()),
        _ => None,
    };
    Ok((coro, name))
}

fn take_number(args: &mut FuncArgs, what: &str, vm: &VirtualMachine) -> PyResult<f64> {
    if args.args.is_empty() {
        return Err(vm.new_type_error(format!("{what}() missing its time argument")));
    }
    let value = args.args.remove(0);
    let number: f64 = value.try_float(vm).map(|f| f.to_f64())?;
    Ok(number)
}

/// `call_soon` (when `None`) or `call_at(when)`: a handle whose `cancel()` works.
fn schedule(zelf: &PyRef<PyLoop>, when: Option<f64>, mut args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
    if args.args.is_empty() {
        return Err(vm.new_type_error("missing the callback"));
    }
    let callback = args.args.remove(0);
    if !callback.is_callable() {
        return Err(vm.new_type_error(format!("a callable object was expected, got {}", callback.repr(vm)?)));
    }
    if !is_running(zelf) {
        return Err(vm.new_runtime_error("the lab's loop schedules callbacks only while it runs"));
    }
    let call_args = args.args.clone();
    let run = move || -> Result<(), Error> {
        vm_do(&callback, |vm| {
            super::driver::beneath_the_loop(vm, super::driver::CALLBACK_LEVELS, || {
                callback.call(call_args.clone(), vm)
            })
            .map(|_| ())
            .map_err(|exc| to_error(vm, exc))
        })
        .unwrap_or(Ok(()))
    };
    let handle = super::sync::at_program_line(vm, || match when {
        None => crate::runtime::call_soon(run),
        Some(when) => crate::runtime::call_at(when, run),
    });
    let handle = handle.ok_or_else(|| vm.new_runtime_error("no running event loop"))?;
    Ok(super::module::PyHandle::new(handle, when).into_ref(&vm.ctx).into())
}

/// The `Stopped` exception the lab raises when a budget runs out.
pub(crate) fn stopped_exception(vm: &VirtualMachine, reason: &str) -> rustpython_vm::builtins::PyBaseExceptionRef {
    super::convert::instantiate(vm, Classes::get().stopped, vec![vm.ctx.new_str(reason).into()])
}

/// `InvalidStateError`, for the rare caller that needs one here.
#[allow(dead_code)]
pub(crate) fn invalid_state(vm: &VirtualMachine, message: &str) -> rustpython_vm::builtins::PyBaseExceptionRef {
    new_exception(vm, "InvalidStateError", message)
}

//! `_looplab`: the native module the lab's `asyncio` is written on. Everything that schedules
//! is here, over looplab's executor; the Python half (`lib/asyncio/__init__.py`) arranges it
//! under asyncio's names.

use rustpython_vm::builtins::PyBaseException;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};

use super::convert::Classes;

pub(crate) use _looplab::PyHandle;

/// Sets the interpreter up for a program: output, recursion limit, asyncio's classes, the
/// report of coroutines never awaited.
pub(crate) fn install(vm: &VirtualMachine) -> PyResult<()> {
    let module = vm.import("_looplab", 0)?;
    let stdout = vm.call_method(&module, "Output", (1,))?;
    let stderr = vm.call_method(&module, "Output", (2,))?;
    vm.sys_module.set_attr("stdout", stdout, vm)?;
    vm.sys_module.set_attr("stderr", stderr, vm)?;
    let classes = Classes::get();
    for (name, class) in [
        ("CancelledError", &classes.cancelled_error),
        ("InvalidStateError", &classes.invalid_state_error),
        ("QueueEmpty", &classes.queue_empty),
        ("QueueFull", &classes.queue_full),
        ("QueueShutDown", &classes.queue_shut_down),
        ("IncompleteReadError", &classes.incomplete_read_error),
        ("LimitOverrunError", &classes.limit_overrun_error),
        ("Stopped", &classes.stopped),
    ] {
        module.set_attr(name, class.clone(), vm)?;
    }
    use rustpython_vm::class::PyClassImpl;
    let classes: [(&str, PyObjectRef); 5] = [
        ("Task", super::objects::PyTask::make_static_type().into()),
        ("Future", super::objects::PyFuture::make_static_type().into()),
        ("coroutine", super::objects::PyOp::make_static_type().into()),
        ("FutureIter", super::objects::PyAwaitIter::make_static_type().into()),
        ("EventLoop", super::event_loop::PyLoop::make_static_type().into()),
    ];
    for (name, class) in classes.into_iter().chain(super::sync::classes()) {
        module.set_attr(name, class, vm)?;
    }
    // CPython's 1000 natively (a debug build's stack holds less). In the page the worker's own
    // stack (the JavaScript engine's, about 1 MB) runs out first: Chromium's holds about 800
    // nested calls of a plain function, and half as many through `__repr__` or `__eq__`, and
    // running out kills the worker. At 400 those end with Python's RecursionError.
    let limit = if cfg!(debug_assertions) {
        200
    } else if cfg!(target_arch = "wasm32") {
        400
    } else {
        1000
    };
    vm.recursion_limit.set(limit);
    super::warnings::install(vm);
    super::ast::install(vm)?;
    vm.import("_lab_site", 0)?;
    vm.import("time_lab", 0)?;
    Ok(())
}

fn is_exception(obj: &PyObjectRef) -> bool {
    obj.downcast_ref::<PyBaseException>().is_some()
}

#[rustpython_vm::pymodule]
pub(crate) mod _looplab {
    use std::cell::{Cell, RefCell};
    use std::fmt;
    use std::rc::Rc;

    use rustpython_vm::builtins::{PyListRef, PyStrRef};
    use rustpython_vm::function::{FuncArgs, OptionalArg, PosArgs};
    use rustpython_vm::types::{Constructor, Representable};
    use rustpython_vm::{AsObject, Py, PyObjectRef, PyPayload, PyRef, PyResult, VirtualMachine};

    use super::super::convert::{new_exception, to_exception};
    use super::super::driver::Waiting;
    use super::super::event_loop::{is_coroutine, none, running_loop, task_args, PyLoop};
    use super::super::lab;
    use super::super::objects::{done_callback, remove_callback, Callbacks, PyFuture, PyOp, PyTask};
    use crate::runtime::{CallbackHandle, CallbackId, Error, ReturnWhen, SettleRef, TaskOrFuture};
    use rustpython_vm::pyclass;

    fn no_loop(vm: &VirtualMachine) -> rustpython_vm::builtins::PyBaseExceptionRef {
        vm.new_runtime_error("no running event loop")
    }

    /// `asyncio.run(main, *, debug=None)` (`debug` by keyword only, as in CPython).
    #[pyfunction]
    fn run(main: PyObjectRef, args: FuncArgs, vm: &VirtualMachine) -> PyResult {
        if !args.args.is_empty() {
            return Err(vm.new_type_error(format!(
                "run() takes 1 positional argument but {} were given",
                args.args.len() + 1
            )));
        }
        let mut debug = false;
        for (name, value) in &args.kwargs {
            if name != "debug" {
                return Err(vm.new_type_error(format!("run() got an unexpected keyword argument '{name}'")));
            }
            debug = !vm.is_none(value) && value.clone().try_to_bool(vm)?;
        }
        if running_loop().is_some() {
            return Err(vm.new_runtime_error("asyncio.run() cannot be called from a running event loop"));
        }
        if !is_coroutine(&main, vm) {
            return Err(vm.new_value_error(format!("a coroutine was expected, got {}", main.repr(vm)?)));
        }
        let lp = PyLoop::create(vm, debug);
        PyLoop::run_main(&lp, main, true, vm)
    }

    #[pyfunction]
    fn new_event_loop(debug: OptionalArg<bool>, vm: &VirtualMachine) -> PyRef<PyLoop> {
        PyLoop::create(vm, debug.unwrap_or(false))
    }

    #[pyfunction]
    fn get_running_loop(vm: &VirtualMachine) -> PyResult<PyRef<PyLoop>> {
        running_loop().ok_or_else(|| no_loop(vm))
    }

    #[pyfunction]
    fn _get_running_loop(vm: &VirtualMachine) -> PyObjectRef {
        running_loop().map_or_else(|| vm.ctx.none(), Into::into)
    }

    #[pyfunction]
    fn create_task(args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyRef<PyTask>> {
        let lp = running_loop().ok_or_else(|| no_loop(vm))?;
        let args_for_loop = args.clone();
        let (coro, name) = task_args(args, vm)?;
        if lp.get_task_factory(vm).is(&vm.ctx.none) {
            PyLoop::spawn(&lp, coro, name, vm)
        } else {
            vm.call_method(lp.as_object(), "create_task", args_for_loop)?
                .downcast::<PyTask>()
                .map_err(|_| vm.new_type_error("the task factory must make a Task"))
        }
    }

    /// The Python object of the running task, if any.
    pub(crate) fn current(vm: &VirtualMachine) -> PyResult<Option<PyRef<PyTask>>> {
        let lp = running_loop().ok_or_else(|| no_loop(vm))?;
        Ok(crate::runtime::current_task().and_then(|t| lp.task_object(t.id())))
    }

    #[pyfunction]
    fn current_task(_loop: OptionalArg<PyObjectRef>, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        Ok(current(vm)?.map_or_else(|| vm.ctx.none(), Into::into))
    }

    #[pyfunction]
    fn all_tasks(_loop: OptionalArg<PyObjectRef>, vm: &VirtualMachine) -> PyResult<PyListRef> {
        let lp = running_loop().ok_or_else(|| no_loop(vm))?;
        let tasks: Vec<PyObjectRef> = crate::runtime::all_tasks()
            .into_iter()
            .filter_map(|t| lp.task_object(t.id()))
            .map(Into::into)
            .collect();
        Ok(vm.ctx.new_list(tasks))
    }

    /// `asyncio.sleep(delay, result=None)`.
    #[pyfunction]
    fn sleep(delay: PyObjectRef, args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyOp> {
        let seconds = delay.try_float(vm)?.to_f64();
        let result = args
            .args
            .first()
            .or_else(|| args.kwargs.get("result"))
            .cloned()
            .unwrap_or_else(|| vm.ctx.none());
        let future: Waiting = Box::pin(async move {
            crate::runtime::sleep(seconds).await?;
            Ok(result)
        });
        Ok(PyOp::new("sleep", future))
    }

    /// `time.sleep(seconds)`: blocks the loop (the virtual clock moves on).
    #[pyfunction]
    fn block(seconds: f64) {
        crate::runtime::block_for(seconds);
    }

    /// `loop.time()` of the running loop, 0.0 outside one.
    #[pyfunction]
    fn time() -> f64 {
        crate::runtime::now()
    }

    /// The loop's own task dump and await graph.
    #[pyfunction]
    fn task_dump(vm: &VirtualMachine) -> PyListRef {
        strings(vm, crate::runtime::debug::task_dump())
    }

    fn strings(vm: &VirtualMachine, lines: Vec<String>) -> PyListRef {
        vm.ctx
            .new_list(lines.into_iter().map(|l| vm.ctx.new_str(l).into()).collect())
    }

    #[pyfunction]
    fn await_graph(vm: &VirtualMachine) -> PyListRef {
        strings(vm, crate::runtime::debug::await_graph())
    }

    #[pyfunction]
    fn iteration() -> u64 {
        crate::runtime::iteration()
    }

    /// A task or a future, for the functions that take either; a coroutine becomes a task.
    pub(crate) fn awaitable(
        obj: PyObjectRef,
        vm: &VirtualMachine,
    ) -> PyResult<(TaskOrFuture<PyObjectRef>, PyObjectRef)> {
        if let Some(task) = obj.downcast_ref::<PyTask>() {
            if let Some(t) = task.typed() {
                return Ok((TaskOrFuture::Task(t), obj));
            }
        }
        if let Some(future) = obj.downcast_ref::<PyFuture>() {
            return Ok((TaskOrFuture::Future(future.future()), obj));
        }
        if is_coroutine(&obj, vm) {
            let lp = running_loop().ok_or_else(|| no_loop(vm))?;
            let task = PyLoop::spawn(&lp, obj, None, vm)?;
            let typed = task
                .typed()
                .ok_or_else(|| vm.new_runtime_error("the task did not start"))?;
            return Ok((TaskOrFuture::Task(typed), task.into()));
        }
        if let Ok(awaitable) = vm.call_method(&obj, "__await__", ()) {
            // An object with `__await__`: run it in a task of its own, as ensure_future does.
            let module = vm.import("asyncio", 0)?;
            let wrapped = vm.call_method(&module, "_wrap_awaitable", (awaitable,))?;
            return self::awaitable(wrapped, vm);
        }
        Err(vm.new_type_error(format!(
            "An asyncio.Future, a coroutine or an awaitable is required, got {}",
            obj.repr(vm)?
        )))
    }

    #[pyfunction]
    fn ensure_future(obj: PyObjectRef, _loop: OptionalArg<PyObjectRef>, vm: &VirtualMachine) -> PyResult {
        // A gather is a future already (`futures.isfuture`): it is returned as it is.
        if obj.downcast_ref::<PyGather>().is_some() {
            return Ok(obj);
        }
        Ok(awaitable(obj, vm)?.1)
    }

    /// `asyncio.gather(*aws, return_exceptions=False)`. Of nothing, a plain future done with `[]`
    /// (as asyncio's `gather()` makes one).
    #[pyfunction]
    fn gather(aws: PosArgs, args: FuncArgs, vm: &VirtualMachine) -> PyResult {
        let return_exceptions = match args.kwargs.get("return_exceptions") {
            Some(v) => v.clone().try_to_bool(vm)?,
            None => false,
        };
        let mut children = Vec::new();
        for obj in aws {
            children.push(settle_ref(obj, vm)?);
        }
        let lp = running_loop();
        if children.is_empty() {
            let lp = lp.ok_or_else(|| no_loop(vm))?;
            let future = crate::runtime::Future::new();
            let _ = future.set_result(vm.ctx.new_list(Vec::new()).into());
            return Ok(PyFuture::from_future(future, Some(lp)).into_pyobject(vm));
        }
        let objects: Vec<PyObjectRef> = children.iter().map(|(_, o)| o.clone()).collect();
        let items: Vec<SettleRef<PyObjectRef>> = children.into_iter().map(|(a, _)| a).collect();
        let kind = if return_exceptions {
            GatherKind::Settled(crate::runtime::GatherSettled::of(items))
        } else {
            GatherKind::First(crate::runtime::Gather::of(items))
        };
        Ok(PyGather {
            kind,
            children: objects,
            lp,
            outcome: RefCell::new(None),
            cancelled_error: RefCell::new(None),
            callbacks: RefCell::default(),
        }
        .into_pyobject(vm))
    }

    /// A task, a future or a gather, as `gather` and `wait` watch it: a gather is a future
    /// there (its done callbacks are its own, not those of a task made to await it).
    fn settle_ref(obj: PyObjectRef, vm: &VirtualMachine) -> PyResult<(SettleRef<PyObjectRef>, PyObjectRef)> {
        if let Ok(gathering) = obj.clone().downcast::<PyGather>() {
            return Ok((SettleRef::other(Rc::new(GatherChild(gathering))), obj));
        }
        let (awaitable, obj) = awaitable(obj, vm)?;
        Ok((crate::runtime::Awaitable::settle_ref(&awaitable), obj))
    }

    /// A gather as another gather's child, or in a `wait`.
    struct GatherChild(PyRef<PyGather>);

    impl crate::runtime::ErasedSettle for GatherChild {
        fn key(&self) -> *const () {
            match &self.0.kind {
                GatherKind::First(g) => g.key(),
                GatherKind::Settled(g) => g.key(),
            }
        }
        fn task_name(&self) -> Option<Rc<str>> {
            None
        }
        fn task_id(&self) -> Option<crate::trace::TaskId> {
            None
        }
        fn add_done(&self, callback: Box<dyn FnOnce()>) -> CallbackId {
            match &self.0.kind {
                GatherKind::First(g) => g.add_done(callback),
                GatherKind::Settled(g) => g.add_done(callback),
            }
        }
        fn remove_done(&self, id: CallbackId) {
            match &self.0.kind {
                GatherKind::First(g) => g.remove_done(id),
                GatherKind::Settled(g) => g.remove_done(id),
            }
        }
        fn done(&self) -> bool {
            self.0.kind.done()
        }
        fn cancelled(&self) -> bool {
            false
        }
        fn exception(&self) -> Option<Error> {
            crate::runtime::TypedSettle::outcome(self).and_then(Result::err)
        }
        fn cancel(&self, message: Option<Rc<str>>) -> bool {
            match (&self.0.kind, message) {
                (GatherKind::First(g), Some(msg)) => g.cancel_with(msg),
                (GatherKind::First(g), None) => g.cancel(),
                (GatherKind::Settled(g), Some(msg)) => g.cancel_with(msg),
                (GatherKind::Settled(g), None) => g.cancel(),
            }
        }
    }

    impl crate::runtime::TypedSettle<PyObjectRef> for GatherChild {
        fn outcome(&self) -> Option<Result<PyObjectRef, Error>> {
            super::super::vm_do(self.0.as_object(), |vm| self.0.outcome(vm)).flatten()
        }
    }

    #[derive(Clone)]
    enum GatherKind {
        First(crate::runtime::Gather<PyObjectRef>),
        Settled(crate::runtime::GatherSettled<PyObjectRef>),
    }

    impl GatherKind {
        /// Its outcome if done (marking a failure retrieved), the results as a Python list.
        fn result(&self, vm: &VirtualMachine) -> Option<Result<PyObjectRef, Error>> {
            Some(match self {
                GatherKind::First(g) => g.result()?.map(|values| vm.ctx.new_list(values).into()),
                GatherKind::Settled(g) => g.result()?.map(|outcomes| results(vm, outcomes)),
            })
        }

        fn done(&self) -> bool {
            match self {
                GatherKind::First(g) => g.done(),
                GatherKind::Settled(g) => g.done(),
            }
        }
    }

    /// What `gather` returns, asyncio's `_GatheringFuture`: a future that any number of tasks
    /// may await (again once done), cancellable, with the future's methods. Its outcome is set
    /// by `set_result` or `set_exception` only, so it is never `cancelled()`: a cancellation is
    /// its exception.
    #[pyattr]
    #[pyclass(module = "asyncio", name = "_GatheringFuture")]
    #[derive(PyPayload)]
    pub(crate) struct PyGather {
        kind: GatherKind,
        children: Vec<PyObjectRef>,
        lp: Option<PyRef<PyLoop>>,
        /// Its outcome as Python objects, made once it is asked for: each await, `result()`
        /// and `exception()` gives the same list or the same exception.
        outcome: RefCell<Option<Result<PyObjectRef, Error>>>,
        /// What it failed with when it ended cancelled (CPython's outer future holds the
        /// exception it was given, so each await and `result()` raises the same object).
        cancelled_error: RefCell<Option<PyObjectRef>>,
        callbacks: Callbacks,
    }

    impl fmt::Debug for PyGather {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("_GatheringFuture")
        }
    }

    fn results(vm: &VirtualMachine, outcomes: Vec<Result<PyObjectRef, Error>>) -> PyObjectRef {
        let items: Vec<PyObjectRef> = outcomes
            .into_iter()
            .map(|o| match o {
                Ok(v) => v,
                Err(e) => to_exception(vm, &e).into(),
            })
            .collect();
        vm.ctx.new_list(items).into()
    }

    impl PyGather {
        /// An await of the gather, for the driver: a handle of its own on the gathering future
        /// (the gather stays here, so that `cancel()` and `done()` still work while a task
        /// awaits it).
        pub(crate) fn awaited(zelf: &Py<Self>) -> Waiting {
            let me: PyRef<PyGather> = zelf.to_owned();
            let mut handle = zelf.kind.clone();
            Box::pin(std::future::poll_fn(move |cx| {
                use std::task::Poll;
                let polled = match &mut handle {
                    GatherKind::First(g) => std::future::Future::poll(std::pin::Pin::new(g), cx).map(|r| r.map(|_| ())),
                    GatherKind::Settled(g) => {
                        std::future::Future::poll(std::pin::Pin::new(g), cx).map(|r| r.map(|_| ()))
                    }
                };
                let Poll::Ready(polled) = polled else {
                    return Poll::Pending;
                };
                // The gather's own outcome, unless the awaiting task was cancelled instead.
                let value = super::super::vm_do(me.as_object(), |vm| match polled {
                    Ok(()) => me.outcome(vm).unwrap_or_else(|| Err(Error::runtime("gather not done"))),
                    // Its own failure, or a cancellation of the awaiting task thrown in instead
                    // (the gather's failure is then retrieved, not raised).
                    Err(error) => match me.outcome(vm) {
                        Some(Err(own)) if own.is_cancelled() == error.is_cancelled() => Err(own),
                        _ => Err(error),
                    },
                })
                .unwrap_or_else(|| Err(Error::runtime("the interpreter is gone")));
                if let Err(Error::Cancelled(_)) = &value {
                    if let Some(exc) = me.cancelled_error.borrow().clone() {
                        crate::python::driver::raise_instead(exc);
                    }
                }
                Poll::Ready(value)
            }))
        }

        /// Its outcome once done, made into Python objects the first time it is asked for.
        fn outcome(&self, vm: &VirtualMachine) -> Option<Result<PyObjectRef, Error>> {
            if let Some(kept) = self.outcome.borrow().clone() {
                return Some(kept);
            }
            let value = self.kind.result(vm)?;
            if let Err(error @ Error::Cancelled(_)) = &value {
                *self.cancelled_error.borrow_mut() = Some(self.cancellation(vm, error));
            }
            *self.outcome.borrow_mut() = Some(value.clone());
            Some(value)
        }

        /// The exception it failed with (the very object each `result()` raises), once done.
        fn failure(&self, vm: &VirtualMachine) -> Option<rustpython_vm::builtins::PyBaseExceptionRef> {
            match self.outcome(vm)? {
                Ok(_) => None,
                Err(e) => Some(self.exception_object(vm, &e)),
            }
        }

        /// The exception object of its failure `error`.
        fn exception_object(&self, vm: &VirtualMachine, error: &Error) -> rustpython_vm::builtins::PyBaseExceptionRef {
            let kept = self.cancelled_error.borrow().clone();
            kept.and_then(|o| o.downcast().ok())
                .unwrap_or_else(|| to_exception(vm, error))
        }

        /// The exception for its cancellation `error`, which a child handed out (CPython's
        /// `outer.set_exception(fut._make_cancelled_error())`): the very CancelledError a child
        /// task's coroutine raised, when that was the child's first hand-out, else a new one.
        fn cancellation(&self, vm: &VirtualMachine, error: &Error) -> PyObjectRef {
            let raised = self
                .children
                .iter()
                .filter_map(|c| c.downcast_ref::<PyTask>())
                .find_map(|t| t.raised_cancelled_error());
            raised.unwrap_or_else(|| to_exception(vm, error)).into()
        }
    }

    #[pyclass(with(Representable))]
    impl PyGather {
        #[pymethod]
        fn cancel(zelf: PyRef<Self>, args: FuncArgs, vm: &VirtualMachine) -> PyResult<bool> {
            // `_GatheringFuture.cancel(msg)` cancels each child with `msg`.
            let msg = super::super::objects::cancel_message(&args, vm)?;
            Ok(crate::runtime::ErasedSettle::cancel(
                &GatherChild(zelf),
                msg.map(Rc::from),
            ))
        }

        #[pymethod]
        fn done(&self) -> bool {
            self.kind.done()
        }

        /// Always false: its cancellation is an exception it is given (see [`PyGather`]).
        #[pymethod]
        fn cancelled(&self) -> bool {
            false
        }

        #[pymethod]
        fn result(&self, vm: &VirtualMachine) -> PyResult {
            match self.outcome(vm) {
                Some(Ok(v)) => Ok(v),
                Some(Err(e)) => Err(self.exception_object(vm, &e)),
                None => Err(new_exception(vm, "InvalidStateError", "Result is not set.")),
            }
        }

        #[pymethod]
        fn exception(&self, vm: &VirtualMachine) -> PyResult {
            match self.outcome(vm) {
                Some(Ok(_)) => Ok(vm.ctx.none()),
                Some(Err(e)) => Ok(self.exception_object(vm, &e).into()),
                None => Err(new_exception(vm, "InvalidStateError", "Exception is not set.")),
            }
        }

        #[pymethod]
        fn get_loop(&self, vm: &VirtualMachine) -> PyObjectRef {
            self.lp.clone().map_or_else(|| vm.ctx.none(), Into::into)
        }

        #[pymethod]
        fn add_done_callback(zelf: PyRef<Self>, args: FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
            let run = done_callback(zelf.clone().into(), &zelf.callbacks, &args, vm)?;
            match &zelf.kind {
                GatherKind::First(g) => g.add_done_callback(run),
                GatherKind::Settled(g) => g.add_done_callback(run),
            }
            Ok(())
        }

        #[pymethod]
        fn remove_done_callback(&self, callback: PyObjectRef, vm: &VirtualMachine) -> PyResult<usize> {
            remove_callback(&self.callbacks, &callback, self.kind.done(), vm)
        }

        #[pymethod]
        fn __await__(zelf: PyRef<Self>) -> PyOp {
            PyOp::awaiting_future("gather", PyGather::awaited(&zelf))
        }

        #[pygetset]
        fn _children(&self, vm: &VirtualMachine) -> PyListRef {
            vm.ctx.new_list(self.children.clone())
        }
    }

    impl Representable for PyGather {
        /// `<_GatheringFuture pending>`, then `finished result=...` or `finished exception=...`.
        /// Reading the outcome here does not count as retrieving it.
        fn repr_str(zelf: &Py<Self>, vm: &VirtualMachine) -> PyResult<String> {
            let kept = zelf.outcome.borrow().clone();
            let outcome = match kept {
                Some(kept) => Some(kept),
                None => match &zelf.kind {
                    GatherKind::First(g) => g.peek().map(|r| r.map(|values| vm.ctx.new_list(values).into())),
                    GatherKind::Settled(g) => g.peek().map(|r| r.map(|outcomes| results(vm, outcomes))),
                },
            };
            Ok(match outcome {
                None => "<_GatheringFuture pending>".to_string(),
                Some(Ok(value)) => format!(
                    "<_GatheringFuture finished result={}>",
                    super::super::objects::short_repr(&value, vm)?
                ),
                Some(Err(e)) => format!(
                    "<_GatheringFuture finished exception={}>",
                    zelf.exception_object(vm, &e).as_object().repr(vm)?
                ),
            })
        }
    }

    /// What `call_soon`, `call_later` and `call_at` return.
    #[pyattr]
    #[pyclass(module = "asyncio", name = "TimerHandle")]
    #[derive(PyPayload)]
    pub(crate) struct PyHandle {
        handle: CallbackHandle,
        when: Option<f64>,
        cancelled: Cell<bool>,
    }

    impl fmt::Debug for PyHandle {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("TimerHandle")
        }
    }

    impl PyHandle {
        pub(crate) fn new(handle: CallbackHandle, when: Option<f64>) -> Self {
            PyHandle {
                handle,
                when,
                cancelled: Cell::new(false),
            }
        }
    }

    #[pyclass]
    impl PyHandle {
        #[pymethod]
        fn cancel(&self) {
            self.cancelled.set(true);
            self.handle.cancel();
        }

        #[pymethod]
        fn cancelled(&self) -> bool {
            self.cancelled.get()
        }

        #[pymethod]
        fn when(&self, vm: &VirtualMachine) -> PyObjectRef {
            self.when.map_or_else(|| vm.ctx.none(), |w| vm.ctx.new_float(w).into())
        }
    }

    /// `sys.stdout` and `sys.stderr`: what the program prints goes to the run's output (and
    /// each stdout line to the trace).
    #[pyattr]
    #[pyclass(module = "_looplab", name = "Output")]
    #[derive(Debug, PyPayload)]
    pub(crate) struct PyOutput {
        stream: u8,
    }

    impl Constructor for PyOutput {
        type Args = (u8,);

        fn py_new(
            _cls: &Py<rustpython_vm::builtins::PyType>,
            (stream,): (u8,),
            _vm: &VirtualMachine,
        ) -> PyResult<Self> {
            Ok(PyOutput { stream })
        }
    }

    #[pyclass(with(Constructor))]
    impl PyOutput {
        #[pymethod]
        fn write(&self, text: PyStrRef, vm: &VirtualMachine) -> usize {
            let text = text.to_string_lossy();
            let text = text.as_ref();
            if self.stream == 2 {
                lab().write_stderr(text);
            } else {
                lab().write_stdout(vm, text);
            }
            text.chars().count()
        }

        #[pymethod]
        fn flush(&self) {}

        #[pymethod]
        fn isatty(&self) -> bool {
            false
        }

        #[pymethod]
        fn writable(&self) -> bool {
            true
        }
    }

    /// The default `warnings.showwarning`: stderr, and the trace.
    #[pyfunction]
    fn show_warning(
        text: PyStrRef,
        category: PyStrRef,
        at: OptionalArg<Option<PyStrRef>>,
        of_an_object: OptionalArg<bool>,
        vm: &VirtualMachine,
    ) {
        let at = at.flatten().map(|a| a.to_string_lossy().to_string());
        let (text, category) = (text.to_string_lossy(), category.to_string_lossy());
        let out = lab().warning_text(&text, &category, at.as_deref(), of_an_object.unwrap_or(false));
        // Through `sys.stderr` as CPython writes it, so that a program may redirect it.
        let written = vm
            .sys_module
            .get_attr("stderr", vm)
            .and_then(|stderr| vm.call_method(&stderr, "write", (out.clone(),)));
        if written.is_err() {
            lab().write_stderr(&out);
        }
        crate::runtime::record_warning(&format!("{category}: {text}"));
    }

    /// `exc` with its chain and tracebacks, as CPython's default hook prints it (the lab's
    /// `traceback` module formats with it).
    #[pyfunction]
    fn format_exception(exc: rustpython_vm::builtins::PyBaseExceptionRef, vm: &VirtualMachine) -> String {
        super::super::convert::tidy_message(vm, &exc);
        let mut text = String::new();
        super::super::traceback::write_exception(vm, &mut text, &exc);
        text
    }

    /// `file:line` of the program's innermost frame.
    #[pyfunction]
    fn current_line(vm: &VirtualMachine) -> Option<String> {
        lab().current_line(vm)
    }

    #[pyfunction]
    fn is_exception(obj: PyObjectRef) -> bool {
        super::is_exception(&obj)
    }

    #[pyfunction]
    fn isfuture(obj: PyObjectRef) -> bool {
        obj.downcast_ref::<PyTask>().is_some()
            || obj.downcast_ref::<PyFuture>().is_some()
            || obj.downcast_ref::<PyGather>().is_some()
    }

    #[pyfunction]
    fn iscoroutine(obj: PyObjectRef, vm: &VirtualMachine) -> bool {
        is_coroutine(&obj, vm)
    }

    /// `asyncio.wait(fs, timeout=None, return_when=ALL_COMPLETED)`: (done, pending) as sets.
    #[pyfunction]
    fn wait(fs: PyObjectRef, args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyOp> {
        let items: Vec<PyObjectRef> = fs.try_to_value(vm)?;
        if items.is_empty() {
            return Err(vm.new_value_error("Set of Tasks/Futures is empty."));
        }
        let timeout = optional_seconds(args.kwargs.get("timeout").or(args.args.first()), vm)?;
        let return_when = match args.kwargs.get("return_when").or(args.args.get(1)) {
            Some(w) => w.str(vm)?.to_string_lossy().to_string(),
            None => "ALL_COMPLETED".to_string(),
        };
        let return_when = match return_when.as_str() {
            "FIRST_COMPLETED" => ReturnWhen::FirstCompleted,
            "FIRST_EXCEPTION" => ReturnWhen::FirstException,
            "ALL_COMPLETED" => ReturnWhen::AllCompleted,
            other => return Err(vm.new_value_error(format!("Invalid return_when value: {other}"))),
        };
        let mut pairs = Vec::new();
        for item in items {
            pairs.push(settle_ref(item, vm)?);
        }
        let awaitables: Vec<SettleRef<PyObjectRef>> = pairs.iter().map(|(a, _)| a.clone()).collect();
        let anchor = vm.ctx.none();
        Ok(PyOp::new(
            "wait",
            Box::pin(async move {
                crate::runtime::wait(awaitables, return_when, timeout).await?;
                super::super::vm_do(&anchor, |vm| {
                    let (done, pending): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(a, _)| a.done());
                    let set = |items: Vec<(SettleRef<PyObjectRef>, PyObjectRef)>| -> Result<PyObjectRef, Error> {
                        let list = vm.ctx.new_list(items.into_iter().map(|(_, o)| o).collect());
                        vm.ctx
                            .types
                            .set_type
                            .as_object()
                            .call((list,), vm)
                            .map_err(|e| super::super::convert::to_error(vm, e))
                    };
                    Ok(vm.ctx.new_tuple(vec![set(done)?, set(pending)?]).into())
                })
                .unwrap_or_else(|| Err(Error::runtime("the interpreter is gone")))
            }),
        ))
    }

    fn optional_seconds(obj: Option<&PyObjectRef>, vm: &VirtualMachine) -> PyResult<Option<f64>> {
        match obj {
            Some(o) if !vm.is_none(o) => Ok(Some(o.try_float(vm)?.to_f64())),
            _ => Ok(None),
        }
    }

    /// `asyncio.wait_for(aw, timeout)`, as CPython 3.11 has it.
    #[pyfunction]
    fn wait_for(aw: PyObjectRef, args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyOp> {
        let timeout = optional_seconds(args.args.first().or_else(|| args.kwargs.get("timeout")), vm)?;
        // A gather is awaited as the future it is (no task is made to await it).
        let (inner, task) = match aw.clone().downcast::<PyGather>() {
            Ok(gathering) => (WaitedFor::Gather(gathering), aw),
            Err(aw) => {
                let (awaitable, task) = awaitable(aw, vm)?;
                (WaitedFor::Other(awaitable), task)
            }
        };
        Ok(PyOp::new(
            "wait_for",
            Box::pin(async move {
                let outcome = match inner {
                    WaitedFor::Other(awaitable) => crate::runtime::wait_for(awaitable, timeout).await,
                    WaitedFor::Gather(gathering) if timeout.is_none() => PyGather::awaited(&gathering).await,
                    WaitedFor::Gather(gathering) => {
                        let child = SettleRef::other(Rc::new(GatherChild(gathering)));
                        crate::runtime::wait_for(child, timeout).await
                    }
                };
                match &outcome {
                    Err(error) if error.is_timeout() && error.payload().is_none() => {
                        timed_out_from_its_cancellation(&task).ok_or_else(|| Error::runtime("the interpreter is gone"))
                    }
                    Err(_) => {
                        // CPython's wait_for raises from its frame, which holds the task it ran.
                        crate::python::driver::hold_with_error(task);
                        outcome
                    }
                    Ok(_) => outcome,
                }
            }),
        ))
    }

    /// What `wait_for` waits for.
    enum WaitedFor {
        Gather(PyRef<PyGather>),
        Other(TaskOrFuture<PyObjectRef>),
    }

    thread_local! {
        /// What a timed-out wait_for hands its Python half (see [`timed_out`]).
        static TIMED_OUT: RefCell<Option<PyObjectRef>> = const { RefCell::new(None) };
    }

    /// A wait_for that timed out: what CPython's `fut.result()` raises there for the awaitable
    /// it cancelled (the very CancelledError a task's coroutine raised, so handed out, as there;
    /// else a new one). The Python half of `asyncio.wait_for` gets it as its result, raises it
    /// and `TimeoutError() from` it, so that `__cause__` and `__context__` are that exception and
    /// its own context what the awaiting code was handling, as on CPython. (Thrown in instead,
    /// RustPython would make the TimeoutError's context what the awaiting code was handling.)
    /// The exception holds the task, as CPython's wait_for frame does in its traceback.
    fn timed_out_from_its_cancellation(cancelled: &PyObjectRef) -> Option<PyObjectRef> {
        let cause = super::super::vm_do(cancelled.as_object(), |vm| {
            let cause = cancelled
                .downcast_ref::<PyTask>()
                .and_then(|t| t.raised_cancelled_error())
                .or_else(|| cancelled.downcast_ref::<PyGather>().and_then(|g| g.failure(vm)))
                .unwrap_or_else(|| to_exception(vm, &Error::cancelled()));
            crate::python::driver::hold_in(vm, &cause, cancelled.clone());
            cause
        })?;
        let cause: PyObjectRef = cause.into();
        TIMED_OUT.with(|t| *t.borrow_mut() = Some(cause.clone()));
        Some(cause)
    }

    /// Whether `result`, what `_looplab.wait_for` gave `asyncio.wait_for`, is the cancellation
    /// of a timeout (see [`timed_out_from_its_cancellation`]) rather than the awaitable's result.
    #[pyfunction]
    fn timed_out(result: PyObjectRef) -> bool {
        TIMED_OUT.with(|t| {
            let mut t = t.borrow_mut();
            let is = t.as_ref().is_some_and(|o| o.is(&result));
            if is {
                *t = None;
            }
            is
        })
    }

    /// `asyncio.shield(aw)`. Of a task or future already done, CPython returns it itself
    /// (`if inner.done(): return inner`): awaiting that asks the task, nothing is asked before.
    #[pyfunction]
    fn shield(aw: PyObjectRef, vm: &VirtualMachine) -> PyResult {
        let (awaitable, obj) = settle_ref(aw, vm)?;
        if awaitable.done() {
            return Ok(obj);
        }
        Ok(PyFuture::from_future(crate::runtime::shield(awaitable), running_loop())
            .into_ref(&vm.ctx)
            .into())
    }

    /// The native half of `asyncio.as_completed`: `next()` gives the awaitable of the next
    /// outcome in completion order.
    #[pyattr]
    #[pyclass(module = "_looplab", name = "AsCompleted")]
    #[derive(PyPayload)]
    pub(crate) struct PyAsCompleted {
        inner: RefCell<crate::runtime::AsCompleted<PyObjectRef>>,
    }

    impl fmt::Debug for PyAsCompleted {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("AsCompleted")
        }
    }

    #[pyfunction]
    fn as_completed(fs: PyObjectRef, args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyAsCompleted> {
        let timeout = optional_seconds(args.args.first().or_else(|| args.kwargs.get("timeout")), vm)?;
        let items: Vec<PyObjectRef> = fs.try_to_value(vm)?;
        let mut awaitables = Vec::new();
        for item in items {
            awaitables.push(settle_ref(item, vm)?.0);
        }
        Ok(PyAsCompleted {
            inner: RefCell::new(crate::runtime::as_completed(awaitables, timeout)),
        })
    }

    #[pyclass]
    impl PyAsCompleted {
        #[pymethod]
        fn next(&self) -> Option<PyOp> {
            let waiter = self.inner.borrow_mut().next_waiter()?;
            Some(PyOp::new("_wait_for_one", Box::pin(waiter)))
        }

        #[pymethod]
        fn remaining(&self) -> usize {
            self.inner.borrow().remaining()
        }
    }

    /// A seed for `random` when the program gives none: the lab's perturbation seed, or the
    /// wall clock.
    #[pyfunction]
    fn entropy() -> u64 {
        lab().entropy()
    }

    /// `None` for the loop methods that need one without a VM at hand.
    #[pyfunction]
    fn _none() -> PyObjectRef {
        none()
    }
}

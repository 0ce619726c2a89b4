//! asyncio's queues, locks, events, conditions, semaphores, timeouts, task groups and stream
//! readers, as native classes over looplab's own (which copy CPython 3.11's, waiter order and
//! all). A method that may wait returns a one-shot awaitable ([`PyOp`]) over the looplab future.

use std::cell::RefCell;
use std::fmt;

use rustpython_vm::builtins::{PyBaseException, PyBytesRef, PyType};
use rustpython_vm::function::{FuncArgs, OptionalArg};
use rustpython_vm::types::Constructor;
use rustpython_vm::{pyclass, AsObject, Py, PyObjectRef, PyPayload, PyRef, PyResult, VirtualMachine};

use super::convert::{to_error, to_exception};
use super::driver::Waiting;
use super::event_loop::{none, running_loop, PyLoop};
use super::objects::{PyOp, PyTask};
use super::vm_do;
use crate::runtime::{Condition, Error, Event, Lock, Queue, Semaphore, StreamReader, TaskGroup, Timeout};

fn raise(vm: &VirtualMachine, error: Error) -> rustpython_vm::builtins::PyBaseExceptionRef {
    to_exception(vm, &error)
}

/// Runs `f` with the timers it sets attributed, in the trace, to the program's line running now.
pub(crate) fn at_program_line<R>(vm: &VirtualMachine, f: impl FnOnce() -> R) -> R {
    let lab = super::lab();
    match lab.tracing().then(|| lab.current_line(vm)).flatten() {
        Some(at) => crate::runtime::at_source(&at, f),
        None => f(),
    }
}

/// An awaitable that is already done with `value` (what a method that never waits returns from
/// `__aexit__` and the like).
fn ready(name: &'static str, value: Result<PyObjectRef, Error>) -> PyOp {
    PyOp::new(name, Box::pin(async move { value }))
}

fn op<F>(name: &'static str, future: F) -> PyOp
where
    F: std::future::Future<Output = Result<PyObjectRef, Error>> + 'static,
{
    let future: Waiting = Box::pin(future);
    PyOp::new(name, future)
}

fn py_bool(value: bool) -> PyObjectRef {
    rustpython_vm::Context::genesis().new_bool(value).into()
}

/// A queue item: a Python object, ordered (for `PriorityQueue`) by Python's `<`. A comparison
/// that raises counts as "not less" and the error is raised by the `put` that compared.
#[derive(Clone)]
pub(crate) struct Item(PyObjectRef);

thread_local! {
    static COMPARE_ERROR: RefCell<Option<rustpython_vm::builtins::PyBaseExceptionRef>> = const { RefCell::new(None) };
}

impl PartialEq for Item {
    fn eq(&self, other: &Self) -> bool {
        self.0.is(&other.0)
    }
}

impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        if self.lt(other) {
            Some(std::cmp::Ordering::Less)
        } else {
            Some(std::cmp::Ordering::Greater)
        }
    }

    fn lt(&self, other: &Self) -> bool {
        vm_do(&self.0, |vm| {
            match self
                .0
                .rich_compare_bool(&other.0, rustpython_vm::types::PyComparisonOp::Lt, vm)
            {
                Ok(less) => less,
                Err(e) => {
                    COMPARE_ERROR.with(|c| *c.borrow_mut() = Some(e));
                    false
                }
            }
        })
        .unwrap_or(false)
    }
}

fn compare_error() -> Option<rustpython_vm::builtins::PyBaseExceptionRef> {
    COMPARE_ERROR.with(|c| c.borrow_mut().take())
}

/// `asyncio.Queue` (and, through `_kind`, `LifoQueue` and `PriorityQueue`).
#[pyclass(module = "asyncio", name = "Queue")]
#[derive(PyPayload)]
pub(crate) struct PyQueue {
    queue: Queue<Item>,
}

impl fmt::Debug for PyQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Queue")
    }
}

impl Constructor for PyQueue {
    type Args = FuncArgs;

    fn py_new(cls: &Py<PyType>, args: FuncArgs, vm: &VirtualMachine) -> PyResult<Self> {
        let maxsize = match args.args.first().or_else(|| args.kwargs.get("maxsize")) {
            Some(m) => m.try_int(vm)?.as_bigint().try_into().unwrap_or(0i64),
            None => 0,
        };
        let maxsize = usize::try_from(maxsize).unwrap_or(0);
        let kind = cls
            .as_object()
            .get_attr("_kind", vm)
            .ok()
            .and_then(|k| k.str(vm).ok())
            .map(|k| k.to_string_lossy().to_string())
            .unwrap_or_default();
        let queue = match kind.as_str() {
            "lifo" => Queue::lifo(maxsize),
            "priority" => Queue::priority(maxsize),
            _ => Queue::new(maxsize),
        };
        Ok(PyQueue { queue })
    }
}

#[pyclass(with(Constructor), flags(BASETYPE))]
impl PyQueue {
    #[pygetset]
    fn maxsize(&self) -> usize {
        self.queue.maxsize()
    }

    #[pymethod]
    fn qsize(&self) -> usize {
        self.queue.qsize()
    }

    #[pymethod]
    fn empty(&self) -> bool {
        self.queue.empty()
    }

    #[pymethod]
    fn full(&self) -> bool {
        self.queue.full()
    }

    #[pymethod]
    fn put_nowait(&self, item: PyObjectRef, vm: &VirtualMachine) -> PyResult<()> {
        let outcome = self.queue.put_nowait(Item(item));
        if let Some(e) = compare_error() {
            return Err(e);
        }
        outcome.map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn put(&self, item: PyObjectRef) -> PyOp {
        let queue = self.queue.clone();
        op("Queue.put", async move {
            queue.put(Item(item)).await?;
            Ok(none())
        })
    }

    #[pymethod]
    fn get_nowait(&self, vm: &VirtualMachine) -> PyResult {
        let got = self.queue.get_nowait();
        if let Some(e) = compare_error() {
            return Err(e);
        }
        got.map(|i| i.0).map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn get(&self) -> PyOp {
        let queue = self.queue.clone();
        op("Queue.get", async move { queue.get().await.map(|i| i.0) })
    }

    #[pymethod]
    fn task_done(&self, vm: &VirtualMachine) -> PyResult<()> {
        self.queue.task_done().map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn join(&self) -> PyOp {
        let queue = self.queue.clone();
        op("Queue.join", async move {
            queue.join().await?;
            Ok(none())
        })
    }

    #[pymethod]
    fn shutdown(&self, args: FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
        let immediate = match args.args.first().or_else(|| args.kwargs.get("immediate")) {
            Some(v) => v.clone().try_to_bool(vm)?,
            None => false,
        };
        self.queue.shutdown(immediate);
        Ok(())
    }
}

/// `asyncio.Lock`.
#[pyclass(module = "asyncio", name = "Lock")]
#[derive(PyPayload)]
pub(crate) struct PyLock {
    pub(crate) lock: Lock,
}

impl fmt::Debug for PyLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Lock")
    }
}

impl Constructor for PyLock {
    type Args = FuncArgs;

    fn py_new(_cls: &Py<PyType>, _args: FuncArgs, _vm: &VirtualMachine) -> PyResult<Self> {
        Ok(PyLock { lock: Lock::new() })
    }
}

#[pyclass(with(Constructor), flags(BASETYPE))]
impl PyLock {
    #[pymethod]
    fn locked(&self) -> bool {
        self.lock.locked()
    }

    #[pymethod]
    fn acquire(&self) -> PyOp {
        let lock = self.lock.clone();
        op("Lock.acquire", async move { lock.acquire().await.map(py_bool) })
    }

    #[pymethod]
    fn release(&self, vm: &VirtualMachine) -> PyResult<()> {
        self.lock.release().map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn __aenter__(&self) -> PyOp {
        let lock = self.lock.clone();
        op("Lock.__aenter__", async move {
            lock.acquire().await?;
            Ok(none())
        })
    }

    #[pymethod]
    fn __aexit__(&self, _args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyOp> {
        self.lock.release().map_err(|e| raise(vm, e))?;
        Ok(ready("Lock.__aexit__", Ok(none())))
    }
}

/// `asyncio.Event`.
#[pyclass(module = "asyncio", name = "Event")]
#[derive(PyPayload)]
pub(crate) struct PyEvent {
    event: Event,
}

impl fmt::Debug for PyEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Event")
    }
}

impl Constructor for PyEvent {
    type Args = FuncArgs;

    fn py_new(_cls: &Py<PyType>, _args: FuncArgs, _vm: &VirtualMachine) -> PyResult<Self> {
        Ok(PyEvent { event: Event::new() })
    }
}

#[pyclass(with(Constructor), flags(BASETYPE))]
impl PyEvent {
    #[pymethod]
    fn is_set(&self) -> bool {
        self.event.is_set()
    }

    #[pymethod]
    fn set(&self) {
        self.event.set();
    }

    #[pymethod]
    fn clear(&self) {
        self.event.clear();
    }

    #[pymethod]
    fn wait(&self) -> PyOp {
        let event = self.event.clone();
        op("Event.wait", async move { event.wait().await.map(py_bool) })
    }
}

/// `asyncio.Condition(lock=None)`.
#[pyclass(module = "asyncio", name = "Condition")]
#[derive(PyPayload)]
pub(crate) struct PyCondition {
    condition: Condition,
}

impl fmt::Debug for PyCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Condition")
    }
}

impl Constructor for PyCondition {
    type Args = FuncArgs;

    fn py_new(_cls: &Py<PyType>, args: FuncArgs, vm: &VirtualMachine) -> PyResult<Self> {
        let lock = args.args.first().or_else(|| args.kwargs.get("lock")).cloned();
        let condition = match lock {
            Some(l) if !vm.is_none(&l) => {
                let lock = l
                    .downcast_ref::<PyLock>()
                    .ok_or_else(|| vm.new_type_error("Condition() takes an asyncio.Lock"))?;
                Condition::with_lock(lock.lock.clone())
            }
            _ => Condition::new(),
        };
        Ok(PyCondition { condition })
    }
}

#[pyclass(with(Constructor), flags(BASETYPE))]
impl PyCondition {
    #[pymethod]
    fn locked(&self) -> bool {
        self.condition.locked()
    }

    #[pymethod]
    fn acquire(&self) -> PyOp {
        let condition = self.condition.clone();
        op(
            "Condition.acquire",
            async move { condition.acquire().await.map(py_bool) },
        )
    }

    #[pymethod]
    fn release(&self, vm: &VirtualMachine) -> PyResult<()> {
        self.condition.release().map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn wait(&self) -> PyOp {
        let condition = self.condition.clone();
        op("Condition.wait", async move { condition.wait().await.map(py_bool) })
    }

    #[pymethod]
    fn notify(&self, n: OptionalArg<usize>, vm: &VirtualMachine) -> PyResult<()> {
        self.condition.notify(n.unwrap_or(1)).map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn notify_all(&self, vm: &VirtualMachine) -> PyResult<()> {
        self.condition.notify_all().map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn __aenter__(&self) -> PyOp {
        let condition = self.condition.clone();
        op("Condition.__aenter__", async move {
            condition.acquire().await?;
            Ok(none())
        })
    }

    #[pymethod]
    fn __aexit__(&self, _args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyOp> {
        self.condition.release().map_err(|e| raise(vm, e))?;
        Ok(ready("Condition.__aexit__", Ok(none())))
    }
}

/// `asyncio.Semaphore(value=1)` (and `BoundedSemaphore` through `_bounded`).
#[pyclass(module = "asyncio", name = "Semaphore")]
#[derive(PyPayload)]
pub(crate) struct PySemaphore {
    semaphore: Semaphore,
}

impl fmt::Debug for PySemaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Semaphore")
    }
}

impl Constructor for PySemaphore {
    type Args = FuncArgs;

    fn py_new(cls: &Py<PyType>, args: FuncArgs, vm: &VirtualMachine) -> PyResult<Self> {
        let value: i64 = match args.args.first().or_else(|| args.kwargs.get("value")) {
            Some(v) => v.try_int(vm)?.as_bigint().try_into().unwrap_or(-1),
            None => 1,
        };
        let value = u32::try_from(value).map_err(|_| vm.new_value_error("Semaphore initial value must be >= 0"))?;
        let bounded = cls
            .as_object()
            .get_attr("_bounded", vm)
            .ok()
            .is_some_and(|b| b.try_to_bool(vm).unwrap_or(false));
        let semaphore = if bounded {
            Semaphore::bounded(value)
        } else {
            Semaphore::new(value)
        };
        Ok(PySemaphore { semaphore })
    }
}

#[pyclass(with(Constructor), flags(BASETYPE))]
impl PySemaphore {
    #[pygetset]
    fn _value(&self) -> i64 {
        self.semaphore.value()
    }

    #[pymethod]
    fn locked(&self) -> bool {
        self.semaphore.locked()
    }

    #[pymethod]
    fn acquire(&self) -> PyOp {
        let semaphore = self.semaphore.clone();
        op(
            "Semaphore.acquire",
            async move { semaphore.acquire().await.map(py_bool) },
        )
    }

    #[pymethod]
    fn release(&self, vm: &VirtualMachine) -> PyResult<()> {
        self.semaphore.release().map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn __aenter__(&self) -> PyOp {
        let semaphore = self.semaphore.clone();
        op("Semaphore.__aenter__", async move {
            semaphore.acquire().await?;
            Ok(none())
        })
    }

    #[pymethod]
    fn __aexit__(&self, _args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyOp> {
        self.semaphore.release().map_err(|e| raise(vm, e))?;
        Ok(ready("Semaphore.__aexit__", Ok(none())))
    }
}

/// The `Error` for how an `async with` block ended: `exc` (the exception, or None).
fn block_outcome(exc: &PyObjectRef, vm: &VirtualMachine) -> Result<(), Error> {
    match exc.clone().downcast::<PyBaseException>() {
        Ok(e) => Err(to_error(vm, e)),
        Err(_) => Ok(()),
    }
}

/// The exception argument of `__aexit__(typ, exc, tb)`.
fn aexit_exception(args: &FuncArgs, vm: &VirtualMachine) -> PyObjectRef {
    args.args.get(1).cloned().unwrap_or_else(|| vm.ctx.none())
}

/// The native half of `asyncio.Timeout` (the Python half is its `async with`).
#[pyclass(module = "_looplab", name = "Timeout")]
#[derive(PyPayload)]
pub(crate) struct PyTimeout {
    timeout: Timeout,
}

impl fmt::Debug for PyTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Timeout")
    }
}

fn optional_time(obj: Option<&PyObjectRef>, vm: &VirtualMachine) -> PyResult<Option<f64>> {
    match obj {
        Some(o) if !vm.is_none(o) => Ok(Some(o.try_float(vm)?.to_f64())),
        _ => Ok(None),
    }
}

impl Constructor for PyTimeout {
    type Args = FuncArgs;

    /// `Timeout(when)`: a deadline at loop time `when` (None: none yet).
    fn py_new(_cls: &Py<PyType>, args: FuncArgs, vm: &VirtualMachine) -> PyResult<Self> {
        let when = optional_time(args.args.first(), vm)?;
        Ok(PyTimeout {
            timeout: crate::runtime::timeout_at(when),
        })
    }
}

#[pyclass(with(Constructor))]
impl PyTimeout {
    #[pymethod]
    fn when(&self, vm: &VirtualMachine) -> PyObjectRef {
        self.timeout
            .when()
            .map_or_else(|| vm.ctx.none(), |w| vm.ctx.new_float(w).into())
    }

    #[pymethod]
    fn reschedule(&self, when: PyObjectRef, vm: &VirtualMachine) -> PyResult<()> {
        let when = optional_time(Some(&when), vm)?;
        at_program_line(vm, || self.timeout.reschedule(when)).map_err(|e| raise(vm, e))
    }

    #[pymethod]
    fn expired(&self) -> bool {
        self.timeout.expired()
    }

    #[pymethod]
    fn enter(&self, vm: &VirtualMachine) -> PyResult<()> {
        at_program_line(vm, || self.timeout.enter_current()).map_err(|e| raise(vm, e))
    }

    /// True when the block's cancellation was this deadline's: `__aexit__` then raises
    /// `TimeoutError` from it.
    #[pymethod]
    fn exit(&self, exc: PyObjectRef, vm: &VirtualMachine) -> bool {
        let outcome = block_outcome(&exc, vm);
        let was_timeout = outcome.as_ref().err().is_some_and(Error::is_timeout);
        let after = self.timeout.exit_current(outcome);
        !was_timeout && after.err().is_some_and(|e| e.is_timeout())
    }
}

/// `asyncio.TaskGroup`.
#[pyclass(module = "asyncio", name = "TaskGroup")]
#[derive(PyPayload)]
pub(crate) struct PyTaskGroup {
    group: TaskGroup,
    lp: RefCell<Option<PyRef<PyLoop>>>,
}

impl fmt::Debug for PyTaskGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TaskGroup")
    }
}

impl Constructor for PyTaskGroup {
    type Args = FuncArgs;

    fn py_new(_cls: &Py<PyType>, _args: FuncArgs, _vm: &VirtualMachine) -> PyResult<Self> {
        Ok(PyTaskGroup {
            group: TaskGroup::new(),
            lp: RefCell::new(None),
        })
    }
}

#[pyclass(with(Constructor), flags(BASETYPE))]
impl PyTaskGroup {
    #[pymethod]
    fn __aenter__(zelf: PyRef<Self>, vm: &VirtualMachine) -> PyResult<PyOp> {
        *zelf.lp.borrow_mut() = running_loop();
        zelf.group.enter().map_err(|e| raise(vm, e))?;
        let me: PyObjectRef = zelf.into();
        Ok(ready("TaskGroup.__aenter__", Ok(me)))
    }

    #[pymethod]
    fn __aexit__(&self, args: FuncArgs, vm: &VirtualMachine) -> PyOp {
        let exc = aexit_exception(&args, vm);
        let outcome = block_outcome(&exc, vm);
        let group = self.group.clone();
        op("TaskGroup.__aexit__", async move {
            group.exit(outcome).await?;
            Ok(none())
        })
    }

    #[pymethod]
    fn create_task(&self, args: FuncArgs, vm: &VirtualMachine) -> PyResult<PyRef<PyTask>> {
        let (coro, name) = super::event_loop::task_args(args, vm)?;
        let lp = self
            .lp
            .borrow()
            .clone()
            .or_else(running_loop)
            .ok_or_else(|| vm.new_runtime_error("no running event loop"))?;
        let group = self.group.clone();
        let spawned = PyLoop::spawn_with(&lp, coro, vm, move |body| match name {
            Some(name) => group.spawn_named(name, body),
            None => group.spawn(body),
        });
        match spawned {
            Ok(task) => Ok(task),
            Err(Spawn::Python(e)) => Err(e),
            Err(Spawn::Looplab(e, coro)) => {
                // asyncio closes the coroutine it could not run.
                let _ = vm.call_method(&coro, "close", ());
                Err(raise(vm, e))
            }
        }
    }
}

/// Why a task could not be created.
pub(crate) enum Spawn {
    /// The arguments were wrong.
    Python(rustpython_vm::builtins::PyBaseExceptionRef),
    /// looplab refused (a task group that is finished or shutting down): the error and the
    /// coroutine that will not run.
    Looplab(Error, PyObjectRef),
}

/// `asyncio.StreamReader`.
#[pyclass(module = "asyncio", name = "StreamReader")]
#[derive(PyPayload)]
pub(crate) struct PyStreamReader {
    reader: StreamReader,
}

impl fmt::Debug for PyStreamReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StreamReader")
    }
}

impl Constructor for PyStreamReader {
    type Args = FuncArgs;

    fn py_new(_cls: &Py<PyType>, _args: FuncArgs, _vm: &VirtualMachine) -> PyResult<Self> {
        Ok(PyStreamReader {
            reader: StreamReader::new(),
        })
    }
}

fn bytes_op<F>(name: &'static str, future: F) -> PyOp
where
    F: std::future::Future<Output = Result<Vec<u8>, Error>> + 'static,
{
    op(name, async move {
        let data = future.await?;
        Ok(rustpython_vm::Context::genesis().new_bytes(data).into())
    })
}

#[pyclass(with(Constructor))]
impl PyStreamReader {
    #[pymethod]
    fn feed_data(&self, data: PyBytesRef) {
        self.reader.feed_data(data.as_bytes());
    }

    #[pymethod]
    fn feed_eof(&self) {
        self.reader.feed_eof();
    }

    #[pymethod]
    fn at_eof(&self) -> bool {
        self.reader.at_eof()
    }

    #[pymethod]
    fn readline(&self) -> PyOp {
        let reader = self.reader.clone();
        bytes_op("StreamReader.readline", async move { reader.readline().await })
    }

    #[pymethod]
    fn readuntil(&self, separator: OptionalArg<PyBytesRef>) -> PyOp {
        let reader = self.reader.clone();
        let separator = separator.map_or_else(|| b"\n".to_vec(), |s| s.as_bytes().to_vec());
        bytes_op(
            "StreamReader.readuntil",
            async move { reader.readuntil(&separator).await },
        )
    }

    #[pymethod]
    fn read(&self, n: OptionalArg<isize>) -> PyOp {
        let reader = self.reader.clone();
        let n = n.unwrap_or(-1);
        bytes_op("StreamReader.read", async move {
            reader.read(usize::try_from(n).unwrap_or(usize::MAX)).await
        })
    }

    #[pymethod]
    fn readexactly(&self, n: usize) -> PyOp {
        let reader = self.reader.clone();
        bytes_op("StreamReader.readexactly", async move { reader.readexactly(n).await })
    }
}

/// The classes this file defines, by the names `_looplab` gives them.
pub(crate) fn classes() -> Vec<(&'static str, PyObjectRef)> {
    use rustpython_vm::class::PyClassImpl;
    vec![
        ("Queue", PyQueue::make_static_type().into()),
        ("Lock", PyLock::make_static_type().into()),
        ("Event", PyEvent::make_static_type().into()),
        ("Condition", PyCondition::make_static_type().into()),
        ("Semaphore", PySemaphore::make_static_type().into()),
        ("Timeout", PyTimeout::make_static_type().into()),
        ("TaskGroup", PyTaskGroup::make_static_type().into()),
        ("StreamReader", PyStreamReader::make_static_type().into()),
    ]
}

/// The exception of an object given to `raise`, if it is one.
#[allow(dead_code)]
fn exception_of(obj: &PyObjectRef) -> Option<&Py<PyBaseException>> {
    obj.downcast_ref::<PyBaseException>()
}

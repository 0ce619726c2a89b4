//! Exceptions both ways: a Python exception becomes a looplab [`Error`] that carries the very
//! exception object (so `gather`, task groups and `wait` hand it on unchanged), and an `Error`
//! made by the executor itself (a cancellation, a `TimeoutError`, a task group's
//! `ExceptionGroup`) becomes the Python exception asyncio would raise.

use std::cell::RefCell;
use std::rc::Rc;

use rustpython_vm::builtins::{PyBaseException, PyBaseExceptionRef, PyStr, PyTypeRef};
use rustpython_vm::{AsObject, PyObjectRef, VirtualMachine};

use crate::runtime::{Error, Payload};

/// The payload an [`Error`] carries for an exception a Python program raised.
struct Held(PyObjectRef);

/// asyncio's own exception classes, made once per interpreter.
#[derive(Clone)]
pub(crate) struct Classes {
    pub cancelled_error: PyTypeRef,
    pub invalid_state_error: PyTypeRef,
    pub queue_empty: PyTypeRef,
    pub queue_full: PyTypeRef,
    pub queue_shut_down: PyTypeRef,
    pub incomplete_read_error: PyTypeRef,
    pub limit_overrun_error: PyTypeRef,
    /// What a budget or the Stop button raises to end a run: a `BaseException`, so that
    /// `except Exception` does not swallow it.
    pub stopped: PyTypeRef,
}

thread_local! {
    static CLASSES: RefCell<Option<Classes>> = const { RefCell::new(None) };
}

impl Classes {
    pub(crate) fn make(vm: &VirtualMachine) -> Classes {
        let ctx = &vm.ctx;
        let exc = || Some(vec![ctx.exceptions.exception_type.to_owned()]);
        let base = Some(vec![ctx.exceptions.base_exception_type.to_owned()]);
        // Each in the module CPython defines it in (`<class 'asyncio.exceptions.CancelledError'>`,
        // and a traceback names it so).
        let classes = Classes {
            cancelled_error: ctx.new_exception_type("asyncio.exceptions", "CancelledError", base.clone()),
            invalid_state_error: ctx.new_exception_type("asyncio.exceptions", "InvalidStateError", exc()),
            queue_empty: ctx.new_exception_type("asyncio.queues", "QueueEmpty", exc()),
            queue_full: ctx.new_exception_type("asyncio.queues", "QueueFull", exc()),
            queue_shut_down: ctx.new_exception_type("asyncio.queues", "QueueShutDown", exc()),
            incomplete_read_error: ctx.new_exception_type(
                "asyncio.exceptions",
                "IncompleteReadError",
                Some(vec![ctx.exceptions.eof_error.to_owned()]),
            ),
            limit_overrun_error: ctx.new_exception_type("asyncio.exceptions", "LimitOverrunError", exc()),
            stopped: ctx.new_exception_type("looplab", "Stopped", base),
        };
        CLASSES.with(|c| *c.borrow_mut() = Some(classes.clone()));
        classes
    }

    pub(crate) fn get() -> Classes {
        CLASSES
            .with(|c| c.borrow().clone())
            .expect("the lab's classes are made with the interpreter")
    }
}

/// `str(exc)`, or the class name when `__str__` fails.
pub(crate) fn exception_text(vm: &VirtualMachine, exc: &PyObjectRef) -> String {
    match exc.str(vm) {
        Ok(s) => s.to_string(),
        Err(_) => exc.class().name().to_string(),
    }
}

/// CPython's words for a runaway recursion.
const RECURSION_MESSAGE: &str = "maximum recursion depth exceeded";

/// RustPython words the RecursionError of a Python call "maximum recursion depth exceeded "
/// (an empty "where" after a space), and the one its guard of the native stack raises as an
/// empty string; CPython says "maximum recursion depth exceeded". The lab says it CPython's
/// way as the exception leaves the program (a task's step, the main program), so that its
/// `str()`, its `repr()`, the traceback and the page all read as on CPython.
///
/// Likewise RustPython words a local variable read before it is assigned as Python 3.10 did
/// ("local variable 'x' referenced before assignment"), where 3.11 says "cannot access local
/// variable 'x' where it is not associated with a value".
pub(crate) fn tidy_message(vm: &VirtualMachine, exc: &PyBaseExceptionRef) {
    let recursion = exc.class().is(vm.ctx.exceptions.recursion_error);
    if !recursion && !exc.class().is(vm.ctx.exceptions.unbound_local_error) {
        return;
    }
    let args = exc.args();
    let [message] = args.as_slice() else { return };
    let Some(text) = message.downcast_ref::<PyStr>().and_then(|s| s.to_str()) else {
        return;
    };
    let tidied = if recursion {
        (text.is_empty() || (text != RECURSION_MESSAGE && text.trim_end() == RECURSION_MESSAGE))
            .then(|| RECURSION_MESSAGE.to_string())
    } else {
        text.strip_prefix("local variable '")
            .and_then(|rest| rest.strip_suffix("' referenced before assignment"))
            .map(|name| format!("cannot access local variable '{name}' where it is not associated with a value"))
    };
    if let Some(tidied) = tidied {
        let args = vm.new_tuple((vm.ctx.new_str(tidied),));
        let _ = exc.as_object().set_attr("args", args, vm);
    }
}

/// The [`Error`] for an exception a coroutine raised: a cancellation for `CancelledError`,
/// otherwise an exception carrying the object itself.
pub(crate) fn to_error(vm: &VirtualMachine, exc: PyBaseExceptionRef) -> Error {
    tidy_message(vm, &exc);
    let classes = Classes::get();
    let obj: PyObjectRef = exc.clone().into();
    if obj.fast_isinstance(&classes.cancelled_error) {
        let message = exc.get_arg(0).map(|m| exception_text(vm, &m));
        return Error::Cancelled(message.map(Rc::from));
    }
    let kind = obj.class().name().to_string();
    let message = exception_text(vm, &obj);
    Error::with_payload(kind, message, Payload(Rc::new(Held(obj))))
}

/// The Python exception for an [`Error`]: the object a program raised, or a new exception of the
/// class the executor named.
pub(crate) fn to_exception(vm: &VirtualMachine, error: &Error) -> PyBaseExceptionRef {
    if let Some(obj) = error.payload().and_then(|p| p.0.downcast_ref::<Held>()) {
        if let Ok(exc) = obj.0.clone().downcast::<PyBaseException>() {
            return exc;
        }
    }
    let classes = Classes::get();
    match error {
        Error::Cancelled(message) => {
            let args = message.iter().map(|m| vm.ctx.new_str(m.as_ref()).into()).collect();
            instantiate(vm, classes.cancelled_error.clone(), args)
        }
        Error::Group(group) => {
            let members: Vec<PyObjectRef> = group.errors().iter().map(|e| to_exception(vm, e).into()).collect();
            let class: PyObjectRef = if group.errors().iter().any(|e| e.is_cancelled()) {
                vm.ctx.exceptions.base_exception_group.to_owned().into()
            } else {
                rustpython_vm::exceptions::exception_group().to_owned().into()
            };
            let made = class.call((group.message().to_string(), vm.ctx.new_list(members)), vm);
            match made.and_then(|o| {
                o.downcast::<PyBaseException>()
                    .map_err(|_| vm.new_type_error("not an exception"))
            }) {
                Ok(exc) => exc,
                Err(e) => e,
            }
        }
        Error::Exception(e) => new_exception(vm, e.kind(), e.message()),
    }
}

/// A new exception of the class called `kind` (asyncio's or a builtin), with `message`.
pub(crate) fn new_exception(vm: &VirtualMachine, kind: &str, message: &str) -> PyBaseExceptionRef {
    let classes = Classes::get();
    let class = match kind {
        "CancelledError" => Some(classes.cancelled_error),
        "InvalidStateError" => Some(classes.invalid_state_error),
        "QueueEmpty" => Some(classes.queue_empty),
        "QueueFull" => Some(classes.queue_full),
        "QueueShutDown" => Some(classes.queue_shut_down),
        "IncompleteReadError" => Some(classes.incomplete_read_error),
        _ => vm
            .builtins
            .get_attr(&vm.ctx.new_str(kind), vm)
            .ok()
            .and_then(|c| c.downcast::<rustpython_vm::builtins::PyType>().ok())
            .filter(|c| c.fast_issubclass(vm.ctx.exceptions.base_exception_type)),
    };
    match class {
        Some(class) if message.is_empty() => instantiate(vm, class, vec![]),
        Some(class) => instantiate(vm, class, vec![vm.ctx.new_str(message).into()]),
        None => vm.new_runtime_error(format!("{kind}: {message}")),
    }
}

/// `class(*args)` for an exception class (by calling it: `vm.new_exception` refuses classes
/// with a payload of their own, such as `TimeoutError`, an `OSError`).
pub(crate) fn instantiate(vm: &VirtualMachine, class: PyTypeRef, args: Vec<PyObjectRef>) -> PyBaseExceptionRef {
    match vm.invoke_exception(class, args) {
        Ok(exc) => exc,
        Err(e) => e,
    }
}

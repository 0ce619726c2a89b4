//! asyncio's warnings in the lab: a coroutine that is never awaited is reported when it is
//! destroyed, as CPython reports it (`RuntimeWarning: coroutine 'f' was never awaited`),
//! through the `warnings` module, so that `warnings.showwarning` (which the twin helper
//! replaces) decides where the line goes.

use rustpython_vm::builtins::PyCoroutine;
use rustpython_vm::{AsObject, PyObject, PyResult, VirtualMachine};

/// Makes coroutine objects report themselves when destroyed without ever having run.
pub(crate) fn install(vm: &VirtualMachine) {
    vm.ctx.types.coroutine_type.slots.del.store(Some(coroutine_del));
}

/// The coroutine type's finaliser: CPython's `_PyGen_Finalize` for coroutines.
fn coroutine_del(zelf: &PyObject, vm: &VirtualMachine) -> PyResult<()> {
    let Some(coroutine) = zelf.downcast_ref::<PyCoroutine>() else {
        return Ok(());
    };
    let coro = coroutine.as_coro();
    if coro.closed() || coro.running() {
        return Ok(());
    }
    if coro.frame().lasti() == 0 {
        never_awaited(vm, &coro.qualname().to_string_lossy(), zelf);
        coro.close(zelf, vm)?;
        return Ok(());
    }
    coro.close(zelf, vm).map(|_| ())
}

/// `RuntimeWarning: coroutine 'name' was never awaited`, through `warnings.warn`.
/// The coroutine is the warning's `source`, as in CPython (whose display then adds the note
/// about tracemalloc).
pub(crate) fn never_awaited(vm: &VirtualMachine, name: &str, coroutine: &PyObject) {
    let message = format!("coroutine '{name}' was never awaited");
    let warned = vm.import("warnings", 0).and_then(|warnings| {
        let category = vm.ctx.exceptions.runtime_warning.to_owned();
        let args = (message.clone(), category, 1, coroutine.to_owned());
        vm.call_method(warnings.as_object(), "warn", args)
    });
    if warned.is_err() {
        super::lab().warning(&message, "RuntimeWarning", None, true);
    }
}

//! `_ast`, made when a program asks for it. RustPython's VM imports its `_ast` module as it
//! starts, and that module makes and fills a class for each of the hundred-odd node types of
//! Python's grammar: about a fifth of a small program's whole run natively (counted with
//! callgrind), and more in the page, where each function's first call compiles it. The lab has
//! no `ast` module, so the VM gets an empty `_ast` instead ([`placeholder`]), and `compile()`
//! makes the real one the first time a program asks it for a syntax tree.

use rustpython_vm::builtins::PyModuleDef;
use rustpython_vm::function::FuncArgs;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};

/// `compile()`'s flag that asks for a syntax tree instead of code (CPython's `PyCF_ONLY_AST`).
const ONLY_AST: i64 = 0x400;

#[rustpython_vm::pymodule(name = "_ast")]
mod placeholder {}

/// The empty `_ast` the VM imports as it starts.
pub(crate) fn placeholder_def(ctx: &rustpython_vm::Context) -> &'static PyModuleDef {
    placeholder::module_def(ctx)
}

/// Wraps the builtin `compile()`: a call that asks for a syntax tree makes the real `_ast`
/// first (its node classes), then every call goes on to RustPython's `compile()` unchanged.
pub(crate) fn install(vm: &VirtualMachine) -> PyResult<()> {
    let builtin = vm.builtins.get_attr("compile", vm)?;
    let compile = vm.new_function("compile", move |args: FuncArgs, vm: &VirtualMachine| -> PyResult {
        if asks_for_a_tree(&args, vm) {
            real_ast(vm)?;
        }
        builtin.call(args, vm)
    });
    vm.builtins.set_attr("compile", compile, vm)
}

/// `compile(source, filename, mode, flags=0, ...)` with `PyCF_ONLY_AST` in its flags.
fn asks_for_a_tree(args: &FuncArgs, vm: &VirtualMachine) -> bool {
    let flags = args.args.get(3).or_else(|| args.kwargs.get("flags"));
    flags
        .and_then(|f| f.try_int(vm).ok())
        .and_then(|i| i64::try_from(i.as_bigint()).ok())
        .is_some_and(|f| f & ONLY_AST != 0)
}

/// RustPython's `_ast`, made (once per run) and put in `sys.modules` in place of the placeholder.
fn real_ast(vm: &VirtualMachine) -> PyResult<()> {
    let modules = vm.sys_module.get_attr("modules", vm)?;
    let current: Option<PyObjectRef> = modules.get_item("_ast", vm).ok();
    if current.is_some_and(|m| m.get_attr("AST", vm).is_ok()) {
        return Ok(());
    }
    let Some(def) = rustpython_vm::stdlib::builtin_module_defs(&vm.ctx)
        .into_iter()
        .find(|d| d.name.as_str() == "_ast")
    else {
        return Err(vm.new_import_error("the VM has no _ast module", vm.ctx.new_str("_ast")));
    };
    let module = def.create_module(vm)?;
    def.exec_module(vm, &module)?;
    modules.set_item("_ast", module.into(), vm)
}

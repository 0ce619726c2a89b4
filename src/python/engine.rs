//! One run of a Python program: a fresh interpreter with the lab's modules, the program's
//! output, the traces of the loops it ran, the budgets, and how it ended.

use std::cell::RefCell;
use std::rc::Rc;

use rustpython_vm::builtins::{PyBaseException, PyBaseExceptionRef};
use rustpython_vm::compiler::Mode;
use rustpython_vm::{AsObject, Interpreter, PyObjectRef, VirtualMachine};

use super::convert::Classes;
use crate::runtime::{ClockKind, Loop, LoopOptions};
use crate::trace::Trace;

/// How a program runs.
#[derive(Clone, Debug)]
pub struct LabOptions {
    /// Virtual (the default: sleeps take no time, as with looptime) or real time.
    pub clock: ClockKind,
    /// Perturb every timer by a factor drawn from this seed (see [`LoopOptions::seed`]).
    pub seed: Option<u64>,
    /// Record a trace of each loop the program runs.
    pub trace: bool,
    /// `sys.argv[1:]`.
    pub args: Vec<String>,
    /// The limits that end a runaway program.
    pub budgets: Budgets,
}

impl Default for LabOptions {
    fn default() -> Self {
        LabOptions {
            clock: ClockKind::Virtual,
            seed: None,
            trace: false,
            args: Vec::new(),
            budgets: Budgets::default(),
        }
    }
}

/// The limits of one run. A program that reaches one is stopped with a message naming it.
#[derive(Clone, Debug)]
pub struct Budgets {
    /// Loop iterations, summed over every loop the program runs (a `sleep(0)` spinner).
    pub steps: u64,
    /// Seconds of real time for the whole program (natively; in the page the worker is
    /// terminated instead).
    pub seconds: Option<f64>,
    /// Bytes of memory (in the page, the wasm memory; natively unchecked).
    pub memory: Option<usize>,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            steps: 1_000_000,
            seconds: Some(10.0),
            memory: Some(512 << 20),
        }
    }
}

/// How a program ended.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Exit {
    /// It ran to the end.
    Finished,
    /// An exception escaped it: its class and `str()`. The traceback is on stderr.
    Raised {
        /// The class name.
        class: String,
        /// `str(exc)`.
        message: String,
    },
    /// `sys.exit(code)`.
    SystemExit {
        /// The code.
        code: i32,
    },
    /// It did not compile: nothing ran.
    SyntaxError {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A budget ended it; the text names the limit.
    Stopped {
        /// Which limit, in words.
        reason: String,
    },
}

/// What a run produced.
#[derive(Clone, Debug)]
pub struct LabRun {
    /// Everything printed to `sys.stdout`.
    pub stdout: String,
    /// Tracebacks, warnings and asyncio's error reports, as CPython prints them to stderr.
    pub stderr: String,
    /// How it ended.
    pub exit: Exit,
    /// One trace per loop run (`asyncio.run` or `run_until_complete`), when tracing was on.
    pub traces: Vec<Trace>,
}

impl LabRun {
    /// The process exit status the CLI gives: 0 when it finished, 1 when it raised (or was
    /// stopped), 2 for a syntax error, the code of `sys.exit`.
    pub fn status(&self) -> i32 {
        match &self.exit {
            Exit::Finished => 0,
            Exit::Raised { .. } | Exit::Stopped { .. } => 1,
            Exit::SyntaxError { .. } => 2,
            Exit::SystemExit { code } => *code,
        }
    }
}

/// The state of the run in progress (one per thread).
pub(crate) struct LabState {
    options: LabOptions,
    pub(crate) filename: String,
    /// The program's text, for the source line under a warning (the page has no file to read).
    source: String,
    stdout: RefCell<String>,
    stderr: RefCell<String>,
    /// The part of the current stdout line not yet traced.
    line: RefCell<String>,
    traces: RefCell<Vec<Trace>>,
    /// Iterations run by the loops that have finished.
    iterations: std::cell::Cell<u64>,
    stopped: RefCell<Option<String>>,
    /// Loops closed with pending tasks, destroyed when the program ends.
    closed_loops: RefCell<Vec<Rc<Loop>>>,
    /// The tasks that failed (weakly, with their loops), in the order they failed: those still
    /// alive when the program ends are reported then if nobody retrieved the failure.
    failed: RefCell<
        Vec<(
            crate::runtime::WeakTaskRef,
            Option<rustpython_vm::PyRef<rustpython_vm::builtins::PyWeak>>,
        )>,
    >,
    #[cfg(not(target_arch = "wasm32"))]
    started: std::time::Instant,
}

thread_local! {
    static LAB: RefCell<Option<Rc<LabState>>> = const { RefCell::new(None) };
}

/// The run in progress (a default one if none is: a library caller outside [`run_source`]).
pub(crate) fn lab() -> Rc<LabState> {
    LAB.with(|l| {
        l.borrow_mut()
            .get_or_insert_with(|| Rc::new(LabState::new(LabOptions::default(), "main.py", "")))
            .clone()
    })
}

/// The budgets as the loop driver checks them.
pub(crate) struct Budget {
    steps: u64,
    spent: u64,
    memory: Option<usize>,
    #[cfg(not(target_arch = "wasm32"))]
    deadline: Option<std::time::Instant>,
}

impl Budget {
    /// Which limit the run has gone past, if any.
    pub(crate) fn exceeded(&self, lp: &Loop) -> Option<String> {
        if self.spent + lp.iteration() > self.steps {
            return Some(format!(
                "the program was stopped after {} loop iterations (the step budget)",
                self.steps
            ));
        }
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(deadline) = self.deadline {
            if lp.iteration().is_multiple_of(64) && std::time::Instant::now() > deadline {
                return Some(time_message(lab().options.budgets.seconds.unwrap_or(0.0)));
            }
        }
        #[cfg(target_arch = "wasm32")]
        if let Some(limit) = self.memory {
            // The wasm memory only grows: a program past the limit is stopped between steps.
            let bytes = core::arch::wasm32::memory_size(0) * 65536;
            if bytes > limit {
                return Some(memory_message(limit));
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = self.memory;
        None
    }

    /// Real clock: wait until loop time `until`.
    pub(crate) fn wait_until(&self, lp: &Loop, until: f64) {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let wait = until - lp.time();
            if wait > 0.0 {
                std::thread::sleep(std::time::Duration::from_secs_f64(wait.min(3600.0)));
            }
        }
        #[cfg(target_arch = "wasm32")]
        {
            // A worker may block: spin until the deadline (the page can terminate it).
            while lp.time() < until {
                std::hint::spin_loop();
            }
        }
    }
}

/// The message of the time budget.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) fn time_message(seconds: f64) -> String {
    format!("the program was stopped after {seconds} s (the time budget)")
}

/// The message of the memory budget.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn memory_message(bytes: usize) -> String {
    format!(
        "the program was stopped at {} MB of memory (the memory budget)",
        bytes >> 20
    )
}

impl LabState {
    fn new(options: LabOptions, filename: &str, source: &str) -> Self {
        LabState {
            options,
            filename: filename.to_string(),
            source: source.to_string(),
            stdout: RefCell::default(),
            stderr: RefCell::default(),
            line: RefCell::default(),
            traces: RefCell::default(),
            iterations: std::cell::Cell::new(0),
            stopped: RefCell::new(None),
            closed_loops: RefCell::default(),
            failed: RefCell::default(),
            #[cfg(not(target_arch = "wasm32"))]
            started: std::time::Instant::now(),
        }
    }

    /// A seed for an unseeded `random`.
    pub(crate) fn entropy(&self) -> u64 {
        if let Some(seed) = self.options.seed {
            return seed;
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0)
        }
        #[cfg(target_arch = "wasm32")]
        {
            js_sys::Date::now() as u64
        }
    }

    /// Whether the run records traces.
    pub(crate) fn tracing(&self) -> bool {
        self.options.trace
    }

    /// The options of a new loop.
    pub(crate) fn loop_options(&self) -> LoopOptions {
        LoopOptions {
            clock: self.options.clock.clone(),
            trace: self.options.trace,
            // The lab's own step budget stops a run first, with its own message.
            max_iterations: self.options.budgets.steps.saturating_add(2),
            seed: self.options.seed,
            ..LoopOptions::default()
        }
    }

    pub(crate) fn budget(&self) -> Budget {
        Budget {
            steps: self.options.budgets.steps,
            spent: self.iterations.get(),
            memory: self.options.budgets.memory,
            #[cfg(not(target_arch = "wasm32"))]
            deadline: self
                .options
                .budgets
                .seconds
                .map(|s| self.started + std::time::Duration::from_secs_f64(s.max(0.0))),
        }
    }

    /// Notes a task that failed.
    pub(crate) fn remember_failed(
        &self,
        task: crate::runtime::WeakTaskRef,
        lp: &rustpython_vm::PyRef<super::event_loop::PyLoop>,
        vm: &VirtualMachine,
    ) {
        use rustpython_vm::AsObject;
        let lp = lp.as_object().downgrade(None, vm).ok();
        self.failed.borrow_mut().push((task, lp));
    }

    /// The program has ended: CPython's final garbage collection frees the tasks still alive
    /// (in reference cycles, or held by globals), and reports those whose failure nobody
    /// retrieved. The same here, in the order the tasks were made (RustPython frees cycles
    /// never, so the lab reports them itself).
    fn release_tasks(&self) {
        let failed = std::mem::take(&mut *self.failed.borrow_mut());
        let mut failed: Vec<_> = failed
            .into_iter()
            .filter_map(|(task, lp)| task.upgrade().map(|task| (task, lp)))
            .collect();
        failed.sort_by_key(|(task, _)| task.id());
        for (task, lp) in failed {
            let Some(error) = task.take_unretrieved_exception() else {
                continue;
            };
            let lp = lp
                .and_then(|w| w.upgrade())
                .and_then(|l| l.downcast::<super::event_loop::PyLoop>().ok());
            if let Some(lp) = lp {
                lp.report_never_retrieved(&task.name(), task.id(), error);
            }
        }
    }

    /// `loop.close()`: its pending tasks are destroyed when the program ends.
    pub(crate) fn close_at_exit(&self, lp: Rc<Loop>) {
        self.closed_loops.borrow_mut().push(lp);
    }

    /// The program has ended: what closed loops left pending is destroyed now.
    fn destroy_closed_loops(&self) {
        let loops = std::mem::take(&mut *self.closed_loops.borrow_mut());
        for lp in loops {
            let _ = lp.close();
        }
    }

    /// A loop's run is over: keep its trace.
    pub(crate) fn finish_loop(&self, lp: &Loop) {
        self.iterations.set(self.iterations.get() + lp.iteration());
        if let Some(trace) = lp.report(Ok(())).trace {
            self.traces.borrow_mut().push(trace);
        }
    }

    /// Stops the run: a budget ran out. Returns the exception that unwinds the program.
    pub(crate) fn stop(&self, vm: &VirtualMachine, reason: String) -> PyBaseExceptionRef {
        let exc = super::event_loop::stopped_exception(vm, &reason);
        *self.stopped.borrow_mut() = Some(reason);
        exc
    }

    /// Text the program wrote to stdout; each finished line is also traced as a log event of
    /// the current task, pointing at the program's line that printed it.
    pub(crate) fn write_stdout(&self, vm: &VirtualMachine, text: &str) {
        self.stdout.borrow_mut().push_str(text);
        if !self.options.trace {
            return;
        }
        let mut line = self.line.borrow_mut();
        line.push_str(text);
        while let Some(end) = line.find('\n') {
            let done: String = line.drain(..=end).collect();
            let at = self.current_line(vm);
            crate::runtime::record_output(done.trim_end_matches('\n'), at.as_deref());
        }
    }

    /// Text the program (or asyncio) wrote to stderr.
    pub(crate) fn write_stderr(&self, text: &str) {
        self.stderr.borrow_mut().push_str(text);
    }

    /// `file:line` of the innermost frame of the program's own file.
    pub(crate) fn current_line(&self, vm: &VirtualMachine) -> Option<String> {
        let mut frame = vm.current_frame();
        while let Some(f) = frame {
            if f.code.source_path().as_str() == self.filename {
                return Some(format!("{}:{}", self.filename, f.f_lineno()));
            }
            frame = f.f_back(vm);
        }
        None
    }

    /// A report asyncio would log (an error in the exception handler, ...): on stderr, with
    /// the exception's traceback, and traced as a warning.
    pub(crate) fn report(&self, vm: &VirtualMachine, message: &str, exc: Option<&PyBaseExceptionRef>) {
        self.report_text(vm, message, exc, message);
    }

    /// Writes `text` and the traceback of `exc` to stderr; traces `short` as a warning.
    pub(crate) fn report_text(&self, vm: &VirtualMachine, text: &str, exc: Option<&PyBaseExceptionRef>, short: &str) {
        let mut out = format!("{text}\n");
        if let Some(exc) = exc {
            super::traceback::write_exception(vm, &mut out, exc);
        }
        self.write_stderr(&out);
        let line = match exc {
            Some(exc) => format!(
                "{short}: {}",
                exc.as_object().repr(vm).map(|r| r.to_string()).unwrap_or_default()
            ),
            None => short.to_string(),
        };
        crate::runtime::record_warning(&line);
    }

    /// A warning (`warnings.warn`'s default `showwarning`), on stderr and in the trace, as
    /// CPython's `warnings` shows it: `file:line: Category: text`, the program's line there, and
    /// for an object's warning (a coroutine never awaited) the note that tracemalloc would say
    /// where the object was made.
    pub(crate) fn warning(&self, text: &str, category: &str, at: Option<&str>, of_an_object: bool) {
        self.write_stderr(&self.warning_text(text, category, at, of_an_object));
        crate::runtime::record_warning(&format!("{category}: {text}"));
    }

    /// The text of [`LabState::warning`].
    pub(crate) fn warning_text(&self, text: &str, category: &str, at: Option<&str>, of_an_object: bool) -> String {
        let place = at.map(|a| format!("{a}: ")).unwrap_or_default();
        let mut out = format!("{place}{category}: {text}\n");
        if let Some(line) = at.and_then(|a| self.source_line(a)) {
            out.push_str(&format!("  {line}\n"));
        }
        if of_an_object {
            out.push_str(&format!(
                "{category}: Enable tracemalloc to get the object allocation traceback\n"
            ));
        }
        out
    }

    /// The program's line at `file:line` (stripped; none if empty or another file's).
    fn source_line(&self, at: &str) -> Option<&str> {
        let (file, line) = at.rsplit_once(':')?;
        let index = line.parse::<usize>().ok()?.checked_sub(1)?;
        let text = (file == self.filename).then(|| self.source.lines().nth(index))??.trim();
        (!text.is_empty()).then_some(text)
    }
}

/// The Python half of the lab: our `asyncio`, `contextlib`, `looplab_twin` and the small
/// modules programs import, compiled into the binary when the crate is built.
fn frozen() -> impl IntoIterator<Item = (&'static str, rustpython_vm::frozen::FrozenModule)> {
    rustpython_vm::py_freeze!(dir = "lib")
}

// The frozen modules are compiled by a macro that cargo does not watch: naming the files here
// makes an edit of one rebuild the crate.
const _: [&str; 12] = [
    include_str!("lib/collections/__init__.py"),
    include_str!("lib/time_lab.py"),
    include_str!("lib/_lab_site.py"),
    include_str!("lib/asyncio/__init__.py"),
    include_str!("lib/contextlib.py"),
    include_str!("lib/looplab_twin.py"),
    include_str!("lib/random.py"),
    include_str!("lib/warnings.py"),
    include_str!("lib/functools.py"),
    include_str!("lib/logging.py"),
    include_str!("lib/reprlib.py"),
    include_str!("lib/traceback.py"),
];

/// A fresh interpreter: RustPython's VM with the lab's native and frozen modules. Building one
/// is most of the cost of a small program's run (the VM's own set-up: its builtins, `sys`,
/// importlib's bootstrap, codecs, `io`), so the page's worker builds the next one while it
/// waits for a program ([`prepare`]).
fn interpreter(options: &LabOptions) -> Interpreter {
    let mut settings = rustpython_vm::vm::Settings::default();
    settings.argv = argv(options);
    settings.hash_seed = Some(0);
    let builder = Interpreter::builder(settings);
    let modules = [
        super::module::_looplab::module_def(&builder.ctx),
        super::math::python_math::module_def(&builder.ctx),
        super::ast::placeholder_def(&builder.ctx),
    ];
    #[allow(unused_mut)]
    let mut builder = builder.add_native_modules(&modules).add_frozen_modules(frozen());
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(seconds) = options.budgets.seconds {
        builder = builder.init_hook(move |vm| watchdog(vm, seconds));
    }
    builder.build()
}

/// `sys.argv` of a run: `main.py` and the program's arguments.
fn argv(options: &LabOptions) -> Vec<String> {
    std::iter::once("main.py".to_string())
        .chain(options.args.iter().cloned())
        .collect()
}

thread_local! {
    /// An interpreter built ahead of the next run ([`prepare`]), never used yet.
    static SPARE: RefCell<Option<Interpreter>> = const { RefCell::new(None) };
}

/// Builds the interpreter the next run will use, unless one is waiting already: the page's
/// worker calls it when it has loaded and after each run, while it has nothing else to do, so
/// that a run does not wait for the VM's set-up. A run with a time budget (natively, its
/// watchdog is part of the interpreter) builds its own.
pub fn prepare() {
    if SPARE.with(|s| s.borrow().is_some()) {
        return;
    }
    let options = LabOptions {
        budgets: Budgets {
            seconds: None,
            ..Budgets::default()
        },
        ..LabOptions::default()
    };
    let interp = interpreter(&options);
    SPARE.with(|s| *s.borrow_mut() = Some(interp));
}

/// The interpreter for a run with `options`: the one [`prepare`] built, if any and if it fits
/// (its `sys.argv` is set at the start of the run), or a new one.
fn interpreter_for(options: &LabOptions) -> Interpreter {
    let spare = match options.budgets.seconds {
        None => SPARE.with(|s| s.borrow_mut().take()),
        Some(_) => None,
    };
    spare.unwrap_or_else(|| interpreter(options))
}

/// Natively, a thread that interrupts the program when the time budget has run out, even in
/// the middle of a step that never yields (`while True: pass`): the VM checks for it between
/// instructions and raises `looplab.Stopped` (again every 100 ms, should the program catch it).
#[cfg(not(target_arch = "wasm32"))]
fn watchdog(vm: &mut VirtualMachine, seconds: f64) {
    let (sender, receiver) = rustpython_vm::signal::user_signal_channel();
    vm.set_user_signal_channel(receiver);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs_f64(seconds.max(0.0));
    std::thread::spawn(move || {
        std::thread::sleep(deadline.saturating_duration_since(std::time::Instant::now()));
        loop {
            let sent = sender.send(Box::new(move |vm| {
                let reason = time_message(seconds);
                Err(lab().stop(vm, reason))
            }));
            if sent.is_err() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    });
}

/// Runs the program `source` (named `filename` in tracebacks) to its end.
pub fn run_source(source: &str, filename: &str, options: &LabOptions) -> LabRun {
    let state = Rc::new(LabState::new(options.clone(), filename, source));
    LAB.with(|l| *l.borrow_mut() = Some(state.clone()));
    let interp = interpreter_for(options);
    let exit = interp.enter(|vm| {
        Classes::make(vm);
        let argv = vm
            .ctx
            .new_list(argv(options).into_iter().map(|a| vm.ctx.new_str(a).into()).collect());
        let installed = vm
            .sys_module
            .set_attr("argv", argv, vm)
            .and_then(|()| super::module::install(vm));
        let exit = match installed {
            Ok(()) => run_main(vm, source, filename, &state),
            Err(exc) => raised(vm, &state, exc),
        };
        state.release_tasks();
        state.destroy_closed_loops();
        state.flush(vm);
        // Let the program's objects go while the VM is still there to report on them.
        let _ = vm
            .sys_module
            .get_attr("modules", vm)
            .and_then(|m| vm.call_method(&m, "clear", ()));
        exit
    });
    drop(interp);
    LAB.with(|l| l.borrow_mut().take());
    let stopped = state.stopped.borrow().clone();
    let exit = match (stopped, exit) {
        (Some(reason), Exit::Raised { .. } | Exit::Finished) => Exit::Stopped { reason },
        (_, exit) => exit,
    };
    let stdout = state.stdout.borrow().clone();
    let stderr = state.stderr.borrow().clone();
    let traces = state.traces.borrow().clone();
    LabRun {
        stdout,
        stderr,
        exit,
        traces,
    }
}

impl LabState {
    fn flush(&self, vm: &VirtualMachine) {
        let rest = std::mem::take(&mut *self.line.borrow_mut());
        if !rest.is_empty() && self.options.trace {
            let at = self.current_line(vm);
            crate::runtime::record_output(&rest, at.as_deref());
        }
    }
}

fn run_main(vm: &VirtualMachine, source: &str, filename: &str, state: &LabState) -> Exit {
    let code = match vm.compile(source, Mode::Exec, filename.to_owned()) {
        Ok(code) => code,
        Err(err) => {
            let exc = vm.new_syntax_error(&err, Some(source));
            let mut text = String::new();
            let _ = vm.write_exception(&mut text, &exc);
            state.write_stderr(&text);
            let obj: PyObjectRef = exc.into();
            let number = |name: &str| {
                obj.get_attr(&vm.ctx.new_str(name), vm)
                    .ok()
                    .and_then(|v| v.try_int(vm).ok())
                    .and_then(|i| i.as_bigint().try_into().ok())
                    .unwrap_or(0usize)
            };
            let message = obj
                .get_attr("msg", vm)
                .ok()
                .and_then(|m| m.str(vm).ok())
                .map(|m| m.to_string())
                .unwrap_or_else(|| err.to_string());
            return Exit::SyntaxError {
                line: number("lineno"),
                column: number("offset"),
                message,
            };
        }
    };
    let scope = match vm.new_scope_with_main() {
        Ok(scope) => scope,
        Err(exc) => return raised(vm, state, exc),
    };
    let _ = scope.globals.set_item("__file__", vm.ctx.new_str(filename).into(), vm);
    match vm.run_code_obj(code, scope) {
        Ok(_) => Exit::Finished,
        Err(exc) => raised(vm, state, exc),
    }
}

/// How an exception that escaped the program ends the run (its traceback goes to stderr).
fn raised(vm: &VirtualMachine, state: &LabState, exc: PyBaseExceptionRef) -> Exit {
    let obj: PyObjectRef = exc.clone().into();
    if obj.fast_isinstance(vm.ctx.exceptions.system_exit) {
        let code = exc.get_arg(0);
        return match code {
            None => Exit::SystemExit { code: 0 },
            Some(c) if vm.is_none(&c) => Exit::SystemExit { code: 0 },
            Some(c) => match c.try_int(vm).ok().and_then(|i| i32::try_from(i.as_bigint()).ok()) {
                Some(code) => Exit::SystemExit { code },
                None => {
                    state.write_stderr(&format!("{}\n", c.str(vm).map(|s| s.to_string()).unwrap_or_default()));
                    Exit::SystemExit { code: 1 }
                }
            },
        };
    }
    super::convert::tidy_message(vm, &exc);
    let mut text = String::new();
    super::traceback::write_exception(vm, &mut text, &exc);
    state.write_stderr(&text);
    let class = obj.class().name().to_string();
    Exit::Raised {
        class,
        message: super::convert::exception_text(vm, &obj),
    }
}

/// An exception as a `PyBaseException` reference, if it is one.
#[allow(dead_code)]
pub(crate) fn as_exception(obj: PyObjectRef) -> Option<PyBaseExceptionRef> {
    obj.downcast::<PyBaseException>().ok()
}

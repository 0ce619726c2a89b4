//! The asyncio-style functions a task calls: they act on the running loop, as asyncio's module
//! functions do.

use std::rc::Rc;

use super::error::Error;
use super::event_loop::{current_loop, CallbackEntry, ExceptionContext, Loop, LoopOptions, RunReport};
use super::sleep::Sleep;
use super::task::{Task, TaskCell, TaskRef};

/// `asyncio.create_task(future)`: a task named `Task-N`, whose first step runs in the next
/// iteration. Outside a running loop the task is already failed with `RuntimeError`.
pub fn spawn<T, F>(future: F) -> Task<T>
where
    T: 'static,
    F: std::future::Future<Output = Result<T, Error>> + 'static,
{
    match current_loop() {
        Some(lp) => lp.spawn(future, None),
        None => no_loop_task(),
    }
}

/// `asyncio.create_task(future, name=name)`.
pub fn spawn_named<T, F>(name: impl Into<Rc<str>>, future: F) -> Task<T>
where
    T: 'static,
    F: std::future::Future<Output = Result<T, Error>> + 'static,
{
    match current_loop() {
        Some(lp) => lp.spawn(future, Some(name.into())),
        None => no_loop_task(),
    }
}

fn no_loop_task<T: 'static>() -> Task<T> {
    Task::from_cell(Rc::new(TaskCell::failed("Task-0".into(), no_running_loop())))
}

/// `asyncio.sleep(seconds)`: `sleep(0.0)` yields for one iteration.
#[track_caller]
pub fn sleep(seconds: f64) -> Sleep {
    super::sleep::sleep(seconds, std::panic::Location::caller())
}

/// `loop.time()` of the running loop (0.0 outside one).
pub fn now() -> f64 {
    current_loop().map(|lp| lp.time()).unwrap_or(0.0)
}

/// The name of the current task (`asyncio.current_task().get_name()`), if a task is running.
pub fn current_task_name() -> Option<Rc<str>> {
    current_loop()?.current_task().map(|t| t.header().name())
}

/// `asyncio.current_task()`: the running task, if any.
pub fn current_task() -> Option<TaskRef> {
    current_loop()?.current_task().map(TaskRef)
}

/// `asyncio.all_tasks()`: the tasks of the running loop not yet done, in creation order.
pub fn all_tasks() -> Vec<TaskRef> {
    current_loop()
        .map(|lp| lp.all_tasks().into_iter().map(TaskRef).collect())
        .unwrap_or_default()
}

/// `loop.set_task_factory(asyncio.eager_task_factory)` (CPython 3.12) when `on`, back to the
/// default factory when not: an eager task's first step runs inside `create_task`.
pub fn set_eager_tasks(on: bool) {
    if let Some(lp) = current_loop() {
        lp.set_eager_tasks(on);
    }
}

/// `asyncio.get_running_loop().set_exception_handler(handler)`, from inside a task.
pub fn set_exception_handler(handler: impl Fn(&ExceptionContext) + 'static) {
    if let Some(lp) = current_loop() {
        lp.set_exception_handler(Rc::new(handler));
    }
}

/// The number of the loop iteration running now (1 for the first), as the trace counts them.
pub fn iteration() -> u64 {
    current_loop().map(|lp| lp.iteration()).unwrap_or(0)
}

/// Writes a transcript line: `"{time:.3f} {task} {message}"`.
#[track_caller]
pub fn log(message: impl AsRef<str>) {
    if let Some(lp) = current_loop() {
        lp.log(message.as_ref(), Some(std::panic::Location::caller()));
    }
}

/// Holds the loop for `seconds` of CPU work without yielding: every other task waits. On the
/// virtual clock the time is simply added; on the real clock the thread really works.
pub fn block_for(seconds: f64) {
    let Some(lp) = current_loop() else { return };
    if lp.clock_is_virtual() {
        lp.spend(seconds);
    } else {
        let until = lp.time() + seconds.max(0.0);
        while lp.time() < until {
            std::hint::spin_loop();
        }
    }
}

/// `await asyncio.to_thread(work)`, simulated: the work happens on a worker (not on the loop)
/// and takes `seconds`; the awaiting task resumes when the worker hands the result back, while
/// every other task keeps running. (CPython's worker thread signals the loop with
/// `call_soon_threadsafe`; here a timer stands in for the thread, so runs stay deterministic.)
pub async fn run_in_worker<T: Clone + 'static>(seconds: f64, work: impl FnOnce() -> T + 'static) -> Result<T, Error> {
    let lp = current_loop().ok_or_else(|| Error::runtime("no running event loop"))?;
    let done = super::future::FutureInner::<T>::new();
    let finish = done.clone();
    lp.call_at_boxed(
        lp.time() + seconds.max(0.0),
        Box::new(move || {
            finish.finish(Ok(work()));
        }),
    );
    super::future::Future::from_inner(done).await
}

/// A scheduled callback that can be cancelled (asyncio's `Handle` and `TimerHandle`).
pub struct CallbackHandle {
    entry: Rc<CallbackEntry>,
}

impl CallbackHandle {
    /// `cancel()`: the callback will not run.
    pub fn cancel(&self) {
        if let Some(lp) = current_loop() {
            lp.cancel_callback(&self.entry);
        }
    }
}

/// `loop.call_soon(callback)` on the running loop. `None` outside one.
pub fn call_soon<R: CallbackResult>(callback: impl FnOnce() -> R + 'static) -> Option<CallbackHandle> {
    let lp = current_loop()?;
    Some(CallbackHandle {
        entry: lp.call_soon_boxed(guarded(callback)),
    })
}

/// `loop.call_later(delay, callback)`.
pub fn call_later<R: CallbackResult>(delay: f64, callback: impl FnOnce() -> R + 'static) -> Option<CallbackHandle> {
    let lp = current_loop()?;
    let when = lp.time() + delay;
    Some(CallbackHandle {
        entry: lp.call_at_boxed(when, guarded(callback)),
    })
}

/// `loop.call_at(when, callback)`.
pub fn call_at<R: CallbackResult>(when: f64, callback: impl FnOnce() -> R + 'static) -> Option<CallbackHandle> {
    let lp = current_loop()?;
    Some(CallbackHandle {
        entry: lp.call_at_boxed(when, guarded(callback)),
    })
}

/// What a callback returns: nothing, or a result whose failure asyncio would report as an
/// exception in the callback (the loop goes on).
pub trait CallbackResult {
    /// The failure, if any.
    fn into_result(self) -> Result<(), Error>;
}

impl CallbackResult for () {
    fn into_result(self) -> Result<(), Error> {
        Ok(())
    }
}

impl CallbackResult for Result<(), Error> {
    fn into_result(self) -> Result<(), Error> {
        self
    }
}

/// `Handle._run`: a callback's failure goes to the exception handler, never up the stack.
pub(crate) fn guarded<R: CallbackResult>(callback: impl FnOnce() -> R + 'static) -> Box<dyn FnOnce()> {
    Box::new(move || {
        if let Err(exception) = callback().into_result() {
            if let Some(lp) = current_loop() {
                lp.call_exception_handler(ExceptionContext {
                    message: "Exception in callback".to_string(),
                    task: None,
                    exception: Some(exception),
                });
            }
        }
    })
}

/// `asyncio.run(main)`: runs `main` as the main task (`Task-1`) on a new loop with the virtual
/// clock, then cancels the tasks still pending and waits for them, and returns `main`'s result.
/// Each transcript line ([`log`]'s, and the warnings asyncio would report) is printed to
/// standard output as it is written, as Python's `print` would. To get the transcript as lines
/// instead (to test it, say), use [`run_report`]; for a trace or other options, a
/// [`Loop`](crate::Loop).
pub fn run<T, F>(main: F) -> Result<T, Error>
where
    T: Clone + 'static,
    F: std::future::Future<Output = Result<T, Error>> + 'static,
{
    Loop::new(LoopOptions {
        print: true,
        ..LoopOptions::default()
    })
    .run(main)
}

/// [`run`] without printing: the run's report holds `main`'s result and the transcript, line by
/// line (`Loop::new(LoopOptions::default()).run_report(main)`).
pub fn run_report<T, F>(main: F) -> RunReport<T>
where
    T: Clone + 'static,
    F: std::future::Future<Output = Result<T, Error>> + 'static,
{
    Loop::new(LoopOptions::default()).run_report(main)
}

/// `try:` around a block of awaits: gives the block's `Result`, whose failure the caller then
/// handles (`except`) or passes on. It does nothing to the block but name its type: a bare
/// `async { ...?; Ok(()) }.await` does not compile (E0282, type annotations needed), because
/// nothing says what `?` converts the failure into; here it is [`Error`].
pub fn attempt<T, F>(block: F) -> F
where
    F: std::future::Future<Output = Result<T, Error>>,
{
    block
}

/// [`spawn`] that says so when no loop is running, instead of giving a task already failed with
/// that `RuntimeError`.
pub fn try_spawn<T, F>(future: F) -> Result<Task<T>, Error>
where
    T: 'static,
    F: std::future::Future<Output = Result<T, Error>> + 'static,
{
    let lp = current_loop().ok_or_else(no_running_loop)?;
    Ok(lp.spawn(future, None))
}

/// [`spawn_named`] that says so when no loop is running.
pub fn try_spawn_named<T, F>(name: impl Into<Rc<str>>, future: F) -> Result<Task<T>, Error>
where
    T: 'static,
    F: std::future::Future<Output = Result<T, Error>> + 'static,
{
    let lp = current_loop().ok_or_else(no_running_loop)?;
    Ok(lp.spawn(future, Some(name.into())))
}

fn no_running_loop() -> Error {
    Error::runtime("no running event loop")
}

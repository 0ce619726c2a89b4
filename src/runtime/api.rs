//! The asyncio-style functions a task calls: they act on the running loop, as asyncio's module
//! functions do.

use std::rc::Rc;

use super::error::Error;
use super::event_loop::{current_loop, CallbackEntry, ExceptionContext, Loop, LoopOptions, RunReport};
use super::sleep::Sleep;
use super::task::{failed_task, Task, TaskRef};

/// `asyncio.create_task(coro)`: a task named `Task-N`, whose first step runs in the next
/// iteration. The future is an `async` block or an `async fn`'s call, with a `Result` output.
///
/// Outside a running loop the task is already failed with `RuntimeError('no running event
/// loop')`; [`try_spawn`] gives that as an error instead.
///
/// # Examples
///
/// ```python
/// async def child():
///     print("child runs")
///     return 7
///
/// async def main():
///     task = asyncio.create_task(child())
///     print("spawned", task.get_name())
///     print("got", await task)
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// async fn child() -> Result<u32, Error> {
///     log("child runs");
///     Ok(7)
/// }
///
/// let report = run_report(async {
///     let task = spawn(child());
///     log(format!("spawned {}", task.name()));
///     log(format!("got {}", task.await?));
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     ["0.000 Task-1 spawned Task-2", "0.000 Task-2 child runs", "0.000 Task-1 got 7"]
/// );
/// ```
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

/// `asyncio.create_task(coro, name=name)`. (As in CPython 3.11, a named task still uses up a
/// `Task-N` number.)
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// // asyncio.create_task(fetch(), name="fetcher")
/// let report = run_report(async {
///     let fetcher = spawn_named("fetcher", async {
///         log("fetching");
///         Ok(())
///     });
///     fetcher.await?;
///     log(format!("next unnamed: {}", spawn(async { Ok(()) }).name()));
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     ["0.000 fetcher fetching", "0.000 Task-1 next unnamed: Task-3"]
/// );
/// ```
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
    Task::from_cell(failed_task("Task-0".into(), no_running_loop()))
}

/// `asyncio.sleep(seconds)`: suspends the task for `seconds` of loop time; `sleep(0.0)` yields
/// for exactly one iteration, letting every other ready task run. On the virtual clock (the
/// default) time jumps to the next timer at once. `asyncio.sleep(delay, result)` is
/// [`sleep(delay).with_result(result)`](Sleep::with_result).
///
/// # Examples
///
/// ```python
/// async def main():
///     print("start")
///     await asyncio.sleep(1.5)
///     print("after", await asyncio.sleep(0.5, result="done"))
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     log("start");
///     sleep(1.5).await?;
///     log(format!("after {}", sleep(0.5).with_result("done").await?));
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["0.000 Task-1 start", "2.000 Task-1 after done"]);
/// ```
#[track_caller]
pub fn sleep(seconds: f64) -> Sleep {
    super::sleep::sleep(seconds, std::panic::Location::caller())
}

/// `loop.time()` of the running loop (0.0 outside one), in seconds.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// // loop = asyncio.get_running_loop(); await asyncio.sleep(2); loop.time()
/// let time = run(async {
///     sleep(2.0).await?;
///     Ok(now())
/// });
/// assert_eq!(time, Ok(2.0));
/// ```
pub fn now() -> f64 {
    current_loop().map(|lp| lp.time()).unwrap_or(0.0)
}

/// The name of the current task (`asyncio.current_task().get_name()`), if a task is running.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// let names = run(async {
///     let child = spawn_named("worker", async { Ok(current_task_name()) });
///     Ok((current_task_name(), child.await?))
/// });
/// assert_eq!(names, Ok((Some("Task-1".into()), Some("worker".into()))));
/// assert_eq!(current_task_name(), None, "no task runs outside a loop");
/// ```
pub fn current_task_name() -> Option<Rc<str>> {
    current_loop()?.current_task().map(|t| t.header().name())
}

/// `asyncio.current_task()`: the running task, if any, as a [`TaskRef`] (its name, its
/// cancellation).
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// // me = asyncio.current_task(); me.set_name(...) is Task::set_name on a typed handle
/// let report = run_report(async {
///     let me = current_task().expect("inside a task");
///     log(format!("I am {} and nobody cancels me: {}", me.name(), me.cancelling()));
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["0.000 Task-1 I am Task-1 and nobody cancels me: 0"]);
/// ```
pub fn current_task() -> Option<TaskRef> {
    current_loop()?.current_task().map(TaskRef)
}

/// `asyncio.all_tasks()`: the tasks of the running loop not yet done, in creation order.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     spawn_named("sleeper", sleep(5.0));
///     spawn(async { Ok(()) });
///     sleep(1.0).await?;
///     let names: Vec<String> = all_tasks().iter().map(|t| t.name().to_string()).collect();
///     log(py_str_list(names));
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["1.000 Task-1 ['Task-1', 'sleeper']"]);
/// ```
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

/// `print(message)` in a task: writes a transcript line, `"{time:.3f} {task} {message}"`, the
/// loop's time and the current task's name (`-` in a callback outside any task). [`run`] prints
/// each line as it is written; [`run_report`] and [`Loop::run_report`] return them.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     log("hello");
///     sleep(0.25).await?;
///     log(format!("{} later", py_repr(&0.25)));
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["0.000 Task-1 hello", "0.250 Task-1 0.25 later"]);
/// ```
#[track_caller]
pub fn log(message: impl AsRef<str>) {
    if let Some(lp) = current_loop() {
        lp.log(message.as_ref(), Some(std::panic::Location::caller()));
    }
}

/// Records a line the program wrote through a host of its own (the Python lab's `print`) as a
/// log event of the current task, pointing at `at` (such as `main.py:12`). Unlike [`log`] it
/// adds nothing to the loop's transcript: the host keeps its own output. Nothing happens
/// outside a running loop or when tracing is off.
pub fn record_output(text: &str, at: Option<&str>) {
    if let Some(lp) = current_loop() {
        lp.record_output(text, at);
    }
}

/// Runs `f`, attributing the timers it sets (a sleep's, `call_later`'s) to the source line `at`
/// (such as `main.py:12`) in the trace instead of the Rust line that set them: a host running a
/// program in another language (the Python lab) names the program's own lines, which the page's
/// code view follows. Outside a running loop, or with tracing off, it simply runs `f`.
pub fn at_source<R>(at: &str, f: impl FnOnce() -> R) -> R {
    match current_loop() {
        Some(lp) => lp.at_source(at, f),
        None => f(),
    }
}

/// Records a warning a host reports itself (the Python lab's asyncio warnings) as a warning
/// event of the current task, without adding it to the loop's transcript.
pub fn record_warning(text: &str) {
    if let Some(lp) = current_loop() {
        lp.record_warning(text);
    }
}

/// Holds the loop for `seconds` of CPU work without yielding (Python's `time.sleep` or a long
/// computation in a coroutine): every other task waits. On the virtual clock the time is
/// simply added; on the real clock the thread really works.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     let ticker = spawn(async {
///         log("tick");
///         Ok(())
///     });
///     block_for(2.0); // time.sleep(2): the ticker cannot run meanwhile
///     log("unblocked");
///     ticker.await
/// });
/// assert_eq!(report.transcript, ["2.000 Task-1 unblocked", "2.000 Task-2 tick"]);
/// ```
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
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// // total = await asyncio.to_thread(sum_numbers)   # which takes 1.5 s
/// let report = run_report(async {
///     let ticker = spawn(async {
///         sleep(1.0).await?;
///         log("the loop is free");
///         Ok(())
///     });
///     let total = run_in_worker(1.5, || (1..=10).sum::<u32>()).await?;
///     log(format!("total {total}"));
///     ticker.await
/// });
/// assert_eq!(report.transcript, ["1.000 Task-2 the loop is free", "1.500 Task-1 total 55"]);
/// ```
pub async fn run_in_worker<T: Clone + 'static>(seconds: f64, work: impl FnOnce() -> T + 'static) -> Result<T, Error> {
    let lp = current_loop().ok_or_else(|| Error::runtime("no running event loop"))?;
    let done = super::future::FutureInner::<T>::labelled(crate::trace::FutureLabel::ToThread);
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

/// `loop.call_soon(callback)` on the running loop: `callback` runs in the next iteration, after
/// whatever is ready already. `None` outside a loop. A callback returns `()` or a `Result`,
/// whose failure goes to the loop's exception handler.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     call_soon(|| log("callback"));
///     log("scheduled");
///     sleep(0.0).await?;
///     log("after one iteration");
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     ["0.000 Task-1 scheduled", "0.000 - callback", "0.000 Task-1 after one iteration"]
/// );
/// ```
pub fn call_soon<R: CallbackResult>(callback: impl FnOnce() -> R + 'static) -> Option<CallbackHandle> {
    let lp = current_loop()?;
    Some(CallbackHandle {
        entry: lp.call_soon_boxed(guarded(callback)),
    })
}

/// `loop.call_later(delay, callback)`: `callback` runs `delay` seconds from now. The handle
/// cancels it.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     call_later(1.0, || log("one second"));
///     let never = call_later(2.0, || log("cancelled"));
///     if let Some(handle) = never {
///         handle.cancel();
///     }
///     sleep(3.0).await
/// });
/// assert_eq!(report.transcript, ["1.000 - one second"]);
/// ```
pub fn call_later<R: CallbackResult>(delay: f64, callback: impl FnOnce() -> R + 'static) -> Option<CallbackHandle> {
    let lp = current_loop()?;
    let when = lp.time() + delay;
    Some(CallbackHandle {
        entry: lp.call_at_boxed(when, guarded(callback)),
    })
}

/// `loop.call_at(when, callback)`: `callback` runs at loop time `when`.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     call_at(now() + 0.5, || log("at half a second"));
///     sleep(1.0).await
/// });
/// assert_eq!(report.transcript, ["0.500 - at half a second"]);
/// ```
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
                    task_id: None,
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
/// [`Loop`].
///
/// `main` is any future with a `Result` output: an `async` block, or an `async fn`'s call.
///
/// # Examples
///
/// ```python
/// async def main():
///     print("hello")
///     await asyncio.sleep(1)
///     print("world")
///     return 42
///
/// result = asyncio.run(main())
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// async fn main_() -> Result<u32, Error> {
///     log("hello");
///     sleep(1.0).await?;
///     log("world");
///     Ok(42)
/// }
///
/// // Prints "0.000 Task-1 hello" and "1.000 Task-1 world".
/// let result = run(main_());
/// assert_eq!(result, Ok(42));
/// ```
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
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     log("hello");
///     Ok("done")
/// });
/// assert_eq!(report.result, Ok("done"));
/// assert_eq!(report.transcript, ["0.000 Task-1 hello"]);
/// ```
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
/// nothing says what `?` converts the failure into; here it is [`Error`]. (Writing the type
/// out does the same: `let r: Result<(), Error> = async { ... }.await;`.)
///
/// # Examples
///
/// ```python
/// try:
///     data = await fetch()
///     print("got", data)
/// except ValueError as e:
///     print("caught", repr(e))
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// async fn fetch() -> Result<String, Error> {
///     sleep(1.0).await?;
///     Err(Error::new("ValueError", "bad data"))
/// }
///
/// let report = run_report(async {
///     let outcome = attempt(async {
///         let data = fetch().await?;
///         log(format!("got {data}"));
///         Ok(())
///     })
///     .await;
///     match outcome {
///         Err(e) if e.is("ValueError") => log(format!("caught {}", e.repr())),
///         other => other?, // any other failure goes on (a bare `raise`)
///     }
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["1.000 Task-1 caught ValueError('bad data')"]);
/// ```
pub fn attempt<T, F>(block: F) -> F
where
    F: std::future::Future<Output = Result<T, Error>>,
{
    block
}

/// [`spawn`] that says so when no loop is running, instead of giving a task already failed with
/// that `RuntimeError` (asyncio's `create_task` raises it).
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// let outside = try_spawn(async { Ok(()) });
/// assert_eq!(outside.unwrap_err().repr(), "RuntimeError('no running event loop')");
///
/// let inside = run(async {
///     let task = try_spawn(async { Ok(5) })?;
///     task.await
/// });
/// assert_eq!(inside, Ok(5));
/// ```
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

//! Time limits: `asyncio.timeout`, `asyncio.timeout_at` (`Lib/asyncio/timeouts.py`) and
//! `asyncio.wait_for` (CPython 3.11's own implementation in `tasks.py`; 3.12 rewrote it on top
//! of `timeout`).
//!
//! A time limit is a cancellation of the current task, scheduled for the deadline, which the
//! boundary that set it turns into `TimeoutError`, but only if it was this limit's cancellation
//! (the task's cancel count, `cancelling()`, tells them apart).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::completion::{ensure_future, SettleRef};
use super::error::Error;
use super::event_loop::{current_loop, CallbackEntry, LoopCore};
use super::future::{Future, FutureInner};
use super::task::TaskPtr;
use crate::trace::FutureLabel;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Created,
    Entered,
    Expiring,
    Expired,
    Exited,
}

impl State {
    fn text(self) -> &'static str {
        match self {
            State::Created => "created",
            State::Entered => "active",
            State::Expiring => "expiring",
            State::Expired => "expired",
            State::Exited => "finished",
        }
    }
}

struct Inner {
    state: Cell<State>,
    when: Cell<Option<f64>>,
    handle: RefCell<Option<Rc<CallbackEntry>>>,
    task: RefCell<Option<TaskPtr>>,
    cancelling: Cell<u32>,
}

/// `asyncio.Timeout`: a deadline for a block of code. Made by [`timeout`] or [`timeout_at`];
/// [`Timeout::run`] is `async with`. The block can borrow the timeout to move its deadline
/// (`async with asyncio.timeout(1) as cm: cm.reschedule(...)`): see [`Timeout::reschedule`].
/// Clones share the deadline.
#[derive(Clone)]
pub struct Timeout(Rc<Inner>);

/// `asyncio.timeout(delay)`: a deadline `delay` seconds from now (`None`: no deadline yet).
///
/// # Examples
///
/// ```python
/// try:
///     async with asyncio.timeout(1):
///         await asyncio.sleep(5)
/// except TimeoutError:
///     print("too slow")
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     let outcome = timeout(Some(1.0)).run(sleep(5.0)).await;
///     if outcome.is_err_and(|e| e.is_timeout()) {
///         log("too slow");
///     }
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["1.000 Task-1 too slow"]);
/// ```
pub fn timeout(delay: Option<f64>) -> Timeout {
    let now = current_loop().map(|lp| lp.time()).unwrap_or(0.0);
    timeout_at(delay.map(|d| now + d))
}

/// `asyncio.timeout_at(when)`: a deadline at loop time `when`.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// // async with asyncio.timeout_at(loop.time() + 2): ...
/// let outcome = run(async {
///     timeout_at(Some(now() + 2.0))
///         .run(async {
///             sleep(1.0).await?;
///             Ok(now())
///         })
///         .await
/// });
/// assert_eq!(outcome, Ok(1.0));
/// ```
pub fn timeout_at(when: Option<f64>) -> Timeout {
    Timeout(Rc::new(Inner {
        state: Cell::new(State::Created),
        when: Cell::new(when),
        handle: RefCell::new(None),
        task: RefCell::new(None),
        cancelling: Cell::new(0),
    }))
}

impl Timeout {
    /// `when()`: the deadline.
    pub fn when(&self) -> Option<f64> {
        self.0.when.get()
    }

    /// `expired()`: whether the deadline passed and cancelled the block.
    pub fn expired(&self) -> bool {
        matches!(self.0.state.get(), State::Expiring | State::Expired)
    }

    /// `reschedule(when)`: moves the deadline (only while the block runs). The block borrows
    /// the timeout to call it.
    ///
    /// # Examples
    ///
    /// ```python
    /// async with asyncio.timeout(1) as cm:
    ///     await asyncio.sleep(0.5)
    ///     cm.reschedule(asyncio.get_running_loop().time() + 3)
    ///     await asyncio.sleep(2)
    ///     print("finished under the moved deadline")
    /// ```
    ///
    /// ```
    /// use looplab::prelude::*;
    ///
    /// let report = run_report(async {
    ///     let cm = timeout(Some(1.0));
    ///     cm.run(async {
    ///         sleep(0.5).await?;
    ///         cm.reschedule(Some(now() + 3.0))?;
    ///         sleep(2.0).await?;
    ///         log("finished under the moved deadline");
    ///         Ok(())
    ///     })
    ///     .await
    /// });
    /// assert_eq!(report.transcript, ["2.500 Task-1 finished under the moved deadline"]);
    /// ```
    pub fn reschedule(&self, when: Option<f64>) -> Result<(), Error> {
        let state = self.0.state.get();
        if state != State::Entered {
            return Err(Error::runtime(if state == State::Created {
                "Timeout has not been entered".to_string()
            } else {
                format!("Cannot change state of {} Timeout", state.text())
            }));
        }
        let lp = current_loop().ok_or_else(|| Error::runtime("no running event loop"))?;
        self.0.when.set(when);
        if let Some(handle) = self.0.handle.borrow_mut().take() {
            lp.cancel_callback(&handle);
        }
        if let Some(when) = when {
            let weak = Rc::downgrade(&self.0);
            let on_timeout = Box::new(move || {
                if let Some(inner) = weak.upgrade() {
                    Timeout(inner).on_timeout();
                }
            });
            let handle = if when <= lp.time() {
                lp.call_soon_boxed(on_timeout)
            } else {
                lp.call_at_boxed(when, on_timeout)
            };
            *self.0.handle.borrow_mut() = Some(handle);
        }
        Ok(())
    }

    fn on_timeout(&self) {
        let task = self.0.task.borrow().clone();
        if let Some(task) = task {
            task.cancel(None);
        }
        self.0.state.set(State::Expiring);
        *self.0.handle.borrow_mut() = None;
    }

    /// `async with timeout: body`: runs `body` under this deadline. When the deadline passes,
    /// the task is cancelled, and that cancellation comes out of here as `TimeoutError`.
    pub async fn run<T, F>(&self, body: F) -> Result<T, Error>
    where
        F: std::future::Future<Output = Result<T, Error>>,
    {
        let lp = self.enter()?;
        let result = body.await;
        self.exit(&lp, result)
    }

    /// `async with`'s first half (`__aenter__`), for a host whose `async with` is not a Rust
    /// block (the Python lab): the deadline now applies to the current task.
    pub fn enter_current(&self) -> Result<(), Error> {
        self.enter().map(|_| ())
    }

    /// `async with`'s second half (`__aexit__`), given how the block ended: the block's own
    /// outcome, or `TimeoutError` if the block was cancelled by this deadline.
    pub fn exit_current<T>(&self, result: Result<T, Error>) -> Result<T, Error> {
        match current_loop() {
            Some(lp) => self.exit(&lp, result),
            None => result,
        }
    }

    /// `__aenter__`.
    fn enter(&self) -> Result<Rc<LoopCore>, Error> {
        if self.0.state.get() != State::Created {
            return Err(Error::runtime("Timeout has already been entered"));
        }
        let lp = current_loop().ok_or_else(|| Error::runtime("no running event loop"))?;
        let task = lp
            .current_task()
            .ok_or_else(|| Error::runtime("Timeout should be used inside a task"))?;
        self.0.state.set(State::Entered);
        self.0.cancelling.set(task.header().cancelling());
        *self.0.task.borrow_mut() = Some(task);
        self.reschedule(self.0.when.get())?;
        Ok(lp)
    }

    /// `__aexit__`.
    fn exit<T>(&self, lp: &LoopCore, result: Result<T, Error>) -> Result<T, Error> {
        if let Some(handle) = self.0.handle.borrow_mut().take() {
            lp.cancel_callback(&handle);
        }
        match self.0.state.get() {
            State::Expiring => {
                self.0.state.set(State::Expired);
                let task = self.0.task.borrow().clone();
                let remaining = task.map(|t| t.header().uncancel()).unwrap_or(0);
                if remaining <= self.0.cancelling.get() && matches!(result, Err(Error::Cancelled(_))) {
                    return Err(Error::timeout());
                }
            }
            State::Entered => self.0.state.set(State::Exited),
            _ => {}
        }
        result
    }
}

/// `_release_waiter`.
fn release(waiter: &Rc<FutureInner<()>>) -> impl FnOnce() + Clone + 'static {
    let waiter = waiter.clone();
    move || {
        waiter.finish(Ok(()));
    }
}

/// `_cancel_and_wait(fut)`: cancel, then wait until it is really done.
async fn cancel_and_wait<T: 'static>(fut: &SettleRef<T>) -> Result<(), Error> {
    let waiter = FutureInner::<()>::labelled(FutureLabel::WaitFor);
    let id = fut.add_done(release(&waiter));
    fut.cancel(None);
    let result = Future::from_inner(waiter).await;
    fut.remove_done(id);
    result
}

/// `asyncio.wait_for(aw, timeout)` as CPython 3.11 has it: waits for `aw` for at most
/// `timeout` seconds; on expiry cancels it, waits for the cancellation to finish, and fails
/// with `TimeoutError`. Cancelling the waiting task cancels `aw` too. A coroutine is spawned as
/// a task (`ensure_future`), except without a timeout: then it is simply awaited, in this task.
///
/// # Examples
///
/// ```python
/// try:
///     await asyncio.wait_for(download(), timeout=1)
/// except TimeoutError:
///     print("download took too long")
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// async fn download() -> Result<Vec<u8>, Error> {
///     if let Err(e) = sleep(3.0).await {
///         log("download cancelled");
///         return Err(e);
///     }
///     Ok(vec![1, 2, 3])
/// }
///
/// let report = run_report(async {
///     match wait_for(download(), Some(1.0)).await {
///         Err(e) if e.is_timeout() => log("download took too long"),
///         other => log(format!("got {:?}", other?)),
///     }
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     ["1.000 Task-2 download cancelled", "1.000 Task-1 download took too long"]
/// );
/// ```
pub async fn wait_for<T, A>(aw: A, timeout: Option<f64>) -> Result<T, Error>
where
    T: Clone + 'static,
    A: std::future::Future<Output = Result<T, Error>> + 'static,
{
    let lp = current_loop().ok_or_else(|| Error::runtime("no running event loop"))?;
    let Some(timeout) = timeout else {
        return aw.await;
    };
    let fut = ensure_future(aw);
    let outcome = || fut.outcome().unwrap_or_else(|| Err(Error::runtime("not done")));
    if timeout <= 0.0 {
        if fut.done() {
            return outcome();
        }
        cancel_and_wait(&fut).await?;
        return match outcome() {
            Err(Error::Cancelled(_)) => Err(Error::timeout()),
            other => other,
        };
    }

    let waiter = FutureInner::<()>::labelled(FutureLabel::WaitFor);
    let timer = lp.call_at_boxed(lp.time() + timeout, Box::new(release(&waiter)));
    let id = fut.add_done(release(&waiter));
    let result = async {
        if let Err(error) = Future::from_inner(waiter).await {
            // The waiting task was cancelled.
            if fut.done() {
                return outcome();
            }
            fut.remove_done(id);
            cancel_and_wait(&fut).await?;
            return Err(error);
        }
        if fut.done() {
            return outcome();
        }
        fut.remove_done(id);
        cancel_and_wait(&fut).await?;
        match outcome() {
            Err(Error::Cancelled(_)) => Err(Error::timeout()),
            other => other,
        }
    }
    .await;
    lp.cancel_callback(&timer);
    result
}

//! `asyncio.gather`: wait for several tasks or futures, results in argument order.
//!
//! Copied from `Lib/asyncio/tasks.py` (CPython 3.11). Each distinct child gets a done callback;
//! the gathering future completes from those callbacks, so the awaiting task resumes two
//! iterations after the last child finishes (one for the callback, one for its own wake-up).
//!
//! - Without `return_exceptions` the first failure (or cancellation) of a child completes the
//!   gathering future at once; the other children keep running ("orphans").
//! - With it ([`gather_settled`]), failures take their place in the result list.
//! - Cancelling the gathering future (or the task awaiting it) cancels every child that is not
//!   done; the gather then fails with `CancelledError` even if the children swallow it.

use std::cell::Cell;
use std::collections::HashSet;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::api::{guarded, CallbackResult};
#[cfg(feature = "python")]
use super::completion::CallbackId;
use super::completion::{ensure_future, Awaitable, Awaiter, ChildDone, DoneCallback, SettleRef, Waitable};
use super::error::Error;
use super::future::FutureInner;

type Outcomes<T> = Vec<Result<T, Error>>;

struct GatherState<T> {
    outer: Rc<FutureInner<Outcomes<T>>>,
    children: Vec<SettleRef<T>>,
    unique: usize,
    finished: Cell<usize>,
    cancel_requested: Cell<bool>,
    return_exceptions: bool,
}

impl<T: Clone + 'static> GatherState<T> {
    fn start<A: Awaitable<T>>(awaitables: impl IntoIterator<Item = A>, return_exceptions: bool) -> Rc<Self> {
        let children: Vec<SettleRef<T>> = awaitables.into_iter().map(|a| a.settle_ref()).collect();
        // A child passed twice gets one done callback (asyncio's `arg_to_fut` dictionary).
        let mut seen: HashSet<*const ()> = HashSet::with_capacity(children.len());
        let first_time: Vec<bool> = children.iter().map(|child| seen.insert(child.key())).collect();
        let state = Rc::new(GatherState {
            outer: FutureInner::labelled(crate::trace::FutureLabel::Gather),
            unique: seen.len(),
            children,
            finished: Cell::new(0),
            cancel_requested: Cell::new(false),
            return_exceptions,
        });
        if state.children.is_empty() {
            state.outer.finish(Ok(Vec::new()));
            return state;
        }
        // Each child's done callback holds the gathering state, as in CPython: a child that fails
        // after the gather failed still has its exception marked retrieved, and a gather nobody
        // retrieves is reported. (The cycle ends as each child finishes and its callbacks go.)
        let parent: Rc<dyn ChildDone> = state.clone();
        for (index, (child, _)) in state
            .children
            .iter()
            .zip(first_time)
            .enumerate()
            .filter(|(_, (_, first))| *first)
        {
            // (A gather of more than 4 billion children would not fit in memory.)
            child.add_child_done(parent.clone(), index as u32);
        }
        state
    }

    /// `_done_callback`. CPython asks `fut.cancelled()` before each `fut.exception()`, which
    /// would raise for a cancelled child; here `exception()` returns the cancellation (handed
    /// out as `fut._make_cancelled_error()` hands it out), so where CPython makes that error
    /// one call serves.
    fn done_callback(&self, child: &SettleRef<T>) {
        self.finished.set(self.finished.get() + 1);
        if self.outer.completion.is_done() {
            child.retrieve_failure();
            return;
        }
        if !self.return_exceptions {
            if let Some(error) = child.exception() {
                self.outer.finish(Err(error));
                return;
            }
        }
        if self.finished.get() == self.unique {
            let results: Outcomes<T> = self
                .children
                .iter()
                .map(|c| {
                    if c.cancelled() {
                        // `CancelledError('' if msg is None else msg)`, handing nothing out.
                        Err(c.settled_cancellation())
                    } else {
                        c.outcome().unwrap_or_else(|| Err(Error::runtime("child not done")))
                    }
                })
                .collect();
            if self.cancel_requested.get() {
                // CPython 3.11 raises `fut._make_cancelled_error()` where `fut` is, by then, the
                // loop variable of the results loop: the last child in argument order, not the
                // one that finished last. A child that was not cancelled gives a bare
                // `CancelledError()`.
                let last = self.children.last().unwrap_or(child);
                self.outer.finish(Err(last
                    .exception()
                    .filter(Error::is_cancelled)
                    .unwrap_or_else(Error::cancelled)));
            } else {
                self.outer.finish(Ok(results));
            }
        }
    }
}

impl<T: Clone + 'static> ChildDone for GatherState<T> {
    fn child_done(&self, index: u32) {
        if let Some(child) = self.children.get(index as usize) {
            self.done_callback(child);
        }
    }
}

impl<T: Clone + 'static> Waitable for GatherState<T> {
    /// `_GatheringFuture.cancel`: cancel every child; true if any accepted.
    fn cancel_waitable(&self, message: Option<Rc<str>>) -> bool {
        if self.outer.completion.is_done() {
            return false;
        }
        let mut any = false;
        for child in &self.children {
            if child.cancel(message.clone()) {
                any = true;
            }
        }
        if any {
            self.cancel_requested.set(true);
        }
        any
    }

    fn describe(&self) -> String {
        let names: Vec<String> = self
            .children
            .iter()
            .map(|c| c.task_name().map_or("a future".into(), |n| format!("Task {n}")))
            .collect();
        format!("gather({})", names.join(", "))
    }

    fn awaiting(&self) -> crate::trace::Awaiting {
        crate::trace::Awaiting::Gather(self.children.iter().map(|c| c.task_id()).collect())
    }

    fn awaited_tasks(&self) -> Vec<crate::trace::TaskId> {
        self.children.iter().filter_map(|c| c.task_id()).collect()
    }
}

/// `asyncio.gather(*aws)`: the results in argument order, or the first failure. Made by
/// [`gather`].
pub struct Gather<T> {
    state: Rc<GatherState<T>>,
    awaiter: Awaiter,
}

/// `asyncio.gather(*aws, return_exceptions=True)`: every outcome in argument order. Made by
/// [`gather_settled`].
pub struct GatherSettled<T> {
    state: Rc<GatherState<T>>,
    awaiter: Awaiter,
}

/// `asyncio.gather(*aws)`: each of `awaitables` is a task, a low-level future, or a coroutine
/// (any other future with a `Result` output), which is spawned as a task (as `gather` does with
/// `ensure_future`, in argument order, when called). For children of different result types, see
/// [`gather!`](crate::gather!).
///
/// # Examples
///
/// ```python
/// async def fetch(n):
///     await asyncio.sleep(n)
///     return n * 10
///
/// results = await asyncio.gather(*(fetch(n) for n in (2, 1, 3)))
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// async fn fetch(n: u32) -> Result<u32, Error> {
///     sleep(f64::from(n)).await?;
///     Ok(n * 10)
/// }
///
/// let report = run_report(async {
///     let results = gather([2, 1, 3].map(fetch)).await?;
///     log(format!("{} after {}", py_repr(&results), py_repr(&now())));
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["3.000 Task-1 [20, 10, 30] after 3.0"]);
/// ```
pub fn gather<T, A>(awaitables: impl IntoIterator<Item = A>) -> Gather<T>
where
    T: Clone + 'static,
    A: std::future::Future<Output = Result<T, Error>> + 'static,
{
    Gather {
        state: GatherState::start(awaitables.into_iter().map(ensure_future), false),
        awaiter: Awaiter::default(),
    }
}

/// `asyncio.gather(*aws, return_exceptions=True)`. For children of different result types, see
/// [`gather_settled!`](crate::gather_settled!).
///
/// # Examples
///
/// ```python
/// results = await asyncio.gather(ok(), fail(), return_exceptions=True)
/// print(results)
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// async fn call(fail: bool) -> Result<&'static str, Error> {
///     if fail {
///         return Err(Error::new("KeyError", "missing"));
///     }
///     Ok("fine")
/// }
///
/// let report = run_report(async {
///     let results = gather_settled(vec![call(false), call(true)]).await?;
///     let shown: Vec<String> = results
///         .iter()
///         .map(|r| r.as_ref().map_or_else(Error::repr, |v| py_repr(v)))
///         .collect();
///     log(py_list(shown));
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["0.000 Task-1 ['fine', KeyError('missing')]"]);
/// ```
pub fn gather_settled<T, A>(awaitables: impl IntoIterator<Item = A>) -> GatherSettled<T>
where
    T: Clone + 'static,
    A: std::future::Future<Output = Result<T, Error>> + 'static,
{
    GatherSettled {
        state: GatherState::start(awaitables.into_iter().map(ensure_future), true),
        awaiter: Awaiter::default(),
    }
}

impl<T: Clone + 'static> Gather<T> {
    /// A gather of handles already made (`gather!` gives it views of its children).
    pub(crate) fn of(children: Vec<SettleRef<T>>) -> Self {
        Gather {
            state: GatherState::start(children, false),
            awaiter: Awaiter::default(),
        }
    }
}

impl<T: Clone + 'static> GatherSettled<T> {
    /// A gather of handles already made (`gather_settled!` gives it views of its children).
    pub(crate) fn of(children: Vec<SettleRef<T>>) -> Self {
        GatherSettled {
            state: GatherState::start(children, true),
            awaiter: Awaiter::default(),
        }
    }
}

macro_rules! gathering_future {
    ($name:ident, $output:ty, $map:expr) => {
        impl<T: Clone + 'static> $name<T> {
            /// `cancel()`: cancels every child not yet done; false if none accepted.
            pub fn cancel(&self) -> bool {
                self.state.cancel_waitable(None)
            }

            /// `cancel(msg)`: each child not yet done is cancelled with `msg`.
            pub fn cancel_with(&self, msg: impl Into<Rc<str>>) -> bool {
                self.state.cancel_waitable(Some(msg.into()))
            }

            /// `done()`.
            pub fn done(&self) -> bool {
                self.state.outer.completion.is_done()
            }

            /// `result()` of a gathering future that nobody need have awaited: its outcome if
            /// done (marking a failure retrieved), `None` while pending.
            pub fn result(&self) -> Option<Result<$output, Error>> {
                let map: fn(Outcomes<T>) -> Result<$output, Error> = $map;
                self.state.outer.completion.result().map(|r| r.and_then(map))
            }

            /// [`Self::result`] without marking a failure retrieved (for a repr).
            pub fn peek(&self) -> Option<Result<$output, Error>> {
                let map: fn(Outcomes<T>) -> Result<$output, Error> = $map;
                self.state.outer.completion.peek().map(|r| r.and_then(map))
            }

            /// `add_done_callback(fn)`: `callback` runs one iteration after the gathering future
            /// is done (in the next iteration if it is already), in turn with the tasks that
            /// await it.
            pub fn add_done_callback<R: CallbackResult>(&self, callback: impl FnOnce() -> R + 'static) {
                let lp = self.state.outer.loop_core();
                self.state
                    .outer
                    .completion
                    .add_callback(lp.as_ref(), DoneCallback::Call(guarded(callback)));
            }

            #[cfg(feature = "python")]
            /// A done callback that [`Self::remove_done`] can take back (for the Python lab's
            /// gather of a gather, which watches it as it watches a task).
            pub(crate) fn add_done(&self, callback: Box<dyn FnOnce()>) -> CallbackId {
                let lp = self.state.outer.loop_core();
                self.state
                    .outer
                    .completion
                    .add_callback(lp.as_ref(), DoneCallback::Call(callback))
            }

            #[cfg(feature = "python")]
            pub(crate) fn remove_done(&self, id: CallbackId) {
                self.state.outer.completion.remove_callback(id);
            }

            #[cfg(feature = "python")]
            /// Its identity, the same for every handle on it.
            pub(crate) fn key(&self) -> *const () {
                Rc::as_ptr(&self.state) as *const ()
            }
        }

        /// Another handle on the same gathering future, for another await of it (asyncio's
        /// future can be awaited by several tasks, and again once done).
        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                $name {
                    state: self.state.clone(),
                    awaiter: Awaiter::default(),
                }
            }
        }

        impl<T: Clone + 'static> std::future::Future for $name<T> {
            type Output = Result<$output, Error>;

            fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
                let this = self.get_mut();
                let state = this.state.clone();
                let map: fn(Outcomes<T>) -> Result<$output, Error> = $map;
                this.awaiter
                    .poll(cx, &state.outer.completion, || state.clone() as Rc<dyn Waitable>)
                    .map(|r| r.and_then(map))
            }
        }

        impl<T> Drop for $name<T> {
            fn drop(&mut self) {
                self.awaiter.deregister(&self.state.outer.completion);
            }
        }
    };
}

gathering_future!(Gather, Vec<T>, |outcomes| outcomes.into_iter().collect());
gathering_future!(GatherSettled, Outcomes<T>, Ok);

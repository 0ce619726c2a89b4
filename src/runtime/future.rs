//! The low-level future (asyncio's `Future`): a result that some callback will set.

use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll};

use super::api::{guarded, CallbackResult};
use super::completion::{Awaitable, Awaiter, Completion, DoneCallback, SettleRef, Settleable, Waitable};
use super::error::{Error, ExceptionClass};
use super::event_loop::{current_loop, ExceptionContext, LoopCore};
use crate::trace::FutureLabel;

pub(crate) struct FutureInner<T> {
    pub(crate) completion: Completion<T>,
    lp: Weak<LoopCore>,
    /// The asyncio call that made it, for the trace (`queue.get()`); it also gives the class
    /// that warnings name (`Future`, `_GatheringFuture`).
    label: FutureLabel,
}

impl<T> FutureInner<T> {
    /// A plain future (`loop.create_future()`).
    pub(crate) fn new() -> Rc<Self> {
        Self::labelled(FutureLabel::Plain)
    }

    /// A future that the asyncio call `label` makes for a task to wait on.
    pub(crate) fn labelled(label: FutureLabel) -> Rc<Self> {
        let lp = current_loop().map(|lp| Rc::downgrade(&lp)).unwrap_or_default();
        Rc::new(FutureInner {
            completion: Completion::new(),
            lp,
            label,
        })
    }

    /// [`FutureInner::labelled`], made of `spare` where it can be: a future that finished with a
    /// result, that nobody else holds, made in the running loop. An asyncio call that makes a
    /// future for every wait (`queue.get()`) keeps its last one for the next, which saves an
    /// allocation and a free a wait (nothing can tell the two apart: nobody else holds it, and
    /// a future that finished with a result reports nothing when dropped).
    pub(crate) fn labelled_reusing(spare: Option<Rc<Self>>, label: FutureLabel) -> Rc<Self> {
        if let Some(mut spare) = spare {
            let lp = current_loop();
            let same_loop = lp
                .as_ref()
                .is_some_and(|lp| std::ptr::eq(spare.lp.as_ptr(), Rc::as_ptr(lp)));
            if let Some(inner) = Rc::get_mut(&mut spare).filter(|_| same_loop) {
                if inner.completion.finished_with_result() {
                    inner.completion = Completion::new();
                    inner.label = label;
                    return spare;
                }
            }
        }
        Self::labelled(label)
    }

    pub(crate) fn loop_core(&self) -> Option<Rc<LoopCore>> {
        self.lp.upgrade()
    }

    pub(crate) fn finish(&self, result: Result<T, Error>) -> bool {
        self.completion.finish(self.lp.upgrade().as_ref(), result)
    }
}

impl<T> Drop for FutureInner<T> {
    /// `Future.__del__`: a failure nobody retrieved is reported. A gathering future is given
    /// its cancellation as an exception (`outer.set_exception(exc)`), which is reported too.
    fn drop(&mut self) {
        let unretrieved = match self.label {
            FutureLabel::Gather => self.completion.unretrieved_failure(),
            _ => self.completion.unretrieved_error(),
        };
        let (Some(lp), Some(e)) = (self.lp.upgrade(), unretrieved) else {
            return;
        };
        lp.call_exception_handler(ExceptionContext {
            message: format!("{} exception was never retrieved", self.label.class()),
            task: None,
            task_id: None,
            exception: Some(e),
        });
    }
}

impl<T> Waitable for FutureInner<T> {
    /// `Future.cancel`, which clears `__log_traceback` before it looks at the state: cancelling
    /// a future that has failed counts as retrieving its failure.
    fn cancel_waitable(&self, message: Option<Rc<str>>) -> bool {
        let cancelled = self.finish(Err(Error::Cancelled(message)));
        if !cancelled {
            self.completion.mark_retrieved();
        }
        cancelled
    }

    fn describe(&self) -> String {
        "a future".to_string()
    }

    fn awaiting(&self) -> crate::trace::Awaiting {
        crate::trace::Awaiting::Future(self.label)
    }
}

impl<T: 'static> Awaitable<T> for Future<T> {
    fn settle_ref(&self) -> SettleRef<T> {
        SettleRef(Settleable::Future(self.inner.clone()))
    }
}

/// A low-level future (`loop.create_future()`): awaiting it suspends until something calls
/// [`Future::set_result`], [`Future::set_exception`] or [`Future::cancel`]; every awaiter then
/// resumes one iteration later, in the order they started waiting.
///
/// Not to be confused with the trait `std::future::Future`, which it implements.
///
/// # Examples
///
/// ```python
/// fut = asyncio.get_running_loop().create_future()
/// asyncio.get_running_loop().call_later(1, fut.set_result, "ready")
/// print(await fut)
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     let fut: Future<&str> = Future::new();
///     let setter = fut.clone();
///     call_later(1.0, move || setter.set_result("ready"));
///     log(fut.await?);
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["1.000 Task-1 ready"]);
/// ```
pub struct Future<T> {
    inner: Rc<FutureInner<T>>,
    awaiter: Awaiter,
}

impl<T> Clone for Future<T> {
    fn clone(&self) -> Self {
        Future {
            inner: self.inner.clone(),
            awaiter: Awaiter::default(),
        }
    }
}

impl<T: 'static> Default for Future<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: 'static> Future<T> {
    /// `loop.create_future()` on the running loop.
    pub fn new() -> Self {
        Self::from_inner(FutureInner::new())
    }

    pub(crate) fn from_inner(inner: Rc<FutureInner<T>>) -> Self {
        Future {
            inner,
            awaiter: Awaiter::default(),
        }
    }

    /// `set_result(value)`. Fails with `InvalidStateError` if the future is already done.
    pub fn set_result(&self, value: T) -> Result<(), Error> {
        self.settle(Ok(value))
    }

    /// `set_exception(error)`. Fails with `InvalidStateError` if the future is already done.
    pub fn set_exception(&self, error: Error) -> Result<(), Error> {
        self.settle(Err(error))
    }

    fn settle(&self, result: Result<T, Error>) -> Result<(), Error> {
        if self.inner.finish(result) {
            Ok(())
        } else {
            Err(Error::new(ExceptionClass::InvalidStateError, "invalid state"))
        }
    }

    /// `cancel()`: false if already done.
    pub fn cancel(&self) -> bool {
        self.inner.cancel_waitable(None)
    }

    /// `cancel(msg)`: false if already done.
    pub fn cancel_with(&self, message: impl Into<Rc<str>>) -> bool {
        self.inner.cancel_waitable(Some(message.into()))
    }

    /// `add_done_callback(fn)`: `callback` runs with this future, one iteration after it is
    /// done. A callback that fails is reported to the loop's exception handler; the loop goes on.
    pub fn add_done_callback<R: CallbackResult>(&self, callback: impl FnOnce(&Future<T>) -> R + 'static) {
        let me = self.clone();
        let lp = self.inner.lp.upgrade();
        self.inner
            .completion
            .add_callback(lp.as_ref(), DoneCallback::Call(guarded(move || callback(&me))));
    }

    /// `exception()`: the failure of a future that is done (a cancellation included), or `None`
    /// (it has a result, or is not done). Marks the failure retrieved.
    pub fn exception(&self) -> Option<Error> {
        self.inner.completion.mark_retrieved();
        self.inner.completion.peek_error()
    }

    /// `done()`.
    pub fn done(&self) -> bool {
        self.inner.completion.is_done()
    }

    /// `cancelled()`.
    pub fn cancelled(&self) -> bool {
        self.inner.completion.is_cancelled()
    }
}

impl<T: Clone + 'static> Future<T> {
    /// `result()`: the outcome if done, `None` otherwise.
    pub fn result(&self) -> Option<Result<T, Error>> {
        self.inner.completion.result()
    }
}

impl<T: Clone + 'static> std::future::Future for Future<T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let inner = this.inner.clone();
        this.awaiter
            .poll(cx, &inner.completion, || inner.clone() as Rc<dyn Waitable>)
    }
}

impl<T> Drop for Future<T> {
    fn drop(&mut self) {
        self.awaiter.deregister(&self.inner.completion);
    }
}

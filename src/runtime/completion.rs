//! The result slot shared by tasks and low-level futures, and the one way to await it.
//!
//! asyncio's `Future` is a result plus a list of done callbacks; a `Task` is a `Future` that runs
//! a coroutine. Here both keep their result in a [`Completion`]. The rules copied from
//! `Lib/asyncio/futures.py`:
//!
//! - when the result is set (or the future cancelled), every done callback is scheduled with
//!   `call_soon`, in the order they were added, so an awaiter resumes one iteration later;
//! - awaiting a finished completion does not suspend;
//! - an awaiting task adds exactly one callback (its wake-up) and records what it awaits, so that
//!   cancelling the task can cancel that (asyncio's `_fut_waiter`).

use std::cell::RefCell;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::error::Error;
use super::event_loop::{current_loop, LoopCore};
use super::task::AnyTask;

/// What a done callback does when the completion finishes.
pub(crate) enum DoneCallback {
    /// Resume a task (its `__wakeup`).
    Wake(Rc<dyn AnyTask>),
    /// Wake a foreign awaiter (a Rust waker, when awaited outside any looplab task).
    Waker(Waker),
    /// Run a function (`add_done_callback`).
    Call(Box<dyn FnOnce()>),
}

pub(crate) enum State<T> {
    Pending,
    Done(Result<T, Error>),
}

/// A result slot with done callbacks: the common part of asyncio's `Future` and `Task`.
pub(crate) struct Completion<T> {
    state: RefCell<State<T>>,
    callbacks: RefCell<Vec<DoneCallback>>,
    /// Whether anyone has looked at a failure (`exception()`, `result()`, an await): asyncio's
    /// `_log_traceback` in reverse.
    retrieved: std::cell::Cell<bool>,
}

impl<T> Completion<T> {
    pub(crate) fn new() -> Self {
        Completion {
            state: RefCell::new(State::Pending),
            callbacks: RefCell::new(Vec::new()),
            retrieved: std::cell::Cell::new(false),
        }
    }

    pub(crate) fn is_done(&self) -> bool {
        matches!(*self.state.borrow(), State::Done(_))
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        matches!(*self.state.borrow(), State::Done(Err(Error::Cancelled(_))))
    }

    /// Sets the result and schedules the done callbacks. Returns false (and changes nothing) if
    /// the completion had already finished, as `set_result` on a done future would raise.
    pub(crate) fn finish(&self, lp: Option<&Rc<LoopCore>>, result: Result<T, Error>) -> bool {
        {
            let mut state = self.state.borrow_mut();
            if let State::Done(_) = *state {
                return false;
            }
            *state = State::Done(result);
        }
        let callbacks = std::mem::take(&mut *self.callbacks.borrow_mut());
        for callback in callbacks {
            schedule_callback(lp, callback);
        }
        true
    }

    /// `add_done_callback`: runs `callback` one iteration after completion (or in the next
    /// iteration if already done).
    pub(crate) fn add_callback(&self, lp: Option<&Rc<LoopCore>>, callback: DoneCallback) {
        if self.is_done() {
            schedule_callback(lp, callback);
        } else {
            self.callbacks.borrow_mut().push(callback);
        }
    }

    /// Removes the wake-up registered by `task`, if it is still waiting here.
    fn remove_wake(&self, task: &Rc<dyn AnyTask>) {
        let id = task.header().id;
        let mut callbacks = self.callbacks.borrow_mut();
        if let Some(i) = callbacks
            .iter()
            .position(|c| matches!(c, DoneCallback::Wake(t) if t.header().id == id))
        {
            callbacks.remove(i);
        }
    }

    pub(crate) fn mark_retrieved(&self) {
        self.retrieved.set(true);
    }

    /// The failure, if finished with one (without marking it retrieved).
    pub(crate) fn peek_error(&self) -> Option<Error> {
        match &*self.state.borrow() {
            State::Done(Err(e)) => Some(e.clone()),
            _ => None,
        }
    }
}

impl<T: Clone> Completion<T> {
    /// The result if finished, marking a failure as retrieved.
    pub(crate) fn result(&self) -> Option<Result<T, Error>> {
        match &*self.state.borrow() {
            State::Pending => None,
            State::Done(r) => {
                self.retrieved.set(true);
                Some(r.clone())
            }
        }
    }
}

fn schedule_callback(lp: Option<&Rc<LoopCore>>, callback: DoneCallback) {
    match (callback, lp) {
        (DoneCallback::Wake(task), Some(lp)) => lp.schedule_step(task),
        (DoneCallback::Call(f), Some(lp)) => {
            lp.call_soon_boxed(f);
        }
        (DoneCallback::Waker(waker), _) => waker.wake(),
        // A completion whose loop is gone has nobody left to run its callbacks.
        (_, None) => {}
    }
}

/// Something a task can wait on, so that cancelling the task can cancel it (asyncio's
/// `_fut_waiter.cancel()`): a low-level future is cancelled, an awaited task is cancelled in turn.
pub(crate) trait Waitable {
    /// Cancels it; false if it was already done.
    fn cancel_waitable(&self, message: Option<Rc<str>>) -> bool;
    /// A short description for task dumps: what the waiting task awaits.
    fn describe(&self) -> String;
}

/// The per-awaiter part of awaiting a completion: whether this awaiter registered its wake-up.
#[derive(Default)]
pub(crate) struct Awaiter {
    registered: Option<Rc<dyn AnyTask>>,
}

impl Awaiter {
    /// Polls `completion` from whatever awaits it, the way `await fut` behaves in a task:
    /// a cancellation pending for the current task is delivered here first; a finished
    /// completion answers at once; otherwise the task registers its wake-up and records
    /// `waitable` as what it waits on.
    pub(crate) fn poll<T: Clone>(
        &mut self,
        cx: &mut Context<'_>,
        completion: &Completion<T>,
        waitable: impl FnOnce() -> Rc<dyn Waitable>,
    ) -> Poll<Result<T, Error>> {
        let lp = current_loop();
        let task = lp.as_ref().and_then(|lp| lp.current_task());
        if let Some(task) = &task {
            if let Some(error) = task.header().take_cancel_delivery() {
                self.deregister(completion);
                return Poll::Ready(Err(error));
            }
        }
        if let Some(result) = completion.result() {
            self.registered = None;
            return Poll::Ready(result);
        }
        match task {
            Some(task) => {
                if self.registered.is_none() {
                    completion.add_callback(lp.as_ref(), DoneCallback::Wake(task.clone()));
                    self.registered = Some(task.clone());
                }
                task.header().set_fut_waiter(waitable());
            }
            None => completion.add_callback(lp.as_ref(), DoneCallback::Waker(cx.waker().clone())),
        }
        Poll::Pending
    }

    /// Forget the registration (when the awaiting future is dropped or cancelled before the
    /// completion finished), so the completion does not wake a task that no longer waits.
    pub(crate) fn deregister<T>(&mut self, completion: &Completion<T>) {
        if let Some(task) = self.registered.take() {
            if !completion.is_done() {
                completion.remove_wake(&task);
            }
        }
    }
}

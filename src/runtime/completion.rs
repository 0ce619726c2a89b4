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

use smallvec::SmallVec;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::error::Error;
use super::event_loop::{current_loop, LoopCore};
use super::future::FutureInner;
use super::task::{AnyTask, TaskCell};

/// Names a done callback, so it can be removed (`remove_done_callback`). 32 bits keep every
/// future's callback list small; the numbers wrap after 4 billion callbacks, and only a callback
/// still pending on the same future after that many could be mistaken for another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CallbackId(u32);

thread_local! {
    static NEXT_CALLBACK: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

fn next_callback_id() -> CallbackId {
    NEXT_CALLBACK.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        CallbackId(id)
    })
}

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
    callbacks: RefCell<SmallVec<[(CallbackId, DoneCallback); 1]>>,
    /// Whether anyone has looked at a failure (`exception()`, `result()`, an await): asyncio's
    /// `_log_traceback` in reverse.
    retrieved: std::cell::Cell<bool>,
}

impl<T> Completion<T> {
    pub(crate) fn new() -> Self {
        Completion {
            state: RefCell::new(State::Pending),
            callbacks: RefCell::new(SmallVec::new()),
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
        for (_, callback) in callbacks {
            schedule_callback(lp, callback);
        }
        true
    }

    /// `add_done_callback`: runs `callback` one iteration after completion (or in the next
    /// iteration if already done).
    pub(crate) fn add_callback(&self, lp: Option<&Rc<LoopCore>>, callback: DoneCallback) -> CallbackId {
        let id = next_callback_id();
        if self.is_done() {
            schedule_callback(lp, callback);
        } else {
            self.callbacks.borrow_mut().push((id, callback));
        }
        id
    }

    /// `remove_done_callback`: the callback will not run (if it has not been scheduled yet).
    pub(crate) fn remove_callback(&self, id: CallbackId) {
        self.callbacks.borrow_mut().retain(|(i, _)| *i != id);
    }

    /// Removes the wake-up registered by `task`, if it is still waiting here.
    fn remove_wake(&self, task: &Rc<dyn AnyTask>) {
        let id = task.header().id;
        let mut callbacks = self.callbacks.borrow_mut();
        if let Some(i) = callbacks
            .iter()
            .position(|(_, c)| matches!(c, DoneCallback::Wake(t) if t.header().id == id))
        {
            callbacks.remove(i);
        }
    }

    pub(crate) fn mark_retrieved(&self) {
        self.retrieved.set(true);
    }

    /// A failure nobody looked at (asyncio's `_log_traceback`): a cancellation never counts.
    pub(crate) fn unretrieved_error(&self) -> Option<Error> {
        if self.retrieved.get() {
            return None;
        }
        match &*self.state.borrow() {
            State::Done(Err(e)) if !e.is_cancelled() => Some(e.clone()),
            _ => None,
        }
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
        (DoneCallback::Call(f), Some(lp)) => lp.call_soon_done(f),
        (DoneCallback::Waker(waker), _) => waker.wake(),
        // A completion whose loop is gone has nobody left to run its callbacks.
        (_, None) => {}
    }
}

/// A task, a low-level future or a gather, as a task waiting on it sees it (asyncio's
/// `_fut_waiter`): cancelling the waiting task cancels it (a low-level future is cancelled, an
/// awaited task is cancelled in turn, a gather cancels its children), and task dumps, the await
/// graph and the trace say what it is. The typed side (its result slot, for `gather`, `wait`,
/// `shield`, ...) is [`SettleRef`].
pub(crate) trait Waitable {
    /// Cancels it; false if it was already done (or refused).
    fn cancel_waitable(&self, message: Option<Rc<str>>) -> bool;
    /// A short description for task dumps: what the waiting task awaits.
    fn describe(&self) -> String;
    /// What the trace records of it (cheap: no text).
    fn awaiting(&self) -> crate::trace::Awaiting;
    /// The tasks it stands for (itself for a task, the children of a gather), for the await graph.
    fn awaited_tasks(&self) -> Vec<crate::trace::TaskId> {
        Vec::new()
    }
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
            None => {
                completion.add_callback(lp.as_ref(), DoneCallback::Waker(cx.waker().clone()));
            }
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

/// A handle on a task or future with a result of type `T`, as the functions that accept either
/// (`gather`, `wait`, `as_completed`, `shield`, `wait_for`) see it.
#[doc(hidden)]
pub struct SettleRef<T>(pub(crate) Settleable<T>);

/// The two things that settle: a task and a low-level future.
pub(crate) enum Settleable<T> {
    Task(Rc<TaskCell<T>>),
    Future(Rc<FutureInner<T>>),
}

impl<T> Clone for SettleRef<T> {
    fn clone(&self) -> Self {
        SettleRef(match &self.0 {
            Settleable::Task(t) => Settleable::Task(t.clone()),
            Settleable::Future(f) => Settleable::Future(f.clone()),
        })
    }
}

impl<T: 'static> SettleRef<T> {
    fn completion(&self) -> &Completion<T> {
        match &self.0 {
            Settleable::Task(t) => t.completion(),
            Settleable::Future(f) => &f.completion,
        }
    }

    fn loop_core(&self) -> Option<Rc<LoopCore>> {
        match &self.0 {
            Settleable::Task(t) => t.header().lp.upgrade(),
            Settleable::Future(f) => f.loop_core(),
        }
    }

    /// Its identity, to recognise the same awaitable passed twice.
    pub(crate) fn key(&self) -> *const () {
        match &self.0 {
            Settleable::Task(t) => Rc::as_ptr(t) as *const (),
            Settleable::Future(f) => Rc::as_ptr(f) as *const (),
        }
    }

    /// The task's name, for a task.
    pub(crate) fn task_name(&self) -> Option<Rc<str>> {
        match &self.0 {
            Settleable::Task(t) => Some(t.header().name()),
            Settleable::Future(_) => None,
        }
    }

    /// The task's id, for a task.
    pub(crate) fn task_id(&self) -> Option<crate::trace::TaskId> {
        match &self.0 {
            Settleable::Task(t) => Some(t.header().id),
            Settleable::Future(_) => None,
        }
    }

    pub(crate) fn add_done(&self, callback: impl FnOnce() + 'static) -> CallbackId {
        let lp = self.loop_core();
        self.completion()
            .add_callback(lp.as_ref(), DoneCallback::Call(Box::new(callback)))
    }

    pub(crate) fn remove_done(&self, id: CallbackId) {
        self.completion().remove_callback(id);
    }

    pub(crate) fn done(&self) -> bool {
        self.completion().is_done()
    }

    pub(crate) fn cancelled(&self) -> bool {
        self.completion().is_cancelled()
    }

    /// `exception()` of a done awaitable (marking it retrieved); a cancellation is returned too.
    pub(crate) fn exception(&self) -> Option<Error> {
        self.completion().mark_retrieved();
        self.completion().peek_error()
    }

    /// `cancel(msg)`.
    pub(crate) fn cancel(&self, message: Option<Rc<str>>) -> bool {
        match &self.0 {
            Settleable::Task(t) => t.cancel(message),
            Settleable::Future(f) => f.cancel_waitable(message),
        }
    }
}

impl<T: Clone + 'static> SettleRef<T> {
    pub(crate) fn outcome(&self) -> Option<Result<T, Error>> {
        self.completion().result()
    }
}

mod sealed {
    pub trait Sealed {}
    impl<T> Sealed for crate::runtime::Task<T> {}
    impl<T> Sealed for crate::runtime::Future<T> {}
}

/// A task or a low-level future: what `gather`, `wait`, `as_completed`, `shield` and
/// `wait_for` accept (asyncio's "awaitables" other than bare coroutines; spawn a coroutine
/// first, as `ensure_future` would).
pub trait Awaitable<T>: sealed::Sealed + 'static {
    #[doc(hidden)]
    fn settle_ref(&self) -> SettleRef<T>;
}

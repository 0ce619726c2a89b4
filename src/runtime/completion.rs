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
use super::event_loop::{current_cancel_delivery, current_loop, LoopCore};
use super::future::FutureInner;
use super::task::{TaskPtr, TypedTaskPtr};

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
    Wake(TaskPtr),
    /// Wake a foreign awaiter (a Rust waker, when awaited outside any looplab task).
    Waker(Waker),
    /// Run a function (`add_done_callback`).
    Call(Box<dyn FnOnce()>),
    /// Tell a gather that its child at this place finished (no boxed function per child). As
    /// in CPython, where each child's callback holds the gathering future, the gather lives
    /// until its children are done, whoever else lets go of it.
    Child(Rc<dyn ChildDone>, u32),
}

/// What waits on several children, told which one finished by its place among them (a
/// gather's `_done_callback`).
pub(crate) trait ChildDone {
    fn child_done(&self, index: u32);
}

pub(crate) enum State<T> {
    Pending,
    /// A task's future has returned this, and the task finishes with it at the end of its step
    /// (until then, it is not done).
    Returned(Result<T, Error>),
    Done(Result<T, Error>),
}

/// How a cancelled completion hands out its cancellation (CPython 3.11's
/// `_make_cancelled_error`). A future cancelled by `cancel(msg)`, or a task cancelled right
/// before its coroutine returned, keeps `msg` (`_cancel_message`) and every `result()`,
/// `exception()` and await raises a new `CancelledError(msg)`. A task whose coroutine raised
/// the `CancelledError` keeps that exception (`_cancelled_exc`) and no message: the first who
/// asks gets it, with its message, and everyone after a bare `CancelledError()`. gather with
/// `return_exceptions=True` asks for the message only ([`Completion::settled_cancellation`]).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handout {
    /// `_cancel_message` (or not cancelled at all).
    Message,
    /// `_cancelled_exc`, not yet handed out.
    Raised,
    /// Handed out once: the last hand-out was the raised exception itself.
    GivenOnce,
    /// Handed out more than once: bare `CancelledError()`s since.
    GivenAgain,
}

impl Handout {
    /// `_make_cancelled_error()` for a stored failure `error` someone asks for: the raised
    /// cancellation the first time, a bare one after.
    fn hand_out(cell: &std::cell::Cell<Handout>, error: Error) -> Error {
        match cell.get() {
            Handout::Message => error,
            Handout::Raised => {
                cell.set(Handout::GivenOnce);
                error
            }
            Handout::GivenOnce | Handout::GivenAgain => {
                cell.set(Handout::GivenAgain);
                Error::cancelled()
            }
        }
    }

    /// [`Completion::settled_cancellation`] of the cancellation `stored`.
    fn settled(self, stored: Option<Error>) -> Error {
        match (self, stored) {
            (Handout::Message, Some(error @ Error::Cancelled(Some(_)))) => error,
            _ => Error::Cancelled(Some("".into())),
        }
    }
}

/// A result slot with done callbacks: the common part of asyncio's `Future` and `Task`.
pub(crate) struct Completion<T> {
    state: RefCell<State<T>>,
    callbacks: RefCell<SmallVec<[(CallbackId, DoneCallback); 1]>>,
    /// Whether anyone has looked at a failure (`exception()`, `result()`, an await): asyncio's
    /// `_log_traceback` in reverse.
    retrieved: std::cell::Cell<bool>,
    /// See [`Handout`].
    handout: std::cell::Cell<Handout>,
}

impl<T> Completion<T> {
    pub(crate) fn new() -> Self {
        Completion {
            state: RefCell::new(State::Pending),
            callbacks: RefCell::new(SmallVec::new()),
            retrieved: std::cell::Cell::new(false),
            handout: std::cell::Cell::new(Handout::Message),
        }
    }

    /// A task is finishing with `error`, which its own future raised: a cancellation is kept
    /// to be handed out once (see [`Handout`]).
    pub(crate) fn raised(&self, error: &Error) {
        if error.is_cancelled() {
            self.handout.set(Handout::Raised);
        }
    }

    /// See [`Handout::hand_out`].
    fn hand_out(&self, error: Error) -> Error {
        Handout::hand_out(&self.handout, error)
    }

    /// Whether the last hand-out of its cancellation was the first of a raised one (so the
    /// Python lab raises the very exception object the coroutine raised).
    #[cfg(feature = "python")]
    pub(crate) fn handed_out_raised(&self) -> bool {
        self.handout.get() == Handout::GivenOnce
    }

    /// `exception()` of a done completion, marking it retrieved; a cancellation is returned too
    /// (and handed out, see [`Handout`]).
    pub(crate) fn exception(&self) -> Option<Error> {
        self.retrieved.set(true);
        self.peek_error().map(|e| self.hand_out(e))
    }

    /// gather's `CancelledError('' if fut._cancel_message is None else fut._cancel_message)`
    /// for a cancelled child under `return_exceptions=True`: hands nothing out.
    pub(crate) fn settled_cancellation(&self) -> Error {
        self.handout.get().settled(self.peek_error())
    }

    pub(crate) fn is_done(&self) -> bool {
        matches!(*self.state.borrow(), State::Done(_))
    }

    /// How many tasks wait for this to be done (the `Task.task_wakeup()` entries of asyncio's
    /// `_callbacks`).
    pub(crate) fn waiting_tasks(&self) -> usize {
        self.callbacks
            .borrow()
            .iter()
            .filter(|(_, c)| matches!(c, DoneCallback::Wake(_)))
            .count()
    }

    /// Whether it finished with a result (not a failure, not a cancellation).
    pub(crate) fn finished_with_result(&self) -> bool {
        matches!(*self.state.borrow(), State::Done(Ok(_)))
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
        let callbacks = {
            let mut callbacks = self.callbacks.borrow_mut();
            if callbacks.is_empty() {
                // Most tasks finish with nobody awaiting them yet: no list to take apart.
                return true;
            }
            std::mem::take(&mut *callbacks)
        };
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
    fn remove_wake(&self, task: &TaskPtr) {
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

    /// Keeps what a task's future returned until the task finishes with it ([`Self::take_returned`]).
    // Not inlined: the task's poll, which calls it, is made for every kind of future spawned.
    #[inline(never)]
    pub(crate) fn keep_returned(&self, result: Result<T, Error>) {
        *self.state.borrow_mut() = State::Returned(result);
    }

    /// What a task's future returned, kept by [`Self::keep_returned`].
    pub(crate) fn take_returned(&self) -> Option<Result<T, Error>> {
        let mut state = self.state.borrow_mut();
        match std::mem::replace(&mut *state, State::Pending) {
            State::Returned(result) => Some(result),
            other => {
                *state = other;
                None
            }
        }
    }

    /// A failure nobody looked at (asyncio's `_log_traceback`): a cancellation never counts.
    pub(crate) fn unretrieved_error(&self) -> Option<Error> {
        self.unretrieved_failure().filter(|e| !e.is_cancelled())
    }

    /// [`Self::unretrieved_error`], a cancellation included.
    pub(crate) fn unretrieved_failure(&self) -> Option<Error> {
        if self.retrieved.get() {
            return None;
        }
        match &*self.state.borrow() {
            State::Done(Err(e)) => Some(e.clone()),
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
    /// The result if finished, marking a failure as retrieved (a cancellation is handed out,
    /// see [`Handout`]).
    pub(crate) fn result(&self) -> Option<Result<T, Error>> {
        let result = self.peek();
        if result.is_some() {
            self.retrieved.set(true);
        }
        result.map(|r| r.map_err(|e| self.hand_out(e)))
    }

    /// The result if finished, leaving a failure unretrieved.
    pub(crate) fn peek(&self) -> Option<Result<T, Error>> {
        match &*self.state.borrow() {
            State::Pending | State::Returned(_) => None,
            State::Done(r) => Some(r.clone()),
        }
    }
}

fn schedule_callback(lp: Option<&Rc<LoopCore>>, callback: DoneCallback) {
    match (callback, lp) {
        (DoneCallback::Wake(task), Some(lp)) => lp.schedule_step(task),
        (DoneCallback::Call(f), Some(lp)) => lp.call_soon_done(f),
        (DoneCallback::Child(parent, index), Some(lp)) => lp.call_soon_child_done(parent, index),
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

/// What a task waits on (asyncio's `_fut_waiter`): a looplab awaitable, or the future of an
/// `asyncio.sleep`, which lives in the loop's timer table rather than in an allocation of its
/// own (see [`super::event_loop::SleepKey`]).
#[derive(Clone)]
pub(crate) enum Waiter {
    /// A task, a low-level future, a gather, ...
    Future(Rc<dyn Waitable>),
    /// The future of a sleep.
    Sleep(super::event_loop::SleepKey),
}

impl Waiter {
    /// [`Waitable::cancel_waitable`]; a sleep's future is cancelled through its loop.
    pub(crate) fn cancel_waitable(&self, lp: Option<&LoopCore>, message: Option<Rc<str>>) -> bool {
        match self {
            Waiter::Future(w) => w.cancel_waitable(message),
            Waiter::Sleep(key) => lp.is_some_and(|lp| lp.cancel_sleep_future(*key, message)),
        }
    }

    /// [`Waitable::describe`].
    pub(crate) fn describe(&self) -> String {
        match self {
            Waiter::Future(w) => w.describe(),
            Waiter::Sleep(_) => "a future".to_string(),
        }
    }

    /// [`Waitable::awaiting`].
    pub(crate) fn awaiting(&self) -> crate::trace::Awaiting {
        match self {
            Waiter::Future(w) => w.awaiting(),
            Waiter::Sleep(_) => crate::trace::Awaiting::Future(crate::trace::FutureLabel::Sleep),
        }
    }

    /// [`Waitable::awaited_tasks`].
    pub(crate) fn awaited_tasks(&self) -> Vec<crate::trace::TaskId> {
        match self {
            Waiter::Future(w) => w.awaited_tasks(),
            Waiter::Sleep(_) => Vec::new(),
        }
    }
}

/// Another task, as what a task waits on. A task's own handle is pinned and cannot be seen as a
/// `dyn Waitable`, so a task that suspends on a pending task holds this small stand-in (made
/// only then, not for a task that is already done).
pub(crate) struct AwaitedTask(pub(crate) TaskPtr);

impl Waitable for AwaitedTask {
    fn cancel_waitable(&self, message: Option<Rc<str>>) -> bool {
        self.0.cancel(message)
    }

    fn describe(&self) -> String {
        format!("Task {}", self.0.header().name())
    }

    fn awaited_tasks(&self) -> Vec<crate::trace::TaskId> {
        vec![self.0.header().id]
    }

    fn awaiting(&self) -> crate::trace::Awaiting {
        crate::trace::Awaiting::Task(self.0.header().id)
    }
}

/// The per-awaiter part of awaiting a completion: whether this awaiter registered its wake-up.
#[derive(Default)]
pub(crate) struct Awaiter {
    registered: Option<TaskPtr>,
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
        if let Some(thrown) = current_cancel_delivery() {
            return Poll::Ready(Err(self.raise(completion, thrown)));
        }
        if let Some(result) = completion.result() {
            self.registered = None;
            return Poll::Ready(result);
        }
        // Only an await that suspends takes counts on the running loop and task.
        let lp = current_loop();
        match lp.as_ref().and_then(|lp| lp.current_task()) {
            Some(task) => {
                if self.registered.is_none() {
                    completion.add_callback(lp.as_ref(), DoneCallback::Wake(task.clone()));
                    self.registered = Some(task.clone());
                }
                task.header().set_fut_waiter(Waiter::Future(waitable()));
            }
            None => {
                completion.add_callback(lp.as_ref(), DoneCallback::Waker(cx.waker().clone()));
            }
        }
        Poll::Pending
    }

    /// asyncio's `__wakeup` then `__step(exc)` under `_must_cancel`: the wake-up first asks the
    /// awaited future for its `result()`, which marks a failure retrieved (nobody is told it was
    /// never retrieved, though the task sees only the cancellation); then the cancellation
    /// replaces what the future gave, unless that is a cancellation itself (the one an earlier
    /// `cancel()` passed to it), whose message is kept. (A function of its own: made once per
    /// result type, not once per kind of await.)
    #[inline(never)]
    fn raise<T>(&mut self, completion: &Completion<T>, thrown: Error) -> Error {
        // (`result()` hands out a cancellation: see [`Handout`].)
        let own = if completion.is_done() {
            completion.exception()
        } else {
            None
        };
        let error = match own {
            Some(own) if own.is_cancelled() => own,
            _ => thrown,
        };
        self.deregister(completion);
        error
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

/// The two things that settle: a task and a low-level future; and a view of either whose
/// result type is forgotten.
pub(crate) enum Settleable<T> {
    Task(TypedTaskPtr<T>),
    Future(Rc<FutureInner<T>>),
    /// A task or future of some other result type, seen only as done, failed or cancelled: how
    /// a gather of children of mixed types (`gather!`) watches them, with the same callbacks on
    /// the same completions as any gather. Only ever made as a `SettleRef<()>` (see
    /// [`SettleRef::erase`]).
    Erased(Rc<dyn ErasedSettle>),
    /// A future that the Python lab makes itself (a `_GatheringFuture` passed to `gather` or
    /// `wait`), seen through its methods, with the same callbacks on its own completion.
    #[cfg(feature = "python")]
    Other(Rc<dyn TypedSettle<T>>),
}

impl<T> Clone for SettleRef<T> {
    fn clone(&self) -> Self {
        SettleRef(match &self.0 {
            Settleable::Task(t) => Settleable::Task(t.clone()),
            Settleable::Future(f) => Settleable::Future(f.clone()),
            Settleable::Erased(e) => Settleable::Erased(e.clone()),
            #[cfg(feature = "python")]
            Settleable::Other(o) => Settleable::Other(o.clone()),
        })
    }
}

/// What a [`SettleRef`] does that does not depend on its result type.
pub(crate) trait ErasedSettle {
    fn key(&self) -> *const ();
    fn task_name(&self) -> Option<Rc<str>>;
    fn task_id(&self) -> Option<crate::trace::TaskId>;
    fn add_done(&self, callback: Box<dyn FnOnce()>) -> CallbackId;
    fn remove_done(&self, id: CallbackId);
    fn done(&self) -> bool;
    fn cancelled(&self) -> bool;
    fn exception(&self) -> Option<Error>;
    fn cancel(&self, message: Option<Rc<str>>) -> bool;
}

/// A future of the Python lab's own making, as a [`SettleRef`] sees it (see [`Settleable::Other`]).
#[cfg(feature = "python")]
pub(crate) trait TypedSettle<T>: ErasedSettle {
    /// Its outcome if done, marking a failure retrieved.
    fn outcome(&self) -> Option<Result<T, Error>>;
}

#[cfg(feature = "python")]
impl<T> SettleRef<T> {
    /// A handle on a future of the lab's own making.
    pub(crate) fn other(future: Rc<dyn TypedSettle<T>>) -> Self {
        SettleRef(Settleable::Other(future))
    }
}

/// A handle is a future, so that the functions that take futures (`wait_for`, `shield`,
/// `as_completed`) take one: they watch it through its done callbacks and never poll it, except
/// `wait_for` without a timeout (the Python lab awaits a gather itself there). A poll waits by a
/// done callback that wakes the poller.
#[cfg(feature = "python")]
impl<T: Clone + 'static> std::future::Future for SettleRef<T> {
    type Output = Result<T, Error>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some(outcome) = self.outcome() {
            return Poll::Ready(outcome);
        }
        let waker = cx.waker().clone();
        self.add_done(move || waker.wake());
        Poll::Pending
    }
}

impl<T: 'static> ErasedSettle for SettleRef<T> {
    fn key(&self) -> *const () {
        SettleRef::key(self)
    }
    fn task_name(&self) -> Option<Rc<str>> {
        SettleRef::task_name(self)
    }
    fn task_id(&self) -> Option<crate::trace::TaskId> {
        SettleRef::task_id(self)
    }
    fn add_done(&self, callback: Box<dyn FnOnce()>) -> CallbackId {
        SettleRef::add_done(self, callback)
    }
    fn remove_done(&self, id: CallbackId) {
        SettleRef::remove_done(self, id)
    }
    fn done(&self) -> bool {
        SettleRef::done(self)
    }
    fn cancelled(&self) -> bool {
        SettleRef::cancelled(self)
    }
    fn exception(&self) -> Option<Error> {
        SettleRef::exception(self)
    }
    fn cancel(&self, message: Option<Rc<str>>) -> bool {
        SettleRef::cancel(self, message)
    }
}

impl SettleRef<()> {
    /// `other` seen only as done or failed, whatever its result type.
    pub(crate) fn erase<U: 'static>(other: SettleRef<U>) -> Self {
        SettleRef(Settleable::Erased(Rc::new(other)))
    }
}

impl<T: 'static> SettleRef<T> {
    /// Its result slot, or (for an erased view) what it stands for.
    fn slot(&self) -> Result<&Completion<T>, &dyn ErasedSettle> {
        match &self.0 {
            Settleable::Task(t) => Ok(t.completion()),
            Settleable::Future(f) => Ok(&f.completion),
            Settleable::Erased(e) => Err(&**e),
            #[cfg(feature = "python")]
            Settleable::Other(o) => Err(&**o as &dyn ErasedSettle),
        }
    }

    fn loop_core(&self) -> Option<Rc<LoopCore>> {
        match &self.0 {
            Settleable::Task(t) => t.header().lp.upgrade(),
            Settleable::Future(f) => f.loop_core(),
            Settleable::Erased(_) => None,
            #[cfg(feature = "python")]
            Settleable::Other(_) => None,
        }
    }

    /// Its identity, to recognise the same awaitable passed twice.
    pub(crate) fn key(&self) -> *const () {
        match &self.0 {
            Settleable::Task(t) => &**t as *const _ as *const (),
            Settleable::Future(f) => Rc::as_ptr(f) as *const (),
            Settleable::Erased(e) => e.key(),
            #[cfg(feature = "python")]
            Settleable::Other(o) => o.key(),
        }
    }

    /// The task's name, for a task.
    pub(crate) fn task_name(&self) -> Option<Rc<str>> {
        match &self.0 {
            Settleable::Task(t) => Some(t.header().name()),
            Settleable::Future(_) => None,
            Settleable::Erased(e) => e.task_name(),
            #[cfg(feature = "python")]
            Settleable::Other(o) => o.task_name(),
        }
    }

    /// The task's id, for a task.
    pub(crate) fn task_id(&self) -> Option<crate::trace::TaskId> {
        match &self.0 {
            Settleable::Task(t) => Some(t.header().id),
            Settleable::Future(_) => None,
            Settleable::Erased(e) => e.task_id(),
            #[cfg(feature = "python")]
            Settleable::Other(o) => o.task_id(),
        }
    }

    /// `add_done_callback` for a gather: `parent` is told this child's `index` when it is done.
    pub(crate) fn add_child_done(&self, parent: Rc<dyn ChildDone>, index: u32) -> CallbackId {
        match self.slot() {
            Ok(completion) => {
                let lp = self.loop_core();
                completion.add_callback(lp.as_ref(), DoneCallback::Child(parent, index))
            }
            Err(erased) => erased.add_done(Box::new(move || parent.child_done(index))),
        }
    }

    pub(crate) fn add_done(&self, callback: impl FnOnce() + 'static) -> CallbackId {
        match self.slot() {
            Ok(completion) => {
                let lp = self.loop_core();
                completion.add_callback(lp.as_ref(), DoneCallback::Call(Box::new(callback)))
            }
            Err(erased) => erased.add_done(Box::new(callback)),
        }
    }

    pub(crate) fn remove_done(&self, id: CallbackId) {
        match self.slot() {
            Ok(completion) => completion.remove_callback(id),
            Err(erased) => erased.remove_done(id),
        }
    }

    pub(crate) fn done(&self) -> bool {
        match self.slot() {
            Ok(completion) => completion.is_done(),
            Err(erased) => erased.done(),
        }
    }

    pub(crate) fn cancelled(&self) -> bool {
        match self.slot() {
            Ok(completion) => completion.is_cancelled(),
            Err(erased) => erased.cancelled(),
        }
    }

    /// `exception()` of a done awaitable (marking it retrieved); a cancellation is returned too
    /// (and handed out: see [`Handout`]).
    pub(crate) fn exception(&self) -> Option<Error> {
        match self.slot() {
            Ok(completion) => completion.exception(),
            Err(erased) => erased.exception(),
        }
    }

    /// A done child's failure counts as retrieved, as CPython's `if not fut.cancelled():
    /// fut.exception()` makes it: a cancellation is asked nothing (nothing is handed out).
    pub(crate) fn retrieve_failure(&self) {
        if !self.cancelled() {
            self.exception();
        }
    }

    /// The cancellation it ended with, asking nothing (nothing is handed out, see [`Handout`]).
    pub(crate) fn peek_cancellation(&self) -> Option<Error> {
        match self.slot() {
            Ok(completion) => completion.peek_error().filter(Error::is_cancelled),
            Err(_) => None,
        }
    }

    /// See [`Completion::settled_cancellation`].
    pub(crate) fn settled_cancellation(&self) -> Error {
        match self.slot() {
            Ok(completion) => completion.settled_cancellation(),
            // (Nobody reads an erased view's outcomes: `gather_settled!` reads each child with
            // its own type.)
            Err(_) => Error::cancelled(),
        }
    }

    /// `cancel(msg)`.
    pub(crate) fn cancel(&self, message: Option<Rc<str>>) -> bool {
        match &self.0 {
            Settleable::Task(t) => t.cancel(message),
            Settleable::Future(f) => f.cancel_waitable(message),
            Settleable::Erased(e) => e.cancel(message),
            #[cfg(feature = "python")]
            Settleable::Other(o) => o.cancel(message),
        }
    }
}

impl<T: Clone + 'static> SettleRef<T> {
    pub(crate) fn outcome(&self) -> Option<Result<T, Error>> {
        #[cfg(feature = "python")]
        if let Settleable::Other(o) = &self.0 {
            return o.outcome();
        }
        match self.slot() {
            Ok(completion) => completion.result(),
            Err(erased) => erased.done().then(|| match erased.exception() {
                Some(error) => Err(error),
                None => unit_as::<T>(),
            }),
        }
    }
}

/// `()` as a `T`: an erased view's success. Erased views are only made with `T = ()`.
fn unit_as<T: 'static>() -> Result<T, Error> {
    let mut unit = Some(());
    (&mut unit as &mut dyn std::any::Any)
        .downcast_mut::<Option<T>>()
        .and_then(Option::take)
        .ok_or_else(|| Error::runtime("an erased awaitable has no typed result"))
}

mod sealed {
    // Every type here is one of looplab's own awaitables, and `settle_ref_of` below must know
    // it too: otherwise `gather`, `shield`, `wait_for` and `as_completed` would take it for a
    // coroutine and wrap it in a new task.
    pub trait Sealed {}
    impl<T> Sealed for crate::runtime::Task<T> {}
    impl<T> Sealed for crate::runtime::Future<T> {}
    impl<T> Sealed for super::TaskOrFuture<T> {}
    impl<T> Sealed for super::SettleRef<T> {}
}

/// A task or a low-level future with the same result type, for a list that holds both (the
/// Python lab hands `gather` and `wait` whatever the program passed).
pub enum TaskOrFuture<T> {
    /// A task.
    Task(crate::runtime::Task<T>),
    /// A low-level future.
    Future(crate::runtime::Future<T>),
}

impl<T> Clone for TaskOrFuture<T> {
    fn clone(&self) -> Self {
        match self {
            TaskOrFuture::Task(t) => TaskOrFuture::Task(t.clone()),
            TaskOrFuture::Future(f) => TaskOrFuture::Future(f.clone()),
        }
    }
}

impl<T: 'static> Awaitable<T> for TaskOrFuture<T> {
    fn settle_ref(&self) -> SettleRef<T> {
        match self {
            TaskOrFuture::Task(t) => t.settle_ref(),
            TaskOrFuture::Future(f) => f.settle_ref(),
        }
    }
}

impl<T: Clone + 'static> std::future::Future for TaskOrFuture<T> {
    type Output = Result<T, Error>;

    fn poll(self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.get_mut() {
            TaskOrFuture::Task(t) => std::pin::Pin::new(t).poll(cx),
            TaskOrFuture::Future(f) => std::pin::Pin::new(f).poll(cx),
        }
    }
}

impl<T: 'static> Awaitable<T> for SettleRef<T> {
    fn settle_ref(&self) -> SettleRef<T> {
        self.clone()
    }
}

/// A task or a low-level future: what `wait` accepts (asyncio's "awaitables" other than bare
/// coroutines). `gather`, `as_completed`, `shield` and `wait_for` accept these and coroutines
/// too (any other future with a `Result` output), which they spawn as tasks, as asyncio's
/// `ensure_future` does.
pub trait Awaitable<T>: sealed::Sealed + 'static {
    #[doc(hidden)]
    fn settle_ref(&self) -> SettleRef<T>;
}

/// The handle of `aw` if it is one of looplab's own awaitables (a task or a low-level future),
/// `None` for any other future (a coroutine). The types are known here, so each test is decided
/// when the code is compiled.
pub(crate) fn settle_ref_of<T: 'static, F: 'static>(aw: &F) -> Option<SettleRef<T>> {
    let any = aw as &dyn std::any::Any;
    if let Some(task) = any.downcast_ref::<crate::runtime::Task<T>>() {
        return Some(task.settle_ref());
    }
    if let Some(future) = any.downcast_ref::<crate::runtime::Future<T>>() {
        return Some(future.settle_ref());
    }
    if let Some(either) = any.downcast_ref::<TaskOrFuture<T>>() {
        return Some(either.settle_ref());
    }
    any.downcast_ref::<SettleRef<T>>().cloned()
}

/// `asyncio.ensure_future(aw)`: a task or low-level future as it is; any other future, a
/// coroutine, becomes a new task (named `Task-N`, its first step in the next iteration), as
/// `gather`, `shield`, `wait_for` and `as_completed` do with the coroutines they are given.
#[doc(hidden)]
pub fn ensure_future<T, F>(aw: F) -> SettleRef<T>
where
    T: 'static,
    F: std::future::Future<Output = Result<T, Error>> + 'static,
{
    match settle_ref_of(&aw) {
        Some(settle) => settle,
        None => crate::runtime::spawn(aw).settle_ref(),
    }
}

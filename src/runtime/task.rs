//! Tasks: a Rust future driven by the loop one step at a time, as asyncio's `Task` drives a
//! coroutine.
//!
//! The rules, from `Lib/asyncio/tasks.py` (CPython 3.11):
//!
//! - creating a task schedules its first step with `call_soon`; it does not run now;
//! - a task without a name is called `Task-N`, N counting the loop's tasks from 1 (in 3.11 a named
//!   task uses up a number too);
//! - a step polls the future once. If it suspends on a looplab awaitable, that awaitable holds the
//!   task's wake-up and is remembered as what the task waits on (`_fut_waiter`);
//! - `cancel()` on a waiting task cancels what it waits on, and the task sees the cancellation
//!   at that await when it next runs. If it cannot (nothing to cancel, or it is already done) the
//!   task is marked (`_must_cancel`) and the cancellation is delivered at the next await its next
//!   step reaches. A task that finishes while so marked ends cancelled;
//! - when the task finishes, its done callbacks (the wake-ups of those awaiting it) are scheduled
//!   with `call_soon`.
//!
//! Where a task is in all this (scheduled, running, waiting on what, cancelled how) is one value
//! of `TaskState`, whose legal states and transitions are written down in `task_state.rs`;
//! this file drives the transitions and does what they call for (queue a step, pass a
//! cancellation on, finish).

use std::cell::Cell;
#[cfg(not(target_arch = "wasm32"))]
use std::cell::RefCell;
use std::fmt;

use pin_cell::{PinCell, PinMut};
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll};

use super::api::{guarded, CallbackResult};
use super::completion::{Awaitable, AwaitedTask, Awaiter, Completion, DoneCallback, SettleRef, Settleable, Waiter};
use super::error::Error;
use super::event_loop::{ExceptionContext, LoopCore};
use super::task_state::{Return, StepStart, Suspended, TaskState};
use super::waker::{LentWaker, TaskWaker};
use crate::trace::{EventKind, Outcome, TaskId};
use std::sync::Arc;

/// The loop's handle on a task, whatever its result type and its future. A task is one
/// allocation: its header, its result slot and its future side by side (see [`TaskCell`]).
pub(crate) type TaskPtr = Pin<Rc<TaskCell<dyn Body>>>;

/// A handle on a task whose result type is known.
pub(crate) type TypedTaskPtr<T> = Pin<Rc<TaskCell<dyn TypedBody<T>>>>;

/// Where a task's state lives. Natively a `RefCell`, changed in place: every step changes the
/// state several times, and a `Cell` copies all 32 bytes of it out and back for each change
/// (native `yield-storm` ran about 10% faster with the `RefCell`, for 8 bytes more a task). In
/// the page a `Cell`: there the `RefCell` made `spawn-join` about 10% slower (alternating fresh
/// pages: 3.15 to 3.49 times wasm-bindgen-futures, against 3.09 to 3.12 with the `Cell`).
#[cfg(not(target_arch = "wasm32"))]
type StateCell = RefCell<TaskState>;
#[cfg(target_arch = "wasm32")]
type StateCell = Cell<TaskState>;

/// What every task has, whatever its result type.
///
/// Every waiting task carries one, so it is kept small: `Cell`s rather than `RefCell`s (a value
/// is read by cloning it out, see [`peek`]), 32-bit numbers where they cannot overflow in
/// practice. The state is an exception natively (see [`StateCell`]).
pub(crate) struct TaskHeader {
    pub(crate) id: TaskId,
    /// Its name: given, or made from `number` (`Task-N`) when first asked for.
    name: Cell<Option<Rc<str>>>,
    number: u32,
    pub(crate) lp: Weak<LoopCore>,
    /// Its index in the loop's table of live tasks (see `slot()`), or [`NOT_IN_TABLE`] until
    /// it enters it.
    slot: Cell<u32>,
    /// `_num_cancels_requested`.
    cancels_requested: Cell<u32>,
    cancel_message: Cell<Option<Rc<str>>>,
    /// Where it is in its life, what it waits on, what cancellation is on its way (see
    /// [`TaskState`]).
    state: StateCell,
    /// The Rust waker a foreign future kept from an earlier step (most steps lend one from the
    /// loop's pool and get it back).
    waker: Cell<Option<Arc<TaskWaker>>>,
}

/// A clone of what `cell` holds, leaving it there.
fn peek<T: Clone>(cell: &Cell<Option<T>>) -> Option<T> {
    let value = cell.take();
    cell.set(value.clone());
    value
}

impl TaskHeader {
    pub(crate) fn new(id: TaskId, number: u32, name: Option<Rc<str>>, lp: Weak<LoopCore>) -> Self {
        TaskHeader {
            id,
            name: Cell::new(name),
            number,
            lp,
            slot: Cell::new(NOT_IN_TABLE as u32),
            cancels_requested: Cell::new(0),
            cancel_message: Cell::new(None),
            state: StateCell::new(TaskState::New { cancel: false }),
            waker: Cell::new(None),
        }
    }

    pub(crate) fn name(&self) -> Rc<str> {
        let name = self
            .name
            .take()
            .unwrap_or_else(|| format!("Task-{}", self.number).into());
        self.name.set(Some(name.clone()));
        name
    }

    /// Its index in the loop's table of live tasks, [`NOT_IN_TABLE`] before it enters it (see
    /// `LoopCore::keep_task`). (Past 4 billion live tasks the index would not fit: such a task
    /// is then never found by index, as if it were done.)
    pub(crate) fn slot(&self) -> usize {
        self.slot.get() as usize
    }

    /// Whether it has entered the loop's table of live tasks.
    pub(crate) fn in_table(&self) -> bool {
        self.slot() != NOT_IN_TABLE
    }

    pub(crate) fn set_slot(&self, slot: usize) {
        self.slot.set(u32::try_from(slot).unwrap_or(NOT_IN_TABLE as u32 - 1));
    }

    /// The name for the trace: no text is made for a `Task-N` name.
    pub(crate) fn task_name(&self) -> crate::trace::TaskName {
        match self.name.take() {
            Some(given) => {
                self.name.set(Some(given.clone()));
                crate::trace::TaskName::Given(given)
            }
            None => crate::trace::TaskName::Numbered(u64::from(self.number)),
        }
    }

    pub(crate) fn set_name(&self, name: Rc<str>) {
        self.name.set(Some(name));
    }

    /// `uncancel()`: withdraws one cancellation request; returns how many remain.
    pub(crate) fn uncancel(&self) -> u32 {
        let n = self.cancels_requested.get().saturating_sub(1);
        self.cancels_requested.set(n);
        n
    }

    /// `cancelling()`.
    pub(crate) fn cancelling(&self) -> u32 {
        self.cancels_requested.get()
    }

    /// Applies a transition to the task's state (see [`TaskState`]). `f` must not call out: the
    /// `RefCell` could not be borrowed again, and the `Cell` holds `Done` meanwhile.
    /// (Inlined: at opt-level "z" each copy was a call of its own, six of them in a step.)
    #[inline(always)]
    pub(crate) fn update<R>(&self, f: impl FnOnce(&mut TaskState) -> R) -> R {
        #[cfg(not(target_arch = "wasm32"))]
        {
            f(&mut self.state.borrow_mut())
        }
        #[cfg(target_arch = "wasm32")]
        {
            let mut state = self.state.replace(TaskState::Done);
            let result = f(&mut state);
            // What comes back is the `Done` put there above (`f` does not call out), which owns
            // nothing: forgetting it instead of dropping it keeps the state's drop code out of
            // each of the dozens of copies of this function (the page's size is budgeted).
            let done = self.state.replace(state);
            debug_assert!(matches!(done, TaskState::Done));
            std::mem::forget(done);
            result
        }
    }

    /// Reads the task's state.
    #[inline(always)]
    pub(crate) fn read<R>(&self, f: impl FnOnce(&TaskState) -> R) -> R {
        #[cfg(not(target_arch = "wasm32"))]
        {
            f(&self.state.borrow())
        }
        #[cfg(target_arch = "wasm32")]
        {
            self.update(|state| f(state))
        }
    }

    /// An await in the running step raises the cancellation thrown into it, if there is one.
    pub(crate) fn take_cancel_delivery(&self) -> Option<Error> {
        self.update(TaskState::take_thrown)
            .then(|| Error::Cancelled(peek(&self.cancel_message)))
    }

    /// An await in the running step registered on `waitable`.
    pub(crate) fn set_fut_waiter(&self, waitable: Waiter) {
        self.update(|s| s.set_waiter(waitable));
    }

    /// `_fut_waiter`: what the task waits on (or, woken, waited on until its step runs).
    fn fut_waiter(&self) -> Option<Waiter> {
        self.read(TaskState::fut_waiter)
    }

    /// `_must_cancel`: a `cancel()` waiting to be delivered at the task's next step.
    pub(crate) fn must_cancel(&self) -> bool {
        self.read(TaskState::must_cancel)
    }

    /// Whether it is suspended on a Rust future.
    pub(crate) fn is_parked(&self) -> bool {
        self.read(TaskState::is_parked)
    }

    /// Something wakes the task: whether a step must be put on the ready queue.
    pub(crate) fn wake(&self) -> bool {
        self.update(TaskState::wake)
    }

    pub(crate) fn fut_waiter_description(&self) -> Option<String> {
        self.fut_waiter().map(|w| w.describe())
    }

    pub(crate) fn awaited_tasks(&self) -> Vec<TaskId> {
        self.fut_waiter().map(|w| w.awaited_tasks()).unwrap_or_default()
    }

    /// The waker for this step: the one a foreign future kept, or one lent by the loop's pool.
    fn lend_waker(&self, lp: &LoopCore) -> LentWaker {
        match self.waker.take() {
            Some(kept) => LentWaker::new(kept),
            None => lp.lend_waker(self.slot(), self.id),
        }
    }

    /// After the step: back to the pool, unless a foreign future kept a clone (then it stays
    /// with the task, which may be woken through it).
    fn return_waker(&self, lp: &LoopCore, waker: LentWaker) {
        if waker.kept() {
            // (Lent before the task entered the table, it learns its place now.)
            waker.task_waker().point_at(self.slot(), self.id);
            self.waker.set(Some(waker.into_task_waker()));
        } else {
            lp.return_waker(waker);
        }
    }
}

/// The slot of a task not (yet) in its loop's table of live tasks.
pub(crate) const NOT_IN_TABLE: usize = u32::MAX as usize;

thread_local! {
    /// How many of the steps running now on this thread (an eager task's first step runs inside
    /// another's) began with a cancellation thrown in. While none did, an await need not look at
    /// the running task for one: most awaits then ask only this.
    static THROWING_STEPS: Cell<u32> = const { Cell::new(0) };
}

/// Whether the running step may carry a cancellation thrown in that no await has raised yet
/// (false: it certainly does not).
pub(crate) fn cancel_maybe_thrown() -> bool {
    THROWING_STEPS.with(|n| n.get() != 0)
}

pin_project! {
    /// A task in one allocation: what every task has ([`TaskHeader`]), then its body: the
    /// result slot and the future ([`Running`]), seen by the loop through [`Body`] whatever
    /// their types. The future never moves once it is in here (the cell is pinned), so it is
    /// polled in place, with no box of its own.
    pub(crate) struct TaskCell<B> where B: ?Sized, B: Body {
        pub(crate) header: TaskHeader,
        #[pin]
        body: B,
    }

    impl<B> PinnedDrop for TaskCell<B> where B: ?Sized, B: Body {
        /// `Task.__del__`: a task destroyed while pending, or whose failure nobody retrieved, is
        /// reported to the loop's exception handler.
        fn drop(this: Pin<&mut Self>) {
            let this = this.into_ref();
            this.get_ref().report_if_lost();
        }
    }
}

/// What the loop does with a task's body, whatever its result type and future. Only these
/// few small functions are made for each kind of future spawned; the rest of a task's code is
/// made once, or once per result type ([`OutcomeSlot`]).
pub(crate) trait Body {
    /// Polls the future once. When it returns, its result is kept in the result slot until the
    /// task finishes with it ([`OutcomeSlot::finish_returned`]).
    fn poll_future(self: Pin<&Self>, cx: &mut Context<'_>) -> Poll<()>;
    /// Drops the future, unless a step is polling it right now: then the step drops it once
    /// the poll is over.
    fn drop_future(self: Pin<&Self>);
    /// The result slot, as far as it does not depend on the result type.
    fn outcome(&self) -> &dyn OutcomeSlot;
}

/// A task's body whose result type is known: what a [`Task<T>`] reaches.
pub(crate) trait TypedBody<T>: Body {
    fn completion(&self) -> &Completion<T>;
}

/// The part of a task's result slot that does not depend on its type.
pub(crate) trait OutcomeSlot {
    fn is_done(&self) -> bool;
    fn is_cancelled(&self) -> bool;
    /// The failure nobody retrieved (see [`TaskRef::take_unretrieved_exception`]); marks it
    /// retrieved.
    fn take_unretrieved_error(&self) -> Option<Error>;
    /// The failure nobody retrieved, left unretrieved.
    fn unretrieved_error(&self) -> Option<Error>;
    /// Its failure, if any, counts as retrieved (asyncio's `_log_traceback = False`).
    fn mark_retrieved(&self);
    /// `exception()` of a done task: its failure (retrieved or not, a cancellation too), which
    /// counts as retrieved from then on.
    fn exception(&self) -> Option<Error>;
    /// Finishes the task with what its future returned, or with `cancelled` if it was cancelled
    /// right before it returned (a failure it returned is kept then).
    fn finish_returned(&self, lp: &Rc<LoopCore>, header: &TaskHeader, cancelled: Option<Error>);
    /// Drops what the future returned (its loop closed during the step).
    fn drop_returned(&self);
    /// Finishes a task that fails without its future giving a result.
    fn finish_failed(&self, lp: &Rc<LoopCore>, header: &TaskHeader, error: Error);
}

impl<T> OutcomeSlot for Completion<T> {
    fn is_done(&self) -> bool {
        Completion::is_done(self)
    }

    fn is_cancelled(&self) -> bool {
        Completion::is_cancelled(self)
    }

    fn take_unretrieved_error(&self) -> Option<Error> {
        let error = Completion::unretrieved_error(self);
        self.mark_retrieved();
        error
    }

    fn unretrieved_error(&self) -> Option<Error> {
        Completion::unretrieved_error(self)
    }

    fn mark_retrieved(&self) {
        Completion::mark_retrieved(self);
    }

    fn exception(&self) -> Option<Error> {
        Completion::exception(self)
    }

    fn finish_returned(&self, lp: &Rc<LoopCore>, header: &TaskHeader, cancelled: Option<Error>) {
        let result = match (cancelled, self.take_returned()) {
            (_, Some(Err(failure))) => {
                self.raised(&failure);
                Err(failure)
            }
            (Some(cancelled), _) => Err(cancelled),
            (None, Some(Ok(value))) => Ok(value),
            (None, None) => Err(Error::runtime("a task finished without a result")),
        };
        finish_task(lp, header, self, result);
    }

    fn drop_returned(&self) {
        drop(self.take_returned());
    }

    fn finish_failed(&self, lp: &Rc<LoopCore>, header: &TaskHeader, error: Error) {
        // (The cancellation of a task cancelled before its first step is thrown into its
        // coroutine, which raises it.)
        self.raised(&error);
        finish_task(lp, header, self, Err(error));
    }
}

/// A task's end: the trace's `Exited`, out of `all_tasks`, then the result (which schedules the
/// done callbacks).
fn finish_task<T>(lp: &Rc<LoopCore>, header: &TaskHeader, completion: &Completion<T>, result: Result<T, Error>) {
    let outcome = match &result {
        Ok(_) => Outcome::Returned,
        Err(Error::Cancelled(_)) => Outcome::Cancelled,
        Err(e) => Outcome::Failed { error: e.repr() },
    };
    lp.record(Some(header.id), || EventKind::Exited { outcome });
    lp.forget_task(header);
    completion.finish(Some(lp), result);
}

pin_project! {
    /// The body of a task whose future is `F`: its result slot, and the future in a cell that
    /// lends it out pinned for each step (empty once it has returned).
    pub(crate) struct Running<T, F> {
        completion: Completion<T>,
        #[pin]
        future: PinCell<Option<F>>,
    }
}

impl<T, F> Body for Running<T, F>
where
    T: 'static,
    F: Future<Output = Result<T, Error>>,
{
    fn poll_future(self: Pin<&Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project_ref();
        let Ok(mut future) = this.future.try_borrow_mut() else {
            return Poll::Pending;
        };
        let Some(future) = PinMut::as_mut(&mut future).as_pin_mut() else {
            return Poll::Pending;
        };
        let Poll::Ready(result) = future.poll(cx) else {
            return Poll::Pending;
        };
        this.completion.keep_returned(result);
        Poll::Ready(())
    }

    fn drop_future(self: Pin<&Self>) {
        if let Ok(mut future) = self.project_ref().future.try_borrow_mut() {
            PinMut::as_mut(&mut future).set(None);
        }
    }

    fn outcome(&self) -> &dyn OutcomeSlot {
        &self.completion
    }
}

impl<T, F> TypedBody<T> for Running<T, F>
where
    T: 'static,
    F: Future<Output = Result<T, Error>>,
{
    fn completion(&self) -> &Completion<T> {
        &self.completion
    }
}

/// A new task's cell, typed, to be shared with the loop as a [`TaskPtr`].
pub(crate) fn new_task<T, F>(header: TaskHeader, future: F) -> TypedTaskPtr<T>
where
    T: 'static,
    F: Future<Output = Result<T, Error>> + 'static,
{
    Rc::pin(TaskCell {
        header,
        body: Running {
            completion: Completion::new(),
            future: PinCell::new(Some(future)),
        },
    })
}

/// A task that failed before it ran, for a spawn without a running loop.
pub(crate) fn failed_task<T: 'static>(name: Rc<str>, error: Error) -> TypedTaskPtr<T> {
    let header = TaskHeader::new(TaskId::MAX, 0, Some(name), Weak::new());
    header.update(|state| *state = TaskState::Done);
    let completion = Completion::new();
    completion.finish(None, Err(error));
    Rc::pin(TaskCell {
        header,
        body: Running {
            completion,
            future: PinCell::new(None::<std::future::Pending<Result<T, Error>>>),
        },
    })
}

/// Whether two handles name the same task.
pub(crate) fn same_task(a: &TaskCell<dyn Body>, b: &TaskCell<dyn Body>) -> bool {
    std::ptr::addr_eq(a as *const TaskCell<dyn Body>, b as *const TaskCell<dyn Body>)
}

impl<B: ?Sized + Body> TaskCell<B> {
    pub(crate) fn header(&self) -> &TaskHeader {
        &self.header
    }

    /// `done()`.
    pub(crate) fn is_done(&self) -> bool {
        self.body.outcome().is_done()
    }

    /// `cancelled()`.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.body.outcome().is_cancelled()
    }

    /// See [`OutcomeSlot::take_unretrieved_error`].
    pub(crate) fn take_unretrieved_error(&self) -> Option<Error> {
        self.body.outcome().take_unretrieved_error()
    }

    /// See [`OutcomeSlot::exception`].
    pub(crate) fn exception(&self) -> Option<Error> {
        self.body.outcome().exception()
    }

    fn cancelled_error(&self) -> Error {
        Error::Cancelled(peek(&self.header.cancel_message))
    }

    fn report_if_lost(&self) {
        // Most tasks go done and with nothing to report: the loop is looked up only to report.
        let outcome = self.body.outcome();
        let (message, exception) = if !outcome.is_done() {
            if self.header.read(TaskState::discarded_unstarted) {
                return;
            }
            ("Task was destroyed but it is pending!", None)
        } else {
            match outcome.unretrieved_error() {
                Some(e) => ("Task exception was never retrieved", Some(e)),
                None => return,
            }
        };
        let Some(lp) = self.header.lp.upgrade() else { return };
        lp.call_exception_handler(ExceptionContext {
            message: message.to_string(),
            task: Some(self.header.name()),
            task_id: Some(self.header.id),
            exception,
        });
    }

    /// `Task.cancel()`.
    pub(crate) fn cancel(&self, message: Option<Rc<str>>) -> bool {
        let h = &self.header;
        let lp = h.lp.upgrade();
        if let Some(lp) = &lp {
            let by = lp.current_task_id();
            lp.record(Some(h.id), || EventKind::CancelRequested { by });
        }
        if self.is_done() {
            // asyncio's `Task.cancel` clears `_log_traceback` before it looks at the state:
            // cancelling a task that has failed counts as retrieving its failure.
            self.body.outcome().mark_retrieved();
            return false;
        }
        h.cancels_requested.set(h.cancels_requested.get() + 1);
        // "Leave self._fut_waiter; it may be a Task that catches and ignores the cancellation."
        if let Some(waiter) = h.fut_waiter() {
            if waiter.cancel_waitable(lp.as_deref(), message.clone()) {
                return true;
            }
        }
        h.cancel_message.set(message);
        if h.update(TaskState::request_cancel) {
            if let Some(lp) = lp {
                if let Some(me) = lp.live_task(h.slot(), h.id) {
                    lp.enqueue_step(me);
                }
            }
        }
        true
    }
}

impl<T> TaskCell<dyn TypedBody<T>> {
    pub(crate) fn completion(&self) -> &Completion<T> {
        self.body.completion()
    }
}

impl TaskCell<dyn Body> {
    fn body(self: Pin<&Self>) -> Pin<&dyn Body> {
        self.project_ref().body
    }

    /// Drops the task's future without running it further (when its loop closes), which
    /// breaks the cycles between a pending task and what it awaits.
    pub(crate) fn discard_future(self: Pin<&Self>) {
        self.header.update(TaskState::discard);
        self.body().drop_future();
    }

    /// Runs one step (asyncio's `__step`).
    pub(crate) fn step(self: Pin<Rc<Self>>) {
        let h = &self.header;
        let Some(lp) = h.lp.upgrade() else { return };
        let throwing = match h.update(TaskState::begin_step) {
            StepStart::Run => false,
            StepStart::RunThrowing => true,
            StepStart::NotScheduled => return,
            StepStart::CancelledBeforeStart => {
                // The exception is thrown into a coroutine that has not started, so none of its
                // code runs (and it counts as awaited).
                super::coroutine::dropped_as_started(|| {
                    self.as_ref().body().drop_future();
                });
                self.body.outcome().finish_failed(&lp, h, self.cancelled_error());
                return;
            }
        };
        let lent = h.lend_waker(&lp);
        let mut cx = Context::from_waker(lent.waker());
        let previous = lp.enter_task(&self);
        if throwing {
            THROWING_STEPS.with(|n| n.set(n.get() + 1));
        }
        let poll = self.as_ref().body().poll_future(&mut cx);
        if throwing {
            THROWING_STEPS.with(|n| n.set(n.get().saturating_sub(1)));
        }
        // Traced, the step's end is recorded with the state `suspend` leaves, within the same
        // update; untraced, the update is the transition alone. (Read back in an update of its
        // own right after the transition wrote it, the state's bytes were still in the store
        // queue: a stalled load, measured natively when the state was a `Cell` there too, as it
        // still is in the page; see `StateCell`.)
        let ending = match poll {
            Poll::Pending if lp.tracing() => Err(h.update(|state| {
                let suspended = state.suspend();
                lp.record_step_end(h.id, || state.awaiting());
                suspended
            })),
            Poll::Pending => Err(h.update(TaskState::suspend)),
            Poll::Ready(()) => {
                let ending = h.update(TaskState::returned);
                lp.record_step_end(h.id, || None);
                Ok(ending)
            }
        };
        lp.leave_task(previous);
        let discarded = matches!(ending, Err(Suspended::Discarded));
        // A task whose first step suspends enters the table of live tasks now; one done in its
        // first step (most of spawn-join's) never does (see `LoopCore::keep_task`).
        if poll.is_pending() && !discarded && !h.in_table() {
            lp.keep_task(&self);
        }
        h.return_waker(&lp, lent);
        // A returned future goes now, as a returning coroutine is done with its frame (and one
        // discarded while it ran goes once it has stopped running).
        if poll.is_ready() || discarded {
            self.as_ref().body().drop_future();
        }

        match ending {
            Ok(Return::Drop) => self.body.outcome().drop_returned(),
            // Cancelled right before it returned: it ends cancelled.
            Ok(Return::FinishCancelled) => {
                let cancelled = self.cancelled_error();
                self.body.outcome().finish_returned(&lp, h, Some(cancelled));
            }
            Ok(Return::Finish) => self.body.outcome().finish_returned(&lp, h, None),
            Err(Suspended::Enqueue) => lp.enqueue_step(self),
            Err(Suspended::PassCancel) => {
                if let Some(waiter) = h.fut_waiter() {
                    if waiter.cancel_waitable(Some(&lp), peek(&h.cancel_message)) {
                        h.update(TaskState::cancel_passed_on);
                    }
                }
            }
            Err(Suspended::Settled | Suspended::Discarded) => {}
        }
    }
}

impl<T: 'static> Awaitable<T> for Task<T> {
    fn settle_ref(&self) -> SettleRef<T> {
        SettleRef(Settleable::Task(self.cell.clone()))
    }
}

/// A handle to a task: asyncio's `Task` object as its creator sees it.
///
/// Awaiting it gives the task's result or failure (without suspending if it is already done);
/// a task that awaits it and is cancelled cancels it too, as in asyncio. Handles are cheap to
/// clone; every clone names the same task. The task runs whether or not a handle is kept.
///
/// Awaiting a task (and [`Task::result`]) needs `T: Clone`: every awaiter of a task gets its
/// result, as asyncio hands each the same object. A task whose value cannot be cloned returns
/// it in an [`Rc`] (shared, as Python shares it), as in the example.
///
/// # Examples
///
/// ```python
/// task = asyncio.create_task(work(), name="worker")
/// await asyncio.sleep(0)
/// task.cancel()
/// try:
///     await task
/// except asyncio.CancelledError:
///     print(task.get_name(), "cancelled:", task.cancelled())
/// ```
///
/// ```
/// use std::rc::Rc;
/// use looplab::prelude::*;
///
/// struct Connection(u32); // not Clone
///
/// let report = run_report(async {
///     let worker = spawn_named("worker", sleep(10.0));
///     sleep(0.0).await?;
///     worker.cancel();
///     if let Err(e) = worker.clone().await {
///         assert!(e.is_cancelled());
///         log(format!("{} cancelled: {}", worker.name(), py_repr(&worker.cancelled())));
///     }
///     let opener = spawn(async { Ok(Rc::new(Connection(7))) });
///     let connection: Rc<Connection> = opener.await?;
///     log(format!("connection {}", connection.0));
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     ["0.000 Task-1 worker cancelled: True", "0.000 Task-1 connection 7"]
/// );
/// ```
pub struct Task<T> {
    cell: TypedTaskPtr<T>,
    awaiter: Awaiter,
}

impl<T> Clone for Task<T> {
    fn clone(&self) -> Self {
        Task {
            cell: self.cell.clone(),
            awaiter: Awaiter::default(),
        }
    }
}

impl<T: 'static> Task<T> {
    pub(crate) fn from_cell(cell: TypedTaskPtr<T>) -> Self {
        Task {
            cell,
            awaiter: Awaiter::default(),
        }
    }

    /// `get_name()`.
    pub fn name(&self) -> Rc<str> {
        self.cell.header.name()
    }

    /// `set_name()`.
    pub fn set_name(&self, name: impl Into<Rc<str>>) {
        let name: Rc<str> = name.into();
        self.cell.header.set_name(name.clone());
        if let Some(lp) = self.cell.header.lp.upgrade() {
            lp.record(Some(self.cell.header.id), || EventKind::Renamed {
                name: crate::trace::TaskName::Given(name),
            });
        }
    }

    /// The task's number in this run's trace.
    pub fn id(&self) -> TaskId {
        self.cell.header.id
    }

    /// `cancel()`: request cancellation. False if the task is already done.
    pub fn cancel(&self) -> bool {
        self.cell.cancel(None)
    }

    /// `cancel(msg)`.
    pub fn cancel_with(&self, message: impl Into<Rc<str>>) -> bool {
        self.cell.cancel(Some(message.into()))
    }

    /// `done()`.
    pub fn done(&self) -> bool {
        self.cell.completion().is_done()
    }

    /// `cancelled()`.
    pub fn cancelled(&self) -> bool {
        self.cell.completion().is_cancelled()
    }

    /// `cancelling()`: how many cancellations were requested and not withdrawn.
    pub fn cancelling(&self) -> u32 {
        self.cell.header.cancelling()
    }

    /// `uncancel()`: withdraws one cancellation request; returns how many remain.
    pub fn uncancel(&self) -> u32 {
        self.cell.header.uncancel()
    }

    /// A type-erased handle on the same task.
    pub fn as_ref(&self) -> TaskRef {
        TaskRef(self.cell.clone())
    }

    /// `add_done_callback(fn)`: `callback` runs with this task, one iteration after it finishes.
    /// A callback that fails (returns `Err`) is reported to the loop's exception handler, as an
    /// exception in a callback; the loop goes on.
    pub fn add_done_callback<R: CallbackResult>(&self, callback: impl FnOnce(&Task<T>) -> R + 'static) {
        let me = self.clone();
        let lp = self.cell.header.lp.upgrade();
        self.cell
            .completion()
            .add_callback(lp.as_ref(), DoneCallback::Call(guarded(move || callback(&me))));
    }

    /// `exception()`: the failure of a task that is done, or `None` (it returned, or is not done).
    /// A cancelled task reports its cancellation here (asyncio raises it instead).
    /// [`py_repr`](crate::pyfmt::py_repr) prints it as Python prints `task.exception()`: `None`
    /// or `ValueError('bad')`.
    pub fn exception(&self) -> Option<Error> {
        self.cell.exception()
    }

    /// Whether the last time its cancellation was handed out (by `result()`, `exception()`, an
    /// await or a gather) was the first hand-out of the cancellation its future raised: the
    /// Python lab then raises the very exception object its coroutine raised.
    #[cfg(feature = "python")]
    pub(crate) fn handed_out_raised(&self) -> bool {
        self.cell.completion().handed_out_raised()
    }
}

impl<T: Clone + 'static> Task<T> {
    /// `result()`: the outcome of a task that is done, or `None` if it is still running.
    pub fn result(&self) -> Option<Result<T, Error>> {
        self.cell.completion().result()
    }

    /// How many tasks await this one now.
    pub fn waiting_tasks(&self) -> usize {
        self.cell.completion().waiting_tasks()
    }

    /// The outcome as `repr(task)` reads it: like [`result`](Task::result), but a failure
    /// looked at this way still counts as never retrieved.
    pub fn peek(&self) -> Option<Result<T, Error>> {
        self.cell.completion().peek()
    }
}

impl<T: Clone + 'static> Future for Task<T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let Task { cell, awaiter } = self.get_mut();
        awaiter.poll(cx, cell.completion(), || Rc::new(AwaitedTask(cell.clone())))
    }
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        self.awaiter.deregister(self.cell.completion());
    }
}

impl<T: 'static> fmt::Debug for Task<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if !self.done() {
            "pending"
        } else if self.cancelled() {
            "cancelled"
        } else {
            "finished"
        };
        write!(f, "<Task {} name='{}'>", state, self.name())
    }
}

/// A handle on a task whose result type is not known here: what `current_task()` and
/// `all_tasks()` give, and what an interpreter holds. Names and cancellation are reachable from
/// outside the task.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// // for t in asyncio.all_tasks():
/// //     if t is not asyncio.current_task(): t.cancel()
/// let report = run_report(async {
///     spawn_named("a", sleep(5.0));
///     spawn_named("b", sleep(5.0));
///     sleep(0.0).await?;
///     let me = current_task().map(|t| t.id());
///     let others: Vec<TaskRef> = all_tasks().into_iter().filter(|t| Some(t.id()) != me).collect();
///     for t in &others {
///         t.cancel();
///         log(format!("{} awaits {}", t.name(), t.awaiting().unwrap_or_default()));
///     }
///     sleep(0.0).await?;
///     log(format!("cancelled: {}", py_repr(&others.iter().map(TaskRef::cancelled).collect::<Vec<_>>())));
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     [
///         "0.000 Task-1 a awaits a future",
///         "0.000 Task-1 b awaits a future",
///         "0.000 Task-1 cancelled: [True, True]",
///     ]
/// );
/// ```
#[derive(Clone)]
pub struct TaskRef(pub(crate) TaskPtr);

/// A handle on a task that does not keep it alive (see [`TaskRef::downgrade`]).
#[derive(Clone)]
pub struct WeakTaskRef(pin_weak::rc::PinWeak<TaskCell<dyn Body>>);

impl WeakTaskRef {
    /// The task, if something else still keeps it alive.
    pub fn upgrade(&self) -> Option<TaskRef> {
        self.0.upgrade().map(TaskRef)
    }
}

impl TaskRef {
    /// A handle that does not keep the task alive: a host with a garbage collector of its own
    /// (the Python lab) finds, at the end of a program, the tasks that only reference cycles
    /// still hold.
    pub fn downgrade(&self) -> WeakTaskRef {
        WeakTaskRef(pin_weak::rc::PinWeak::downgrade(self.0.clone()))
    }

    /// The failure nobody retrieved, marking it retrieved: what destroying the task would
    /// report as "Task exception was never retrieved", for a host that reports it itself.
    pub fn take_unretrieved_exception(&self) -> Option<Error> {
        self.0.take_unretrieved_error()
    }

    /// `get_name()`.
    pub fn name(&self) -> Rc<str> {
        self.0.header().name()
    }

    /// The task's number in this run's trace.
    pub fn id(&self) -> TaskId {
        self.0.header().id
    }

    /// `cancel()`.
    pub fn cancel(&self) -> bool {
        self.0.cancel(None)
    }

    /// `cancel(msg)`.
    pub fn cancel_with(&self, message: impl Into<Rc<str>>) -> bool {
        self.0.cancel(Some(message.into()))
    }

    /// `cancelling()`.
    pub fn cancelling(&self) -> u32 {
        self.0.header().cancelling()
    }

    /// `uncancel()`.
    pub fn uncancel(&self) -> u32 {
        self.0.header().uncancel()
    }

    /// How many strong handles hold the task (a host whose own object is going can tell whether
    /// anything else, a gather or a wait, still holds it).
    pub fn holders(&self) -> usize {
        // (A pinned `Rc` can only be counted through a weak handle; the clone it takes is gone
        // before it counts.)
        pin_weak::rc::PinWeak::downgrade(self.0.clone()).strong_count()
    }

    /// Whether a `cancel()` waits to be delivered at the task's next step (CPython's
    /// `_must_cancel`; its repr then says `cancelling`).
    pub fn must_cancel(&self) -> bool {
        self.0.header().must_cancel()
    }

    /// `done()`.
    pub fn done(&self) -> bool {
        self.0.is_done()
    }

    /// `cancelled()`.
    pub fn cancelled(&self) -> bool {
        self.0.is_cancelled()
    }

    /// What the task awaits now, if it is waiting on a looplab awaitable.
    pub fn awaiting(&self) -> Option<String> {
        self.0.header().fut_waiter_description()
    }

    /// CPython's `_fut_waiter`: what the task waits on, and whether it has been woken (what it
    /// waited on is done, and the step that goes on has not run yet).
    pub fn fut_waiter(&self) -> Option<(crate::trace::Awaiting, bool)> {
        self.0.header().read(|state| match state {
            TaskState::Waiting { on, woken, .. } => Some((on.awaiting(), *woken)),
            _ => None,
        })
    }

    pub(crate) fn same(&self, other: &TaskRef) -> bool {
        self.id() == other.id() && same_task(&self.0, &other.0)
    }
}

impl fmt::Debug for TaskRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Task name='{}'>", self.name())
    }
}

#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    use super::*;

    #[test]
    fn a_task_cell_stays_within_its_share_of_the_256_byte_budget() {
        // The budget is for everything the loop keeps per waiting task: this cell (plus the
        // `Rc` counts) with its future inside, the live-table entry, the wake-up on what it
        // awaits (the benchmark measures it all: "bytes per waiting task"). Here the future is
        // the smallest there is. (The cell was 192 bytes when its future was a box of its own,
        // 216 before what a task waits on could be a sleep's key as well as a waitable: the
        // state's `Option` of that is 8 bytes bigger; packing it into 24 bytes with a flag made
        // every step of `yield-storm` 6% slower; 232 since the state is a `RefCell`, changed in
        // place, not copied out and back on each change: its borrow flag is the 8 bytes, and
        // `yield-storm` ran about 10% faster.)
        type Smallest = std::future::Ready<Result<(), Error>>;
        let cell = std::mem::size_of::<TaskCell<Running<(), Smallest>>>();
        assert!(cell <= 232, "{cell}");
        assert!(std::mem::size_of::<Error>() <= 24);
    }
}

//! A task's state: where it is in its life, what it waits on, and what cancellation is on its way
//! to its code. One type, [`TaskState`], whose variants are the legal states; every change goes
//! through one of the transitions below, each of which checks (with `debug_assert!`) that it
//! starts from a state it may start from.
//!
//! # The states
//!
//! | state       | a step queued | waits on            | cancellation it may carry          |
//! |-------------|---------------|---------------------|------------------------------------|
//! | `New`       | yes (1)       | nothing             | `cancel` (requested)               |
//! | `Scheduled` | yes           | nothing             | `cancel` (thrown in when it starts)|
//! | `Running`   | (2)           | (3)                 | `thrown`, `cancel`                 |
//! | `Waiting`   | no            | exactly one: `on`   | `cancel` (`on` refused it)         |
//! | `Woken`     | yes           | nothing (4)         | `cancel`                           |
//! | `Parked`    | no            | nothing (5)         | `thrown`                           |
//! | `Done`      | no            | nothing             | none                               |
//! | `Discarded` | no            | nothing             | none                               |
//!
//! 1. Except for an eager task (CPython 3.12) between its creation and its first step, which
//!    runs at once inside `create_task`.
//! 2. `rescheduled`: something (a `sleep(0)`, a Rust waker) queued its next step while it ran.
//! 3. `waiter`: the looplab awaitable its current await registered on, if any.
//! 4. `on` is what it last waited on, kept until the step runs, because asyncio clears
//!    `_fut_waiter` in `__step`, not when `__wakeup` is scheduled: task dumps still show it, and
//!    `cancel()` first offers the cancellation to it (a finished future refuses).
//! 5. Suspended on a foreign Rust future (not a looplab awaitable): no waiter to cancel and no
//!    step queued; that future's Rust waker schedules it. asyncio has no such state (a coroutine
//!    can only suspend on a future or a bare yield).
//!
//! `Woken` is not a variant of its own: it is `Waiting` with its `woken` flag set, so that a
//! wake-up writes one flag instead of moving what the task waits on (queue-pingpong wakes a task
//! on every item).
//!
//! This is CPython's invariant (`Lib/asyncio/tasks.py`, 3.11), with the one state it lacks named:
//! between steps a task either waits on exactly one awaitable and has no step scheduled
//! (`Waiting`), or has exactly one step scheduled and waits on nothing (`New`, `Scheduled`,
//! `Woken`), or is suspended on a Rust future (`Parked`), or is over (`Done`, `Discarded`).
//! The variants carry only the cancellation flags that are legal in them, so an illegal
//! combination (a thrown cancellation on a waiting task, a requested one on a parked task)
//! cannot be written.
//!
//! # Cancellation
//!
//! - `cancel` is asyncio's `_must_cancel`: a cancellation was requested and could not be passed
//!   on to what the task waits on; it is thrown into the task when its next step begins.
//! - `thrown`: a cancellation thrown into the task at the start of this step and not yet raised.
//!   asyncio raises it at once, at the `await` the coroutine is suspended in; here the first
//!   looplab await the step reaches raises it (which is that same await, unless the task was
//!   suspended on a Rust future).
//!
//! # The transitions
//!
//! ```text
//! New ──begin_step──▶ Running          New{cancel} ──begin_step──▶ Done (cancelled, no code ran)
//! Scheduled, Woken ──begin_step──▶ Running            (cancel becomes thrown)
//! Running ──suspend──▶ Waiting (an await registered)   Woken (registered, and rescheduled)
//!                      Scheduled (rescheduled, or cancelled with nothing to cancel)
//!                      Parked (on a Rust future)
//! Running ──returned──▶ Done
//! Waiting ──wake──▶ Woken        Parked ──wake──▶ Scheduled        Running ──wake──▶ rescheduled
//! Parked ──request_cancel──▶ Scheduled{cancel}    (any other live state just notes `cancel`)
//! any live state ──discard──▶ Discarded            (its loop closed)
//! ```

use super::completion::Waiter;

/// Where a task is in its life. See the module documentation for the rules.
pub(crate) enum TaskState {
    /// Created; its first step is on the ready queue (or, eager, about to run).
    New {
        /// `_must_cancel`: cancelled before its first step.
        cancel: bool,
    },
    /// Its next step is on the ready queue; it waits on nothing.
    Scheduled {
        /// A cancellation to throw in when the step begins.
        cancel: bool,
    },
    /// Its step runs now.
    Running {
        /// What the await it is suspending in registered on (the future `_fut_waiter` becomes).
        waiter: Option<Waiter>,
        /// Its next step is already on the ready queue.
        rescheduled: bool,
        /// A cancellation thrown in at the start of this step, not yet raised.
        thrown: bool,
        /// `_must_cancel`: cancelled while running.
        cancel: bool,
    },
    /// Suspended on exactly one looplab awaitable; no step scheduled. Or, `woken`, what it
    /// waited on is done: its step is on the ready queue (the state called `Woken`). One variant
    /// for both, so that a wake-up writes one flag instead of moving the waiter.
    Waiting {
        /// `_fut_waiter`: named until the step runs, woken or not.
        on: Waiter,
        /// `_must_cancel`: a cancellation `on` refused.
        cancel: bool,
        /// Its step is on the ready queue.
        woken: bool,
    },
    /// Suspended on a foreign Rust future; no step scheduled, nothing to cancel.
    Parked {
        /// A cancellation thrown in that no looplab await has raised yet.
        thrown: bool,
    },
    /// Finished: returned, failed or cancelled.
    Done,
    /// Its future was dropped unfinished: its loop closed.
    Discarded {
        /// Whether its first step had begun.
        started: bool,
    },
}

/// What [`TaskState::begin_step`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum StepStart {
    /// Run the step.
    Run,
    /// Run the step, with a cancellation thrown into it (`thrown`).
    RunThrowing,
    /// Cancelled before its first step: end it cancelled without running any of its code.
    CancelledBeforeStart,
    /// No step was scheduled (the task is over): do nothing.
    NotScheduled,
}

/// What [`TaskState::suspend`] leaves the step to do.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(crate) enum Suspended {
    /// Nothing: the task waits, has its next step queued, or is parked.
    Settled,
    /// Queue its next step: it was cancelled while it ran and suspended on a Rust future, with
    /// no waiter to pass the cancellation to, so it steps again for its next looplab await to
    /// raise it.
    Enqueue,
    /// It was cancelled while it ran (`_must_cancel`): offer the cancellation to what it now
    /// waits on (asyncio's `__step`: `if self._must_cancel: if self._fut_waiter.cancel()`).
    PassCancel,
    /// Its future was dropped while the step ran (its loop closed).
    Discarded,
}

/// What [`TaskState::returned`] decided.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Return {
    /// Finish with the future's result.
    Finish,
    /// A cancellation was pending when it returned (asyncio: `StopIteration` while
    /// `_must_cancel`): it ends cancelled.
    FinishCancelled,
    /// Its loop closed during the step: drop the result.
    Drop,
}

impl TaskState {
    /// A short name of the state, for assertion messages and tests.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            TaskState::New { .. } => "New",
            TaskState::Scheduled { .. } => "Scheduled",
            TaskState::Running { .. } => "Running",
            TaskState::Waiting { woken: false, .. } => "Waiting",
            TaskState::Waiting { woken: true, .. } => "Woken",
            TaskState::Parked { .. } => "Parked",
            TaskState::Done => "Done",
            TaskState::Discarded { .. } => "Discarded",
        }
    }

    /// A step begins (`__step`): `_fut_waiter = None`, and `_must_cancel` becomes a
    /// cancellation thrown into the task.
    pub(crate) fn begin_step(&mut self) -> StepStart {
        let thrown = match self {
            TaskState::New { cancel: true } => {
                *self = TaskState::Done;
                return StepStart::CancelledBeforeStart;
            }
            TaskState::New { cancel: false } => false,
            TaskState::Scheduled { cancel }
            | TaskState::Waiting {
                cancel, woken: true, ..
            } => *cancel,
            other => {
                debug_assert!(
                    matches!(other, TaskState::Done | TaskState::Discarded { .. }),
                    "a step of a task in state {} ran, but none was scheduled",
                    other.name()
                );
                return StepStart::NotScheduled;
            }
        };
        *self = TaskState::Running {
            waiter: None,
            rescheduled: false,
            thrown,
            cancel: false,
        };
        if thrown {
            StepStart::RunThrowing
        } else {
            StepStart::Run
        }
    }

    /// An await in the running step registered on `on`: the task will wait on it if the step
    /// suspends now. (A later await in the same step, in a combinator, replaces it.)
    pub(crate) fn set_waiter(&mut self, on: Waiter) {
        match self {
            TaskState::Running { waiter, thrown, .. } => {
                debug_assert!(!*thrown, "an await registered while a cancellation was thrown in");
                *waiter = Some(on);
            }
            other => debug_assert!(false, "an await registered on a task in state {}", other.name()),
        }
    }

    /// An await takes the cancellation thrown into this step, if there is one, to raise it.
    pub(crate) fn take_thrown(&mut self) -> bool {
        match self {
            TaskState::Running { thrown, .. } => std::mem::take(thrown),
            other => {
                debug_assert!(false, "an await ran in a task in state {}", other.name());
                false
            }
        }
    }

    /// Something wakes the task (the future it waits on finished, a Rust waker fired, a
    /// `sleep(0)` yields). Returns whether a step must be put on the ready queue: never twice.
    pub(crate) fn wake(&mut self) -> bool {
        match self {
            TaskState::New { .. } | TaskState::Scheduled { .. } => false,
            TaskState::Running { rescheduled, .. } => !std::mem::replace(rescheduled, true),
            TaskState::Waiting { woken, .. } => !std::mem::replace(woken, true),
            TaskState::Parked { thrown } => {
                *self = TaskState::Scheduled { cancel: *thrown };
                true
            }
            // A wake-up left behind (a Rust waker kept past the end): nothing to run.
            TaskState::Done | TaskState::Discarded { .. } => false,
        }
    }

    /// The step returned `Pending`: the state between steps, and what the step must still do
    /// (one update tells it all, where the step used to read the state twice more after it).
    pub(crate) fn suspend(&mut self) -> Suspended {
        let (waiter, rescheduled, thrown, cancel) = match std::mem::replace(self, TaskState::Done) {
            TaskState::Running {
                waiter,
                rescheduled,
                thrown,
                cancel,
            } => (waiter, rescheduled, thrown, cancel),
            discarded @ TaskState::Discarded { .. } => {
                *self = discarded;
                return Suspended::Discarded;
            }
            other => {
                debug_assert!(false, "a step ended in state {}", other.name());
                *self = other;
                return Suspended::Settled;
            }
        };
        debug_assert!(
            !(thrown && waiter.is_some()),
            "a task waits while a cancellation thrown into it is unraised"
        );
        let cancel = cancel || (thrown && waiter.is_some());
        let (next, enqueue) = match (waiter, rescheduled) {
            (Some(on), woken) => (TaskState::Waiting { on, cancel, woken }, false),
            (None, true) => (
                TaskState::Scheduled {
                    cancel: cancel || thrown,
                },
                false,
            ),
            (None, false) if cancel => (TaskState::Scheduled { cancel: true }, true),
            (None, false) => (TaskState::Parked { thrown }, false),
        };
        *self = next;
        if enqueue {
            Suspended::Enqueue
        } else if self.must_cancel() {
            Suspended::PassCancel
        } else {
            Suspended::Settled
        }
    }

    /// The step returned `Ready`: the task is done.
    pub(crate) fn returned(&mut self) -> Return {
        match std::mem::replace(self, TaskState::Done) {
            TaskState::Running { thrown, cancel, .. } if thrown || cancel => Return::FinishCancelled,
            TaskState::Running { .. } => Return::Finish,
            discarded @ TaskState::Discarded { .. } => {
                *self = discarded;
                Return::Drop
            }
            other => {
                debug_assert!(false, "a step ended in state {}", other.name());
                Return::Finish
            }
        }
    }

    /// `cancel()` found nothing that would take the cancellation: note `_must_cancel`. Returns
    /// whether a step must be put on the ready queue (a parked task, which nothing else would
    /// step).
    pub(crate) fn request_cancel(&mut self) -> bool {
        match self {
            TaskState::New { cancel }
            | TaskState::Scheduled { cancel }
            | TaskState::Running { cancel, .. }
            | TaskState::Waiting { cancel, .. } => {
                *cancel = true;
                false
            }
            TaskState::Parked { .. } => {
                *self = TaskState::Scheduled { cancel: true };
                true
            }
            TaskState::Done | TaskState::Discarded { .. } => false,
        }
    }

    /// What the task waits on accepted the cancellation at the end of a step: `_must_cancel`
    /// is cleared (the cancellation comes back through that awaitable).
    pub(crate) fn cancel_passed_on(&mut self) {
        match self {
            TaskState::Waiting { cancel, .. } => *cancel = false,
            other => debug_assert!(false, "a cancellation passed on from state {}", other.name()),
        }
    }

    /// Its loop closed: the future is dropped unfinished.
    pub(crate) fn discard(&mut self) {
        match self {
            TaskState::Done | TaskState::Discarded { .. } => {}
            TaskState::New { .. } => *self = TaskState::Discarded { started: false },
            _ => *self = TaskState::Discarded { started: true },
        }
    }

    /// What the task waits on, as asyncio's `_fut_waiter` names it (`None` while it runs).
    pub(crate) fn fut_waiter(&self) -> Option<Waiter> {
        match self {
            TaskState::Waiting { on, .. } => Some(on.clone()),
            _ => None,
        }
    }

    /// What the trace records the task awaits: what it waits on, if it waits (read in place: no
    /// count taken on the waiter).
    pub(crate) fn awaiting(&self) -> Option<crate::trace::Awaiting> {
        match self {
            TaskState::Waiting { on, .. } => Some(on.awaiting()),
            _ => None,
        }
    }

    /// `_must_cancel`.
    pub(crate) fn must_cancel(&self) -> bool {
        match self {
            TaskState::New { cancel }
            | TaskState::Scheduled { cancel }
            | TaskState::Running { cancel, .. }
            | TaskState::Waiting { cancel, .. } => *cancel,
            _ => false,
        }
    }

    /// Whether a step is on the ready queue.
    #[cfg(test)]
    pub(crate) fn is_scheduled(&self) -> bool {
        match self {
            TaskState::New { .. } | TaskState::Scheduled { .. } => true,
            TaskState::Waiting { woken, .. } => *woken,
            TaskState::Running { rescheduled, .. } => *rescheduled,
            _ => false,
        }
    }

    /// Whether it is over: finished, or dropped unfinished by its closing loop.
    pub(crate) fn is_over(&self) -> bool {
        matches!(self, TaskState::Done | TaskState::Discarded { .. })
    }

    /// Whether it is suspended on a Rust future.
    pub(crate) fn is_parked(&self) -> bool {
        matches!(self, TaskState::Parked { .. })
    }

    /// A task dropped by its loop before its first step: not reported as destroyed while
    /// pending (it never ran; see `TaskCell`'s `Drop`).
    pub(crate) fn discarded_unstarted(&self) -> bool {
        matches!(self, TaskState::Discarded { started: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::completion::Waitable;
    use crate::trace::Awaiting;
    use std::rc::Rc;

    struct Fut;
    impl Waitable for Fut {
        fn cancel_waitable(&self, _: Option<Rc<str>>) -> bool {
            true
        }
        fn describe(&self) -> String {
            "a future".into()
        }
        fn awaiting(&self) -> Awaiting {
            Awaiting::Future(crate::trace::FutureLabel::Plain)
        }
    }

    fn on() -> Waiter {
        Waiter::Future(Rc::new(Fut))
    }

    #[test]
    fn a_step_that_registers_on_an_awaitable_leaves_the_task_waiting_on_it_alone() {
        let mut s = TaskState::New { cancel: false };
        assert_eq!(s.begin_step(), StepStart::Run);
        s.set_waiter(on());
        assert_eq!(s.suspend(), Suspended::Settled);
        assert_eq!(s.name(), "Waiting");
        assert!(!s.is_scheduled() && s.fut_waiter().is_some());
        assert!(s.wake(), "waking a waiting task queues its step");
        assert_eq!(s.name(), "Woken");
        assert!(
            s.is_scheduled() && s.fut_waiter().is_some(),
            "asyncio names the future until the step"
        );
        assert!(!s.wake(), "never two steps queued");
        assert_eq!(s.begin_step(), StepStart::Run);
        assert!(s.fut_waiter().is_none(), "__step clears _fut_waiter");
    }

    #[test]
    fn a_yield_leaves_the_task_scheduled_and_waiting_on_nothing() {
        let mut s = TaskState::Scheduled { cancel: false };
        s.begin_step();
        assert!(s.wake(), "sleep(0) queues the next step");
        assert!(!s.wake());
        assert_eq!(s.suspend(), Suspended::Settled);
        assert_eq!(s.name(), "Scheduled");
        assert!(s.fut_waiter().is_none());
    }

    #[test]
    fn a_task_suspended_on_a_rust_future_is_parked_until_woken_or_cancelled() {
        let mut s = TaskState::Scheduled { cancel: false };
        s.begin_step();
        assert_eq!(s.suspend(), Suspended::Settled);
        assert!(s.is_parked() && !s.is_scheduled());
        assert!(s.request_cancel(), "cancelling a parked task queues a step");
        assert_eq!(s.name(), "Scheduled");
        assert!(s.must_cancel());
        s.begin_step();
        assert!(s.take_thrown(), "the step throws the cancellation in");
        assert!(!s.take_thrown(), "once");
    }

    #[test]
    fn a_cancellation_not_raised_by_a_parked_step_waits_for_the_next_step() {
        let mut s = TaskState::Scheduled { cancel: true };
        s.begin_step();
        assert_eq!(s.suspend(), Suspended::Settled, "no looplab await took it");
        assert!(matches!(s, TaskState::Parked { thrown: true }));
        assert!(s.wake());
        s.begin_step();
        assert!(s.take_thrown());
    }

    #[test]
    fn a_task_cancelled_while_running_that_parks_is_stepped_again() {
        let mut s = TaskState::New { cancel: false };
        s.begin_step();
        assert!(!s.request_cancel(), "a running task gets it at its next suspension");
        assert_eq!(s.suspend(), Suspended::Enqueue, "nothing to cancel: step again");
        assert!(matches!(s, TaskState::Scheduled { cancel: true }));
    }

    #[test]
    fn a_task_cancelled_while_running_that_waits_keeps_the_request_until_passed_on() {
        let mut s = TaskState::New { cancel: false };
        s.begin_step();
        s.request_cancel();
        s.set_waiter(on());
        assert_eq!(s.suspend(), Suspended::PassCancel);
        assert!(s.must_cancel() && s.fut_waiter().is_some());
        s.cancel_passed_on();
        assert!(!s.must_cancel());
    }

    #[test]
    fn a_task_cancelled_before_its_first_step_ends_without_running() {
        let mut s = TaskState::New { cancel: false };
        s.request_cancel();
        assert_eq!(s.begin_step(), StepStart::CancelledBeforeStart);
        assert_eq!(s.name(), "Done");
    }

    #[test]
    fn a_pending_cancellation_makes_a_returning_task_end_cancelled() {
        let mut s = TaskState::Scheduled { cancel: true };
        s.begin_step();
        assert_eq!(s.returned(), Return::FinishCancelled);
        let mut s = TaskState::Scheduled { cancel: false };
        s.begin_step();
        assert_eq!(s.returned(), Return::Finish);
        assert!(
            !s.wake() && !s.request_cancel(),
            "a done task takes no wake-up or cancellation"
        );
    }

    #[test]
    fn discarding_remembers_whether_the_task_had_started() {
        let mut s = TaskState::New { cancel: false };
        s.discard();
        assert!(s.discarded_unstarted());
        let mut s = TaskState::Parked { thrown: false };
        s.discard();
        assert!(!s.discarded_unstarted() && s.name() == "Discarded");
        s.begin_step();
        assert_eq!(s.begin_step(), StepStart::NotScheduled);
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "none was scheduled")]
    fn a_step_of_a_waiting_task_is_caught() {
        let mut s = TaskState::Waiting {
            on: on(),
            cancel: false,
            woken: false,
        };
        s.begin_step();
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "an await registered on a task in state Waiting")]
    fn an_await_outside_the_step_is_caught() {
        let mut s = TaskState::Waiting {
            on: on(),
            cancel: false,
            woken: false,
        };
        s.set_waiter(on());
    }
}

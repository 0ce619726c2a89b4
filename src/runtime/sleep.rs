//! `asyncio.sleep`: a timer that completes a future, and the bare yield of `sleep(0)`.

use std::pin::Pin;
use std::task::{Context, Poll};

use super::completion::Waiter;
use super::error::{Error, ExceptionClass};
use super::event_loop::{current_cancel_delivery, current_loop, SleepKey, SleepWaiter};
use super::task::TaskPtr;

/// `asyncio.sleep(delay)`. Made by [`sleep`](crate::runtime::sleep()).
///
/// As in CPython: a delay of zero or less yields for exactly one iteration; otherwise a timer is
/// set for `time() + delay` whose callback completes a future, and the task resumes in the
/// iteration after the timer fires. Cancelling the sleeping task cancels the timer.
pub struct Sleep {
    delay: f64,
    state: SleepState,
    /// Where `sleep` was called, for the trace.
    at: &'static std::panic::Location<'static>,
}

enum SleepState {
    Start,
    /// `sleep(0)`: the step is rescheduled; the next poll returns.
    Yielded,
    /// Waiting on the sleep's future, which the loop keeps with its timer.
    Waiting(SleepKey),
    Done,
}

impl Sleep {
    /// `asyncio.sleep(delay, result)`: the same sleep, whose await gives `result` when it ends.
    pub fn with_result<T>(self, result: T) -> SleepWith<T> {
        SleepWith {
            sleep: self,
            result: Some(result),
        }
    }
}

/// `asyncio.sleep(delay, result)`. Made by [`Sleep::with_result`].
pub struct SleepWith<T> {
    sleep: Sleep,
    result: Option<T>,
}

// The result is only ever moved out, never pinned.
impl<T> Unpin for SleepWith<T> {}

impl<T> std::future::Future for SleepWith<T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        Pin::new(&mut this.sleep).poll(cx).map(|slept| {
            slept.and_then(|()| {
                this.result
                    .take()
                    .ok_or_else(|| Error::runtime("cannot reuse already awaited coroutine"))
            })
        })
    }
}

pub(crate) fn sleep(delay: f64, at: &'static std::panic::Location<'static>) -> Sleep {
    Sleep {
        delay,
        state: SleepState::Start,
        at,
    }
}

impl std::future::Future for Sleep {
    type Output = Result<(), Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        match this.state {
            // The second poll of `sleep(0)` and a finished sleep ask the loop for nothing: the
            // lookups of the loop and the running task were 4% of a `yield-storm`'s instructions.
            SleepState::Yielded => {
                this.state = SleepState::Done;
                return match current_cancel_delivery() {
                    Some(error) => Poll::Ready(Err(error)),
                    None => Poll::Ready(Ok(())),
                };
            }
            SleepState::Done => return Poll::Ready(Ok(())),
            SleepState::Start | SleepState::Waiting(_) => {}
        }
        let Some(lp) = current_loop() else {
            return Poll::Ready(Err(Error::runtime("no running event loop")));
        };
        let task = lp.current_task();
        match &mut this.state {
            SleepState::Start => {
                if let Some(error) = task.as_ref().and_then(|t| t.header().take_cancel_delivery()) {
                    this.state = SleepState::Done;
                    return Poll::Ready(Err(error));
                }
                if this.delay.is_nan() {
                    this.state = SleepState::Done;
                    return Poll::Ready(Err(Error::new(
                        ExceptionClass::ValueError,
                        "Invalid delay: NaN (not a number)",
                    )));
                }
                if this.delay <= 0.0 {
                    // A bare `yield`: the task steps again in the next iteration.
                    this.state = SleepState::Yielded;
                    match task {
                        Some(task) => lp.schedule_step(task),
                        None => cx.waker().wake_by_ref(),
                    }
                    return Poll::Pending;
                }
                let waiter = sleep_waiter(&task, cx);
                let key = lp.sleep_timer(lp.time() + this.delay, this.at, waiter);
                if let Some(task) = &task {
                    task.header().set_fut_waiter(Waiter::Sleep(key));
                }
                this.state = SleepState::Waiting(key);
                Poll::Pending
            }
            SleepState::Waiting(key) => {
                // As `await fut` in a task: a cancellation thrown into the step is raised here;
                // a finished future answers; otherwise the task waits on.
                let key = *key;
                let thrown = task.as_ref().and_then(|t| t.header().take_cancel_delivery());
                let poll = lp.poll_sleep(key, thrown, sleep_waiter(&task, cx));
                if poll.is_ready() {
                    this.state = SleepState::Done;
                } else if let Some(task) = &task {
                    task.header().set_fut_waiter(Waiter::Sleep(key));
                }
                poll
            }
            // Answered above, before the loop is looked up.
            SleepState::Yielded | SleepState::Done => Poll::Ready(Ok(())),
        }
    }
}

/// Who a sleep's future wakes: the task polling it, or (outside any task) the poll's waker.
fn sleep_waiter(task: &Option<TaskPtr>, cx: &Context<'_>) -> SleepWaiter {
    match task {
        Some(task) => SleepWaiter::Task(task.clone()),
        None => SleepWaiter::Waker(cx.waker().clone()),
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let SleepState::Waiting(key) = self.state {
            if let Some(lp) = current_loop() {
                lp.end_sleep(key);
            }
        }
    }
}

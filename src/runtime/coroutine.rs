//! Coroutine objects: calling an async function only builds one; nothing runs until it is
//! awaited or spawned. One that is dropped without ever being started is reported with
//! CPython's `RuntimeWarning: coroutine '...' was never awaited`.

use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::event_loop::current_loop;

thread_local! {
    /// Set while a task drops a future it cancelled before its first step: CPython threw the
    /// cancellation into that coroutine, which counts as starting it.
    static STARTED_BY_THROW: Cell<bool> = const { Cell::new(false) };
}

/// Runs `drop` with unstarted coroutines counted as started (see `STARTED_BY_THROW`). The flag
/// is put back by a guard, so a panic in `drop` does not leave it set.
pub(crate) fn dropped_as_started(drop: impl FnOnce()) {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = STARTED_BY_THROW.try_with(|s| s.set(self.0));
        }
    }
    let _restore = Restore(STARTED_BY_THROW.with(|s| s.replace(true)));
    drop();
}

/// A named coroutine object: a future that knows whether it was ever started.
pub struct Coroutine<F> {
    name: Rc<str>,
    future: Pin<Box<F>>,
    started: bool,
}

/// Wraps `future` as the coroutine object of the async function `name`.
pub fn coroutine<F: std::future::Future>(name: &str, future: F) -> Coroutine<F> {
    Coroutine {
        name: name.into(),
        future: Box::pin(future),
        started: false,
    }
}

impl<F: std::future::Future> std::future::Future for Coroutine<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.started = true;
        self.future.as_mut().poll(cx)
    }
}

impl<F> Drop for Coroutine<F> {
    fn drop(&mut self) {
        if self.started || STARTED_BY_THROW.with(Cell::get) {
            return;
        }
        if let Some(lp) = current_loop() {
            lp.warn(&format!("RuntimeWarning: coroutine '{}' was never awaited", self.name));
        }
    }
}

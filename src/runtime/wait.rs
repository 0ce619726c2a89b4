//! `asyncio.wait` and `asyncio.shield`, copied from `Lib/asyncio/tasks.py` (CPython 3.11).

use std::cell::Cell;
use std::collections::HashSet;
use std::rc::Rc;

use super::completion::{ensure_future, settle_ref_of, Awaitable, CallbackId, SettleRef};
use super::error::{Error, ExceptionClass};
use super::event_loop::{current_loop, CallbackEntry, LoopCore};
use super::future::{Future, FutureInner};

/// When `wait` returns (asyncio's `FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnWhen {
    /// As soon as any awaitable is done (or cancelled).
    FirstCompleted,
    /// As soon as any awaitable fails; otherwise when all are done.
    FirstException,
    /// When all are done.
    AllCompleted,
}

/// Undoes `wait`'s registrations, whether the wait ends normally, fails or is dropped
/// (`_wait`'s `finally`).
struct Registrations<T: 'static> {
    lp: Rc<LoopCore>,
    timer: Option<Rc<CallbackEntry>>,
    callbacks: Vec<(SettleRef<T>, CallbackId)>,
}

impl<T: 'static> Drop for Registrations<T> {
    fn drop(&mut self) {
        if let Some(timer) = &self.timer {
            self.lp.cancel_callback(timer);
        }
        for (child, id) in &self.callbacks {
            child.remove_done(*id);
        }
    }
}

/// `asyncio.wait(aws, timeout=timeout, return_when=return_when)`: waits, then gives the
/// awaitables back split into (done, pending), each in the order given (asyncio returns sets;
/// print them sorted to compare). Passing the same awaitable twice counts it once. Nothing is
/// cancelled on return or timeout.
pub async fn wait<T, A>(aws: Vec<A>, return_when: ReturnWhen, timeout: Option<f64>) -> Result<(Vec<A>, Vec<A>), Error>
where
    T: 'static,
    A: Awaitable<T>,
{
    if aws.is_empty() {
        return Err(Error::new(ExceptionClass::ValueError, "Set of Tasks/Futures is empty."));
    }
    let lp = current_loop().ok_or_else(|| Error::runtime("no running event loop"))?;
    let mut seen = HashSet::with_capacity(aws.len());
    let unique: Vec<A> = aws.into_iter().filter(|a| seen.insert(a.settle_ref().key())).collect();

    let waiter = FutureInner::<()>::new();
    let release = {
        let waiter = waiter.clone();
        move || {
            waiter.finish(Ok(()));
        }
    };
    let timer = timeout.map(|t| lp.call_at_boxed(lp.time() + t, Box::new(release.clone())));
    let counter = Rc::new(Cell::new(unique.len()));
    let timer_cell = Rc::new(std::cell::RefCell::new(timer.clone()));
    let mut registrations = Registrations {
        lp: lp.clone(),
        timer,
        callbacks: Vec::new(),
    };
    for a in &unique {
        let child = a.settle_ref();
        let me = child.clone();
        let counter = counter.clone();
        let release = release.clone();
        let timer_cell = timer_cell.clone();
        let lp = lp.clone();
        let id = child.add_done(move || {
            counter.set(counter.get().saturating_sub(1));
            let failed = || !me.cancelled() && me.exception().is_some();
            if counter.get() == 0
                || return_when == ReturnWhen::FirstCompleted
                || (return_when == ReturnWhen::FirstException && failed())
            {
                if let Some(timer) = timer_cell.borrow().as_ref() {
                    lp.cancel_callback(timer);
                }
                release();
            }
        });
        registrations.callbacks.push((child, id));
    }

    let result = Future::from_inner(waiter).await;
    drop(registrations);
    result?;
    let (done, pending) = unique.into_iter().partition(|a| a.settle_ref().done());
    Ok((done, pending))
}

/// `asyncio.shield(aw)`: a future that follows `aw` but whose cancellation does not reach it.
/// Cancelling the task awaiting the shield cancels only the shield; `aw` runs on. A coroutine
/// is spawned as a task first (`ensure_future`).
pub fn shield<T, A>(aw: A) -> Future<T>
where
    T: Clone + 'static,
    A: std::future::Future<Output = Result<T, Error>> + 'static,
{
    let inner = ensure_future(aw);
    let outer = FutureInner::<T>::new();
    if let Some(outcome) = inner.outcome() {
        outer.finish(outcome);
        return Future::from_inner(outer);
    }
    let weak_outer = Rc::downgrade(&outer);
    let follower = inner.clone();
    let inner_done = inner.add_done(move || {
        let Some(outer) = weak_outer.upgrade() else {
            // Nobody holds the shield any more: just mark the failure retrieved.
            follower.exception();
            return;
        };
        if outer.completion.is_cancelled() {
            if !follower.cancelled() {
                follower.exception();
            }
            return;
        }
        if follower.cancelled() {
            outer.finish(Err(Error::cancelled()));
        } else if let Some(outcome) = follower.outcome() {
            outer.finish(outcome);
        }
    });
    let outer_ref = Future::from_inner(outer.clone()).settle_ref();
    outer_ref.add_done(move || {
        if !inner.done() {
            inner.remove_done(inner_done);
        }
    });
    Future::from_inner(outer)
}

/// `asyncio.as_completed(aws, timeout=timeout)`: the outcomes in the order the awaitables
/// finish. Like CPython's generator it registers on the awaitables when first advanced; each
/// [`AsCompleted::next`] is one `await` of the coroutine it yields, and there are exactly as
/// many as distinct awaitables. After the timeout, each remaining `next` fails with
/// `TimeoutError`.
pub struct AsCompleted<T: 'static> {
    pending: Option<Vec<Todo<T>>>,
    timeout: Option<f64>,
    done: crate::runtime::queues::Queue<Option<SettleRef<T>>>,
    remaining: usize,
}

/// An awaitable given to `as_completed`: a task or future, or a coroutine to spawn as a task
/// when the iteration starts (CPython's `as_completed` is a generator: its `ensure_future`
/// calls run at the first `next`).
enum Todo<T> {
    Ready(SettleRef<T>),
    Coroutine(Box<dyn FnOnce() -> SettleRef<T>>),
}

/// See [`AsCompleted`]. Each of `aws` is a task, a low-level future, or a coroutine (any other
/// future with a `Result` output), which is spawned as a task when the iteration starts, in
/// argument order. (CPython spawns them in the order of a set of the coroutine objects, which
/// follows their memory addresses: a program cannot rely on their `Task-N` names there.)
pub fn as_completed<T, A>(aws: Vec<A>, timeout: Option<f64>) -> AsCompleted<T>
where
    T: Clone + 'static,
    A: std::future::Future<Output = Result<T, Error>> + 'static,
{
    let mut seen = HashSet::with_capacity(aws.len());
    let unique: Vec<Todo<T>> = aws
        .into_iter()
        .filter_map(|a| match settle_ref_of(&a) {
            Some(settle) => seen.insert(settle.key()).then_some(Todo::Ready(settle)),
            None => Some(Todo::Coroutine(Box::new(move || ensure_future(a)))),
        })
        .collect();
    AsCompleted {
        remaining: unique.len(),
        pending: Some(unique),
        timeout,
        done: crate::runtime::queues::Queue::new(0),
    }
}

impl<T: Clone + 'static> AsCompleted<T> {
    fn start(&mut self, todo: Vec<Todo<T>>) {
        let Some(lp) = current_loop() else { return };
        let todo: Vec<SettleRef<T>> = todo
            .into_iter()
            .map(|t| match t {
                Todo::Ready(settle) => settle,
                Todo::Coroutine(spawn) => spawn(),
            })
            .collect();
        // `todo`: the awaitables not yet done, by identity (a set, as in CPython).
        let keys: HashSet<*const ()> = todo.iter().map(|c| c.key()).collect();
        let todo_set = Rc::new(std::cell::RefCell::new(keys));
        let timer: Rc<std::cell::RefCell<Option<Rc<CallbackEntry>>>> = Rc::default();
        let mut registered: Vec<(SettleRef<T>, CallbackId)> = Vec::with_capacity(todo.len());
        for child in todo {
            let me = child.clone();
            let todo = todo_set.clone();
            let done = self.done.clone();
            let timer = timer.clone();
            let lp = lp.clone();
            let id = child.add_done(move || {
                // `_on_completion`.
                if todo.borrow().is_empty() {
                    return;
                }
                todo.borrow_mut().remove(&me.key());
                let _ = done.put_nowait(Some(me.clone()));
                if todo.borrow().is_empty() {
                    if let Some(timer) = timer.borrow().as_ref() {
                        lp.cancel_callback(timer);
                    }
                }
            });
            registered.push((child, id));
        }
        if let Some(timeout) = self.timeout {
            if !todo_set.borrow().is_empty() {
                let done = self.done.clone();
                let entry = lp.call_at_boxed(
                    lp.time() + timeout,
                    Box::new(move || {
                        // `_on_timeout`.
                        let pending = std::mem::take(&mut *todo_set.borrow_mut());
                        for (child, id) in &registered {
                            if pending.contains(&child.key()) {
                                child.remove_done(*id);
                                let _ = done.put_nowait(None);
                            }
                        }
                    }),
                );
                *timer.borrow_mut() = Some(entry);
            }
        }
    }

    /// The next outcome in completion order (`await next(it)`); `None` when all are given.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        if let Some(todo) = self.pending.take() {
            self.start(todo);
        }
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        Some(match self.done.get().await {
            Err(e) => Err(e),
            Ok(None) => Err(Error::timeout()),
            Ok(Some(f)) => f.outcome().unwrap_or_else(|| Err(Error::runtime("not done"))),
        })
    }
}

//! `asyncio.wait` and `asyncio.shield`, copied from `Lib/asyncio/tasks.py` (CPython 3.11).

use std::cell::Cell;
use std::collections::HashSet;
use std::rc::Rc;

use super::completion::{ensure_future, settle_ref_of, Awaitable, CallbackId, SettleRef};
use super::error::{Error, ExceptionClass};
use super::event_loop::{current_loop, CallbackEntry, LoopCore};
use super::future::{Future, FutureInner};
use crate::trace::FutureLabel;

/// When `wait` returns (asyncio's `FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`).
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// // done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
/// let report = run_report(async {
///     let ok = spawn(async { sleep(1.0).await.map(|_| 1) });
///     let bad = spawn(async {
///         sleep(2.0).await?;
///         Err::<u32, _>(Error::new("ValueError", "bad"))
///     });
///     let slow = spawn(async { sleep(5.0).await.map(|_| 3) });
///     let (done, pending) = wait(vec![ok, bad, slow], ReturnWhen::FirstException, None).await?;
///     log(format!("{} done, {} pending", done.len(), pending.len()));
///     for task in done {
///         log(format!("{}: {}", task.name(), py_repr(&task.exception())));
///     }
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     [
///         "2.000 Task-1 2 done, 1 pending",
///         "2.000 Task-1 Task-2: None",
///         "2.000 Task-1 Task-3: ValueError('bad')",
///     ]
/// );
/// ```
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
/// cancelled on return or timeout. As in CPython 3.11, it takes tasks and futures, not
/// coroutines (spawn them first). The awaitables are all of one type: for tasks of different
/// result types, wait for them one by one, or [`gather!`](crate::gather!) them.
///
/// # Examples
///
/// ```python
/// tasks = [asyncio.create_task(asyncio.sleep(s, result=s)) for s in (1, 3)]
/// done, pending = await asyncio.wait(tasks, timeout=2)
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     let tasks: Vec<Task<f64>> = [1.0, 3.0]
///         .into_iter()
///         .map(|s| spawn(sleep(s).with_result(s)))
///         .collect();
///     let (done, pending) = wait(tasks, ReturnWhen::AllCompleted, Some(2.0)).await?;
///     log(format!("done {:?}, {} pending", done[0].result(), pending.len()));
///     pending[0].cancel();
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["2.000 Task-1 done Some(Ok(1.0)), 1 pending"]);
/// ```
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

    let waiter = FutureInner::<()>::labelled(FutureLabel::Wait);
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
///
/// # Examples
///
/// ```python
/// async def save():
///     await asyncio.sleep(2)
///     print("saved")
///
/// async def request():
///     await asyncio.shield(save())
///
/// task = asyncio.create_task(request())
/// await asyncio.sleep(1)
/// task.cancel()
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// async fn save() -> Result<(), Error> {
///     sleep(2.0).await?;
///     log("saved");
///     Ok(())
/// }
///
/// let report = run_report(async {
///     let request = spawn(async { shield(save()).await });
///     sleep(1.0).await?;
///     request.cancel();
///     log(format!("request cancelled: {}", request.clone().await.unwrap_err().is_cancelled()));
///     sleep(2.0).await
/// });
/// assert_eq!(
///     report.transcript,
///     ["1.000 Task-1 request cancelled: true", "2.000 Task-3 saved"]
/// );
/// ```
pub fn shield<T, A>(aw: A) -> Future<T>
where
    T: Clone + 'static,
    A: std::future::Future<Output = Result<T, Error>> + 'static,
{
    let inner = ensure_future(aw);
    let outer = FutureInner::<T>::labelled(FutureLabel::Shield);
    // CPython returns a done inner itself (`if inner.done(): return inner`), asking it nothing:
    // a cancellation its coroutine raised is still the inner's to hand out (see `Handout`).
    if let Some(outcome) = inner.peek_cancellation().map(Err).or_else(|| inner.outcome()) {
        outer.finish(outcome);
        return Future::from_inner(outer);
    }
    let weak_outer = Rc::downgrade(&outer);
    let follower = inner.clone();
    let inner_done = inner.add_done(move || {
        let Some(outer) = weak_outer.upgrade() else {
            // Nobody holds the shield any more: just mark the failure retrieved (CPython's
            // shield would cancel its outer future for a cancelled inner, asking it nothing).
            follower.retrieve_failure();
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
///
/// # Examples
///
/// ```python
/// for next_done in asyncio.as_completed([fetch("slow", 2), fetch("fast", 1)]):
///     print(await next_done)
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// async fn fetch(name: &'static str, seconds: f64) -> Result<&'static str, Error> {
///     sleep(seconds).await?;
///     Ok(name)
/// }
///
/// let report = run_report(async {
///     let mut next_done = as_completed(vec![fetch("slow", 2.0), fetch("fast", 1.0)], None);
///     while let Some(outcome) = next_done.next().await {
///         log(outcome?);
///     }
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["1.000 Task-1 fast", "2.000 Task-1 slow"]);
/// ```
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
///
/// # Examples
///
/// ```python
/// for next_done in asyncio.as_completed(tasks, timeout=1.5):
///     try:
///         print(await next_done)
///     except TimeoutError:
///         print("gave up")
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     let tasks: Vec<Task<f64>> = [2.0, 1.0].map(|s| spawn(sleep(s).with_result(s))).into();
///     let mut next_done = as_completed(tasks, Some(1.5));
///     while let Some(outcome) = next_done.next().await {
///         match outcome {
///             Ok(seconds) => log(py_repr(&seconds)),
///             Err(e) if e.is_timeout() => log("gave up"),
///             Err(e) => return Err(e),
///         }
///     }
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["1.000 Task-1 1.0", "1.500 Task-1 gave up"]);
/// ```
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
        match self.next_waiter() {
            Some(waiter) => Some(waiter.await),
            None => None,
        }
    }

    /// What `next(it)` of CPython's `as_completed` generator gives: an awaitable of the next
    /// outcome in completion order, or `None` when all are given. The first call registers the
    /// done callbacks (and the timeout). The awaitables borrow nothing, so several tasks can
    /// await theirs at once, each taking the next outcome as it comes.
    pub fn next_waiter(&mut self) -> Option<impl std::future::Future<Output = Result<T, Error>> + 'static> {
        if let Some(todo) = self.pending.take() {
            self.start(todo);
        }
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let done = self.done.clone();
        Some(async move {
            match done.get_as(FutureLabel::AsCompleted).await {
                Err(e) => Err(e),
                Ok(None) => Err(Error::timeout()),
                Ok(Some(f)) => f.outcome().unwrap_or_else(|| Err(Error::runtime("not done"))),
            }
        })
    }

    /// How many outcomes are still to come.
    pub fn remaining(&self) -> usize {
        self.remaining
    }
}

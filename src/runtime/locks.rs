//! Synchronisation: `Lock`, `Event`, `Condition`, `Semaphore`, `BoundedSemaphore`, copied from
//! `Lib/asyncio/locks.py` (CPython 3.11.7).
//!
//! Every waiter is a low-level future in a FIFO deque; waking a waiter completes its future, so
//! the woken task runs one iteration later. Who is woken, and when a woken waiter gives its turn
//! back after being cancelled, follows CPython line by line (including `Lock`'s rule that a new
//! caller does not barge ahead of waiters that are not cancelled).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use super::error::{Error, ExceptionClass};
use super::future::{Future, FutureInner};
use crate::trace::FutureLabel;

type Waiter = Rc<FutureInner<bool>>;
type Waiters = Rc<RefCell<VecDeque<Waiter>>>;

/// Appends a waiter to `waiters`, awaits it, and removes it again however the await ends
/// (the `try: await fut finally: self._waiters.remove(fut)` that every primitive has). `label`
/// is what the trace says the task awaits.
async fn wait_in(waiters: &Waiters, label: FutureLabel) -> (Waiter, Result<bool, Error>) {
    struct Remove<'a>(&'a Waiters, Waiter);
    impl Drop for Remove<'_> {
        fn drop(&mut self) {
            let mut waiters = self.0.borrow_mut();
            if let Some(i) = waiters.iter().position(|w| Rc::ptr_eq(w, &self.1)) {
                waiters.remove(i);
            }
        }
    }
    let fut = FutureInner::<bool>::labelled(label);
    waiters.borrow_mut().push_back(fut.clone());
    let _remove = Remove(waiters, fut.clone());
    let result = Future::from_inner(fut.clone()).await;
    (fut, result)
}

// ---------------------------------------------------------------------------------------------

struct LockInner {
    locked: Cell<bool>,
    waiters: Waiters,
}

/// `asyncio.Lock`. Clones share the lock. `async with lock: body` is [`Lock::run`] (or a guard
/// from [`Lock::enter`], held until dropped). Waiters get the lock first come, first served.
///
/// # Examples
///
/// ```python
/// async def worker(name, lock):
///     async with lock:
///         print(name, "has the lock")
///         await asyncio.sleep(1)
///
/// lock = asyncio.Lock()
/// await asyncio.gather(worker("a", lock), worker("b", lock))
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// async fn worker(name: &'static str, lock: Lock) -> Result<(), Error> {
///     lock.run(async {
///         log(format!("{name} has the lock"));
///         sleep(1.0).await
///     })
///     .await
/// }
///
/// let report = run_report(async {
///     let lock = Lock::new();
///     gather(vec![worker("a", lock.clone()), worker("b", lock.clone())]).await?;
///     // The guard form: bind the guard to a name, `let _ = ...` would release at once.
///     let _held = lock.enter().await?;
///     log(format!("locked: {}", py_repr(&lock.locked())));
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     ["0.000 Task-2 a has the lock", "1.000 Task-3 b has the lock", "2.000 Task-1 locked: True"]
/// );
/// ```
#[derive(Clone)]
pub struct Lock(Rc<LockInner>);

impl Default for Lock {
    fn default() -> Self {
        Self::new()
    }
}

impl Lock {
    /// An unlocked lock.
    pub fn new() -> Self {
        Lock(Rc::new(LockInner {
            locked: Cell::new(false),
            waiters: Rc::default(),
        }))
    }

    /// `locked()`.
    pub fn locked(&self) -> bool {
        self.0.locked.get()
    }

    /// `acquire()`: waits until the lock is free, then takes it.
    pub async fn acquire(&self) -> Result<bool, Error> {
        let l = &self.0;
        if !l.locked.get() && l.waiters.borrow().iter().all(|w| w.completion.is_cancelled()) {
            l.locked.set(true);
            return Ok(true);
        }
        let (_, result) = wait_in(&l.waiters, FutureLabel::LockAcquire).await;
        if let Err(e) = result {
            if e.is_cancelled() && !l.locked.get() {
                self.wake_up_first();
            }
            return Err(e);
        }
        l.locked.set(true);
        Ok(true)
    }

    /// `release()`: fails with `RuntimeError` if the lock is not held.
    pub fn release(&self) -> Result<(), Error> {
        if !self.0.locked.get() {
            return Err(Error::runtime("Lock is not acquired."));
        }
        self.0.locked.set(false);
        self.wake_up_first();
        Ok(())
    }

    fn wake_up_first(&self) {
        let first = self.0.waiters.borrow().front().cloned();
        if let Some(fut) = first {
            fut.finish(Ok(true));
        }
    }

    /// `async with lock:` — acquires, and releases when the guard is dropped. Bind the guard to
    /// a name (`let _held = lock.enter().await?;`): `let _ = ...` drops it, and so releases the
    /// lock, at once. [`Lock::run`] holds the lock for a block without a guard.
    pub async fn enter(&self) -> Result<LockGuard, Error> {
        self.acquire().await?;
        Ok(LockGuard(self.clone()))
    }

    /// `async with lock: body`: acquires, runs `body`, and releases however `body` ends.
    pub async fn run<T>(&self, body: impl std::future::Future<Output = Result<T, Error>>) -> Result<T, Error> {
        let _held = self.enter().await?;
        body.await
    }
}

/// Holds a [`Lock`] until dropped (`__aexit__` releases it).
///
/// A guard that is not kept is reported (it would release the lock at once):
///
/// ```compile_fail
/// #![deny(unused_must_use)]
/// async fn held(lock: looplab::prelude::Lock) -> Result<(), looplab::Error> {
///     lock.enter().await?;
///     Ok(())
/// }
/// ```
#[must_use = "the lock is released when the guard is dropped: bind it to a name (`let _held = ...`), not to `_`"]
pub struct LockGuard(Lock);

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = self.0.release();
    }
}

// ---------------------------------------------------------------------------------------------

struct EventInner {
    value: Cell<bool>,
    waiters: Waiters,
}

/// `asyncio.Event`. Clones share the event. `set()` wakes every waiter.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// // ready = asyncio.Event(); waiters await ready.wait(); someone calls ready.set()
/// let report = run_report(async {
///     let ready = Event::new();
///     let waiters: Vec<Task<()>> = ["a", "b"]
///         .into_iter()
///         .map(|name| {
///             let ready = ready.clone();
///             spawn(async move {
///                 ready.wait().await?;
///                 log(format!("{name} goes"));
///                 Ok(())
///             })
///         })
///         .collect();
///     sleep(1.0).await?;
///     ready.set();
///     gather(waiters).await?;
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["1.000 Task-2 a goes", "1.000 Task-3 b goes"]);
/// ```
#[derive(Clone)]
pub struct Event(Rc<EventInner>);

impl Default for Event {
    fn default() -> Self {
        Self::new()
    }
}

impl Event {
    /// An event that is not set.
    pub fn new() -> Self {
        Event(Rc::new(EventInner {
            value: Cell::new(false),
            waiters: Rc::default(),
        }))
    }

    /// `is_set()`.
    pub fn is_set(&self) -> bool {
        self.0.value.get()
    }

    /// `set()`: wakes every waiter (they all resume in the next iteration).
    pub fn set(&self) {
        if self.0.value.replace(true) {
            return;
        }
        let waiters: Vec<Waiter> = self.0.waiters.borrow().iter().cloned().collect();
        for fut in waiters {
            fut.finish(Ok(true));
        }
    }

    /// `clear()`.
    pub fn clear(&self) {
        self.0.value.set(false);
    }

    /// `wait()`: returns at once if set, otherwise waits for `set()`.
    pub async fn wait(&self) -> Result<bool, Error> {
        self.wait_as(FutureLabel::EventWait).await
    }

    /// `wait()`, for a caller whose wait the trace names after itself (`queue.join()`).
    pub(crate) async fn wait_as(&self, label: FutureLabel) -> Result<bool, Error> {
        if self.0.value.get() {
            return Ok(true);
        }
        let (_, result) = wait_in(&self.0.waiters, label).await;
        result.map(|_| true)
    }
}

// ---------------------------------------------------------------------------------------------

/// `asyncio.Condition`, with its own lock or a shared one. Clones share the condition.
///
/// # Examples
///
/// ```python
/// async def consumer(cond, items):
///     async with cond:
///         await cond.wait_for(lambda: items)
///         print("got", items.pop())
///
/// async def producer(cond, items):
///     await asyncio.sleep(1)
///     async with cond:
///         items.append("item")
///         cond.notify()
/// ```
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     let cond = Condition::new();
///     let items: Rc<RefCell<Vec<&str>>> = Rc::default();
///     let consumer = {
///         let (cond, items) = (cond.clone(), items.clone());
///         spawn(async move {
///             cond.run(async {
///                 cond.wait_for(|| !items.borrow().is_empty()).await?;
///                 log(format!("got {}", items.borrow_mut().pop().unwrap_or_default()));
///                 Ok(())
///             })
///             .await
///         })
///     };
///     sleep(1.0).await?;
///     cond.run(async {
///         items.borrow_mut().push("item");
///         cond.notify(1)
///     })
///     .await?;
///     consumer.await
/// });
/// assert_eq!(report.transcript, ["1.000 Task-2 got item"]);
/// ```
#[derive(Clone)]
pub struct Condition {
    lock: Lock,
    waiters: Waiters,
}

impl Default for Condition {
    fn default() -> Self {
        Self::new()
    }
}

impl Condition {
    /// A condition with a new lock.
    pub fn new() -> Self {
        Self::with_lock(Lock::new())
    }

    /// A condition over an existing lock.
    pub fn with_lock(lock: Lock) -> Self {
        Condition {
            lock,
            waiters: Rc::default(),
        }
    }

    /// `locked()`.
    pub fn locked(&self) -> bool {
        self.lock.locked()
    }

    /// `acquire()` of the underlying lock.
    pub async fn acquire(&self) -> Result<bool, Error> {
        self.lock.acquire().await
    }

    /// `release()` of the underlying lock.
    pub fn release(&self) -> Result<(), Error> {
        self.lock.release()
    }

    /// `async with cond:`: holds the underlying lock until the guard is dropped.
    pub async fn enter(&self) -> Result<LockGuard, Error> {
        self.lock.enter().await
    }

    /// `async with cond: body`: holds the underlying lock while `body` runs (which may
    /// [`wait`](Condition::wait) and [`notify`](Condition::notify)).
    pub async fn run<T>(&self, body: impl std::future::Future<Output = Result<T, Error>>) -> Result<T, Error> {
        self.lock.run(body).await
    }

    /// `wait()`: releases the lock, waits for a notify, and takes the lock back (even when
    /// cancelled, as CPython does) before returning.
    pub async fn wait(&self) -> Result<bool, Error> {
        if !self.locked() {
            return Err(Error::runtime("cannot wait on un-acquired lock"));
        }
        self.release()?;
        let (_, result) = wait_in(&self.waiters, FutureLabel::ConditionWait).await;
        let mut cancelled = false;
        loop {
            match self.acquire().await {
                Ok(_) => break,
                Err(e) if e.is_cancelled() => cancelled = true,
                Err(e) => return Err(e),
            }
        }
        match result {
            Err(e) => Err(e),
            Ok(_) if cancelled => Err(Error::cancelled()),
            Ok(_) => Ok(true),
        }
    }

    /// `wait_for(predicate)`: waits until `predicate()` holds.
    pub async fn wait_for(&self, mut predicate: impl FnMut() -> bool) -> Result<bool, Error> {
        while !predicate() {
            self.wait().await?;
        }
        Ok(true)
    }

    /// `notify(n)`: wakes up to `n` waiters, first come first served.
    pub fn notify(&self, n: usize) -> Result<(), Error> {
        if !self.locked() {
            return Err(Error::runtime("cannot notify on un-acquired lock"));
        }
        let waiters: Vec<Waiter> = self.waiters.borrow().iter().cloned().collect();
        let mut woken = 0;
        for fut in waiters {
            if woken >= n {
                break;
            }
            if !fut.completion.is_done() {
                woken += 1;
                fut.finish(Ok(false));
            }
        }
        Ok(())
    }

    /// `notify_all()`.
    pub fn notify_all(&self) -> Result<(), Error> {
        let n = self.waiters.borrow().len();
        self.notify(n)
    }
}

// ---------------------------------------------------------------------------------------------

struct SemaphoreInner {
    value: Cell<i64>,
    /// `BoundedSemaphore`'s bound.
    bound: Option<i64>,
    waiters: Waiters,
}

/// `asyncio.Semaphore` and `asyncio.BoundedSemaphore`. Clones share the semaphore.
/// `async with sem: body` is [`Semaphore::run`].
///
/// # Examples
///
/// ```python
/// sem = asyncio.Semaphore(2)
/// async def call(i):
///     async with sem:
///         await asyncio.sleep(1)
///         print("call", i)
/// await asyncio.gather(*(call(i) for i in range(3)))
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     let sem = Semaphore::new(2);
///     let calls = (0..3).map(|i| {
///         let sem = sem.clone();
///         async move {
///             sem.run(async {
///                 sleep(1.0).await?;
///                 log(format!("call {i}"));
///                 Ok(())
///             })
///             .await
///         }
///     });
///     gather(calls.collect::<Vec<_>>()).await?;
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     ["1.000 Task-2 call 0", "1.000 Task-3 call 1", "2.000 Task-4 call 2"]
/// );
/// ```
#[derive(Clone)]
pub struct Semaphore(Rc<SemaphoreInner>);

impl Semaphore {
    /// `Semaphore(value)`.
    pub fn new(value: u32) -> Self {
        Semaphore(Rc::new(SemaphoreInner {
            value: Cell::new(value.into()),
            bound: None,
            waiters: Rc::default(),
        }))
    }

    /// `BoundedSemaphore(value)`: releasing more than acquired is an error.
    pub fn bounded(value: u32) -> Self {
        Semaphore(Rc::new(SemaphoreInner {
            value: Cell::new(value.into()),
            bound: Some(value.into()),
            waiters: Rc::default(),
        }))
    }

    /// The counter (`_value`).
    pub fn value(&self) -> i64 {
        self.0.value.get()
    }

    /// `locked()`: no permit free, or waiters ahead that are not cancelled.
    pub fn locked(&self) -> bool {
        self.0.value.get() == 0 || self.0.waiters.borrow().iter().any(|w| !w.completion.is_cancelled())
    }

    /// `acquire()`.
    pub async fn acquire(&self) -> Result<bool, Error> {
        let s = &self.0;
        if !self.locked() {
            s.value.set(s.value.get() - 1);
            return Ok(true);
        }
        let (fut, result) = wait_in(&s.waiters, FutureLabel::SemaphoreAcquire).await;
        if let Err(e) = result {
            if e.is_cancelled() && !fut.completion.is_cancelled() {
                // Woken, then cancelled before it could run: give the permit back.
                s.value.set(s.value.get() + 1);
                self.wake_up_next();
            }
            return Err(e);
        }
        if s.value.get() > 0 {
            self.wake_up_next();
        }
        Ok(true)
    }

    /// `release()`. A bounded semaphore fails with `ValueError` past its bound.
    pub fn release(&self) -> Result<(), Error> {
        let s = &self.0;
        if let Some(bound) = s.bound {
            if s.value.get() >= bound {
                return Err(Error::new(
                    ExceptionClass::ValueError,
                    "BoundedSemaphore released too many times",
                ));
            }
        }
        s.value.set(s.value.get() + 1);
        self.wake_up_next();
        Ok(())
    }

    fn wake_up_next(&self) {
        let waiters: Vec<Waiter> = self.0.waiters.borrow().iter().cloned().collect();
        for fut in waiters {
            if !fut.completion.is_done() {
                self.0.value.set(self.0.value.get() - 1);
                fut.finish(Ok(true));
                return;
            }
        }
    }

    /// `async with sem:` — acquires, and releases when the guard is dropped (bind it to a name,
    /// not to `_`, which drops it at once).
    pub async fn enter(&self) -> Result<SemaphoreGuard, Error> {
        self.acquire().await?;
        Ok(SemaphoreGuard(self.clone()))
    }

    /// `async with sem: body`: holds a permit while `body` runs, and releases it however `body`
    /// ends.
    pub async fn run<T>(&self, body: impl std::future::Future<Output = Result<T, Error>>) -> Result<T, Error> {
        let _held = self.enter().await?;
        body.await
    }
}

/// Holds one permit of a [`Semaphore`] until dropped.
#[must_use = "the permit is released when the guard is dropped: bind it to a name (`let _held = ...`), not to `_`"]
pub struct SemaphoreGuard(Semaphore);

impl Drop for SemaphoreGuard {
    fn drop(&mut self) {
        let _ = self.0.release();
    }
}

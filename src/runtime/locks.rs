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

type Waiter = Rc<FutureInner<bool>>;
type Waiters = Rc<RefCell<VecDeque<Waiter>>>;

/// Appends a waiter to `waiters`, awaits it, and removes it again however the await ends
/// (the `try: await fut finally: self._waiters.remove(fut)` that every primitive has).
async fn wait_in(waiters: &Waiters) -> (Waiter, Result<bool, Error>) {
    struct Remove<'a>(&'a Waiters, Waiter);
    impl Drop for Remove<'_> {
        fn drop(&mut self) {
            let mut waiters = self.0.borrow_mut();
            if let Some(i) = waiters.iter().position(|w| Rc::ptr_eq(w, &self.1)) {
                waiters.remove(i);
            }
        }
    }
    let fut = FutureInner::<bool>::new();
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

/// `asyncio.Lock`. Clones share the lock.
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
        let (_, result) = wait_in(&l.waiters).await;
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

    /// `async with lock:` — acquires, and releases when the guard is dropped.
    pub async fn enter(&self) -> Result<LockGuard, Error> {
        self.acquire().await?;
        Ok(LockGuard(self.clone()))
    }
}

/// Holds a [`Lock`] until dropped (`__aexit__` releases it).
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

/// `asyncio.Event`. Clones share the event.
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
        if self.0.value.get() {
            return Ok(true);
        }
        let (_, result) = wait_in(&self.0.waiters).await;
        result.map(|_| true)
    }
}

// ---------------------------------------------------------------------------------------------

/// `asyncio.Condition`, with its own lock or a shared one. Clones share the condition.
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

    /// `async with cond:`.
    pub async fn enter(&self) -> Result<LockGuard, Error> {
        self.lock.enter().await
    }

    /// `wait()`: releases the lock, waits for a notify, and takes the lock back (even when
    /// cancelled, as CPython does) before returning.
    pub async fn wait(&self) -> Result<bool, Error> {
        if !self.locked() {
            return Err(Error::runtime("cannot wait on un-acquired lock"));
        }
        self.release()?;
        let (_, result) = wait_in(&self.waiters).await;
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
        let (fut, result) = wait_in(&s.waiters).await;
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

    /// `async with sem:` — acquires, and releases when the guard is dropped.
    pub async fn enter(&self) -> Result<SemaphoreGuard, Error> {
        self.acquire().await?;
        Ok(SemaphoreGuard(self.clone()))
    }
}

/// Holds one permit of a [`Semaphore`] until dropped.
pub struct SemaphoreGuard(Semaphore);

impl Drop for SemaphoreGuard {
    fn drop(&mut self) {
        let _ = self.0.release();
    }
}

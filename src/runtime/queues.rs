//! `asyncio.Queue`, `PriorityQueue` and `LifoQueue`, copied from `Lib/asyncio/queues.py`
//! (CPython 3.11), plus `shutdown` as CPython 3.13 added it.
//!
//! A full queue makes `put` wait, an empty one makes `get` wait; each waiter is a future in a
//! FIFO deque, and one waiter is woken per item moved. `task_done`/`join` count unfinished items.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use super::error::{Error, ExceptionClass};
use super::future::{Future, FutureInner};
use super::heap;
use super::locks::Event;
use crate::trace::FutureLabel;

type Waiter = Rc<FutureInner<()>>;

enum Store<T> {
    Fifo(VecDeque<T>),
    Lifo(Vec<T>),
    /// A `heapq` list ordered by Python's `<` on the items.
    Priority(Vec<T>, fn(&T, &T) -> bool),
}

impl<T> Store<T> {
    fn len(&self) -> usize {
        match self {
            Store::Fifo(q) => q.len(),
            Store::Lifo(v) | Store::Priority(v, _) => v.len(),
        }
    }

    fn put(&mut self, item: T) {
        match self {
            Store::Fifo(q) => q.push_back(item),
            Store::Lifo(v) => v.push(item),
            Store::Priority(v, less) => heap::push(v, item, *less),
        }
    }

    fn get(&mut self) -> Option<T> {
        match self {
            Store::Fifo(q) => q.pop_front(),
            Store::Lifo(v) => v.pop(),
            Store::Priority(v, less) => heap::pop(v, *less),
        }
    }
}

struct Inner<T> {
    maxsize: usize,
    store: RefCell<Store<T>>,
    getters: RefCell<VecDeque<Waiter>>,
    putters: RefCell<VecDeque<Waiter>>,
    unfinished: Cell<usize>,
    finished: Event,
    shut_down: Cell<bool>,
    /// The future of the last wait that ended with a result, for the next wait to reuse
    /// ([`FutureInner::labelled_reusing`]).
    spare: Cell<Option<Waiter>>,
}

/// An asyncio queue: FIFO ([`Queue::new`]), LIFO ([`Queue::lifo`]) or priority
/// ([`Queue::priority`]), bounded when `maxsize > 0`. Clones share the queue.
///
/// # Examples
///
/// ```python
/// async def producer(q):
///     for i in range(3):
///         await q.put(i)
///     await q.join()
///     print("all processed")
///
/// async def consumer(q):
///     while True:
///         item = await q.get()
///         await asyncio.sleep(1)
///         print("processed", item)
///         q.task_done()
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     let q: Queue<u32> = Queue::new(1);
///     let consumer: Task<()> = {
///         let q = q.clone();
///         spawn(async move {
///             loop {
///                 let item = q.get().await?;
///                 sleep(1.0).await?;
///                 log(format!("processed {item}"));
///                 q.task_done()?;
///             }
///         })
///     };
///     for i in 0..3 {
///         q.put(i).await?;
///     }
///     q.join().await?;
///     log("all processed");
///     consumer.cancel();
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     [
///         "1.000 Task-2 processed 0",
///         "2.000 Task-2 processed 1",
///         "3.000 Task-2 processed 2",
///         "3.000 Task-1 all processed",
///     ]
/// );
/// ```
pub struct Queue<T>(Rc<Inner<T>>);

impl<T> Clone for Queue<T> {
    fn clone(&self) -> Self {
        Queue(self.0.clone())
    }
}

fn error(class: ExceptionClass) -> Error {
    Error::new(class, "")
}

fn py_less<T: PartialOrd>(a: &T, b: &T) -> bool {
    a < b
}

impl<T: 'static> Queue<T> {
    fn with_store(maxsize: usize, store: Store<T>) -> Self {
        let finished = Event::new();
        finished.set();
        Queue(Rc::new(Inner {
            maxsize,
            store: RefCell::new(store),
            getters: RefCell::default(),
            putters: RefCell::default(),
            unfinished: Cell::new(0),
            finished,
            shut_down: Cell::new(false),
            spare: Cell::new(None),
        }))
    }

    /// `asyncio.Queue(maxsize)`: first in, first out (0: unbounded).
    pub fn new(maxsize: usize) -> Self {
        Self::with_store(maxsize, Store::Fifo(VecDeque::new()))
    }

    /// `asyncio.LifoQueue(maxsize)`: last in, first out.
    pub fn lifo(maxsize: usize) -> Self {
        Self::with_store(maxsize, Store::Lifo(Vec::new()))
    }

    /// `asyncio.PriorityQueue(maxsize)`: smallest first, kept as `heapq` keeps it.
    pub fn priority(maxsize: usize) -> Self
    where
        T: PartialOrd,
    {
        Self::with_store(maxsize, Store::Priority(Vec::new(), py_less::<T>))
    }

    /// `qsize()`.
    pub fn qsize(&self) -> usize {
        self.0.store.borrow().len()
    }

    /// `maxsize`.
    pub fn maxsize(&self) -> usize {
        self.0.maxsize
    }

    /// `empty()`.
    pub fn empty(&self) -> bool {
        self.qsize() == 0
    }

    /// `full()`.
    pub fn full(&self) -> bool {
        self.0.maxsize > 0 && self.qsize() >= self.0.maxsize
    }

    fn wakeup_next(waiters: &RefCell<VecDeque<Waiter>>) {
        loop {
            let Some(waiter) = waiters.borrow_mut().pop_front() else {
                return;
            };
            if !waiter.completion.is_done() {
                waiter.finish(Ok(()));
                return;
            }
        }
    }

    /// Waits on a new future in `waiters`; on failure, does what `put`/`get`'s `except:` does.
    /// (`label`: what the trace says the task awaits.)
    async fn wait_on(&self, putting: bool, label: FutureLabel) -> Result<(), Error> {
        let q = &self.0;
        let waiters = if putting { &q.putters } else { &q.getters };
        let waiter = FutureInner::labelled_reusing(q.spare.take(), label);
        waiters.borrow_mut().push_back(waiter.clone());
        let Err(e) = Future::from_inner(waiter.clone()).await else {
            // Whoever finished it has let go of it: the next wait may reuse it.
            q.spare.set(Some(waiter));
            return Ok(());
        };
        waiter.finish(Err(Error::cancelled()));
        waiters.borrow_mut().retain(|w| !Rc::ptr_eq(w, &waiter));
        let can_go_on = if putting { !self.full() } else { !self.empty() };
        if can_go_on && !waiter.completion.is_cancelled() {
            Self::wakeup_next(waiters);
        }
        Err(e)
    }

    /// `put(item)`: waits while the queue is full.
    pub async fn put(&self, item: T) -> Result<(), Error> {
        while self.full() {
            if self.0.shut_down.get() {
                return Err(error(ExceptionClass::QueueShutDown));
            }
            self.wait_on(true, FutureLabel::QueuePut).await?;
        }
        self.put_nowait(item)
    }

    /// `put_nowait(item)`: `QueueFull` if full, `QueueShutDown` after `shutdown()`.
    pub fn put_nowait(&self, item: T) -> Result<(), Error> {
        let q = &self.0;
        if q.shut_down.get() {
            return Err(error(ExceptionClass::QueueShutDown));
        }
        if self.full() {
            return Err(error(ExceptionClass::QueueFull));
        }
        q.store.borrow_mut().put(item);
        q.unfinished.set(q.unfinished.get() + 1);
        q.finished.clear();
        Self::wakeup_next(&q.getters);
        Ok(())
    }

    /// `get()`: waits while the queue is empty.
    pub async fn get(&self) -> Result<T, Error> {
        self.get_as(FutureLabel::QueueGet).await
    }

    /// `get()`, for a caller whose wait the trace names after itself (`as_completed()`).
    pub(crate) async fn get_as(&self, label: FutureLabel) -> Result<T, Error> {
        while self.empty() {
            if self.0.shut_down.get() {
                return Err(error(ExceptionClass::QueueShutDown));
            }
            self.wait_on(false, label).await?;
        }
        self.get_nowait()
    }

    /// `get_nowait()`: `QueueEmpty` if empty (`QueueShutDown` if also shut down).
    pub fn get_nowait(&self) -> Result<T, Error> {
        let q = &self.0;
        let item = q.store.borrow_mut().get();
        match item {
            None if q.shut_down.get() => Err(error(ExceptionClass::QueueShutDown)),
            None => Err(error(ExceptionClass::QueueEmpty)),
            Some(item) => {
                Self::wakeup_next(&q.putters);
                Ok(item)
            }
        }
    }

    /// `task_done()`: one item fully processed. `ValueError` if called too often.
    pub fn task_done(&self) -> Result<(), Error> {
        let q = &self.0;
        if q.unfinished.get() == 0 {
            return Err(Error::new(
                ExceptionClass::ValueError,
                "task_done() called too many times",
            ));
        }
        q.unfinished.set(q.unfinished.get() - 1);
        if q.unfinished.get() == 0 {
            q.finished.set();
        }
        Ok(())
    }

    /// `join()`: waits until every item put has been marked done.
    pub async fn join(&self) -> Result<(), Error> {
        if self.0.unfinished.get() > 0 {
            self.0.finished.wait_as(FutureLabel::QueueJoin).await?;
        }
        Ok(())
    }

    /// `shutdown(immediate)` (CPython 3.13): later puts fail with `QueueShutDown`, gets fail once
    /// the queue is empty (at once if `immediate`, which also drops the items and counts them
    /// done); every waiting `put` and `get` is woken to see it.
    pub fn shutdown(&self, immediate: bool) {
        let q = &self.0;
        q.shut_down.set(true);
        if immediate {
            while q.store.borrow_mut().get().is_some() {
                if q.unfinished.get() > 0 {
                    q.unfinished.set(q.unfinished.get() - 1);
                }
            }
            if q.unfinished.get() == 0 {
                q.finished.set();
            }
        }
        for waiters in [&q.getters, &q.putters] {
            let drained: Vec<Waiter> = waiters.borrow_mut().drain(..).collect();
            for w in drained {
                w.finish(Ok(()));
            }
        }
    }
}

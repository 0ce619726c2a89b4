//! Streams: the analog of an async generator, a producer that awaits between the items it
//! yields, driven by its consumer. ("Stream" is Rust's name for an asynchronous sequence, as in
//! the `futures` crate. asyncio's own "streams", network bytes read by line or size, are
//! [`StreamReader`](super::StreamReader) here.)
//!
//! The producer is an async block given a [`Yielder`]; `y.yield_(item).await` is `yield item`.
//! It runs inside whichever task calls [`Stream::next`] (as `async for` runs the generator in the
//! consumer's task), so its awaits suspend the consumer.
//!
//! What CPython does on early exit is copied too (`Lib/asyncio/base_events.py`, the async
//! generator hooks): a stream dropped while paused at a `yield_` is closed by a new task, created
//! by a `call_soon` callback, which resumes the producer with `GeneratorExit` at that `yield_` so
//! its cleanup runs, awaits included. [`Stream::aclose`] does the same in the calling task.
//! A producer that yields again while being closed fails with CPython's `RuntimeError`.

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::error::{Error, ExceptionClass};
use super::event_loop::current_loop;

type Producer = Pin<Box<dyn std::future::Future<Output = Result<(), Error>>>>;

/// How the producer is resumed at its `yield_`.
enum Resume {
    /// The consumer wants the next item.
    Next,
    /// The stream is being closed (`GeneratorExit` at the `yield`).
    Close,
    /// A failure is thrown in at the `yield` (`athrow`).
    Throw(Error),
}

struct Slot<T> {
    item: Option<T>,
    resume: Option<Resume>,
}

/// The producer's end of a stream: what an async generator's `yield` is.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// // async def countdown(n):
/// //     while n > 0:
/// //         yield n
/// //         n -= 1
/// fn countdown(mut n: u32) -> Stream<u32> {
///     stream(move |y: Yielder<u32>| async move {
///         while n > 0 {
///             y.yield_(n).await?;
///             n -= 1;
///         }
///         Ok(())
///     })
/// }
///
/// let counted = run(async {
///     let mut items = Vec::new();
///     let mut it = countdown(3);
///     while let Some(n) = it.next().await {
///         items.push(n?);
///     }
///     Ok(items)
/// });
/// assert_eq!(counted, Ok(vec![3, 2, 1]));
/// ```
pub struct Yielder<T> {
    slot: Rc<RefCell<Slot<T>>>,
}

impl<T> Clone for Yielder<T> {
    fn clone(&self) -> Self {
        Yielder {
            slot: self.slot.clone(),
        }
    }
}

impl<T> Yielder<T> {
    /// `yield item`: hands `item` to the consumer and waits until it asks for the next one.
    /// Fails with `GeneratorExit` when the stream is closed instead (run the cleanup, then
    /// return), or with whatever the consumer throws in.
    pub fn yield_(&self, item: T) -> Yield<T> {
        Yield {
            slot: self.slot.clone(),
            item: Some(item),
        }
    }

    /// The old name of [`Yielder::yield_`].
    #[deprecated(note = "renamed `yield_`: it is Python's `yield item`, not `asend`")]
    pub fn send(&self, item: T) -> Yield<T> {
        self.yield_(item)
    }
}

/// The old name of [`Yield`].
#[deprecated(note = "renamed `Yield`")]
pub type Send<T> = Yield<T>;

/// The future of [`Yielder::yield_`].
pub struct Yield<T> {
    slot: Rc<RefCell<Slot<T>>>,
    item: Option<T>,
}

impl<T> Unpin for Yield<T> {}

impl<T> std::future::Future for Yield<T> {
    type Output = Result<(), Error>;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let mut slot = this.slot.borrow_mut();
        if let Some(item) = this.item.take() {
            // The yield itself: not a suspension of the task, the consumer takes over at once.
            slot.item = Some(item);
            slot.resume = None;
            return Poll::Pending;
        }
        match slot.resume.take() {
            Some(Resume::Next) => Poll::Ready(Ok(())),
            Some(Resume::Close) => Poll::Ready(Err(generator_exit())),
            Some(Resume::Throw(e)) => Poll::Ready(Err(e)),
            // Polled again without being resumed: stay at the yield.
            None => Poll::Pending,
        }
    }
}

/// The failure a closed producer sees at its `yield_`.
pub fn generator_exit() -> Error {
    Error::new(ExceptionClass::GeneratorExit, "")
}

/// A stream of items from a producer: an async generator object. `async for x in gen` is
/// `while let Some(x) = gen.next().await { let x = x?; ... }`. A stream dropped while its
/// producer is paused is closed as CPython closes an abandoned async generator: its cleanup
/// runs in a new task, in the next iteration.
///
/// # Examples
///
/// ```python
/// async def ticks():
///     try:
///         for i in range(10):
///             await asyncio.sleep(1)
///             yield i
///     finally:
///         print("closed")
///
/// async for i in ticks():
///     print(i)
///     if i == 1:
///         break
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// fn ticks() -> Stream<u32> {
///     stream(|y| async move {
///         for i in 0..10 {
///             if let Err(e) = sleep(1.0).await {
///                 log("closed");
///                 return Err(e);
///             }
///             if let Err(e) = y.yield_(i).await {
///                 log("closed"); // the `finally`: GeneratorExit arrives here
///                 return Err(e);
///             }
///         }
///         Ok(())
///     })
/// }
///
/// let report = run_report(async {
///     let mut it = ticks();
///     while let Some(i) = it.next().await {
///         let i = i?;
///         log(i.to_string());
///         if i == 1 {
///             break;
///         }
///     }
///     it.aclose().await // or drop it: then a new task closes it
/// });
/// assert_eq!(
///     report.transcript,
///     ["1.000 Task-1 0", "2.000 Task-1 1", "2.000 Task-1 closed"]
/// );
/// ```
#[doc(alias = "async generator")]
#[doc(alias = "AsyncGenerator")]
pub struct Stream<T: 'static> {
    producer: Option<Producer>,
    slot: Rc<RefCell<Slot<T>>>,
    /// Paused at a `yield_`: started and not finished (what makes closing necessary).
    paused: bool,
    name: Rc<str>,
}

/// Makes a stream from a producer (calls an async generator function); nothing runs until the
/// first [`Stream::next`]. The producer is a closure that takes the [`Yielder`] and returns an
/// `async move` block.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// // async def pages():
/// //     for i in range(2):
/// //         await asyncio.sleep(0.5)
/// //         yield f"page-{i}"
/// let report = run_report(async {
///     let mut pages = stream(|y| async move {
///         for i in 0..2 {
///             sleep(0.5).await?;
///             y.yield_(format!("page-{i}")).await?;
///         }
///         Ok(())
///     });
///     while let Some(page) = pages.next().await {
///         log(page?);
///     }
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["0.500 Task-1 page-0", "1.000 Task-1 page-1"]);
/// ```
#[doc(alias = "async_generator")]
pub fn stream<T, F, Fut>(producer: F) -> Stream<T>
where
    T: 'static,
    F: FnOnce(Yielder<T>) -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>> + 'static,
{
    named_stream("stream", producer)
}

/// [`stream`] with a name, used in task dumps.
pub fn named_stream<T, F, Fut>(name: &str, producer: F) -> Stream<T>
where
    T: 'static,
    F: FnOnce(Yielder<T>) -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>> + 'static,
{
    let slot = Rc::new(RefCell::new(Slot {
        item: None,
        resume: None,
    }));
    let future = producer(Yielder { slot: slot.clone() });
    Stream {
        producer: Some(Box::pin(future)),
        slot,
        paused: false,
        name: name.into(),
    }
}

/// What one poll of the producer gave.
enum Step<T> {
    Item(T),
    Finished(Result<(), Error>),
    Suspended,
}

fn poll_producer<T>(producer: &mut Producer, slot: &Rc<RefCell<Slot<T>>>, cx: &mut Context<'_>) -> Step<T> {
    match producer.as_mut().poll(cx) {
        Poll::Ready(result) => Step::Finished(result),
        Poll::Pending => match slot.borrow_mut().item.take() {
            Some(item) => Step::Item(item),
            None => Step::Suspended,
        },
    }
}

impl<T: 'static> Stream<T> {
    /// `await anext(gen)`: the next item, `None` when the producer has returned, or its failure.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        self.producer.as_ref()?;
        if self.paused {
            self.slot.borrow_mut().resume = Some(Resume::Next);
        }
        self.run_producer().await
    }

    /// `await gen.athrow(error)`: throws `error` in at the producer's `yield_`; gives the next
    /// item if the producer catches it and yields again.
    pub async fn athrow(&mut self, error: Error) -> Option<Result<T, Error>> {
        if !self.paused {
            self.producer = None;
            return Some(Err(error));
        }
        self.slot.borrow_mut().resume = Some(Resume::Throw(error));
        self.paused = false;
        self.run_producer().await
    }

    /// Runs the producer until it yields an item (then it is paused at that item), returns
    /// (`None`) or fails.
    async fn run_producer(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| {
            let Some(producer) = self.producer.as_mut() else {
                return Poll::Ready(None);
            };
            match poll_producer(producer, &self.slot, cx) {
                Step::Item(item) => {
                    self.paused = true;
                    Poll::Ready(Some(Ok(item)))
                }
                Step::Finished(result) => {
                    self.producer = None;
                    self.paused = false;
                    Poll::Ready(result.err().map(Err))
                }
                Step::Suspended => Poll::Pending,
            }
        })
        .await
    }

    /// `await gen.aclose()`: runs the producer's cleanup now, in this task.
    pub async fn aclose(&mut self) -> Result<(), Error> {
        let producer = self.producer.take();
        let paused = std::mem::replace(&mut self.paused, false);
        match producer {
            Some(producer) if paused => close(producer, self.slot.clone()).await,
            _ => Ok(()),
        }
    }

    /// The stream's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Resumes a paused producer with `GeneratorExit` and drives it to its end.
async fn close<T>(mut producer: Producer, slot: Rc<RefCell<Slot<T>>>) -> Result<(), Error> {
    slot.borrow_mut().resume = Some(Resume::Close);
    std::future::poll_fn(move |cx| match poll_producer(&mut producer, &slot, cx) {
        Step::Item(_) => Poll::Ready(Err(Error::runtime("async generator ignored GeneratorExit"))),
        Step::Finished(Ok(())) => Poll::Ready(Ok(())),
        Step::Finished(Err(e)) if e.is(ExceptionClass::GeneratorExit) => Poll::Ready(Ok(())),
        Step::Finished(Err(e)) => Poll::Ready(Err(e)),
        Step::Suspended => Poll::Pending,
    })
    .await
}

impl<T: 'static> Drop for Stream<T> {
    /// asyncio's async generator finalizer: `call_soon(create_task, agen.aclose())`.
    fn drop(&mut self) {
        if !self.paused {
            return;
        }
        let (Some(producer), Some(lp)) = (self.producer.take(), current_loop()) else {
            return;
        };
        let slot = self.slot.clone();
        lp.call_soon_boxed(Box::new(move || {
            if let Some(lp) = current_loop() {
                lp.spawn(close(producer, slot), None);
            }
        }));
    }
}

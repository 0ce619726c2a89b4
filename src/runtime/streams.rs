//! Streams: the analog of an async generator, a producer that awaits between the items it
//! yields, driven by its consumer.
//!
//! The producer is an async block given a [`Yielder`]; `y.send(item).await` is `yield item`.
//! It runs inside whichever task calls [`Stream::next`] (as `async for` runs the generator in the
//! consumer's task), so its awaits suspend the consumer.
//!
//! What CPython does on early exit is copied too (`Lib/asyncio/base_events.py`, the async
//! generator hooks): a stream dropped while paused at a `send` is closed by a new task, created
//! by a `call_soon` callback, which resumes the producer with `GeneratorExit` at that `send` so
//! its cleanup runs, awaits included. [`Stream::aclose`] does the same in the calling task.
//! A producer that yields again while being closed fails with CPython's `RuntimeError`.

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::error::{Error, ExceptionClass};
use super::event_loop::current_loop;

type Producer = Pin<Box<dyn std::future::Future<Output = Result<(), Error>>>>;

/// How the producer is resumed at its `send`.
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

/// The producer's end of a stream.
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
    pub fn send(&self, item: T) -> Send<T> {
        Send {
            slot: self.slot.clone(),
            item: Some(item),
        }
    }
}

/// The future of [`Yielder::send`].
pub struct Send<T> {
    slot: Rc<RefCell<Slot<T>>>,
    item: Option<T>,
}

impl<T> Unpin for Send<T> {}

impl<T> std::future::Future for Send<T> {
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

/// The failure a closed producer sees at its `send`.
pub fn generator_exit() -> Error {
    Error::new(ExceptionClass::GeneratorExit, "")
}

/// A stream of items from a producer (an async generator object).
pub struct Stream<T: 'static> {
    producer: Option<Producer>,
    slot: Rc<RefCell<Slot<T>>>,
    /// Paused at a `send`: started and not finished (what makes closing necessary).
    paused: bool,
    name: Rc<str>,
}

/// Makes a stream from a producer; nothing runs until the first [`Stream::next`].
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

    /// `await gen.athrow(error)`: throws `error` in at the producer's `send`; gives the next
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

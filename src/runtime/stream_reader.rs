//! `asyncio.StreamReader` (`Lib/asyncio/streams.py`, CPython 3.11), fed by hand: a buffer of
//! bytes that a producer fills with `feed_data` and a consumer reads by line or by size, waiting
//! (on a future the next `feed_data` completes) while too little has arrived. (These are
//! asyncio's "streams"; an async generator is a [`Stream`](super::Stream) here.)

use std::cell::RefCell;
use std::rc::Rc;

use super::error::{Error, ExceptionClass};
use super::future::{Future, FutureInner};
use crate::trace::FutureLabel;

struct Inner {
    buffer: Vec<u8>,
    eof: bool,
    waiter: Option<Rc<FutureInner<()>>>,
}

/// A byte stream read by lines or sizes (asyncio's `StreamReader`, as a connection's reader
/// side would be). Clones share the stream. For an async generator, see
/// [`Stream`](super::Stream).
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// // reader = asyncio.StreamReader(); a producer calls reader.feed_data(...) as bytes arrive
/// let report = run_report(async {
///     let reader = StreamReader::new();
///     let feeder = reader.clone();
///     call_later(1.0, move || feeder.feed_data(b"GET / HTTP/1.1\r\nHost: x\r\n"));
///     let line = reader.readline().await?;
///     log(looplab::pyfmt::py_bytes_repr(&line));
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["1.000 Task-1 b'GET / HTTP/1.1\\r\\n'"]);
/// ```
#[derive(Clone)]
pub struct StreamReader(Rc<RefCell<Inner>>);

impl Default for StreamReader {
    fn default() -> Self {
        Self::new()
    }
}

fn incomplete(partial: &[u8], expected: Option<usize>) -> Error {
    let expected = expected.map_or("undefined".to_string(), |n| n.to_string());
    Error::new(
        ExceptionClass::IncompleteReadError,
        format!("{} bytes read on a total of {expected} expected bytes", partial.len()),
    )
}

impl StreamReader {
    /// An empty stream.
    pub fn new() -> Self {
        StreamReader(Rc::new(RefCell::new(Inner {
            buffer: Vec::new(),
            eof: false,
            waiter: None,
        })))
    }

    fn wakeup_waiter(&self) {
        let waiter = self.0.borrow_mut().waiter.take();
        if let Some(waiter) = waiter {
            if !waiter.completion.is_cancelled() {
                waiter.finish(Ok(()));
            }
        }
    }

    /// `feed_data(data)`: more bytes arrived; wakes a waiting reader.
    pub fn feed_data(&self, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        self.0.borrow_mut().buffer.extend_from_slice(data);
        self.wakeup_waiter();
    }

    /// `feed_eof()`: no more bytes will come.
    pub fn feed_eof(&self) {
        self.0.borrow_mut().eof = true;
        self.wakeup_waiter();
    }

    /// `at_eof()`: the end was fed and everything read.
    pub fn at_eof(&self) -> bool {
        let s = self.0.borrow();
        s.eof && s.buffer.is_empty()
    }

    /// `_wait_for_data`.
    async fn wait_for_data(&self, what: &str) -> Result<(), Error> {
        let waiter = {
            let mut s = self.0.borrow_mut();
            if s.waiter.is_some() {
                return Err(Error::runtime(format!(
                    "{what}() called while another coroutine is already waiting for incoming data"
                )));
            }
            let label = match what {
                "read" => FutureLabel::ReaderRead,
                "readexactly" => FutureLabel::ReaderReadExactly,
                _ => FutureLabel::ReaderReadUntil,
            };
            let waiter = FutureInner::<()>::labelled(label);
            s.waiter = Some(waiter.clone());
            waiter
        };
        let result = Future::from_inner(waiter).await;
        self.0.borrow_mut().waiter = None;
        result
    }

    /// `readuntil(separator)`: bytes up to and including `separator`.
    pub async fn readuntil(&self, separator: &[u8]) -> Result<Vec<u8>, Error> {
        self.read_through(separator).await.map_err(|(error, _)| error)
    }

    /// `readline()`: one line with its `\n`, or what is left at the end (`b''` once empty).
    pub async fn readline(&self) -> Result<Vec<u8>, Error> {
        match self.read_through(b"\n").await {
            Ok(line) => Ok(line),
            Err((e, partial)) if e.is(ExceptionClass::IncompleteReadError) => Ok(partial),
            Err((e, _)) => Err(e),
        }
    }

    /// `readuntil`, keeping what was read when the end came first (`IncompleteReadError.partial`).
    async fn read_through(&self, separator: &[u8]) -> Result<Vec<u8>, (Error, Vec<u8>)> {
        if separator.is_empty() {
            return Err((
                Error::new(
                    ExceptionClass::ValueError,
                    "Separator should be at least one-byte string",
                ),
                Vec::new(),
            ));
        }
        let mut offset = 0;
        let end = loop {
            {
                let mut s = self.0.borrow_mut();
                let buflen = s.buffer.len();
                if buflen >= offset + separator.len() {
                    if let Some(i) = s.buffer[offset..].windows(separator.len()).position(|w| w == separator) {
                        break offset + i + separator.len();
                    }
                    offset = buflen + 1 - separator.len();
                }
                if s.eof {
                    let chunk = std::mem::take(&mut s.buffer);
                    return Err((incomplete(&chunk, None), chunk));
                }
            }
            self.wait_for_data("readuntil").await.map_err(|e| (e, Vec::new()))?;
        };
        Ok(self.0.borrow_mut().buffer.drain(..end).collect())
    }

    /// `read(n)`: up to `n` bytes (waiting only if there are none yet); empty at the end.
    pub async fn read(&self, n: usize) -> Result<Vec<u8>, Error> {
        if n == 0 {
            return Ok(Vec::new());
        }
        let must_wait = {
            let s = self.0.borrow();
            s.buffer.is_empty() && !s.eof
        };
        if must_wait {
            self.wait_for_data("read").await?;
        }
        let mut s = self.0.borrow_mut();
        let n = n.min(s.buffer.len());
        Ok(s.buffer.drain(..n).collect())
    }

    /// `readexactly(n)`: exactly `n` bytes, or `IncompleteReadError` at the end.
    pub async fn readexactly(&self, n: usize) -> Result<Vec<u8>, Error> {
        loop {
            {
                let mut s = self.0.borrow_mut();
                if s.buffer.len() >= n {
                    return Ok(s.buffer.drain(..n).collect());
                }
                if s.eof {
                    let partial = std::mem::take(&mut s.buffer);
                    return Err(incomplete(&partial, Some(n)));
                }
            }
            self.wait_for_data("readexactly").await?;
        }
    }
}

//! Failures as values: what a Python coroutine would raise, a Rust task returns as `Err(Error)`.

use std::fmt;
use std::rc::Rc;

/// A failure that ends a task or an await: the analog of the exception asyncio would raise.
///
/// Cheap to clone (shared text), because asyncio hands the same exception object to every
/// awaiter of a failed task.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// `asyncio.CancelledError`, with the message given to `cancel()`, if any.
    Cancelled(Option<Rc<str>>),
    /// Any other exception: its Python class name (`ValueError`) and its message.
    Exception(Exception),
}

/// An exception other than cancellation: the Python class name and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    kind: Rc<str>,
    message: Rc<str>,
}

impl Exception {
    /// The Python class name, such as `ValueError`.
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The message, as `str(exc)` gives it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl Error {
    /// An exception of the given Python class with a message: `Error::new("ValueError", "bad")`.
    pub fn new(kind: impl Into<Rc<str>>, message: impl Into<Rc<str>>) -> Self {
        Error::Exception(Exception {
            kind: kind.into(),
            message: message.into(),
        })
    }

    /// A `RuntimeError`, the class asyncio uses for misuse of the loop.
    pub fn runtime(message: impl Into<Rc<str>>) -> Self {
        Error::new("RuntimeError", message)
    }

    /// A `CancelledError` without a message.
    pub fn cancelled() -> Self {
        Error::Cancelled(None)
    }

    /// Whether this is a cancellation.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Error::Cancelled(_))
    }

    /// The Python class name: `CancelledError` or the exception's kind.
    pub fn kind(&self) -> &str {
        match self {
            Error::Cancelled(_) => "CancelledError",
            Error::Exception(e) => e.kind(),
        }
    }

    /// The message, as `str(exc)` gives it (empty for a cancellation without one).
    pub fn message(&self) -> &str {
        match self {
            Error::Cancelled(msg) => msg.as_deref().unwrap_or(""),
            Error::Exception(e) => e.message(),
        }
    }

    /// `repr(exc)` as CPython writes it for a message of plain text: `ValueError('boom')`.
    pub fn repr(&self) -> String {
        let message = self.message();
        if message.is_empty() {
            format!("{}()", self.kind())
        } else {
            format!("{}({})", self.kind(), python_str_repr(message))
        }
    }
}

/// `repr(s)` of a Python `str`: single quotes unless the text holds one and no double quote.
pub fn python_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

impl fmt::Display for Error {
    /// `str(exc)`: the message only, as `print(exc)` shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_quotes_like_python() {
        assert_eq!(Error::new("ValueError", "boom").repr(), "ValueError('boom')");
        assert_eq!(Error::new("KeyError", "it's").repr(), "KeyError(\"it's\")");
        assert_eq!(Error::cancelled().repr(), "CancelledError()");
    }

    #[test]
    fn display_is_the_message_only() {
        assert_eq!(
            Error::runtime("no running event loop").to_string(),
            "no running event loop"
        );
    }
}

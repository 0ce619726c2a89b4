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
    /// Several failures reported together (`ExceptionGroup`), as a task group raises them.
    Group(Rc<ExceptionGroup>),
}

/// Several failures reported together: Python's `ExceptionGroup` (or `BaseExceptionGroup` when a
/// member is a cancellation).
#[derive(Debug, PartialEq)]
pub struct ExceptionGroup {
    message: Rc<str>,
    errors: Vec<Error>,
    /// `str(group)`: the message and the count of sub-exceptions.
    text: Rc<str>,
}

impl ExceptionGroup {
    /// The group's own message (without the count).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The failures it holds, in order.
    pub fn errors(&self) -> &[Error] {
        &self.errors
    }
}

/// An exception other than cancellation: the Python class name and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception(Rc<(Rc<str>, Rc<str>)>);

impl Exception {
    // One pointer (the class name and the message behind it) keeps `Error`, and so every task's
    // result slot, small.

    /// The Python class name, such as `ValueError`.
    pub fn kind(&self) -> &str {
        &self.0 .0
    }

    /// The message, as `str(exc)` gives it.
    pub fn message(&self) -> &str {
        &self.0 .1
    }
}

impl Error {
    /// An exception of the given Python class with a message: `Error::new("ValueError", "bad")`.
    pub fn new(kind: impl Into<Rc<str>>, message: impl Into<Rc<str>>) -> Self {
        Error::Exception(Exception(Rc::new((kind.into(), message.into()))))
    }

    /// A `RuntimeError`, the class asyncio uses for misuse of the loop.
    pub fn runtime(message: impl Into<Rc<str>>) -> Self {
        Error::new("RuntimeError", message)
    }

    /// An exception group holding `errors` (`ExceptionGroup(message, errors)`).
    pub fn group(message: impl Into<Rc<str>>, errors: Vec<Error>) -> Self {
        let message: Rc<str> = message.into();
        let n = errors.len();
        let text = format!("{message} ({n} sub-exception{})", if n == 1 { "" } else { "s" }).into();
        Error::Group(Rc::new(ExceptionGroup { message, errors, text }))
    }

    /// A `TimeoutError` (asyncio's own is an alias of the builtin since 3.11).
    pub fn timeout() -> Self {
        Error::new("TimeoutError", "")
    }

    /// Whether this is a `TimeoutError`.
    pub fn is_timeout(&self) -> bool {
        self.kind() == "TimeoutError"
    }

    /// The group's members, if this is a group.
    pub fn group_errors(&self) -> Option<&[Error]> {
        match self {
            Error::Group(g) => Some(g.errors()),
            _ => None,
        }
    }

    /// `except*`: splits a group into the part whose leaves match `matches` and the rest,
    /// keeping the nesting and the messages (Python's `ExceptionGroup.split`). A failure that is
    /// not a group is matched whole.
    pub fn split(&self, matches: &dyn Fn(&Error) -> bool) -> (Option<Error>, Option<Error>) {
        match self {
            Error::Group(group) => {
                if matches(self) {
                    return (Some(self.clone()), None);
                }
                let mut hit = Vec::new();
                let mut rest = Vec::new();
                for e in group.errors() {
                    let (h, r) = e.split(matches);
                    hit.extend(h);
                    rest.extend(r);
                }
                let rebuild = |errors: Vec<Error>| {
                    if errors.is_empty() {
                        None
                    } else if errors == group.errors {
                        Some(self.clone())
                    } else {
                        Some(Error::group(group.message.clone(), errors))
                    }
                };
                (rebuild(hit), rebuild(rest))
            }
            leaf if matches(leaf) => (Some(leaf.clone()), None),
            leaf => (None, Some(leaf.clone())),
        }
    }

    /// `except* Kind`: [`Error::split`] on the class name.
    pub fn split_kind(&self, kind: &str) -> (Option<Error>, Option<Error>) {
        self.split(&|e| e.kind() == kind)
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
            Error::Group(g) if g.errors.iter().any(|e| e.is_cancelled()) => "BaseExceptionGroup",
            Error::Group(_) => "ExceptionGroup",
        }
    }

    /// The message, as `str(exc)` gives it (empty for a cancellation without one).
    pub fn message(&self) -> &str {
        match self {
            Error::Cancelled(msg) => msg.as_deref().unwrap_or(""),
            Error::Exception(e) => e.message(),
            Error::Group(g) => &g.text,
        }
    }

    /// `repr(exc)` as CPython writes it for a message of plain text: `ValueError('boom')`.
    pub fn repr(&self) -> String {
        if let Error::Group(g) = self {
            let members: Vec<String> = g.errors.iter().map(Error::repr).collect();
            return format!(
                "{}({}, [{}])",
                self.kind(),
                python_str_repr(&g.message),
                members.join(", ")
            );
        }
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
    fn groups_print_and_split_like_python() {
        let group = Error::group(
            "unhandled errors in a TaskGroup",
            vec![
                Error::new("ValueError", "a"),
                Error::new("TypeError", "b"),
                Error::new("ValueError", "c"),
            ],
        );
        assert_eq!(group.to_string(), "unhandled errors in a TaskGroup (3 sub-exceptions)");
        assert_eq!(
            group.repr(),
            "ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('a'), TypeError('b'), ValueError('c')])"
        );
        let (values, rest) = group.split_kind("ValueError");
        assert_eq!(
            values.unwrap().repr(),
            "ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('a'), ValueError('c')])"
        );
        assert_eq!(
            rest.unwrap().repr(),
            "ExceptionGroup('unhandled errors in a TaskGroup', [TypeError('b')])"
        );
        let (none, all) = group.split_kind("KeyError");
        assert!(none.is_none());
        assert_eq!(all.unwrap(), group);
        assert_eq!(
            Error::group("one", vec![Error::cancelled()]).to_string(),
            "one (1 sub-exception)"
        );
    }

    #[test]
    fn display_is_the_message_only() {
        assert_eq!(
            Error::runtime("no running event loop").to_string(),
            "no running event loop"
        );
    }
}

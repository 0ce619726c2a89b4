//! Failures as values: what a Python coroutine would raise, a Rust task returns as `Err(Error)`.

use std::fmt;
use std::rc::Rc;

/// A failure that ends a task or an await: the analog of the exception asyncio would raise.
///
/// Cheap to clone (shared text), because asyncio hands the same exception object to every
/// awaiter of a failed task. `raise ValueError("bad")` is `return Err(Error::new("ValueError",
/// "bad"))` (or `Err(...)?`); `except ValueError as e` is a match on [`Error::is`];
/// `except* ...` is [`except_star`].
///
/// # Examples
///
/// ```python
/// try:
///     await asyncio.wait_for(slow(), 1)
/// except TimeoutError as e:
///     print("timed out:", repr(e))
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     match wait_for(sleep(5.0), Some(1.0)).await {
///         Err(e) if e.is(ExceptionClass::TimeoutError) => log(format!("timed out: {}", e.repr())),
///         Err(e) => return Err(e),
///         Ok(()) => log("in time"),
///     }
///     let custom = Error::new("QuotaExceeded", "over budget");
///     log(format!("{} / {} / {}", custom.kind(), custom.message(), custom.repr()));
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     [
///         "1.000 Task-1 timed out: TimeoutError()",
///         "1.000 Task-1 QuotaExceeded / over budget / QuotaExceeded('over budget')",
///     ]
/// );
/// ```
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

/// The class of an exception. The classes looplab raises itself are variants, so code that
/// handles them matches a value, not a string; any other class (a demo's `ValueError`, a class a
/// Python program defines) is [`ExceptionClass::Named`] by its name. Converting a name gives the
/// variant when there is one (`"QueueFull".into() == ExceptionClass::QueueFull`), so a class is
/// the same value however it was written.
///
/// Cancellation and exception groups are variants of [`Error`] itself; [`Error::class`] gives
/// their classes too.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// let full = Error::new(ExceptionClass::QueueFull, "");
/// assert!(full.is(ExceptionClass::QueueFull));
/// assert!(full.is("QueueFull"), "a name gives the same class");
/// assert_eq!(Error::new("MyError", "x").class(), ExceptionClass::Named("MyError".into()));
/// assert_eq!(Error::cancelled().class(), ExceptionClass::CancelledError);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExceptionClass {
    /// `asyncio.CancelledError`.
    CancelledError,
    /// `ExceptionGroup`, as a task group raises it.
    ExceptionGroup,
    /// `BaseExceptionGroup`: a group holding a cancellation.
    BaseExceptionGroup,
    /// `RuntimeError`: misuse of the loop.
    RuntimeError,
    /// `ValueError`: a bad argument (a NaN delay, `task_done()` too often, ...).
    ValueError,
    /// `TimeoutError` (`asyncio.TimeoutError` is the builtin since 3.11).
    TimeoutError,
    /// `asyncio.InvalidStateError`: setting the result of a future that is done.
    InvalidStateError,
    /// `asyncio.QueueEmpty`.
    QueueEmpty,
    /// `asyncio.QueueFull`.
    QueueFull,
    /// `asyncio.QueueShutDown` (3.13).
    QueueShutDown,
    /// `GeneratorExit`: what a closed async generator sees at its `yield`.
    GeneratorExit,
    /// `asyncio.IncompleteReadError`: a stream ended before enough bytes arrived.
    IncompleteReadError,
    /// Any other class, by its Python name.
    Named(Rc<str>),
}

impl ExceptionClass {
    /// The classes with a variant of their own.
    const KNOWN: [ExceptionClass; 12] = [
        ExceptionClass::CancelledError,
        ExceptionClass::ExceptionGroup,
        ExceptionClass::BaseExceptionGroup,
        ExceptionClass::RuntimeError,
        ExceptionClass::ValueError,
        ExceptionClass::TimeoutError,
        ExceptionClass::InvalidStateError,
        ExceptionClass::QueueEmpty,
        ExceptionClass::QueueFull,
        ExceptionClass::QueueShutDown,
        ExceptionClass::GeneratorExit,
        ExceptionClass::IncompleteReadError,
    ];

    /// The Python class name.
    pub fn name(&self) -> &str {
        match self {
            ExceptionClass::CancelledError => "CancelledError",
            ExceptionClass::ExceptionGroup => "ExceptionGroup",
            ExceptionClass::BaseExceptionGroup => "BaseExceptionGroup",
            ExceptionClass::RuntimeError => "RuntimeError",
            ExceptionClass::ValueError => "ValueError",
            ExceptionClass::TimeoutError => "TimeoutError",
            ExceptionClass::InvalidStateError => "InvalidStateError",
            ExceptionClass::QueueEmpty => "QueueEmpty",
            ExceptionClass::QueueFull => "QueueFull",
            ExceptionClass::QueueShutDown => "QueueShutDown",
            ExceptionClass::GeneratorExit => "GeneratorExit",
            ExceptionClass::IncompleteReadError => "IncompleteReadError",
            ExceptionClass::Named(name) => name,
        }
    }

    /// The class called `name`: its variant if it has one, else [`ExceptionClass::Named`].
    pub fn named(name: impl AsRef<str> + Into<Rc<str>>) -> Self {
        let known = Self::KNOWN.into_iter().find(|c| c.name() == name.as_ref());
        known.unwrap_or_else(|| ExceptionClass::Named(name.into()))
    }
}

impl fmt::Display for ExceptionClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<&str> for ExceptionClass {
    fn from(name: &str) -> Self {
        ExceptionClass::named(name)
    }
}

impl From<String> for ExceptionClass {
    fn from(name: String) -> Self {
        ExceptionClass::named(name)
    }
}

impl From<Rc<str>> for ExceptionClass {
    fn from(name: Rc<str>) -> Self {
        ExceptionClass::named(name)
    }
}

impl From<&ExceptionClass> for ExceptionClass {
    fn from(class: &ExceptionClass) -> Self {
        class.clone()
    }
}

/// An exception other than cancellation: its class and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception(Rc<ExceptionData>);

/// What an [`Exception`] holds. One pointer to it keeps `Error`, and so every task's result
/// slot, small; a field added here (a host's own exception object, say) costs nothing there.
#[derive(Debug, PartialEq, Eq)]
struct ExceptionData {
    class: ExceptionClass,
    message: Rc<str>,
    /// What the host attached (see [`Error::with_payload`]).
    payload: Option<Payload>,
}

impl Exception {
    /// The class.
    pub fn class(&self) -> &ExceptionClass {
        &self.0.class
    }

    /// The Python class name, such as `ValueError`.
    pub fn kind(&self) -> &str {
        self.0.class.name()
    }

    /// The message, as `str(exc)` gives it.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// What the host attached when it raised this (see [`Error::with_payload`]).
    pub fn payload(&self) -> Option<&Payload> {
        self.0.payload.as_ref()
    }
}

/// A value a host attaches to an exception: the Python lab attaches the interpreter's exception
/// object, so that the very object a coroutine raised reaches whoever awaits it, through
/// `gather`, task groups, `wait` and the rest. The loop never looks inside. Two payloads are
/// equal when they are the same value.
#[derive(Clone)]
pub struct Payload(pub Rc<dyn std::any::Any>);

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Payload {}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Payload(..)")
    }
}

impl Error {
    /// An exception of the given class with a message: `Error::new(ExceptionClass::QueueFull,
    /// "")`, or by name for any class: `Error::new("ValueError", "bad")`.
    pub fn new(class: impl Into<ExceptionClass>, message: impl Into<Rc<str>>) -> Self {
        let class = match class.into() {
            ExceptionClass::CancelledError => return Error::Cancelled(Some(message.into())),
            class => class,
        };
        Error::Exception(Exception(Rc::new(ExceptionData {
            class,
            message: message.into(),
            payload: None,
        })))
    }

    /// An exception of the given class and message that carries the host's own value (an
    /// interpreter's exception object), handed back unchanged by [`Error::payload`].
    pub fn with_payload(class: impl Into<ExceptionClass>, message: impl Into<Rc<str>>, payload: Payload) -> Self {
        Error::Exception(Exception(Rc::new(ExceptionData {
            class: class.into(),
            message: message.into(),
            payload: Some(payload),
        })))
    }

    /// The host's value attached by [`Error::with_payload`], if any.
    pub fn payload(&self) -> Option<&Payload> {
        match self {
            Error::Exception(e) => e.payload(),
            _ => None,
        }
    }

    /// A `RuntimeError`, the class asyncio uses for misuse of the loop.
    pub fn runtime(message: impl Into<Rc<str>>) -> Self {
        Error::new(ExceptionClass::RuntimeError, message)
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
        Error::new(ExceptionClass::TimeoutError, "")
    }

    /// Whether this is a `TimeoutError`.
    pub fn is_timeout(&self) -> bool {
        self.is(ExceptionClass::TimeoutError)
    }

    /// Whether this is an exception of exactly this class (`type(exc) is cls`; a group is of
    /// its group class): `e.is(ExceptionClass::QueueFull)`, `e.is("ConnectionError")`.
    pub fn is(&self, class: impl Into<ExceptionClass>) -> bool {
        let class = class.into();
        match self {
            Error::Exception(e) => *e.class() == class,
            _ => self.class() == class,
        }
    }

    /// The exception's class.
    pub fn class(&self) -> ExceptionClass {
        match self {
            Error::Cancelled(_) => ExceptionClass::CancelledError,
            Error::Exception(e) => e.class().clone(),
            Error::Group(g) if g.errors.iter().any(|e| e.is_cancelled()) => ExceptionClass::BaseExceptionGroup,
            Error::Group(_) => ExceptionClass::ExceptionGroup,
        }
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
    /// not a group is treated as `except*` treats a naked exception: if it matches, the part
    /// that matches is a group of it alone, with an empty message (`ExceptionGroup('',
    /// [ValueError('x')])`); if not, it is the rest, as it is. See also [`except_star`].
    pub fn split(&self, matches: &dyn Fn(&Error) -> bool) -> (Option<Error>, Option<Error>) {
        match self {
            Error::Group(_) => self.split_nested(matches),
            leaf if matches(leaf) => (Some(Error::group("", vec![leaf.clone()])), None),
            leaf => (None, Some(leaf.clone())),
        }
    }

    /// [`Error::split`] of a group, or of a member of one (a leaf is matched whole).
    fn split_nested(&self, matches: &dyn Fn(&Error) -> bool) -> (Option<Error>, Option<Error>) {
        match self {
            Error::Group(group) => {
                if matches(self) {
                    return (Some(self.clone()), None);
                }
                let mut hit = Vec::new();
                let mut rest = Vec::new();
                for e in group.errors() {
                    let (h, r) = e.split_nested(matches);
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

    /// `except* Class`: [`Error::split`] on the class (a variant, or a name).
    pub fn split_kind(&self, class: impl Into<ExceptionClass>) -> (Option<Error>, Option<Error>) {
        let class = class.into();
        self.split(&|e| e.is(&class))
    }

    /// `eg.exceptions`: the failures a group holds, in order (none for any other failure).
    pub fn exceptions(&self) -> &[Error] {
        self.group_errors().unwrap_or_default()
    }

    /// A `CancelledError` without a message.
    pub fn cancelled() -> Self {
        Error::Cancelled(None)
    }

    /// Whether this is a cancellation.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Error::Cancelled(_))
    }

    /// The Python class name: `CancelledError`, the exception's class, or the group's.
    pub fn kind(&self) -> &str {
        match self {
            Error::Exception(e) => e.kind(),
            _ => match self.class() {
                ExceptionClass::CancelledError => "CancelledError",
                ExceptionClass::BaseExceptionGroup => "BaseExceptionGroup",
                _ => "ExceptionGroup",
            },
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
        // (`CancelledError('')`, from `cancel("")`, has an empty message but an argument.)
        if message.is_empty() && !matches!(self, Error::Cancelled(Some(_))) {
            format!("{}()", self.kind())
        } else {
            format!("{}({})", self.kind(), python_str_repr(message))
        }
    }
}

/// `try: ... except* A as eg: ... except* B as eg: ...`: the outcome of a block, whose failure
/// is handed class by class to the handlers of an `except*` chain; [`ExceptStar::reraise`] ends
/// the chain with what no handler took. Made by [`except_star`].
///
/// # Examples
///
/// A handler that awaits takes its part with [`ExceptStar::take`]:
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     let outcome = task_group(|tg| async move {
///         tg.spawn(async { Err::<(), _>(Error::new("ConnectionError", "reset")) })?;
///         Ok(())
///     })
///     .await;
///     let mut failure = except_star(outcome);
///     if let Some(eg) = failure.take("ConnectionError") {
///         sleep(1.0).await?; // back off before reporting
///         log(format!("retry after {}", py_repr(eg.exceptions())));
///     }
///     failure.reraise()?;
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["1.000 Task-1 retry after [ConnectionError('reset')]"]);
/// ```
#[must_use = "a failure no handler took is lost unless `reraise` passes it on"]
pub struct ExceptStar<T> {
    value: Option<T>,
    rest: Option<Error>,
}

/// Starts an `except*` chain on a block's outcome: `except_star(outcome).on(class, handler)
/// ... .reraise()?`. A failure that is not a group is wrapped as Python wraps a naked
/// exception, so every handler gets a group ([`Error::exceptions`] holds its members).
///
/// # Examples
///
/// ```python
/// try:
///     async with asyncio.TaskGroup() as tg:
///         tg.create_task(parse())    # raises ValueError("bad input")
///         tg.create_task(fetch())    # raises ConnectionError("timeout")
/// except* ValueError as eg:
///     print("values:", eg.exceptions)
/// except* ConnectionError as eg:
///     print("connections:", eg.exceptions)
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// async fn parse() -> Result<(), Error> {
///     Err(Error::new("ValueError", "bad input"))
/// }
///
/// async fn fetch() -> Result<(), Error> {
///     Err(Error::new("ConnectionError", "timeout"))
/// }
///
/// let report = run_report(async {
///     let outcome = task_group(|tg| async move {
///         tg.spawn(parse())?;
///         tg.spawn(fetch())?;
///         Ok(())
///     })
///     .await;
///     except_star(outcome)
///         .on(ExceptionClass::ValueError, |eg| log(format!("values: {}", py_repr(eg.exceptions()))))
///         .on("ConnectionError", |eg| log(format!("connections: {}", py_repr(eg.exceptions()))))
///         .reraise()?;
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     [
///         "0.000 Task-1 values: [ValueError('bad input')]",
///         "0.000 Task-1 connections: [ConnectionError('timeout')]",
///     ]
/// );
/// ```
pub fn except_star<T>(outcome: Result<T, Error>) -> ExceptStar<T> {
    match outcome {
        Ok(value) => ExceptStar {
            value: Some(value),
            rest: None,
        },
        Err(error) => ExceptStar {
            value: None,
            rest: Some(error),
        },
    }
}

impl<T> ExceptStar<T> {
    /// `except* class as eg: handler(eg)`: if any of the failure is of `class`, `handler` runs
    /// with that part (a group), which the chain then no longer holds.
    pub fn on(mut self, class: impl Into<ExceptionClass>, handler: impl FnOnce(Error)) -> Self {
        if let Some(matched) = self.take(class) {
            handler(matched);
        }
        self
    }

    /// The part of the failure of `class` (a group), taken out of the chain: for a handler that
    /// awaits or fails, written as `if let Some(eg) = chain.take(class) { ... }`.
    pub fn take(&mut self, class: impl Into<ExceptionClass>) -> Option<Error> {
        let (matched, rest) = self.rest.take()?.split_kind(class);
        self.rest = rest;
        matched
    }

    /// The end of the chain: the block's value (`None` if it failed and the handlers took all of
    /// the failure), or the failure no handler took, raised again.
    pub fn reraise(self) -> Result<Option<T>, Error> {
        match self.rest {
            Some(rest) => Err(rest),
            None => Ok(self.value),
        }
    }
}

/// `repr(s)` of a Python `str`: single quotes unless the text holds one and no double quote.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// assert_eq!(py_repr_str("ok"), "'ok'");
/// assert_eq!(py_repr_str("it's"), "\"it's\"");
/// assert_eq!(py_repr_str("a\nb"), "'a\\nb'");
/// ```
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
        assert_eq!(Error::Cancelled(Some("".into())).repr(), "CancelledError('')");
        // Both quotes in the text: single quotes, the single one escaped (as CPython does).
        assert_eq!(python_str_repr("it's \"x\""), "'it\\'s \"x\"'");
        assert_eq!(python_str_repr("a\\b\n"), "'a\\\\b\\n'");
    }

    #[test]
    fn a_group_keeps_its_own_message_and_a_class_displays_as_its_name() {
        let group = Error::group("two failed", vec![Error::new("ValueError", "a")]);
        if let Error::Group(g) = &group {
            assert_eq!(g.message(), "two failed");
        } else {
            panic!("not a group: {group:?}");
        }
        assert_eq!(ExceptionClass::QueueFull.to_string(), "QueueFull");
        assert_eq!(ExceptionClass::named("AgentError").to_string(), "AgentError");
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
        assert_eq!(group.exceptions().len(), 3);
        assert_eq!(
            Error::group("one", vec![Error::cancelled()]).to_string(),
            "one (1 sub-exception)"
        );
    }

    #[test]
    fn a_naked_exception_splits_as_except_star_wraps_it() {
        let naked = Error::new("ValueError", "x");
        let (matched, rest) = naked.split_kind("ValueError");
        let matched = matched.unwrap();
        assert_eq!(matched.repr(), "ExceptionGroup('', [ValueError('x')])");
        assert_eq!(matched.exceptions(), std::slice::from_ref(&naked));
        assert!(rest.is_none());
        let (matched, rest) = naked.split_kind("TypeError");
        assert!(matched.is_none());
        assert_eq!(rest, Some(naked.clone()), "what does not match goes on naked");
        assert!(naked.exceptions().is_empty());
    }

    #[test]
    fn an_except_star_chain_hands_each_class_to_its_handler_and_reraises_the_rest() {
        let group = Error::group(
            "g",
            vec![
                Error::new("ValueError", "a"),
                Error::new("TypeError", "b"),
                Error::new("KeyError", "c"),
            ],
        );
        let seen = std::cell::RefCell::new(Vec::new());
        let rest = except_star::<()>(Err(group))
            .on(ExceptionClass::ValueError, |eg| seen.borrow_mut().push(eg.repr()))
            .on("TypeError", |eg| seen.borrow_mut().push(eg.repr()))
            .on("OSError", |eg| seen.borrow_mut().push(eg.repr()))
            .reraise();
        assert_eq!(
            seen.into_inner(),
            [
                "ExceptionGroup('g', [ValueError('a')])",
                "ExceptionGroup('g', [TypeError('b')])"
            ]
        );
        assert_eq!(rest.unwrap_err().repr(), "ExceptionGroup('g', [KeyError('c')])");
        let mut chain = except_star(Err::<(), _>(Error::new("ValueError", "naked")));
        assert_eq!(
            chain.take("ValueError").map(|eg| eg.repr()),
            Some("ExceptionGroup('', [ValueError('naked')])".to_string())
        );
        assert_eq!(chain.reraise(), Ok(None), "everything was handled");
        assert_eq!(except_star(Ok(5)).on("ValueError", |_| panic!()).reraise(), Ok(Some(5)));
    }

    #[test]
    fn a_class_is_the_same_value_however_it_is_written() {
        assert_eq!(ExceptionClass::from("QueueFull"), ExceptionClass::QueueFull);
        assert_eq!(Error::new("QueueFull", "").class(), ExceptionClass::QueueFull);
        assert!(Error::new(ExceptionClass::QueueFull, "").is("QueueFull"));
        assert!(!Error::new("QueueFull", "").is(ExceptionClass::QueueEmpty));
        assert_eq!(
            Error::new("CancelledError", "why"),
            Error::Cancelled(Some("why".into()))
        );
        for class in ExceptionClass::KNOWN {
            assert_eq!(ExceptionClass::named(class.name()), class, "{class} round-trips");
        }
    }

    #[test]
    fn a_programs_own_class_keeps_its_name() {
        let e = Error::new("AgentQuotaExceeded", "over budget");
        assert_eq!(e.class(), ExceptionClass::Named("AgentQuotaExceeded".into()));
        assert_eq!(e.kind(), "AgentQuotaExceeded");
        assert_eq!(e.repr(), "AgentQuotaExceeded('over budget')");
        assert!(e.is("AgentQuotaExceeded") && !e.is("ValueError"));
    }

    #[test]
    fn groups_and_cancellations_have_classes_too() {
        assert_eq!(Error::cancelled().class(), ExceptionClass::CancelledError);
        assert_eq!(
            Error::group("g", vec![Error::new("ValueError", "")]).class(),
            ExceptionClass::ExceptionGroup
        );
        assert_eq!(
            Error::group("g", vec![Error::cancelled()]).class(),
            ExceptionClass::BaseExceptionGroup
        );
        assert_eq!(Error::group("g", vec![Error::cancelled()]).kind(), "BaseExceptionGroup");
    }

    #[test]
    fn a_payload_travels_with_the_exception_and_compares_by_identity() {
        let payload = Payload(Rc::new(42_u32));
        let e = Error::with_payload("ValueError", "boom", payload.clone());
        assert_eq!(e.repr(), "ValueError('boom')");
        let carried = e.clone().payload().cloned().unwrap();
        assert_eq!(carried, payload);
        assert_eq!(carried.0.downcast_ref::<u32>(), Some(&42));
        assert_ne!(carried, Payload(Rc::new(42_u32)));
        assert!(Error::new("ValueError", "boom").payload().is_none());
        let group = Error::group("g", vec![e.clone()]);
        assert_eq!(group.group_errors().unwrap()[0].payload(), Some(&payload));
    }

    #[test]
    fn display_is_the_message_only() {
        assert_eq!(
            Error::runtime("no running event loop").to_string(),
            "no running event loop"
        );
    }
}

//! Async context managers (`async with`), the generator form (`@asynccontextmanager`) and
//! `AsyncExitStack`, with the exception passing of `Lib/contextlib.py`.
//!
//! `async with cm as v: body` awaits `cm.__aenter__()`, runs the body, then awaits
//! `cm.__aexit__(exc)` with the body's failure (or none). The exit may suppress the failure by
//! returning true; a failure in the exit replaces the body's.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use super::error::Error;
use super::streams::{named_stream, Stream, Yielder};

/// A boxed future, as the exit stack stores its exits and as [`AsyncContextManager`]'s methods
/// return them: `Box::pin(async move { ... })`.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// fn later(value: u32) -> LocalBoxFuture<Result<u32, Error>> {
///     Box::pin(async move {
///         sleep(1.0).await?;
///         Ok(value)
///     })
/// }
///
/// assert_eq!(run(later(3)), Ok(3));
/// ```
pub type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// An async context manager: `__aenter__` gives a value, `__aexit__` sees the body's failure
/// and says whether to suppress it. Use one with [`async_with`] or an [`AsyncExitStack`]; for
/// the generator form (`@asynccontextmanager`), see [`context_manager`].
///
/// # Examples
///
/// ```python
/// class Connection:
///     async def __aenter__(self):
///         await asyncio.sleep(0.1)
///         print("open")
///         return "conn"
///     async def __aexit__(self, exc_type, exc, tb):
///         print("close after", repr(exc))
///         return False
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// struct Connection;
///
/// impl AsyncContextManager for Connection {
///     type Value = &'static str;
///
///     fn aenter(&mut self) -> LocalBoxFuture<Result<&'static str, Error>> {
///         Box::pin(async {
///             sleep(0.1).await?;
///             log("open");
///             Ok("conn")
///         })
///     }
///
///     fn aexit(&mut self, error: Option<Error>) -> LocalBoxFuture<Result<bool, Error>> {
///         Box::pin(async move {
///             log(format!("close after {}", py_repr(&error)));
///             Ok(false) // do not suppress
///         })
///     }
/// }
///
/// let report = run_report(async {
///     // async with Connection() as conn: print("using", conn)
///     async_with(Connection, |conn| async move {
///         log(format!("using {conn}"));
///         Ok(())
///     })
///     .await?;
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     ["0.100 Task-1 open", "0.100 Task-1 using conn", "0.100 Task-1 close after None"]
/// );
/// ```
pub trait AsyncContextManager: 'static {
    /// What `async with ... as v` binds.
    type Value;
    /// `__aenter__`.
    fn aenter(&mut self) -> LocalBoxFuture<Result<Self::Value, Error>>;
    /// `__aexit__`: `Ok(true)` suppresses `error`.
    fn aexit(&mut self, error: Option<Error>) -> LocalBoxFuture<Result<bool, Error>>;
}

/// `async with cm as value: body(value)`. `Ok(None)` when the manager suppressed the body's
/// failure.
///
/// # Examples
///
/// ```python
/// @asynccontextmanager
/// async def suppressing():
///     try:
///         yield "resource"
///     except ValueError:
///         print("suppressed")
///
/// async with suppressing() as r:
///     raise ValueError(r)
/// print("goes on")
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     let cm = context_manager("suppressing", |y| async move {
///         match y.yield_("resource").await {
///             Err(e) if e.is("ValueError") => log("suppressed"),
///             other => other?,
///         }
///         Ok(())
///     });
///     let outcome = async_with(cm, |r| async move { Err::<(), _>(Error::new("ValueError", r)) }).await?;
///     log(format!("goes on, the body gave {outcome:?}"));
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     ["0.000 Task-1 suppressed", "0.000 Task-1 goes on, the body gave None"]
/// );
/// ```
pub async fn async_with<CM, T, B, F>(mut cm: CM, body: B) -> Result<Option<T>, Error>
where
    CM: AsyncContextManager,
    B: FnOnce(CM::Value) -> F,
    F: Future<Output = Result<T, Error>>,
{
    let value = cm.aenter().await?;
    match body(value).await {
        Ok(v) => {
            cm.aexit(None).await?;
            Ok(Some(v))
        }
        Err(e) => {
            if cm.aexit(Some(e.clone())).await? {
                Ok(None)
            } else {
                Err(e)
            }
        }
    }
}

/// `@asynccontextmanager`: a context manager written as one producer that yields its value once.
/// Code before the `yield_` is the setup, code after it the teardown; the body's failure arrives
/// as the `yield_`'s error (re-raise it, or return normally to suppress it).
pub struct GeneratorContextManager<T: 'static> {
    stream: Rc<RefCell<Option<Stream<T>>>>,
    name: Rc<str>,
}

/// `@asynccontextmanager`: makes a [`GeneratorContextManager`] from a producer (named for
/// messages). The producer yields its value once with [`Yielder::yield_`]; what comes before
/// is `__aenter__`, what comes after is `__aexit__`, which sees the body's failure as the
/// `yield_`'s error.
///
/// # Examples
///
/// ```python
/// @asynccontextmanager
/// async def session(name):
///     print("open", name)
///     try:
///         yield name.upper()
///     finally:
///         await asyncio.sleep(0.5)
///         print("closed", name)
///
/// async with session("db") as s:
///     print("using", s)
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     let session = context_manager("session", |y| async move {
///         log("open db");
///         let body = y.yield_("DB").await; // the body runs here
///         sleep(0.5).await?;
///         log("closed db");
///         body // the body's failure, if any, goes on
///     });
///     async_with(session, |s| async move {
///         log(format!("using {s}"));
///         Ok(())
///     })
///     .await?;
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     ["0.000 Task-1 open db", "0.000 Task-1 using DB", "0.500 Task-1 closed db"]
/// );
/// ```
pub fn context_manager<T, F, Fut>(name: &str, producer: F) -> GeneratorContextManager<T>
where
    T: 'static,
    F: FnOnce(Yielder<T>) -> Fut,
    Fut: Future<Output = Result<(), Error>> + 'static,
{
    GeneratorContextManager {
        stream: Rc::new(RefCell::new(Some(named_stream(name, producer)))),
        name: name.into(),
    }
}

impl<T: 'static> AsyncContextManager for GeneratorContextManager<T> {
    type Value = T;

    fn aenter(&mut self) -> LocalBoxFuture<Result<T, Error>> {
        let cell = self.stream.clone();
        let name = self.name.clone();
        Box::pin(async move {
            let Some(mut stream) = cell.borrow_mut().take() else {
                return Err(Error::runtime(format!("{name} has already been entered")));
            };
            let first = stream.next().await;
            *cell.borrow_mut() = Some(stream);
            match first {
                Some(result) => result,
                None => Err(Error::runtime("generator didn't yield")),
            }
        })
    }

    fn aexit(&mut self, error: Option<Error>) -> LocalBoxFuture<Result<bool, Error>> {
        let cell = self.stream.clone();
        Box::pin(async move {
            let Some(mut stream) = cell.borrow_mut().take() else {
                return Ok(false);
            };
            match error {
                None => match stream.next().await {
                    None => Ok(false),
                    Some(Err(e)) => Err(e),
                    Some(Ok(_)) => Err(Error::runtime("generator didn't stop")),
                },
                Some(error) => match stream.athrow(error.clone()).await {
                    // The producer returned normally: the failure is suppressed.
                    None => Ok(true),
                    // It re-raised the same failure: not suppressed.
                    Some(Err(e)) if e == error => Ok(false),
                    Some(Err(e)) => Err(e),
                    Some(Ok(_)) => Err(Error::runtime("generator didn't stop after athrow()")),
                },
            }
        })
    }
}

type Exit = Box<dyn FnOnce(Option<Error>) -> LocalBoxFuture<Result<bool, Error>>>;

/// `contextlib.AsyncExitStack`: context managers and callbacks entered at run time, exited in
/// reverse order when the stack closes, on success and on failure. [`async_exit_stack`] is
/// `async with AsyncExitStack() as stack`.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// let report = run_report(async {
///     let stack = AsyncExitStack::new();
///     for name in ["a", "b"] {
///         stack.push_async_callback(move || async move {
///             log(format!("cleanup {name}"));
///             Ok(())
///         });
///     }
///     log("body");
///     stack.aclose().await
/// });
/// assert_eq!(
///     report.transcript,
///     ["0.000 Task-1 body", "0.000 Task-1 cleanup b", "0.000 Task-1 cleanup a"]
/// );
/// ```
#[derive(Default)]
pub struct AsyncExitStack {
    exits: RefCell<Vec<Exit>>,
}

impl AsyncExitStack {
    /// An empty stack.
    pub fn new() -> Self {
        Self::default()
    }

    /// `enter_async_context(cm)`: enters `cm` and pushes its exit.
    pub async fn enter_async_context<CM: AsyncContextManager>(&self, mut cm: CM) -> Result<CM::Value, Error> {
        let value = cm.aenter().await?;
        self.exits.borrow_mut().push(Box::new(move |error| cm.aexit(error)));
        Ok(value)
    }

    /// `push_async_callback(callback)`: runs `callback` when the stack closes (it never
    /// suppresses a failure).
    pub fn push_async_callback<F, Fut>(&self, callback: F)
    where
        F: FnOnce() -> Fut + 'static,
        Fut: Future<Output = Result<(), Error>> + 'static,
    {
        self.exits.borrow_mut().push(Box::new(move |_error| {
            Box::pin(async move {
                callback().await?;
                Ok(false)
            })
        }));
    }

    /// `aclose()` / `__aexit__`: runs every exit, last in first out, each seeing the current
    /// failure; a failing exit replaces it, a suppressing one clears it. Returns the failure
    /// left at the end, or `Ok(suppressed)`.
    pub async fn unwind(&self, mut error: Option<Error>) -> Result<bool, Error> {
        let received = error.is_some();
        let mut suppressed = false;
        loop {
            let Some(exit) = self.exits.borrow_mut().pop() else {
                break;
            };
            match exit(error.clone()).await {
                Ok(true) => {
                    suppressed = true;
                    error = None;
                }
                Ok(false) => {}
                Err(e) => error = Some(e),
            }
        }
        match error {
            // A failure still standing: the original one not suppressed, or a newer one.
            Some(e) => Err(e),
            None => Ok(received && suppressed),
        }
    }

    /// `await stack.aclose()`.
    pub async fn aclose(&self) -> Result<(), Error> {
        self.unwind(None).await.map(|_| ())
    }
}

/// `async with AsyncExitStack() as stack: body(stack)`: what the body entered is exited in
/// reverse order when it ends, however it ends. `Ok(None)` when an exit suppressed the body's
/// failure.
///
/// # Examples
///
/// ```python
/// async with AsyncExitStack() as stack:
///     for name in ("a", "b"):
///         print("entered", await stack.enter_async_context(tool(name)))
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// fn tool(name: &'static str) -> impl AsyncContextManager<Value = &'static str> {
///     context_manager(name, move |y| async move {
///         let body = y.yield_(name).await;
///         log(format!("exit {name}"));
///         body
///     })
/// }
///
/// let report = run_report(async {
///     async_exit_stack(|stack| async move {
///         for name in ["a", "b"] {
///             log(format!("entered {}", stack.enter_async_context(tool(name)).await?));
///         }
///         Ok(())
///     })
///     .await?;
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     [
///         "0.000 Task-1 entered a",
///         "0.000 Task-1 entered b",
///         "0.000 Task-1 exit b",
///         "0.000 Task-1 exit a",
///     ]
/// );
/// ```
pub async fn async_exit_stack<T, B, F>(body: B) -> Result<Option<T>, Error>
where
    B: FnOnce(Rc<AsyncExitStack>) -> F,
    F: Future<Output = Result<T, Error>>,
{
    let stack = Rc::new(AsyncExitStack::new());
    match body(stack.clone()).await {
        Ok(v) => {
            stack.unwind(None).await?;
            Ok(Some(v))
        }
        // A failure the exits did not suppress comes back out of `unwind`.
        Err(e) => stack.unwind(Some(e)).await.map(|_| None),
    }
}

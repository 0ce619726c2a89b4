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

/// A boxed future, as the exit stack stores its exits.
pub type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// An async context manager: `__aenter__` gives a value, `__aexit__` sees the body's failure
/// and says whether to suppress it.
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

/// `@asynccontextmanager`: a context manager written as one producer that sends its value once.
/// Code before the `send` is the setup, code after it the teardown; the body's failure arrives
/// as the `send`'s error (re-raise it, or return normally to suppress it).
pub struct GeneratorContextManager<T: 'static> {
    stream: Rc<RefCell<Option<Stream<T>>>>,
    name: Rc<str>,
}

/// Makes a [`GeneratorContextManager`] from a producer (named for messages).
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
/// reverse order when the stack closes, on success and on failure.
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

/// `async with AsyncExitStack() as stack: body(stack)`.
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

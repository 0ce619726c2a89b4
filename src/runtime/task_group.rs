//! `asyncio.TaskGroup` (`Lib/asyncio/taskgroups.py`, CPython 3.11): structured concurrency.
//!
//! The group's block ends only when every child has finished. When a child fails, the group
//! cancels its other children and the task running the block, waits for all of them, and
//! raises every failure together as an `ExceptionGroup`. A cancellation of the parent from
//! outside still comes out as `CancelledError`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::api::spawn_named;
use super::error::Error;
use super::event_loop::current_loop;
use super::future::{Future, FutureInner};
use super::task::{Task, TaskPtr, TaskRef};

struct Inner {
    entered: Cell<bool>,
    exiting: Cell<bool>,
    aborting: Cell<bool>,
    parent: RefCell<Option<TaskPtr>>,
    parent_cancel_requested: Cell<bool>,
    tasks: RefCell<Vec<TaskRef>>,
    errors: RefCell<Vec<Error>>,
    on_completed: RefCell<Option<Rc<FutureInner<bool>>>>,
}

/// A task group, handed to the block of [`task_group`]. Cheap to clone.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// // async with asyncio.TaskGroup() as tg:
/// //     t = tg.create_task(work(), name="worker")
/// // print(t.result())
/// let report = run_report(async {
///     let worker = task_group(|tg| async move {
///         tg.spawn_named("worker", async {
///             sleep(1.0).await?;
///             Ok(5)
///         })
///     })
///     .await?;
///     log(format!("{} gave {:?}", worker.name(), worker.result()));
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["1.000 Task-1 worker gave Some(Ok(5))"]);
/// ```
#[derive(Clone)]
pub struct TaskGroup(Rc<Inner>);

/// `async with asyncio.TaskGroup() as tg: body`: runs `body(tg)`, then waits for every task
/// created with `tg`. The outcome is the body's result, or an `ExceptionGroup` of the failures
/// (the body's own failure included), or `CancelledError` when the task was cancelled from
/// outside.
///
/// # Examples
///
/// ```python
/// async with asyncio.TaskGroup() as tg:
///     tg.create_task(step("a", 1))
///     tg.create_task(step("b", 2))
/// print("both done")
/// ```
///
/// ```
/// use looplab::prelude::*;
///
/// async fn step(name: &str, seconds: f64) -> Result<(), Error> {
///     sleep(seconds).await?;
///     log(format!("{name} done"));
///     Ok(())
/// }
///
/// let report = run_report(async {
///     task_group(|tg| async move {
///         tg.spawn(step("a", 1.0))?;
///         tg.spawn(step("b", 2.0))?;
///         Ok(())
///     })
///     .await?;
///     log("both done");
///     Ok(())
/// });
/// assert_eq!(
///     report.transcript,
///     ["1.000 Task-2 a done", "2.000 Task-3 b done", "2.000 Task-1 both done"]
/// );
/// ```
pub async fn task_group<T, B, F>(body: B) -> Result<T, Error>
where
    B: FnOnce(TaskGroup) -> F,
    F: std::future::Future<Output = Result<T, Error>>,
{
    let tg = TaskGroup::new();
    tg.enter()?;
    let result = body(tg.clone()).await;
    tg.exit(result).await
}

impl Default for TaskGroup {
    fn default() -> Self {
        Self::new()
    }
}

impl TaskGroup {
    /// A task group not yet entered, for a host whose `async with` is not a Rust block (the
    /// Python lab): [`TaskGroup::enter`], then the block, then [`TaskGroup::exit`].
    /// Rust code uses [`task_group`].
    pub fn new() -> Self {
        TaskGroup(Rc::new(Inner {
            entered: Cell::new(false),
            exiting: Cell::new(false),
            aborting: Cell::new(false),
            parent: RefCell::new(None),
            parent_cancel_requested: Cell::new(false),
            tasks: RefCell::new(Vec::new()),
            errors: RefCell::new(Vec::new()),
            on_completed: RefCell::new(None),
        }))
    }

    /// `__aenter__`: the current task becomes the group's parent.
    pub fn enter(&self) -> Result<(), Error> {
        let lp = current_loop().ok_or_else(|| Error::runtime("no running event loop"))?;
        let parent = lp
            .current_task()
            .ok_or_else(|| Error::runtime("TaskGroup <TaskGroup> cannot determine the parent task"))?;
        *self.0.parent.borrow_mut() = Some(parent);
        self.0.entered.set(true);
        Ok(())
    }

    /// `create_task(coro)`: a child of the group.
    pub fn spawn<T, F>(&self, future: F) -> Result<Task<T>, Error>
    where
        T: 'static,
        F: std::future::Future<Output = Result<T, Error>> + 'static,
    {
        self.spawn_inner(None, future)
    }

    /// `create_task(coro, name=name)`.
    pub fn spawn_named<T, F>(&self, name: impl Into<Rc<str>>, future: F) -> Result<Task<T>, Error>
    where
        T: 'static,
        F: std::future::Future<Output = Result<T, Error>> + 'static,
    {
        self.spawn_inner(Some(name.into()), future)
    }

    fn spawn_inner<T, F>(&self, name: Option<Rc<str>>, future: F) -> Result<Task<T>, Error>
    where
        T: 'static,
        F: std::future::Future<Output = Result<T, Error>> + 'static,
    {
        let g = &self.0;
        if !g.entered.get() {
            return Err(Error::runtime("TaskGroup <TaskGroup> has not been entered"));
        }
        if g.exiting.get() && g.tasks.borrow().is_empty() {
            return Err(Error::runtime("TaskGroup <TaskGroup> is finished"));
        }
        if g.aborting.get() {
            return Err(Error::runtime("TaskGroup <TaskGroup> is shutting down"));
        }
        let lp = current_loop().ok_or_else(|| Error::runtime("no running event loop"))?;
        let task = match name {
            Some(name) => spawn_named(name, future),
            None => lp.spawn(future, None),
        };
        let weak = Rc::downgrade(&self.0);
        task.add_done_callback(move |t| {
            if let Some(inner) = weak.upgrade() {
                // `_on_task_done` returns for a cancelled task before it asks for `exception()`.
                let cancelled = t.cancelled();
                let error = if cancelled { None } else { t.exception() };
                TaskGroup(inner).on_task_done(&t.as_ref(), cancelled, error);
            }
        });
        g.tasks.borrow_mut().push(task.as_ref());
        Ok(task)
    }

    /// `_abort`: cancel every child not done.
    fn abort(&self) {
        self.0.aborting.set(true);
        let tasks = self.0.tasks.borrow().clone();
        for t in tasks {
            if !t.done() {
                t.cancel();
            }
        }
    }

    /// `_on_task_done`.
    fn on_task_done(&self, task: &TaskRef, cancelled: bool, error: Option<Error>) {
        let g = &self.0;
        g.tasks.borrow_mut().retain(|t| !t.same(task));
        if g.tasks.borrow().is_empty() {
            if let Some(fut) = g.on_completed.borrow().as_ref() {
                fut.finish(Ok(true));
            }
        }
        if cancelled {
            return;
        }
        let Some(error) = error else { return };
        g.errors.borrow_mut().push(error);
        let parent = g.parent.borrow().clone();
        let Some(parent) = parent else { return };
        if parent.is_done() {
            return;
        }
        if !g.aborting.get() && !g.parent_cancel_requested.get() {
            self.abort();
            g.parent_cancel_requested.set(true);
            parent.cancel(None);
        }
    }

    /// `__aexit__`, given how the block ended: waits for the children, then decides what comes
    /// out (the block's outcome, an `ExceptionGroup` of the failures, or the cancellation).
    pub async fn exit<T>(&self, result: Result<T, Error>) -> Result<T, Error> {
        let g = &self.0;
        g.exiting.set(true);
        let body_error = result.as_ref().err().cloned();
        let mut propagate_cancellation = match &body_error {
            Some(e @ Error::Cancelled(_)) => Some(e.clone()),
            _ => None,
        };
        if g.parent_cancel_requested.get() {
            let parent = g.parent.borrow().clone();
            if parent.is_some_and(|p| p.header().uncancel() == 0) {
                propagate_cancellation = None;
            }
        }
        if body_error.is_some() && !g.aborting.get() {
            self.abort();
        }
        while !g.tasks.borrow().is_empty() {
            let fut = FutureInner::<bool>::labelled(crate::trace::FutureLabel::TaskGroupExit);
            *g.on_completed.borrow_mut() = Some(fut.clone());
            if let Err(e) = Future::from_inner(fut).await {
                if !g.aborting.get() {
                    propagate_cancellation = Some(e);
                    self.abort();
                }
            }
            *g.on_completed.borrow_mut() = None;
        }
        let errors_empty = g.errors.borrow().is_empty();
        if let Some(cancellation) = propagate_cancellation {
            if errors_empty {
                return Err(cancellation);
            }
        }
        if let Some(e) = body_error {
            if !e.is_cancelled() {
                g.errors.borrow_mut().push(e);
            }
        }
        let errors = std::mem::take(&mut *g.errors.borrow_mut());
        if !errors.is_empty() {
            return Err(Error::group("unhandled errors in a TaskGroup", errors));
        }
        result
    }
}

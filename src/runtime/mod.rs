//! The executor core: an event loop that schedules exactly as CPython's asyncio does.
//! No browser dependency; it builds and is tested natively.
//!
//! - [`event_loop`]: the loop, its iteration, `run`;
//! - [`task`]: tasks and their steps, names, cancellation; `task_state`: the state machine
//!   every task follows, its legal states and transitions;
//! - `completion`: the result slot and done callbacks shared by tasks and futures;
//! - [`future`]: the low-level future;
//! - [`sleep`](mod@sleep): timers put to use;
//! - `heap`: the timer heap with `heapq`'s exact moves;
//! - [`clock`]: virtual and real time;
//! - `waker`: Rust wakers, so foreign futures can be awaited in tasks;
//! - [`gather`](mod@gather), [`wait`](mod@wait): waiting for several tasks (`gather`, `wait`, `as_completed`,
//!   `shield`); [`gather_tuple`]: `gather!` of children with different result types;
//! - [`task_group`](mod@task_group): structured concurrency;
//! - [`timeouts`]: `timeout`, `timeout_at`, `wait_for`;
//! - [`locks`], [`queues`]: synchronisation and producer/consumer queues;
//! - [`streams`]: the async generator analog; [`resources`]: async context managers and the
//!   exit stack;
//! - [`debug`], [`coroutine`](mod@coroutine): task dumps and the await graph; coroutine objects never awaited;
//! - [`api`]: the functions tasks call (`spawn`, `sleep`, `log`, ...);
//! - [`error`]: failures as values.

pub mod api;
pub mod clock;
mod completion;
pub mod coroutine;
pub mod debug;
pub mod error;
pub mod event_loop;
pub mod future;
pub mod gather;
pub mod gather_tuple;
mod heap;
pub mod locks;
pub mod queues;
pub mod resources;
pub mod sleep;
pub mod stream_reader;
pub mod streams;
pub mod task;
pub mod task_group;
mod task_state;
pub mod timeouts;
pub mod wait;
mod waker;

pub use api::{
    all_tasks, at_source, attempt, block_for, call_at, call_later, call_soon, current_task, current_task_name,
    iteration, log, now, record_output, record_warning, run, run_in_worker, run_report, set_eager_tasks,
    set_exception_handler, sleep, spawn, spawn_named, try_spawn, try_spawn_named, CallbackHandle, CallbackResult,
};
pub use clock::{ClockKind, TimeSource};
#[doc(hidden)]
pub use completion::ensure_future;
pub use completion::{Awaitable, TaskOrFuture};
#[cfg(feature = "python")]
pub(crate) use completion::{CallbackId, ErasedSettle, SettleRef, TypedSettle};
pub use coroutine::{coroutine, Coroutine};
pub use error::{except_star, Error, ExceptStar, Exception, ExceptionClass, ExceptionGroup, Payload};
pub use event_loop::{ExceptionContext, Loop, LoopOptions, RunReport, Stall, Turn};
pub use future::Future;
pub use gather::{gather, gather_settled, Gather, GatherSettled};
pub use locks::{Condition, Event, Lock, LockGuard, Semaphore, SemaphoreGuard};
pub use queues::Queue;
pub use resources::{
    async_exit_stack, async_with, context_manager, AsyncContextManager, AsyncExitStack, GeneratorContextManager,
    LocalBoxFuture,
};
pub use sleep::{Sleep, SleepWith};
pub use stream_reader::StreamReader;
pub use streams::{named_stream, stream, Stream, Yielder};
pub use task::Task;
pub use task::{TaskRef, WeakTaskRef};
pub use task_group::{task_group, TaskGroup};
pub use timeouts::{timeout, timeout_at, wait_for, Timeout};
pub use wait::{as_completed, shield, wait, AsCompleted, ReturnWhen};

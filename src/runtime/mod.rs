//! The executor core: an event loop that schedules exactly as CPython's asyncio does.
//! No browser dependency; it builds and is tested natively.
//!
//! - [`event_loop`]: the loop, its iteration, `run`;
//! - [`task`]: tasks and their steps, names, cancellation;
//! - [`completion`]: the result slot and done callbacks shared by tasks and futures;
//! - [`future`]: the low-level future;
//! - [`sleep`]: timers put to use;
//! - [`heap`]: the timer heap with `heapq`'s exact moves;
//! - [`clock`]: virtual and real time;
//! - [`waker`]: Rust wakers, so foreign futures can be awaited in tasks;
//! - [`api`]: the functions tasks call (`spawn`, `sleep`, `log`, ...);
//! - [`error`]: failures as values.

pub mod api;
pub mod clock;
mod completion;
pub mod error;
pub mod event_loop;
pub mod future;
mod heap;
pub mod sleep;
pub mod task;
mod waker;

pub use api::{
    block_for, call_at, call_later, call_soon, current_task_name, log, now, run, sleep, spawn, spawn_named,
    CallbackHandle,
};
pub use clock::{ClockKind, TimeSource};
pub use error::{Error, Exception};
pub use event_loop::{Loop, LoopOptions, RunReport, Stall, Turn};
pub use future::Future;
pub use sleep::Sleep;
pub use task::Task;

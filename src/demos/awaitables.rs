//! awaitables: the kinds of thing `await` accepts.
//!
//! A coroutine (run inside the awaiting task), a task (run beside it), a low-level future
//! (completed by a callback scheduled for t=1) and a hand-written awaitable (any Rust type that
//! implements `Future`); each result printed with its time.

use std::pin::Pin;
use std::task::{Context, Poll};

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::py_repr_str;
use crate::runtime::Sleep;

parameters! {
    /// The durations involved.
    pub struct Params {
        work: seconds[0.0..=10.0] = 0.25, "the coroutine's work";
        future_at: seconds[0.0..=60.0] = 1, "when the callback completes the future";
        ticket: seconds[0.0..=10.0] = 0.5, "the custom awaitable's wait";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "awaitables",
    title: "Awaitables",
    concept: "A coroutine, a task, a low-level future and a hand-written awaitable can all be awaited.",
    section: Core,
    alternate: Params { work: 1.0, future_at: 5.0, ticket: 0.1 },
};

/// A hand-written awaitable: it waits, then gives a value (Python's `__await__`).
struct Ticket {
    wait: Sleep,
}

impl std::future::Future for Ticket {
    type Output = Result<&'static str, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.wait).poll(cx).map(|done| done.map(|()| "ticket"))
    }
}

async fn compute(what: &'static str, work: f64) -> Result<String, Error> {
    sleep(work).await?;
    Ok(format!("{what} result"))
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let work = p.work;
    log(format!(
        "1. a coroutine gives {}",
        py_repr_str(&compute("coroutine", work).await?)
    ));
    let task = spawn(compute("task", work));
    log(format!("2. a task gives {}", py_repr_str(&task.await?)));
    let future: Future<&'static str> = Future::new();
    let setter = future.clone();
    call_at(p.future_at, move || setter.set_result("future result"));
    let result = future.await?;
    log(format!(
        "3. a future, completed by a callback at t={:.1}, gives {}",
        p.future_at,
        py_repr_str(result)
    ));
    let ticket = Ticket { wait: sleep(p.ticket) }.await?;
    log(format!("4. a custom awaitable gives {}", py_repr_str(ticket)));
    Ok(())
}

//! awaitables: the kinds of thing `await` accepts.
//!
//! A coroutine (run inside the awaiting task), a task (run beside it), a low-level future
//! (completed by a callback scheduled for t=1) and a hand-written awaitable (any Rust type that
//! implements `Future`); each result printed with its time.

use std::pin::Pin;
use std::task::{Context, Poll};

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;
use crate::pyfmt::py_repr_str;
use crate::runtime::Sleep;

/// The durations involved.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "work",
        help: "the coroutine's work",
        kind: Kind::Seconds { min: 0.0, max: 10.0 },
        default: "0.25",
    },
    ParamSpec {
        name: "future_at",
        help: "when the callback completes the future",
        kind: Kind::Seconds { min: 0.0, max: 60.0 },
        default: "1",
    },
    ParamSpec {
        name: "ticket",
        help: "the custom awaitable's wait",
        kind: Kind::Seconds { min: 0.0, max: 10.0 },
        default: "0.5",
    },
];

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
    let work = p.seconds("work");
    log(format!(
        "1. a coroutine gives {}",
        py_repr_str(&compute("coroutine", work).await?)
    ));
    let task = spawn(compute("task", work));
    log(format!("2. a task gives {}", py_repr_str(&task.await?)));
    let future: Future<&'static str> = Future::new();
    let setter = future.clone();
    call_at(p.seconds("future_at"), move || setter.set_result("future result"));
    let result = future.await?;
    log(format!(
        "3. a future, completed by a callback at t={:.1}, gives {}",
        p.seconds("future_at"),
        py_repr_str(result)
    ));
    let ticket = Ticket {
        wait: sleep(p.seconds("ticket")),
    }
    .await?;
    log(format!("4. a custom awaitable gives {}", py_repr_str(ticket)));
    Ok(())
}

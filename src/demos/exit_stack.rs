//! exit-stack: a number of resources chosen at run time, closed in reverse order.
//!
//! `AsyncExitStack` enters them one by one; leaving the block closes them last-opened first, and
//! so does a failure while entering one (the ones already open are closed).

use super::Demo;
use crate::prelude::*;
use crate::runtime::{async_exit_stack, AsyncContextManager, LocalBoxFuture};

parameters! {
    /// How many resources, and which one fails to open (0: none).
    pub struct Params {
        resources: count[0..=50] = 4, "resources to open";
        fail_at: count[0..=50] = 3, "the resource that fails to open (0: none)";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "exit-stack",
    title: "AsyncExitStack",
    concept: "An exit stack enters a run-time number of resources and closes them in reverse order, also on failure.",
    section: Core,
    alternate: Params { resources: 5, fail_at: 0 },
};

struct Resource {
    index: i64,
    fail_at: i64,
}

impl AsyncContextManager for Resource {
    type Value = i64;

    fn aenter(&mut self) -> LocalBoxFuture<Result<i64, Error>> {
        let (index, fail_at) = (self.index, self.fail_at);
        Box::pin(async move {
            sleep(0.1).await?;
            if index == fail_at {
                log(format!("resource {index} fails to open"));
                return Err(Error::new("ConnectionError", format!("resource {index} unavailable")));
            }
            log(format!("resource {index} open"));
            Ok(index)
        })
    }

    fn aexit(&mut self, _error: Option<Error>) -> LocalBoxFuture<Result<bool, Error>> {
        let index = self.index;
        Box::pin(async move {
            sleep(0.1).await?;
            log(format!("resource {index} closed"));
            Ok(false)
        })
    }
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let (resources, fail_at) = (p.resources, p.fail_at);
    let outcome = async_exit_stack(|stack| async move {
        let mut opened = Vec::new();
        for index in 1..=resources {
            opened.push(stack.enter_async_context(Resource { index, fail_at }).await?);
        }
        log(format!("all {} open; working", opened.len()));
        sleep(0.5).await
    })
    .await;
    match outcome {
        Ok(_) => log("left the block: every resource closed, last opened first"),
        Err(e) if e.is("ConnectionError") => log(format!(
            "entering failed with {}; the ones already open were closed",
            e.repr()
        )),
        Err(e) => return Err(e),
    }
    Ok(())
}

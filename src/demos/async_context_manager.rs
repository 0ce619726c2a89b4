//! async-context-manager: setup and teardown are both awaited.
//!
//! `async with` awaits `__aenter__` before the body and `__aexit__` after it, on a normal exit
//! and on an error, and the error still propagates.

use super::Demo;
use crate::prelude::*;
use crate::runtime::{async_with, AsyncContextManager, LocalBoxFuture};

parameters! {
    /// How long setup and teardown take.
    pub struct Params {
        setup: seconds[0.0..=10.0] = 0.5, "connecting";
        teardown: seconds[0.0..=10.0] = 0.5, "closing";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "async-context-manager",
    title: "Async context managers",
    concept: "async with awaits setup and teardown; teardown runs on error too, and the error propagates.",
    section: Core,
    alternate: Params { setup: 0.1, teardown: 2.0 },
};

struct Connection {
    name: &'static str,
    setup: f64,
    teardown: f64,
}

impl AsyncContextManager for Connection {
    type Value = &'static str;

    fn aenter(&mut self) -> LocalBoxFuture<Result<&'static str, Error>> {
        let (name, setup) = (self.name, self.setup);
        Box::pin(async move {
            log(format!("{name}: connecting"));
            sleep(setup).await?;
            log(format!("{name}: connected"));
            Ok(name)
        })
    }

    fn aexit(&mut self, error: Option<Error>) -> LocalBoxFuture<Result<bool, Error>> {
        let (name, teardown) = (self.name, self.teardown);
        Box::pin(async move {
            log(format!(
                "{name}: closing (error: {})",
                error.map_or("None".into(), |e| e.repr())
            ));
            sleep(teardown).await?;
            log(format!("{name}: closed"));
            Ok(false)
        })
    }
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let (setup, teardown) = (p.setup, p.teardown);
    async_with(
        Connection {
            name: "db",
            setup,
            teardown,
        },
        |db| async move {
            log(format!("using {db}"));
            Ok(())
        },
    )
    .await?;
    let failed = async_with(
        Connection {
            name: "cache",
            setup,
            teardown,
        },
        |_| async {
            log("the body fails");
            Err::<(), _>(Error::new("KeyError", "missing key"))
        },
    )
    .await;
    if let Err(e) = failed {
        log(format!("the error still propagates: {}", e.repr()));
    }
    Ok(())
}

//! context-manager-generator: the same lifecycle written as one generator function.
//!
//! `@asynccontextmanager`: the code before the single `yield` is the setup, the code after it
//! the teardown; the body's error arrives at the `yield`, where it can be handled and re-raised.

use super::Demo;
use crate::prelude::*;
use crate::runtime::{async_with, context_manager, AsyncContextManager};

parameters! {
    /// How long setup and teardown take.
    pub struct Params {
        setup: seconds[0.0..=10.0] = 0.5, "connecting";
        teardown: seconds[0.0..=10.0] = 0.5, "closing";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "context-manager-generator",
    title: "@asynccontextmanager",
    concept: "The same lifecycle as one generator function: setup, yield, teardown.",
    section: Core,
    alternate: Params { setup: 1.0, teardown: 0.25 },
};

fn connection(name: &'static str, setup: f64, teardown: f64) -> impl AsyncContextManager<Value = &'static str> {
    context_manager("connection", move |y| async move {
        log(format!("{name}: connecting"));
        sleep(setup).await?;
        log(format!("{name}: connected"));
        let result = match y.yield_(name).await {
            Err(e) if !e.is(ExceptionClass::GeneratorExit) => {
                log(format!("{name}: the body failed with {}", e.repr()));
                Err(e)
            }
            other => other,
        };
        // finally:
        log(format!("{name}: closing"));
        sleep(teardown).await?;
        log(format!("{name}: closed"));
        result
    })
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let (setup, teardown) = (p.setup, p.teardown);
    async_with(connection("db", setup, teardown), |db| async move {
        log(format!("using {db}"));
        Ok(())
    })
    .await?;
    let failed = async_with(connection("cache", setup, teardown), |_| async {
        Err::<(), _>(Error::new("KeyError", "missing key"))
    })
    .await;
    if let Err(e) = failed {
        log(format!("the error still propagates: {}", e.repr()));
    }
    Ok(())
}

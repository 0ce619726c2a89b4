//! async with: teardown runs on normal exit and on error, and the error still propagates.
use looplab::prelude::*;

struct Session;

impl AsyncContextManager for Session {
    type Value = &'static str;

    fn aenter(&mut self) -> LocalBoxFuture<Result<&'static str, Error>> {
        Box::pin(async {
            log("session setup");
            sleep(0.5).await?;
            Ok("session")
        })
    }

    fn aexit(&mut self, error: Option<Error>) -> LocalBoxFuture<Result<bool, Error>> {
        Box::pin(async move {
            log(format!("session teardown (error: {})", error.map_or("None".to_string(), |e| e.repr())));
            sleep(0.5).await?;
            log("session closed");
            Ok(false)
        })
    }
}

fn connection(name: &'static str) -> impl AsyncContextManager<Value = &'static str> {
    context_manager("connection", move |y| async move {
        log(format!("connect {name}"));
        sleep(0.2).await?;
        let result = match y.yield_(name).await {
            Err(e) if !e.is(ExceptionClass::GeneratorExit) => {
                log(format!("teardown after {}", e.repr()));
                Err(e)
            }
            other => other,
        };
        // finally:
        sleep(0.2).await?;
        log(format!("disconnect {name}"));
        result
    })
}

fn forgiving() -> impl AsyncContextManager<Value = &'static str> {
    context_manager("forgiving", |y| async move {
        match y.yield_("forgiving").await {
            Err(e) if e.is("KeyError") => {
                log(format!("suppressing {}", e.repr()));
                Ok(())
            }
            other => other,
        }
    })
}

pub async fn main() -> Result<(), Error> {
    async_with(Session, |s| async move {
        log(format!("using {s}"));
        Ok(())
    })
    .await?;
    let failed = async_with(Session, |_| async { Err::<(), _>(Error::new("ValueError", "inside the session")) }).await;
    if let Err(e) = failed {
        log(format!("propagated {}", e.repr()));
    }
    async_with(connection("a"), |c| async move {
        log(format!("using {c}"));
        Ok(())
    })
    .await?;
    if let Err(e) = async_with(connection("b"), |_| async { Err::<(), _>(Error::new("ValueError", "boom")) }).await {
        log(format!("propagated {}", e.repr()));
    }
    async_with(forgiving(), |_| async { Err::<(), _>(Error::new("KeyError", "k")) }).await?;
    log("suppressed, execution goes on");
    Ok(())
}

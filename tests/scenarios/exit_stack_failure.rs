//! AsyncExitStack closes in reverse order, on success and when entering the third one fails.
use looplab::prelude::*;

struct Resource {
    name: &'static str,
    fail_enter: bool,
}

impl AsyncContextManager for Resource {
    type Value = &'static str;

    fn aenter(&mut self) -> LocalBoxFuture<Result<&'static str, Error>> {
        let (name, fail) = (self.name, self.fail_enter);
        Box::pin(async move {
            log(format!("open {name}"));
            sleep(0.1).await?;
            if fail {
                return Err(Error::new("ConnectionError", format!("{name} unreachable")));
            }
            Ok(name)
        })
    }

    fn aexit(&mut self, error: Option<Error>) -> LocalBoxFuture<Result<bool, Error>> {
        let name = self.name;
        Box::pin(async move {
            sleep(0.1).await?;
            log(format!("close {name} (error: {})", error.map_or("None".to_string(), |e| e.repr())));
            Ok(false)
        })
    }
}

pub async fn main() -> Result<(), Error> {
    async_exit_stack(|stack| async move {
        for name in ["db", "cache"] {
            let entered = stack.enter_async_context(Resource { name, fail_enter: false }).await?;
            log(format!("entered {entered}"));
        }
        stack.push_async_callback(|| async {
            log("callback flush");
            Ok(())
        });
        Ok(())
    })
    .await?;
    log("all closed in reverse");
    let outcome = async_exit_stack(|stack| async move {
        for (name, fail_enter) in [("db", false), ("cache", false), ("search", true)] {
            stack.enter_async_context(Resource { name, fail_enter }).await?;
        }
        Ok(())
    })
    .await;
    if let Err(e) = outcome {
        log(format!("failed entering: {}", e.repr()));
    }
    Ok(())
}

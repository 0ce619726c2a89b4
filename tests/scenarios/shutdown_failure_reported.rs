//! asyncio.run's shutdown cancels what is left; a task that catches that cancellation and
//! fails is reported as an unhandled exception during the shutdown.
use looplab::prelude::*;

async fn stubborn() -> Result<(), Error> {
    match sleep(10.0).await {
        Err(e) if e.is_cancelled() => {
            log("cancelled at shutdown, raises instead");
            Err(Error::new("ValueError", "cleanup failed"))
        }
        other => other,
    }
}

pub async fn main() -> Result<(), Error> {
    spawn(stubborn());
    sleep(1.0).await?;
    log("main returns");
    Ok(())
}

//! A task left pending on a loop closed without asyncio.run's shutdown is destroyed pending.
use looplab::prelude::*;
use looplab::{Loop, LoopOptions};

async fn background() -> Result<(), Error> {
    log("background starts");
    sleep(10.0).await?;
    log("never printed");
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    spawn(background());
    sleep(1.0).await?;
    log("main returns, background still pending");
    Ok(())
}

/// `loop.run_until_complete(main()); loop.close()`.
pub fn run(options: LoopOptions) -> (Vec<String>, Result<(), Error>) {
    let lp = Loop::new(options);
    let result = lp.run_until_complete(main()).and(lp.close());
    (lp.transcript(), result)
}

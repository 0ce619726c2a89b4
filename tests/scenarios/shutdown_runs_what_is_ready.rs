//! asyncio.run's shutdown runs a few more iterations: what is ready runs in them, and a task
//! made during the shutdown is not waited for (it is destroyed still pending).
use looplab::prelude::*;

async fn latecomer() -> Result<(), Error> {
    log("latecomer: first step");
    sleep(0.0).await?;
    log("latecomer: second step");
    sleep(0.0).await?;
    log("latecomer: third step");
    sleep(5.0).await?;
    log("latecomer: never gets here");
    Ok(())
}

async fn stubborn() -> Result<(), Error> {
    if let Err(e) = sleep(10.0).await {
        if !e.is_cancelled() {
            return Err(e);
        }
        log("stubborn: cancelled at shutdown, makes a task");
        spawn_named("latecomer", latecomer());
        sleep(0.5).await?;
        log("stubborn: done");
    }
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    spawn_named("stubborn", stubborn());
    sleep(1.0).await?;
    call_soon(|| {
        log("callback scheduled as main returns");
        call_soon(|| log("callback scheduled by a callback runs in the shutdown"));
    });
    log("main returns");
    Ok(())
}

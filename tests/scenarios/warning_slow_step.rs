//! Debug mode reports a step that holds the loop for longer than 0.1 s.
use looplab::prelude::*;

async fn blocking() -> Result<(), Error> {
    log("computing without awaiting");
    block_for(0.25);
    log("done computing");
    sleep(0.0).await?;
    block_for(0.05);
    log("a short step is not reported");
    Ok(())
}

async fn ticker() -> Result<(), Error> {
    for i in 0..3 {
        log(format!("tick {i}"));
        sleep(0.1).await?;
    }
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    gather(vec![spawn(ticker()), spawn(blocking())]).await?;
    Ok(())
}

//! A failed task whose exception nobody reads is reported when it is destroyed.
use looplab::prelude::*;

async fn fails(what: &'static str) -> Result<(), Error> {
    sleep(0.5).await?;
    log(format!("{what} raises"));
    Err(Error::new("ValueError", what))
}

pub async fn main() -> Result<(), Error> {
    spawn(fails("forgotten"));
    let kept = spawn(fails("read"));
    sleep(1.0).await?;
    log(format!("reading the kept one: {}", kept.exception().map_or("None".into(), |e| e.repr())));
    drop(kept);
    sleep(1.0).await?;
    log("done");
    Ok(())
}

//! How many iterations asyncio.run's shutdown runs when no task is left, counted by a chain
//! of callbacks that each schedule the next.
use looplab::prelude::*;

fn link(n: u32) {
    log(format!("callback {n}"));
    call_soon(move || link(n + 1));
}

pub async fn main() -> Result<(), Error> {
    call_soon(|| link(1));
    log("main returns");
    Ok(())
}

//! A loop-level handler sees unretrieved exceptions; a failing done callback does not stop the loop.
use std::cell::Cell;
use std::rc::Rc;

use looplab::prelude::*;
use looplab::{Loop, LoopOptions};

async fn fails() -> Result<(), Error> {
    sleep(0.5).await?;
    Err(Error::new("KeyError", "lost"))
}

pub async fn main() -> Result<(), Error> {
    spawn(fails());
    sleep(1.0).await?;
    let task = spawn(sleep(0.5));
    task.add_done_callback(|_| {
        log("callback runs, then raises");
        Err(Error::runtime("callback failed"))
    });
    task.await?;
    sleep(0.5).await?;
    Ok(())
}

/// The handler is set on the loop (`loop.set_exception_handler`) before main runs.
pub fn run(options: LoopOptions) -> (Vec<String>, Result<(), Error>) {
    let lp = Loop::new(options);
    let seen = Rc::new(Cell::new(0));
    let counter = seen.clone();
    lp.set_exception_handler(move |context| {
        counter.set(counter.get() + 1);
        log(format!("handler: {}", context.line()));
    });
    let result = lp.run(async move {
        main().await?;
        log(format!("the loop goes on; the handler saw {} reports", seen.get()));
        Ok(())
    });
    (lp.transcript(), result)
}

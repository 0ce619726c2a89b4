//! Event.set() wakes every waiter, all in the next iteration.
use looplab::prelude::*;

async fn waiter(event: Event, name: String) -> Result<(), Error> {
    log(format!("{name} waits"));
    event.wait().await?;
    log(format!("{name} released"));
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let event = Event::new();
    let tasks: Vec<_> = (0..4).map(|i| spawn(waiter(event.clone(), format!("w{i}")))).collect();
    sleep(1.0).await?;
    log("setting the event");
    event.set();
    log(format!("is_set: {}", py_bool(event.is_set())));
    gather(tasks).await?;
    log(format!("wait on a set event returns at once: {}", py_bool(event.wait().await?)));
    event.clear();
    log(format!("after clear: {}", py_bool(event.is_set())));
    Ok(())
}

//! locks-and-events: `Lock`, `Event` and `Condition`.
//!
//! Lock waiters get the lock first come, first served; `Event.set()` releases every waiter in
//! the very next iteration; `Condition.notify(1)` wakes exactly one waiter, `notify_all()` the rest.

use super::Demo;
use crate::prelude::*;
use crate::runtime::iteration;

parameters! {
    /// How many waiters, and how long each holds the lock.
    pub struct Params {
        waiters: count[1..=50] = 3, "tasks waiting on each primitive";
        hold: seconds[0.0..=10.0] = 0.5, "how long each holds the lock";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "locks-and-events",
    title: "Locks, events, conditions",
    concept: "Lock waiters go first come first served; an Event releases all at once; notify(1) wakes one.",
    section: Advanced,
    alternate: Params { waiters: 5, hold: 0.2 },
};

async fn locker(lock: Lock, i: i64, hold: f64) -> Result<(), Error> {
    log(format!("worker {i} waits for the lock"));
    let _held = lock.enter().await?;
    log(format!("worker {i} holds the lock"));
    sleep(hold).await
}

async fn event_waiter(event: Event, i: i64) -> Result<(), Error> {
    event.wait().await?;
    log(format!("event waiter {i} released in iteration {}", iteration()));
    Ok(())
}

async fn condition_waiter(cond: Condition, i: i64) -> Result<(), Error> {
    let _held = cond.enter().await?;
    cond.wait().await?;
    log(format!("condition waiter {i} woken"));
    Ok(())
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let (n, hold) = (p.waiters, p.hold);
    let lock = Lock::new();
    gather((0..n).map(|i| spawn(locker(lock.clone(), i, hold))).collect::<Vec<_>>()).await?;
    log("Lock: the waiters got it first come, first served");

    let event = Event::new();
    let waiters: Vec<_> = (0..n).map(|i| spawn(event_waiter(event.clone(), i))).collect();
    sleep(0.5).await?;
    log(format!("Event: set in iteration {}", iteration()));
    event.set();
    gather(waiters).await?;

    let cond = Condition::new();
    let waiters: Vec<_> = (0..n).map(|i| spawn(condition_waiter(cond.clone(), i))).collect();
    sleep(0.5).await?;
    {
        let _held = cond.enter().await?;
        log("Condition: notify(1)");
        cond.notify(1)?;
    }
    sleep(0.5).await?;
    let waiting = waiters.iter().filter(|t| !t.done()).count();
    log(format!("Condition: {waiting} still waiting; notify_all()"));
    {
        let _held = cond.enter().await?;
        cond.notify_all()?;
    }
    gather(waiters).await?;
    Ok(())
}

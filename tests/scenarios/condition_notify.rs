//! Condition: notify(1) wakes exactly one waiter, first come first served; notify_all the rest.
use std::cell::RefCell;
use std::rc::Rc;

use looplab::prelude::*;

async fn consumer(cond: Condition, name: String, items: Rc<RefCell<Vec<&'static str>>>) -> Result<(), Error> {
    let _guard = cond.enter().await?;
    log(format!("{name} waits"));
    cond.wait_for(|| !items.borrow().is_empty()).await?;
    let item = items.borrow_mut().remove(0);
    log(format!("{name} got {item}"));
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let cond = Condition::new();
    let items: Rc<RefCell<Vec<&'static str>>> = Rc::default();
    let tasks: Vec<_> = (0..3).map(|i| spawn(consumer(cond.clone(), format!("c{i}"), items.clone()))).collect();
    sleep(1.0).await?;
    {
        let _guard = cond.enter().await?;
        items.borrow_mut().push("first");
        cond.notify(1)?;
        log("notified one");
    }
    sleep(1.0).await?;
    {
        let _guard = cond.enter().await?;
        items.borrow_mut().extend(["second", "third"]);
        cond.notify_all()?;
        log("notified all");
    }
    gather(tasks).await?;
    if let Err(e) = cond.notify(1) {
        log(format!("notify without the lock: {}", e.repr()));
    }
    Ok(())
}

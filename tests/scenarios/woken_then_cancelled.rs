//! A waiter woken and then cancelled before it runs passes its turn on (a semaphore's permit,
//! a queue's item); a condition's waiter takes the lock back before it raises.
use looplab::prelude::*;

fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

async fn contender(name: &'static str, sem: Semaphore) -> Result<(), Error> {
    if let Err(e) = sem.acquire().await {
        log(format!("{name} cancelled; value {}", sem.value()));
        return Err(e);
    }
    log(format!(
        "{name} got the permit; value {}, locked {}",
        sem.value(),
        py_bool(sem.locked())
    ));
    sem.release()
}

async fn getter(name: &'static str, q: Queue<&'static str>) -> Result<(), Error> {
    let item = q.get().await?;
    log(format!("{name} got {item}"));
    Ok(())
}

async fn waiter(cond: Condition) -> Result<(), Error> {
    let inner = cond.clone();
    cond.run(async move {
        match inner.wait().await {
            Err(e) if e.is_cancelled() => {
                log(format!("waiter cancelled, holds the lock again: {}", py_bool(inner.locked())));
                Err(e)
            }
            other => other.map(|_| ()),
        }
    })
    .await
}

pub async fn main() -> Result<(), Error> {
    let sem = Semaphore::new(1);
    let got = sem.acquire().await?;
    log(format!(
        "acquire: {}; value {}, locked {}",
        py_bool(got),
        sem.value(),
        py_bool(sem.locked())
    ));
    let b = spawn(contender("b", sem.clone()));
    let c = spawn(contender("c", sem.clone()));
    sleep(0.0).await?;
    sem.release()?;
    b.cancel();
    log(format!(
        "released and cancelled b; value {}, locked {}",
        sem.value(),
        py_bool(sem.locked())
    ));
    gather_settled(vec![b, c]).await?;
    log(format!(
        "semaphore after: value {}, locked {}",
        sem.value(),
        py_bool(sem.locked())
    ));

    // A waiter cancelled before it was woken: a release skips it, and it no longer makes the
    // semaphore locked.
    let sem = Semaphore::new(1);
    sem.acquire().await?;
    let d = spawn(contender("d", sem.clone()));
    sleep(0.0).await?;
    d.cancel();
    sem.release()?;
    log(format!(
        "cancelled d, then released; value {}, locked {}",
        sem.value(),
        py_bool(sem.locked())
    ));
    gather_settled(vec![d]).await?;

    // Two releases in a row for three waiters: each woken waiter passes the permit it releases.
    let sem = Semaphore::new(0);
    let waiters: Vec<_> = ["x", "y", "z"].into_iter().map(|n| spawn(contender(n, sem.clone()))).collect();
    sleep(0.0).await?;
    sem.release()?;
    sem.release()?;
    log(format!("released twice; value {}, locked {}", sem.value(), py_bool(sem.locked())));
    gather(waiters).await?;
    log(format!("all three had it; value {}, locked {}", sem.value(), py_bool(sem.locked())));

    let q: Queue<&'static str> = Queue::new(2);
    log(format!("maxsize {}", q.maxsize()));
    let g1 = spawn(getter("g1", q.clone()));
    let g2 = spawn(getter("g2", q.clone()));
    sleep(0.0).await?;
    q.put_nowait("first")?;
    g1.cancel();
    gather_settled(vec![g1.clone(), g2]).await?;
    log(format!("g1 cancelled: {}, queue size {}", py_bool(g1.cancelled()), q.qsize()));

    let cond = Condition::new();
    let w = spawn(waiter(cond.clone()));
    sleep(0.0).await?;
    log(format!("acquire: {}", py_bool(cond.acquire().await?)));
    cond.notify(1)?;
    w.cancel();
    cond.release()?;
    if let Err(e) = w.await {
        if e.is_cancelled() {
            log(format!("waiter ended cancelled; locked {}", py_bool(cond.locked())));
        }
    }
    // A waiter notified, then cancelled while it waits to take the lock back: it keeps trying,
    // and raises CancelledError only once it holds the lock.
    let cond = Condition::new();
    let w = spawn(waiter(cond.clone()));
    sleep(0.0).await?;
    cond.acquire().await?;
    cond.notify(1)?;
    sleep(0.0).await?;
    w.cancel();
    sleep(0.0).await?;
    log("main still holds the lock; releases it");
    cond.release()?;
    if let Err(e) = w.await {
        if e.is_cancelled() {
            log(format!("waiter ended cancelled; locked {}", py_bool(cond.locked())));
        }
    }
    Ok(())
}

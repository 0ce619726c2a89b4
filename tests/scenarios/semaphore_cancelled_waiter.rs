//! A semaphore waiter woken and then cancelled gives its permit to the next waiter.
use looplab::prelude::*;

async fn holder(sem: Semaphore, name: &'static str, hold: f64) -> Result<(), Error> {
    let permit = match sem.enter().await {
        Ok(p) => p,
        Err(e) => {
            log(format!("{name} cancelled"));
            return Err(e);
        }
    };
    log(format!("{name} acquired"));
    if let Err(e) = sleep(hold).await {
        log(format!("{name} cancelled"));
        return Err(e);
    }
    drop(permit);
    log(format!("{name} released"));
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let sem = Semaphore::new(1);
    let a = spawn(holder(sem.clone(), "a", 1.0));
    let b = spawn(holder(sem.clone(), "b", 1.0));
    let c = spawn(holder(sem.clone(), "c", 1.0));
    sleep(1.0).await?;
    b.cancel();
    log(format!("locked now: {}", py_bool(sem.locked())));
    wait(vec![a, b, c], ReturnWhen::AllCompleted, None).await?;
    log(format!("value at the end: {}", sem.value()));
    Ok(())
}

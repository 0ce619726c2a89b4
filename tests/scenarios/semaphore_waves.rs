//! 10 requests of 1 s through a semaphore of 3 finish in waves at 1, 2, 3, 4.
use looplab::prelude::*;

async fn request(sem: Semaphore, i: usize) -> Result<(), Error> {
    let _permit = sem.enter().await?;
    sleep(1.0).await?;
    log(format!("request {i} done"));
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let sem = Semaphore::new(3);
    gather((0..10).map(|i| spawn(request(sem.clone(), i))).collect::<Vec<_>>()).await?;
    let bounded = Semaphore::bounded(1);
    bounded.acquire().await?;
    bounded.release()?;
    if let Err(e) = bounded.release() {
        log(format!("bounded: {}", e.repr()));
    }
    Ok(())
}

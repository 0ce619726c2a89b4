//! shield: the waiter is cancelled, the shielded operation finishes.
use looplab::prelude::*;

async fn save() -> Result<&'static str, Error> {
    sleep(2.0).await?;
    log("save finished");
    Ok("saved")
}

async fn waiter(inner: Task<&'static str>) -> Result<(), Error> {
    match shield(inner).await {
        Ok(result) => {
            log(format!("waiter got {result}"));
            Ok(())
        }
        Err(e) => {
            log("waiter cancelled; the save goes on");
            Err(e)
        }
    }
}

pub async fn main() -> Result<(), Error> {
    let inner = spawn(save());
    let w = spawn(waiter(inner.clone()));
    sleep(1.0).await?;
    w.cancel();
    if w.await.is_err() {
        log(format!("inner cancelled? {}", py_bool(inner.cancelled())));
    }
    log(format!("inner result: {}", inner.await?));
    Ok(())
}

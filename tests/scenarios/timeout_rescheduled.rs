//! Moving a deadline later lets the work finish.
use looplab::prelude::*;

pub async fn main() -> Result<(), Error> {
    let cm = timeout(Some(1.0));
    cm.run(async {
        log(format!("deadline {:.1}", cm.when().unwrap_or(f64::NAN)));
        sleep(0.5).await?;
        cm.reschedule(Some(now() + 3.0))?;
        log(format!("deadline moved to {:.1}", cm.when().unwrap_or(f64::NAN)));
        sleep(2.0).await?;
        log("finished under the moved deadline");
        Ok(())
    })
    .await?;
    let outcome = timeout_at(Some(now() + 1.0))
        .run(async {
            sleep(1.0).await?;
            log("not reached: the deadline equals the sleep");
            Ok(())
        })
        .await;
    if let Err(e) = outcome {
        if e.is_timeout() {
            log("timeout_at expired");
        }
    }
    Ok(())
}

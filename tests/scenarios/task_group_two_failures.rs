//! A task group cancels the rest when a child fails and reports both failures together.
use looplab::prelude::*;

async fn child(name: &'static str, seconds: f64, error: Option<Error>) -> Result<(), Error> {
    if let Err(e) = sleep(seconds).await {
        log(format!("{name} cancelled"));
        return Err(e);
    }
    if let Some(error) = error {
        log(format!("{name} raises"));
        return Err(error);
    }
    log(format!("{name} done"));
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let outcome = task_group(|tg| async move {
        tg.spawn(child("first", 1.0, Some(Error::new("ValueError", "bad value"))))?;
        tg.spawn(child("second", 1.0, Some(Error::new("TypeError", "bad type"))))?;
        tg.spawn(child("slow", 5.0, None))?;
        log("body waits");
        sleep(3.0).await?;
        log("body never gets here");
        Ok(())
    })
    .await;
    let shown = |eg: &Error| py_str_list(eg.exceptions().iter().map(Error::repr));
    except_star(outcome)
        .on("ValueError", |eg| log(format!("except* ValueError: {}", shown(&eg))))
        .on("TypeError", |eg| log(format!("except* TypeError: {}", shown(&eg))))
        .reraise()?;
    log("after the group");
    Ok(())
}

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
    if let Err(group) = outcome {
        let (values, rest) = group.split_kind("ValueError");
        if let Some(values) = values {
            let shown: Vec<String> = values.group_errors().unwrap_or_default().iter().map(Error::repr).collect();
            log(format!("except* ValueError: {}", py_str_list(shown)));
        }
        let (types, rest) = rest.map(|r| r.split_kind("TypeError")).unwrap_or((None, None));
        if let Some(types) = types {
            let shown: Vec<String> = types.group_errors().unwrap_or_default().iter().map(Error::repr).collect();
            log(format!("except* TypeError: {}", py_str_list(shown)));
        }
        if let Some(rest) = rest {
            return Err(rest);
        }
    }
    log("after the group");
    Ok(())
}

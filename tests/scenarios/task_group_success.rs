//! A task group's block ends only when every child has finished.
use looplab::prelude::*;

async fn child(name: &'static str, seconds: f64) -> Result<&'static str, Error> {
    sleep(seconds).await?;
    log(format!("{name} done"));
    Ok(name)
}

pub async fn main() -> Result<(), Error> {
    let (a, b) = task_group(|tg| async move {
        let a = tg.spawn_named("a", child("a", 1.0))?;
        let b = tg.spawn(child("b", 2.0))?;
        log(format!("children {} and {} created", a.name(), b.name()));
        Ok((a, b))
    })
    .await?;
    let (a, b) = (a.result().unwrap()?, b.result().unwrap()?);
    log(format!("block over: {a}, {b}"));
    let failed = task_group(|tg| async move {
        tg.spawn(child("c", 1.0))?;
        Err::<(), _>(Error::new("ValueError", "body fails"))
    })
    .await;
    if let Err(group) = failed {
        log(format!("body failure: {}", group.repr()));
    }
    Ok(())
}

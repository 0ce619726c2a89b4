//! wait in each mode: the done and pending sets, and nothing is cancelled.
use looplab::prelude::*;

async fn call(name: &'static str, seconds: f64, fail: bool) -> Result<&'static str, Error> {
    sleep(seconds).await?;
    if fail {
        return Err(Error::runtime(name));
    }
    Ok(name)
}

fn names(tasks: &[Task<&'static str>]) -> String {
    let mut names: Vec<_> = tasks.iter().map(|t| t.name()).collect();
    names.sort();
    py_str_list(names)
}

pub async fn main() -> Result<(), Error> {
    for (mode, label) in [
        (ReturnWhen::FirstCompleted, "FIRST_COMPLETED"),
        (ReturnWhen::FirstException, "FIRST_EXCEPTION"),
        (ReturnWhen::AllCompleted, "ALL_COMPLETED"),
    ] {
        let start = now();
        let tasks = vec![
            spawn_named(format!("{label}-slow"), call("slow", 2.0, false)),
            spawn_named(format!("{label}-bad"), call("bad", 1.0, true)),
            spawn_named(format!("{label}-fast"), call("fast", 0.5, false)),
        ];
        let (done, pending) = wait(tasks.clone(), mode, None).await?;
        log(format!("{label}: after {:.1} s done={} pending={}", now() - start, names(&done), names(&pending)));
        for t in &pending {
            t.cancel();
        }
        wait(tasks.clone(), ReturnWhen::AllCompleted, None).await?;
        for t in &tasks {
            if !t.cancelled() {
                t.exception();
            }
        }
    }
    if let Err(e) = wait(Vec::<Task<()>>::new(), ReturnWhen::AllCompleted, None).await {
        log(format!("empty wait: {}", e.repr()));
    }
    Ok(())
}

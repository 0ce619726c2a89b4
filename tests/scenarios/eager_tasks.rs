//! CPython 3.12's eager task factory: a task's first step runs inside create_task.
use looplab::prelude::*;
use looplab::runtime::set_eager_tasks;

async fn quick(name: &'static str) -> Result<&'static str, Error> {
    log(format!("{name} runs at once"));
    Ok(name)
}

async fn slow(name: &'static str) -> Result<&'static str, Error> {
    log(format!("{name} starts at once"));
    sleep(1.0).await?;
    log(format!("{name} resumes later"));
    Ok(name)
}

pub async fn main() -> Result<(), Error> {
    set_eager_tasks(true);
    log("before create_task");
    let q = spawn(quick("quick"));
    log(format!("after create_task: quick done={}", py_bool(q.done())));
    let s = spawn(slow("slow"));
    log(format!("after create_task: slow done={}", py_bool(s.done())));
    log(format!("results {} {}", q.await?, s.await?));
    Ok(())
}

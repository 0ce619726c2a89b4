//! gather, shield and wait_for take coroutines and spawn them as tasks, in argument order;
//! gather! gathers children of different result types and wakes its awaiter when gather does;
//! wait_for without a timeout awaits a coroutine in the calling task.
use looplab::prelude::*;

async fn number(n: u32, seconds: f64) -> Result<u32, Error> {
    sleep(seconds).await?;
    log(format!("number {n}"));
    Ok(n)
}

async fn text(seconds: f64) -> Result<String, Error> {
    sleep(seconds).await?;
    log("text");
    Ok("two".to_string())
}

async fn fail(seconds: f64) -> Result<(), Error> {
    sleep(seconds).await?;
    Err(Error::new("ValueError", "bad"))
}

async fn ticker() -> Result<(), Error> {
    sleep(2.0).await?;
    for i in 0..4 {
        log(format!("tick {i}"));
        sleep(0.0).await?;
    }
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let tick = spawn(ticker());
    let (n, s) = gather!(number(1, 1.0), text(2.0)).await?;
    log(format!("gather returned {n} {}", py_repr_str(&s)));
    tick.await?;
    let numbers = gather(vec![number(3, 0.5), number(4, 0.2)]).await?;
    log(format!("gather of coroutines returned {numbers:?}"));
    let tick = spawn(ticker());
    let task = spawn(number(5, 1.0));
    let (t, s, u) = gather!(task, text(2.0), sleep(1.5)).await?;
    log(format!("a task, a coroutine and a sleep gave {t} {} {}", py_repr_str(&s), py_repr(&u)));
    tick.await?;
    log(format!("shield gave {}", shield(number(6, 1.0)).await?));
    log(format!("wait_for without a timeout gave {}", wait_for(number(7, 1.0), None).await?));
    match wait_for(number(8, 3.0), Some(1.0)).await {
        Err(e) if e.is_timeout() => log("wait_for timed out"),
        other => log(format!("wait_for gave {other:?}")),
    }
    let (n, e) = gather_settled!(number(9, 0.5), fail(0.2)).await?;
    log(format!("settled: {} {}", py_repr(&n.ok()), e.map_or_else(|e| e.repr(), |_| "None".into())));
    match gather!(number(10, 1.0), fail(0.5)).await {
        Err(e) => log(format!("gather! failed with {}", e.repr())),
        Ok(_) => log("gather! succeeded"),
    }
    sleep(1.0).await?;
    Ok(())
}

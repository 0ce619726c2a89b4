//! The benchmark suite's workloads on looplab (`../shared/spec/benchmarks.md`), shared by its
//! native half (`benches/suite.rs`) and its browser half (`web::bench`) so that both measure the
//! same programs. Built with the `bench` feature only.

use crate::prelude::*;
use crate::Loop;

/// `spawn-join`: spawn `n` trivial tasks, then await them all.
pub async fn spawn_join(n: u32) -> Result<(), Error> {
    let tasks: Vec<_> = (0..n).map(|_| spawn(async { Ok(()) })).collect();
    for t in tasks {
        t.await?;
    }
    Ok(())
}

/// `yield-storm`: `tasks` tasks each yielding to the loop `rounds` times (`sleep(0)`).
pub async fn yield_storm(tasks: u32, rounds: u32) -> Result<(), Error> {
    let all: Vec<_> = (0..tasks)
        .map(|_| {
            spawn(async move {
                for _ in 0..rounds {
                    sleep(0.0).await?;
                }
                Ok(())
            })
        })
        .collect();
    for t in all {
        t.await?;
    }
    Ok(())
}

/// `queue-pingpong`: two tasks pass a number back and forth through two queues, `n` round trips.
pub async fn queue_pingpong(n: u32) -> Result<(), Error> {
    let (ping, pong) = (Queue::<u32>::new(0), Queue::<u32>::new(0));
    let (p2, q2) = (ping.clone(), pong.clone());
    let echo = spawn(async move {
        for _ in 0..n {
            let v = p2.get().await?;
            q2.put_nowait(v + 1)?;
        }
        Ok(())
    });
    for i in 0..n {
        ping.put_nowait(i)?;
        pong.get().await?;
    }
    echo.await
}

/// `timer-wheel`'s delays: `n` pseudo-random durations in [0, 10) seconds, in steps of a
/// millisecond, from a fixed seed.
pub fn timer_wheel_delays(n: u32) -> Vec<f64> {
    let mut rng = fastrand::Rng::with_seed(42);
    (0..n).map(|_| f64::from(rng.u32(0..10_000)) / 1000.0).collect()
}

/// `timer-wheel`: a task sleeping each of `delays`, then await them all.
pub async fn timer_wheel(delays: Vec<f64>) -> Result<(), Error> {
    let tasks: Vec<_> = delays.into_iter().map(|s| spawn(sleep(s))).collect();
    for t in tasks {
        t.await?;
    }
    Ok(())
}

/// `gather-fanout`: gather of `n` tasks, task `i` sleeping `i % 10` milliseconds and returning
/// `i`; the results must come back in order.
pub async fn gather_fanout(n: u32) -> Result<(), Error> {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            spawn(async move {
                sleep(0.001 * f64::from(i % 10)).await?;
                Ok(i)
            })
        })
        .collect();
    let results = gather(tasks).await?;
    if results.iter().copied().ne(0..n) {
        return Err(Error::runtime("gather returned the results out of order"));
    }
    Ok(())
}

/// For the bytes per waiting task: starts `lp` with `n` tasks that each wait on a future nothing
/// completes, and runs the two iterations that spawn them and take their first steps. The
/// handles are dropped: the loop keeps its tasks, and the caller's handles are not the
/// executor's bookkeeping. The loop is left running, for the caller to measure and then forget.
pub fn start_waiting_tasks(lp: &Loop, n: u32) -> Result<(), Error> {
    let gate: Future<()> = Future::new();
    lp.start(async move {
        for _ in 0..n {
            spawn(gate.clone());
        }
        Future::<()>::new().await
    })?;
    lp.run_once()?;
    lp.run_once()?;
    Ok(())
}

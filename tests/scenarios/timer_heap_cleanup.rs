//! Past 100 scheduled timers with more than half of them cancelled, an iteration drops the
//! cancelled ones and re-heapifies the rest (asyncio's _run_once); otherwise cancelled timers
//! leave only from the head. Which one happens decides the order in which timers with equal
//! deadlines fire. Four rounds, on and either side of both thresholds (each round's sleep is a
//! timer too).
use looplab::prelude::*;

async fn round_of(name: &'static str, count: usize, cancel: fn(usize) -> bool) -> Result<(), Error> {
    let handles: Vec<_> = (0..count)
        .filter_map(|i| call_later(if i % 2 == 1 { 1.0 } else { 2.0 }, move || log(format!("{name} {i}"))))
        .collect();
    let mut cancelled = 0;
    for (i, handle) in handles.iter().enumerate() {
        if cancel(i) {
            handle.cancel();
            cancelled += 1;
        }
    }
    log(format!("{name}: {cancelled} of {count} timers cancelled"));
    sleep(3.0).await
}

pub async fn main() -> Result<(), Error> {
    round_of("a", 150, |i| i % 3 != 0).await?;
    round_of("b", 99, |i| i < 60).await?;
    round_of("c", 101, |i| i % 2 == 0 && i < 102).await?;
    round_of("d", 101, |i| i % 2 == 1 || i == 100).await
}

//! More than 100 timers, more than half of them cancelled: the next iteration drops the
//! cancelled ones and re-heapifies the rest (asyncio's _run_once), which decides the order in
//! which timers with equal deadlines fire.
use looplab::prelude::*;

pub async fn main() -> Result<(), Error> {
    let handles: Vec<_> = (0..150)
        .filter_map(|i| call_later(if i % 2 == 1 { 1.0 } else { 2.0 }, move || log(format!("timer {i}"))))
        .collect();
    for (i, handle) in handles.iter().enumerate() {
        if i % 3 != 0 {
            handle.cancel();
        }
    }
    log("100 of 150 timers cancelled");
    sleep(3.0).await
}

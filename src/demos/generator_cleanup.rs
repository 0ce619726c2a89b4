//! generator-cleanup: stopping early still runs the producer's cleanup, awaits included.
//!
//! The consumer stops after a chosen chunk. As in CPython, the abandoned producer is closed by a
//! new task, which resumes it with `GeneratorExit` so its `finally` (here: the code after the
//! loop) runs, awaiting as it closes the connection.

use super::Demo;
use crate::prelude::*;

parameters! {
    /// How many chunks there are, and after which one the consumer stops.
    pub struct Params {
        chunks: count[0..=100] = 6, "chunks the producer has";
        stop_after: count[0..=100] = 2, "the consumer stops after this chunk";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "generator-cleanup",
    title: "Generator cleanup",
    concept: "A consumer that stops early still gets the producer's cleanup run, awaits and all.",
    section: Core,
    alternate: Params { chunks: 3, stop_after: 5 },
};

fn chunks(n: i64) -> Stream<i64> {
    stream(move |y| async move {
        log("producer opens the connection");
        let result = async {
            for i in 0..n {
                sleep(0.25).await?;
                y.yield_(i).await?;
            }
            Ok(())
        }
        .await;
        // finally:
        log("cleanup: closing the connection");
        sleep(0.5).await?;
        log("cleanup: connection closed");
        result
    })
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    {
        let mut stream = chunks(p.chunks);
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            log(format!("consumer got chunk {chunk}"));
            if chunk == p.stop_after {
                log("consumer stops early");
                break;
            }
        }
    }
    log("consumer moved on");
    sleep(1.0).await?;
    log("done");
    Ok(())
}

//! async-generator: a producer that awaits between the items it yields.
//!
//! Each page is fetched (awaited) before it is yielded, and the consumer processes it (awaiting
//! too) before it asks for the next: producer and consumer take turns in one task.

use super::Demo;
use crate::prelude::*;

parameters! {
    /// How many pages, and how long fetching and processing one take.
    pub struct Params {
        pages: count[0..=100] = 4, "pages in the stream";
        fetch: seconds[0.0..=10.0] = 0.5, "fetching a page";
        process: seconds[0.0..=10.0] = 0.25, "processing a page";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "async-generator",
    title: "Async generators",
    concept: "An async generator awaits between the items it yields; producer and consumer take turns.",
    section: Core,
    alternate: Params { pages: 2, process: 1.0, ..Params::DEFAULT },
};

fn pages(n: i64, fetch: f64) -> Stream<String> {
    stream(move |y| async move {
        for i in 0..n {
            log(format!("producer fetches page {i}"));
            sleep(fetch).await?;
            log(format!("producer yields page {i}"));
            y.yield_(format!("page-{i}")).await?;
        }
        log("producer is exhausted");
        Ok(())
    })
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let mut stream = pages(p.pages, p.fetch);
    while let Some(page) = stream.next().await {
        log(format!("consumer got {}, processing", page?));
        sleep(p.process).await?;
    }
    log("consumer done");
    Ok(())
}

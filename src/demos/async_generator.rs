//! async-generator: a producer that awaits between the items it yields.
//!
//! Each page is fetched (awaited) before it is yielded, and the consumer processes it (awaiting
//! too) before it asks for the next: producer and consumer take turns in one task.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;

/// How many pages, and how long fetching and processing one take.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "pages",
        help: "pages in the stream",
        kind: Kind::Count { min: 0, max: 100 },
        default: "4",
    },
    ParamSpec {
        name: "fetch",
        help: "fetching a page",
        kind: Kind::Seconds { min: 0.0, max: 10.0 },
        default: "0.5",
    },
    ParamSpec {
        name: "process",
        help: "processing a page",
        kind: Kind::Seconds { min: 0.0, max: 10.0 },
        default: "0.25",
    },
];

fn pages(n: i64, fetch: f64) -> Stream<String> {
    stream(move |y| async move {
        for i in 0..n {
            log(format!("producer fetches page {i}"));
            sleep(fetch).await?;
            log(format!("producer yields page {i}"));
            y.send(format!("page-{i}")).await?;
        }
        log("producer is exhausted");
        Ok(())
    })
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let mut stream = pages(p.count("pages"), p.seconds("fetch"));
    while let Some(page) = stream.next().await {
        log(format!("consumer got {}, processing", page?));
        sleep(p.seconds("process")).await?;
    }
    log("consumer done");
    Ok(())
}

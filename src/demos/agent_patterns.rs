//! agent-patterns: rate limits with retry, tool timeouts, and a client that disconnects.
//!
//! LLM calls go through a semaphore (the rate limit); a rate-limited call retries with
//! exponential backoff. Each tool call runs under a timeout, so a slow tool yields "unavailable"
//! instead of hanging the agent. The answer streams to a client that disconnects mid-way: the
//! stream is closed, and the helper task behind it is cancelled and cleaned up.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;
use crate::pyfmt::py_str_list;

/// The knobs of the three patterns.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "calls",
        help: "LLM calls",
        kind: Kind::Count { min: 2, max: 50 },
        default: "4",
    },
    ParamSpec {
        name: "rate",
        help: "LLM calls at once",
        kind: Kind::Count { min: 1, max: 50 },
        default: "2",
    },
    ParamSpec {
        name: "failures",
        help: "rate-limit errors before call 1 succeeds",
        kind: Kind::Count { min: 0, max: 4 },
        default: "2",
    },
    ParamSpec {
        name: "tool_timeout",
        help: "each tool call's limit",
        kind: Kind::Seconds { min: 0.0, max: 10.0 },
        default: "1",
    },
    ParamSpec {
        name: "tokens",
        help: "tokens in the answer",
        kind: Kind::Count { min: 1, max: 100 },
        default: "6",
    },
    ParamSpec {
        name: "disconnect_after",
        help: "tokens the client reads",
        kind: Kind::Count { min: 1, max: 100 },
        default: "3",
    },
];

async fn llm(sem: Semaphore, i: i64, failures: i64) -> Result<String, Error> {
    for attempt in 1..=5 {
        let limited = {
            let _slot = sem.enter().await?;
            sleep(0.5).await?;
            i == 1 && attempt <= failures
        };
        if !limited {
            log(format!("llm call {i} answered (attempt {attempt})"));
            return Ok(format!("answer {i}"));
        }
        let backoff = 0.25 * 2f64.powi(attempt as i32 - 1);
        log(format!("llm call {i} rate limited; retrying in {backoff} s"));
        sleep(backoff).await?;
    }
    Err(Error::runtime(format!("llm call {i} gave up")))
}

async fn tool(name: &'static str, seconds: f64, limit: f64) -> Result<String, Error> {
    match timeout(Some(limit)).run(sleep(seconds)).await {
        Ok(()) => Ok(format!("{name} ok")),
        Err(e) if e.is_timeout() => {
            log(format!("tool {name} timed out after {limit:?} s"));
            Ok(format!("{name} unavailable"))
        }
        Err(e) => Err(e),
    }
}

async fn fetch_context() -> Result<(), Error> {
    loop {
        if let Err(e) = sleep(0.3).await {
            log("context fetcher cancelled");
            return Err(e);
        }
        log("fetching more context");
    }
}

fn answer_stream(tokens: i64) -> Stream<String> {
    stream(move |y| async move {
        let helper = spawn_named("context", fetch_context());
        let result = async {
            for i in 0..tokens {
                sleep(0.2).await?;
                y.send(format!("token-{i}")).await?;
            }
            Ok(())
        }
        .await;
        // finally:
        helper.cancel();
        let _ = helper.await; // suppress(CancelledError)
        log("answer stream cleaned up");
        result
    })
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    let sem = Semaphore::new(p.count("rate") as u32);
    let calls: Vec<_> = (0..p.count("calls"))
        .map(|i| spawn(llm(sem.clone(), i, p.count("failures"))))
        .collect();
    let answers = gather(calls).await?;
    log(format!("answers: {}", py_str_list(answers)));
    let limit = p.seconds("tool_timeout");
    let results = gather(vec![
        spawn(tool("search", 0.5, limit)),
        spawn(tool("slow-api", 3.0, limit)),
    ])
    .await?;
    log(format!("tools: {}", py_str_list(results)));
    {
        let mut received = 0;
        let mut tokens = answer_stream(p.count("tokens"));
        while let Some(token) = tokens.next().await {
            received += 1;
            log(format!("client receives {}", token?));
            if received == p.count("disconnect_after") {
                log("client disconnects");
                break;
            }
        }
    }
    sleep(1.0).await?;
    log("everything behind the client is gone");
    Ok(())
}

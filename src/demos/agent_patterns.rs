//! agent-patterns: rate limits with retry, tool timeouts, and a client that disconnects.
//!
//! LLM calls go through a semaphore (the rate limit); a rate-limited call retries with
//! exponential backoff. Each tool call runs under a timeout, so a slow tool yields "unavailable"
//! instead of hanging the agent. The answer streams to a client that disconnects mid-way: the
//! stream is closed, and the helper task behind it is cancelled and cleaned up.

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::py_str_list;

parameters! {
    /// The knobs of the three patterns.
    pub struct Params {
        calls: count[2..=50] = 4, "LLM calls";
        rate: count[1..=50] = 2, "LLM calls at once";
        failures: count[0..=4] = 2, "rate-limit errors before call 1 succeeds";
        tool_timeout: seconds[0.0..=10.0] = 1, "each tool call's limit";
        tokens: count[1..=100] = 6, "tokens in the answer";
        disconnect_after: count[1..=100] = 3, "tokens the client reads";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "agent-patterns",
    title: "Agent patterns",
    concept: "Rate limits with retry and backoff, tool timeouts, and cleanup when a streaming client disconnects.",
    section: Advanced,
    alternate: Params { failures: 0, tool_timeout: 4.0, disconnect_after: 5, ..Params::DEFAULT },
};

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
                y.yield_(format!("token-{i}")).await?;
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
    let sem = Semaphore::new(p.rate as u32);
    let calls: Vec<_> = (0..p.calls).map(|i| spawn(llm(sem.clone(), i, p.failures))).collect();
    let answers = gather(calls).await?;
    log(format!("answers: {}", py_str_list(answers)));
    let limit = p.tool_timeout;
    let results = gather(vec![
        spawn(tool("search", 0.5, limit)),
        spawn(tool("slow-api", 3.0, limit)),
    ])
    .await?;
    log(format!("tools: {}", py_str_list(results)));
    {
        let mut received = 0;
        let mut tokens = answer_stream(p.tokens);
        while let Some(token) = tokens.next().await {
            received += 1;
            log(format!("client receives {}", token?));
            if received == p.disconnect_after {
                log("client disconnects");
                break;
            }
        }
    }
    sleep(1.0).await?;
    log("everything behind the client is gone");
    Ok(())
}

//! In headless Chromium (wasm-bindgen-test, `run_in_browser`): the demos and the parity scenarios
//! run on the page's microtask driver and print the same transcripts as natively (the golden
//! files, which the native tests hold equal to CPython's); long runs yield to the browser.
#![cfg(target_arch = "wasm32")]

mod scenarios;

use looplab::demos::DEMOS;
use looplab::web::driver::{drive, now_ms, run_demo, SLICE_MS};
use looplab::{Loop, LoopOptions};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! golden {
    ($($id:literal),* $(,)?) => {
        &[$(($id, include_str!(concat!("golden/demos/", $id, ".transcript")))),*]
    };
}

/// Every demo's golden transcript (the native tests hold them equal to CPython's).
const DEMO_GOLDEN: &[(&str, &str)] = golden![
    "mental-model",
    "coroutine-objects",
    "awaitables",
    "event-loop",
    "sequential-vs-concurrent",
    "task-names-and-callbacks",
    "fire-and-forget",
    "gather",
    "gather-errors",
    "wait",
    "as-completed",
    "task-group",
    "gather-vs-taskgroup",
    "async-generator",
    "agent-events",
    "sequential-agents",
    "parallel-agents-buffered",
    "parallel-agents-streaming",
    "generator-cleanup",
    "async-comprehension",
    "async-context-manager",
    "context-manager-generator",
    "exit-stack",
    "toolset-lifecycle",
    "blocking-the-loop",
    "locks-and-events",
    "semaphore-limit",
    "queues",
    "timeouts",
    "cancellation",
    "error-handling",
    "sync-and-async",
    "streams",
    "debugging",
    "performance-patterns",
    "agent-patterns",
];

fn text(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[wasm_bindgen_test]
async fn demos_on_the_microtask_driver_print_their_golden_transcripts() {
    assert_eq!(
        DEMOS.len(),
        DEMO_GOLDEN.len(),
        "every demo has a golden transcript here"
    );
    for demo in DEMOS {
        let golden = DEMO_GOLDEN
            .iter()
            .find(|(id, _)| *id == demo.id)
            .map(|(_, t)| *t)
            .unwrap();
        let run = run_demo(
            demo,
            LoopOptions {
                trace: true,
                ..LoopOptions::default()
            },
            demo.defaults(),
            None,
        )
        .await;
        assert!(run.report.result.is_ok(), "{}: {:?}", demo.id, run.report.result);
        assert_eq!(text(&run.report.transcript), golden, "{}", demo.id);
        if demo.custom.is_none() {
            // Every iteration ran, in order, in a microtask of the driver.
            let iterations = run.report.trace.unwrap().iterations;
            assert_eq!(run.host.turns.len() as u64, iterations, "{}", demo.id);
            for (n, turn) in run.host.turns.iter().enumerate() {
                assert_eq!(turn.iteration, n as u64 + 1, "{}", demo.id);
                assert!(
                    turn.microtask >= 1 && turn.microtask <= run.host.microtasks,
                    "{}",
                    demo.id
                );
            }
        }
    }
}

#[wasm_bindgen_test]
async fn scenarios_on_the_microtask_driver_print_their_golden_transcripts() {
    for s in scenarios::SCENARIOS {
        let (transcript, result) = match s.how {
            scenarios::How::Run(main) => {
                let run = drive(Loop::new(LoopOptions::default()), main()).await;
                (run.report.transcript, run.report.result)
            }
            scenarios::How::Debug(main) => {
                let run = drive(
                    Loop::new(LoopOptions {
                        debug: true,
                        ..LoopOptions::default()
                    }),
                    main(),
                )
                .await;
                (run.report.transcript, run.report.result)
            }
            // Scenarios that drive a loop themselves run synchronously here too.
            scenarios::How::Custom(_) => s.run(LoopOptions::default()),
        };
        assert!(result.is_ok(), "{}: {:?}", s.name, result);
        assert_eq!(text(&transcript), s.golden, "{}", s.name);
    }
}

#[wasm_bindgen_test]
async fn a_long_run_hands_control_back_to_the_browser_every_few_milliseconds() {
    use looplab::prelude::*;
    // 60 iterations that each hold the thread for 1 ms of real work: at least 60 ms in all,
    // which the driver must split into slices of about 8 ms.
    let run = drive(
        Loop::new(LoopOptions::default()),
        Box::pin(async {
            for _ in 0..60 {
                let until = now_ms() + 1.0;
                while now_ms() < until {}
                sleep(0.0).await?;
            }
            Ok(())
        }),
    )
    .await;
    assert!(run.report.result.is_ok());
    assert!(run.host.turns.len() >= 60, "{} iterations", run.host.turns.len());
    assert!(
        run.host.macrotasks >= 5,
        "only {} macrotasks for 60 ms of work",
        run.host.macrotasks
    );
    // A slice ends at the first iteration boundary after 8 ms (each iteration here takes ~1 ms;
    // the margin absorbs a busy machine).
    assert!(
        run.host.longest_slice_ms < SLICE_MS + 30.0,
        "a slice took {} ms",
        run.host.longest_slice_ms
    );
    // Iterations go in order through the browser's turns: a microtask runs about a
    // millisecond of them (here one), and a new macrotask begins every slice.
    for pair in run.host.turns.windows(2) {
        assert!(pair[1].macrotask >= pair[0].macrotask && pair[1].microtask >= pair[0].microtask);
        assert_eq!(pair[1].iteration, pair[0].iteration + 1);
    }
    assert!(run.host.microtasks >= 30, "1 ms iterations run one microtask each");
}

#[wasm_bindgen_test]
async fn a_run_that_cannot_finish_reports_why_in_the_page() {
    let run = drive(
        Loop::new(LoopOptions::default()),
        Box::pin(async {
            let never: looplab::runtime::Future<()> = looplab::runtime::Future::new();
            never.await
        }),
    )
    .await;
    let err = run.report.result.unwrap_err();
    assert!(
        err.message().contains("every task waits and nothing is scheduled"),
        "{err:?}"
    );
}

#[wasm_bindgen_test]
async fn the_real_clock_waits_with_a_timer_and_never_blocks_the_page() {
    use looplab::prelude::*;
    use looplab::runtime::ClockKind;
    use std::rc::Rc;
    let clock = ClockKind::Real(Rc::new(|| now_ms() / 1000.0));
    let started = now_ms();
    let run = drive(
        Loop::new(LoopOptions {
            clock,
            ..LoopOptions::default()
        }),
        Box::pin(async {
            sleep(0.3).await?;
            log("woke");
            sleep(0.3).await
        }),
    )
    .await;
    assert!(run.report.result.is_ok());
    let elapsed = now_ms() - started;
    assert!(elapsed >= 600.0, "two real sleeps of 300 ms took {elapsed} ms");
    // Each wait ended a slice: the page got its turns back while the loop slept. A loop that
    // waited in a slice would hold the page for a whole sleep (300 ms); the bound leaves room for
    // a busy machine's preemptions (a slice of 43 ms was seen at a load average of 26).
    assert!(run.host.macrotasks >= 3, "{} macrotasks", run.host.macrotasks);
    assert!(
        run.host.longest_slice_ms < 150.0,
        "a slice held the page for {} ms",
        run.host.longest_slice_ms
    );
    assert!(
        run.report.transcript[0].ends_with(" Task-1 woke"),
        "{:?}",
        run.report.transcript
    );
}

/// The page's build (wasm, no Python lab) keeps CPython 3.11's rule as the native build does: a
/// task whose future raised its cancellation hands it out once, then a bare `CancelledError()`.
#[wasm_bindgen_test]
fn a_task_hands_out_its_cancellation_once_in_the_page_build() {
    use looplab::prelude::*;
    let shown = run(async {
        let t = spawn(async { sleep(5.0).await });
        sleep(0.0).await?;
        t.cancel_with("why");
        sleep(0.0).await?;
        let first = t.clone().await.unwrap_err().repr();
        let second = t.clone().await.unwrap_err().repr();
        Ok((first, second))
    })
    .unwrap();
    assert_eq!(shown, ("CancelledError('why')".into(), "CancelledError()".into()));
}

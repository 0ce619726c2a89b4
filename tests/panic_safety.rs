//! A panic in a task or a callback is a bug, not an exception of the program: it ends its loop's
//! run with an error that names the task and the message, it never hangs the run, and it leaves
//! nothing behind that would stop the next loop on the same thread.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::Cell;
use std::rc::Rc;

use looplab::prelude::*;
use looplab::runtime::Turn;
use looplab::{Loop, LoopOptions};

fn panicking_child() -> Result<(), Error> {
    run(async {
        let child = spawn_named("doomed", async {
            sleep(1.0).await?;
            if now() > 0.5 {
                panic!("the invariant broke");
            }
            Ok(())
        });
        child.await
    })
}

#[test]
fn a_panicking_task_fails_the_run_naming_the_task_and_the_message() {
    let error = panicking_child().unwrap_err();
    assert_eq!(error.kind(), "RuntimeError");
    assert_eq!(error.message(), "task doomed panicked: the invariant broke");
}

#[test]
fn the_next_loop_on_the_thread_runs_normally_after_a_panic() {
    assert!(panicking_child().is_err());
    // Without the guard on the running-loop marker this would fail with "asyncio.run() cannot
    // be called from a running event loop".
    assert_eq!(
        run(async {
            let t = spawn(async {
                sleep(0.5).await?;
                Ok(current_task_name().map(|n| n.to_string()))
            });
            t.await
        }),
        Ok(Some("Task-2".to_string()))
    );
}

#[test]
fn a_panicking_callback_fails_the_run_too() {
    let error = run(async {
        call_soon(|| -> Result<(), Error> { panic!("callback bug") });
        sleep(1.0).await
    })
    .unwrap_err();
    assert_eq!(error.message(), "a callback panicked: callback bug");
}

#[test]
fn a_panic_with_a_formatted_message_keeps_the_message() {
    let error = run(async {
        let n = 3;
        if now() == 0.0 {
            panic!("count was {n}");
        }
        Ok(())
    })
    .unwrap_err();
    assert_eq!(error.message(), "task Task-1 panicked: count was 3");
}

#[test]
fn a_hand_driven_run_reports_the_panic_once_then_is_over() {
    let lp = Loop::new(LoopOptions::default());
    lp.start(async {
        sleep(0.0).await?;
        panic!("second step");
        #[allow(unreachable_code)]
        Ok(())
    })
    .unwrap();
    assert_eq!(lp.run_once(), Ok(Turn::Ran));
    let error = lp.run_once().unwrap_err();
    assert_eq!(error.message(), "task Task-1 panicked: second step");
    assert!(lp.is_closed());
    assert_eq!(lp.run_once(), Ok(Turn::Finished));
}

#[test]
fn the_transcript_says_where_the_run_stopped_and_pending_tasks_are_not_reported_one_by_one() {
    let lp = Loop::new(LoopOptions {
        trace: true,
        ..LoopOptions::default()
    });
    let report = lp.run_report::<(), _>(async {
        for _ in 0..3 {
            spawn(sleep(10.0));
        }
        log("before");
        sleep(1.0).await?;
        panic!("boom");
    });
    assert!(report.result.is_err());
    assert_eq!(
        report.transcript,
        [
            "0.000 Task-1 before",
            "1.000 - looplab: task Task-1 panicked: boom; the run was stopped"
        ]
    );
    assert!(report.trace.is_some(), "the trace up to the panic is kept");
}

#[test]
fn a_panic_deep_in_a_gather_ends_the_whole_run_without_hanging() {
    let finished = Rc::new(Cell::new(false));
    let seen = finished.clone();
    let error = run(async move {
        let children: Vec<_> = (0..4)
            .map(|i| {
                spawn(async move {
                    sleep(i as f64).await?;
                    if i == 2 {
                        panic!("child {i}");
                    }
                    Ok(i)
                })
            })
            .collect();
        gather(children).await?;
        seen.set(true);
        Ok(())
    })
    .unwrap_err();
    assert_eq!(error.message(), "task Task-4 panicked: child 2");
    assert!(!finished.get(), "nothing ran after the panic");
}

#[test]
fn a_panic_while_dropping_the_rest_does_not_escape() {
    struct Bomb;
    impl Drop for Bomb {
        fn drop(&mut self) {
            if !std::thread::panicking() {
                panic!("drop bomb");
            }
        }
    }
    let error = run::<(), _>(async {
        spawn(async {
            let _bomb = Bomb;
            sleep(10.0).await
        });
        sleep(1.0).await?;
        panic!("first");
    })
    .unwrap_err();
    assert_eq!(error.message(), "task Task-1 panicked: first");
    assert_eq!(run(async { Ok(1) }), Ok(1), "and the thread is usable");
}

#[test]
fn closing_a_loop_from_inside_its_own_run_is_refused() {
    let lp = Rc::new(Loop::new(LoopOptions::default()));
    let inner = lp.clone();
    let refused = lp
        .run(async move {
            let refused = inner.close();
            Ok(refused)
        })
        .unwrap();
    assert_eq!(refused.unwrap_err().message(), "Cannot close a running event loop");
    assert_eq!(lp.close(), Ok(()), "from outside it closes");
}

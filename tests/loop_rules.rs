//! The loop's rules, each checked natively with the behaviour it names. (The same rules are
//! checked against CPython by the parity scenarios; these pin the details CPython does not
//! print: iterations, the trace, errors of misuse.)
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use looplab::prelude::*;
use looplab::runtime::{set_eager_tasks, ClockKind, Stall, Turn};
use looplab::trace::{EventKind, Outcome, Trace, Waker};
use looplab::{Loop, LoopOptions};

fn traced() -> Loop {
    Loop::new(LoopOptions {
        trace: true,
        ..LoopOptions::default()
    })
}

fn iteration_of(trace: &Trace, text: &str) -> u64 {
    trace
        .events
        .iter()
        .find(|e| matches!(&e.kind, EventKind::Log { text: t, .. } if t == text))
        .map(|e| e.iteration)
        .unwrap_or_else(|| panic!("no log line {text:?}"))
}

/// A transcript's lines without their time and task name.
fn texts_of(transcript: &[String]) -> Vec<&str> {
    transcript.iter().map(|l| l.splitn(3, ' ').nth(2).unwrap()).collect()
}

#[test]
fn run_returns_the_main_tasks_result() {
    assert_eq!(run(async { Ok(41 + 1) }), Ok(42));
    assert_eq!(
        run::<(), _>(async { Err(Error::new("ValueError", "bad")) }),
        Err(Error::new("ValueError", "bad"))
    );
}

#[test]
fn main_task_is_task_1_and_spawned_tasks_count_on() {
    let names = Rc::new(RefCell::new(Vec::new()));
    let seen = names.clone();
    run(async move {
        seen.borrow_mut().push(current_task_name().unwrap().to_string());
        let a = spawn(async { Ok(current_task_name().unwrap().to_string()) });
        let b = spawn_named("custom", async { Ok(current_task_name().unwrap().to_string()) });
        let c = spawn(async { Ok(current_task_name().unwrap().to_string()) });
        for t in [a, b, c] {
            let name = t.await?;
            seen.borrow_mut().push(name);
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(*names.borrow(), ["Task-1", "Task-2", "custom", "Task-4"]);
}

#[test]
fn each_loop_numbers_its_tasks_from_one() {
    for _ in 0..2 {
        let name = run(async { Ok(spawn(async { Ok(()) }).name().to_string()) }).unwrap();
        assert_eq!(name, "Task-2");
    }
}

#[test]
fn a_spawned_task_first_runs_in_the_next_iteration() {
    let lp = traced();
    lp.run(async {
        log("main before");
        let t = spawn(async {
            log("child first step");
            Ok(())
        });
        log("main after spawn");
        t.await
    })
    .unwrap();
    let trace = lp.trace().unwrap();
    assert_eq!(iteration_of(&trace, "main before"), 1);
    assert_eq!(iteration_of(&trace, "main after spawn"), 1);
    assert_eq!(iteration_of(&trace, "child first step"), 2);
}

#[test]
fn callbacks_scheduled_during_an_iteration_wait_for_the_next() {
    let lp = traced();
    lp.run(async {
        call_soon(|| {
            log("first");
            call_soon(|| log("scheduled by first"));
        });
        call_soon(|| log("second"));
        sleep(0.0).await?;
        sleep(0.0).await
    })
    .unwrap();
    let trace = lp.trace().unwrap();
    assert_eq!(iteration_of(&trace, "first"), 2);
    assert_eq!(iteration_of(&trace, "second"), 2);
    assert_eq!(iteration_of(&trace, "scheduled by first"), 3);
    assert_eq!(
        trace.transcript()[..3],
        ["0.000 - first", "0.000 - second", "0.000 - scheduled by first"]
    );
}

#[test]
fn sleep_zero_yields_for_exactly_one_iteration() {
    let lp = traced();
    lp.run(async {
        log("a");
        sleep(0.0).await?;
        log("b");
        sleep(-1.0).await?;
        log("c");
        Ok(())
    })
    .unwrap();
    let trace = lp.trace().unwrap();
    assert_eq!(
        [
            iteration_of(&trace, "a"),
            iteration_of(&trace, "b"),
            iteration_of(&trace, "c")
        ],
        [1, 2, 3]
    );
    assert_eq!(trace.end_time, 0.0);
}

#[test]
fn a_sleeping_task_resumes_the_iteration_after_its_timer_fires() {
    let lp = traced();
    lp.run(async {
        sleep(1.5).await?;
        log("woke");
        Ok(())
    })
    .unwrap();
    let trace = lp.trace().unwrap();
    let fired = trace
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::TimerFired { .. }))
        .unwrap();
    assert_eq!(fired.time, 1.5);
    assert_eq!(iteration_of(&trace, "woke"), fired.iteration + 1);
    let woken = trace
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Scheduled { by: Waker::Timer(_) }))
        .unwrap();
    assert_eq!(woken.task, Some(0));
}

#[test]
fn equal_deadlines_fire_in_heapq_order() {
    let order = Rc::new(RefCell::new(Vec::new()));
    let seen = order.clone();
    run(async move {
        for i in 0..5 {
            let seen = seen.clone();
            call_later(1.0, move || seen.borrow_mut().push(i));
        }
        sleep(2.0).await
    })
    .unwrap();
    // Five equal deadlines plus main's later one in the heap: CPython 3.11 runs them 0, 2, 1, 3, 4.
    assert_eq!(*order.borrow(), [0, 2, 1, 3, 4]);
}

#[test]
fn the_virtual_clock_jumps_without_waiting() {
    let started = std::time::Instant::now();
    let lp = Loop::new(LoopOptions::default());
    lp.run(async { sleep(3600.0).await }).unwrap();
    assert_eq!(lp.time(), 3600.0);
    assert!(started.elapsed().as_secs_f64() < 1.0);
}

#[test]
fn the_real_clock_really_waits() {
    let started = std::time::Instant::now();
    let lp = Loop::new(LoopOptions {
        clock: ClockKind::real_native(),
        ..LoopOptions::default()
    });
    lp.run(async { sleep(0.05).await }).unwrap();
    assert!(started.elapsed().as_secs_f64() >= 0.05);
    assert!(lp.time() >= 0.05);
}

#[test]
fn a_real_clock_loop_asks_its_host_to_wait_instead_of_blocking() {
    let lp = Loop::new(LoopOptions {
        clock: ClockKind::real_native(),
        ..LoopOptions::default()
    });
    lp.start(async { sleep(10.0).await }).unwrap();
    let mut turns = Vec::new();
    for _ in 0..4 {
        turns.push(lp.run_once().unwrap());
    }
    assert!(
        matches!(turns.last(), Some(Turn::Wait(t)) if (*t - 10.0).abs() < 0.5),
        "{turns:?}"
    );
}

#[test]
fn running_a_loop_inside_a_running_loop_fails_clearly() {
    let inner = run(async {
        let nested = run(async { Ok(1) });
        Ok(nested)
    })
    .unwrap();
    let err = inner.unwrap_err();
    assert_eq!(err.kind(), "RuntimeError");
    assert_eq!(
        err.message(),
        "asyncio.run() cannot be called from a running event loop"
    );
}

#[test]
fn a_loop_runs_only_once() {
    let lp = Loop::new(LoopOptions::default());
    lp.run(async { Ok(()) }).unwrap();
    let again = lp.run(async { Ok(()) }).unwrap_err();
    assert_eq!(again.message(), "Event loop is closed");
}

#[test]
fn spawn_outside_a_running_loop_gives_a_failed_task() {
    let task = spawn(async { Ok(1) });
    assert!(task.done());
    assert_eq!(task.result().unwrap().unwrap_err().message(), "no running event loop");
}

#[test]
fn a_run_where_every_task_waits_forever_is_reported_not_hung() {
    let lp = Loop::new(LoopOptions::default());
    let result = lp.run(async {
        let never: Future<()> = Future::new();
        never.await
    });
    let err = result.unwrap_err();
    assert!(
        err.message().contains("every task waits and nothing is scheduled"),
        "{err:?}"
    );
    assert!(err.message().contains("Task-1 awaits a future"), "{err:?}");
}

#[test]
fn a_run_that_never_ends_stops_at_the_iteration_limit() {
    let lp = Loop::new(LoopOptions {
        max_iterations: 1000,
        ..LoopOptions::default()
    });
    let err = lp
        .run(async {
            loop {
                sleep(0.0).await?;
            }
            #[allow(unreachable_code)]
            Ok(())
        })
        .unwrap_err();
    assert!(err.message().contains("stopped after 1000 loop iterations"), "{err:?}");
    let _ = Stall::IterationLimit;
}

#[test]
fn tasks_left_pending_when_main_returns_are_cancelled_and_finish_their_cleanup() {
    let lp = traced();
    lp.run(async {
        spawn_named("background", async {
            match sleep(100.0).await {
                Err(e) if e.is_cancelled() => {
                    log("background cancelled at shutdown");
                    Err(e)
                }
                other => other,
            }
        });
        sleep(1.0).await
    })
    .unwrap();
    let trace = lp.trace().unwrap();
    assert_eq!(lp.transcript(), ["1.000 background background cancelled at shutdown"]);
    assert_eq!(trace.task(1).unwrap().outcome, Some(Outcome::Cancelled));
    assert!(lp.is_closed());
}

#[test]
fn a_low_level_future_wakes_its_awaiters_in_order_one_iteration_later() {
    let lp = traced();
    lp.run(async {
        let fut: Future<&str> = Future::new();
        let waiters: Vec<_> = (0..3)
            .map(|i| {
                let fut = fut.clone();
                spawn(async move {
                    let v = fut.await?;
                    log(format!("waiter {i} got {v}"));
                    Ok(())
                })
            })
            .collect();
        sleep(1.0).await?;
        let setter = fut.clone();
        call_soon(move || {
            log("setting the result");
            let _ = setter.set_result("ready");
        });
        for w in waiters {
            w.await?;
        }
        Ok(())
    })
    .unwrap();
    let trace = lp.trace().unwrap();
    let set = iteration_of(&trace, "setting the result");
    for i in 0..3 {
        assert_eq!(iteration_of(&trace, &format!("waiter {i} got ready")), set + 1);
    }
    let lines = lp.transcript();
    assert_eq!(
        lines[1..],
        [
            "1.000 Task-2 waiter 0 got ready",
            "1.000 Task-3 waiter 1 got ready",
            "1.000 Task-4 waiter 2 got ready"
        ]
    );
}

#[test]
fn a_future_can_be_completed_only_once() {
    run(async {
        let fut: Future<u8> = Future::new();
        fut.set_exception(Error::new("ValueError", "first"))?;
        assert_eq!(fut.set_result(1).unwrap_err().kind(), "InvalidStateError");
        assert!(!fut.cancel());
        assert_eq!(fut.await.unwrap_err().repr(), "ValueError('first')");
        Ok(())
    })
    .unwrap();
}

#[test]
fn any_rust_future_can_be_awaited_inside_a_task() {
    let transcript = {
        let lp = traced();
        lp.run(async {
            let (tx, rx) = futures::channel::oneshot::channel::<u32>();
            call_later(0.5, move || {
                let _ = tx.send(7);
            });
            let value = rx.await.map_err(|_| Error::runtime("sender dropped"))?;
            log(format!("foreign future gave {value}"));
            Ok(())
        })
        .unwrap();
        let trace = lp.trace().unwrap();
        assert!(trace
            .events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Scheduled { by: Waker::Timer(_) })));
        lp.transcript()
    };
    assert_eq!(transcript, ["0.500 Task-1 foreign future gave 7"]);
}

#[test]
fn the_trace_records_every_kind_of_scheduling_event() {
    let lp = traced();
    lp.run(async {
        let t = spawn(async { sleep(1.0).await });
        sleep(0.5).await?;
        t.cancel();
        let _ = t.await;
        log("done");
        Ok(())
    })
    .unwrap();
    let trace = lp.trace().unwrap();
    let kinds: std::collections::BTreeSet<&str> = trace
        .events
        .iter()
        .map(|e| match e.kind {
            EventKind::Spawned { .. } => "spawned",
            EventKind::Renamed { .. } => "renamed",
            EventKind::Scheduled { .. } => "scheduled",
            EventKind::StepBegin => "step_begin",
            EventKind::StepEnd { .. } => "step_end",
            EventKind::Exited { .. } => "exited",
            EventKind::TimerSet { .. } => "timer_set",
            EventKind::TimerFired { .. } => "timer_fired",
            EventKind::TimerCancelled { .. } => "timer_cancelled",
            EventKind::ClockAdvanced { .. } => "clock_advanced",
            EventKind::CancelRequested { .. } => "cancel_requested",
            EventKind::Warning { .. } => "warning",
            EventKind::Log { .. } => "log",
        })
        .collect();
    for kind in [
        "spawned",
        "scheduled",
        "step_begin",
        "step_end",
        "exited",
        "timer_set",
        "timer_fired",
        "timer_cancelled",
        "clock_advanced",
        "cancel_requested",
        "log",
    ] {
        assert!(kinds.contains(kind), "no {kind} event in {kinds:?}");
    }
    // Every event is stamped: iterations never go backwards, nor does time.
    let events: Vec<_> = trace.events.iter().collect();
    for pair in events.windows(2) {
        assert!(pair[0].iteration <= pair[1].iteration && pair[0].time <= pair[1].time);
    }
    assert_eq!(trace.task(1).unwrap().outcome, Some(Outcome::Cancelled));
}

#[test]
fn the_transcript_derived_from_the_trace_equals_the_printed_one() {
    for demo in looplab::demos::DEMOS {
        let report = demo.run_traced();
        let from_trace = report.trace.unwrap().transcript();
        if demo.custom.is_some() {
            // A demo that drives several loops traces the first; its lines come first.
            assert_eq!(from_trace, report.transcript[..from_trace.len()], "{}", demo.id);
        } else {
            assert_eq!(from_trace, report.transcript, "{}", demo.id);
        }
    }
}

#[test]
fn the_json_trace_has_a_version_and_reads_back_whole() {
    let report = looplab::demos::find("sequential-vs-concurrent").unwrap().run_traced();
    let trace = report.trace.unwrap();
    let json = trace.to_json();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["tasks"][1]["name"], "A");
    assert_eq!(Trace::from_json(&json).unwrap(), trace);
    assert!(Trace::from_json(&json.replacen("\"version\": 1", "\"version\": 99", 1)).is_err());
}

#[test]
fn tracing_off_records_nothing_but_the_transcript() {
    let report = looplab::demos::find("mental-model")
        .unwrap()
        .run(LoopOptions::default());
    assert!(report.trace.is_none());
    assert_eq!(report.transcript.len(), 16);
}

/// Runs a demo on a loop driven by `run_once_pausable` that pauses whenever asked (every few
/// dozen handles); returns the report and how often it paused mid-iteration.
fn run_paused(demo: &looplab::demos::Demo, params: looplab::demos::Params) -> (looplab::runtime::RunReport<()>, usize) {
    let lp = Loop::new(demo.options(LoopOptions {
        trace: true,
        ..LoopOptions::default()
    }));
    let main = lp.start((demo.main)(params)).unwrap();
    let mut pauses = 0;
    let result = loop {
        match lp.run_once_pausable(|| true) {
            Ok(Turn::Ran) => pauses += usize::from(lp.in_iteration()),
            Ok(Turn::Finished) => break main.result().unwrap_or_else(|| Err(Error::runtime("not done"))),
            Ok(Turn::Stalled(stall)) => break Err(lp.abandon(stall)),
            Ok(Turn::Wait(_)) => unreachable!("the virtual clock never waits"),
            Err(e) => break Err(e),
        }
    };
    (lp.report(result), pauses)
}

#[test]
fn an_iteration_paused_part_way_goes_on_exactly_as_one_run_whole() {
    let mut paused = 0;
    for demo in looplab::demos::DEMOS.iter().filter(|d| d.custom.is_none()) {
        let whole = demo.run_traced();
        let (pieces, pauses) = run_paused(demo, demo.defaults());
        assert_eq!(pieces.transcript, whole.transcript, "{}", demo.id);
        assert_eq!(pieces.result, whole.result, "{}", demo.id);
        let json = |r: &looplab::runtime::RunReport<()>| serde_json::to_string(r.trace.as_ref().unwrap()).unwrap();
        assert!(json(&pieces) == json(&whole), "{}: the traces differ", demo.id);
        paused += pauses;
    }
    // One iteration runs a thousand first steps: it was paused many times.
    assert!(paused > 15, "{paused} pauses");
}

#[test]
fn the_trace_names_the_asyncio_call_each_wait_is_on() {
    let lp = traced();
    lp.run(async {
        let empty: Queue<i32> = Queue::new(1);
        let full: Queue<i32> = Queue::new(1);
        full.put_nowait(0)?;
        let unfinished: Queue<i32> = Queue::new(0);
        unfinished.put_nowait(0)?;
        unfinished.get_nowait()?;
        let lock = Lock::new();
        lock.acquire().await?;
        let event = Event::new();
        let condition = Condition::new();
        let semaphore = Semaphore::new(0);
        let readers = [StreamReader::new(), StreamReader::new(), StreamReader::new()];
        let fut: Future<i32> = Future::new();
        let waiting = vec![
            spawn_named("get", {
                let q = empty.clone();
                async move { q.get().await.map(drop) }
            }),
            spawn_named("put", {
                let q = full.clone();
                async move { q.put(1).await }
            }),
            spawn_named("join", {
                let q = unfinished.clone();
                async move { q.join().await }
            }),
            spawn_named("lock", {
                let l = lock.clone();
                async move { l.acquire().await.map(drop) }
            }),
            spawn_named("event", {
                let e = event.clone();
                async move { e.wait().await.map(drop) }
            }),
            spawn_named("condition", {
                let c = condition.clone();
                async move { c.run(async { c.wait().await.map(drop) }).await }
            }),
            spawn_named("semaphore", {
                let s = semaphore.clone();
                async move { s.acquire().await.map(drop) }
            }),
            spawn_named("read", {
                let r = readers[0].clone();
                async move { r.read(4).await.map(drop) }
            }),
            spawn_named("readline", {
                let r = readers[1].clone();
                async move { r.readline().await.map(drop) }
            }),
            spawn_named("readexactly", {
                let r = readers[2].clone();
                async move { r.readexactly(4).await.map(drop) }
            }),
            spawn_named("sleep", sleep(1.0)),
            spawn_named("shield", async { shield(sleep(1.0)).await }),
            spawn_named("wait_for", async { wait_for(sleep(1.0), Some(5.0)).await }),
            spawn_named("wait", async {
                wait(vec![spawn(sleep(1.0))], ReturnWhen::AllCompleted, None)
                    .await
                    .map(drop)
            }),
            spawn_named("as_completed", async {
                as_completed(vec![spawn(sleep(1.0))], None)
                    .next()
                    .await
                    .unwrap_or(Ok(()))
            }),
            spawn_named("group", task_group(|tg| async move { tg.spawn(sleep(1.0)).map(drop) })),
            spawn_named("thread", async { run_in_worker(1.0, || ()).await }),
            spawn_named("plain", {
                let f = fut.clone();
                async move { f.await.map(drop) }
            }),
        ];
        sleep(0.5).await?;
        empty.put_nowait(1)?;
        full.get_nowait()?;
        unfinished.task_done()?;
        lock.release()?;
        event.set();
        condition.run(async { condition.notify_all() }).await?;
        semaphore.release()?;
        for reader in &readers {
            reader.feed_data(b"four\n");
        }
        fut.set_result(1)?;
        for task in waiting {
            task.await?;
        }
        Ok(())
    })
    .unwrap();
    let trace = lp.trace().unwrap();
    // What each task awaited when it first suspended, as the trace says it.
    let tasks: Vec<_> = trace.tasks().collect();
    let first_wait = |name: &str| {
        let task = tasks
            .iter()
            .find(|t| t.name == *name)
            .unwrap_or_else(|| panic!("{name}"));
        trace
            .events
            .iter()
            .filter(|e| e.task == Some(task.id))
            .find_map(|e| match &e.kind {
                EventKind::StepEnd { awaiting: Some(a) } => Some(trace.describe_awaiting(a)),
                _ => None,
            })
            .unwrap_or_default()
    };
    for (task, awaited) in [
        ("get", "queue.get()"),
        ("put", "queue.put()"),
        ("join", "queue.join()"),
        ("lock", "lock.acquire()"),
        ("event", "event.wait()"),
        ("condition", "condition.wait()"),
        ("semaphore", "semaphore.acquire()"),
        ("read", "reader.read()"),
        ("readline", "reader.readuntil()"),
        ("readexactly", "reader.readexactly()"),
        ("sleep", "sleep()"),
        ("shield", "shield()"),
        ("wait_for", "wait_for()"),
        ("wait", "wait()"),
        ("as_completed", "as_completed()"),
        ("group", "TaskGroup.__aexit__()"),
        ("thread", "to_thread()"),
        ("plain", "a future"),
    ] {
        assert_eq!(first_wait(task), awaited, "{task}");
    }
}

#[test]
fn the_trace_knows_what_a_task_awaits_and_which_line_logged() {
    let lp = traced();
    lp.run(async {
        let child = spawn(sleep(1.0));
        log("waiting for the child");
        child.await
    })
    .unwrap();
    let trace = lp.trace().unwrap();
    let awaiting: Vec<Option<String>> = trace
        .events
        .iter()
        .filter(|e| e.task == Some(0))
        .filter_map(|e| match &e.kind {
            EventKind::StepEnd { awaiting } => Some(awaiting.as_ref().map(|a| trace.describe_awaiting(a))),
            _ => None,
        })
        .collect();
    assert_eq!(awaiting[0].as_deref(), Some("Task Task-2"));
    let at = trace.events.iter().find_map(|e| match &e.kind {
        EventKind::Log { at, .. } => trace.source(*at),
        _ => None,
    });
    let at = at.expect("a log line knows its source line");
    assert!(at.starts_with("tests/loop_rules.rs:"), "{at}");
    let timer_at = trace.events.iter().find_map(|e| match &e.kind {
        EventKind::TimerSet { at, .. } => trace.source(*at),
        _ => None,
    });
    assert!(timer_at.is_some_and(|a| a.starts_with("tests/loop_rules.rs:")));
    // One line logging many times is stored once.
    assert_eq!(trace.sources.len(), 2);
}

// The tests below pin what the mutation run (cargo-mutants on src/runtime/) found no test for.

#[test]
fn block_for_on_the_real_clock_holds_the_thread_that_long() {
    let lp = Loop::new(LoopOptions {
        clock: ClockKind::real_native(),
        ..LoopOptions::default()
    });
    let started = std::time::Instant::now();
    let (before, after) = lp
        .run(async {
            let before = now();
            block_for(0.05);
            Ok((before, now()))
        })
        .unwrap();
    assert!(started.elapsed().as_secs_f64() >= 0.05);
    assert!(after - before >= 0.05, "{before} .. {after}");
    assert!(after - before < 1.0, "{before} .. {after}");
}

#[test]
fn a_real_clock_starts_at_zero_whatever_its_source_reads() {
    let start = std::time::Instant::now();
    let lp = Loop::new(LoopOptions {
        // A source with another origin, as the page's `performance.now()` has.
        clock: ClockKind::Real(Rc::new(move || 1000.0 + start.elapsed().as_secs_f64())),
        ..LoopOptions::default()
    });
    let (first, slept) = lp
        .run(async {
            let first = now();
            sleep(0.02).await?;
            Ok((first, now()))
        })
        .unwrap();
    assert!((0.0..0.5).contains(&first), "{first}");
    assert!(slept - first >= 0.02 && slept < 1.0, "{first} .. {slept}");
}

#[test]
fn a_sleep_longer_than_a_day_moves_the_virtual_clock_a_day_at_a_time() {
    // asyncio's select never waits longer than a day (MAXIMUM_SELECT_TIMEOUT), and looptime's
    // clock moves by what the select waited: a long sleep takes one jump per day.
    let lp = traced();
    lp.run(async { sleep(2.5 * 86400.0).await }).unwrap();
    let trace = lp.trace().unwrap();
    let jumps: Vec<f64> = trace
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::ClockAdvanced { from } => Some(e.time - from),
            _ => None,
        })
        .collect();
    assert_eq!(jumps, [86400.0, 86400.0, 43200.0]);
    assert_eq!(lp.time(), 2.5 * 86400.0);
}

#[test]
fn a_seed_scales_each_delay_by_a_factor_from_0_9_to_1_1_and_leaves_due_timers_alone() {
    let deadlines = |seed: Option<u64>| {
        let lp = Loop::new(LoopOptions {
            trace: true,
            seed,
            ..LoopOptions::default()
        });
        lp.run(async {
            sleep(0.0).await?;
            let t = spawn(sleep(10.0));
            call_later(0.0, || ());
            sleep(1.0).await?;
            t.await
        })
        .unwrap();
        lp.trace()
            .unwrap()
            .events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::TimerSet { deadline, .. } => Some(deadline),
                _ => None,
            })
            .collect::<Vec<f64>>()
    };
    assert_eq!(deadlines(None), [0.0, 1.0, 10.0], "no seed: CPython's exact deadlines");
    let mut seen = Vec::new();
    for seed in 0..20 {
        let d = deadlines(Some(seed));
        assert_eq!(d[0], 0.0, "a timer due now stays due now");
        assert!((0.9..1.1).contains(&d[1]), "seed {seed}: {d:?}");
        assert!((9.0..11.0).contains(&d[2]), "seed {seed}: {d:?}");
        assert_eq!(deadlines(Some(seed)), d, "the same seed, the same deadlines");
        seen.push(d[1]);
    }
    seen.dedup();
    assert!(seen.len() > 10, "different seeds perturb differently: {seen:?}");
}

#[test]
fn an_await_dropped_before_its_future_finishes_leaves_no_wake_up_behind() {
    let lp = traced();
    lp.run(async {
        let never_first: Future<()> = Future::new();
        let setter = never_first.clone();
        call_later(2.0, move || setter.set_result(()));
        // Race the future against a sleep; the sleep wins and the future's await is dropped.
        let raced = futures::future::select(Box::pin(never_first), Box::pin(sleep(1.0))).await;
        assert!(matches!(raced, futures::future::Either::Right(_)));
        // `select` hands the unfinished future back: dropping it drops its await.
        drop(raced);
        log("the sleep won");
        // The future finishes at 2.0 while this task sleeps on: it must not be woken for it.
        sleep(5.0).await
    })
    .unwrap();
    let trace = lp.trace().unwrap();
    let steps: Vec<f64> = trace
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::StepBegin))
        .map(|e| e.time)
        .collect();
    assert_eq!(steps, [0.0, 1.0, 6.0], "no step at 2.0");
}

#[test]
fn a_task_dump_says_a_task_suspended_on_a_rust_future_awaits_a_rust_future() {
    let dump = run(async {
        let (sender, receiver) = futures::channel::oneshot::channel::<()>();
        let parked = spawn_named("parked", async move {
            receiver.await.map_err(|_| Error::runtime("dropped"))
        });
        let scheduled = spawn_named("scheduled", async { Ok(()) });
        sleep(0.0).await?;
        let _new = spawn_named("new", async { Ok(()) });
        let dump = looplab::runtime::debug::task_dump();
        let _ = sender.send(());
        parked.await?;
        scheduled.await?;
        Ok(dump)
    })
    .unwrap();
    assert_eq!(
        dump,
        ["Task-1: running", "new: ready", "parked: awaiting a Rust future"]
    );
}

#[test]
fn a_gather_of_children_of_different_types_names_them_in_task_dumps_and_the_await_graph() {
    use looplab::runtime::debug::{await_graph, task_dump};
    let (dump, graph) = run(async {
        let numbers = spawn_named("numbers", async {
            sleep(1.0).await?;
            Ok(1)
        });
        let words = spawn_named("words", async {
            sleep(1.0).await?;
            Ok("one".to_string())
        });
        let watcher = spawn(async {
            sleep(0.5).await?;
            Ok((task_dump(), await_graph()))
        });
        let (n, w) = looplab::gather!(numbers, words).await?;
        assert_eq!((n, w.as_str()), (1, "one"));
        watcher.await
    })
    .unwrap();
    assert!(
        dump.contains(&"Task-1: awaiting gather(Task numbers, Task words)".to_string()),
        "{dump:?}"
    );
    assert_eq!(
        graph[..3],
        [
            "Task-1 [awaiting gather(Task numbers, Task words)]",
            "  numbers [awaiting a future]",
            "  words [awaiting a future]"
        ],
        "{graph:?}"
    );
}

#[test]
fn a_task_woken_from_another_thread_is_scheduled_by_the_next_iteration() {
    // A Rust waker fired on another thread cannot touch the loop: it leaves a note in the
    // loop's inbox, which the next iteration reads (where asyncio reads I/O events).
    let lp = Loop::new(LoopOptions {
        trace: true,
        clock: ClockKind::real_native(),
        ..LoopOptions::default()
    });
    let got = lp
        .run(async {
            let (sender, receiver) = futures::channel::oneshot::channel::<u32>();
            let worker = std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(30));
                let _ = sender.send(42);
            });
            // Something for the loop to wait on meanwhile (it does not wait for other threads).
            let ticker = spawn(async {
                for _ in 0..200 {
                    sleep(0.005).await?;
                }
                Ok(())
            });
            let got = receiver.await.map_err(|_| Error::runtime("the sender was dropped"))?;
            ticker.cancel();
            let _ = worker.join();
            Ok(got)
        })
        .unwrap();
    assert_eq!(got, 42);
    let trace = lp.trace().unwrap();
    assert!(
        trace
            .events
            .iter()
            .any(|e| e.task == Some(0) && matches!(e.kind, EventKind::Scheduled { by: Waker::External })),
        "the main task was woken from outside"
    );
}

#[test]
fn a_warning_a_host_reports_is_a_warning_event_of_the_current_task_not_a_transcript_line() {
    let lp = traced();
    let result = lp.run(async {
        let helper = spawn_named("helper", async {
            looplab::runtime::record_warning("coroutine 'work' was never awaited");
            Ok(())
        });
        helper.await
    });
    assert_eq!(result, Ok(()));
    let trace = lp.trace().unwrap();
    let warnings: Vec<(String, String)> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Warning { text } => {
                let task = e.task.and_then(|id| trace.task(id)).map(|t| t.name.to_string());
                Some((task.unwrap_or_default(), text.to_string()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        warnings,
        [("helper".to_string(), "coroutine 'work' was never awaited".to_string())]
    );
    assert!(lp.report(Ok(())).transcript.is_empty());
}

#[test]
fn a_perturbation_seed_scales_each_delay_within_a_tenth_either_way() {
    for seed in 0..20 {
        let lp = Loop::new(LoopOptions {
            seed: Some(seed),
            ..LoopOptions::default()
        });
        let woke = lp
            .run(async {
                sleep(10.0).await?;
                let start = now();
                sleep(1.0).await?;
                Ok((start, now()))
            })
            .unwrap();
        let (start, end) = woke;
        assert!(
            (9.0..11.0).contains(&start),
            "seed {seed}: the first sleep ended at {start}"
        );
        let slept = end - start;
        assert!((0.9..1.1).contains(&slept), "seed {seed}: a 1 s sleep took {slept}");
    }
}

#[test]
fn pausing_whenever_asked_ends_a_run_in_the_same_iteration_as_running_it_whole() {
    // Main makes `children` tasks and returns: the next iteration runs their steps and main's
    // stop, `children + 1` handles, around multiples of the 64 after which a pause is asked for
    // (an iteration that ends just as it is asked must still stop the run).
    for children in [62, 63, 64, 127, 1023, 1999] {
        let program = move || async move {
            for _ in 0..children {
                spawn(async { Ok(()) });
            }
            Ok(())
        };
        let whole = Loop::new(LoopOptions::default());
        whole.run(program()).unwrap();
        let paused = Loop::new(LoopOptions::default());
        let _main = paused.start(program()).unwrap();
        let mut calls = 0;
        loop {
            calls += 1;
            match paused.run_once_pausable(|| true).unwrap() {
                Turn::Ran => {}
                Turn::Finished => break,
                other => panic!("{children} children: {other:?} after {calls} calls"),
            }
            assert!(calls < 100, "{children} children: the run does not end");
        }
        assert_eq!(paused.iteration(), whole.iteration(), "{children} children");
    }
}

/// The times at which `task` began a step.
fn steps_of(trace: &Trace, task: looplab::trace::TaskId) -> Vec<f64> {
    trace
        .events
        .iter()
        .filter(|e| e.task == Some(task) && matches!(e.kind, EventKind::StepBegin))
        .map(|e| e.time)
        .collect()
}

#[test]
fn a_sleep_dropped_before_its_deadline_leaves_no_timer_behind() {
    let lp = traced();
    lp.run(async {
        let first: Future<()> = Future::new();
        let setter = first.clone();
        call_later(1.0, move || setter.set_result(()));
        // The future wins the race; the 3-second sleep is dropped unfinished.
        let raced = futures::future::select(Box::pin(first), Box::pin(sleep(3.0))).await;
        assert!(matches!(raced, futures::future::Either::Left(_)));
        drop(raced);
        sleep(5.0).await
    })
    .unwrap();
    let trace = lp.trace().unwrap();
    assert!(
        trace.events.iter().all(|e| e.time != 3.0),
        "nothing happens at the dropped sleep's deadline: {:?}",
        trace.events.iter().filter(|e| e.time == 3.0).collect::<Vec<_>>()
    );
    let main = trace.events.iter().find_map(|e| e.task).unwrap();
    assert_eq!(steps_of(&trace, main), [0.0, 1.0, 6.0]);
}

#[test]
fn an_await_on_a_task_dropped_before_it_finishes_leaves_no_wake_up_behind() {
    let lp = traced();
    let (main, child) = lp
        .run(async {
            let child = spawn(async { sleep(2.0).await });
            let child_id = child.id();
            let raced = futures::future::select(Box::pin(child), Box::pin(sleep(1.0))).await;
            assert!(matches!(raced, futures::future::Either::Right(_)));
            drop(raced);
            // The child finishes at 2.0 while this task sleeps on: it must not be woken for it.
            sleep(5.0).await?;
            Ok((current_task().unwrap().id(), child_id))
        })
        .unwrap();
    let trace = lp.trace().unwrap();
    assert_eq!(steps_of(&trace, child), [0.0, 2.0]);
    assert_eq!(steps_of(&trace, main), [0.0, 1.0, 6.0], "no step at 2.0");
}

#[test]
fn a_wait_cancelled_before_its_timeout_cancels_its_timer() {
    let lp = traced();
    lp.run(async {
        let never: Future<()> = Future::new();
        let waiting = spawn(async move { wait(vec![never], ReturnWhen::AllCompleted, Some(3.0)).await.map(|_| ()) });
        sleep(1.0).await?;
        waiting.cancel();
        sleep(5.0).await
    })
    .unwrap();
    let trace = lp.trace().unwrap();
    let set: Vec<u64> = trace
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TimerSet {
                timer, deadline: 3.0, ..
            } => Some(timer),
            _ => None,
        })
        .collect();
    assert_eq!(set.len(), 1, "the wait's timeout timer");
    assert!(trace
        .events
        .iter()
        .any(|e| e.kind == EventKind::TimerCancelled { timer: set[0] }));
    assert!(trace.events.iter().all(|e| e.time != 3.0), "nothing happens at 3.0");
}

#[test]
fn a_wait_that_times_out_leaves_the_childs_other_waiters_and_callbacks_in_place() {
    let report = Loop::new(LoopOptions::default()).run_report(async {
        let child = spawn(async {
            sleep(2.0).await?;
            Ok("c")
        });
        child.add_done_callback(|t| log(format!("callback {}", t.result().unwrap().unwrap())));
        let awaited = child.clone();
        let awaiter = spawn(async move {
            let got = awaited.await?;
            log(format!("awaiter got {got}"));
            Ok(())
        });
        let (done, pending) = wait(vec![child], ReturnWhen::AllCompleted, Some(1.0)).await?;
        log(format!("wait: {} done, {} pending", done.len(), pending.len()));
        awaiter.await
    });
    assert_eq!(report.result, Ok(()));
    assert_eq!(
        report.transcript,
        [
            "1.000 Task-1 wait: 0 done, 1 pending",
            "2.000 - callback c",
            "2.000 Task-3 awaiter got c"
        ]
    );
}

#[test]
fn wait_first_exception_does_not_count_a_cancelled_child_as_failed() {
    run(async {
        let cancelled = spawn(async { sleep(5.0).await });
        let failing = spawn(async {
            sleep(2.0).await?;
            Err::<(), _>(Error::new("ValueError", "x"))
        });
        let to_cancel = cancelled.clone();
        call_later(1.0, move || {
            to_cancel.cancel();
        });
        let (done, pending) = wait(vec![cancelled, failing], ReturnWhen::FirstException, None).await?;
        assert_eq!((now(), done.len(), pending.len()), (2.0, 2, 0));
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_timer_one_clock_resolution_ahead_waits_for_a_later_iteration() {
    // asyncio's `_run_once` moves to the ready queue only the timers due before
    // `time() + clock_resolution` (1 ns): one due exactly then waits while callbacks go on.
    let lines = Loop::new(LoopOptions::default()).run_report(async {
        call_at(now() + 1e-9, || log("the timer"));
        call_soon(|| {
            log("soon");
            call_soon(|| log("soon again"));
        });
        sleep(1.0).await
    });
    let texts = texts_of(&lines.transcript);
    assert_eq!(texts, ["soon", "soon again", "the timer"]);
}

#[test]
fn a_timer_already_due_runs_without_moving_the_clock() {
    let lp = traced();
    let seen = lp
        .run(async {
            let at = Rc::new(RefCell::new(None));
            let record = at.clone();
            let t = now();
            call_later(0.0, move || *record.borrow_mut() = Some(now()));
            sleep(1.0).await?;
            let seen = at.borrow().unwrap();
            Ok((t, seen))
        })
        .unwrap();
    assert_eq!(seen.0, seen.1, "the callback sees the time it was due at");
    let advances: Vec<f64> = lp
        .trace()
        .unwrap()
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::ClockAdvanced { from } => Some(from),
            _ => None,
        })
        .collect();
    assert_eq!(advances, [0.0], "one jump, to the sleep's deadline");
}

/// A Rust future that is pending when first polled (without waking anyone), wakes its task
/// and is pending when polled again, and is ready the third time.
fn pending_then_self_waking() -> impl std::future::Future<Output = ()> {
    let mut polls = 0;
    std::future::poll_fn(move |cx| {
        polls += 1;
        match polls {
            1 => std::task::Poll::Pending,
            2 => {
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
            _ => std::task::Poll::Ready(()),
        }
    })
}

#[test]
fn a_cancellation_a_rust_future_cannot_take_is_raised_by_the_next_looplab_await() {
    let report = Loop::new(LoopOptions::default()).run_report(async {
        // Thrown in while the task waits on a Rust future that then wakes itself: the
        // cancellation is kept through that step and the next, and the sleep raises it.
        let parked = spawn(async {
            pending_then_self_waking().await;
            log("the Rust future is done");
            sleep(1.0).await?;
            log("not cancelled");
            Ok(())
        });
        sleep(0.0).await?;
        parked.cancel();
        log(format!(
            "parked cancelled: {}",
            parked.clone().await.unwrap_err().is_cancelled()
        ));
        // Requested by the task itself in a step that ends on a self-waking Rust future.
        let own = spawn(async {
            current_task().unwrap().cancel();
            let mut woken = false;
            std::future::poll_fn(move |cx| {
                if woken {
                    std::task::Poll::Ready(())
                } else {
                    woken = true;
                    cx.waker().wake_by_ref();
                    std::task::Poll::Pending
                }
            })
            .await;
            sleep(1.0).await?;
            log("not cancelled");
            Ok(())
        });
        log(format!(
            "own cancelled: {}",
            own.clone().await.unwrap_err().is_cancelled()
        ));
        Ok(())
    });
    assert_eq!(report.result, Ok(()));
    let texts = texts_of(&report.transcript);
    assert_eq!(
        texts,
        [
            "the Rust future is done",
            "parked cancelled: true",
            "own cancelled: true"
        ]
    );
}

#[test]
fn a_thrown_cancellation_is_raised_by_an_await_of_a_task_already_done() {
    // An await of a finished task answers without asking the loop much, except in a step that
    // carries a cancellation thrown in: there it raises it, as `await` on a done future in a
    // coroutine thrown into does. An eager task started in such a step, before the step's first
    // looplab await, does not take that cancellation: its own await of a done task returns.
    let report = Loop::new(LoopOptions::default()).run_report(async {
        let done = spawn(async { Ok(5u32) });
        sleep(0.0).await?;
        let (d1, d2) = (done.clone(), done.clone());
        let parked = spawn(async move {
            pending_then_self_waking().await;
            set_eager_tasks(true);
            let eager = spawn(async move {
                let five = d1.await?;
                log(format!("eager task got {five}"));
                Ok(())
            });
            set_eager_tasks(false);
            log(format!("eager task done: {}", eager.done()));
            let five = d2.await?;
            log(format!("not cancelled: {five}"));
            Ok(())
        });
        sleep(0.0).await?;
        parked.cancel();
        log(format!(
            "parked cancelled: {}",
            parked.clone().await.unwrap_err().is_cancelled()
        ));
        log(format!("done gives {}", done.await?));
        Ok(())
    });
    assert_eq!(report.result, Ok(()));
    let texts = texts_of(&report.transcript);
    assert_eq!(
        texts,
        [
            "eager task got 5",
            "eager task done: true",
            "parked cancelled: true",
            "done gives 5"
        ]
    );
}

#[test]
fn a_rust_waker_schedules_its_task_at_once_while_another_loop_lives_on_the_thread() {
    // Woken on the loop's own thread, a task is scheduled at once (like `call_soon`), ahead of
    // a callback scheduled after the wake-up; that holds when a newer loop exists too.
    let first = Loop::new(LoopOptions::default());
    let second = Loop::new(LoopOptions::default());
    let report = first.run_report(async {
        let (sender, receiver) = futures::channel::oneshot::channel::<u8>();
        let receiving = spawn(async move {
            let got = receiver.await.map_err(|_| Error::runtime("dropped"))?;
            log(format!("received {got}"));
            Ok(())
        });
        sleep(0.0).await?;
        sender.send(7).unwrap();
        call_soon(|| log("callback"));
        receiving.await
    });
    assert_eq!(report.result, Ok(()));
    let texts = texts_of(&report.transcript);
    assert_eq!(texts, ["received 7", "callback"]);
    drop(second);
}

#[test]
fn a_task_cancelled_while_it_yields_at_sleep_zero_raises_there() {
    // `sleep(0)` is a bare `yield`: the task has no future to cancel, so `cancel()` throws the
    // cancellation into its next step, at that `sleep(0)`. CPython 3.11 prints "cancelled at
    // sleep(0)", then "main: cancelled True", for the same program.
    let report = Loop::new(LoopOptions::default()).run_report(async {
        let sleeper = spawn(async {
            match sleep(0.0).await {
                Ok(()) => {
                    log("not cancelled");
                    Ok(())
                }
                Err(e) => {
                    log(format!("cancelled at sleep(0): {}", e.is_cancelled()));
                    Err(e)
                }
            }
        });
        sleep(0.0).await?;
        sleeper.cancel();
        let outcome = sleeper.clone().await;
        log(format!("main: cancelled {} {}", outcome.is_err(), sleeper.cancelled()));
        Ok(())
    });
    assert_eq!(report.result, Ok(()));
    let texts = texts_of(&report.transcript);
    assert_eq!(texts, ["cancelled at sleep(0): true", "main: cancelled true true"]);
}

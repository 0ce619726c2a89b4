//! The API as a user of the crate meets it: each test names a behaviour a program written from
//! the docs relies on (issue 13's stumbles), and fails without it.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

use looplab::prelude::*;

/// Runs this test binary again with only `test` selected, its output not captured, with
/// `LOOPLAB_API_CHILD` set: the child runs the program, the parent reads what it printed.
fn stdout_of_child(test: &str) -> String {
    let output = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env("LOOPLAB_API_CHILD", "1")
        .output()
        .expect("the test binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn run_prints_each_transcript_line_as_python_print_would() {
    if std::env::var_os("LOOPLAB_API_CHILD").is_some() {
        let result = run(async {
            log("hello");
            sleep(1.5).await?;
            spawn(async { Err::<(), _>(Error::new("ValueError", "lost")) });
            sleep(0.0).await?;
            log("world");
            Ok(7)
        });
        assert_eq!(result, Ok(7));
        return;
    }
    let printed = stdout_of_child("run_prints_each_transcript_line_as_python_print_would");
    // The test harness writes its own lines around (and its "test ... " before) the program's.
    let at = |line: &str| {
        printed
            .find(line)
            .unwrap_or_else(|| panic!("{line:?} not in {printed:?}"))
    };
    let hello = at("0.000 Task-1 hello\n");
    let warning = at("1.500 - Task exception was never retrieved (Task-2): ValueError('lost')\n");
    let world = at("1.500 Task-1 world\n");
    assert!(hello < warning && warning < world, "{printed}");
}

#[test]
fn run_report_gives_the_transcript_and_prints_nothing() {
    if std::env::var_os("LOOPLAB_API_CHILD").is_some() {
        let report = run_report(async {
            log("quiet");
            Ok(())
        });
        assert_eq!(report.transcript, ["0.000 Task-1 quiet"]);
        return;
    }
    let printed = stdout_of_child("run_report_gives_the_transcript_and_prints_nothing");
    assert!(!printed.contains("quiet"), "{printed}");
}

#[test]
fn try_spawn_outside_a_loop_is_a_runtime_error_and_inside_a_task() {
    let error = try_spawn(async { Ok(()) }).unwrap_err();
    assert_eq!(error.repr(), "RuntimeError('no running event loop')");
    // `spawn` gives a task already failed with the same error instead.
    assert_eq!(spawn(async { Ok(()) }).exception(), Some(error));
    let name = run(async {
        let task = try_spawn(async { Ok(()) })?;
        Ok(task.name())
    });
    assert_eq!(name.unwrap().as_ref(), "Task-2");
}

#[test]
fn attempt_names_the_blocks_failure_type_so_question_marks_compile() {
    let report = run_report(async {
        // Without `attempt` this block needs its type written out (E0282).
        let outcome = attempt(async {
            sleep(1.0).await?;
            Err(Error::new("ValueError", "boom"))?;
            log("not reached");
            Ok(())
        })
        .await;
        if let Err(e) = outcome {
            log(format!("caught {}", e.repr()));
        }
        Ok(())
    });
    assert_eq!(report.transcript, ["1.000 Task-1 caught ValueError('boom')"]);
}

#[test]
fn gather_macro_counts_a_task_passed_twice_once_and_repeats_its_result() {
    let result = run(async {
        let t = spawn(async { Ok(3) });
        let (a, b, c) = gather!(t.clone(), t, async { Ok("four") }).await?;
        Ok((a, b, c))
    });
    assert_eq!(result, Ok((3, 3, "four")));
}

#[test]
fn cancelling_a_gather_macro_cancels_its_children() {
    run(async {
        let child = spawn(async { sleep(5.0).await.map(|_| 1) });
        let gathering = gather!(child.clone(), sleep(5.0));
        sleep(0.0).await?;
        assert!(gathering.cancel());
        let outcome = gathering.await;
        assert!(outcome.unwrap_err().is_cancelled());
        assert!(child.cancelled());
        Ok(())
    })
    .unwrap();
}

#[test]
fn as_completed_spawns_coroutines_when_first_advanced_in_argument_order() {
    let report = run_report(async {
        async fn call(name: &'static str, seconds: f64) -> Result<&'static str, Error> {
            sleep(seconds).await?;
            Ok(name)
        }
        let mut it = as_completed(vec![call("slow", 2.0), call("fast", 1.0)], None);
        log(format!("tasks before the first next: {}", all_tasks().len()));
        while let Some(outcome) = it.next().await {
            log(outcome?);
        }
        let names: Vec<String> = all_tasks().iter().map(|t| t.name().to_string()).collect();
        log(format!("left: {names:?}"));
        Ok(())
    });
    assert_eq!(
        report.transcript,
        [
            "0.000 Task-1 tasks before the first next: 1",
            "1.000 Task-1 fast",
            "2.000 Task-1 slow",
            "2.000 Task-1 left: [\"Task-1\"]",
        ]
    );
}

#[test]
fn awaitables_given_to_gather_are_not_wrapped_in_new_tasks() {
    run(async {
        let task = spawn(async { Ok(1) });
        let future: Future<u8> = Future::new();
        let either = looplab::runtime::TaskOrFuture::Task(spawn(async { Ok(2) }));
        let set = future.clone();
        call_soon(move || set.set_result(9));
        let before = all_tasks().len();
        let gathering = gather(vec![task]);
        let mixed = gather!(future, either);
        assert_eq!(all_tasks().len(), before, "no task was made for a task or a future");
        let (f, e) = mixed.await?;
        assert_eq!((gathering.await?, f, e), (vec![1], 9, 2));
        Ok(())
    })
    .unwrap();
}

/// The doc comment (and attributes) right above line `at` of `source`.
fn doc_above(source: &str, at: usize) -> Vec<&str> {
    let lines: Vec<&str> = source.lines().collect();
    lines[..at]
        .iter()
        .rev()
        .map(|l| l.trim_start())
        .take_while(|l| l.starts_with("///") || l.starts_with("#["))
        .collect()
}

#[test]
fn every_prelude_item_has_an_example_that_runs_as_a_doctest() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let prelude = lib
        .split("pub mod prelude {")
        .nth(1)
        .and_then(|p| p.split("\n}").next())
        .unwrap();
    let names: Vec<&str> = prelude
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty() && !["pub", "use", "crate", "pyfmt", "runtime"].contains(w))
        .collect();
    assert!(names.len() > 50, "{names:?}");
    // The prelude takes from the runtime and from pyfmt (the macros are in the runtime too).
    let mut sources = vec![std::fs::read_to_string(root.join("src/pyfmt.rs")).unwrap()];
    for entry in std::fs::read_dir(root.join("src/runtime")).unwrap() {
        sources.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    // `pub use x::original as name` defines `name` where `original` is.
    let original = |name: &str| -> String {
        for source in &sources {
            for line in source.lines() {
                if let Some(path) = line.trim().strip_suffix(&format!(" as {name};")) {
                    if let Some(original) = path.rsplit("::").next() {
                        return original.to_string();
                    }
                }
            }
        }
        name.to_string()
    };
    let mut missing = Vec::new();
    for name in names {
        let defined = original(name);
        let heads = [
            "pub fn ",
            "pub async fn ",
            "pub struct ",
            "pub enum ",
            "pub trait ",
            "pub type ",
            "macro_rules! ",
        ];
        let mut definitions = Vec::new();
        for source in &sources {
            for (at, line) in source.lines().enumerate() {
                let defines = heads.iter().any(|head| {
                    line.strip_prefix(head)
                        .and_then(|rest| rest.strip_prefix(defined.as_str()))
                        .is_some_and(|rest| rest.starts_with(['<', '(', ' ', ';', ':']))
                });
                if defines {
                    definitions.push(doc_above(source, at));
                }
            }
        }
        let documented = !definitions.is_empty()
            && definitions
                .iter()
                .all(|doc| doc.contains(&"/// # Examples") && doc.contains(&"/// ```"));
        if !documented {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "prelude items without a runnable example: {missing:?}"
    );
}

#[test]
fn lock_and_semaphore_run_release_however_the_block_ends() {
    run(async {
        let lock = Lock::new();
        let sem = Semaphore::new(1);
        let failed = lock
            .run(async {
                assert!(lock.locked());
                sem.run(async { Err::<(), _>(Error::new("ValueError", "inside")) })
                    .await
            })
            .await;
        assert_eq!(failed.unwrap_err().repr(), "ValueError('inside')");
        assert!(!lock.locked() && !sem.locked(), "both released after the failure");
        Ok(())
    })
    .unwrap();
}

#[test]
fn sleep_with_result_gives_the_result_after_the_delay() {
    assert_eq!(
        run(async { Ok((sleep(1.5).with_result("late").await?, now())) }),
        Ok(("late", 1.5))
    );
}

#[test]
fn a_gather_macro_says_whether_it_is_done_and_refuses_a_cancel_once_done() {
    run(async {
        let gathering = gather!(sleep(1.0), async { Ok(2) });
        assert!(!gathering.done());
        let settled = gather_settled!(sleep(1.0), async { Ok(2) });
        assert!(!settled.done());
        let keep = spawn(async move {
            let results = gathering.await;
            Ok(results.is_ok())
        });
        sleep(2.0).await?;
        assert!(keep.await?);
        assert!(settled.done());
        assert!(!settled.cancel(), "a done gather accepts no cancel");
        let (first, second) = settled.await?;
        assert_eq!((first, second), (Ok(()), Ok(2)));
        let done_one = gather!(async { Ok(1) });
        sleep(0.0).await?;
        sleep(0.0).await?;
        assert!(done_one.done());
        assert!(!done_one.cancel());
        Ok(())
    })
    .unwrap();
}

#[test]
fn cancelling_a_settled_gather_macro_cancels_its_children_and_raises_the_cancellation() {
    run(async {
        let child = spawn(async { sleep(5.0).await.map(|_| 1) });
        let settled = gather_settled!(child.clone(), sleep(5.0));
        sleep(0.0).await?;
        assert!(settled.cancel());
        // As asyncio's: the gather was cancelled, so it raises CancelledError even though it
        // returns exceptions.
        assert!(settled.await.unwrap_err().is_cancelled());
        assert!(child.cancelled());
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_future_cancelled_with_a_message_says_so_once_and_its_callbacks_run_an_iteration_later() {
    let report = run_report(async {
        let future: Future<u32> = Future::new();
        future.add_done_callback(|f: &Future<u32>| {
            log(format!("callback: cancelled {}", f.cancelled()));
        });
        assert_eq!(future.exception(), None, "not done: no exception");
        assert!(future.cancel_with("enough"));
        assert!(!future.cancel_with("again"), "already done");
        assert!(!future.cancel());
        log("cancelled it");
        let error = future.exception().expect("a cancelled future has its cancellation");
        assert!(error.is_cancelled());
        assert_eq!(error.message(), "enough");
        sleep(0.0).await?;
        let failed: Future<u32> = Future::new();
        failed.set_exception(Error::new("ValueError", "bad"))?;
        assert_eq!(failed.exception(), Some(Error::new("ValueError", "bad")));
        let fine: Future<u32> = Future::new();
        fine.set_result(3)?;
        assert_eq!(fine.exception(), None);
        Ok(())
    });
    assert_eq!(report.result, Ok(()));
    assert_eq!(
        report.transcript,
        ["0.000 Task-1 cancelled it", "0.000 - callback: cancelled true"]
    );
}

#[test]
fn a_paused_iteration_says_it_is_unfinished_until_its_rest_has_run() {
    let lp = looplab::Loop::new(looplab::LoopOptions::default());
    let _main = lp
        .start(async {
            for _ in 0..3000 {
                spawn(async { Ok(()) });
            }
            sleep(0.0).await?;
            Ok(())
        })
        .unwrap();
    assert!(!lp.in_iteration());
    lp.run_once().unwrap();
    // The next iteration runs 3,000 steps: paused when first asked, after some of them.
    lp.run_once_pausable(|| true).unwrap();
    assert!(lp.in_iteration());
    while lp.in_iteration() {
        lp.run_once_pausable(|| false).unwrap();
    }
    assert!(!lp.in_iteration());
}

#[test]
fn a_warning_hook_takes_the_loops_warnings_out_of_the_transcript() {
    let heard = std::rc::Rc::new(std::cell::RefCell::new(Vec::<String>::new()));
    let lp = looplab::Loop::new(looplab::LoopOptions {
        max_iterations: 5,
        ..Default::default()
    });
    let sink = heard.clone();
    lp.set_warning_hook(move |message| sink.borrow_mut().push(message.to_string()));
    let report = lp.run_report(async {
        loop {
            sleep(0.0).await?;
        }
        #[allow(unreachable_code)]
        Ok(())
    });
    assert!(report.result.is_err());
    let heard = heard.borrow();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert!(heard[0].starts_with("looplab: the run was stopped"), "{heard:?}");
    assert!(
        report
            .transcript
            .iter()
            .all(|line| !line.contains("the run was stopped")),
        "{:?}",
        report.transcript
    );
}

#[test]
fn a_task_ref_tells_a_host_what_the_task_does_and_how_it_ended() {
    run(async {
        let sleeper = spawn_named("sleeper", async { sleep(5.0).await });
        let waiter_of = sleeper.clone();
        let waiter = spawn_named("waiter", waiter_of);
        let done = spawn_named("done", async { Ok(1) });
        sleep(0.0).await?;
        let (s, w, d) = (sleeper.as_ref(), waiter.as_ref(), done.as_ref());
        assert_ne!(s.id(), w.id());
        assert_eq!(s.id(), sleeper.id());
        assert_eq!(w.awaiting().as_deref(), Some("Task sleeper"));
        assert_eq!(d.awaiting(), None);
        assert_eq!((s.done(), s.cancelled()), (false, false));
        assert_eq!((d.done(), d.cancelled()), (true, false));
        assert_eq!(format!("{s:?}"), "<Task name='sleeper'>");
        assert_eq!(format!("{sleeper:?}"), "<Task pending name='sleeper'>");
        assert_eq!(format!("{done:?}"), "<Task finished name='done'>");
        s.cancel();
        sleep(0.0).await?;
        assert_eq!((s.done(), s.cancelled()), (true, true));
        assert_eq!(format!("{sleeper:?}"), "<Task cancelled name='sleeper'>");
        Ok(())
    })
    .unwrap();
}

#[test]
fn uncancel_says_how_many_cancellation_requests_remain() {
    run(async {
        let task = spawn(async { sleep(5.0).await });
        let other = task.as_ref();
        task.cancel();
        task.cancel();
        other.cancel();
        assert_eq!(task.cancelling(), 3);
        assert_eq!(task.uncancel(), 2);
        assert_eq!(other.uncancel(), 1);
        assert_eq!(task.uncancel(), 0);
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_host_takes_a_tasks_unretrieved_failure_once_through_a_weak_handle() {
    run(async {
        let failing = spawn_named("failing", async { Err::<(), _>(Error::new("ValueError", "lost")) });
        let weak = failing.as_ref().downgrade();
        sleep(0.0).await?;
        let strong = weak.upgrade().expect("the task is still alive");
        assert_eq!(strong.name().as_ref(), "failing");
        assert_eq!(
            strong.take_unretrieved_exception().map(|e| e.repr()).as_deref(),
            Some("ValueError('lost')")
        );
        assert_eq!(strong.take_unretrieved_exception(), None);
        drop((strong, failing));
        assert!(weak.upgrade().is_none());
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_timeout_entered_and_exited_by_hand_cancels_the_block_at_its_deadline() {
    let report = run_report(async {
        let deadline = timeout(Some(1.0));
        deadline.enter_current()?;
        let block = sleep(5.0).await;
        let outcome = deadline.exit_current(block);
        log(outcome.unwrap_err().repr());
        // Entered twice: CPython's "Timeout has already been entered".
        let again = timeout(Some(1.0));
        again.enter_current()?;
        log(again.enter_current().unwrap_err().repr());
        again.exit_current(Ok(()))
    });
    assert_eq!(report.result, Ok(()));
    assert_eq!(report.transcript[0], "1.000 Task-1 TimeoutError()");
    assert_eq!(report.transcript.len(), 2, "{:?}", report.transcript);
    assert!(report.transcript[1].contains("RuntimeError"), "{:?}", report.transcript);
}

#[test]
fn a_named_stream_keeps_its_name_and_as_completed_counts_what_is_left() {
    run(async {
        let s: Stream<u8> = looplab::runtime::named_stream("ticks", |_| async { Ok(()) });
        assert_eq!(s.name(), "ticks");
        let mut it = as_completed(vec![spawn(sleep(1.0)), spawn(sleep(2.0)), spawn(sleep(3.0))], None);
        assert_eq!(it.remaining(), 3);
        it.next().await.unwrap()?;
        assert_eq!(it.remaining(), 2);
        Ok(())
    })
    .unwrap();
}

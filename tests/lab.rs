//! The Python lab's conformance: every demo's Python twin (at its defaults and at its second set
//! of parameter values) and every scenario twin, run by `looplab py` on looplab's executor,
//! prints exactly what it prints on CPython 3.11 with looptime (each program in its own
//! process on both sides). Plus the command's own behaviour: exit statuses, syntax errors,
//! budgets, unsupported imports.
#![cfg(all(feature = "python", not(target_arch = "wasm32")))]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use looplab::demos::DEMOS;
use support::{diff, root, run_twins};

fn looplab() -> Command {
    Command::new(env!("CARGO_BIN_EXE_looplab"))
}

/// `looplab py script args...`, run where the script is.
fn lab_output(script: &Path, args: &[String]) -> Output {
    let mut command = looplab();
    command.arg("py").arg(script).args(args);
    if let Some(dir) = script.parent() {
        command.current_dir(dir);
    }
    command.output().expect("looplab runs")
}

fn lab_stdout(script: &Path, args: &[String]) -> Result<String, String> {
    let out = lab_output(script, args);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    if !out.status.success() {
        return Err(format!(
            "looplab py {} exited with {}:\n{stdout}{}",
            script.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(stdout)
}

/// Runs every case on CPython and in the lab (two at a time) and lists the differences.
fn compare(cases: Vec<(String, PathBuf, Vec<String>)>) {
    let scripts: Vec<_> = cases.iter().map(|(_, p, a)| (p.clone(), a.clone())).collect();
    let expected = run_twins(&scripts);
    let actual: Vec<Result<String, String>> = std::thread::scope(|s| {
        let chunks: Vec<_> = scripts
            .chunks(scripts.len().div_ceil(2).max(1))
            .map(|chunk| s.spawn(move || chunk.iter().map(|(p, a)| lab_stdout(p, a)).collect::<Vec<_>>()))
            .collect();
        chunks.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    let mut failures = String::new();
    for ((name, _, _), (cpython, lab)) in cases.iter().zip(expected.into_iter().zip(actual)) {
        match (cpython, lab) {
            (Ok(cpython), Ok(lab)) => failures.push_str(&diff(
                &format!("{name} (CPython)"),
                &cpython,
                &format!("{name} (looplab py)"),
                &lab,
            )),
            (Err(e), _) | (_, Err(e)) => failures.push_str(&format!("{name}: {e}\n")),
        }
    }
    assert!(
        failures.is_empty(),
        "the lab's output differs from CPython's:\n{failures}"
    );
}

#[test]
fn every_demo_twin_prints_in_the_lab_what_it_prints_on_cpython_at_both_parameter_sets() {
    let mut cases = Vec::new();
    for demo in DEMOS {
        for (label, params) in [("defaults", demo.defaults()), ("alternate", demo.alternate_params())] {
            let args = params.to_args();
            cases.push((
                format!("{} ({label}: {})", demo.id, args.join(" ")),
                root().join(format!("tests/twins/{}.py", demo.id)),
                args,
            ));
        }
    }
    assert_eq!(cases.len(), 2 * DEMOS.len());
    compare(cases);
}

/// The Python files in `dir` (relative to the repository), sorted, as cases without arguments.
fn python_files(dir: &str) -> Vec<(String, PathBuf, Vec<String>)> {
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .expect(dir)
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    scripts.sort();
    scripts
        .into_iter()
        .map(|p| (p.file_stem().unwrap().to_string_lossy().to_string(), p, Vec::new()))
        .collect()
}

#[test]
fn every_scenario_twin_prints_in_the_lab_what_it_prints_on_cpython() {
    let cases = python_files("tests/scenarios");
    assert!(cases.len() >= 40, "only {} scenario twins found", cases.len());
    compare(cases);
}

/// Programs that the conformance run (`scripts/lab-conformance`) found the lab getting wrong,
/// made small and commented: what CPython does that the lab must do too.
#[test]
fn programs_the_conformance_run_found_print_in_the_lab_what_they_print_on_cpython() {
    let cases = python_files("tests/lab_programs/found");
    assert!(cases.len() >= 2, "only {} found programs", cases.len());
    compare(cases);
}

/// How many random programs the test command checks (the separate command,
/// `scripts/lab-conformance`, checks thousands).
const RANDOM_PROGRAMS: usize = 300;

#[test]
fn random_asyncio_programs_print_in_the_lab_what_they_print_on_cpython() {
    let dir = root().join("target/lab-tests/random");
    let _ = std::fs::remove_dir_all(&dir);
    let generated = Command::new(support::python())
        .arg(root().join("tests/lab_programs/generate.py"))
        .arg("1")
        .arg(RANDOM_PROGRAMS.to_string())
        .arg(&dir)
        .status()
        .expect("the generator runs");
    assert!(generated.success());
    // A program may fail on CPython too (an uncaught exception): then the lab must fail the
    // same way, after printing the same lines.
    let programs: Vec<PathBuf> = (1..=RANDOM_PROGRAMS)
        .map(|seed| dir.join(format!("p{seed}.py")))
        .collect();
    let outcomes: Vec<(Output, Output)> = std::thread::scope(|s| {
        let chunks: Vec<_> = programs
            .chunks(programs.len().div_ceil(2))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|p| (cpython_output(p), lab_output(p, &[])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        chunks.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    assert_eq!(outcomes.len(), RANDOM_PROGRAMS);
    let mut failures = String::new();
    for (program, (cpython, lab)) in programs.iter().zip(&outcomes) {
        let name = program.file_name().unwrap().to_string_lossy();
        if cpython.status.code() != lab.status.code() {
            failures.push_str(&format!(
                "{name}: CPython exits with {:?}, the lab with {:?}\n{}\n",
                cpython.status.code(),
                lab.status.code(),
                text(&lab.stderr)
            ));
        }
        failures.push_str(&diff(
            &format!("{name} (CPython)"),
            &text(&cpython.stdout),
            &format!("{name} (looplab py)"),
            &text(&lab.stdout),
        ));
    }
    assert!(failures.is_empty(), "random programs differ:\n{failures}");
}

/// A program's whole outcome on CPython (with looptime and the twin helper; a program that calls
/// `asyncio.run` itself runs on looptime too, see tests/lab_programs/virtual_clock).
fn cpython_output(script: &Path) -> Output {
    let path = std::env::join_paths([
        root().join("tests/lab_programs/virtual_clock"),
        root().join("tests/twins"),
    ])
    .expect("paths without separators");
    let mut command = Command::new(support::python());
    command
        .arg(script)
        .env("PYTHONPATH", path)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONHASHSEED", "0");
    if let Some(dir) = script.parent() {
        command.current_dir(dir);
    }
    command.output().expect("CPython runs")
}

#[test]
fn the_browser_tests_expected_outputs_are_cpythons() {
    // lab/src/tests.rs runs these programs in the wasm build and compares with these files.
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(root().join("tests/golden/lab")).expect("tests/golden/lab") {
        let golden = entry.expect("an entry").path();
        let name = golden.file_stem().unwrap().to_string_lossy().to_string();
        let source = ["tests/twins", "tests/scenarios", "tests/lab_programs/samples"]
            .iter()
            .map(|d| root().join(d).join(format!("{name}.py")))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("no program for tests/golden/lab/{name}.stdout"));
        cases.push((name, source, golden));
    }
    assert!(cases.len() >= 10);
    let scripts: Vec<_> = cases.iter().map(|(_, s, _)| (s.clone(), Vec::new())).collect();
    let mut failures = String::new();
    for ((name, _, golden), cpython) in cases.iter().zip(run_twins(&scripts)) {
        let cpython = cpython.unwrap_or_else(|e| panic!("{name}: {e}"));
        failures.push_str(&support::check_golden(
            golden
                .strip_prefix(root().join("tests/golden"))
                .unwrap()
                .to_str()
                .unwrap(),
            &cpython,
        ));
    }
    assert!(failures.is_empty(), "{failures}");
}

/// Writes `source` to a fresh file and runs `looplab py` on it with `args`.
fn run_source(name: &str, source: &str, args: &[&str]) -> Output {
    let dir = root().join("target/lab-tests");
    std::fs::create_dir_all(&dir).expect("target/lab-tests");
    let path = dir.join(name);
    std::fs::write(&path, source).expect("write the program");
    let mut command = looplab();
    command.arg("py").arg(&path).args(args);
    command.output().expect("looplab runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

#[test]
fn a_program_that_raises_exits_1_with_its_traceback_on_stderr() {
    let out = run_source(
        "raises.py",
        "import asyncio\n\nasync def main():\n    print('before')\n    raise ValueError('boom')\n\nasyncio.run(main())\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "before\n");
    let err = text(&out.stderr);
    assert!(err.contains("line 5, in main"), "{err}");
    assert!(err.contains("ValueError: boom"), "{err}");
}

#[test]
fn a_syntax_error_exits_2_names_file_line_and_column_and_runs_nothing() {
    let out = run_source("syntax.py", "print('never')\nasync def main(:\n    pass\n", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    let err = text(&out.stderr);
    assert!(err.contains("syntax.py:2:"), "{err}");
    assert!(err.contains("syntax error"), "{err}");
}

#[test]
fn sys_exit_gives_its_code() {
    let out = run_source("exit.py", "import sys\nprint('bye')\nsys.exit(3)\n", &[]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(text(&out.stdout), "bye\n");
}

#[test]
fn a_step_that_never_yields_is_stopped_by_the_time_budget() {
    let started = std::time::Instant::now();
    let out = run_source(
        "spin.py",
        "import asyncio\n\nasync def main():\n    print('spinning')\n    while True:\n        pass\n\nasyncio.run(main())\n",
        &["--time-limit", "1"],
    );
    assert!(started.elapsed().as_secs_f64() < 20.0);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "spinning\n");
    assert!(text(&out.stderr).contains("the time budget"), "{}", text(&out.stderr));
}

#[test]
fn a_sleep_zero_spinner_is_stopped_by_the_step_budget() {
    let out = run_source(
        "spinner.py",
        "import asyncio\n\nasync def main():\n    while True:\n        await asyncio.sleep(0)\n\nasyncio.run(main())\n",
        &["--max-steps", "5000"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("5000 loop iterations (the step budget)"), "{err}");
}

#[test]
fn an_unsupported_import_names_the_module_and_what_the_lab_has() {
    let out = run_source("numpy.py", "import numpy\n", &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("No module named 'numpy'"), "{err}");
    assert!(err.contains("asyncio"), "{err}");
}

#[test]
fn the_timeline_format_draws_the_python_tasks() {
    let out = run_source(
        "timeline.py",
        "import asyncio\n\nasync def worker():\n    await asyncio.sleep(1)\n    print('worker done')\n\nasync def main():\n    await asyncio.create_task(worker(), name='worker')\n\nasyncio.run(main())\n",
        &["--format", "timeline"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let timeline = text(&out.stdout);
    assert!(timeline.contains("Task-1"), "{timeline}");
    assert!(timeline.contains("worker"), "{timeline}");
}

#[test]
fn the_json_format_has_the_printed_lines_as_log_events_at_their_python_lines() {
    let out = run_source(
        "json.py",
        "import asyncio\n\nasync def main():\n    await asyncio.sleep(0.5)\n    print('hello')\n\nasyncio.run(main())\n",
        &["--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let trace = looplab::trace::Trace::from_json(&text(&out.stdout)).expect("a trace");
    let log = trace
        .events
        .iter()
        .find_map(|e| match &e.kind {
            looplab::trace::EventKind::Log { text, at } => {
                Some((text.clone(), trace.source(*at).map(str::to_string), e.time))
            }
            _ => None,
        })
        .expect("a log event");
    assert_eq!(log.0, "hello");
    assert!(
        log.1.as_deref().is_some_and(|s| s.ends_with("json.py:5")),
        "{:?}",
        log.1
    );
    assert_eq!(log.2, 0.5);
}

#[test]
fn a_failed_task_still_held_when_the_program_ends_is_reported_then_as_cpython_does() {
    let out = run_source(
        "kept.py",
        "import asyncio\nfrom looplab_twin import log, run\nKEEP = []\n\nasync def fails():\n    raise ValueError('kept but never awaited')\n\nasync def main():\n    KEEP.append(asyncio.create_task(fails()))\n    await asyncio.sleep(1)\n    log('main done')\n\nrun(main)\nprint('end')\n",
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "1.000 Task-1 main done\nend\n1.000 - Task exception was never retrieved (Task-2): ValueError('kept but never awaited')\n"
    );
}

/// CPython's stderr as far as the lab reports tracebacks: without the lines that mark the failing
/// expression (`^^^^`), and without the entries of asyncio's own Python files (the lab's loop is
/// native: it has no frames to list), also inside the `|` margins of an exception group.
fn as_the_lab_reports(stderr: &str) -> String {
    let after_margin = |line: &str| -> String {
        let trimmed = line.trim_start_matches(' ');
        match trimmed.strip_prefix("| ").or_else(|| trimmed.strip_prefix("+ ")) {
            Some(rest) => rest.to_string(),
            None => line.to_string(),
        }
    };
    let mut out = String::new();
    let mut skipping = false;
    for line in stderr.split_inclusive('\n') {
        let rest = after_margin(line);
        if rest.starts_with("  File \"") {
            skipping = rest.contains("/asyncio/");
        } else if !rest.starts_with("    ") {
            skipping = false;
        }
        let marker = !rest.trim().is_empty() && rest.trim().chars().all(|c| c == '^' || c == '~');
        if !skipping && !marker {
            out.push_str(line);
        }
    }
    out
}

/// How a program's run in the lab differs from its run on CPython: stderr (as far as the lab
/// reports tracebacks) and stdout, as diffs (empty when equal); the exit statuses must match.
fn outcome_differences(name: &str, lab: &Output, cpython: &Output) -> String {
    let stderr = diff(
        &format!("{name} stderr (CPython)"),
        &as_the_lab_reports(&text(&cpython.stderr)),
        &format!("{name} stderr (looplab py)"),
        &text(&lab.stderr),
    );
    let stdout = diff(
        &format!("{name} stdout (CPython)"),
        &text(&cpython.stdout),
        &format!("{name} stdout (looplab py)"),
        &text(&lab.stdout),
    );
    assert_eq!(lab.status.code(), cpython.status.code(), "{name}\n{stderr}{stdout}");
    stderr + &stdout
}

#[test]
fn uncaught_exceptions_and_groups_are_drawn_as_cpython_draws_them() {
    // Exception groups in numbered frames, chains, `from None`, notes, `__str__`, module names.
    let cases = python_files("tests/lab_programs/tracebacks");
    assert!(cases.len() >= 4, "only {} traceback programs", cases.len());
    let mut failures = String::new();
    for (name, path, _) in cases {
        let lab = lab_output(&path, &[]);
        let cpython = cpython_output(&path);
        failures.push_str(&outcome_differences(&name, &lab, &cpython));
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn a_program_calling_asyncio_run_itself_is_timed_on_cpythons_virtual_clock_as_in_the_lab() {
    // The oracle for such programs (the traceback programs) is CPython on looptime: on the real
    // clock, timers a tenth of a second apart fire together when the machine is busy.
    let name = "asyncio_run_clock.py";
    let source = "import asyncio\n\nasync def main():\n    await asyncio.sleep(0.5)\n    print(asyncio.get_running_loop().time())\n\nasyncio.run(main())\n";
    let lab = run_source(name, source, &[]);
    let cpython = cpython_output(&root().join("target/lab-tests").join(name));
    assert_eq!(text(&cpython.stdout), "0.5\n");
    assert_eq!(outcome_differences(name, &lab, &cpython), "");
}

#[test]
fn a_local_read_before_it_is_assigned_is_reported_in_python_3_11s_words() {
    // RustPython says "local variable 'count' referenced before assignment", as Python 3.10 did.
    let cases = [
        (
            "unbound_in_task.py",
            "import asyncio\ncount = 0\n\nasync def bump():\n    count += 1\n\nasync def main():\n    asyncio.create_task(bump())\n    await asyncio.sleep(1)\n    print('main done')\n\nasyncio.run(main())\n",
        ),
        ("unbound_in_main.py", "import asyncio\n\nasync def main():\n    print(total)\n    total = 1\n\nasyncio.run(main())\n"),
    ];
    for (name, source) in cases {
        let lab = run_source(name, source, &[]);
        let cpython = cpython_output(&root().join("target/lab-tests").join(name));
        let cpython_err = as_the_lab_reports(&text(&cpython.stderr));
        assert!(
            cpython_err.contains("where it is not associated with a value"),
            "{cpython_err}"
        );
        assert_eq!(text(&lab.stderr), cpython_err, "{name}");
        assert_eq!(text(&lab.stdout), text(&cpython.stdout), "{name}");
        assert_eq!(lab.status.code(), cpython.status.code(), "{name}");
    }
}

#[test]
fn a_runaway_recursion_ends_with_cpythons_error_and_folded_traceback() {
    // The limit is set by the program, and low: a debug build's stack holds about a hundred levels.
    let cases = [
        ("recursion_function.py", "import sys\nsys.setrecursionlimit(50)\n\ndef deeper(n):\n    return deeper(n + 1)\n\ndeeper(0)\n"),
        (
            "recursion_in_task.py",
            "import asyncio, sys\nsys.setrecursionlimit(50)\n\ndef f(n):\n    return f(n + 1)\n\nasync def main():\n    f(0)\n\nasyncio.run(main())\n",
        ),
        (
            "recursion_awaits_itself.py",
            "import asyncio, sys\nsys.setrecursionlimit(50)\n\nasync def down(n):\n    return await down(n + 1)\n\nasync def main():\n    await down(0)\n\nasyncio.run(main())\n",
        ),
        (
            "recursion_never_retrieved.py",
            "import asyncio, sys\nsys.setrecursionlimit(50)\n\ndef f(n):\n    return f(n + 1)\n\nasync def job():\n    f(0)\n\nasync def main():\n    asyncio.get_running_loop().call_soon(print, 'soon')\n    asyncio.create_task(job())\n    await asyncio.sleep(1)\n    print('main done')\n\nasyncio.run(main())\n",
        ),
        (
            "recursion_depth.py",
            "import asyncio, sys\nsys.setrecursionlimit(50)\n\ndef probe(n=0):\n    try:\n        return probe(n + 1)\n    except RecursionError:\n        return n\n\nasync def job():\n    print('task', probe())\n\nasync def main():\n    print('main', probe())\n    asyncio.get_running_loop().call_soon(lambda: print('callback', probe()))\n    await asyncio.create_task(job())\n\nprint('module', probe())\nasyncio.run(main())\n",
        ),
    ];
    let mut failures = String::new();
    for (name, source) in cases {
        let lab = run_source(name, source, &[]);
        let cpython = cpython_output(&root().join("target/lab-tests").join(name));
        failures.push_str(&outcome_differences(name, &lab, &cpython));
    }
    assert!(failures.is_empty(), "{failures}");
}

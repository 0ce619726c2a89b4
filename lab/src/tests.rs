//! A sample of the lab's conformance programs, run through the worker's entry point: in headless
//! Chromium (`wasm-pack test --headless --chrome lab`), the wasm build of the engine; natively
//! (`cargo test -p looplab-lab`), the same code. Each expected output is CPython 3.11's (with
//! looptime), kept in `tests/golden/lab/`; the lab suite checks that those files still are
//! exactly what CPython prints.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use super::run_request;

/// (name, source, CPython's stdout).
macro_rules! sample {
    ($name:literal, $dir:literal) => {
        (
            $name,
            include_str!(concat!("../../tests/", $dir, "/", $name, ".py")),
            include_str!(concat!("../../tests/golden/lab/", $name, ".stdout")),
        )
    };
}

const SAMPLES: &[(&str, &str, &str)] = &[
    sample!("gather", "twins"),
    sample!("task-group", "twins"),
    sample!("timeouts", "twins"),
    sample!("queues", "twins"),
    sample!("cancellation", "twins"),
    sample!("error-handling", "twins"),
    sample!("async-generator", "twins"),
    sample!("locks-and-events", "twins"),
    sample!("timer_ties", "scenarios"),
    sample!("wait_modes", "scenarios"),
    sample!("as_completed_order", "scenarios"),
    sample!("p7", "lab_programs/samples"),
    sample!("p23", "lab_programs/samples"),
];

fn now() -> f64 {
    0.0
}

fn run_traced(source: &str, trace: bool) -> (serde_json::Value, Vec<Vec<u8>>) {
    let request = serde_json::json!({ "source": source, "filename": "main.py", "trace": trace });
    let (answer, traces) = run_request(&request.to_string(), now);
    (serde_json::from_str(&answer).expect("the answer is JSON"), traces)
}

fn run(source: &str, trace: bool) -> serde_json::Value {
    run_traced(source, trace).0
}

fn answer_of(request: &str) -> serde_json::Value {
    serde_json::from_str(&run_request(request, now).0).expect("the answer is JSON")
}

#[test]
fn a_sample_of_the_conformance_programs_prints_what_cpython_prints() {
    let mut failures = String::new();
    for (name, source, expected) in SAMPLES {
        let answer = run(source, false);
        let stdout = answer["stdout"].as_str().unwrap_or_default();
        if stdout != *expected {
            failures.push_str(&format!(
                "{name}: expected\n{expected}\ngot\n{stdout}\nstderr:\n{}\n",
                answer["stderr"].as_str().unwrap_or_default()
            ));
        }
        assert_eq!(answer["status"], 0, "{name}: {answer}");
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn a_traced_run_gives_a_trace_per_loop_with_the_printed_lines() {
    let (answer, traces) = run_traced(SAMPLES[0].1, true);
    assert_eq!(answer["traces"], 1);
    assert_eq!(traces.len(), 1);
    let trace = looplab::trace::Trace::from_bytes(&traces[0]).expect("a trace");
    assert!(trace.tasks().len() >= 4, "{} tasks", trace.tasks().len());
    let printed = trace
        .events
        .iter()
        .filter(|e| matches!(e.kind, looplab::trace::EventKind::Log { .. }))
        .count();
    assert_eq!(printed, SAMPLES[0].2.lines().count());
}

#[test]
fn a_syntax_error_is_answered_with_its_line_and_column() {
    let answer = run("async def main(:\n    pass\n", false);
    assert_eq!(answer["exit"]["kind"], "syntax_error");
    assert_eq!(answer["exit"]["line"], 1);
    assert!(answer["exit"]["column"].as_u64().is_some_and(|c| c > 0), "{answer}");
    assert_eq!(answer["status"], 2);
}

#[test]
fn a_sleep_zero_spinner_is_stopped_by_the_step_budget() {
    let request = serde_json::json!({
        "source": "import asyncio\nasync def main():\n    while True:\n        await asyncio.sleep(0)\nasyncio.run(main())\n",
        "budgets": { "steps": 2000 },
    });
    let answer = answer_of(&request.to_string());
    assert_eq!(answer["exit"]["kind"], "stopped", "{answer}");
    assert!(answer["exit"]["reason"]
        .as_str()
        .is_some_and(|r| r.contains("step budget")));
}

#[test]
fn a_request_that_is_not_json_is_answered_with_an_error() {
    let answer = answer_of("{not json");
    assert!(answer["error"].as_str().is_some_and(|e| e.contains("not valid")));
}

#[test]
fn a_runaway_recursion_raises_cpythons_recursion_error_with_a_folded_traceback() {
    // The limit is the program's own, and low: a debug build's stack holds few levels.
    let answer = run(
        "import sys\nsys.setrecursionlimit(8)\n\ndef deeper(n):\n    return deeper(n + 1)\n\ndeeper(0)\n",
        false,
    );
    assert_eq!(answer["exit"]["class"], "RecursionError", "{answer}");
    assert_eq!(answer["exit"]["message"], "maximum recursion depth exceeded");
    let deeper = "  File \"main.py\", line 5, in deeper\n";
    let expected = format!(
        "Traceback (most recent call last):\n  File \"main.py\", line 7, in <module>\n{deeper}{deeper}{deeper}  [Previous line repeated 4 more times]\nRecursionError: maximum recursion depth exceeded\n"
    );
    assert_eq!(answer["stderr"], expected.as_str());
}

/// The worker builds each run's interpreter ahead of it (`prepare`, after loading and after each
/// answer): a run on such an interpreter still gets its own `sys.argv`, and nothing of the run
/// before it.
#[test]
fn a_run_on_an_interpreter_built_ahead_has_its_own_argv_and_a_fresh_state() {
    looplab::python::prepare();
    let first = answer_of(r#"{"source": "import sys\nsys.left_behind = 1\nprint(sys.argv)\n", "args": ["a", "b"]}"#);
    assert_eq!(first["stdout"], "['main.py', 'a', 'b']\n", "{first}");
    looplab::python::prepare();
    let second = answer_of(r#"{"source": "import sys\nprint(sys.argv, hasattr(sys, 'left_behind'))\n"}"#);
    assert_eq!(second["stdout"], "['main.py'] False\n", "{second}");
}

/// The VM starts with an empty `_ast` (making its node classes is a fifth of a small run):
/// `compile()` still gives a syntax tree when asked for one, then `_ast` is the real module.
#[test]
fn compile_gives_a_syntax_tree_when_asked_though_the_vm_starts_without_its_node_classes() {
    let source = "tree = compile('a = 1', 'f', 'exec', 0x400)\nprint(type(tree).__name__, tree.body[0].targets[0].id)\nimport _ast\nprint(_ast.Module is type(tree))\n";
    let answer = answer_of(&serde_json::json!({ "source": source }).to_string());
    assert_eq!(answer["stdout"], "Module a\nTrue\n", "{answer}");
}

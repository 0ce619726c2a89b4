//! Parity: every demo and every scenario prints, line for line, the transcript its Python twin
//! prints on CPython with a virtual clock (looptime), each twin in its own process.
#![cfg(not(target_arch = "wasm32"))]

mod scenarios;
mod support;

use looplab::demos::DEMOS;
use looplab::LoopOptions;
use support::{diff, lines_to_text, root, run_twins};

fn compare(cases: Vec<(String, String, std::path::PathBuf, Vec<String>)>) {
    let scripts: Vec<_> = cases.iter().map(|(_, _, p, args)| (p.clone(), args.clone())).collect();
    let outputs = run_twins(&scripts);
    let mut failures = String::new();
    for ((name, rust, script, _), python) in cases.iter().zip(outputs) {
        match python {
            Ok(python) => failures.push_str(&diff(
                &format!("{} (CPython)", script.display()),
                &python,
                &format!("{name} (looplab)"),
                rust,
            )),
            Err(e) => failures.push_str(&format!("{name}: {e}\n")),
        }
    }
    assert!(failures.is_empty(), "transcripts differ from CPython's:\n{failures}");
}

#[test]
fn demos_print_the_same_transcript_as_their_python_twins_at_defaults_and_other_values() {
    let mut cases = Vec::new();
    for demo in DEMOS {
        for (label, params) in [("defaults", demo.defaults()), ("alternate", demo.alternate_params())] {
            let args = params.to_args();
            let report = demo.run_with(LoopOptions::default(), params);
            assert!(
                report.result.is_ok(),
                "{} ({label}) failed: {:?}",
                demo.id,
                report.result
            );
            cases.push((
                format!("{} ({label}: {})", demo.id, args.join(" ")),
                lines_to_text(&report.transcript),
                root().join(format!("tests/twins/{}.py", demo.id)),
                args,
            ));
        }
    }
    compare(cases);
}

#[test]
fn scenarios_print_the_same_transcript_as_their_python_twins() {
    let cases = scenarios::SCENARIOS
        .iter()
        .map(|s| {
            let (transcript, result) = s.run(LoopOptions::default());
            assert!(result.is_ok(), "{} failed: {:?}", s.name, result);
            (
                s.name.to_string(),
                lines_to_text(&transcript),
                root().join(format!("tests/scenarios/{}.py", s.name)),
                Vec::new(),
            )
        })
        .collect();
    compare(cases);
}

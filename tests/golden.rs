//! Golden files: each demo's transcript and text timeline, and each scenario's transcript, are
//! checked in under `tests/golden/` and compared whole. `scripts/bless` rewrites them; a diff of
//! them reads as a review of behaviour.
#![cfg(not(target_arch = "wasm32"))]

mod scenarios;
mod support;

use looplab::demos::DEMOS;
use looplab::trace::text_timeline;
use looplab::LoopOptions;
use support::{check_golden, lines_to_text};

#[test]
fn demo_transcripts_and_timelines_match_their_golden_files() {
    let mut failures = String::new();
    for demo in DEMOS {
        let report = demo.run_traced();
        let trace = report.trace.expect("traced");
        failures += &check_golden(
            &format!("demos/{}.transcript", demo.id),
            &lines_to_text(&report.transcript),
        );
        failures += &check_golden(&format!("demos/{}.timeline", demo.id), &text_timeline(&trace));
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn scenario_transcripts_match_their_golden_files() {
    let mut failures = String::new();
    for s in scenarios::SCENARIOS {
        let (transcript, _) = s.run(LoopOptions::default());
        failures += &check_golden(&format!("scenarios/{}.transcript", s.name), &lines_to_text(&transcript));
    }
    assert!(failures.is_empty(), "{failures}");
}

//! The `looplab` command, run as a user runs it.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn looplab(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_looplab"))
        .args(args)
        .output()
        .expect("run looplab");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn list_prints_one_demo_a_line_with_its_title() {
    let (status, out, _) = looplab(&["list"]);
    assert_eq!(status, 0);
    let ids: Vec<&str> = out.lines().map(|l| l.split_whitespace().next().unwrap_or("")).collect();
    assert_eq!(ids, looplab::demos::ids());
    assert!(out.lines().next().unwrap().ends_with("The mental model"), "{out}");
}

#[test]
fn show_gives_the_concept_parameters_and_source() {
    let (status, out, _) = looplab(&["show", "mental-model"]);
    assert_eq!(status, 0);
    assert!(out.starts_with("mental-model: The mental model\n"), "{out}");
    assert!(
        out.contains("  llm          the LLM call (default 2; a number of seconds from 0 to 60)"),
        "{out}"
    );
    assert!(out.contains("pub async fn main(p: Params)"), "{out}");
}

#[test]
fn run_takes_parameters_and_refuses_bad_ones_without_running() {
    let (status, out, _) = looplab(&["run", "sequential-vs-concurrent", "--param", "a=0.5", "-p", "c=3"]);
    assert_eq!(status, 0);
    assert!(out.contains("0.000 Task-1 A: start, needs 0.5 s"), "{out}");
    let (status, out, err) = looplab(&["run", "sequential-vs-concurrent", "--param", "a=9000"]);
    assert_eq!(status, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("parameter 'a' must be a number of seconds from 0 to 60, not '9000'"),
        "{err}"
    );
    let (status, _, err) = looplab(&["run", "mental-model", "--param", "speed=2"]);
    assert_eq!(status, 2);
    assert!(
        err.contains("unknown parameter 'speed'; the parameters are: llm, db, api"),
        "{err}"
    );
}

#[test]
fn a_seed_perturbs_timing_deterministically() {
    let plain = looplab(&["run", "mental-model"]).1;
    let seeded = looplab(&["run", "mental-model", "--seed", "7"]).1;
    let again = looplab(&["run", "mental-model", "--seed", "7", "--format", "json"]).1;
    let again2 = looplab(&["run", "mental-model", "--seed", "7", "--format", "json"]).1;
    assert_ne!(plain, seeded, "a seed changes the timing");
    assert_eq!(again, again2, "the same seed gives a byte-identical trace");
    let (status, _, err) = looplab(&["run", "mental-model", "--seed", "-1"]);
    assert_eq!(status, 2);
    assert!(err.contains("--seed must be a whole number"), "{err}");
}

#[test]
fn run_writes_a_chrome_trace() {
    let (status, out, _) = looplab(&["run", "mental-model", "--format", "chrome-trace"]);
    assert_eq!(status, 0);
    let value: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert!(value["traceEvents"].as_array().is_some_and(|e| e.len() > 20));
}

#[test]
fn real_time_mode_takes_real_time() {
    let started = std::time::Instant::now();
    let (status, out, _) = looplab(&[
        "run",
        "sequential-vs-concurrent",
        "--real-time",
        "-p",
        "a=0.1",
        "-p",
        "b=0.1",
        "-p",
        "c=0.1",
    ]);
    assert_eq!(status, 0);
    assert!(
        started.elapsed().as_secs_f64() >= 0.4,
        "sequential 0.3 s + concurrent 0.1 s"
    );
    assert!(out.contains("concurrent total 0.1 s"), "{out}");
}

#[test]
fn run_prints_the_transcript_by_default() {
    let (status, out, _) = looplab(&["run", "sequential-vs-concurrent"]);
    assert_eq!(status, 0);
    assert!(
        out.starts_with("0.000 Task-1 sequential: await each in turn\n"),
        "{out}"
    );
    assert!(out.ends_with("6.500 Task-1 concurrent total 2.0 s\n"), "{out}");
}

#[test]
fn run_formats_a_timeline_and_json() {
    let (status, timeline, _) = looplab(&["run", "mental-model", "--format", "timeline"]);
    assert_eq!(status, 0);
    assert!(timeline.starts_with("time (s)"), "{timeline}");
    assert!(timeline.contains("total 5.500 s"), "{timeline}");
    let (status, json, _) = looplab(&["run", "mental-model", "--format=json"]);
    assert_eq!(status, 0);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["version"], 1);
}

#[test]
fn an_unknown_demo_exits_2_naming_the_demos() {
    let (status, out, err) = looplab(&["run", "no-such-demo"]);
    assert_eq!(status, 2);
    assert!(out.is_empty());
    assert!(err.contains("unknown demo 'no-such-demo'"), "{err}");
    assert!(err.contains("mental-model, "), "{err}");
}

#[test]
fn an_unknown_format_exits_2_naming_the_formats() {
    let (status, _, err) = looplab(&["run", "mental-model", "--format", "yaml"]);
    assert_eq!(status, 2);
    assert!(
        err.contains("unknown format 'yaml'; choose one of: transcript, timeline, json"),
        "{err}"
    );
}

#[test]
fn misuse_exits_2_with_usage() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["run"],
        &["list", "extra"],
        &["run", "mental-model", "--bogus"],
    ] {
        let (status, _, err) = looplab(args);
        assert_eq!(status, 2, "{args:?}");
        assert!(err.contains("usage: looplab"), "{args:?}: {err}");
    }
}

#[test]
fn every_demo_runs_from_the_command_line_at_its_defaults() {
    for id in looplab::demos::ids() {
        let (status, out, err) = looplab(&["run", id]);
        assert_eq!(status, 0, "{id}: {err}");
        assert!(!out.is_empty(), "{id} printed nothing");
    }
}

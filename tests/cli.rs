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
fn list_prints_one_demo_id_a_line() {
    let (status, out, _) = looplab(&["list"]);
    assert_eq!(status, 0);
    let ids: Vec<&str> = out.lines().collect();
    assert_eq!(ids, looplab::demos::ids());
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
    assert!(err.contains("mental-model, sequential-vs-concurrent"), "{err}");
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

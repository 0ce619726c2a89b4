//! Every demo's Chrome trace follows the trace-event format's rules: known phases, begin/end
//! matched per track, every flow arrow starting and ending inside a slice, timestamps in order.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, HashMap};

use looplab::demos::DEMOS;
use looplab::trace::chrome_trace;
use serde_json::Value;

/// The rules, checked on one document. Returns what broke them.
fn violations(json: &str) -> Vec<String> {
    let doc: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => return vec![format!("not JSON: {e}")],
    };
    let Some(events) = doc["traceEvents"].as_array() else {
        return vec!["no traceEvents array".into()];
    };
    let mut problems = Vec::new();
    let mut open: HashMap<u64, Vec<f64>> = HashMap::new();
    let mut flows: BTreeMap<u64, (Option<f64>, Option<f64>)> = BTreeMap::new();
    let mut last_ts = f64::NEG_INFINITY;
    for (i, e) in events.iter().enumerate() {
        let ph = e["ph"].as_str().unwrap_or("");
        if !["B", "E", "i", "s", "f", "M", "X"].contains(&ph) {
            problems.push(format!("event {i}: unknown phase {ph:?}"));
            continue;
        }
        if e["pid"].as_u64().is_none() || e["tid"].as_u64().is_none() {
            problems.push(format!("event {i}: no pid/tid"));
        }
        if ph == "M" {
            continue;
        }
        let tid = e["tid"].as_u64().unwrap_or(0);
        let Some(ts) = e["ts"].as_f64() else {
            problems.push(format!("event {i}: no ts"));
            continue;
        };
        if ts < last_ts {
            problems.push(format!("event {i}: ts {ts} before {last_ts}"));
        }
        last_ts = ts;
        let stack = open.entry(tid).or_default();
        match ph {
            "B" => {
                if e["name"].as_str().is_none() {
                    problems.push(format!("event {i}: a slice without a name"));
                }
                stack.push(ts);
            }
            "E" if stack.pop().is_none() => problems.push(format!("event {i}: E without B on track {tid}")),
            "s" | "f" => {
                let Some(id) = e["id"].as_u64() else {
                    problems.push(format!("event {i}: flow without id"));
                    continue;
                };
                if stack.is_empty() {
                    problems.push(format!("event {i}: flow {id} ({ph}) outside any slice on track {tid}"));
                }
                let entry = flows.entry(id).or_default();
                if ph == "s" {
                    if entry.0.replace(ts).is_some() {
                        problems.push(format!("flow {id} starts twice"));
                    }
                } else {
                    if e["bp"].as_str() != Some("e") {
                        problems.push(format!("flow {id}: finish not bound to its enclosing slice"));
                    }
                    if entry.0.is_none() {
                        problems.push(format!("flow {id} finishes before it starts"));
                    }
                    if entry.1.replace(ts).is_some() {
                        problems.push(format!("flow {id} finishes twice"));
                    }
                }
            }
            _ => {}
        }
    }
    for (tid, stack) in open {
        if !stack.is_empty() {
            problems.push(format!("track {tid}: {} slice(s) never ended", stack.len()));
        }
    }
    for (id, (start, finish)) in flows {
        if start.is_none() || finish.is_none() {
            problems.push(format!(
                "flow {id} is missing its {}",
                if start.is_none() { "start" } else { "finish" }
            ));
        }
    }
    problems
}

#[test]
fn every_demos_chrome_trace_follows_the_trace_event_rules() {
    let mut failures = String::new();
    for demo in DEMOS {
        let trace = demo.run_traced().trace.expect("traced");
        let json = chrome_trace(&trace);
        let problems = violations(&json);
        if !problems.is_empty() {
            failures += &format!("{}:\n  {}\n", demo.id, problems.join("\n  "));
        }
        let doc: Value = serde_json::from_str(&json).unwrap();
        let events = doc["traceEvents"].as_array().unwrap();
        let tracks = events.iter().filter(|e| e["name"] == "thread_name").count();
        assert_eq!(
            tracks,
            trace.tasks().len() + 1,
            "{}: one track per task plus the loop",
            demo.id
        );
        let slices = events.iter().filter(|e| e["ph"] == "B" && e["cat"] == "step").count();
        let steps = trace
            .events
            .iter()
            .filter(|e| matches!(e.kind, looplab::trace::EventKind::StepBegin))
            .count();
        assert_eq!(slices, steps, "{}: one slice per step", demo.id);
        assert!(
            events.iter().any(|e| e["ph"] == "s"),
            "{}: wake-ups are flow arrows",
            demo.id
        );
        assert!(
            events.iter().any(|e| e["ph"] == "i" && e["cat"] == "log"),
            "{}: log lines are instants",
            demo.id
        );
    }
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn the_validator_catches_broken_traces() {
    assert!(violations(r#"{"traceEvents":[{"ph":"B","pid":1,"tid":1,"ts":0,"name":"x"}]}"#)[0].contains("never ended"));
    assert!(violations(r#"{"traceEvents":[{"ph":"E","pid":1,"tid":1,"ts":0}]}"#)[0].contains("E without B"));
    assert!(
        violations(r#"{"traceEvents":[{"ph":"i","pid":1,"tid":1,"ts":5},{"ph":"i","pid":1,"tid":1,"ts":1}]}"#)[0]
            .contains("before")
    );
    assert!(
        violations(r#"{"traceEvents":[{"ph":"s","pid":1,"tid":1,"ts":0,"id":1}]}"#)
            .iter()
            .any(|p| p.contains("outside any slice"))
    );
    assert!(violations(r#"{"traceEvents":[{"ph":"Q","pid":1,"tid":1,"ts":0}]}"#)[0].contains("unknown phase"));
}

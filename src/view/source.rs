//! Which source lines ran: the code view follows the current event in the Python twin and in the
//! Rust demo.
//!
//! The trace knows Rust lines exactly (a log line or a timer points at the call that made it).
//! A Python twin is matched to the same moment: a logged message to the `log(...)` line whose
//! fixed text it contains, a sleep to the twin's `sleep(...)` call with the same argument after
//! that task's last logged line. A trace that comes from a Python program (the lab) can point at
//! Python lines itself: then those are used as they are.

use super::replay::{event, event_count};
use crate::trace::{EventKind, Trace};

/// The lines to mark at a moment (1-based).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lines {
    /// In the Python source.
    pub python: Option<usize>,
    /// In the Rust source.
    pub rust: Option<usize>,
}

/// The 1-based line of a Python program's own source line (`main.py:12`): what a trace recorded
/// by the Python lab points at.
pub fn python_line_of(at: &str) -> Option<usize> {
    let (file, line) = at.rsplit_once(':')?;
    file.ends_with(".py").then(|| line.parse().ok()).flatten()
}

/// The 1-based line of `source` that holds the call at `at` (`file:line`), if `at` is in `file`.
pub fn line_of(at: &str, file: &str) -> Option<usize> {
    let (f, line) = at.rsplit_once(':')?;
    (f == file || f.ends_with(&format!("/{file}")))
        .then(|| line.parse().ok())
        .flatten()
}

/// The fixed pieces of a format string's literal: `f"{name} starts ({s:.1f} s)"` gives
/// `[" starts (", " s)"]`.
fn fixed_pieces(literal: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = literal;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(open) => {
                if open > 0 {
                    pieces.push(&rest[..open]);
                }
                rest = rest[open..].find('}').map_or("", |close| &rest[open + close + 1..]);
            }
            None => {
                pieces.push(rest);
                rest = "";
            }
        }
    }
    pieces
}

/// The text of the first string literal after `call(` on `line`, if any.
fn literal_after<'a>(line: &'a str, call: &str) -> Option<&'a str> {
    let start = line.find(call)? + call.len();
    let rest = line[start..].trim_start_matches(['f', 'r']);
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &rest[1..];
    Some(&body[..body.find(quote).unwrap_or(body.len())])
}

/// The 1-based line of a Python twin that logs `message`: the `log(` or `print(` line whose
/// literal's fixed pieces all appear in the message, in order (the longest such match).
pub fn python_line_for(source: &str, message: &str) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (n, line) in source.lines().enumerate() {
        let Some(literal) = literal_after(line, "log(").or_else(|| literal_after(line, "print(")) else {
            continue;
        };
        let pieces = fixed_pieces(literal);
        let fixed: usize = pieces.iter().map(|p| p.len()).sum();
        if fixed < 3 {
            continue;
        }
        let mut at = 0;
        let fits = pieces.iter().enumerate().all(|(i, p)| {
            // The first piece starts the message when the literal starts with it.
            let found = if i == 0 && !literal.starts_with('{') {
                message.starts_with(p).then_some(0)
            } else {
                message[at..].find(p).map(|k| k + at)
            };
            found.map(|k| at = k + p.len()).is_some()
        });
        if fits && best.is_none_or(|(len, _)| fixed > len) {
            best = Some((fixed, n + 1));
        }
    }
    best.map(|(_, n)| n)
}

/// The argument text of the first `sleep(` call on a line.
fn sleep_argument(line: &str) -> Option<&str> {
    let start = line.find("sleep(")? + "sleep(".len();
    let end = line[start..].find(')')? + start;
    Some(line[start..end].trim())
}

/// The Python line of the sleep that a Rust `sleep(...)` line stands for: the twin's
/// `sleep(...)` line with the same argument (or any sleep) first after line `after`, else the
/// first in the file.
pub fn python_sleep_line(source: &str, rust_line: &str, after: Option<usize>) -> Option<usize> {
    let wanted = sleep_argument(rust_line)?;
    let sleeps: Vec<(usize, &str)> = source
        .lines()
        .enumerate()
        .filter_map(|(n, l)| Some((n + 1, sleep_argument(l)?)))
        .collect();
    let same = |(_, arg): &&(usize, &str)| *arg == wanted;
    let after = after.unwrap_or(0);
    sleeps
        .iter()
        .filter(|(n, _)| *n > after)
        .find(same)
        .or_else(|| sleeps.iter().find(same))
        .or_else(|| sleeps.iter().find(|(n, _)| *n > after))
        .map(|(n, _)| *n)
}

/// The 1-based line `n` of `source`.
pub fn nth_line(source: &str, n: usize) -> Option<&str> {
    source.lines().nth(n.checked_sub(1)?)
}

/// How far back from the moment [`follow`] looks for a line (a bound on its cost per step).
const LOOK_BACK: usize = 4096;

/// The lines that ran at `moment`: those of the latest log line or timer at or before it.
/// `rust_file` is the demo's file name (`gather.rs`); sources not yet loaded are `None`.
pub fn follow(trace: &Trace, moment: usize, rust_file: &str, rust: Option<&str>, python: Option<&str>) -> Lines {
    let end = moment.min(event_count(trace).saturating_sub(1));
    let start = end.saturating_sub(LOOK_BACK);
    let rust_line = |at: Option<u32>| trace.source(at).and_then(|a| line_of(a, rust_file));
    let python_line = |at: Option<u32>| trace.source(at).and_then(python_line_of);
    for i in (start..=end).rev() {
        let Some(e) = event(trace, i) else { continue };
        match &e.kind {
            EventKind::Log { text, at } => {
                return Lines {
                    rust: rust_line(*at),
                    python: python_line(*at).or_else(|| python.and_then(|p| python_line_for(p, text))),
                };
            }
            EventKind::TimerSet { at, .. } if python_line(*at).is_some() => {
                return Lines {
                    rust: None,
                    python: python_line(*at),
                };
            }
            EventKind::TimerSet { at, .. } => {
                let Some(line) = rust_line(*at) else { continue };
                // The sleep follows the task's last logged line in the twin.
                let logged = (start..i)
                    .rev()
                    .filter_map(|j| event(trace, j))
                    .find_map(|x| match x.kind {
                        EventKind::Log { text, .. } if x.task == e.task => Some(text),
                        _ => None,
                    });
                let python = python.and_then(|p| {
                    let after = logged.as_deref().and_then(|m| python_line_for(p, m));
                    python_sleep_line(p, nth_line(rust?, line)?, after)
                });
                return Lines {
                    rust: Some(line),
                    python,
                };
            }
            _ => {}
        }
    }
    Lines::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWIN: &str = "async def call(name, seconds):\n    log(f\"{name} starts ({seconds:.1f} s)\")\n    await asyncio.sleep(seconds)\n    log(f\"{name} finishes\")\n\nasync def main():\n    await asyncio.sleep(0.5)\n    log(f\"gather returns {results} after {t:.1f} s\")\n";

    #[test]
    fn a_message_finds_the_line_that_logs_it_even_after_a_placeholder() {
        assert_eq!(python_line_for(TWIN, "first starts (2.0 s)"), Some(2));
        assert_eq!(python_line_for(TWIN, "second finishes"), Some(4));
        assert_eq!(python_line_for(TWIN, "gather returns ['a'] after 2.0 s"), Some(8));
        assert_eq!(python_line_for(TWIN, "something else"), None);
    }

    #[test]
    fn a_sleep_finds_the_twins_sleep_with_the_same_argument_after_the_tasks_last_line() {
        assert_eq!(python_sleep_line(TWIN, "    sleep(seconds).await?;", Some(2)), Some(3));
        assert_eq!(python_sleep_line(TWIN, "    sleep(seconds).await?;", None), Some(3));
        assert_eq!(python_sleep_line(TWIN, "    sleep(0.5).await?;", Some(6)), Some(7));
        assert_eq!(python_sleep_line(TWIN, "    log(\"x\");", None), None);
    }

    #[test]
    fn a_trace_of_a_python_program_points_at_its_own_lines() {
        use crate::runtime::{at_source, record_output, sleep, spawn, Loop, LoopOptions};
        let lp = Loop::new(LoopOptions {
            trace: true,
            ..LoopOptions::default()
        });
        lp.run(async {
            spawn(async {
                at_source("main.py:7", || record_output("hello", Some("main.py:3")));
                Ok(())
            })
            .await?;
            let nap = sleep(1.0);
            futures::pin_mut!(nap);
            std::future::poll_fn(|cx| at_source("main.py:9", || std::future::Future::poll(nap.as_mut(), cx))).await
        })
        .unwrap();
        let trace = lp.trace().unwrap();
        let logged = (0..trace.events.len())
            .find(|&i| matches!(event(&trace, i).unwrap().kind, EventKind::Log { .. }))
            .unwrap();
        assert_eq!(follow(&trace, logged, "x.rs", None, None).python, Some(3));
        let timer = (0..trace.events.len())
            .find(|&i| matches!(event(&trace, i).unwrap().kind, EventKind::TimerSet { .. }))
            .unwrap();
        assert_eq!(
            follow(&trace, timer, "x.rs", None, None),
            Lines {
                python: Some(9),
                rust: None
            }
        );
        assert_eq!(python_line_of("main.py:12"), Some(12));
        assert_eq!(python_line_of("src/demos/gather.rs:12"), None);
    }

    #[test]
    fn gather_marks_a_python_line_at_most_events() {
        let demo = crate::demos::find("gather").unwrap();
        let trace = demo.run_traced().trace.unwrap();
        let marked = (0..trace.events.len())
            .filter(|&m| {
                follow(&trace, m, "gather.rs", Some(demo.rust_source), Some(demo.python_source))
                    .python
                    .is_some()
            })
            .count();
        assert!(marked * 2 >= trace.events.len(), "{marked} of {}", trace.events.len());
        // Where the three calls sleep, the Python line is the twin's sleep.
        let sleep = trace
            .events
            .iter()
            .position(|e| matches!(e.kind, EventKind::TimerSet { .. }))
            .unwrap();
        let lines = follow(
            &trace,
            sleep,
            "gather.rs",
            Some(demo.rust_source),
            Some(demo.python_source),
        );
        let py = nth_line(demo.python_source, lines.python.unwrap()).unwrap();
        assert!(py.contains("asyncio.sleep(seconds)"), "{py}");
        let rs = nth_line(demo.rust_source, lines.rust.unwrap()).unwrap();
        assert!(rs.contains("sleep(seconds)"), "{rs}");
    }

    #[test]
    fn rust_lines_come_from_the_trace() {
        assert_eq!(line_of("src/demos/gather.rs:42", "gather.rs"), Some(42));
        assert_eq!(line_of("src/demos/gather.rs:42", "wait.rs"), None);
        assert_eq!(nth_line("a\nb\n", 2), Some("b"));
        assert_eq!(nth_line("a\nb\n", 0), None);
    }
}

//! Tracebacks as CPython prints them. RustPython's `write_exception` lists every frame; CPython
//! prints a run of the same entry (file, line, function) three times, then one line
//! `  [Previous line repeated N more times]`, so that a runaway recursion's report stays short.

use rustpython_vm::builtins::PyBaseException;
use rustpython_vm::{Py, VirtualMachine};

/// How many entries of a run CPython prints before it folds the rest (`_RECURSIVE_CUTOFF`).
const RECURSIVE_CUTOFF: usize = 3;

/// `exc`, its chained exceptions and their tracebacks, as CPython's default hook prints them.
pub(crate) fn write_exception(vm: &VirtualMachine, out: &mut String, exc: &Py<PyBaseException>) {
    let mut text = String::new();
    let _ = vm.write_exception(&mut text, exc);
    out.push_str(&fold_repeated_entries(&text));
}

/// Folds each run of identical consecutive entries of the tracebacks in `text` (an entry is a
/// `  File "...", line N, in name` line and the source line under it, if any).
pub(crate) fn fold_repeated_entries(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(1 << 16));
    let mut in_traceback = false;
    // The header of the run of entries in progress, and its length so far.
    let mut run: Option<&str> = None;
    let mut count = 0;
    for line in text.split_inclusive('\n') {
        let header = in_traceback && line.starts_with("  File \"");
        let source = in_traceback && run.is_some() && !header && line.starts_with("    ");
        if header {
            if run != Some(line) {
                note_repeats(&mut out, count);
                run = Some(line);
                count = 0;
            }
            count += 1;
        } else if !source {
            note_repeats(&mut out, count);
            run = None;
            count = 0;
            in_traceback = line.trim_end() == "Traceback (most recent call last):";
        }
        if count <= RECURSIVE_CUTOFF {
            out.push_str(line);
        }
    }
    note_repeats(&mut out, count);
    out
}

fn note_repeats(out: &mut String, count: usize) {
    if count > RECURSIVE_CUTOFF {
        let more = count - RECURSIVE_CUTOFF;
        let plural = if more > 1 { "s" } else { "" };
        out.push_str(&format!("  [Previous line repeated {more} more time{plural}]\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::fold_repeated_entries;

    fn traceback(entries: &[&str], last: &str) -> String {
        let mut text = String::from("Traceback (most recent call last):\n");
        for e in entries {
            text.push_str(e);
        }
        text.push_str(last);
        text
    }

    const MODULE: &str = "  File \"main.py\", line 4, in <module>\n    deeper(0)\n";
    const DEEPER: &str = "  File \"main.py\", line 2, in deeper\n    return deeper(n + 1)\n";

    #[test]
    fn fold_keeps_three_entries_of_a_run_and_counts_the_rest() {
        let mut entries = vec![MODULE];
        entries.extend(std::iter::repeat_n(DEEPER, 999));
        let folded = fold_repeated_entries(&traceback(&entries, "RecursionError: too deep\n"));
        let expected = format!(
            "Traceback (most recent call last):\n{MODULE}{DEEPER}{DEEPER}{DEEPER}  [Previous line repeated 996 more times]\nRecursionError: too deep\n"
        );
        assert_eq!(folded, expected);
    }

    #[test]
    fn fold_says_time_for_one_more_and_leaves_runs_of_three_alone() {
        let four = traceback(&[DEEPER, DEEPER, DEEPER, DEEPER, MODULE], "E\n");
        let folded = fold_repeated_entries(&four);
        assert_eq!(
            folded,
            traceback(
                &[
                    DEEPER,
                    DEEPER,
                    DEEPER,
                    "  [Previous line repeated 1 more time]\n",
                    MODULE
                ],
                "E\n"
            )
        );
        let three = traceback(&[MODULE, DEEPER, DEEPER, DEEPER], "E\n");
        assert_eq!(fold_repeated_entries(&three), three);
    }

    #[test]
    fn fold_compares_whole_entries_and_each_traceback_of_a_chain_alone() {
        // Entries without source lines (the page has no file to read them from).
        let a = "  File \"main.py\", line 2, in f\n";
        let b = "  File \"main.py\", line 3, in f\n";
        let chained = format!(
            "{}\nDuring handling of the above exception, another exception occurred:\n\n{}",
            traceback(&[a, a, a, a, a, b, a], "ValueError: x\n"),
            traceback(&[a, a], "KeyError: 'y'\n")
        );
        let expected = format!(
            "{}\nDuring handling of the above exception, another exception occurred:\n\n{}",
            traceback(
                &[a, a, a, "  [Previous line repeated 2 more times]\n", b, a],
                "ValueError: x\n"
            ),
            traceback(&[a, a], "KeyError: 'y'\n")
        );
        assert_eq!(fold_repeated_entries(&chained), expected);
        // Outside a traceback, nothing is folded.
        let message = format!("{a}{a}{a}{a}{a}");
        assert_eq!(fold_repeated_entries(&message), message);
    }
}

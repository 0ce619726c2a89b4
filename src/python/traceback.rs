//! Tracebacks as CPython prints them. RustPython lists the frames of one exception; the lab
//! prints the rest as CPython's default hook does:
//!
//! - the exception's line is `Class: str(exc)` (`__str__` decides, a class from another module
//!   than `__main__` or `builtins` is named with its module), then its `__notes__`;
//! - a chain follows `__cause__`, or `__context__` unless `raise ... from None` suppressed it;
//! - an exception group (a task group's failures) is drawn as a tree: `+ Exception Group
//!   Traceback`, then each sub-exception in a numbered frame of `|` margins (at most 15 per
//!   group, 10 groups deep);
//! - a run of the same entry (file, line, function) is printed three times, then
//!   `  [Previous line repeated N more times]`, so that a runaway recursion's report stays short.

use std::collections::HashSet;

use rustpython_vm::builtins::{PyBaseException, PyBaseExceptionRef, PyTuple};
use rustpython_vm::{AsObject, Py, VirtualMachine};

/// How many entries of a run CPython prints before it folds the rest (`_RECURSIVE_CUTOFF`).
const RECURSIVE_CUTOFF: usize = 3;
/// How many sub-exceptions of a group CPython prints (`max_group_width`).
const MAX_GROUP_WIDTH: usize = 15;
/// How deep CPython prints groups within groups (`max_group_depth`).
const MAX_GROUP_DEPTH: usize = 10;

/// `exc`, its chained exceptions and their tracebacks, as CPython's default hook prints them.
pub(crate) fn write_exception(vm: &VirtualMachine, out: &mut String, exc: &Py<PyBaseException>) {
    let mut printer = Printer {
        vm,
        text: String::new(),
        seen: HashSet::new(),
        depth: 0,
        need_close: false,
    };
    printer.chain(exc);
    out.push_str(&fold_repeated_entries(&printer.text));
}

/// CPython's `TracebackException.format` and its print context: where the text goes, how deep
/// in exception groups it is, and whether the last sub-exception's frame still needs closing.
struct Printer<'vm> {
    vm: &'vm VirtualMachine,
    text: String,
    seen: HashSet<usize>,
    depth: usize,
    need_close: bool,
}

impl Printer<'_> {
    fn indent(&self) -> String {
        " ".repeat(2 * self.depth)
    }

    /// Writes each line of `text` after the margin of the current depth (`|`, or `margin`).
    fn emit(&mut self, text: &str, margin: char) {
        let mut prefix = self.indent();
        if self.depth > 0 {
            prefix.push(margin);
            prefix.push(' ');
        }
        for line in text.split_inclusive('\n') {
            self.text.push_str(&prefix);
            self.text.push_str(line);
        }
    }

    /// `exc` and the exceptions chained before it, the oldest first.
    fn chain(&mut self, exc: &Py<PyBaseException>) {
        let vm = self.vm;
        let mut links: Vec<(Option<&'static str>, PyBaseExceptionRef)> = Vec::new();
        let mut next = Some((None, exc.to_owned()));
        while let Some((message, exc)) = next.take() {
            self.seen.insert(exc.get_id());
            let suppressed = exc
                .as_object()
                .get_attr("__suppress_context__", vm)
                .ok()
                .and_then(|s| s.try_to_bool(vm).ok())
                .unwrap_or(false);
            next = match (exc.__cause__(), exc.__context__()) {
                (Some(cause), _) => Some((Some(CAUSE), cause)),
                (None, Some(context)) if !suppressed => Some((Some(CONTEXT), context)),
                _ => None,
            }
            .filter(|(_, e)| !self.seen.contains(&e.get_id()));
            links.push((message, exc));
        }
        // Each link's message goes between it and the exception it led to.
        let mut message = None;
        for (link, exc) in links.into_iter().rev() {
            if let Some(message) = message {
                self.emit(message, '|');
            }
            self.one(&exc);
            message = link;
        }
    }

    /// One exception (or group) without what is chained to it.
    fn one(&mut self, exc: &Py<PyBaseException>) {
        let vm = self.vm;
        let (entries, own_line) = frames_and_line(vm, exc);
        let members = exc
            .class()
            .fast_issubclass(vm.ctx.exceptions.base_exception_group)
            .then(|| exc.as_object().get_attr("exceptions", vm).ok())
            .flatten()
            .and_then(|e| e.downcast::<PyTuple>().ok());
        let Some(members) = members else {
            if let Some(entries) = entries {
                self.emit("Traceback (most recent call last):\n", '|');
                self.emit(&entries, '|');
            }
            self.emit(&own_line, '|');
            return;
        };
        if self.depth > MAX_GROUP_DEPTH {
            self.emit(&format!("... (max_group_depth is {MAX_GROUP_DEPTH})\n"), '|');
            return;
        }
        let top = self.depth == 0;
        if top {
            self.depth += 1;
        }
        if let Some(entries) = entries {
            self.emit(
                "Exception Group Traceback (most recent call last):\n",
                if top { '+' } else { '|' },
            );
            self.emit(&entries, '|');
        }
        self.emit(&own_line, '|');
        let count = members.len();
        let shown = count.min(MAX_GROUP_WIDTH + 1);
        self.need_close = false;
        for i in 0..shown {
            let last = i + 1 == shown;
            if last {
                self.need_close = true;
            }
            let truncated = i >= MAX_GROUP_WIDTH;
            let title = if truncated {
                "...".to_string()
            } else {
                (i + 1).to_string()
            };
            let corner = if i == 0 { "+-" } else { "  " };
            let line = format!("{}{corner}+---------------- {title} ----------------\n", self.indent());
            self.text.push_str(&line);
            self.depth += 1;
            if truncated {
                let more = count - MAX_GROUP_WIDTH;
                let plural = if more > 1 { "s" } else { "" };
                self.emit(&format!("and {more} more exception{plural}\n"), '|');
            } else if let Some(member) = members
                .get(i)
                .and_then(|m| m.clone().downcast::<PyBaseException>().ok())
            {
                self.chain(&member);
            }
            if last && self.need_close {
                let line = format!("{}+------------------------------------\n", self.indent());
                self.text.push_str(&line);
                self.need_close = false;
            }
            self.depth -= 1;
        }
        if top {
            self.depth = 0;
        }
    }
}

const CAUSE: &str = "\nThe above exception was the direct cause of the following exception:\n\n";
const CONTEXT: &str = "\nDuring handling of the above exception, another exception occurred:\n\n";

/// An exception's traceback entries (RustPython's text, without its header; none without a
/// traceback, empty when all were the lab's `asyncio`'s) and the line (or lines) that name it,
/// as CPython's `format_exception_only` writes them.
fn frames_and_line(vm: &VirtualMachine, exc: &Py<PyBaseException>) -> (Option<String>, String) {
    let mut inner = String::new();
    let _ = vm.write_exception_inner(&mut inner, exc);
    if exc.class().fast_issubclass(vm.ctx.exceptions.syntax_error) {
        // RustPython draws a SyntaxError's source and caret as CPython does: kept whole.
        let (entries, rest) = split_entries(&inner);
        return ((!entries.is_empty()).then_some(entries), rest);
    }
    let (entries, _) = split_entries(&inner);
    let entries = (!entries.is_empty()).then(|| without_asyncio_entries(&entries));
    let class = exc.class();
    let mut name = class.slot_name().to_string();
    if let Some(qualname) = class
        .as_object()
        .get_attr("__qualname__", vm)
        .ok()
        .and_then(|q| q.str(vm).ok())
    {
        name = qualname.to_string();
    }
    let module = class
        .as_object()
        .get_attr("__module__", vm)
        .ok()
        .and_then(|m| m.str(vm).ok())
        .map(|m| m.to_string());
    if let Some(module) = module.filter(|m| m != "__main__" && m != "builtins") {
        name = format!("{module}.{name}");
    }
    let text = match exc.as_object().str(vm) {
        Ok(s) => s.to_string(),
        Err(_) => "<exception str() failed>".to_string(),
    };
    let mut line = if text.is_empty() {
        name
    } else {
        format!("{name}: {text}")
    };
    if let Some(suggestion) = rustpython_vm::suggestion::offer_suggestions(exc, vm) {
        line.push_str(&format!(". Did you mean: '{suggestion}'?"));
    }
    line.push('\n');
    if let Ok(notes) = exc.as_object().get_attr("__notes__", vm) {
        if let Ok(notes) = notes.try_to_value::<Vec<rustpython_vm::PyObjectRef>>(vm) {
            for note in notes {
                let note = note
                    .str(vm)
                    .map(|s| s.to_string())
                    .unwrap_or_else(|_| "<note str() failed>".into());
                line.push_str(&note);
                line.push('\n');
            }
        }
    }
    (entries, line)
}

/// The lab's own `asyncio` module (wait_for's and timeout()'s Python halves) stands in for
/// CPython's asyncio, whose loop is native here: as the rest of the loop has no frames to list,
/// neither do these (`  File "asyncio", line 163, in wait_for`).
fn without_asyncio_entries(entries: &str) -> String {
    let mut kept = String::with_capacity(entries.len());
    let mut skipping = false;
    for line in entries.split_inclusive('\n') {
        if line.starts_with("  File \"") {
            skipping = line.starts_with("  File \"asyncio\", ");
        }
        if !skipping {
            kept.push_str(line);
        }
    }
    kept
}

/// Splits RustPython's text of one exception into its entries (without the `Traceback` header)
/// and the rest.
fn split_entries(inner: &str) -> (String, String) {
    let mut entries = String::new();
    let mut rest = String::new();
    let mut in_entries = true;
    for line in inner.split_inclusive('\n') {
        if in_entries && line.starts_with("Traceback (most recent call last):") {
            continue;
        }
        if in_entries && (line.starts_with("  File \"") || line.starts_with("    ")) {
            entries.push_str(line);
        } else {
            in_entries = false;
            rest.push_str(line);
        }
    }
    (entries, rest)
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

//! The text timeline: one row per task, one column per instant at which a step ran.
//!
//! ```text
//! time (s)  0.000    1.000    1.500    2.000
//! Task-1    #        .        .        #o
//! Task-2    +#       #o
//! ```
//!
//! In a cell, `+` is the task's creation, each `#` one step, `o`, `x` and `c` its end (returned,
//! failed, cancelled), and `.` a wait (alive, no step at that instant). Virtual time has no
//! duration inside an iteration, so several steps at one instant share a cell.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{EventKind, Outcome, Trace};

const MIN_CELL: usize = 6;

/// Draws the trace as text (see the module documentation).
pub fn text_timeline(trace: &Trace) -> String {
    // Distinct instants, in order, keyed by the time's text so that equal prints share a column.
    let mut instants: Vec<f64> = Vec::new();
    let mut column_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut column = |time: f64, instants: &mut Vec<f64>| -> usize {
        let key = format!("{time:.3}");
        *column_of.entry(key).or_insert_with(|| {
            instants.push(time);
            instants.len() - 1
        })
    };

    let task_count = trace.tasks().len();
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); task_count];
    let mut first: Vec<Option<usize>> = vec![None; task_count];
    let mut last: Vec<Option<usize>> = vec![None; task_count];
    for event in &trace.events {
        let Some(id) = event.task else { continue };
        let mark = match &event.kind {
            EventKind::Spawned { .. } => '+',
            EventKind::StepBegin => '#',
            EventKind::Exited { outcome } => match outcome {
                Outcome::Returned => 'o',
                Outcome::Failed { .. } => 'x',
                Outcome::Cancelled => 'c',
            },
            _ => continue,
        };
        let col = column(event.time, &mut instants);
        let row = &mut cells[id as usize];
        if row.len() <= col {
            row.resize(col + 1, String::new());
        }
        row[col].push(mark);
        first[id as usize].get_or_insert(col);
        if matches!(event.kind, EventKind::Exited { .. }) {
            last[id as usize] = Some(col);
        }
    }

    let name_width = trace
        .tasks()
        .map(|t| t.name.to_string().chars().count())
        .max()
        .unwrap_or(0)
        .max("time (s)".len())
        + 2;
    let mut widths: Vec<usize> = instants.iter().map(|t| format!("{t:.3}").len().max(MIN_CELL)).collect();
    for row in &cells {
        for (col, cell) in row.iter().enumerate() {
            widths[col] = widths[col].max(cell.chars().count());
        }
    }

    let mut out = String::new();
    let _ = write!(out, "{:<name_width$}", "time (s)");
    for (t, w) in instants.iter().zip(&widths) {
        let _ = write!(out, "{:<w$}  ", format!("{t:.3}"));
    }
    out = out.trim_end().to_string();
    out.push('\n');
    for (task, row) in trace.tasks().zip(&cells) {
        let id = task.id as usize;
        let mut line = format!("{:<name_width$}", task.name);
        let end = last[id].unwrap_or(instants.len().saturating_sub(1));
        for (col, w) in widths.iter().enumerate() {
            let cell = row.get(col).map(String::as_str).unwrap_or("");
            let alive = first[id].is_some_and(|f| col >= f) && col <= end;
            let shown = if cell.is_empty() && alive { "." } else { cell };
            let _ = write!(line, "{:<w$}  ", shown);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "total {:.3} s, {} iterations, {} tasks",
        trace.end_time, trace.iterations, task_count
    );
    out
}

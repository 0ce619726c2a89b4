//! The `looplab` command:
//!
//! - `looplab list`: the demos, an id and a title a line;
//! - `looplab show <id>`: the concept, the parameters with defaults and bounds, the Rust source;
//! - `looplab run <id> [--param name=value]... [--seed N] [--format F] [--real-time]`: runs a
//!   demo and prints its transcript, text timeline, JSON trace or Chrome trace.
//!
//! - `looplab py <file.py> [arg]... [--seed N] [--format F] [--real-time]`: runs a Python
//!   asyncio program on looplab's executor (the Python lab's engine, feature `python`) and prints
//!   what it prints (or its trace); exit status 1 when the program raised, 2 for a syntax error.
//!
//! Misuse (an unknown demo, format or parameter, a value out of bounds) exits with status 2 and
//! a message naming the valid choices; nothing runs.

use std::ffi::OsString;
use std::io::Write;

use crate::demos::{self, Demo, Params};
use crate::runtime::{ClockKind, LoopOptions};
use crate::trace::{chrome_trace, text_timeline};

/// What `run` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The transcript lines.
    Transcript,
    /// The text timeline.
    Timeline,
    /// The trace as JSON.
    Json,
    /// The Chrome trace-event JSON (Perfetto, `chrome://tracing`).
    ChromeTrace,
}

const FORMATS: &[(&str, Format)] = &[
    ("transcript", Format::Transcript),
    ("timeline", Format::Timeline),
    ("json", Format::Json),
    ("chrome-trace", Format::ChromeTrace),
];

const USAGE: &str = "usage: looplab list
       looplab show <demo>
       looplab run <demo> [--param name=value]... [--seed N]
                          [--format transcript|timeline|json|chrome-trace] [--real-time]
       looplab py <file.py> [arg]... [--seed N] [--real-time]
                          [--format transcript|timeline|json|chrome-trace]
                          [--max-steps N] [--time-limit SECONDS]";

/// A misuse of the command line: the message to print, with exit status 2.
#[derive(Debug, PartialEq)]
struct Usage(String);

impl From<lexopt::Error> for Usage {
    fn from(e: lexopt::Error) -> Self {
        Usage(e.to_string())
    }
}

struct RunArgs {
    demo: &'static Demo,
    params: Params,
    seed: Option<u64>,
    format: Format,
    real_time: bool,
}

/// `looplab py`'s arguments.
struct PyArgs {
    file: String,
    args: Vec<String>,
    seed: Option<u64>,
    format: Format,
    real_time: bool,
    max_steps: Option<u64>,
    time_limit: Option<f64>,
}

enum Command {
    List,
    Show(&'static Demo),
    Run(RunArgs),
    Py(PyArgs),
    Help,
}

fn parse_format(name: &str) -> Result<Format, Usage> {
    FORMATS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let names: Vec<&str> = FORMATS.iter().map(|(n, _)| *n).collect();
            Usage(format!("unknown format '{name}'; choose one of: {}", names.join(", ")))
        })
}

fn parse_seed(text: &str) -> Result<u64, Usage> {
    text.parse::<u64>().map_err(|_| {
        Usage(format!(
            "--seed must be a whole number from 0 to {}, not '{text}'",
            u64::MAX
        ))
    })
}

fn find_demo(id: &str) -> Result<&'static Demo, Usage> {
    demos::find(id).ok_or_else(|| {
        Usage(format!(
            "unknown demo '{}'; the demos are: {}",
            id.chars().take(60).collect::<String>(),
            demos::ids().join(", ")
        ))
    })
}

fn parse(args: Vec<OsString>) -> Result<Command, Usage> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let command = match parser.next()? {
        None => return Err(Usage("no command given".into())),
        Some(Long("help") | Short('h')) => return Ok(Command::Help),
        Some(Value(v)) => v.string()?,
        Some(other) => return Err(other.unexpected().into()),
    };
    match command.as_str() {
        "help" => Ok(Command::Help),
        "list" => {
            if let Some(arg) = parser.next()? {
                return Err(arg.unexpected().into());
            }
            Ok(Command::List)
        }
        "show" => {
            let id = match parser.next()? {
                Some(Value(v)) => v.string()?,
                Some(other) => return Err(other.unexpected().into()),
                None => {
                    return Err(Usage(format!(
                        "show needs a demo id; one of: {}",
                        demos::ids().join(", ")
                    )))
                }
            };
            if let Some(arg) = parser.next()? {
                return Err(arg.unexpected().into());
            }
            Ok(Command::Show(find_demo(&id)?))
        }
        "run" => {
            let mut id = None;
            let mut pairs = Vec::new();
            let mut seed = None;
            let mut format = Format::Transcript;
            let mut real_time = false;
            while let Some(arg) = parser.next()? {
                match arg {
                    Long("format") | Short('f') => format = parse_format(&parser.value()?.string()?)?,
                    Long("param") | Short('p') => pairs.push(parser.value()?.string()?),
                    Long("seed") => seed = Some(parse_seed(&parser.value()?.string()?)?),
                    Long("real-time") => real_time = true,
                    Value(v) if id.is_none() => id = Some(v.string()?),
                    other => return Err(other.unexpected().into()),
                }
            }
            let id = id.ok_or_else(|| Usage(format!("run needs a demo id; one of: {}", demos::ids().join(", "))))?;
            let demo = find_demo(&id)?;
            let mut params = demo.defaults();
            for pair in pairs {
                params.set_pair(&pair).map_err(|e| Usage(e.to_string()))?;
            }
            Ok(Command::Run(RunArgs {
                demo,
                params,
                seed,
                format,
                real_time,
            }))
        }
        "py" => {
            let mut py = PyArgs {
                file: String::new(),
                args: Vec::new(),
                seed: None,
                format: Format::Transcript,
                real_time: false,
                max_steps: None,
                time_limit: None,
            };
            let mut file = None;
            while let Some(arg) = parser.next()? {
                match arg {
                    Long("format") | Short('f') => py.format = parse_format(&parser.value()?.string()?)?,
                    Long("seed") => py.seed = Some(parse_seed(&parser.value()?.string()?)?),
                    Long("real-time") => py.real_time = true,
                    Long("max-steps") => {
                        let text = parser.value()?.string()?;
                        py.max_steps = Some(
                            text.parse::<u64>()
                                .map_err(|_| Usage(format!("--max-steps must be a whole number, not '{text}'")))?,
                        );
                    }
                    Long("time-limit") => {
                        let text = parser.value()?.string()?;
                        py.time_limit = Some(
                            text.parse::<f64>()
                                .ok()
                                .filter(|s| s.is_finite() && *s > 0.0)
                                .ok_or_else(|| {
                                    Usage(format!(
                                        "--time-limit must be a positive number of seconds, not '{text}'"
                                    ))
                                })?,
                        );
                    }
                    Value(v) if file.is_none() => file = Some(v.string()?),
                    Value(v) => py.args.push(v.string()?),
                    other => return Err(other.unexpected().into()),
                }
            }
            py.file = file.ok_or_else(|| Usage("py needs a Python file".into()))?;
            Ok(Command::Py(py))
        }
        other => Err(Usage(format!(
            "unknown command '{other}'; the commands are: list, show, run, py"
        ))),
    }
}

fn show(demo: &Demo) -> String {
    let mut out = format!(
        "{}: {}\n{} ({})\n\n",
        demo.id,
        demo.title,
        demo.concept,
        demo.section.title()
    );
    if demo.params.is_empty() {
        out.push_str("parameters: none\n");
    } else {
        out.push_str("parameters:\n");
        for p in demo.params {
            out.push_str(&format!(
                "  {:<12} {} (default {}; {})\n",
                p.name,
                p.help,
                p.default,
                p.kind.describe()
            ));
        }
    }
    out.push_str(&format!(
        "\n--- src/demos/{}.rs\n{}",
        demo.id.replace('-', "_"),
        demo.rust_source
    ));
    out
}

fn run(args: RunArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let clock = if args.real_time {
        real_clock()
    } else {
        ClockKind::Virtual
    };
    let options = LoopOptions {
        trace: true,
        seed: args.seed,
        clock,
        max_iterations: 2_000_000,
        ..LoopOptions::default()
    };
    let report = args.demo.run_with(options, args.params);
    let Some(trace) = report.trace else {
        let _ = writeln!(err, "looplab: the run recorded no trace");
        return 1;
    };
    let text = match args.format {
        Format::Transcript => report.transcript.iter().map(|l| format!("{l}\n")).collect(),
        format => trace_text(&trace, format),
    };
    let written = out.write_all(text.as_bytes());
    if let Err(e) = report.result {
        let _ = writeln!(err, "looplab: the demo failed: {}", e.repr());
        return 1;
    }
    if written.is_err() {
        return 1;
    }
    0
}

/// Writes a trace as `format` asks.
fn trace_text(trace: &crate::trace::Trace, format: Format) -> String {
    match format {
        Format::Transcript => trace.transcript().iter().map(|l| format!("{l}\n")).collect(),
        Format::Timeline => text_timeline(trace),
        Format::Json => trace.to_json() + "\n",
        Format::ChromeTrace => chrome_trace(trace) + "\n",
    }
}

#[cfg(feature = "python")]
fn py(args: PyArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use crate::python::{run_source, Budgets, Exit, LabOptions};
    let source = match std::fs::read_to_string(&args.file) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(err, "looplab: cannot read {}: {e}", args.file);
            return 2;
        }
    };
    let options = LabOptions {
        clock: if args.real_time {
            real_clock()
        } else {
            ClockKind::Virtual
        },
        seed: args.seed,
        trace: args.format != Format::Transcript,
        args: args.args,
        // The command line has no time limit unless asked (a real-time program may run long).
        budgets: Budgets {
            steps: args.max_steps.unwrap_or(10_000_000),
            seconds: args.time_limit,
            memory: None,
        },
    };
    // CPython runs a script under its absolute path: tracebacks and task reprs show that.
    let filename = std::path::absolute(&args.file).map_or_else(|_| args.file.clone(), |p| p.display().to_string());
    let run = run_source(&source, &filename, &options);
    let text = match args.format {
        Format::Transcript => run.stdout.clone(),
        format => run.traces.iter().map(|t| trace_text(t, format)).collect(),
    };
    let written = out.write_all(text.as_bytes());
    let _ = err.write_all(run.stderr.as_bytes());
    match &run.exit {
        Exit::SyntaxError { line, column, message } => {
            let _ = writeln!(err, "{}:{line}:{column}: syntax error: {message}", args.file);
        }
        Exit::Stopped { reason } => {
            let _ = writeln!(err, "looplab: {reason}");
        }
        _ => {}
    }
    if written.is_err() {
        return 1;
    }
    run.status()
}

#[cfg(not(feature = "python"))]
fn py(_args: PyArgs, _out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let _ = writeln!(
        err,
        "looplab: this build has no Python lab; build it with the feature `python`:\n  cargo run --release --features python -- py FILE.py"
    );
    2
}

#[cfg(not(target_arch = "wasm32"))]
fn real_clock() -> ClockKind {
    ClockKind::real_native()
}

#[cfg(target_arch = "wasm32")]
fn real_clock() -> ClockKind {
    ClockKind::Virtual
}

/// Runs the command line `args` (without the program name), writing to `out` and `err`.
/// Returns the exit status.
pub fn main(args: Vec<OsString>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let command = match parse(args) {
        Ok(c) => c,
        Err(Usage(message)) => {
            let _ = writeln!(err, "looplab: {message}\n{USAGE}");
            return 2;
        }
    };
    let written = match command {
        Command::Help => writeln!(out, "{USAGE}"),
        Command::List => demos::DEMOS
            .iter()
            .try_for_each(|d| writeln!(out, "{:<28}{}", d.id, d.title)),
        Command::Show(demo) => out.write_all(show(demo).as_bytes()),
        Command::Run(args) => return run(args, out, err),
        Command::Py(args) => return py(args, out, err),
    };
    match written {
        Ok(()) => 0,
        Err(_) => 1,
    }
}

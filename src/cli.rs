//! The `looplab` command: `list` prints the demo ids; `run <id>` runs one and prints its
//! transcript, text timeline or JSON trace. Misuse exits with status 2 and names the choices.

use std::ffi::OsString;
use std::io::Write;

use crate::demos;
use crate::trace::text_timeline;

/// What `run` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The transcript lines.
    Transcript,
    /// The text timeline.
    Timeline,
    /// The trace as JSON.
    Json,
}

const FORMATS: &[(&str, Format)] = &[
    ("transcript", Format::Transcript),
    ("timeline", Format::Timeline),
    ("json", Format::Json),
];

const USAGE: &str = "usage: looplab list
       looplab run <demo> [--format transcript|timeline|json]";

/// A misuse of the command line: the message to print, with exit status 2.
#[derive(Debug, PartialEq)]
struct Usage(String);

impl From<lexopt::Error> for Usage {
    fn from(e: lexopt::Error) -> Self {
        Usage(e.to_string())
    }
}

enum Command {
    List,
    Run { id: String, format: Format },
    Help,
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
        "run" => {
            let mut id = None;
            let mut format = Format::Transcript;
            while let Some(arg) = parser.next()? {
                match arg {
                    Long("format") | Short('f') => {
                        let name = parser.value()?.string()?;
                        format = FORMATS
                            .iter()
                            .find(|(n, _)| *n == name)
                            .map(|(_, f)| *f)
                            .ok_or_else(|| {
                                let names: Vec<&str> = FORMATS.iter().map(|(n, _)| *n).collect();
                                Usage(format!("unknown format '{name}'; choose one of: {}", names.join(", ")))
                            })?;
                    }
                    Value(v) if id.is_none() => id = Some(v.string()?),
                    other => return Err(other.unexpected().into()),
                }
            }
            let id = id.ok_or_else(|| Usage(format!("run needs a demo id; one of: {}", demos::ids().join(", "))))?;
            Ok(Command::Run { id, format })
        }
        other => Err(Usage(format!("unknown command '{other}'; the commands are: list, run"))),
    }
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
        Command::List => demos::DEMOS.iter().try_for_each(|d| writeln!(out, "{}", d.id)),
        Command::Run { id, format } => {
            let Some(demo) = demos::find(&id) else {
                let _ = writeln!(
                    err,
                    "looplab: unknown demo '{id}'; the demos are: {}",
                    demos::ids().join(", ")
                );
                return 2;
            };
            let report = demo.run_traced();
            let trace = report.trace.expect("a traced run has a trace");
            let text = match format {
                Format::Transcript => report.transcript.iter().map(|l| format!("{l}\n")).collect(),
                Format::Timeline => text_timeline(&trace),
                Format::Json => trace.to_json() + "\n",
            };
            let written = out.write_all(text.as_bytes());
            if let Err(e) = report.result {
                let _ = writeln!(err, "looplab: the demo failed: {}", e.repr());
                return 1;
            }
            written
        }
    };
    match written {
        Ok(()) => 0,
        Err(_) => 1,
    }
}

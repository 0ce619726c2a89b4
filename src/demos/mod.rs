//! The demo catalog: one file per demo, all registered in [`DEMOS`].
//!
//! Each demo is a main coroutine plus what the page and the CLI show about it. Its Python twin
//! lives in `tests/twins/<id>.py`; the parity test checks that both print the same transcript.

use std::future::Future;
use std::pin::Pin;

use crate::runtime::{Error, Loop, LoopOptions, RunReport};

pub mod params;
pub use params::{Kind, ParamError, ParamSpec, Params, Value};

pub mod mental_model;
pub mod sequential_vs_concurrent;

/// The boxed main coroutine of a demo.
pub type DemoMain = Pin<Box<dyn Future<Output = Result<(), Error>>>>;

/// A part of the guide the demos follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Part 1: the guide's core concepts.
    Core,
    /// Part 2: the guide's advanced topics.
    Advanced,
}

impl Section {
    /// The section's heading.
    pub fn title(self) -> &'static str {
        match self {
            Section::Core => "Core concepts",
            Section::Advanced => "Advanced topics",
        }
    }
}

/// One demo of the catalog.
pub struct Demo {
    /// The id used in URLs, the CLI and file names.
    pub id: &'static str,
    /// A short title.
    pub title: &'static str,
    /// The concept, in one sentence.
    pub concept: &'static str,
    /// Where it belongs in the guide.
    pub section: Section,
    /// What a learner may change.
    pub params: &'static [ParamSpec],
    /// A second set of values (besides the defaults) the parity test runs.
    pub alternate: &'static [(&'static str, &'static str)],
    /// Makes its main coroutine.
    pub main: fn(Params) -> DemoMain,
    /// Its Rust source.
    pub rust_source: &'static str,
    /// Its Python twin.
    pub python_source: &'static str,
}

impl std::fmt::Debug for Demo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Demo").field("id", &self.id).finish()
    }
}

impl Demo {
    /// Its parameters at their defaults.
    pub fn defaults(&self) -> Params {
        Params::defaults(self.params)
    }

    /// Its parameters at the alternate values.
    pub fn alternate_params(&self) -> Params {
        let mut params = self.defaults();
        for (name, value) in self.alternate {
            if let Err(e) = params.set(name, value) {
                panic!("demo {}: alternate parameters: {e}", self.id);
            }
        }
        params
    }

    /// Runs the demo as `asyncio.run` would, on a loop with these options.
    pub fn run_with(&self, options: LoopOptions, params: Params) -> RunReport<()> {
        Loop::new(options).run_report((self.main)(params))
    }

    /// Runs the demo at its defaults on a loop with these options.
    pub fn run(&self, options: LoopOptions) -> RunReport<()> {
        self.run_with(options, self.defaults())
    }

    /// Runs the demo at its defaults on the virtual clock with tracing on.
    pub fn run_traced(&self) -> RunReport<()> {
        self.run(LoopOptions {
            trace: true,
            ..LoopOptions::default()
        })
    }
}

macro_rules! demo {
    ($module:ident, $id:literal, $section:ident, $title:literal, $concept:literal, $alternate:expr) => {
        Demo {
            id: $id,
            title: $title,
            concept: $concept,
            section: Section::$section,
            params: $module::PARAMS,
            alternate: $alternate,
            main: |params| Box::pin($module::main(params)),
            rust_source: include_str!(concat!(stringify!($module), ".rs")),
            python_source: include_str!(concat!("../../tests/twins/", $id, ".py")),
        }
    };
}

/// Every demo, in the catalog's order.
pub static DEMOS: &[Demo] = &[
    demo!(
        mental_model,
        "mental-model",
        Core,
        "The mental model",
        "A single thread overlaps waiting: calls that wait take as long as the longest when started together.",
        &[("llm", "3"), ("api", "0.25")]
    ),
    demo!(
        sequential_vs_concurrent,
        "sequential-vs-concurrent",
        Core,
        "Sequential vs concurrent",
        "Awaiting a coroutine runs it in the current task; create_task runs it beside the others.",
        &[("a", "0.5"), ("c", "3")]
    ),
];

/// The demo with this id.
pub fn find(id: &str) -> Option<&'static Demo> {
    DEMOS.iter().find(|d| d.id == id)
}

/// Every demo id, for messages that name the valid choices.
pub fn ids() -> Vec<&'static str> {
    DEMOS.iter().map(|d| d.id).collect()
}

//! The demo catalog: one file per demo, all listed in [`DEMOS`].
//!
//! Each demo file holds the whole demo: its parameters (declared with `parameters!`, read as
//! typed fields), its definition (`pub const DEMO: Demo = demo! { ... }`: id, title, concept,
//! section, alternate values) and its main coroutine. Its Python twin lives in
//! `tests/twins/<id>.py`; the parity test checks that both print the same transcript.

use std::future::Future;
use std::pin::Pin;

use crate::runtime::{Error, Loop, LoopOptions, RunReport};

#[macro_use]
pub mod params;
pub use params::{Kind, ParamError, ParamSpec, Params, Value};

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
    pub alternate: fn() -> Params,
    /// Makes its main coroutine.
    pub main: fn(Params) -> DemoMain,
    /// Runs in asyncio's debug mode (slow steps are reported).
    pub debug: bool,
    /// A demo that drives its loop(s) itself (`loop.run_until_complete`, `loop.close`) instead of
    /// `asyncio.run(main())`.
    pub custom: Option<fn(LoopOptions, Params) -> RunReport<()>>,
    /// Its module's name (`src/demos/<module>.rs`).
    pub module: &'static str,
    /// Its Rust source, as [`DEMOS`] holds it (the `DEMO` constant of a demo's module leaves it
    /// empty). Empty in the page's build: the page fetches it from `sources/rust/`.
    pub rust_source: &'static str,
    /// Its Python twin. (Empty in the page's build: fetched from `sources/python/`.)
    pub python_source: &'static str,
}

impl PartialEq for Demo {
    /// Demos are static and unique by id.
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
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
        (self.alternate)()
    }

    /// Runs the demo as `asyncio.run` would (or as it drives itself), on a loop with these options.
    pub fn run_with(&self, options: LoopOptions, params: Params) -> RunReport<()> {
        let options = self.options(options);
        match self.custom {
            Some(custom) => custom(options, params),
            None => Loop::new(options).run_report((self.main)(params)),
        }
    }

    /// The demo's own loop options (debug mode) over `options`.
    pub fn options(&self, options: LoopOptions) -> LoopOptions {
        LoopOptions {
            debug: options.debug || self.debug,
            ..options
        }
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

/// A demo's source text, built into the CLI. The page fetches sources on demand instead (they
/// would be a seventh of its download), so its build leaves them out.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! source {
    ($path:expr) => {
        include_str!($path)
    };
}
#[cfg(target_arch = "wasm32")]
macro_rules! source {
    ($path:expr) => {
        ""
    };
}

/// The file name of a demo's source without `.rs`: its module.
pub const fn file_stem(path: &'static str) -> &'static str {
    let bytes = path.as_bytes();
    let mut start = bytes.len();
    while start > 0 && bytes[start - 1] != b'/' {
        start -= 1;
    }
    let (_, name) = bytes.split_at(start);
    let (stem, _) = name.split_at(name.len().saturating_sub(3));
    match std::str::from_utf8(stem) {
        Ok(stem) => stem,
        Err(_) => "",
    }
}

/// A demo's main coroutine on a run's values (read into its typed parameters).
pub fn launch<P, F>(values: &Params, read: fn(&Params) -> Option<P>, main: fn(P) -> F) -> DemoMain
where
    F: Future<Output = Result<(), Error>> + 'static,
{
    match read(values) {
        Some(p) => Box::pin(main(p)),
        None => Box::pin(std::future::ready(Err(not_its_parameters()))),
    }
}

/// A demo that drives its own loops, on a run's values.
pub fn launch_custom<P>(
    options: LoopOptions,
    values: &Params,
    read: fn(&Params) -> Option<P>,
    run: fn(LoopOptions, P) -> RunReport<()>,
) -> RunReport<()> {
    match read(values) {
        Some(p) => run(options, p),
        None => RunReport {
            result: Err(not_its_parameters()),
            transcript: Vec::new(),
            trace: None,
        },
    }
}

fn not_its_parameters() -> Error {
    Error::runtime("these parameter values belong to another demo")
}

/// A demo's definition, written in the demo's own file after its `parameters!` and beside its
/// `main`: `pub const DEMO: Demo = demo! { id: ..., title: ..., concept: ..., section: ...,
/// alternate: Params { ..Params::DEFAULT } }`, optionally `debug: true` (asyncio's debug mode)
/// and `custom: run` (a demo that drives its loops itself). The module name and both sources
/// come from the file it is written in and the id.
macro_rules! demo {
    (
        id: $id:literal,
        title: $title:literal,
        concept: $concept:literal,
        section: $section:ident,
        alternate: $alternate:expr,
        $(debug: $debug:literal,)?
        $(custom: $custom:path,)?
    ) => {
        $crate::demos::Demo {
            id: $id,
            title: $title,
            concept: $concept,
            section: $crate::demos::Section::$section,
            params: PARAMS,
            alternate: || {
                let alternate: Params = $alternate;
                alternate.values()
            },
            main: |values| $crate::demos::launch(&values, Params::read, main),
            debug: demo!(@debug $($debug)?),
            custom: demo!(@custom $($custom)?),
            module: $crate::demos::file_stem(file!()),
            // Filled in by the catalog (see `catalog!`).
            rust_source: "",
            python_source: source!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/twins/", $id, ".py")),
        }
    };
    (@debug $debug:literal) => { $debug };
    (@debug) => { false };
    (@custom $custom:path) => {
        Some(|options, values| $crate::demos::launch_custom(options, &values, Params::read, $custom))
    };
    (@custom) => { None };
}

pub mod agent_events;
pub mod agent_patterns;
pub mod as_completed;
pub mod async_comprehension;
pub mod async_context_manager;
pub mod async_generator;
pub mod awaitables;
pub mod blocking_the_loop;
pub mod cancellation;
pub mod context_manager_generator;
pub mod coroutine_objects;
pub mod debugging;
pub mod error_handling;
pub mod event_loop;
pub mod exit_stack;
pub mod fire_and_forget;
pub mod gather;
pub mod gather_errors;
pub mod gather_vs_taskgroup;
pub mod generator_cleanup;
pub mod locks_and_events;
pub mod mental_model;
pub mod parallel_agents_buffered;
pub mod parallel_agents_streaming;
pub mod performance_patterns;
pub mod queues;
pub mod semaphore_limit;
pub mod sequential_agents;
pub mod sequential_vs_concurrent;
pub mod streams;
pub mod sync_and_async;
pub mod task_group;
pub mod task_names_and_callbacks;
pub mod timeouts;
pub mod toolset_lifecycle;
pub mod wait;

/// Lists the demos, each with its Rust source: the module's file, named relative to this one.
/// (`file!()` in a demo's file is no help there: cargo names a crate's files by absolute paths
/// when the crate is a dependency of another project, by relative ones in its own.)
macro_rules! catalog {
    ($($module:ident),* $(,)?) => {
        /// Every demo, in the catalog's order.
        pub static DEMOS: &[Demo] = &[$(
            Demo {
                rust_source: source!(concat!(stringify!($module), ".rs")),
                ..$module::DEMO
            }
        ),*];
    };
}

catalog![
    mental_model,
    coroutine_objects,
    awaitables,
    event_loop,
    sequential_vs_concurrent,
    task_names_and_callbacks,
    fire_and_forget,
    gather,
    gather_errors,
    wait,
    as_completed,
    task_group,
    gather_vs_taskgroup,
    async_generator,
    agent_events,
    sequential_agents,
    parallel_agents_buffered,
    parallel_agents_streaming,
    generator_cleanup,
    async_comprehension,
    async_context_manager,
    context_manager_generator,
    exit_stack,
    toolset_lifecycle,
    blocking_the_loop,
    locks_and_events,
    semaphore_limit,
    queues,
    timeouts,
    cancellation,
    error_handling,
    sync_and_async,
    streams,
    debugging,
    performance_patterns,
    agent_patterns,
];

/// The demo with this id.
pub fn find(id: &str) -> Option<&'static Demo> {
    DEMOS.iter().find(|d| d.id == id)
}

/// A traced run of the demo `id` with `params` over its defaults (the view's tests and timings).
#[cfg(test)]
pub(crate) fn traced_with(id: &str, params: &[(&str, &str)]) -> crate::trace::Trace {
    let demo = find(id).unwrap();
    let mut p = demo.defaults();
    for (name, value) in params {
        p.set(name, value).unwrap();
    }
    let options = LoopOptions {
        trace: true,
        ..LoopOptions::default()
    };
    demo.run_with(options, p).trace.unwrap()
}

/// Every demo id, for messages that name the valid choices.
pub fn ids() -> Vec<&'static str> {
    DEMOS.iter().map(|d| d.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_has_a_unique_id_and_module_named_after_its_file() {
        let mut ids: Vec<_> = DEMOS.iter().map(|d| d.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), DEMOS.len(), "ids are unique");
        for demo in DEMOS {
            assert_eq!(demo.module, demo.id.replace('-', "_"), "{}", demo.id);
            #[cfg(not(target_arch = "wasm32"))]
            assert!(
                demo.rust_source.contains(&format!("id: \"{}\",", demo.id)),
                "{}'s source is its own file",
                demo.id
            );
        }
    }

    #[test]
    fn every_default_is_within_its_bounds_and_is_what_the_code_reads() {
        for demo in DEMOS {
            // `Params::defaults` parses each default's text as a user's input would be parsed
            // (and panics if one is out of its bounds); the typed side must read it back.
            let defaults = demo.defaults();
            let report = demo.run(LoopOptions::default());
            assert!(report.result.is_ok(), "{}: {:?}", demo.id, report.result);
            assert_eq!(defaults.specs(), demo.params, "{}", demo.id);
        }
    }

    #[test]
    fn every_alternate_value_is_within_its_bounds_and_differs_from_the_defaults() {
        for demo in DEMOS {
            let alternate = demo.alternate_params();
            assert_eq!(alternate.specs(), demo.params, "{}", demo.id);
            // Each value, written as the Python twin receives it, parses back to itself.
            let mut reparsed = demo.defaults();
            for arg in alternate.to_args() {
                reparsed
                    .set_pair(&arg)
                    .unwrap_or_else(|e| panic!("{}: alternate {arg}: {e}", demo.id));
            }
            assert_eq!(reparsed, alternate, "{}", demo.id);
            if !demo.params.is_empty() {
                assert!(
                    !alternate.are_defaults(),
                    "{}: the alternate set changes something",
                    demo.id
                );
            }
        }
    }

    #[test]
    fn values_of_another_demo_are_refused_without_running() {
        let gather = find("gather").unwrap();
        let timeouts = find("timeouts").unwrap();
        let report = gather.run_with(LoopOptions::default(), timeouts.defaults());
        assert_eq!(
            report.result.unwrap_err().message(),
            "these parameter values belong to another demo"
        );
        assert!(report.transcript.is_empty());
    }

    #[test]
    fn the_module_name_is_the_source_file_stem() {
        assert_eq!(file_stem("src/demos/gather_errors.rs"), "gather_errors");
        assert_eq!(file_stem("gather.rs"), "gather");
    }
}

//! The demo catalog: one file per demo, all registered in [`DEMOS`].
//!
//! Each demo is a main coroutine plus what the page and the CLI show about it. Its Python twin
//! lives in `tests/twins/<id>.py`; the parity test checks that both print the same transcript.

use std::future::Future;
use std::pin::Pin;

use crate::runtime::{Error, Loop, LoopOptions, RunReport};

pub mod params;
pub use params::{Kind, ParamError, ParamSpec, Params, Value};

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
    /// Runs in asyncio's debug mode (slow steps are reported).
    pub debug: bool,
    /// A demo that drives its loop(s) itself (`loop.run_until_complete`, `loop.close`) instead of
    /// `asyncio.run(main())`.
    pub custom: Option<fn(LoopOptions, Params) -> RunReport<()>>,
    /// Its module's name (`src/demos/<module>.rs`).
    pub module: &'static str,
    /// Its Rust source. (Empty in the page's build: the page fetches it from `sources/rust/`.)
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
        let mut params = self.defaults();
        for (name, value) in self.alternate {
            if let Err(e) = params.set(name, value) {
                panic!("demo {}: alternate parameters: {e}", self.id);
            }
        }
        params
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

macro_rules! demo {
    ($module:ident, $id:literal, $section:ident, $title:literal, $concept:literal, $alternate:expr $(, $flag:ident)?) => {
        Demo {
            id: $id,
            title: $title,
            concept: $concept,
            section: Section::$section,
            params: $module::PARAMS,
            alternate: $alternate,
            main: |params| Box::pin($module::main(params)),
            debug: demo!(@debug $($flag)?),
            custom: demo!(@custom $module $($flag)?),
            module: stringify!($module),
            rust_source: source!(concat!(stringify!($module), ".rs")),
            python_source: source!(concat!("../../tests/twins/", $id, ".py")),
        }
    };
    (@debug debug) => { true };
    (@debug $($other:ident)?) => { false };
    (@custom $module:ident custom) => { Some($module::run) };
    (@custom $module:ident $($other:ident)?) => { None };
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
        coroutine_objects,
        "coroutine-objects",
        Core,
        "Coroutine objects",
        "Calling an async function only builds a coroutine; nothing runs until it is awaited or spawned.",
        &[("delay", "2")]
    ),
    demo!(
        awaitables,
        "awaitables",
        Core,
        "Awaitables",
        "A coroutine, a task, a low-level future and a hand-written awaitable can all be awaited.",
        &[("work", "1"), ("future_at", "5"), ("ticket", "0.1")]
    ),
    demo!(
        event_loop,
        "event-loop",
        Core,
        "The event loop",
        "One iteration runs what was ready when it began; callbacks and timers run in asyncio's order.",
        &[("later", "2")]
    ),
    demo!(
        sequential_vs_concurrent,
        "sequential-vs-concurrent",
        Core,
        "Sequential vs concurrent",
        "Awaiting a coroutine runs it in the current task; create_task runs it beside the others.",
        &[("a", "0.5"), ("c", "3")]
    ),
    demo!(
        task_names_and_callbacks,
        "task-names-and-callbacks",
        Core,
        "Task names and callbacks",
        "Tasks are named Task-N unless named; done callbacks see the result or the exception.",
        &[("delay", "0.25"), ("fails", "llm")]
    ),
    demo!(
        fire_and_forget,
        "fire-and-forget",
        Core,
        "Fire and forget",
        "Background tasks need a kept reference; failures nobody reads and tasks left pending are reported.",
        &[("jobs", "5"), ("linger", "2")],
        custom
    ),
    demo!(
        gather,
        "gather",
        Core,
        "gather",
        "gather waits for all and returns the results in argument order, not completion order.",
        &[("first", "0.25"), ("third", "3")]
    ),
    demo!(
        gather_errors,
        "gather-errors",
        Core,
        "gather and errors",
        "By default the first error reaches you at once and the rest run on; return_exceptions collects them.",
        &[("fail_at", "3"), ("slow", "1")]
    ),
    demo!(
        wait,
        "wait",
        Core,
        "wait",
        "wait returns done and pending sets when all, the first, or the first failing task is done.",
        &[("fast", "1.5"), ("bad", "0.25")]
    ),
    demo!(
        as_completed,
        "as-completed",
        Core,
        "as_completed",
        "as_completed hands you results in the order they finish.",
        &[("first", "0.1"), ("second", "0.3")]
    ),
    demo!(
        task_group,
        "task-group",
        Core,
        "Task groups",
        "A task group waits for all its children, cancels the rest when one fails, and raises an ExceptionGroup.",
        &[("fail_at", "2.5"), ("slow", "2")]
    ),
    demo!(
        gather_vs_taskgroup,
        "gather-vs-taskgroup",
        Core,
        "gather vs TaskGroup",
        "When one task fails, gather leaves the others running; a task group cancels them and waits.",
        &[("long", "3")]
    ),
    demo!(
        async_generator,
        "async-generator",
        Core,
        "Async generators",
        "An async generator awaits between the items it yields; producer and consumer take turns.",
        &[("pages", "2"), ("process", "1")]
    ),
    demo!(
        agent_events,
        "agent-events",
        Core,
        "Agent events",
        "An agent can stream timestamped events (thinking, tool call, tool result, response) as they happen.",
        &[("llm", "2"), ("tool", "0.1")]
    ),
    demo!(
        sequential_agents,
        "sequential-agents",
        Core,
        "Sequential agents",
        "Two agents' streams compose one after the other through an explicit loop; there is no yield from.",
        &[("step", "0.2")]
    ),
    demo!(
        parallel_agents_buffered,
        "parallel-agents-buffered",
        Core,
        "Parallel agents, buffered",
        "Agents run in parallel, but a consumer that reads after the task group sees nothing until the slowest ends.",
        &[("slow", "3"), ("events", "2")]
    ),
    demo!(
        parallel_agents_streaming,
        "parallel-agents-streaming",
        Core,
        "Parallel agents, streaming",
        "Reading the queue while the agents run hands each event on as it arrives.",
        &[("fast", "1"), ("slow", "0.25"), ("events", "4")]
    ),
    demo!(
        generator_cleanup,
        "generator-cleanup",
        Core,
        "Generator cleanup",
        "A consumer that stops early still gets the producer's cleanup run, awaits and all.",
        &[("chunks", "3"), ("stop_after", "5")]
    ),
    demo!(
        async_comprehension,
        "async-comprehension",
        Core,
        "Async comprehensions",
        "Async comprehensions collect and filter streams; an async generator expression is lazy.",
        &[("count", "10")]
    ),
    demo!(
        async_context_manager,
        "async-context-manager",
        Core,
        "Async context managers",
        "async with awaits setup and teardown; teardown runs on error too, and the error propagates.",
        &[("setup", "0.1"), ("teardown", "2")]
    ),
    demo!(
        context_manager_generator,
        "context-manager-generator",
        Core,
        "@asynccontextmanager",
        "The same lifecycle as one generator function: setup, yield, teardown.",
        &[("setup", "1"), ("teardown", "0.25")]
    ),
    demo!(
        exit_stack,
        "exit-stack",
        Core,
        "AsyncExitStack",
        "An exit stack enters a run-time number of resources and closes them in reverse order, also on failure.",
        &[("resources", "5"), ("fail_at", "0")]
    ),
    demo!(
        toolset_lifecycle,
        "toolset-lifecycle",
        Core,
        "A toolset's lifecycle",
        "An agent owns a tool server connection: connect, list tools, call them, close automatically.",
        &[("call", "1.5")]
    ),
    demo!(
        blocking_the_loop,
        "blocking-the-loop",
        Core,
        "Blocking the loop",
        "A step that never awaits stalls every other task; debug mode reports it.",
        &[("block", "0.05"), ("ticks", "3")],
        debug
    ),
    demo!(
        locks_and_events,
        "locks-and-events",
        Advanced,
        "Locks, events, conditions",
        "Lock waiters go first come first served; an Event releases all at once; notify(1) wakes one.",
        &[("waiters", "5"), ("hold", "0.2")]
    ),
    demo!(
        semaphore_limit,
        "semaphore-limit",
        Advanced,
        "Bounded concurrency",
        "A semaphore lets only N tasks in at once, so work proceeds in waves.",
        &[("requests", "7"), ("limit", "2"), ("duration", "0.5")]
    ),
    demo!(
        queues,
        "queues",
        Advanced,
        "Queues",
        "A bounded queue pushes back on a fast producer; join waits for task_done; priority and LIFO orders.",
        &[("items", "8"), ("maxsize", "0"), ("work", "0.25")]
    ),
    demo!(
        timeouts,
        "timeouts",
        Advanced,
        "Timeouts",
        "A time limit cancels the work and raises TimeoutError at the boundary; a moved deadline lets it finish.",
        &[("call", "0.5"), ("limit", "2")]
    ),
    demo!(
        cancellation,
        "cancellation",
        Advanced,
        "Cancellation",
        "cancel() arrives at the next await; cleanup runs; shield protects; swallowing it is a mistake.",
        &[("after", "3"), ("cleanup", "2")]
    ),
    demo!(
        error_handling,
        "error-handling",
        Advanced,
        "Error handling",
        "Errors surface where a task is awaited; the loop's handler sees the rest; a bad callback does not stop the loop.",
        &[("delay", "2")]
    ),
    demo!(
        sync_and_async,
        "sync-and-async",
        Advanced,
        "Sync and async",
        "Blocking work called inline stops every task; handed to a worker, the loop keeps going.",
        &[("work", "0.5"), ("ticks", "6")]
    ),
    demo!(
        streams,
        "streams",
        Advanced,
        "Streams",
        "A StreamReader is read by line or by size, waiting for data only when too little has arrived.",
        &[("slow", "0.1"), ("fast", "0.01"), ("size", "4")]
    ),
    demo!(
        debugging,
        "debugging",
        Advanced,
        "Debugging",
        "A task dump, the await graph, and debug mode's warnings show what a program is doing.",
        &[("block", "0.5")],
        debug
    ),
    demo!(
        performance_patterns,
        "performance-patterns",
        Advanced,
        "Performance patterns",
        "Per-item tasks, batches and a worker pool trade tasks created against time taken.",
        &[("items", "300"), ("batch", "50"), ("workers", "30")]
    ),
    demo!(
        agent_patterns,
        "agent-patterns",
        Advanced,
        "Agent patterns",
        "Rate limits with retry and backoff, tool timeouts, and cleanup when a streaming client disconnects.",
        &[("failures", "0"), ("tool_timeout", "4"), ("disconnect_after", "5")]
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

//! Parity scenarios: small programs, each a Rust function here and a Python twin beside it
//! (`<name>.rs`, `<name>.py`), whose transcripts must be identical. Shared by the native parity
//! and golden tests and by the headless-browser tests.
//!
//! Most run as `asyncio.run(main())`; some run in debug mode, and some drive the loop
//! themselves (their module has a `run` function).
#![allow(dead_code)]

use looplab::demos::DemoMain;
use looplab::{Error, Loop, LoopOptions};

/// A scenario's transcript and the main task's outcome.
pub type Outcome = (Vec<String>, Result<(), Error>);

/// How a scenario runs.
pub enum How {
    /// `asyncio.run(main())`.
    Run(fn() -> DemoMain),
    /// `asyncio.run(main(), debug=True)`.
    Debug(fn() -> DemoMain),
    /// Its own `run`, which drives a loop made with these options.
    Custom(fn(LoopOptions) -> Outcome),
}

/// One scenario: its name (the file stem) and how it runs.
pub struct Scenario {
    pub name: &'static str,
    pub how: How,
    /// Its golden transcript (the browser has no CPython: it compares with the golden file, which
    /// the native tests hold equal to CPython's output).
    #[cfg(target_arch = "wasm32")]
    pub golden: &'static str,
}

impl Scenario {
    /// Runs it natively (or synchronously in wasm): its transcript and result.
    pub fn run(&self, options: LoopOptions) -> Outcome {
        match self.how {
            How::Run(main) => {
                let report = Loop::new(options).run_report(main());
                (report.transcript, report.result)
            }
            How::Debug(main) => {
                let report = Loop::new(LoopOptions { debug: true, ..options }).run_report(main());
                (report.transcript, report.result)
            }
            How::Custom(run) => run(options),
        }
    }
}

macro_rules! how {
    ($name:ident) => {
        How::Run(|| Box::pin($name::main()))
    };
    ($name:ident debug) => {
        How::Debug(|| Box::pin($name::main()))
    };
    ($name:ident custom) => {
        How::Custom($name::run)
    };
}

macro_rules! scenarios {
    ($($name:ident $($kind:ident)?),* $(,)?) => {
        $(mod $name;)*
        /// Every scenario.
        pub static SCENARIOS: &[Scenario] = &[
            $(Scenario {
                name: stringify!($name),
                how: how!($name $($kind)?),
                #[cfg(target_arch = "wasm32")]
                golden: include_str!(concat!("../golden/scenarios/", stringify!($name), ".transcript")),
            },)*
        ];
    };
}

scenarios![
    ready_queue_batches,
    timer_ties,
    timer_heap_cleanup,
    call_soon_vs_task_start,
    shutdown_runs_what_is_ready,
    shutdown_iterations,
    shutdown_failure_reported,
    stream_reader_edges,
    woken_then_cancelled,
    task_names,
    sleep_zero_round_robin,
    await_finished_task,
    wakeup_latency,
    call_later_and_call_at,
    cancel_sleeping_task,
    cancel_before_first_step,
    cancel_swallowed,
    cancel_twice_keeps_first_message,
    cancel_woken_task,
    cancel_replaces_a_failure,
    cancel_through_await,
    done_callbacks,
    gather_results_in_order,
    gather_failure_orphans,
    gather_return_exceptions,
    gather_cancellation,
    gather_coroutines,
    wait_modes,
    wait_timeout,
    as_completed_order,
    task_group_two_failures,
    task_group_success,
    task_group_cancelled_outside,
    task_group_errors_beat_cancellation,
    shield_inner_survives,
    timeout_expires,
    timeout_rescheduled,
    wait_for_timeout,
    lock_fifo_and_cancel,
    event_releases_all,
    condition_notify,
    semaphore_waves,
    semaphore_cancelled_waiter,
    queue_backpressure,
    queue_kinds,
    cancel_during_lock_and_get,
    stream_early_exit,
    exit_stack_failure,
    context_manager_forms,
    warning_never_awaited,
    warning_unretrieved_exception,
    warning_destroyed_pending custom,
    warning_slow_step debug,
    exception_handler_and_callbacks custom,
    introspection_dump,
    eager_tasks,
    eager_child_cancels_parent,
    queue_shutdown,
];

//! Parity scenarios: small programs, each a Rust function here and a Python twin beside it
//! (`<name>.rs`, `<name>.py`), whose transcripts must be identical. Shared by the native parity
//! and golden tests and by the headless-browser tests.
#![allow(dead_code)]

use looplab::demos::DemoMain;

/// One scenario: its name (the file stem) and its main coroutine.
pub struct Scenario {
    pub name: &'static str,
    pub main: fn() -> DemoMain,
    /// Its golden transcript (the browser has no CPython: it compares with the golden file, which
    /// the native tests hold equal to CPython's output).
    #[cfg(target_arch = "wasm32")]
    pub golden: &'static str,
}

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        $(mod $name;)*
        /// Every scenario.
        pub static SCENARIOS: &[Scenario] = &[
            $(Scenario {
                name: stringify!($name),
                main: || Box::pin($name::main()),
                #[cfg(target_arch = "wasm32")]
                golden: include_str!(concat!("../golden/scenarios/", stringify!($name), ".transcript")),
            },)*
        ];
    };
}

scenarios![
    ready_queue_batches,
    timer_ties,
    call_soon_vs_task_start,
    task_names,
    sleep_zero_round_robin,
    await_finished_task,
    wakeup_latency,
    call_later_and_call_at,
    cancel_sleeping_task,
    cancel_before_first_step,
    cancel_swallowed,
    cancel_through_await,
    done_callbacks,
    gather_results_in_order,
    gather_failure_orphans,
    gather_return_exceptions,
    gather_cancellation,
    wait_modes,
    wait_timeout,
    as_completed_order,
    task_group_two_failures,
    task_group_success,
    task_group_cancelled_outside,
    shield_inner_survives,
    timeout_expires,
    timeout_rescheduled,
    wait_for_timeout,
];

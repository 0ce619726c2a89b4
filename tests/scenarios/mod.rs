//! Parity scenarios: small programs, each a Rust function here and a Python twin beside it
//! (`<name>.rs`, `<name>.py`), whose transcripts must be identical. Shared by the native parity
//! and golden tests and by the headless-browser tests.
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;

/// One scenario: its name (the file stem) and its main coroutine.
pub struct Scenario {
    pub name: &'static str,
    pub main: fn() -> Pin<Box<dyn Future<Output = Result<(), looplab::Error>>>>,
}

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        $(mod $name;)*
        /// Every scenario.
        pub static SCENARIOS: &[Scenario] = &[
            $(Scenario { name: stringify!($name), main: || Box::pin($name::main()) },)*
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
];

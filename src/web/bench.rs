//! The in-browser half of the benchmark suite (feature `bench`, not in the shipped site):
//! looplab on the page's microtask driver against `wasm-bindgen-futures::spawn_local`, the
//! executor Rust-in-the-browser projects use, on the same workloads in the same page. Each
//! function returns the milliseconds one run took.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::channel::{mpsc, oneshot};
use futures::{SinkExt, StreamExt};
use wasm_bindgen::prelude::*;

use super::driver::{drive, now_ms};
use crate::runtime::ClockKind;
use crate::{workloads, Loop, LoopOptions};

fn options(trace: bool) -> LoopOptions {
    LoopOptions {
        trace,
        max_iterations: u64::MAX,
        ..LoopOptions::default()
    }
}

async fn timed_looplab(trace: bool, main: crate::demos::DemoMain) -> f64 {
    let started = now_ms();
    let run = drive(Loop::new(options(trace)), main).await;
    let took = now_ms() - started;
    if run.report.result.is_err() {
        return f64::NAN;
    }
    took
}

/// looplab: `spawn-join`.
#[wasm_bindgen]
pub async fn looplab_spawn_join(n: u32, trace: bool) -> f64 {
    timed_looplab(trace, Box::pin(workloads::spawn_join(n))).await
}

/// looplab: `yield-storm`.
#[wasm_bindgen]
pub async fn looplab_yield_storm(tasks: u32, rounds: u32, trace: bool) -> f64 {
    timed_looplab(trace, Box::pin(workloads::yield_storm(tasks, rounds))).await
}

/// looplab: `yield-storm` on the real clock, for the long-task count.
#[wasm_bindgen]
pub async fn looplab_yield_storm_real_time(tasks: u32, rounds: u32) -> f64 {
    let clock = ClockKind::Real(Rc::new(|| now_ms() / 1000.0));
    let started = now_ms();
    let _ = drive(
        Loop::new(LoopOptions {
            clock,
            ..options(false)
        }),
        Box::pin(workloads::yield_storm(tasks, rounds)),
    )
    .await;
    now_ms() - started
}

/// looplab: `queue-pingpong`.
#[wasm_bindgen]
pub async fn looplab_queue_pingpong(n: u32, trace: bool) -> f64 {
    timed_looplab(trace, Box::pin(workloads::queue_pingpong(n))).await
}

/// looplab: `timer-wheel` (virtual clock).
#[wasm_bindgen]
pub async fn looplab_timer_wheel(n: u32) -> f64 {
    let delays = workloads::timer_wheel_delays(n);
    timed_looplab(false, Box::pin(workloads::timer_wheel(delays))).await
}

/// looplab: `gather-fanout` (virtual clock).
#[wasm_bindgen]
pub async fn looplab_gather_fanout(n: u32) -> f64 {
    timed_looplab(false, Box::pin(workloads::gather_fanout(n))).await
}

/// Bytes of wasm memory per task while `n` tasks wait (the memory grows in 64 KiB pages).
#[wasm_bindgen]
pub fn looplab_bytes_per_waiting_task(n: u32) -> f64 {
    let memory = || {
        wasm_bindgen::memory()
            .unchecked_into::<js_sys::WebAssembly::Memory>()
            .buffer()
            .unchecked_into::<js_sys::ArrayBuffer>()
            .byte_length()
    };
    let lp = Loop::new(options(false));
    let before = memory();
    if workloads::start_waiting_tasks(&lp, n).is_err() {
        return f64::NAN;
    }
    let after = memory();
    std::mem::forget(lp);
    f64::from(after.saturating_sub(before)) / f64::from(n)
}

/// Bytes of trace per event in a traced `spawn-join` of `n` tasks (the trace's own count of the
/// heap memory it holds).
#[wasm_bindgen]
pub fn looplab_trace_bytes_per_event(n: u32) -> f64 {
    let report = Loop::new(options(true)).run_report(workloads::spawn_join(n));
    match report.trace {
        Some(trace) if !trace.events.is_empty() => trace.heap_bytes() as f64 / trace.events.len() as f64,
        _ => f64::NAN,
    }
}

// ---- the peer: wasm-bindgen-futures ----------------------------------------------------------

/// wasm-bindgen-futures: `spawn_local` `n` trivial tasks and wait for them all.
#[wasm_bindgen]
pub async fn wbg_spawn_join(n: u32) -> f64 {
    let started = now_ms();
    let (tx, rx) = oneshot::channel::<()>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let done = Rc::new(Cell::new(0u32));
    for _ in 0..n {
        let (tx, done) = (tx.clone(), done.clone());
        wasm_bindgen_futures::spawn_local(async move {
            done.set(done.get() + 1);
            if done.get() == n {
                if let Some(tx) = tx.borrow_mut().take() {
                    let _ = tx.send(());
                }
            }
        });
    }
    let _ = rx.await;
    now_ms() - started
}

/// One turn of the microtask queue (a resolved promise): wasm-bindgen-futures' yield.
async fn microtask_yield() {
    let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL)).await;
}

/// wasm-bindgen-futures: `tasks` tasks each yielding `rounds` times.
#[wasm_bindgen]
pub async fn wbg_yield_storm(tasks: u32, rounds: u32) -> f64 {
    let started = now_ms();
    let (tx, rx) = oneshot::channel::<()>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let done = Rc::new(Cell::new(0u32));
    for _ in 0..tasks {
        let (tx, done) = (tx.clone(), done.clone());
        wasm_bindgen_futures::spawn_local(async move {
            for _ in 0..rounds {
                microtask_yield().await;
            }
            done.set(done.get() + 1);
            if done.get() == tasks {
                if let Some(tx) = tx.borrow_mut().take() {
                    let _ = tx.send(());
                }
            }
        });
    }
    let _ = rx.await;
    now_ms() - started
}

/// wasm-bindgen-futures: `n` round trips through two `futures` channels.
#[wasm_bindgen]
pub async fn wbg_queue_pingpong(n: u32) -> f64 {
    let started = now_ms();
    let (mut ping_tx, mut ping_rx) = mpsc::unbounded::<u32>();
    let (mut pong_tx, mut pong_rx) = mpsc::unbounded::<u32>();
    wasm_bindgen_futures::spawn_local(async move {
        while let Some(v) = ping_rx.next().await {
            if pong_tx.send(v + 1).await.is_err() {
                break;
            }
        }
    });
    for i in 0..n {
        if ping_tx.send(i).await.is_err() {
            return f64::NAN;
        }
        pong_rx.next().await;
    }
    now_ms() - started
}

/// A promise resolved by `setTimeout` after `ms` milliseconds (what a wasm-bindgen-futures task
/// awaits to sleep).
fn timeout(ms: i32) -> wasm_bindgen_futures::JsFuture {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    wasm_bindgen_futures::JsFuture::from(promise)
}

/// Spawns `futures` with `spawn_local` and resolves when all are done, with their results in
/// order.
async fn spawn_all<T: 'static>(futures: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = T>>>>) -> Vec<T> {
    let receivers: Vec<_> = futures
        .into_iter()
        .map(|f| {
            let (tx, rx) = oneshot::channel::<T>();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = tx.send(f.await);
            });
            rx
        })
        .collect();
    let mut results = Vec::with_capacity(receivers.len());
    for rx in receivers {
        if let Ok(v) = rx.await {
            results.push(v);
        }
    }
    results
}

/// wasm-bindgen-futures: `timer-wheel` on `setTimeout`: `n` tasks each sleeping the same
/// pseudo-random durations as looplab's, but in milliseconds rather than seconds (real timers
/// wait in real time; the run then lasts at least 10 ms instead of 10 s).
#[wasm_bindgen]
pub async fn wbg_timer_wheel(n: u32) -> f64 {
    let mut rng = fastrand::Rng::with_seed(42);
    let delays: Vec<i32> = (0..n).map(|_| (rng.u32(0..10_000) / 1000) as i32).collect();
    let started = now_ms();
    let sleeps = delays
        .into_iter()
        .map(|ms| {
            Box::pin(async move { timeout(ms).await.is_ok() })
                as std::pin::Pin<Box<dyn std::future::Future<Output = bool>>>
        })
        .collect();
    let done = spawn_all(sleeps).await;
    if done.len() != n as usize {
        return f64::NAN;
    }
    now_ms() - started
}

/// wasm-bindgen-futures: `gather-fanout` on `setTimeout`: `n` tasks each sleeping `i % 10`
/// milliseconds (as looplab's do, in loop time), results collected in order.
#[wasm_bindgen]
pub async fn wbg_gather_fanout(n: u32) -> f64 {
    let started = now_ms();
    let tasks = (0..n)
        .map(|i| {
            Box::pin(async move {
                let _ = timeout((i % 10) as i32).await;
                i
            }) as std::pin::Pin<Box<dyn std::future::Future<Output = u32>>>
        })
        .collect();
    let results = spawn_all(tasks).await;
    if results.len() != n as usize || results.iter().enumerate().any(|(i, r)| *r != i as u32) {
        return f64::NAN;
    }
    now_ms() - started
}

/// Times drawing the timeline of a `tasks`-task trace into a canvas (the benchmark's
/// `ui-render`): returns milliseconds, replay included.
#[wasm_bindgen]
pub fn bench_timeline_draw(tasks: u32) -> f64 {
    use crate::runtime::{Loop, LoopOptions};
    use crate::view::replay::Replay;
    use crate::view::timeline::Layout;
    let tasks = tasks.min(50_000);
    let lp = Loop::new(LoopOptions {
        trace: true,
        ..LoopOptions::default()
    });
    let _ = lp.run(async move {
        let handles: Vec<_> = (0..tasks)
            .map(|i| crate::runtime::spawn(crate::runtime::sleep(f64::from(i % 100) * 0.01)))
            .collect();
        for h in handles {
            h.await?;
        }
        Ok(())
    });
    let Some(trace) = lp.trace() else { return f64::NAN };
    let Some(doc) = super::dom::document() else {
        return f64::NAN;
    };
    let Some(canvas) = doc
        .create_element("canvas")
        .ok()
        .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
    else {
        return f64::NAN;
    };
    let started = now_ms();
    let replay = Replay::new(&trace);
    let layout = Layout::new(replay.model.lanes.len());
    let view =
        crate::view::timeline::Viewport::fit(&replay.model, crate::view::timeline::AxisMode::Time, 1200.0, 360.0);
    let no_label = |_: &crate::view::timeline::StepItem| None;
    let scene = crate::view::scene::draw(&crate::view::scene::Frame {
        replay: &replay,
        layout: &layout,
        view: &view,
        moment: None,
        current_task: None,
        selected: None,
        step_label: &no_label,
    });
    if let Some(ctx) = super::paint::prepare(&canvas, view.width, view.height) {
        super::paint::paint(&ctx, &scene);
    }
    now_ms() - started
}

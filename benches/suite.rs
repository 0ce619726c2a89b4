//! The native half of the benchmark suite (`scripts/bench` runs it): looplab against the
//! executors Rust users pick, `futures::executor::LocalPool` and tokio's current-thread runtime
//! with a `LocalSet`, on the same workloads in the same process. Prints JSON lines, one per
//! measurement: `{"workload", "runner", "ms"}` (the median of the repetitions after a warm-up),
//! and the bytes of executor bookkeeping per waiting task.
//!
//! `cargo bench --features bench --bench suite -- [--smoke] [--reps N] [--only TEXT]`; the workloads
//! themselves are `looplab::workloads`, shared with the browser half.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use looplab::{workloads, Loop, LoopOptions};

/// Counts live heap bytes, to measure what a waiting task costs.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

struct Sizes {
    spawn_join: usize,
    yield_tasks: usize,
    yield_rounds: usize,
    pingpong: usize,
    timers: usize,
    fanout: usize,
}

const FULL: Sizes = Sizes {
    spawn_join: 100_000,
    yield_tasks: 1000,
    yield_rounds: 100,
    pingpong: 100_000,
    timers: 100_000,
    fanout: 10_000,
};
const SMOKE: Sizes = Sizes {
    spawn_join: 1000,
    yield_tasks: 10,
    yield_rounds: 10,
    pingpong: 1000,
    timers: 1000,
    fanout: 100,
};

fn options(trace: bool) -> LoopOptions {
    LoopOptions {
        trace,
        max_iterations: u64::MAX,
        ..LoopOptions::default()
    }
}

// ---- looplab -------------------------------------------------------------------------------

fn looplab_spawn_join(n: usize, trace: bool) {
    Loop::new(options(trace))
        .run(workloads::spawn_join(n as u32))
        .expect("spawn-join");
}

fn looplab_yield_storm(tasks: usize, rounds: usize, trace: bool) {
    Loop::new(options(trace))
        .run(workloads::yield_storm(tasks as u32, rounds as u32))
        .expect("yield-storm");
}

fn looplab_pingpong(n: usize, trace: bool) {
    Loop::new(options(trace))
        .run(workloads::queue_pingpong(n as u32))
        .expect("queue-pingpong");
}

fn looplab_timer_wheel(n: usize) {
    let delays = workloads::timer_wheel_delays(n as u32);
    Loop::new(options(false))
        .run(workloads::timer_wheel(delays))
        .expect("timer-wheel");
}

fn looplab_gather_fanout(n: usize) {
    Loop::new(options(false))
        .run(workloads::gather_fanout(n as u32))
        .expect("gather-fanout");
}

// ---- futures::executor::LocalPool ----------------------------------------------------------

fn pool_spawn_join(n: usize) {
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    let handles: Vec<_> = (0..n)
        .map(|_| spawner.spawn_local_with_handle(async {}).expect("spawn"))
        .collect();
    pool.run_until(async move {
        for h in handles {
            h.await;
        }
    });
}

fn pool_yield_storm(tasks: usize, rounds: usize) {
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            spawner
                .spawn_local_with_handle(async move {
                    for _ in 0..rounds {
                        yield_now().await;
                    }
                })
                .expect("spawn")
        })
        .collect();
    pool.run_until(async move {
        for h in handles {
            h.await;
        }
    });
}

fn pool_pingpong(n: usize) {
    use futures::channel::mpsc;
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;
    use futures::{SinkExt, StreamExt};
    let mut pool = LocalPool::new();
    let spawner = pool.spawner();
    let (mut ping_tx, mut ping_rx) = mpsc::unbounded::<u32>();
    let (mut pong_tx, mut pong_rx) = mpsc::unbounded::<u32>();
    spawner
        .spawn_local(async move {
            while let Some(v) = ping_rx.next().await {
                if pong_tx.send(v + 1).await.is_err() {
                    break;
                }
            }
        })
        .expect("spawn");
    pool.run_until(async move {
        for i in 0..n {
            ping_tx.send(i as u32).await.expect("send");
            pong_rx.next().await;
        }
    });
}

/// A future that returns `Pending` once (waking itself): a yield for executors without one.
fn yield_now() -> impl std::future::Future<Output = ()> {
    let mut yielded = false;
    std::future::poll_fn(move |cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
}

// ---- tokio current-thread + LocalSet --------------------------------------------------------

fn tokio_rt(paused: bool) -> tokio::runtime::Runtime {
    let mut b = tokio::runtime::Builder::new_current_thread();
    b.enable_time();
    if paused {
        b.start_paused(true);
    }
    b.build().expect("tokio runtime")
}

fn tokio_spawn_join(n: usize) {
    let rt = tokio_rt(false);
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async move {
        let handles: Vec<_> = (0..n).map(|_| tokio::task::spawn_local(async {})).collect();
        for h in handles {
            h.await.expect("join");
        }
    });
}

fn tokio_yield_storm(tasks: usize, rounds: usize) {
    let rt = tokio_rt(false);
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async move {
        let handles: Vec<_> = (0..tasks)
            .map(|_| {
                tokio::task::spawn_local(async move {
                    for _ in 0..rounds {
                        tokio::task::yield_now().await;
                    }
                })
            })
            .collect();
        for h in handles {
            h.await.expect("join");
        }
    });
}

fn tokio_pingpong(n: usize) {
    let rt = tokio_rt(false);
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async move {
        let (ping_tx, mut ping_rx) = tokio::sync::mpsc::unbounded_channel::<u32>();
        let (pong_tx, mut pong_rx) = tokio::sync::mpsc::unbounded_channel::<u32>();
        tokio::task::spawn_local(async move {
            while let Some(v) = ping_rx.recv().await {
                if pong_tx.send(v + 1).is_err() {
                    break;
                }
            }
        });
        for i in 0..n {
            ping_tx.send(i as u32).expect("send");
            pong_rx.recv().await;
        }
    });
}

fn tokio_timer_wheel(n: usize) {
    let d = workloads::timer_wheel_delays(n as u32);
    let rt = tokio_rt(true);
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async move {
        let handles: Vec<_> = d
            .into_iter()
            .map(|s| tokio::task::spawn_local(tokio::time::sleep(std::time::Duration::from_secs_f64(s))))
            .collect();
        for h in handles {
            h.await.expect("join");
        }
    });
}

fn tokio_gather_fanout(n: usize) {
    let rt = tokio_rt(true);
    let local = tokio::task::LocalSet::new();
    local.block_on(&rt, async move {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                tokio::task::spawn_local(async move {
                    tokio::time::sleep(std::time::Duration::from_secs_f64(0.001 * (i % 10) as f64)).await;
                    i
                })
            })
            .collect();
        let mut results = Vec::with_capacity(n);
        for h in handles {
            results.push(h.await.expect("join"));
        }
        assert_eq!(results.len(), n);
    });
}

// ---- measuring -------------------------------------------------------------------------------

fn median_ms(reps: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm-up
    let mut times: Vec<f64> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn emit(workload: &str, runner: &str, ms: f64) {
    println!("{{\"workload\": \"{workload}\", \"runner\": \"{runner}\", \"ms\": {ms:.4}}}");
}

/// Heap bytes per task while `n` tasks wait on a future that never completes.
fn bytes_per_waiting_task(n: usize) -> f64 {
    let lp = Loop::new(options(false));
    let before = LIVE.load(Ordering::Relaxed);
    workloads::start_waiting_tasks(&lp, n as u32).expect("start");
    let after = LIVE.load(Ordering::Relaxed);
    (after.saturating_sub(before)) as f64 / n as f64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let smoke = args.iter().any(|a| a == "--smoke");
    let value_of = |flag: &str| args.windows(2).find(|w| w[0] == flag).map(|w| w[1].clone());
    let reps = value_of("--reps")
        .and_then(|r| r.parse().ok())
        .unwrap_or(if smoke { 1 } else { 5 });
    // `--only TEXT`: just the measurements whose "RUNNER on WORKLOAD" contains TEXT (to profile
    // one, e.g. "looplab on spawn-join").
    let only = value_of("--only");
    let s = if smoke { SMOKE } else { FULL };

    type Run<'a> = Box<dyn FnMut() + 'a>;
    let runs: Vec<(&str, &str, Run)> = vec![
        (
            "spawn-join",
            "looplab",
            Box::new(|| looplab_spawn_join(s.spawn_join, false)),
        ),
        (
            "spawn-join",
            "futures LocalPool",
            Box::new(|| pool_spawn_join(s.spawn_join)),
        ),
        (
            "spawn-join",
            "tokio LocalSet",
            Box::new(|| tokio_spawn_join(s.spawn_join)),
        ),
        (
            "yield-storm",
            "looplab",
            Box::new(|| looplab_yield_storm(s.yield_tasks, s.yield_rounds, false)),
        ),
        (
            "yield-storm",
            "futures LocalPool",
            Box::new(|| pool_yield_storm(s.yield_tasks, s.yield_rounds)),
        ),
        (
            "yield-storm",
            "tokio LocalSet",
            Box::new(|| tokio_yield_storm(s.yield_tasks, s.yield_rounds)),
        ),
        (
            "queue-pingpong",
            "looplab",
            Box::new(|| looplab_pingpong(s.pingpong, false)),
        ),
        (
            "queue-pingpong",
            "futures LocalPool",
            Box::new(|| pool_pingpong(s.pingpong)),
        ),
        (
            "queue-pingpong",
            "tokio LocalSet",
            Box::new(|| tokio_pingpong(s.pingpong)),
        ),
        ("timer-wheel", "looplab", Box::new(|| looplab_timer_wheel(s.timers))),
        (
            "timer-wheel",
            "tokio LocalSet",
            Box::new(|| tokio_timer_wheel(s.timers)),
        ),
        ("gather-fanout", "looplab", Box::new(|| looplab_gather_fanout(s.fanout))),
        (
            "gather-fanout",
            "tokio LocalSet",
            Box::new(|| tokio_gather_fanout(s.fanout)),
        ),
        (
            "trace-cost spawn-join",
            "looplab traced",
            Box::new(|| looplab_spawn_join(s.spawn_join, true)),
        ),
        (
            "trace-cost yield-storm",
            "looplab traced",
            Box::new(|| looplab_yield_storm(s.yield_tasks, s.yield_rounds, true)),
        ),
        (
            "trace-cost queue-pingpong",
            "looplab traced",
            Box::new(|| looplab_pingpong(s.pingpong, true)),
        ),
    ];
    let wanted = |workload: &str, runner: &str| {
        only.as_deref()
            .is_none_or(|o| format!("{runner} on {workload}").contains(o))
    };
    for (workload, runner, mut run) in runs {
        if wanted(workload, runner) {
            emit(workload, runner, median_ms(reps, &mut run));
        }
    }
    if wanted("bytes per waiting task", "looplab") {
        println!(
            "{{\"workload\": \"bytes per waiting task\", \"runner\": \"looplab\", \"bytes\": {:.1}}}",
            bytes_per_waiting_task(if smoke { 1000 } else { 100_000 })
        );
    }
}

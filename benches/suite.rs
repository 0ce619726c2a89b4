//! The native half of the benchmark suite (`scripts/bench` runs it): looplab against the
//! executors Rust users pick, `futures::executor::LocalPool` and tokio's current-thread runtime
//! with a `LocalSet`, on the same workloads in the same process. Prints JSON lines, one per
//! measurement: `{"workload", "runner", "ms", "min", "max", "reps", "times", "cpu_times"}` (the
//! median and the spread of the timed runs, which the runners of a workload take in turns after a
//! warm-up of each, and every run's time, and its CPU time, in round order), the trace's bytes per
//! event, and the bytes of executor bookkeeping per waiting task.
//!
//! `cargo bench --features bench --bench suite -- [--smoke] [--reps N] [--only TEXT]`; the workloads
//! themselves are `looplab::workloads`, shared with the browser half.

use std::sync::atomic::Ordering;
use std::time::Instant;

use looplab::{workloads, Loop, LoopOptions};

/// Counts live heap bytes, to measure what a waiting task costs, and allocations, to measure
/// how many a task of each runner makes.
#[path = "../tests/support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{Counting, ALLOCATIONS, LIVE};

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

/// One figure: the median of the timed runs, their spread, and each run's time in the order of
/// the rounds (so that a runner's runs can be paired with its peers' of the same round).
struct Figure {
    median: f64,
    min: f64,
    max: f64,
    times: Vec<f64>,
    /// Each run's CPU time (this thread's), in the same order: what bench/run.mjs compares with
    /// CPython's, whose runs are long enough to be preempted by other work on a shared machine.
    cpu_times: Vec<f64>,
}

/// This thread's CPU time in milliseconds (Linux's `CLOCK_THREAD_CPUTIME_ID`): a run's CPU
/// time leaves out the time other processes held the core. Elsewhere, 0.
#[cfg(target_os = "linux")]
fn thread_cpu_ms() -> f64 {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut t = Timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `clock_gettime` writes one `timespec` (two 64-bit fields on the 64-bit Linux
    // targets this runs on) through a pointer to a live one.
    unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1000.0 + t.tv_nsec as f64 / 1e6
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu_ms() -> f64 {
    0.0
}

/// Times the runners of one workload together: every runner runs once as a warm-up (so that the
/// memory the timed runs use has been touched and is held by the allocator, not faulted in
/// afresh), then they take turns, `reps` rounds of one run each, so that a slow spell of the
/// shared machine weighs on all of them alike. Gives each runner's figure, in order.
fn measure(reps: usize, runners: &mut [(&str, Run)]) -> Vec<Figure> {
    for (_, run) in runners.iter_mut() {
        run();
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(reps); runners.len()];
    let mut cpu_times: Vec<Vec<f64>> = vec![Vec::with_capacity(reps); runners.len()];
    for _ in 0..reps {
        for (((_, run), times), cpu_times) in runners.iter_mut().zip(&mut times).zip(&mut cpu_times) {
            let t = Instant::now();
            let cpu = thread_cpu_ms();
            run();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            cpu_times.push(thread_cpu_ms() - cpu);
        }
    }
    times
        .into_iter()
        .zip(cpu_times)
        .map(|(times, cpu_times)| {
            let mut t = times.clone();
            t.sort_by(f64::total_cmp);
            Figure {
                median: t[t.len() / 2],
                min: t[0],
                max: t[t.len() - 1],
                times,
                cpu_times,
            }
        })
        .collect()
}

/// Heap allocations per task (or per whatever `count` counts) in one more run of `run`, after
/// the timed ones.
fn allocations_per(count: usize, run: &mut Run) -> f64 {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    run();
    (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / count as f64
}

fn emit(workload: &str, runner: &str, f: &Figure, reps: usize) {
    let list = |ts: &[f64]| ts.iter().map(|t| format!("{t:.4}")).collect::<Vec<_>>().join(", ");
    println!(
        "{{\"workload\": \"{workload}\", \"runner\": \"{runner}\", \"ms\": {:.4}, \"min\": {:.4}, \"max\": {:.4}, \"reps\": {reps}, \"times\": [{}], \"cpu_times\": [{}]}}",
        f.median,
        f.min,
        f.max,
        list(&f.times),
        list(&f.cpu_times)
    );
}

/// Heap bytes per task while `n` tasks wait on a future that never completes.
fn bytes_per_waiting_task(n: usize) -> f64 {
    let lp = Loop::new(options(false));
    let before = LIVE.load(Ordering::Relaxed);
    workloads::start_waiting_tasks(&lp, n as u32).expect("start");
    let after = LIVE.load(Ordering::Relaxed);
    (after.saturating_sub(before)) as f64 / n as f64
}

/// The trace of a traced run of `main`: heap bytes per event (as the allocator counts what the
/// trace holds), and the number of events.
fn trace_bytes_per_event<F>(main: F) -> (f64, usize)
where
    F: std::future::Future<Output = Result<(), looplab::Error>> + 'static,
{
    let before = LIVE.load(Ordering::Relaxed);
    let report = Loop::new(options(true)).run_report(main);
    let trace = report.trace.expect("traced");
    drop(report.transcript);
    let after = LIVE.load(Ordering::Relaxed);
    let events = trace.events.len();
    (after.saturating_sub(before) as f64 / events as f64, events)
}

/// Makes the C allocator keep the memory it is given back, instead of returning it to the
/// kernel: then the warm-up run of a workload touches the memory its timed runs will use, and
/// no timed run pays for faulting in fresh pages (glibc otherwise trims the top of its heap
/// whenever more than 128 KiB are free there, and maps every block of more than 128 KiB afresh;
/// a run of 100,000 tasks then spends much of its time in page faults, whichever executor runs
/// it). A page's WebAssembly memory never shrinks, so the browser half needs nothing of the
/// kind.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() {
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_TRIM_THRESHOLD: i32 = -1;
    const M_MMAP_THRESHOLD: i32 = -3;
    // SAFETY: `mallopt` only sets the allocator's parameters; it is called before any other
    // thread exists.
    unsafe {
        mallopt(M_TRIM_THRESHOLD, i32::MAX);
        // The largest value glibc accepts on 64-bit machines (32 MiB).
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() {}

type Run<'a> = Box<dyn FnMut() + 'a>;

/// The runners of one workload, measured together. A runner named `looplab traced` is the
/// workload's `trace-cost` figure.
struct Group<'a> {
    workload: &'static str,
    /// What the allocations are counted per, and how many of it a run makes: (`"task"`, tasks).
    per: (&'static str, usize),
    runners: Vec<(&'static str, Run<'a>)>,
}

fn main() {
    keep_freed_memory();
    let args: Vec<String> = std::env::args().collect();
    let smoke = args.iter().any(|a| a == "--smoke");
    let value_of = |flag: &str| args.windows(2).find(|w| w[0] == flag).map(|w| w[1].clone());
    let reps = value_of("--reps")
        .and_then(|r| r.parse().ok())
        .unwrap_or(if smoke { 1 } else { 21 });
    // `--only TEXT`: just the measurements whose "RUNNER on WORKLOAD" contains TEXT (to profile
    // one, e.g. "looplab on spawn-join").
    let only = value_of("--only");
    let s = if smoke { SMOKE } else { FULL };

    let groups: Vec<Group> = vec![
        Group {
            workload: "spawn-join",
            per: ("task", s.spawn_join),
            runners: vec![
                ("looplab", Box::new(|| looplab_spawn_join(s.spawn_join, false))),
                ("futures LocalPool", Box::new(|| pool_spawn_join(s.spawn_join))),
                ("tokio LocalSet", Box::new(|| tokio_spawn_join(s.spawn_join))),
                ("looplab traced", Box::new(|| looplab_spawn_join(s.spawn_join, true))),
            ],
        },
        Group {
            workload: "yield-storm",
            per: ("task", s.yield_tasks),
            runners: vec![
                (
                    "looplab",
                    Box::new(|| looplab_yield_storm(s.yield_tasks, s.yield_rounds, false)),
                ),
                (
                    "futures LocalPool",
                    Box::new(|| pool_yield_storm(s.yield_tasks, s.yield_rounds)),
                ),
                (
                    "tokio LocalSet",
                    Box::new(|| tokio_yield_storm(s.yield_tasks, s.yield_rounds)),
                ),
                (
                    "looplab traced",
                    Box::new(|| looplab_yield_storm(s.yield_tasks, s.yield_rounds, true)),
                ),
            ],
        },
        Group {
            workload: "queue-pingpong",
            per: ("round trip", s.pingpong),
            runners: vec![
                ("looplab", Box::new(|| looplab_pingpong(s.pingpong, false))),
                ("futures LocalPool", Box::new(|| pool_pingpong(s.pingpong))),
                ("tokio LocalSet", Box::new(|| tokio_pingpong(s.pingpong))),
                ("looplab traced", Box::new(|| looplab_pingpong(s.pingpong, true))),
            ],
        },
        Group {
            workload: "timer-wheel",
            per: ("task", s.timers),
            runners: vec![
                ("looplab", Box::new(|| looplab_timer_wheel(s.timers))),
                ("tokio LocalSet", Box::new(|| tokio_timer_wheel(s.timers))),
            ],
        },
        Group {
            workload: "gather-fanout",
            per: ("task", s.fanout),
            runners: vec![
                ("looplab", Box::new(|| looplab_gather_fanout(s.fanout))),
                ("tokio LocalSet", Box::new(|| tokio_gather_fanout(s.fanout))),
            ],
        },
    ];
    let wanted = |workload: &str, runner: &str| {
        only.as_deref()
            .is_none_or(|o| format!("{runner} on {workload}").contains(o))
    };
    for group in groups {
        let mut runners: Vec<(&str, Run)> = group
            .runners
            .into_iter()
            .filter(|(runner, _)| wanted(group.workload, runner))
            .collect();
        if runners.is_empty() {
            continue;
        }
        let figures = measure(reps, &mut runners);
        for ((runner, run), figure) in runners.iter_mut().zip(&figures) {
            if *runner == "looplab traced" {
                emit(&format!("trace-cost {}", group.workload), runner, figure, reps);
            } else {
                emit(group.workload, runner, figure, reps);
                let (per, count) = group.per;
                let allocations = allocations_per(count, run);
                println!(
                    "{{\"workload\": \"allocations per {per}: {}\", \"runner\": \"{runner}\", \"allocations\": {allocations:.2}}}",
                    group.workload
                );
            }
        }
    }
    if wanted("trace bytes per event", "looplab") {
        let names = [
            "spawn-join",
            "yield-storm",
            "queue-pingpong",
            "timer-wheel",
            "gather-fanout",
        ];
        for workload in names {
            let (bytes, events) = match workload {
                "spawn-join" => trace_bytes_per_event(workloads::spawn_join(s.spawn_join as u32)),
                "yield-storm" => {
                    trace_bytes_per_event(workloads::yield_storm(s.yield_tasks as u32, s.yield_rounds as u32))
                }
                "queue-pingpong" => trace_bytes_per_event(workloads::queue_pingpong(s.pingpong as u32)),
                "timer-wheel" => {
                    trace_bytes_per_event(workloads::timer_wheel(workloads::timer_wheel_delays(s.timers as u32)))
                }
                _ => trace_bytes_per_event(workloads::gather_fanout(s.fanout as u32)),
            };
            println!(
                "{{\"workload\": \"trace bytes per event: {workload}\", \"runner\": \"looplab\", \"bytes\": {bytes:.1}, \"events\": {events}}}"
            );
        }
    }
    if wanted("bytes per waiting task", "looplab") {
        println!(
            "{{\"workload\": \"bytes per waiting task\", \"runner\": \"looplab\", \"bytes\": {:.1}}}",
            bytes_per_waiting_task(if smoke { 1000 } else { 100_000 })
        );
    }
}

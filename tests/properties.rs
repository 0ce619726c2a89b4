//! Property tests: random programs of loop operations, run on looplab, must keep the loop's
//! promises whatever they do.
//!
//! A program is a tree of tasks. Each task runs a list of operations: sleeps (with deadlines
//! that often tie), yields, `call_soon`/`call_later`, spawning children and awaiting or
//! cancelling them (from a task or from a callback), `gather` (with and without `return_exceptions`), `wait`, task groups,
//! timeouts, bounded queues, locks, events, a Rust (foreign) future, raising an exception. A task
//! may swallow cancellations (catch, `uncancel()`, go on). Every wait that could block forever
//! is bounded by a timeout, so every program ends under asyncio's rules; what the runs must show:
//!
//! - every program ends: no run is reported stalled (a lost wake-up) or cut off;
//! - every task is spawned once, never has two steps queued, and finishes exactly once;
//! - timers fire in the order asyncio's `heapq` gives them (deadline, ties as the heap leaves
//!   them), never early and never late (replayed against a model of `_run_once`);
//! - the clock never goes back;
//! - a cancellation is delivered at most once per `cancel()` (each carries its own message), and
//!   a task cancelled (and not undone) does not return normally unless something it awaited
//!   swallowed the cancellation (asyncio's documented escape);
//! - the same program and seed give a byte-identical trace and transcript;
//! - with a perturbation seed, all of the above still hold.
//!
//! The share-URL parser and the parameter parser take arbitrary strings without panicking and
//! give a message for each thing they refuse.
//!
//! Cases: `LOOPLAB_PROPTEST_CASES` per property (the test command runs 1,000, in about 20 s). A
//! longer run, in a debug build so that the task state machine's `debug_assert!`s are checked
//! too: `LOOPLAB_PROPTEST_CASES=20000 cargo test --test properties`. A failing case is shrunk and saved in `tests/properties.proptest-regressions` (replayed first on every run); its
//! minimal program also belongs in `tests/loop_rules.rs` as a named test.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

use looplab::demos::{self, Kind, Value};
use looplab::prelude::*;
use looplab::trace::{Event as TraceEvent, EventKind, TaskId, Trace};
use looplab::view::share;
use looplab::{Loop, LoopOptions};

// ---------------------------------------------------------------------------------------------
// Programs

/// One operation of a task.
#[derive(Clone, Debug)]
enum Op {
    Sleep(f64),
    /// `sleep(0)`.
    Yield,
    Log,
    CallSoon,
    CallLater(f64),
    /// Spawn a child.
    Spawn(Arc<TaskSpec>),
    /// Await, or cancel (with a message of its own), the `k`-th (mod their number) of the
    /// children the task has spawned so far.
    AwaitChild(usize),
    CancelChild(usize),
    /// Cancel the `k`-th spawn from a `call_later` callback, outside any task.
    CancelLater(usize, f64),
    Gather(Vec<Arc<TaskSpec>>, bool),
    Wait(Vec<Arc<TaskSpec>>, ReturnWhenKind, Option<f64>),
    TaskGroup(Vec<Arc<TaskSpec>>),
    /// `async with timeout(d):` around some operations.
    Timeout(f64, Vec<Op>),
    /// `async with lock:` around some operations (the acquisition under a timeout, since a task
    /// may nest the same lock, or two tasks take two locks in opposite orders).
    Locked(usize, f64, Vec<Op>),
    /// `put` on a bounded queue, under a timeout.
    Put(usize, f64),
    /// `get`, under a timeout.
    Get(usize, f64),
    SetEvent(usize),
    /// `event.wait()`, under a timeout.
    WaitEvent(usize, f64),
    /// A Rust future (a oneshot channel) completed by a `call_later` callback.
    Foreign(f64),
    /// Raise an exception (the task ends with it).
    Raise,
}

#[derive(Clone, Copy, Debug)]
enum ReturnWhenKind {
    First,
    FirstException,
    All,
}

/// A task: its operations, and whether it swallows cancellations.
#[derive(Debug)]
struct TaskSpec {
    ops: Vec<Op>,
    swallows: bool,
}

impl TaskSpec {
    /// The task's own spawns, in the order of the program text.
    fn spawns(&self) -> Vec<Arc<TaskSpec>> {
        fn walk(ops: &[Op], out: &mut Vec<Arc<TaskSpec>>) {
            for op in ops {
                match op {
                    Op::Spawn(spec) => out.push(spec.clone()),
                    Op::Timeout(_, ops) | Op::Locked(_, _, ops) => walk(ops, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.ops, &mut out);
        out
    }

    /// Whether `test` holds for one of its operations (inside timeouts and locks too).
    fn any_op(&self, test: &dyn Fn(&Op) -> bool) -> bool {
        fn walk(ops: &[Op], test: &dyn Fn(&Op) -> bool) -> bool {
            ops.iter().any(|op| {
                test(op)
                    || match op {
                        Op::Timeout(_, ops) | Op::Locked(_, _, ops) => walk(ops, test),
                        _ => false,
                    }
            })
        }
        walk(&self.ops, test)
    }

    /// Whether the task may end with an exception (other than a cancellation): it raises, or
    /// awaits a child or a gather that may.
    fn may_fail(&self) -> bool {
        let spawns = self.spawns();
        self.any_op(&|op| match op {
            Op::Raise => true,
            Op::AwaitChild(_) => spawns.iter().any(|s| s.may_fail()),
            Op::Gather(children, false) => children.iter().any(|c| c.may_fail()),
            _ => false,
        })
    }

    /// Whether a cancellation of this task may come to nothing, by asyncio's rules: the task
    /// swallows it; or a task it awaits does (the cancellation went to that task); or it waits
    /// in a task group whose children may fail (a child's failure takes priority over the
    /// cancellation: the group raises an `ExceptionGroup`, which this program's tasks catch).
    /// Children are not told apart: any of them counts.
    fn may_escape(&self) -> bool {
        let spawns = self.spawns();
        self.swallows
            || self.any_op(&|op| match op {
                Op::AwaitChild(_) => spawns.iter().any(|s| s.may_escape()),
                Op::TaskGroup(children) => children.iter().any(|c| c.may_fail()),
                _ => false,
            })
    }
}

/// A whole program: the main task, the shared resources, the loop's options.
#[derive(Debug)]
struct Program {
    main: Arc<TaskSpec>,
    queue_sizes: Vec<usize>,
    eager: bool,
    seed: Option<u64>,
}

fn delay() -> impl Strategy<Value = f64> {
    // Few distinct values, so deadlines tie often.
    prop_oneof![
        Just(0.0),
        Just(0.5),
        Just(1.0),
        Just(1.5),
        (1u32..30).prop_map(|n| f64::from(n) / 10.0)
    ]
}

fn leaf() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => delay().prop_map(Op::Sleep),
        2 => Just(Op::Yield),
        1 => Just(Op::Log),
        1 => Just(Op::CallSoon),
        1 => delay().prop_map(Op::CallLater),
        3 => any::<usize>().prop_map(Op::AwaitChild),
        3 => any::<usize>().prop_map(Op::CancelChild),
        2 => (any::<usize>(), delay()).prop_map(|(k, d)| Op::CancelLater(k, d)),
        1 => (0..2usize, delay()).prop_map(|(q, t)| Op::Put(q, t)),
        1 => (0..2usize, delay()).prop_map(|(q, t)| Op::Get(q, t)),
        1 => (0..2usize).prop_map(Op::SetEvent),
        1 => (0..2usize, delay()).prop_map(|(e, t)| Op::WaitEvent(e, t)),
        1 => delay().prop_map(Op::Foreign),
        1 => Just(Op::Raise),
    ]
}

fn task_of(ops: impl Strategy<Value = Op> + Clone) -> impl Strategy<Value = Arc<TaskSpec>> + Clone {
    (prop::collection::vec(ops, 0..5), prop::bool::weighted(0.2))
        .prop_map(|(ops, swallows)| Arc::new(TaskSpec { ops, swallows }))
}

fn op() -> impl Strategy<Value = Op> {
    leaf().prop_recursive(3, 40, 5, |inner| {
        let task = task_of(inner.clone());
        let children = prop::collection::vec(task.clone(), 1..4);
        let when = prop_oneof![
            Just(ReturnWhenKind::First),
            Just(ReturnWhenKind::FirstException),
            Just(ReturnWhenKind::All)
        ];
        prop_oneof![
            6 => task.prop_map(Op::Spawn),
            1 => (children.clone(), any::<bool>()).prop_map(|(c, settled)| Op::Gather(c, settled)),
            1 => (children.clone(), when, prop::option::of(delay()))
                .prop_map(|(c, w, t)| Op::Wait(c, w, t)),
            1 => children.prop_map(Op::TaskGroup),
            1 => (delay(), prop::collection::vec(inner.clone(), 1..4)).prop_map(|(d, ops)| Op::Timeout(d, ops)),
            1 => (0..2usize, delay(), prop::collection::vec(inner, 1..3))
                .prop_map(|(l, t, ops)| Op::Locked(l, t, ops)),
        ]
    })
}

fn program() -> impl Strategy<Value = Program> {
    (
        prop::collection::vec(op(), 2..10),
        prop::collection::vec(1..4usize, 2),
        prop::bool::weighted(0.25),
    )
        .prop_map(|(ops, queue_sizes, eager)| Program {
            main: Arc::new(TaskSpec { ops, swallows: false }),
            queue_sizes,
            eager,
            seed: None,
        })
}

fn perturbed_program() -> impl Strategy<Value = Program> {
    (program(), any::<u64>()).prop_map(|(p, seed)| Program { seed: Some(seed), ..p })
}

// ---------------------------------------------------------------------------------------------
// Running a program

/// A `cancel_with` call made by the program.
#[derive(Debug)]
struct CancelCall {
    target: TaskId,
    message: String,
    accepted: bool,
}

/// What the program saw while it ran.
#[derive(Default)]
struct Record {
    cancels: Vec<CancelCall>,
    /// Cancellations caught by swallowing tasks: (task, message).
    caught: Vec<(TaskId, Option<String>)>,
    /// Every task spawned by a `Spawn` operation, with its spec.
    spawned: Vec<(Task<()>, Arc<TaskSpec>)>,
}

struct Env {
    queues: Vec<Queue<u32>>,
    locks: Vec<Lock>,
    events: Vec<Event>,
    record: RefCell<Record>,
    messages: Cell<u32>,
}

type Boxed<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + 'a>>;

/// A task's body.
fn launch(spec: Arc<TaskSpec>, env: Rc<Env>) -> Boxed<'static> {
    Box::pin(async move {
        let me = current_task().expect("runs in a task");
        let mut children = Vec::new();
        for op in &spec.ops {
            match run_op(op, &env, &mut children).await {
                Ok(()) => {}
                Err(e) if e.is_cancelled() && spec.swallows => {
                    let message = e.message().to_string();
                    env.record
                        .borrow_mut()
                        .caught
                        .push((me.id(), (!message.is_empty()).then_some(message)));
                    me.uncancel();
                    log("swallowed a cancellation");
                }
                Err(e) if e.is_cancelled() || e.is("Raised") => return Err(e),
                Err(e) => log(format!("an operation failed: {}", e.repr())),
            }
        }
        Ok(())
    })
}

/// Runs operations in order; the first failure ends the block.
fn run_ops<'a>(ops: &'a [Op], env: &'a Rc<Env>, children: &'a mut Vec<Task<()>>) -> Boxed<'a> {
    Box::pin(async move {
        for op in ops {
            run_op(op, env, children).await?;
        }
        Ok(())
    })
}

/// `task.cancel(msg)` with a message of its own, noted in the record.
fn cancel_recorded(task: &Task<()>, env: &Env) {
    let n = env.messages.get();
    env.messages.set(n + 1);
    let message = format!("m{n}");
    let accepted = task.cancel_with(message.as_str());
    env.record.borrow_mut().cancels.push(CancelCall {
        target: task.id(),
        message,
        accepted,
    });
}

fn spawn_all(specs: &[Arc<TaskSpec>], env: &Rc<Env>) -> Vec<Task<()>> {
    specs.iter().map(|s| spawn(launch(s.clone(), env.clone()))).collect()
}

async fn run_op(op: &Op, env: &Rc<Env>, children: &mut Vec<Task<()>>) -> Result<(), Error> {
    let child =
        |k: &usize, children: &Vec<Task<()>>| (!children.is_empty()).then(|| children[k % children.len()].clone());
    match op {
        Op::Sleep(d) => sleep(*d).await,
        Op::Yield => sleep(0.0).await,
        Op::Log => {
            log("log");
            Ok(())
        }
        Op::CallSoon => {
            call_soon(|| log("call_soon callback"));
            Ok(())
        }
        Op::CallLater(d) => {
            call_later(*d, || log("call_later callback"));
            Ok(())
        }
        Op::Spawn(child_spec) => {
            let task = spawn(launch(child_spec.clone(), env.clone()));
            children.push(task.clone());
            env.record.borrow_mut().spawned.push((task, child_spec.clone()));
            Ok(())
        }
        Op::AwaitChild(k) => match child(k, children) {
            Some(task) => task.await,
            None => Ok(()),
        },
        Op::CancelChild(k) => {
            if let Some(task) = child(k, children) {
                cancel_recorded(&task, env);
            }
            Ok(())
        }
        Op::CancelLater(k, d) => {
            if let Some(task) = child(k, children) {
                let env = env.clone();
                call_later(*d, move || cancel_recorded(&task, &env));
            }
            Ok(())
        }
        Op::Gather(specs, settled) => {
            let tasks = spawn_all(specs, env);
            if *settled {
                gather_settled(tasks).await.map(drop)
            } else {
                gather(tasks).await.map(drop)
            }
        }
        Op::Wait(specs, when, limit) => {
            let when = match when {
                ReturnWhenKind::First => ReturnWhen::FirstCompleted,
                ReturnWhenKind::FirstException => ReturnWhen::FirstException,
                ReturnWhenKind::All => ReturnWhen::AllCompleted,
            };
            wait(spawn_all(specs, env), when, *limit).await.map(drop)
        }
        Op::TaskGroup(specs) => {
            let specs = specs.clone();
            let env = env.clone();
            task_group(|tg| async move {
                for s in specs {
                    tg.spawn(launch(s, env.clone()))?;
                }
                Ok(())
            })
            .await
        }
        Op::Timeout(d, ops) => timeout(Some(*d)).run(run_ops(ops, env, children)).await,
        Op::Locked(l, limit, ops) => {
            let _held = timeout(Some(*limit)).run(env.locks[*l].enter()).await?;
            run_ops(ops, env, children).await
        }
        Op::Put(q, limit) => timeout(Some(*limit)).run(env.queues[*q].put(7)).await,
        Op::Get(q, limit) => timeout(Some(*limit)).run(env.queues[*q].get()).await.map(drop),
        Op::SetEvent(e) => {
            env.events[*e].set();
            Ok(())
        }
        Op::WaitEvent(e, limit) => timeout(Some(*limit)).run(env.events[*e].wait()).await.map(drop),
        Op::Foreign(d) => {
            let (sender, receiver) = futures::channel::oneshot::channel::<()>();
            call_later(*d, move || {
                let _ = sender.send(());
            });
            receiver
                .await
                .map_err(|_| Error::new("ValueError", "the sender was dropped"))
        }
        Op::Raise => Err(Error::new("Raised", "on purpose")),
    }
}

struct Run {
    result: Result<(), Error>,
    transcript: Vec<String>,
    trace: Trace,
    record: Record,
}

fn run_program(program: &Program) -> Run {
    let lp = Loop::new(LoopOptions {
        trace: true,
        eager_tasks: program.eager,
        seed: program.seed,
        // A lost wake-up that keeps the loop busy shows up as a cut-off run, quickly.
        max_iterations: 200_000,
        ..LoopOptions::default()
    });
    let env = Rc::new(Env {
        queues: program.queue_sizes.iter().map(|n| Queue::new(*n)).collect(),
        locks: vec![Lock::new(), Lock::new()],
        events: vec![Event::new(), Event::new()],
        record: RefCell::default(),
        messages: Cell::new(0),
    });
    let report = lp.run_report(launch(program.main.clone(), env.clone()));
    let record = std::mem::take(&mut *env.record.borrow_mut());
    Run {
        result: report.result,
        transcript: report.transcript,
        trace: report.trace.expect("traced"),
        record,
    }
}

// ---------------------------------------------------------------------------------------------
// The properties

/// Every program ends: its run is neither reported stalled nor cut off, and no task or callback
/// panicked (a failed `debug_assert!` of the task state machine would show here).
fn check_ends(run: &Run) -> Result<(), String> {
    if let Err(e) = &run.result {
        let stalled = e.is(ExceptionClass::RuntimeError);
        if stalled {
            return Err(format!("the run did not end normally: {}", e.message()));
        }
    }
    for line in &run.transcript {
        if line.contains("looplab: ") {
            return Err(format!("the loop gave up: {line}"));
        }
    }
    Ok(())
}

/// Every task is spawned once, never has two steps queued at once, steps only when scheduled
/// (an eager task's first step excepted) and finishes exactly once, with nothing after. Except
/// a task made after the main task finished (by a task that asyncio.run's shutdown cancelled):
/// as in CPython, the shutdown does not wait for it, and it may be destroyed still pending.
fn check_each_task_once(trace: &Trace, eager: bool) -> Result<(), String> {
    #[derive(Default)]
    struct Life {
        spawned: u32,
        queued: u32,
        steps: u32,
        exited: u32,
    }
    let mut lives: HashMap<TaskId, Life> = HashMap::new();
    for (i, e) in trace.events.iter().enumerate() {
        let Some(task) = e.task else { continue };
        let life = lives.entry(task).or_default();
        let at = || format!("event {i} ({:?}) of task {task}", e.kind);
        match &e.kind {
            EventKind::Spawned { .. } => {
                life.spawned += 1;
                if life.spawned > 1 {
                    return Err(format!("{}: spawned twice", at()));
                }
            }
            EventKind::Scheduled { .. } => {
                if life.exited > 0 {
                    return Err(format!("{}: scheduled after it exited", at()));
                }
                life.queued += 1;
                if life.queued > 1 {
                    return Err(format!("{}: two steps queued", at()));
                }
            }
            EventKind::StepBegin => {
                if life.exited > 0 {
                    return Err(format!("{}: stepped after it exited", at()));
                }
                let eager_first = eager && life.steps == 0 && life.queued == 0;
                if life.queued == 0 && !eager_first {
                    return Err(format!("{}: stepped without being scheduled", at()));
                }
                life.queued = life.queued.saturating_sub(1);
                life.steps += 1;
            }
            EventKind::Exited { .. } => {
                life.exited += 1;
                if life.exited > 1 {
                    return Err(format!("{}: exited twice", at()));
                }
                if life.steps == 0 {
                    // Cancelled before its first step: the queued step ended it.
                    life.queued = life.queued.saturating_sub(1);
                }
                if life.queued > 0 {
                    return Err(format!("{}: exited with a step queued", at()));
                }
            }
            _ => {}
        }
    }
    let after_main = spawned_after_main(trace);
    for (task, life) in &lives {
        if life.spawned == 1 && life.exited != 1 && !after_main.contains(task) {
            return Err(format!("task {task} never finished"));
        }
    }
    Ok(())
}

/// The clock never goes back, and iterations only count up.
fn check_clock(trace: &Trace) -> Result<(), String> {
    let events: Vec<TraceEvent> = trace.events.iter().collect();
    for pair in events.windows(2) {
        if pair[1].time < pair[0].time || pair[1].iteration < pair[0].iteration {
            return Err(format!("time or iteration went back: {:?} then {:?}", pair[0], pair[1]));
        }
    }
    for e in &events {
        if let EventKind::ClockAdvanced { from } = e.kind {
            if from >= e.time {
                return Err(format!("the clock 'advanced' from {from} to {}", e.time));
            }
        }
    }
    Ok(())
}

/// Python's `heapq` on (deadline, timer) items compared by deadline only, as asyncio compares
/// `TimerHandle`s: the model the timer order is checked against.
mod heapq {
    pub type Item = (f64, u64);

    fn sift_down(heap: &mut [Item], start: usize, mut pos: usize) {
        let item = heap[pos];
        while pos > start {
            let parent = (pos - 1) >> 1;
            if item.0 < heap[parent].0 {
                heap[pos] = heap[parent];
                pos = parent;
                continue;
            }
            break;
        }
        heap[pos] = item;
    }

    fn sift_up(heap: &mut [Item], mut pos: usize) {
        let (end, start, item) = (heap.len(), pos, heap[pos]);
        let mut child = 2 * pos + 1;
        while child < end {
            let right = child + 1;
            // `not heap[child] < heap[right]`, as heapq writes it (NaN-proof in the same way).
            #[allow(clippy::neg_cmp_op_on_partial_ord)]
            let right_first = right < end && !(heap[child].0 < heap[right].0);
            if right_first {
                child = right;
            }
            heap[pos] = heap[child];
            pos = child;
            child = 2 * pos + 1;
        }
        heap[pos] = item;
        sift_down(heap, start, pos);
    }

    pub fn push(heap: &mut Vec<Item>, item: Item) {
        heap.push(item);
        let last = heap.len() - 1;
        sift_down(heap, 0, last);
    }

    pub fn pop(heap: &mut Vec<Item>) -> Option<Item> {
        let last = heap.pop()?;
        if heap.is_empty() {
            return Some(last);
        }
        let first = std::mem::replace(&mut heap[0], last);
        sift_up(heap, 0);
        Some(first)
    }

    pub fn heapify(heap: &mut [Item]) {
        for i in (0..heap.len() / 2).rev() {
            sift_up(heap, i);
        }
    }
}

/// Timers fire as asyncio's `_run_once` fires them: at the start of each iteration, cancelled
/// timers at the head of the heap are dropped (or, past 100 timers with more than half
/// cancelled, all of them, and the rest re-heapified), then every timer due before
/// `time + resolution` is popped in heap order; each then fires, unless cancelled before it
/// ran. Never early, never late, ties in the heap's order.
fn check_timers(trace: &Trace) -> Result<(), String> {
    const RESOLUTION: f64 = 1e-9;
    let mut heap: Vec<heapq::Item> = Vec::new();
    let mut cancelled: HashSet<u64> = HashSet::new();
    let mut cancelled_in_heap = 0usize;
    let mut fired: HashSet<u64> = HashSet::new();
    let mut dropped_after_pop: HashSet<u64> = HashSet::new();
    let mut i = 0;
    let events: Vec<TraceEvent> = trace.events.iter().collect();
    while i < events.len() {
        let iteration = events[i].iteration;
        let end = events[i..]
            .iter()
            .position(|e| e.iteration != iteration)
            .map_or(events.len(), |n| i + n);
        let group = &events[i..end];
        if iteration > 0 {
            // Start of the iteration: the heap's housekeeping, then the due timers.
            if heap.len() > 100 && cancelled_in_heap as f64 / heap.len() as f64 > 0.5 {
                heap.retain(|(_, t)| !cancelled.contains(t));
                heapq::heapify(&mut heap);
                cancelled_in_heap = 0;
            } else {
                while heap.first().is_some_and(|(_, t)| cancelled.contains(t)) {
                    heapq::pop(&mut heap);
                    cancelled_in_heap = cancelled_in_heap.saturating_sub(1);
                }
            }
            let now = group[0].time;
            let mut due = Vec::new();
            while heap.first().is_some_and(|(when, _)| *when < now + RESOLUTION) {
                if let Some((_, t)) = heapq::pop(&mut heap) {
                    if !cancelled.contains(&t) {
                        due.push(t);
                    }
                }
            }
            // The timers that fire in this iteration are these, in this order, less any
            // cancelled after they were popped.
            let fired_here: Vec<u64> = group
                .iter()
                .filter_map(|e| match e.kind {
                    EventKind::TimerFired { timer } => Some(timer),
                    _ => None,
                })
                .collect();
            let mut expected = due.iter();
            for timer in &fired_here {
                loop {
                    match expected.next() {
                        Some(t) if t == timer => break,
                        Some(t) => {
                            dropped_after_pop.insert(*t);
                        }
                        None => {
                            return Err(format!(
                                "iteration {iteration} (t={now}): timer {timer} fired out of heap order \
                                 or when not due; due in order: {due:?}; fired: {fired_here:?}"
                            ))
                        }
                    }
                }
                fired.insert(*timer);
            }
            dropped_after_pop.extend(expected.copied());
        }
        for e in group {
            match e.kind {
                EventKind::TimerSet { timer, deadline, .. } => heapq::push(&mut heap, (deadline, timer)),
                EventKind::TimerCancelled { timer } => {
                    if fired.contains(&timer) {
                        return Err(format!("timer {timer} cancelled after it fired"));
                    }
                    cancelled.insert(timer);
                    cancelled_in_heap += 1;
                }
                _ => {}
            }
        }
        i = end;
    }
    // (Timers still pending when the run ends are dropped with the loop, as asyncio's are.)
    match dropped_after_pop.iter().find(|t| fired.contains(t)) {
        Some(t) => Err(format!("timer {t} fired after it was dropped")),
        None => Ok(()),
    }
}

/// The tasks made after the main task finished (during asyncio.run's shutdown), which the
/// shutdown does not wait for.
fn spawned_after_main(trace: &Trace) -> Vec<TaskId> {
    let mut main = None;
    let mut main_done = false;
    let mut after = Vec::new();
    for e in &trace.events {
        let Some(task) = e.task else { continue };
        match e.kind {
            EventKind::Spawned { .. } if main.is_none() => main = Some(task),
            EventKind::Spawned { .. } if main_done => after.push(task),
            EventKind::Exited { .. } if main == Some(task) => main_done = true,
            _ => {}
        }
    }
    after
}

/// Each `cancel_with(message)` is delivered at most once to its target; and a task that was
/// cancelled does not return normally unless it, or a task it awaited, swallows cancellations.
fn check_cancellation(run: &Run) -> Result<(), String> {
    let record = &run.record;
    let mut seen: HashMap<(TaskId, String), u32> = HashMap::new();
    for (task, message) in &record.caught {
        if let Some(message) = message {
            *seen.entry((*task, message.clone())).or_default() += 1;
        }
    }
    let after_main = spawned_after_main(&run.trace);
    for (task, spec) in &record.spawned {
        match task.result() {
            None if after_main.contains(&task.id()) => {}
            None => return Err(format!("task {} is not done after the run", task.name())),
            Some(Err(e)) if e.is_cancelled() && !e.message().is_empty() => {
                *seen.entry((task.id(), e.message().to_string())).or_default() += 1;
            }
            Some(Ok(())) => {
                let cancelled = record.cancels.iter().any(|c| c.target == task.id() && c.accepted);
                if cancelled && !spec.may_escape() {
                    return Err(format!(
                        "task {} was cancelled (and nothing it awaited swallows) but returned normally",
                        task.name()
                    ));
                }
            }
            Some(Err(_)) => {}
        }
    }
    for call in &record.cancels {
        let delivered = seen.get(&(call.target, call.message.clone())).copied().unwrap_or(0);
        if delivered > 1 {
            return Err(format!("cancellation {call:?} was delivered {delivered} times"));
        }
        if delivered > 0 && !call.accepted {
            return Err(format!("cancellation {call:?} was refused but delivered"));
        }
    }
    // Deliveries only come from cancel() calls.
    for ((task, message), _) in seen {
        let from_a_call = record.cancels.iter().any(|c| c.target == task && c.message == message);
        let awaited_one = record.cancels.iter().any(|c| c.message == message);
        if !from_a_call && !awaited_one {
            return Err(format!("task {task} got a cancellation {message:?} nobody asked for"));
        }
    }
    Ok(())
}

/// Runs `work` on a program in a thread of its own and waits at most a minute: a step that never
/// ends (a loop inside the executor) would otherwise hang the test command. Then the process
/// stops, printing the program, since a thread that spins cannot be stopped.
fn watched<R: Send + 'static>(program: &Arc<Program>, work: fn(&Program) -> R) -> R {
    let (sender, receiver) = mpsc::channel();
    let for_thread = program.clone();
    std::thread::spawn(move || {
        let _ = sender.send(work(&for_thread));
    });
    match receiver.recv_timeout(Duration::from_secs(60)) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            // Straight to stderr: the test harness's capture would go down with the process.
            let text =
                format!("a program ran for a minute without ending (a step that never returns?):\n{program:#?}\n");
            let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
            std::process::exit(101);
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the program's thread panicked"),
    }
}

/// Runs a program and checks every property; the transcript comes with a failure.
fn run_and_check(program: &Program) -> Result<(), String> {
    let run = run_program(program);
    check_all(program, &run).map_err(|why| format!("{why}\ntranscript:\n{}", run.transcript.join("\n")))
}

/// The transcript and the JSON trace of a run.
fn outputs(program: &Program) -> (Vec<String>, String) {
    let run = run_program(program);
    (run.transcript, run.trace.to_json())
}

fn check_all(program: &Program, run: &Run) -> Result<(), String> {
    check_ends(run)?;
    check_each_task_once(&run.trace, program.eager)?;
    check_clock(&run.trace)?;
    check_timers(&run.trace)?;
    check_cancellation(run)?;
    Ok(())
}

fn cases() -> u32 {
    std::env::var("LOOPLAB_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

fn config() -> Config {
    Config {
        cases: cases(),
        // Shrinking a program is quick; keep the search bounded all the same.
        max_shrink_iters: 4096,
        // Shrunk failures are kept in tests/properties.proptest-regressions and replayed first.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_programs_keep_the_loops_promises(program in program()) {
        let program = Arc::new(program);
        if let Err(why) = watched(&program, run_and_check) {
            prop_assert!(false, "{}", why);
        }
    }

    #[test]
    fn the_same_program_and_seed_give_the_same_trace_and_transcript(program in perturbed_program()) {
        let program = Arc::new(program);
        let first = watched(&program, outputs);
        let second = watched(&program, outputs);
        prop_assert_eq!(first, second);
    }

    #[test]
    fn perturbed_programs_keep_the_loops_promises_too(program in perturbed_program()) {
        let program = Arc::new(program);
        if let Err(why) = watched(&program, run_and_check) {
            prop_assert!(false, "{}", why);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input

fn messy_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<String>(),
        Just("=".to_string()),
        Just("&".to_string()),
        Just("%".to_string()),
        Just("%ZZ".to_string()),
        Just("%E2%80".to_string()),
        Just("p.".to_string()),
        Just("demo".to_string()),
        Just("seed".to_string()),
        Just("t".to_string()),
        Just("axis".to_string()),
        Just("embed".to_string()),
        Just("gather".to_string()),
        Just("NaN".to_string()),
        Just("-1e309".to_string()),
        Just("18446744073709551616".to_string()),
        prop::collection::vec(
            prop::sample::select(vec!['0', '1', '5', '9', '.', 'e', '+', '-', ' ']),
            1..12
        )
        .prop_map(|chars| chars.into_iter().collect::<String>()),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_query_string_gives_a_page_state_and_round_trips(query in messy_text()) {
        let (shared, messages) = share::parse(&query);
        for m in &messages {
            prop_assert!(!m.is_empty() && m.chars().count() < 400, "{m:?}");
        }
        // What was kept is a valid state: writing it back and reading it gives it again, with
        // nothing to complain about.
        let again = share::query(&shared);
        let (reread, complaints) = share::parse(&again);
        prop_assert!(complaints.is_empty(), "{again}: {complaints:?}");
        prop_assert_eq!(reread, shared);
    }

    #[test]
    fn each_refused_pair_of_a_query_gets_a_message(
        pairs in prop::collection::vec((messy_text(), messy_text()), 1..6)
    ) {
        let known = ["demo", "seed", "t", "axis", "embed", "e"];
        let mut query = form_urlencoded::Serializer::new(String::new());
        let mut unknown = 0;
        for (k, v) in &pairs {
            query.append_pair(k, v);
            if !known.contains(&k.as_str()) && !k.starts_with("p.") {
                unknown += 1;
            }
        }
        let (_, messages) = share::parse(&query.finish());
        prop_assert!(messages.len() >= unknown, "{} unknown keys, messages: {:?}", unknown, messages);
    }

    #[test]
    fn any_parameter_text_is_taken_or_refused_with_a_message(
        demo in 0..demos::DEMOS.len(),
        which in any::<usize>(),
        text in messy_text(),
    ) {
        let demo = &demos::DEMOS[demo];
        let mut params = demo.defaults();
        if demo.params.is_empty() {
            let e = params.set("any", &text).unwrap_err().to_string();
            prop_assert!(e.contains("this demo has no parameters"), "{e}");
            return Ok(());
        }
        let spec = demo.params[which % demo.params.len()];
        match params.set(spec.name, &text) {
            Ok(()) => {
                // Taken: within bounds, and written back it reads as the same value.
                let value = params.get(spec.name).cloned();
                match (spec.kind, &value) {
                    (Kind::Seconds { min, max }, Some(Value::Seconds(v))) => prop_assert!(*v >= min && *v <= max),
                    (Kind::Count { min, max }, Some(Value::Count(v))) => prop_assert!(*v >= min && *v <= max),
                    (Kind::Choice(choices), Some(Value::Choice(c))) => prop_assert!(choices.contains(c)),
                    other => prop_assert!(false, "a value of the wrong kind: {:?}", other),
                }
                let mut again = demo.defaults();
                for arg in params.to_args() {
                    prop_assert!(again.set_pair(&arg).is_ok(), "{arg}");
                }
                prop_assert_eq!(again, params);
            }
            Err(e) => {
                // Refused: the message names the parameter and what it accepts, quotes at most 40
                // characters of the text, and nothing changed.
                let message = e.to_string();
                prop_assert!(message.contains(spec.name), "{message}");
                prop_assert!(message.contains(&spec.kind.describe()), "{message}");
                prop_assert!(message.chars().count() <= 120 + spec.kind.describe().chars().count(), "{message}");
                prop_assert_eq!(params, demo.defaults());
            }
        }
    }

    #[test]
    fn any_name_value_pair_is_taken_or_refused_with_a_message(text in messy_text()) {
        let demo = demos::find("gather").expect("the gather demo");
        let mut params = demo.defaults();
        match params.set_pair(&text) {
            Ok(()) => prop_assert!(text.contains('=')),
            Err(e) => {
                let message = e.to_string();
                prop_assert!(!message.is_empty());
                if !text.contains('=') {
                    prop_assert!(message.contains("is not of the form name=value"), "{message}");
                }
                prop_assert_eq!(params, demo.defaults());
            }
        }
    }
}

//! The event loop: a ready queue, a timer heap, a clock, and one function that runs an iteration.
//!
//! One iteration (asyncio's `BaseEventLoop._run_once`, CPython 3.11) does, in this order:
//!
//! 1. drop cancelled timers: all of them (re-heapifying the rest) when there are more than 100
//!    timers and more than half are cancelled, otherwise only those at the head of the heap;
//! 2. if nothing is ready, let time pass up to the earliest deadline: the virtual clock jumps
//!    there at once; with the real clock the host waits (see [`Turn::Wait`]);
//! 3. move every timer that is due (deadline before `time() + clock resolution`) from the heap to
//!    the ready queue, in heap order;
//! 4. run exactly the handles that are on the ready queue now. Whatever they schedule waits for
//!    the next iteration.
//!
//! A handle is either a task step or a callback. Tasks are woken by `call_soon`-ing their step,
//! so a task woken in iteration N runs in iteration N+1, after everything that was already ready.
//!
//! `run` copies `asyncio.run` (its `Runner`): the main coroutine becomes task `Task-1`; when it is
//! done the loop stops after finishing that iteration (the stop is itself a done callback of the
//! main task), then every task still pending is cancelled and the loop runs until they have all
//! finished.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::Poll;

use slab::Slab;

use super::clock::{Clock, ClockKind, CLOCK_RESOLUTION};
use super::error::Error;
use super::heap::{Deadline, TimerHeap};
use super::task::{failed_task, new_task, Task, TaskHeader, TaskPtr, NOT_IN_TABLE};
use super::task_state::TaskState;
use super::waker::{register_loop, Inbox, LentWaker, TaskWaker};
use crate::trace::{Awaiting, EventKind, Events, TaskId, Trace, Waker};
use std::sync::Arc;

/// asyncio re-heapifies its timers when more than this many are scheduled...
const MIN_SCHEDULED_TIMER_HANDLES: usize = 100;
/// ...and more than this fraction of them are cancelled.
const MIN_CANCELLED_TIMER_HANDLES_FRACTION: f64 = 0.5;

/// How a loop runs.
#[derive(Clone, Debug)]
pub struct LoopOptions {
    /// Virtual (the default) or real time.
    pub clock: ClockKind,
    /// Record a trace of every scheduling decision.
    pub trace: bool,
    /// Give up after this many iterations (a run that never ends is reported, not hung).
    pub max_iterations: u64,
    /// asyncio's debug mode: report every step that holds the loop for at least
    /// `slow_callback_duration` seconds.
    pub debug: bool,
    /// The slow-step threshold of debug mode (asyncio's default: 0.1 s).
    pub slow_callback_duration: f64,
    /// CPython 3.12's eager task factory: a new task's first step runs at once, inside
    /// `create_task`, instead of in the next iteration.
    pub eager_tasks: bool,
    /// Perturbation: with a seed, every timer's delay is scaled by a factor drawn from
    /// [0.9, 1.1) (deterministically from the seed), so equal deadlines no longer tie and close
    /// ones may swap: outcomes that depend on timing show up. `None`: CPython's exact order.
    pub seed: Option<u64>,
    /// Also write each transcript line to standard output as it is written, as Python's `print`
    /// would (what [`run`](crate::runtime::run) does). Native builds only: a wasm module has no
    /// standard output, and the page does without std's machinery for one.
    pub print: bool,
}

impl Default for LoopOptions {
    fn default() -> Self {
        LoopOptions {
            clock: ClockKind::Virtual,
            trace: false,
            max_iterations: 10_000_000,
            debug: false,
            slow_callback_duration: 0.1,
            eager_tasks: false,
            seed: None,
            print: false,
        }
    }
}

/// `file:line` of a caller, as the trace stores it.
fn source_line(at: &'static std::panic::Location<'static>) -> String {
    format!("{}:{}", at.file(), at.line())
}

/// Where a traced event comes from: a line of Rust, or a line an interpreter names (`main.py:12`).
enum Source {
    Rust(&'static std::panic::Location<'static>),
    Text(Rc<str>),
}

/// What `loop.call_exception_handler(context)` receives: a message, the task concerned (by
/// name) and the failure, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct ExceptionContext {
    /// The message, with CPython's text (`Task exception was never retrieved`, ...).
    pub message: String,
    /// The name of the task concerned.
    pub task: Option<Rc<str>>,
    /// Its number in the trace (a host that keeps more about its tasks can find it by this).
    pub task_id: Option<TaskId>,
    /// The failure.
    pub exception: Option<Error>,
}

impl ExceptionContext {
    /// The line the default handler writes: `message (task): repr(exception)`.
    pub fn line(&self) -> String {
        let mut line = self.message.clone();
        if let Some(task) = &self.task {
            line.push_str(&format!(" ({task})"));
        }
        if let Some(e) = &self.exception {
            line.push_str(&format!(": {}", e.repr()));
        }
        line
    }
}

/// Where a host wants the loop's own warnings (see [`Loop::set_warning_hook`]).
type WarningHook = Rc<dyn Fn(&str)>;

/// A loop-level exception handler (`loop.set_exception_handler`).
pub type ExceptionHandler = Rc<dyn Fn(&ExceptionContext)>;

/// What one call of [`Loop::run_once`] did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Turn {
    /// An iteration ran; call again.
    Ran,
    /// Real clock only: nothing is ready until this loop time; wait, then call again.
    Wait(f64),
    /// Nothing is ready and nothing ever will be: the run cannot finish (see the reason).
    Stalled(Stall),
    /// The run is over: the main task is done and the shutdown has finished.
    Finished,
}

/// Why a run cannot go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stall {
    /// Every task waits on something that nothing will ever complete.
    Deadlock,
    /// The iteration limit of [`LoopOptions::max_iterations`] was reached.
    IterationLimit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Created, not started.
    Idle,
    /// Running the main task.
    Running,
    /// Main is done; the remaining tasks were cancelled and are finishing.
    ShuttingDown,
    /// Over.
    Closed,
}

/// The iterations of asyncio.run's shutdown after `_cancel_all_tasks`: two for
/// `shutdown_asyncgens()`, two for `shutdown_default_executor()`.
const SHUTDOWN_TURNS: u8 = 4;

/// One entry of the ready queue.
pub(crate) enum Handle {
    /// A task's step (its wake-up).
    Step(TaskPtr),
    /// A callback: from `call_soon`, or a timer that came due.
    Call(Rc<CallbackEntry>),
    /// A done callback of a future or task (nobody holds a handle to cancel it by).
    Done(Box<dyn FnOnce()>),
    /// A gather's done callback on one of its children: the gather and the child's place.
    ChildDone(Rc<dyn super::completion::ChildDone>, u32),
    /// A sleep's timer that came due: its place in the loop's timer table.
    Sleep(u32),
}

/// A scheduled callback (asyncio's `Handle` / `TimerHandle`).
pub(crate) struct CallbackEntry {
    /// The timer's number, for timers.
    timer: Option<u64>,
    cancelled: Cell<bool>,
    /// Still in the timer heap (asyncio's `_scheduled`).
    in_heap: Cell<bool>,
    callback: RefCell<Option<Box<dyn FnOnce()>>>,
}

/// Names a sleep's timer in the loop's timer table: its place there, and the low 32 bits of its
/// number (places are reused, so a key that outlives its timer, when the loop closes, must not
/// find another). Eight bytes, so that what a task waits on ([`super::completion::Waiter`])
/// is as small as a pointer to a waitable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SleepKey {
    slot: u32,
    timer: u32,
}

/// The future of an `asyncio.sleep`: what it ended with, so far.
#[derive(Clone, Debug)]
pub(crate) enum SleepOutcome {
    Pending,
    /// The timer set the result.
    Done,
    /// Cancelled (the sleeping task was), with the cancellation's message.
    Cancelled(Option<Rc<str>>),
}

/// Who a sleep's future wakes when it is done (its one done callback).
pub(crate) enum SleepWaiter {
    None,
    /// The sleeping task (its `__wakeup`).
    Task(TaskPtr),
    /// A foreign awaiter, when a sleep is awaited outside any looplab task.
    Waker(std::task::Waker),
}

/// A sleep's timer and its future, kept in the loop's timer table instead of an allocation of
/// their own (asyncio's `sleep` makes a future and a `TimerHandle` that sets its result). It
/// stays there while the heap or the ready queue refers to it, or the sleep still holds it.
pub(crate) struct SleepTimer {
    timer: u64,
    /// `TimerHandle.cancel()` was called.
    cancelled: bool,
    /// Still in the timer heap (asyncio's `_scheduled`).
    in_heap: bool,
    /// Came due: on the ready queue, not run yet.
    queued: bool,
    /// The sleep still holds its key.
    held: bool,
    outcome: SleepOutcome,
    waiter: SleepWaiter,
}

impl SleepTimer {
    fn unreferenced(&self) -> bool {
        !self.in_heap && !self.queued && !self.held
    }
}

/// What the timer table holds at a timer's place.
pub(crate) enum TimerSlot {
    /// A timer of `call_at` / `call_later` (and of the combinators built on them), whose handle
    /// its caller holds.
    Callback(Rc<CallbackEntry>),
    /// A sleep's timer.
    Sleep(SleepTimer),
}

impl TimerSlot {
    fn cancelled(&self) -> bool {
        match self {
            TimerSlot::Callback(entry) => entry.cancelled.get(),
            TimerSlot::Sleep(sleep) => sleep.cancelled,
        }
    }
}

/// A timer as the heap holds it: its deadline beside its place in the timer table. Small and
/// `Copy`, so that the heap's sift steps (a dozen or more per push and pop among 100,000
/// timers) move 16 bytes and read the heap's own array, with no reference counts.
#[derive(Clone, Copy)]
pub(crate) struct HeapTimer {
    when: f64,
    slot: u32,
}

impl Deadline for HeapTimer {
    fn deadline(&self) -> f64 {
        self.when
    }
}

thread_local! {
    /// The loop running on this thread, while it runs an iteration.
    static CURRENT: RefCell<Option<Rc<LoopCore>>> = const { RefCell::new(None) };
}

static NEXT_LOOP_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The running loop, if this thread is inside an iteration of one (`get_running_loop`).
pub(crate) fn current_loop() -> Option<Rc<LoopCore>> {
    CURRENT.try_with(|c| c.borrow().clone()).ok().flatten()
}

/// The cancellation to throw into the running step at its await, if one is due (see
/// [`super::task::TaskHeader::take_cancel_delivery`]). The running task is looked up only in a
/// step that began with a cancellation thrown in: most awaits ask one number (an await of a
/// task that is already done asks nothing else of the loop).
pub(crate) fn current_cancel_delivery() -> Option<Error> {
    if !super::task::cancel_maybe_thrown() {
        return None;
    }
    current_loop()?.current_task()?.header().take_cancel_delivery()
}

/// Makes a loop this thread's running loop until dropped, then puts back whatever was there.
/// A guard rather than a pair of statements, so that a panic unwinding through an iteration
/// cannot leave the thread believing a loop is still running.
struct CurrentLoop {
    previous: Option<Rc<LoopCore>>,
}

impl CurrentLoop {
    /// Enters `core`, unless a loop is running on this thread already.
    fn enter(core: &Rc<LoopCore>) -> Option<CurrentLoop> {
        CURRENT.with(|c| {
            let mut c = c.borrow_mut();
            if c.is_some() {
                return None;
            }
            *c = Some(core.clone());
            Some(CurrentLoop { previous: None })
        })
    }

    /// Makes `core` current for a while (to close it, say), whatever ran before.
    fn replace(core: &Rc<LoopCore>) -> CurrentLoop {
        let previous = CURRENT.with(|c| c.borrow_mut().replace(core.clone()));
        CurrentLoop { previous }
    }
}

impl Drop for CurrentLoop {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let _ = CURRENT.try_with(|c| *c.borrow_mut() = previous);
    }
}

/// The text of a panic's payload.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

/// The loop's state. Shared by the [`Loop`] handle, tasks (weakly) and the thread-local
/// "running loop".
/// How many handles a pausable iteration runs between two questions whether to pause (asking
/// reads the host's clock, which costs about as much as a short handle).
const PAUSE_CHECK_EVERY: u32 = 64;

pub(crate) struct LoopCore {
    id: u64,
    options: LoopOptions,
    phase: Cell<Phase>,
    stopping: Cell<bool>,
    /// The perturbation's random numbers, when seeded.
    jitter: RefCell<Option<fastrand::Rng>>,
    /// New tasks start eagerly (CPython 3.12's eager task factory).
    eager_tasks: Cell<bool>,
    /// `asyncio.run` cancels what is left when main is done; `run_until_complete` does not.
    shutdown_on_stop: Cell<bool>,
    ready: RefCell<VecDeque<Handle>>,
    timers: RefCell<TimerHeap<HeapTimer>>,
    /// What the heap's timers are (and sleeps whose timers left it), by place.
    timer_slots: RefCell<Slab<TimerSlot>>,
    timer_cancelled_count: Cell<usize>,
    clock: Clock,
    iteration: Cell<u64>,
    /// The handles of the current iteration not run yet: non-zero only while a host that runs
    /// iterations in pieces ([`Loop::run_once_pausable`]) has paused one.
    unfinished: Cell<usize>,
    /// Tasks not yet done (asyncio's `all_tasks`), except those whose first step has not ended
    /// (see [`LoopCore::keep_task`]).
    live: RefCell<Slab<TaskPtr>>,
    /// (A `Cell`, read by taking the handle out and putting it back: at opt-level "z" a
    /// `RefCell`'s borrow is a call, and a step enters and leaves its task.)
    current: Cell<Option<TaskPtr>>,
    /// Who is running now, to say who woke whom.
    waking: Cell<Waker>,
    /// The last `Task-N` number given.
    task_numbers: Cell<u32>,
    next_task_id: Cell<TaskId>,
    next_timer_id: Cell<u64>,
    inbox: Inbox,
    /// Called when a task is woken from outside an iteration, so a waiting host can resume.
    on_outside_wake: RefCell<Option<Rc<dyn Fn()>>>,
    /// Where the loop's own warnings go instead of the transcript, if a host set it.
    warning_hook: RefCell<Option<WarningHook>>,
    transcript: RefCell<Vec<String>>,
    /// The trace being recorded, if tracing is on: in a `Cell`, taken out to record an event and
    /// put back (at opt-level "z" a `RefCell`'s borrow is a call, dearer than the two moves).
    events: Cell<Option<Box<Events>>>,
    /// Whether `events` holds a trace (read before each event is built).
    tracing: Cell<bool>,
    exception_handler: RefCell<Option<ExceptionHandler>>,
    /// The tasks asyncio.run's shutdown cancelled (see [`LoopCore::begin_shutdown`]).
    shutdown_tasks: RefCell<Vec<TaskPtr>>,
    /// The iterations asyncio.run's shutdown still runs once the cancelled tasks are done:
    /// `None` while they finish. See [`LoopCore::end_of_shutdown_iteration`].
    shutdown_turns: Cell<Option<u8>>,
    /// The error that ended the run (a panic), for the next `run_once` to return.
    failure: RefCell<Option<Error>>,
    /// No more reports or warnings (a run stopped by a panic is being torn down).
    quiet: Cell<bool>,
    /// Wakers to lend to steps (see [`TaskWaker`]): one at hand (a step that is not inside
    /// another's lends and returns just this one), and the rest.
    spare_waker: Cell<Option<LentWaker>>,
    wakers: RefCell<Vec<LentWaker>>,
    /// The source lines the trace's events point to, interned.
    sources: RefCell<Vec<Source>>,
    source_ids: RefCell<std::collections::HashMap<usize, u32>>,
    /// The same for sources given as text (an interpreter's `file:line`).
    text_source_ids: RefCell<std::collections::HashMap<Rc<str>, u32>>,
    /// A source line a host names for the timers set now (see [`crate::runtime::api::at_source`]).
    source_hint: Cell<Option<u32>>,
}

impl LoopCore {
    /// A waker for a step of the task at `slot`.
    pub(crate) fn lend_waker(&self, slot: usize, task: TaskId) -> LentWaker {
        let waker = match self.spare_waker.take() {
            Some(spare) => spare,
            None => self.lend_pooled_waker(),
        };
        waker.task_waker().point_at(slot, task);
        waker
    }

    #[inline(never)]
    fn lend_pooled_waker(&self) -> LentWaker {
        self.wakers
            .borrow_mut()
            .pop()
            .unwrap_or_else(|| LentWaker::new(Arc::new(TaskWaker::new(self.id, self.inbox.clone()))))
    }

    /// A lent waker nobody kept.
    pub(crate) fn return_waker(&self, waker: LentWaker) {
        match self.spare_waker.replace(Some(waker)) {
            // (The `None` the step's lending left: nothing to drop.)
            None => {}
            Some(other) => self.wakers.borrow_mut().push(other),
        }
    }

    /// The trace's index for a source line (recorded once, then shared by every event there).
    fn source_id(&self, at: &'static std::panic::Location<'static>) -> u32 {
        let key = at as *const _ as usize;
        *self.source_ids.borrow_mut().entry(key).or_insert_with(|| {
            let mut sources = self.sources.borrow_mut();
            sources.push(Source::Rust(at));
            (sources.len() - 1) as u32
        })
    }

    /// The trace's index for a source line given as text (`main.py:12`).
    fn text_source_id(&self, at: &str) -> u32 {
        if let Some(id) = self.text_source_ids.borrow().get(at) {
            return *id;
        }
        let text: Rc<str> = at.into();
        let mut sources = self.sources.borrow_mut();
        sources.push(Source::Text(text.clone()));
        let id = (sources.len() - 1) as u32;
        self.text_source_ids.borrow_mut().insert(text, id);
        id
    }

    /// Runs `f` with the timers it sets attributed to `at` in the trace (see
    /// [`crate::runtime::api::at_source`]).
    pub(crate) fn at_source<R>(&self, at: &str, f: impl FnOnce() -> R) -> R {
        if !self.tracing.get() {
            return f();
        }
        let id = self.text_source_id(at);
        let outer = self.source_hint.replace(Some(id));
        let result = f();
        self.source_hint.set(outer);
        result
    }

    /// A line the program wrote (a host's own output, such as the Python lab's `print`): a log
    /// event of the current task, pointing at `at` (`file:line`), kept out of the loop's own
    /// transcript.
    pub(crate) fn record_output(&self, text: &str, at: Option<&str>) {
        self.record(self.current_task_id(), || EventKind::Log {
            text: text.to_string(),
            at: at.map(|a| self.text_source_id(a)),
        });
    }

    /// A warning a host reports (the Python lab's asyncio warnings): a warning event of the
    /// current task, kept out of the loop's own transcript.
    pub(crate) fn record_warning(&self, text: &str) {
        self.record(self.current_task_id(), || EventKind::Warning { text: text.to_string() });
    }

    /// `loop.time()`.
    pub(crate) fn time(&self) -> f64 {
        self.clock.now()
    }

    pub(crate) fn iteration(&self) -> u64 {
        self.iteration.get()
    }

    /// Whether the loop records a trace.
    #[inline(always)]
    pub(crate) fn tracing(&self) -> bool {
        self.tracing.get()
    }

    /// Records an event if tracing is on. `kind` is only built when it is.
    ///
    /// Inlined where the loop records, where `kind` is known: a kind that fits in its record
    /// ([`Events::compact`]) is passed on as the record's few fields, to one function that
    /// stores them; the rest go to another with the whole `kind`. (At opt-level "z" a recording
    /// inlined whole at each place calls out for the borrow, the time and the push of the
    /// record, which in wasm cost more than the storing.)
    #[inline(always)]
    pub(crate) fn record(&self, task: Option<TaskId>, kind: impl FnOnce() -> EventKind) {
        if !self.tracing.get() {
            return;
        }
        match Events::split(kind()) {
            Ok((head, payload)) => self.record_compact(task, head, payload),
            Err(kind) => self.record_full(task, kind),
        }
    }

    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn record_compact(&self, task: Option<TaskId>, head: crate::trace::Head, payload: u64) {
        self.record_compact_here(task, head, payload);
    }

    /// As [`LoopCore::record`], the record stored where it is called in the page too, without a
    /// call: for a step's begin, recorded in the middle of the step, where (in the page) the
    /// call cost more than the storing. (The page's yield-storm, alternating fresh pages: the
    /// trace's cost 1.44-1.80 -> 1.21-1.48 ms, the untraced run unchanged. Stored in place at
    /// the step's end and at a wake-up too, it was less again, but the untraced run got slower.)
    #[inline(always)]
    pub(crate) fn record_here(&self, task: Option<TaskId>, kind: impl FnOnce() -> EventKind) {
        if !self.tracing.get() {
            return;
        }
        match Events::split(kind()) {
            Ok((head, payload)) => self.record_compact_here(task, head, payload),
            Err(kind) => self.record_full(task, kind),
        }
    }

    /// The body of [`LoopCore::record_compact`].
    #[inline(always)]
    fn record_compact_here(&self, task: Option<TaskId>, head: crate::trace::Head, payload: u64) {
        if let Some(mut events) = self.events.take() {
            self.real_time_now(&mut events);
            events.push_compact(task, head, payload);
            self.put_back(events);
        }
    }

    #[cfg_attr(target_arch = "wasm32", inline(never))]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn record_full(&self, task: Option<TaskId>, kind: EventKind) {
        if let Some(mut events) = self.events.take() {
            self.real_time_now(&mut events);
            events.push_encoded(task, kind);
            self.put_back(events);
        }
    }

    /// On the real clock, the trace is told the time before each event (it moves on by itself);
    /// on the virtual clock, only when the time moves ([`LoopCore::trace_now`]).
    #[inline(always)]
    fn real_time_now(&self, events: &mut Events) {
        if !self.clock.is_virtual() {
            events.set_now(self.iteration.get(), self.clock.now());
        }
    }

    /// Tells the trace the iteration and time of the events that follow: called when either
    /// changes (a new iteration, the virtual clock moving), not for every event.
    fn trace_now(&self) {
        if let Some(mut events) = self.events.take() {
            events.set_now(self.iteration.get(), self.clock.now());
            self.put_back(events);
        }
    }

    /// Puts the trace taken out to record an event back. What it replaces is the `None` left by
    /// taking it, which needs no drop (`Cell::set` would drop it, a call at opt-level "z").
    #[inline(always)]
    fn put_back(&self, events: Box<Events>) {
        std::mem::forget(self.events.replace(Some(events)));
    }

    pub(crate) fn current_task(&self) -> Option<TaskPtr> {
        let current = self.current.take();
        let task = current.clone();
        self.put_back_current(current);
        task
    }

    pub(crate) fn current_task_id(&self) -> Option<TaskId> {
        let current = self.current.take();
        let id = current.as_ref().map(|t| t.header().id);
        self.put_back_current(current);
        id
    }

    /// Puts the running task taken out of `current` back. What it replaces is the `None` left
    /// by taking it, which needs no drop.
    #[inline(always)]
    fn put_back_current(&self, current: Option<TaskPtr>) {
        std::mem::forget(self.current.replace(current));
    }

    /// A step of `task` begins; returns what was running before (a task creating an eager task).
    pub(crate) fn enter_task(&self, task: &TaskPtr) -> (Option<TaskPtr>, Waker) {
        let id = task.header().id;
        let previous = self.current.replace(Some(task.clone()));
        // An eager task's first step runs inside another task's step: that one, neither
        // running nor on the ready queue now, enters the table of live tasks if it was not in.
        if let Some(outer) = &previous {
            if !outer.header().in_table() {
                self.keep_task(outer);
            }
        }
        let waking = self.waking.replace(Waker::Task(id));
        self.record_here(Some(id), || EventKind::StepBegin);
        (previous, waking)
    }

    /// The step of `task` ends, the task awaiting what `awaiting` says (asked only when tracing;
    /// a task that returned awaits nothing).
    #[inline(always)]
    pub(crate) fn record_step_end(&self, task: TaskId, awaiting: impl FnOnce() -> Option<Awaiting>) {
        self.record(Some(task), || EventKind::StepEnd { awaiting: awaiting() });
    }

    /// After the step's end ([`LoopCore::record_step_end`]): what was running before runs on.
    pub(crate) fn leave_task(&self, previous: (Option<TaskPtr>, Waker)) {
        drop(self.current.replace(previous.0));
        self.waking.set(previous.1);
    }

    /// Wakes a task: puts its step on the ready queue (`call_soon(task.__step)`) unless one is
    /// there already or the task is over (see [`super::task_state::TaskState::wake`]).
    pub(crate) fn schedule_step(&self, task: TaskPtr) {
        if task.header().wake() {
            self.enqueue_step(task);
        }
    }

    /// Puts a task's step on the ready queue. The caller has moved the task to a state that
    /// says so (a new task, or a transition that returned true).
    pub(crate) fn enqueue_step(&self, task: TaskPtr) {
        let by = self.waking.get();
        self.record(Some(task.header().id), || EventKind::Scheduled { by });
        self.ready.borrow_mut().push_back(Handle::Step(task));
    }

    /// `call_soon(callback)` for a done callback, which needs no handle.
    pub(crate) fn call_soon_done(&self, callback: Box<dyn FnOnce()>) {
        self.ready.borrow_mut().push_back(Handle::Done(callback));
    }

    /// `call_soon` of a gather's done callback on its child at `index`.
    pub(crate) fn call_soon_child_done(&self, parent: Rc<dyn super::completion::ChildDone>, index: u32) {
        self.ready.borrow_mut().push_back(Handle::ChildDone(parent, index));
    }

    /// `call_soon(callback)`.
    pub(crate) fn call_soon_boxed(&self, callback: Box<dyn FnOnce()>) -> Rc<CallbackEntry> {
        let entry = Rc::new(CallbackEntry {
            timer: None,
            cancelled: Cell::new(false),
            in_heap: Cell::new(false),
            callback: RefCell::new(Some(callback)),
        });
        self.ready.borrow_mut().push_back(Handle::Call(entry.clone()));
        entry
    }

    /// `call_at(when, callback)`.
    pub(crate) fn call_at_boxed(&self, when: f64, callback: Box<dyn FnOnce()>) -> Rc<CallbackEntry> {
        let (when, timer) = self.new_timer(when, None);
        let entry = Rc::new(CallbackEntry {
            timer: Some(timer),
            cancelled: Cell::new(false),
            in_heap: Cell::new(true),
            callback: RefCell::new(Some(callback)),
        });
        self.push_timer(when, TimerSlot::Callback(entry.clone()));
        entry
    }

    /// The timer of `asyncio.sleep` and its future, which `waiter` awaits: at `when` the timer
    /// sets the future's result (see [`SleepTimer`]).
    pub(crate) fn sleep_timer(
        &self,
        when: f64,
        at: &'static std::panic::Location<'static>,
        waiter: SleepWaiter,
    ) -> SleepKey {
        let (when, timer) = self.new_timer(when, Some(at));
        let slot = self.push_timer(
            when,
            TimerSlot::Sleep(SleepTimer {
                timer,
                cancelled: false,
                in_heap: true,
                queued: false,
                held: true,
                outcome: SleepOutcome::Pending,
                waiter,
            }),
        );
        SleepKey {
            slot,
            timer: timer as u32,
        }
    }

    /// A new timer's deadline (perturbed, when seeded) and number, traced as set.
    fn new_timer(&self, when: f64, at: Option<&'static std::panic::Location<'static>>) -> (f64, u64) {
        let when = match self.jitter.borrow_mut().as_mut() {
            Some(rng) => {
                let now = self.time();
                if when > now {
                    now + (when - now) * (0.9 + 0.2 * rng.f64())
                } else {
                    when
                }
            }
            None => when,
        };
        let timer = self.next_timer_id.get();
        self.next_timer_id.set(timer + 1);
        self.record(self.current_task_id(), || EventKind::TimerSet {
            timer,
            deadline: when,
            at: self.source_hint.get().or_else(|| at.map(|a| self.source_id(a))),
        });
        (when, timer)
    }

    /// `heapq.heappush(self._scheduled, timer)`: the timer takes a place in the table.
    fn push_timer(&self, when: f64, timer: TimerSlot) -> u32 {
        // (More than 4 billion timers at once would not fit in memory.)
        let slot = self.timer_slots.borrow_mut().insert(timer) as u32;
        self.timers.borrow_mut().push(HeapTimer { when, slot });
        slot
    }

    /// A cancelled timer leaves the heap: a `call_at` timer leaves the table too, and so does a
    /// sleep's that nothing else refers to. (What goes holds no callback and no waiter any more:
    /// cancelling took them, so dropping it here runs no code of the program.)
    fn leave_heap(slots: &mut Slab<TimerSlot>, slot: u32) {
        if let Some(TimerSlot::Sleep(sleep)) = slots.get_mut(slot as usize) {
            sleep.in_heap = false;
            Self::release(slots, slot);
        } else if let Some(TimerSlot::Callback(entry)) = slots.try_remove(slot as usize) {
            entry.in_heap.set(false);
        }
    }

    /// A sleep's place is freed once neither the heap, the ready queue nor the sleep refers to
    /// it. Its waiter is gone by then (woken or forgotten).
    fn release(slots: &mut Slab<TimerSlot>, slot: u32) {
        if matches!(slots.get(slot as usize), Some(TimerSlot::Sleep(sleep)) if sleep.unreferenced()) {
            slots.remove(slot as usize);
        }
    }

    /// The sleep timer of `key`, if it is still in the table.
    fn sleep_slot(slots: &mut Slab<TimerSlot>, key: SleepKey) -> Option<&mut SleepTimer> {
        match slots.get_mut(key.slot as usize) {
            Some(TimerSlot::Sleep(sleep)) if sleep.timer as u32 == key.timer => Some(sleep),
            _ => None,
        }
    }

    /// `await` on the future of the sleep `key`, from the sleep, with the cancellation thrown
    /// into the awaiting step if there is one: while the future is pending (and nothing was
    /// thrown) `waiter` waits on; otherwise the sleep is over ([`LoopCore::end_sleep`]), with
    /// the thrown cancellation, or the future's own (whose message wins), or its result.
    pub(crate) fn poll_sleep(
        &self,
        key: SleepKey,
        thrown: Option<Error>,
        waiter: SleepWaiter,
    ) -> Poll<Result<(), Error>> {
        let mut slots = self.timer_slots.borrow_mut();
        let outcome = Self::sleep_slot(&mut slots, key).map(|sleep| {
            if thrown.is_none() && matches!(sleep.outcome, SleepOutcome::Pending) {
                return Err(std::mem::replace(&mut sleep.waiter, waiter));
            }
            Ok(sleep.outcome.clone())
        });
        drop(slots);
        let result = match (outcome, thrown) {
            (Some(Err(old)), _) => {
                drop(old);
                return Poll::Pending;
            }
            (Some(Ok(SleepOutcome::Cancelled(message))), _) => Err(Error::Cancelled(message)),
            (_, Some(thrown)) => Err(thrown),
            (_, None) => Ok(()),
        };
        self.end_sleep(key);
        Poll::Ready(result)
    }

    /// Finishes a pending sleep's future with `outcome` and wakes its waiter (`call_soon` of its
    /// done callback); false if it was done already (`_set_result_unless_cancelled`, and
    /// `fut.cancel()` on a done future, do nothing). A foreign waker is handed back, to be woken
    /// once the timer table is no longer borrowed.
    fn finish_sleep(
        &self,
        sleep: Option<&mut SleepTimer>,
        outcome: SleepOutcome,
    ) -> Result<Option<std::task::Waker>, ()> {
        let waiter = match sleep {
            Some(sleep) if matches!(sleep.outcome, SleepOutcome::Pending) => {
                sleep.outcome = outcome;
                std::mem::replace(&mut sleep.waiter, SleepWaiter::None)
            }
            _ => return Err(()),
        };
        match waiter {
            SleepWaiter::None => Ok(None),
            SleepWaiter::Task(task) => {
                self.schedule_step(task);
                Ok(None)
            }
            SleepWaiter::Waker(waker) => Ok(Some(waker)),
        }
    }

    /// `fut.cancel(msg)` on the future of the sleep `key` (the sleeping task was cancelled):
    /// false if it is already done.
    pub(crate) fn cancel_sleep_future(&self, key: SleepKey, message: Option<Rc<str>>) -> bool {
        let mut slots = self.timer_slots.borrow_mut();
        let finished = self.finish_sleep(Self::sleep_slot(&mut slots, key), SleepOutcome::Cancelled(message));
        drop(slots);
        finished.map(|waker| waker.map(std::task::Waker::wake)).is_ok()
    }

    /// The sleep `key` is over (it returned, raised, or was dropped): its waiter is forgotten,
    /// its timer cancelled (`finally: h.cancel()`), and it lets go of its place.
    pub(crate) fn end_sleep(&self, key: SleepKey) {
        let mut slots = self.timer_slots.borrow_mut();
        let Some(sleep) = Self::sleep_slot(&mut slots, key) else {
            return;
        };
        let waiter = std::mem::replace(&mut sleep.waiter, SleepWaiter::None);
        if !sleep.cancelled && sleep.in_heap {
            self.count_cancelled_timer(Some(sleep.timer));
        }
        sleep.cancelled = true;
        sleep.held = false;
        Self::release(&mut slots, key.slot);
        drop(slots);
        drop(waiter);
    }

    /// `Handle.cancel()` / `TimerHandle.cancel()`.
    pub(crate) fn cancel_callback(&self, entry: &CallbackEntry) {
        if entry.cancelled.replace(true) {
            return;
        }
        let callback = entry.callback.borrow_mut().take();
        drop(callback);
        if entry.in_heap.get() {
            self.count_cancelled_timer(entry.timer);
        }
    }

    /// `TimerHandle.cancel()` on a timer still in the heap: asyncio counts it (toward the heap's
    /// clean-up of cancelled timers), and the trace shows it. A cancelled timer that already
    /// left the heap is neither counted nor shown.
    fn count_cancelled_timer(&self, timer: Option<u64>) {
        self.timer_cancelled_count.set(self.timer_cancelled_count.get() + 1);
        if let Some(timer) = timer {
            self.record(self.current_task_id(), || EventKind::TimerCancelled { timer });
        }
    }

    /// `create_task(future, name=name)`.
    pub(crate) fn spawn<T, F>(self: &Rc<Self>, future: F, name: Option<Rc<str>>) -> Task<T>
    where
        T: 'static,
        F: std::future::Future<Output = Result<T, Error>> + 'static,
    {
        // Only making the task's cell is generic: this function is copied for every kind of
        // future spawned (fifty in the page), so the rest is in functions of their own.
        let header = match self.new_task_header(name) {
            Ok(header) => header,
            Err(name) => return Task::from_cell(failed_task(name, Error::runtime("Event loop is closed"))),
        };
        let cell = new_task(header, future);
        self.start_task(cell.clone());
        Task::from_cell(cell)
    }

    /// The header of a task about to be spawned, or (the loop being closed) its name.
    #[inline(never)]
    fn new_task_header(self: &Rc<Self>, name: Option<Rc<str>>) -> Result<TaskHeader, Rc<str>> {
        // CPython 3.11 and 3.12: `asyncio.create_task(coro, name=...)` creates an unnamed task and
        // then renames it, so a named task still uses up a `Task-N` number. (3.13 passes the name
        // through and numbers only unnamed tasks.) We copy 3.11.
        let number = self.task_numbers.get().wrapping_add(1);
        self.task_numbers.set(number);
        if self.phase.get() == Phase::Closed {
            return Err(name.unwrap_or_else(|| format!("Task-{number}").into()));
        }
        let id = self.next_task_id.get();
        self.next_task_id.set(id + 1);
        Ok(TaskHeader::new(id, number, name, Rc::downgrade(self)))
    }

    /// A task just made joins the trace, and takes its first step (eager tasks) or its place in
    /// the ready queue. (It joins the table of live tasks only if that step does not finish it:
    /// see [`LoopCore::keep_task`].)
    #[inline(never)]
    fn start_task(&self, cell: TaskPtr) {
        let id = cell.header().id;
        self.record(Some(id), || EventKind::Spawned {
            name: cell.header().task_name(),
            parent: self.current_task_id(),
        });
        if self.eager_tasks.get() {
            // CPython 3.12's `Task.__eager_start`: the first step runs now, as the current task.
            cell.step();
        } else {
            self.enqueue_step(cell);
        }
    }

    /// `loop.set_task_factory(asyncio.eager_task_factory)` (on) or `set_task_factory(None)`.
    pub(crate) fn set_eager_tasks(&self, on: bool) {
        self.eager_tasks.set(on);
    }

    /// The table of live tasks (`all_tasks`) holds every task that is not done, but a task
    /// enters it only once its first step has ended unfinished, or when something asks for the
    /// table ([`LoopCore::all_tasks`], a wake-up by a waker lent to a first step, the loop
    /// closing): until then the task is on the ready queue or running, and found there. A task
    /// done in its first step (spawn-join's) never takes a place in the table.
    pub(crate) fn keep_task(&self, task: &TaskPtr) {
        let slot = self.live.borrow_mut().insert(task.clone());
        task.header().set_slot(slot);
    }

    /// Every live task not yet in the table (the running one, those whose first step is on the
    /// ready queue) enters it.
    fn keep_unstarted(&self) {
        let keep = |task: &TaskPtr| {
            let h = task.header();
            if !h.in_table() && !h.read(TaskState::is_over) {
                self.keep_task(task);
            }
        };
        let current = self.current_task();
        if let Some(task) = &current {
            keep(task);
        }
        for handle in self.ready.borrow().iter() {
            if let Handle::Step(task) = handle {
                keep(task);
            }
        }
    }

    /// A task is done: it leaves `all_tasks`.
    pub(crate) fn forget_task(&self, header: &TaskHeader) {
        if !header.in_table() {
            return;
        }
        let mut live = self.live.borrow_mut();
        let slot = header.slot();
        if live.get(slot).is_some_and(|t| t.header().id == header.id) {
            live.remove(slot);
        }
    }

    /// The live task `id` at `slot` in the table; for a task that had no slot yet (a waker lent
    /// to its first step), found by a search.
    pub(crate) fn live_task(&self, slot: usize, id: TaskId) -> Option<TaskPtr> {
        let found = self.live.borrow().get(slot).filter(|t| t.header().id == id).cloned();
        if found.is_some() || slot != NOT_IN_TABLE {
            return found;
        }
        self.keep_unstarted();
        let live = self.live.borrow();
        live.iter().find(|(_, t)| t.header().id == id).map(|(_, t)| t.clone())
    }

    /// All tasks not yet done, in the order they were created.
    pub(crate) fn all_tasks(&self) -> Vec<TaskPtr> {
        self.keep_unstarted();
        let mut tasks: Vec<_> = self.live.borrow().iter().map(|(_, t)| t.clone()).collect();
        crate::sort::sort_by_key(&mut tasks, |t| t.header().id);
        tasks
    }

    /// A waker was woken on this thread, outside any looplab await.
    pub(crate) fn wake_from_outside(&self, slot: usize, id: TaskId) {
        let Some(task) = self.live_task(slot, id) else {
            return;
        };
        let inside = current_loop().is_some_and(|lp| lp.id == self.id);
        if inside {
            self.schedule_step(task);
        } else {
            let waking = self.waking.replace(Waker::External);
            self.schedule_step(task);
            self.waking.set(waking);
            let hook = self.on_outside_wake.borrow().clone();
            if let Some(hook) = hook {
                hook();
            }
        }
    }

    /// A line of the program's output: `"{time:.3f} {task} {message}"`, the task being the current
    /// task's name, or `-` in a callback outside any task.
    pub(crate) fn log(&self, message: &str, at: Option<&'static std::panic::Location<'static>>) {
        let task = self.push_line(message);
        self.record(task, || EventKind::Log {
            text: message.to_string(),
            at: at.map(|a| self.source_id(a)),
        });
    }

    /// A warning asyncio would report, written to the transcript as a line like [`LoopCore::log`]'s
    /// (or handed to the host's hook, see [`Loop::set_warning_hook`]).
    pub(crate) fn warn(&self, message: &str) {
        if self.quiet.get() {
            return;
        }
        let hook = self.warning_hook.borrow().clone();
        let task = match hook {
            Some(hook) => {
                hook(message);
                self.current_task_id()
            }
            None => self.push_line(message),
        };
        self.record(task, || EventKind::Warning {
            text: message.to_string(),
        });
    }

    fn push_line(&self, message: &str) -> Option<TaskId> {
        let task = self.current_task();
        let name = task.as_ref().map(|t| t.header().name());
        let line = format!("{:.3} {} {}", self.time(), name.as_deref().unwrap_or("-"), message);
        #[cfg(not(target_arch = "wasm32"))]
        if self.options.print {
            println!("{line}");
        }
        self.transcript.borrow_mut().push(line);
        task.map(|t| t.header().id)
    }

    pub(crate) fn set_exception_handler(&self, handler: ExceptionHandler) {
        *self.exception_handler.borrow_mut() = Some(handler);
    }

    /// `loop.call_exception_handler(context)`: the handler set with
    /// [`Loop::set_exception_handler`], or the default, which writes the context's line.
    pub(crate) fn call_exception_handler(&self, context: ExceptionContext) {
        if self.quiet.get() {
            return;
        }
        let handler = self.exception_handler.borrow().clone();
        match handler {
            Some(handler) => handler(&context),
            None => self.warn(&context.line()),
        }
    }

    pub(crate) fn clock_is_virtual(&self) -> bool {
        self.clock.is_virtual()
    }

    /// Simulated CPU work: the clock moves on while the current step holds the loop.
    pub(crate) fn spend(&self, seconds: f64) {
        let clock = &self.clock;
        if clock.is_virtual() {
            clock.spend(seconds);
            self.trace_now();
        }
    }

    /// One iteration (asyncio's `_run_once`; see the module documentation), asking `pause`
    /// every [`PAUSE_CHECK_EVERY`] handles whether to stop part-way; a paused iteration gives [`Turn::Ran`] and the next call runs the rest of
    /// it before anything else (no new iteration, no timers, no outside wake-ups in between).
    fn run_once_pausable(&self, pause: &mut dyn FnMut() -> bool) -> Turn {
        if self.unfinished.get() == 0 {
            if let Some(turn) = self.begin_iteration() {
                return turn;
            }
        }
        // A panic is a bug in a task or callback, not an exception of the program: the run
        // stops with an error saying where (a panic that reached the host would take the page's
        // whole module with it).
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut since_asked = 0;
            while self.unfinished.get() > 0 {
                self.unfinished.set(self.unfinished.get() - 1);
                let Some(handle) = self.ready.borrow_mut().pop_front() else {
                    self.unfinished.set(0);
                    break;
                };
                self.run_handle(handle);
                since_asked += 1;
                if since_asked == PAUSE_CHECK_EVERY {
                    since_asked = 0;
                    if self.unfinished.get() > 0 && pause() {
                        return true;
                    }
                }
            }
            false
        }));
        match ran {
            Ok(true) => return Turn::Ran,
            Ok(false) => {}
            Err(payload) => {
                self.unfinished.set(0);
                self.stop_after_panic(&panic_text(payload.as_ref()));
                return Turn::Finished;
            }
        }

        if self.stopping.replace(false) {
            if self.shutdown_on_stop.get() {
                self.begin_shutdown();
            } else {
                self.phase.set(Phase::Closed);
            }
        }
        if self.phase.get() == Phase::ShuttingDown {
            self.end_of_shutdown_iteration();
        }
        if self.phase.get() == Phase::Closed {
            Turn::Finished
        } else {
            Turn::Ran
        }
    }

    /// The start of an iteration: the clock, the timers that are due, and how many handles the
    /// iteration runs (`ntodo`, kept in `unfinished`). `Some` when no iteration begins.
    fn begin_iteration(&self) -> Option<Turn> {
        match self.phase.get() {
            Phase::Closed => return Some(Turn::Finished),
            Phase::Idle => return Some(Turn::Stalled(Stall::Deadlock)),
            Phase::Running | Phase::ShuttingDown => {}
        }
        if self.iteration.get() >= self.options.max_iterations {
            return Some(Turn::Stalled(Stall::IterationLimit));
        }
        self.take_inbox();
        self.drop_cancelled_timers();

        let mut jump_to = None;
        if self.ready.borrow().is_empty() && !self.in_shutdown_turns() {
            let head = self.timers.borrow().peek().map(|t| t.when);
            match head {
                None => return Some(Turn::Stalled(Stall::Deadlock)),
                Some(when) if when >= self.time() + CLOCK_RESOLUTION => {
                    if !self.clock.is_virtual() {
                        return Some(Turn::Wait(when));
                    }
                    jump_to = Some(when);
                }
                Some(_) => {}
            }
        }
        self.iteration.set(self.iteration.get() + 1);
        let from = jump_to.map(|when| self.clock.jump_to(when));
        self.trace_now();
        if let Some(from) = from {
            self.record(None, || EventKind::ClockAdvanced { from });
        }

        let end_time = self.time() + CLOCK_RESOLUTION;
        loop {
            let mut timers = self.timers.borrow_mut();
            match timers.peek() {
                Some(head) if head.when < end_time => {}
                _ => break,
            }
            let Some(timer) = timers.pop() else { break };
            drop(timers);
            let handle = {
                let mut slots = self.timer_slots.borrow_mut();
                if let Some(TimerSlot::Sleep(sleep)) = slots.get_mut(timer.slot as usize) {
                    sleep.in_heap = false;
                    sleep.queued = true;
                    Handle::Sleep(timer.slot)
                } else if let Some(TimerSlot::Callback(entry)) = slots.try_remove(timer.slot as usize) {
                    entry.in_heap.set(false);
                    Handle::Call(entry)
                } else {
                    continue;
                }
            };
            self.ready.borrow_mut().push_back(handle);
        }

        let ntodo = self.ready.borrow().len();
        self.unfinished.set(ntodo);
        None
    }

    fn run_handle(&self, handle: Handle) {
        if !self.options.debug {
            return self.run_handle_now(handle);
        }
        let started = self.time();
        let name = match &handle {
            Handle::Step(task) => Some(task.header().name()),
            Handle::Call(_) | Handle::Done(_) | Handle::ChildDone(..) | Handle::Sleep(_) => None,
        };
        self.run_handle_now(handle);
        let took = self.time() - started;
        if took >= self.options.slow_callback_duration {
            let what = name.map_or("<Handle>".to_string(), |n| format!("<Task {n}>"));
            self.warn(&format!("Executing {what} took {took:.3} seconds"));
        }
    }

    fn run_handle_now(&self, handle: Handle) {
        match handle {
            Handle::Step(task) => task.step(),
            Handle::Call(entry) => {
                if entry.cancelled.get() {
                    return;
                }
                let Some(callback) = entry.callback.borrow_mut().take() else {
                    return;
                };
                let waking = match entry.timer {
                    Some(timer) => {
                        self.record(None, || EventKind::TimerFired { timer });
                        Waker::Timer(timer)
                    }
                    None => Waker::Loop,
                };
                self.waking.set(waking);
                callback();
                self.waking.set(Waker::Loop);
            }
            Handle::Sleep(slot) => self.fire_sleep(slot),
            Handle::Done(callback) => {
                self.waking.set(Waker::Loop);
                callback();
            }
            Handle::ChildDone(parent, index) => {
                self.waking.set(Waker::Loop);
                parent.child_done(index);
            }
        }
    }

    /// A sleep's timer runs: `futures._set_result_unless_cancelled(future, result)`.
    fn fire_sleep(&self, slot: u32) {
        let mut slots = self.timer_slots.borrow_mut();
        let Some(TimerSlot::Sleep(sleep)) = slots.get_mut(slot as usize) else {
            return;
        };
        sleep.queued = false;
        if sleep.cancelled {
            Self::release(&mut slots, slot);
            return;
        }
        let timer = sleep.timer;
        self.record(None, || EventKind::TimerFired { timer });
        self.waking.set(Waker::Timer(timer));
        let finished = self.finish_sleep(Some(sleep), SleepOutcome::Done);
        Self::release(&mut slots, slot);
        drop(slots);
        if let Ok(Some(waker)) = finished {
            waker.wake();
        }
        self.waking.set(Waker::Loop);
    }

    fn take_inbox(&self) {
        let woken: Vec<(usize, TaskId)> = match self.inbox.lock() {
            Ok(mut inbox) if !inbox.is_empty() => std::mem::take(&mut *inbox),
            _ => return,
        };
        self.waking.set(Waker::External);
        for (slot, id) in woken {
            if let Some(task) = self.live_task(slot, id) {
                self.schedule_step(task);
            }
        }
        self.waking.set(Waker::Loop);
    }

    fn drop_cancelled_timers(&self) {
        let mut timers = self.timers.borrow_mut();
        let mut slots = self.timer_slots.borrow_mut();
        let cancelled =
            |slots: &Slab<TimerSlot>, t: &HeapTimer| slots.get(t.slot as usize).is_none_or(TimerSlot::cancelled);
        let count = timers.len();
        if count > MIN_SCHEDULED_TIMER_HANDLES
            && self.timer_cancelled_count.get() as f64 / count as f64 > MIN_CANCELLED_TIMER_HANDLES_FRACTION
        {
            timers.retain_and_heapify(|t| {
                let keep = !cancelled(&slots, t);
                if !keep {
                    Self::leave_heap(&mut slots, t.slot);
                }
                keep
            });
            self.timer_cancelled_count.set(0);
        } else {
            while timers.peek().is_some_and(|t| cancelled(&slots, t)) {
                self.timer_cancelled_count
                    .set(self.timer_cancelled_count.get().saturating_sub(1));
                if let Some(t) = timers.pop() {
                    Self::leave_heap(&mut slots, t.slot);
                }
            }
        }
    }

    /// Drops every timer (and the sleeps' futures in the table): the loop is closing.
    fn drop_timers(&self) {
        let timers = std::mem::replace(&mut *self.timers.borrow_mut(), TimerHeap::new());
        let slots = std::mem::take(&mut *self.timer_slots.borrow_mut());
        drop(timers);
        drop(slots);
    }

    /// Drops every pending task (in creation order), its future first, so that the cycles
    /// between a task and what it awaits are broken and the task is reported as destroyed.
    fn discard_live_tasks(&self) {
        let tasks = self.all_tasks();
        self.live.borrow_mut().clear();
        for task in &tasks {
            task.as_ref().discard_future();
        }
        drop(tasks);
    }

    /// A task or callback panicked: the run is over. The task that was running (if any) is
    /// named in the error, which the next [`Loop::run_once`] returns; every pending task,
    /// callback and timer is dropped, without the reports a closing loop would make.
    fn stop_after_panic(&self, text: &str) {
        // (Every live task is discarded below, those not yet in the table too.)
        self.keep_unstarted();
        let culprit = self.current.take();
        self.waking.set(Waker::Loop);
        let what = match &culprit {
            Some(task) => format!("task {}", task.header().name()),
            None => "a callback".to_string(),
        };
        let message = format!("{what} panicked: {text}");
        self.warn(&format!("looplab: {message}; the run was stopped"));
        *self.failure.borrow_mut() = Some(Error::runtime(message));
        self.phase.set(Phase::Closed);
        self.quiet.set(true);
        drop(culprit);
        // Dropping what is left runs its `Drop` code, which may panic in turn: that panic says
        // nothing new.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let ready = std::mem::take(&mut *self.ready.borrow_mut());
            drop(ready);
            self.drop_timers();
            self.discard_live_tasks();
            drop(std::mem::take(&mut *self.shutdown_tasks.borrow_mut()));
        }));
    }

    /// asyncio.run's shutdown (`Runner.close`) begins: `_cancel_all_tasks` cancels the tasks
    /// left, then runs the loop until they have finished (when there are any).
    fn begin_shutdown(&self) {
        self.phase.set(Phase::ShuttingDown);
        let tasks = self.all_tasks();
        for task in &tasks {
            task.cancel(None);
        }
        *self.shutdown_tasks.borrow_mut() = tasks;
        self.shutdown_turns.set(None);
    }

    /// The end of an iteration of asyncio.run's shutdown. CPython's `Runner.close` runs the loop
    /// three times with `run_until_complete`, which stops one iteration after what it waits for
    /// is done: `gather(*cancelled_tasks)` (skipped when no task was left; the gather's callback
    /// on its last child runs one iteration after that child finished, the stop one after
    /// that), then the tasks `shutdown_asyncgens()` and `shutdown_default_executor()` (each
    /// done in its first step, the stop in the next iteration). Whatever else is ready runs in
    /// those iterations too (a callback scheduled as main ended, a task made during the
    /// shutdown), and the clock does not move in the last four. Then `loop.close()` drops what
    /// is left.
    ///
    /// A turn with nothing ready does nothing a program can see (CPython's own handles only),
    /// so when nothing is ready the rest of the shutdown happens at once: a run that leaves
    /// nothing behind ends with its last iteration, as before.
    fn end_of_shutdown_iteration(&self) {
        let mut left = match self.shutdown_turns.get() {
            None => {
                let (all_done, none) = {
                    let tasks = self.shutdown_tasks.borrow();
                    (tasks.iter().all(|t| t.is_done()), tasks.is_empty())
                };
                if !all_done {
                    return;
                }
                if none {
                    self.reach_shutdown_turn(SHUTDOWN_TURNS);
                    SHUTDOWN_TURNS
                } else {
                    // The gather's callback, then the stop.
                    self.shutdown_turns.set(Some(SHUTDOWN_TURNS + 2));
                    SHUTDOWN_TURNS + 2
                }
            }
            Some(turns) => {
                let left = turns.saturating_sub(1);
                self.reach_shutdown_turn(left);
                left
            }
        };
        while left > 0 && !self.anything_ready() {
            left -= 1;
            self.reach_shutdown_turn(left);
        }
    }

    /// `left` iterations of the shutdown are still to run.
    fn reach_shutdown_turn(&self, left: u8) {
        self.shutdown_turns.set(Some(left));
        if left == SHUTDOWN_TURNS {
            self.report_shutdown_failures();
        }
        if left == SHUTDOWN_TURNS || left == SHUTDOWN_TURNS / 2 {
            // The shutdown's own tasks take their `Task-N` numbers.
            self.task_numbers.set(self.task_numbers.get().wrapping_add(1));
        }
        if left == 0 {
            self.phase.set(Phase::Closed);
            self.drop_what_is_left();
        }
    }

    /// Whether the next iteration would run a handle: one is ready, or a timer is due.
    fn anything_ready(&self) -> bool {
        !self.ready.borrow().is_empty()
            || self
                .timers
                .borrow()
                .peek()
                .is_some_and(|t| t.when < self.time() + CLOCK_RESOLUTION)
    }

    /// Whether the shutdown is in the iterations after the cancelled tasks finished, in which
    /// CPython's ready queue always holds a handle of its own (the clock does not move).
    fn in_shutdown_turns(&self) -> bool {
        self.phase.get() == Phase::ShuttingDown && self.shutdown_turns.get().is_some()
    }

    /// `loop.close()`'s work: every pending callback and timer is dropped, and a task still
    /// pending is destroyed (and reported as asyncio reports it).
    fn drop_what_is_left(&self) {
        self.keep_unstarted();
        let ready = std::mem::take(&mut *self.ready.borrow_mut());
        drop(ready);
        self.drop_timers();
        self.discard_live_tasks();
    }

    /// The end of `_cancel_all_tasks`: a task the shutdown cancelled that failed rather than
    /// ending cancelled (it caught the cancellation and raised) is reported as "unhandled
    /// exception during asyncio.run() shutdown", and its failure counts as retrieved.
    fn report_shutdown_failures(&self) {
        let tasks = std::mem::take(&mut *self.shutdown_tasks.borrow_mut());
        for task in tasks {
            if task.is_cancelled() {
                continue;
            }
            if let Some(error) = task.exception() {
                self.call_exception_handler(ExceptionContext {
                    message: "unhandled exception during asyncio.run() shutdown".to_string(),
                    task: Some(task.header().name()),
                    task_id: Some(task.header().id),
                    exception: Some(error),
                });
            }
        }
    }
}

/// An event loop. Single-threaded: it cannot be sent to or shared with another thread.
///
/// ```compile_fail
/// fn assert_send<T: Send>() {}
/// assert_send::<looplab::Loop>();
/// ```
pub struct Loop {
    core: Rc<LoopCore>,
}

/// How a finished run went: the transcript always, the trace when it was recorded.
#[derive(Debug)]
pub struct RunReport<T> {
    /// The main task's outcome.
    pub result: Result<T, Error>,
    /// The transcript lines, in order.
    pub transcript: Vec<String>,
    /// The trace, if the loop recorded one.
    pub trace: Option<Trace>,
}

impl Loop {
    /// A new loop.
    pub fn new(options: LoopOptions) -> Self {
        let id = NEXT_LOOP_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let core = Rc::new(LoopCore {
            id,
            clock: Clock::new(options.clock.clone()),
            events: Cell::new(options.trace.then(|| Box::new(Events::new()))),
            tracing: Cell::new(options.trace),
            eager_tasks: Cell::new(options.eager_tasks),
            jitter: RefCell::new(options.seed.map(fastrand::Rng::with_seed)),
            options,
            phase: Cell::new(Phase::Idle),
            stopping: Cell::new(false),
            shutdown_on_stop: Cell::new(true),
            ready: RefCell::new(VecDeque::new()),
            timers: RefCell::new(TimerHeap::new()),
            timer_slots: RefCell::new(Slab::new()),
            timer_cancelled_count: Cell::new(0),
            iteration: Cell::new(0),
            unfinished: Cell::new(0),
            live: RefCell::new(Slab::new()),
            current: Cell::new(None),
            waking: Cell::new(Waker::Loop),
            task_numbers: Cell::new(0),
            next_task_id: Cell::new(0),
            next_timer_id: Cell::new(0),
            inbox: Default::default(),
            on_outside_wake: RefCell::new(None),
            warning_hook: RefCell::new(None),
            transcript: RefCell::new(Vec::new()),
            exception_handler: RefCell::new(None),
            shutdown_tasks: RefCell::new(Vec::new()),
            shutdown_turns: Cell::new(None),
            failure: RefCell::new(None),
            quiet: Cell::new(false),
            spare_waker: Cell::new(None),
            wakers: RefCell::new(Vec::new()),
            sources: RefCell::new(Vec::new()),
            source_ids: RefCell::new(std::collections::HashMap::new()),
            text_source_ids: RefCell::new(std::collections::HashMap::new()),
            source_hint: Cell::new(None),
        });
        register_loop(id, &core);
        Loop { core }
    }

    /// Starts a run of `main` as the main task (`Task-1`), without running anything yet: drive it
    /// with [`Loop::run_once`]. Fails if a loop is running on this thread, or this one was
    /// already started.
    pub fn start<T, F>(&self, main: F) -> Result<Task<T>, Error>
    where
        T: 'static,
        F: std::future::Future<Output = Result<T, Error>> + 'static,
    {
        if current_loop().is_some() {
            return Err(Error::runtime(
                "asyncio.run() cannot be called from a running event loop",
            ));
        }
        match self.core.phase.get() {
            Phase::Idle => {}
            Phase::Closed => return Err(Error::runtime("Event loop is closed")),
            Phase::Running | Phase::ShuttingDown => return Err(Error::runtime("This event loop is already running")),
        }
        self.core.phase.set(Phase::Running);
        // The main task is created before the program can set a task factory: never eager.
        let eager = self.core.eager_tasks.replace(false);
        let task = self.core.spawn(main, None);
        self.core.eager_tasks.set(eager);
        let core = Rc::downgrade(&self.core);
        // asyncio's `_run_until_complete_cb`: the first done callback of the main task stops the loop.
        task.add_done_callback(move |_| {
            if let Some(core) = core.upgrade() {
                core.stopping.set(true);
            }
        });
        Ok(task)
    }

    /// [`Loop::start`] for `loop.run_until_complete(main)`: when `main` is done the loop stops
    /// without `asyncio.run`'s shutdown (tasks still pending stay pending, see [`Loop::close`]).
    pub fn start_until_complete<T, F>(&self, main: F) -> Result<Task<T>, Error>
    where
        T: 'static,
        F: std::future::Future<Output = Result<T, Error>> + 'static,
    {
        let task = self.start(main)?;
        self.core.shutdown_on_stop.set(false);
        Ok(task)
    }

    /// Runs one iteration. Fails if called from inside a running loop, and once if a task or
    /// callback panicked in it (the run is then over: [`Turn::Finished`] after that).
    pub fn run_once(&self) -> Result<Turn, Error> {
        self.run_once_pausable(|| false)
    }

    /// [`Loop::run_once`] for a host that must not be held long (the page): every few dozen
    /// handles it asks `pause`, and if that says so it returns [`Turn::Ran`] with the rest of the
    /// iteration still to run; the next call (of either method) runs the rest first. Nothing a
    /// program can observe changes: the iteration's handles run in the same order, and what they
    /// schedule, the timers that come due and the wake-ups from outside all wait for the next
    /// iteration, as they do in one uninterrupted `_run_once`. An iteration of 20,000 task steps
    /// then costs the page several short tasks instead of one long one.
    pub fn run_once_pausable(&self, mut pause: impl FnMut() -> bool) -> Result<Turn, Error> {
        let Some(entered) = CurrentLoop::enter(&self.core) else {
            return Err(Error::runtime(
                "Cannot run the event loop while another loop is running",
            ));
        };
        let turn = self.core.run_once_pausable(&mut pause);
        drop(entered);
        match self.core.failure.borrow_mut().take() {
            Some(failure) => Err(failure),
            None => Ok(turn),
        }
    }

    /// Whether an iteration was paused part-way by [`Loop::run_once_pausable`].
    pub fn in_iteration(&self) -> bool {
        self.core.unfinished.get() > 0
    }

    /// Gives up on a stalled run: says why in the transcript, then cancels every task and runs
    /// the loop until they are done (as far as they can be). Returns the reason as an error.
    pub fn abandon(&self, stall: Stall) -> Error {
        let text = match stall {
            Stall::Deadlock => {
                let waiting: Vec<String> = self
                    .core
                    .all_tasks()
                    .iter()
                    .map(|t| {
                        let what = t.header().fut_waiter_description().unwrap_or_else(|| "nothing".into());
                        format!("{} awaits {}", t.header().name(), what)
                    })
                    .collect();
                format!(
                    "the run cannot finish: every task waits and nothing is scheduled ({})",
                    waiting.join("; ")
                )
            }
            Stall::IterationLimit => format!(
                "the run was stopped after {} loop iterations (the limit)",
                self.core.options.max_iterations
            ),
        };
        self.core.warn(&format!("looplab: {text}"));
        if self.core.phase.get() == Phase::Running {
            let entered = CurrentLoop::replace(&self.core);
            self.core.begin_shutdown();
            drop(entered);
            // Let the cancelled tasks run their cleanup, within a bounded number of iterations.
            for _ in 0..10_000 {
                match self.run_once() {
                    Ok(Turn::Ran) => continue,
                    _ => break,
                }
            }
        }
        self.core.phase.set(Phase::Closed);
        Error::runtime(text)
    }

    /// `asyncio.run(main)`: runs `main` as `Task-1` to completion, then cancels the tasks left
    /// and waits for them. The real clock waits by sleeping the thread. A run that cannot finish
    /// (see [`Stall`]) ends with a `RuntimeError` saying why.
    pub fn run<T, F>(&self, main: F) -> Result<T, Error>
    where
        T: Clone + 'static,
        F: std::future::Future<Output = Result<T, Error>> + 'static,
    {
        let task = self.start(main)?;
        self.run_to_the_end(task)
    }

    /// Runs iterations until the run is over (waiting for the real clock where it must), then
    /// gives the main task's result.
    fn run_to_the_end<T: Clone + 'static>(&self, task: Task<T>) -> Result<T, Error> {
        loop {
            match self.run_once()? {
                Turn::Ran => {}
                Turn::Finished => break,
                Turn::Wait(until) => self.wait_until(until),
                Turn::Stalled(stall) => return Err(self.abandon(stall)),
            }
        }
        task.result()
            .unwrap_or_else(|| Err(Error::runtime("the main task did not finish")))
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn wait_until(&self, until: f64) {
        let wait = until - self.time();
        if wait > 0.0 {
            std::thread::sleep(std::time::Duration::from_secs_f64(wait));
        }
    }

    #[cfg(target_arch = "wasm32")]
    fn wait_until(&self, _until: f64) {
        // A page never blocks: the web driver waits with a timer instead of calling `run`.
    }

    /// `asyncio.run` with a report: the result, the transcript and the trace.
    pub fn run_report<T, F>(self, main: F) -> RunReport<T>
    where
        T: Clone + 'static,
        F: std::future::Future<Output = Result<T, Error>> + 'static,
    {
        let result = self.run(main);
        self.report(result)
    }

    /// The report of a run driven by hand ([`Loop::start`] and [`Loop::run_once`]). Once the
    /// run is over, the trace moves into the report (copying a long trace would cost as much as
    /// recording it): [`Loop::trace`] has nothing to give after that.
    pub fn report<T>(&self, result: Result<T, Error>) -> RunReport<T> {
        let trace = if self.is_closed() {
            let events = self.core.events.take();
            self.core.tracing.set(false);
            events.map(|events| self.trace_of(*events))
        } else {
            self.trace()
        };
        RunReport {
            result,
            transcript: self.transcript(),
            trace,
        }
    }

    /// `loop.time()`.
    pub fn time(&self) -> f64 {
        self.core.time()
    }

    /// The number of iterations run so far.
    pub fn iteration(&self) -> u64 {
        self.core.iteration()
    }

    /// The transcript so far.
    pub fn transcript(&self) -> Vec<String> {
        self.core.transcript.borrow().clone()
    }

    /// The trace so far, if tracing is on (and the trace has not gone to the report of the
    /// finished run).
    pub fn trace(&self) -> Option<Trace> {
        let events = self.core.events.take()?;
        let copy = Events::clone(&events);
        self.core.events.set(Some(events));
        Some(self.trace_of(copy))
    }

    fn trace_of(&self, events: Events) -> Trace {
        let sources = self
            .core
            .sources
            .borrow()
            .iter()
            .map(|source| match source {
                Source::Rust(at) => source_line(at),
                Source::Text(text) => text.to_string(),
            })
            .collect();
        Trace::new(events, self.time(), self.iteration(), sources)
    }

    /// Whether the loop has finished its run.
    pub fn is_closed(&self) -> bool {
        self.core.phase.get() == Phase::Closed
    }

    /// `loop.set_exception_handler(handler)`: receives what the loop would otherwise report
    /// (unretrieved task exceptions, tasks destroyed while pending, failing callbacks).
    pub fn set_exception_handler(&self, handler: impl Fn(&ExceptionContext) + 'static) {
        self.core.set_exception_handler(Rc::new(handler));
    }

    /// `loop.run_until_complete(main)`: runs until `main` is done, without `asyncio.run`'s
    /// shutdown: tasks still pending stay pending (see [`Loop::close`]).
    pub fn run_until_complete<T, F>(&self, main: F) -> Result<T, Error>
    where
        T: Clone + 'static,
        F: std::future::Future<Output = Result<T, Error>> + 'static,
    {
        let task = self.start(main)?;
        self.core.shutdown_on_stop.set(false);
        self.run_to_the_end(task)
    }

    /// `loop.close()`: drops every pending callback and timer; a task that was still pending
    /// is destroyed, and reported as asyncio reports it. Fails, as asyncio's does, if called
    /// from inside the loop's own run.
    pub fn close(&self) -> Result<(), Error> {
        if current_loop().is_some_and(|lp| Rc::ptr_eq(&lp, &self.core)) {
            return Err(Error::runtime("Cannot close a running event loop"));
        }
        self.core.phase.set(Phase::Closed);
        // What the dropped tasks and callbacks do as they go (warnings, reports) concerns this
        // loop, even if another one is running.
        let entered = CurrentLoop::replace(&self.core);
        self.core.drop_what_is_left();
        drop(entered);
        Ok(())
    }

    /// Sets the function called when a task is woken from outside an iteration (by a foreign
    /// waker), so that a host waiting for a timer can resume the loop at once.
    pub fn set_outside_wake_hook(&self, hook: impl Fn() + 'static) {
        *self.core.on_outside_wake.borrow_mut() = Some(Rc::new(hook));
    }

    /// Sends the loop's own warnings (debug mode's slow steps, a run that cannot finish) to
    /// `hook` instead of the transcript: a host with output of its own (the Python lab) reports
    /// them as its language does. They are still traced.
    pub fn set_warning_hook(&self, hook: impl Fn(&str) + 'static) {
        *self.core.warning_hook.borrow_mut() = Some(Rc::new(hook));
    }

    /// `create_task` from outside the loop's tasks (before or between iterations).
    pub fn spawn<T, F>(&self, future: F) -> Task<T>
    where
        T: 'static,
        F: std::future::Future<Output = Result<T, Error>> + 'static,
    {
        self.core.spawn(future, None)
    }
}

impl Drop for Loop {
    fn drop(&mut self) {
        // Break the cycles between the loop's queues and the tasks they hold.
        self.core.ready.borrow_mut().clear();
        self.core.discard_live_tasks();
        self.core.drop_timers();
    }
}

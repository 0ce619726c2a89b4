//! Runs a loop inside the page, on the browser's own event loop.
//!
//! The loop's iterations run in microtasks (`queueMicrotask`), as many as fit in a millisecond
//! each (an iteration too long for one goes on in the next), so the page's own promise callbacks
//! interleave with the loop. Microtasks run back to back until the queue is empty, so left alone a long run would never let the page paint; the
//! driver therefore ends its slice once 8 ms have passed and continues in a new macrotask (a
//! `MessageChannel` message, which unlike `setTimeout(0)` is not clamped to 4 ms).
//! With the real clock, a loop waiting for its next timer waits with `setTimeout`, never by
//! blocking the thread.
//!
//! The driver notes which browser turn ran each iteration, for the host view.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use futures::channel::oneshot;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::demos::DemoMain;
use crate::runtime::{Error, Loop, RunReport, Task, Turn};

/// The longest a slice of microtasks may run before the driver yields to the browser.
pub const SLICE_MS: f64 = 8.0;
/// How long one microtask runs iterations before queueing the next microtask (so that promise
/// callbacks of the page interleave with the loop at least this often).
pub const MICROTASK_MS: f64 = 1.0;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = queueMicrotask)]
    fn queue_microtask(callback: &js_sys::Function);
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Milliseconds since the page started (`performance.now()`).
pub fn now_ms() -> f64 {
    performance_now()
}

/// What a run in the page calls at the end of each slice.
pub type Progress = Rc<dyn Fn(&Loop, &HostLog)>;

/// Which browser turn ran a loop iteration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HostTurn {
    /// The looplab iteration (1 for the first).
    pub iteration: u64,
    /// The macrotask (slice) it ran in, counting from 1.
    pub macrotask: u32,
    /// The microtask it ran in, counting from 1 over the whole run.
    pub microtask: u32,
}

/// How the run used the browser's event loop.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HostLog {
    /// Macrotasks (slices) used.
    pub macrotasks: u32,
    /// Microtasks used.
    pub microtasks: u32,
    /// The longest slice, in milliseconds.
    pub longest_slice_ms: f64,
    /// One entry per iteration.
    pub turns: Vec<HostTurn>,
}

/// A finished run in the page.
#[derive(Debug)]
pub struct PageRun {
    /// The result, transcript and trace.
    pub report: RunReport<()>,
    /// How it used the browser's turns.
    pub host: HostLog,
}

struct Driver {
    lp: Loop,
    main: Task<()>,
    host: HostLog,
    slice_start: f64,
    waiting: bool,
    done: Option<oneshot::Sender<PageRun>>,
    channel: web_sys::MessageChannel,
    /// The channel's message handler, which holds the driver alive while the run lasts.
    on_message: Option<Closure<dyn FnMut()>>,
    /// Called at the end of each slice (a real-time run's timeline grows live).
    on_progress: Option<Progress>,
    /// Set when the visitor stops the run.
    stop: Option<Stop>,
}

type Shared = Rc<RefCell<Driver>>;

/// Stops a run in the page: the run ends at its next slice (at once if it is waiting for a
/// timer) with the trace recorded so far and the error "stopped".
#[derive(Clone, Default)]
pub struct Stop {
    requested: Rc<Cell<bool>>,
    driver: Rc<RefCell<Weak<RefCell<Driver>>>>,
}

impl Stop {
    /// A handle for one run.
    pub fn new() -> Self {
        Stop::default()
    }

    /// Asks the run to stop.
    pub fn stop(&self) {
        self.requested.set(true);
        let driver = self.driver.borrow().upgrade();
        if let Some(driver) = driver {
            let waiting = driver.try_borrow().is_ok_and(|d| d.waiting);
            if waiting {
                begin_slice(&driver);
            }
        }
    }

    /// Whether the visitor asked the run to stop.
    pub fn requested(&self) -> bool {
        self.requested.get()
    }
}

/// Runs `main` on `lp` from the microtask queue; the future resolves when the run is over.
pub async fn drive(lp: Loop, main: DemoMain) -> PageRun {
    drive_with_progress(lp, main, None).await
}

/// [`drive`], calling `on_progress` whenever a slice ends (before the browser gets its turn).
pub async fn drive_with_progress(lp: Loop, main: DemoMain, on_progress: Option<Progress>) -> PageRun {
    drive_stoppable(lp, main, on_progress, None).await
}

/// [`drive_with_progress`], ending early when `stop` is used.
pub async fn drive_stoppable(lp: Loop, main: DemoMain, on_progress: Option<Progress>, stop: Option<Stop>) -> PageRun {
    let (sender, receiver) = oneshot::channel();
    match start(lp, main, sender, on_progress, stop) {
        Ok(()) => {}
        Err(run) => return run,
    }
    receiver.await.unwrap_or_else(|_| PageRun {
        report: RunReport {
            result: Err(Error::runtime("the run was dropped")),
            transcript: Vec::new(),
            trace: None,
        },
        host: HostLog::default(),
    })
}

fn start(
    lp: Loop,
    main: DemoMain,
    sender: oneshot::Sender<PageRun>,
    on_progress: Option<Progress>,
    stop: Option<Stop>,
) -> Result<(), PageRun> {
    let main = match lp.start(main) {
        Ok(task) => task,
        Err(e) => {
            return Err(PageRun {
                report: lp.report(Err(e)),
                host: HostLog::default(),
            })
        }
    };
    let channel = match web_sys::MessageChannel::new() {
        Ok(c) => c,
        Err(_) => {
            return Err(PageRun {
                report: lp.report(Err(Error::runtime("this browser has no MessageChannel"))),
                host: HostLog::default(),
            })
        }
    };
    let driver: Shared = Rc::new(RefCell::new(Driver {
        lp,
        main,
        host: HostLog::default(),
        slice_start: 0.0,
        waiting: false,
        done: Some(sender),
        channel,
        on_message: None,
        on_progress,
        stop: stop.clone(),
    }));
    if let Some(stop) = &stop {
        *stop.driver.borrow_mut() = Rc::downgrade(&driver);
    }
    // The message handler owns the driver while the run lasts (`finish` breaks the cycle):
    // between slices nothing else holds it.
    let owner = driver.clone();
    let on_message = Closure::<dyn FnMut()>::new(move || begin_slice(&owner));
    {
        let d = driver.borrow();
        d.channel
            .port1()
            .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    }
    driver.borrow_mut().on_message = Some(on_message);
    let weak = Rc::downgrade(&driver);
    driver.borrow().lp.set_outside_wake_hook(move || {
        if let Some(driver) = weak.upgrade() {
            if driver.borrow().waiting {
                begin_slice(&driver);
            }
        }
    });
    // The first slice starts in a microtask of the current task: a short run finishes before
    // the browser even renders (the page's first timeline comes sooner).
    begin_slice(&driver);
    Ok(())
}

/// A new macrotask begins: start a slice of microtasks.
fn begin_slice(driver: &Shared) {
    {
        let mut d = driver.borrow_mut();
        if d.done.is_none() {
            return;
        }
        d.waiting = false;
        d.host.macrotasks += 1;
        d.slice_start = now_ms();
    }
    next_microtask(driver.clone());
}

fn next_microtask(driver: Shared) {
    let callback = Closure::once_into_js(move || step(&driver));
    queue_microtask(callback.unchecked_ref());
}

fn yield_to_browser(driver: &Shared) {
    report_progress(driver);
    let d = driver.borrow();
    if d.channel.port2().post_message(&JsValue::NULL).is_err() {
        drop(d);
        let driver = driver.clone();
        let callback = Closure::once_into_js(move || begin_slice(&driver));
        set_timeout(callback.unchecked_ref(), 0);
    }
}

/// One microtask: iterations until a millisecond has passed (or the loop must wait), then decide
/// where the next ones run: another microtask, or, once the slice has had its 8 ms, a macrotask.
fn step(driver: &Shared) {
    let started = now_ms();
    {
        let mut d = driver.borrow_mut();
        if d.done.is_none() {
            return;
        }
        d.host.microtasks += 1;
    }
    if driver.borrow().stop.as_ref().is_some_and(Stop::requested) {
        finish(driver, Some(Error::runtime("stopped")));
        return;
    }
    // Reading the clock costs about as much as a short iteration, so it is read after a batch
    // of iterations: one at first, twice as many while a batch takes under 50 µs (at most 256).
    let (mut batch, mut in_batch, mut batch_start) = (1u32, 0u32, started);
    let turn = loop {
        let turn = {
            let mut d = driver.borrow_mut();
            let turn = HostTurn {
                iteration: d.lp.iteration() + 1,
                macrotask: d.host.macrotasks,
                microtask: d.host.microtasks,
            };
            d.host.turns.push(turn);
            // The loop runs user code, which never touches the driver: holding the borrow is safe.
            // An iteration of thousands of steps pauses part-way when the microtask has had its
            // time, and goes on in the next one.
            let turn = d.lp.run_once_pausable(|| now_ms() - started >= MICROTASK_MS);
            if d.host.turns.last().is_some_and(|t| t.iteration > d.lp.iteration()) {
                // That iteration did not begin (the loop waits, stalled or finished before it, or
                // the call went on with a paused one).
                d.host.turns.pop();
            }
            turn
        };
        if !matches!(turn, Ok(Turn::Ran)) {
            break turn;
        }
        in_batch += 1;
        if in_batch == batch {
            let now = now_ms();
            if now - started >= MICROTASK_MS {
                break turn;
            }
            if now - batch_start < 0.05 {
                batch = (batch * 2).min(256);
            }
            (in_batch, batch_start) = (0, now);
        }
    };
    let elapsed = now_ms() - driver.borrow().slice_start;
    {
        let mut d = driver.borrow_mut();
        d.host.longest_slice_ms = d.host.longest_slice_ms.max(elapsed);
    }
    match turn {
        Ok(Turn::Ran) if elapsed < SLICE_MS => next_microtask(driver.clone()),
        Ok(Turn::Ran) => yield_to_browser(driver),
        Ok(Turn::Wait(until)) => {
            report_progress(driver);
            let ms = {
                let mut d = driver.borrow_mut();
                d.waiting = true;
                ((until - d.lp.time()) * 1000.0).ceil().clamp(0.0, i32::MAX as f64) as i32
            };
            let driver = driver.clone();
            let callback = Closure::once_into_js(move || begin_slice(&driver));
            set_timeout(callback.unchecked_ref(), ms);
        }
        Ok(Turn::Stalled(stall)) => {
            let error = driver.borrow().lp.abandon(stall);
            finish(driver, Some(error));
        }
        Ok(Turn::Finished) => finish(driver, None),
        Err(error) => finish(driver, Some(error)),
    }
}

fn report_progress(driver: &Shared) {
    let d = driver.borrow();
    if let Some(progress) = d.on_progress.clone() {
        progress(&d.lp, &d.host);
    }
}

fn finish(driver: &Shared, error: Option<Error>) {
    let mut d = driver.borrow_mut();
    let result = match error {
        Some(e) => Err(e),
        None => d
            .main
            .result()
            .unwrap_or_else(|| Err(Error::runtime("the main task did not finish"))),
    };
    let report = d.lp.report(result);
    let host = std::mem::take(&mut d.host);
    d.channel.port1().set_onmessage(None);
    let on_message = d.on_message.take();
    let done = d.done.take();
    drop(d);
    // `finish` runs in a microtask, never inside the message handler, so dropping it is safe.
    drop(on_message);
    if let Some(done) = done {
        let _ = done.send(PageRun { report, host });
    }
}

/// Runs a demo in the page: on the microtask driver, or, for a demo that drives its own loops
/// (`loop.run_until_complete`), synchronously (those are short).
pub async fn run_demo(
    demo: &crate::demos::Demo,
    options: crate::runtime::LoopOptions,
    params: crate::demos::Params,
    on_progress: Option<Progress>,
) -> PageRun {
    run_demo_stoppable(demo, options, params, on_progress, None).await
}

/// [`run_demo`], ending early when `stop` is used (a self-driven demo is short and runs whole).
pub async fn run_demo_stoppable(
    demo: &crate::demos::Demo,
    options: crate::runtime::LoopOptions,
    params: crate::demos::Params,
    on_progress: Option<Progress>,
    stop: Option<Stop>,
) -> PageRun {
    let options = demo.options(options);
    if demo.custom.is_some() {
        let started = now_ms();
        let report = demo.run_with(options, params);
        let host = HostLog {
            macrotasks: 1,
            microtasks: 0,
            longest_slice_ms: now_ms() - started,
            turns: Vec::new(),
        };
        return PageRun { report, host };
    }
    drive_stoppable(Loop::new(options), (demo.main)(params), on_progress, stop).await
}

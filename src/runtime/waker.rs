//! Rust wakers for tasks, so that any Rust future (not only looplab's own awaitables) can be
//! awaited inside a task.
//!
//! A waker names a task by its loop and its slot. Woken on the loop's own thread it schedules the
//! task at once, like `call_soon`; woken from elsewhere it leaves a note in the loop's inbox,
//! which the next iteration reads before it moves timers (where asyncio processes I/O events).

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Wake, Waker};

use super::event_loop::LoopCore;
use crate::trace::TaskId;

/// Wake-ups that arrived from outside the loop's thread: (slot, task id).
pub(crate) type Inbox = Arc<Mutex<Vec<(usize, TaskId)>>>;

thread_local! {
    /// The loops alive on this thread, so a waker can find its loop without holding it.
    static LOOPS: RefCell<Vec<(u64, Weak<LoopCore>)>> = const { RefCell::new(Vec::new()) };
}

pub(crate) fn register_loop(id: u64, lp: &Rc<LoopCore>) {
    LOOPS.with(|loops| {
        let mut loops = loops.borrow_mut();
        loops.retain(|(_, weak)| weak.strong_count() > 0);
        loops.push((id, Rc::downgrade(lp)));
    });
}

fn find_loop(id: u64) -> Option<Rc<LoopCore>> {
    LOOPS
        .try_with(|loops| {
            loops
                .borrow()
                .iter()
                .find(|(i, _)| *i == id)
                .and_then(|(_, w)| w.upgrade())
        })
        .ok()
        .flatten()
}

/// The waker of one task. The loop keeps a pool of them and lends one to each step; a waker
/// returned unused (no foreign future kept a clone) is given to the next task, so most tasks
/// never allocate one.
pub(crate) struct TaskWaker {
    loop_id: u64,
    slot: AtomicUsize,
    task: AtomicU32,
    inbox: Inbox,
}

impl TaskWaker {
    pub(crate) fn new(loop_id: u64, inbox: Inbox) -> Self {
        TaskWaker {
            loop_id,
            slot: AtomicUsize::new(usize::MAX),
            task: AtomicU32::new(u32::MAX),
            inbox,
        }
    }

    /// Points this (pooled, unshared) waker at a task.
    pub(crate) fn point_at(&self, slot: usize, task: TaskId) {
        self.slot.store(slot, Ordering::Relaxed);
        self.task.store(task, Ordering::Relaxed);
    }
}

/// A waker as the loop lends it to a step: the task's waker and a `Waker` made from a second
/// reference to it, made once, so that a step lends `&Waker` without a reference count going up
/// and down (an atomic add and subtract a step, natively).
pub(crate) struct LentWaker {
    task_waker: Arc<TaskWaker>,
    waker: Waker,
}

impl LentWaker {
    pub(crate) fn new(task_waker: Arc<TaskWaker>) -> Self {
        LentWaker {
            waker: Waker::from(task_waker.clone()),
            task_waker,
        }
    }

    pub(crate) fn waker(&self) -> &Waker {
        &self.waker
    }

    pub(crate) fn task_waker(&self) -> &TaskWaker {
        &self.task_waker
    }

    /// Whether a future kept a clone of the waker in the step (beyond the two references here).
    pub(crate) fn kept(&self) -> bool {
        Arc::strong_count(&self.task_waker) > 2
    }

    /// The task's waker alone, for a task to keep while a future holds a clone.
    pub(crate) fn into_task_waker(self) -> Arc<TaskWaker> {
        self.task_waker
    }
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let (slot, task) = (self.slot.load(Ordering::Relaxed), self.task.load(Ordering::Relaxed));
        match find_loop(self.loop_id) {
            Some(lp) => lp.wake_from_outside(slot, task),
            None => {
                if let Ok(mut inbox) = self.inbox.lock() {
                    inbox.push((slot, task));
                }
            }
        }
    }
}

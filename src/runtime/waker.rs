//! Rust wakers for tasks, so that any Rust future (not only looplab's own awaitables) can be
//! awaited inside a task.
//!
//! A waker names a task by its loop and its slot. Woken on the loop's own thread it schedules the
//! task at once, like `call_soon`; woken from elsewhere it leaves a note in the loop's inbox,
//! which the next iteration reads before it moves timers (where asyncio processes I/O events).

use std::cell::RefCell;
use std::rc::{Rc, Weak};
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

struct TaskWaker {
    loop_id: u64,
    slot: usize,
    task: TaskId,
    inbox: Inbox,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        match find_loop(self.loop_id) {
            Some(lp) => lp.wake_from_outside(self.slot, self.task),
            None => {
                if let Ok(mut inbox) = self.inbox.lock() {
                    inbox.push((self.slot, self.task));
                }
            }
        }
    }
}

pub(crate) fn task_waker(loop_id: u64, slot: usize, task: TaskId, inbox: Inbox) -> Waker {
    Waker::from(Arc::new(TaskWaker {
        loop_id,
        slot,
        task,
        inbox,
    }))
}

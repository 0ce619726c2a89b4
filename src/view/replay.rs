//! One replay of a trace, shared by everything the page shows: the timeline's model, the
//! panels (ready queue, timers, tasks), the narration and the code view.
//!
//! A [`Replay`] is built in one pass over the trace's events, in slices (so a run of half a
//! million events never holds the page for long: the page builds a slice per frame). The pass
//! fills the timeline's model and, every `stride` events, stores a checkpoint of the loop's state.
//! The state at any moment is then the nearest checkpoint before it plus at most `stride` events
//! replayed: a step, a scrub or a jump costs the same at event 10 and at event 500,000.
//!
//! Events are read in two places only, [`events_from`] and [`event`], through the trace's
//! public API, so that a change of the trace's storage stays local.

use super::timeline::{ArrowItem, LaneItem, MarkItem, MarkKind, StepItem, TimelineModel, Wait};
use crate::trace::{Awaiting, Event, EventKind, FutureLabel, Outcome, TaskId, TaskName, Trace, Waker};

/// The trace's events from index `start` on, each decoded as it is reached.
pub fn events_from(trace: &Trace, start: usize) -> impl Iterator<Item = Event> + '_ {
    trace.events.iter_from(start)
}

/// The trace's event at `index`, decoded.
pub fn event(trace: &Trace, index: usize) -> Option<Event> {
    trace.events.get(index)
}

/// The number of events in the trace.
pub fn event_count(trace: &Trace) -> usize {
    trace.events.len()
}

/// Where a task is at a moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Phase {
    /// Created; its first step is not scheduled yet (an eager task runs at once).
    Created,
    /// On the ready queue.
    Ready,
    /// Its step is running.
    Running,
    /// Suspended after step `step` (an index into the model's steps), on what that step awaits.
    Waiting {
        /// The step that suspended.
        step: u32,
    },
    /// Finished.
    Done,
}

/// A pending timer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PendingTimer {
    /// Its number.
    pub timer: u64,
    /// When it is due.
    pub deadline: f64,
    /// The task that set it, if any.
    pub owner: Option<TaskId>,
}

/// A queue that is mostly pushed at the back and popped at the front (the ready queue, the
/// timers in deadline order): a vector and the index of its front. Copies hold only the live part.
#[derive(Debug)]
pub struct Line<T> {
    items: Vec<T>,
    head: usize,
}

impl<T: Copy + PartialEq> Line<T> {
    /// The live items, front first.
    pub fn as_slice(&self) -> &[T] {
        &self.items[self.head..]
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.items.len() - self.head
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn push(&mut self, x: T) {
        self.items.push(x);
    }

    fn insert(&mut self, at: usize, x: T) {
        self.items.insert(self.head + at, x);
    }

    /// Removes the item at `at` (front: 0), cheaply at the front.
    fn remove(&mut self, at: usize) {
        if at == 0 {
            self.head += 1;
            if self.head > 64 && self.head * 2 > self.items.len() {
                self.items.drain(..self.head);
                self.head = 0;
            }
        } else {
            self.items.remove(self.head + at);
        }
    }

    /// Removes the first item equal to `x` (searched from the front: the ready queue is mostly
    /// left in order).
    fn remove_item(&mut self, x: &T) {
        if let Some(at) = self.as_slice().iter().position(|y| y == x) {
            self.remove(at);
        }
    }
}

impl<T: PartialEq> PartialEq for Line<T> {
    fn eq(&self, other: &Self) -> bool {
        self.items[self.head..] == other.items[other.head..]
    }
}

impl<T> Default for Line<T> {
    fn default() -> Self {
        Line {
            items: Vec::new(),
            head: 0,
        }
    }
}

impl<T: Copy> Clone for Line<T> {
    fn clone(&self) -> Self {
        Line {
            items: self.items[self.head..].to_vec(),
            head: 0,
        }
    }
}

/// The loop's state after an event.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct State {
    /// Each task created so far, by id, and since which event it is in that phase.
    pub tasks: Vec<(Phase, u32)>,
    /// The ready queue's tasks, in order.
    pub ready: Line<TaskId>,
    /// Timers set, sorted by (deadline, number), some of them gone (fired or cancelled): timers
    /// of equal deadlines fire in the heap's order, not the list's, so a timer that goes is
    /// only marked, and the gone ones at the front are dropped.
    timers: Line<PendingTimer>,
    /// Whether each timer (by number) has fired or been cancelled.
    gone: Vec<bool>,
    /// How many timers are pending.
    pending: usize,
    /// Transcript lines printed so far.
    pub lines: usize,
    /// The latest step that began (index into the model's steps).
    pub last_step: Option<u32>,
}

/// A timer's place in the order: by deadline, then by number.
fn before(a: &PendingTimer, deadline: f64, timer: u64) -> bool {
    a.deadline.total_cmp(&deadline).then(a.timer.cmp(&timer)).is_lt()
}

impl State {
    /// The pending timers, soonest first.
    pub fn timers(&self) -> impl Iterator<Item = PendingTimer> + '_ {
        let gone = &self.gone;
        self.timers
            .as_slice()
            .iter()
            .filter(move |t| !gone.get(t.timer as usize).copied().unwrap_or(false))
            .copied()
    }

    /// How many timers are pending.
    pub fn timer_count(&self) -> usize {
        self.pending
    }

    fn set(&mut self, task: Option<TaskId>, phase: Phase, at: usize) {
        if let Some(slot) = task.and_then(|t| self.tasks.get_mut(t as usize)) {
            *slot = (phase, at as u32);
        }
    }

    /// Applies event number `index`; `steps` maps a task to its latest step in the model.
    fn apply(&mut self, index: usize, e: &Event, latest_step: &dyn Fn(TaskId) -> Option<u32>) {
        match &e.kind {
            EventKind::Spawned { .. } => {
                if let Some(t) = e.task {
                    if self.tasks.len() <= t as usize {
                        self.tasks.resize(t as usize + 1, (Phase::Created, index as u32));
                    }
                    self.tasks[t as usize] = (Phase::Created, index as u32);
                }
            }
            EventKind::Scheduled { .. } => {
                if let Some(t) = e.task {
                    self.ready.push(t);
                    self.set(Some(t), Phase::Ready, index);
                }
            }
            EventKind::StepBegin => {
                if let Some(t) = e.task {
                    // The loop pops the front: only an odd case needs a search.
                    self.ready.remove_item(&t);
                    self.set(Some(t), Phase::Running, index);
                    self.last_step = latest_step(t);
                }
            }
            EventKind::StepEnd { .. } => {
                if let Some(t) = e.task {
                    let running = self.tasks.get(t as usize).is_some_and(|(p, _)| *p == Phase::Running);
                    if let (true, Some(step)) = (running, latest_step(t)) {
                        self.set(Some(t), Phase::Waiting { step }, index);
                    }
                }
            }
            EventKind::Exited { .. } => self.set(e.task, Phase::Done, index),
            EventKind::TimerSet { timer, deadline, .. } => {
                let t = PendingTimer {
                    timer: *timer,
                    deadline: *deadline,
                    owner: e.task,
                };
                let n = *timer as usize;
                if self.gone.len() <= n {
                    self.gone.resize(n + 1, false);
                }
                self.gone[n] = false;
                self.pending += 1;
                let live = self.timers.as_slice();
                if live.last().is_none_or(|b| before(b, *deadline, *timer)) {
                    self.timers.push(t);
                } else {
                    let at = live.partition_point(|x| before(x, *deadline, *timer));
                    self.timers.insert(at, t);
                }
            }
            EventKind::TimerFired { timer } | EventKind::TimerCancelled { timer } => {
                if let Some(g) = self.gone.get_mut(*timer as usize).filter(|g| !**g) {
                    *g = true;
                    self.pending -= 1;
                }
                while let Some(front) = self.timers.as_slice().first() {
                    if !self.gone.get(front.timer as usize).copied().unwrap_or(false) {
                        break;
                    }
                    self.timers.remove(0);
                }
            }
            EventKind::Log { .. } | EventKind::Warning { .. } => self.lines += 1,
            EventKind::Renamed { .. } | EventKind::ClockAdvanced { .. } | EventKind::CancelRequested { .. } => {}
        }
    }
}

/// A trace, replayed: the timeline's model, each event's time and iteration, and checkpoints of
/// the loop's state.
#[derive(Debug, Default)]
pub struct Replay {
    /// The timeline's model.
    pub model: TimelineModel,
    /// Each event's loop time.
    times: Vec<f64>,
    /// Each event's iteration.
    iterations: Vec<u32>,
    /// `checkpoints[k]` is the state before event `k * stride`.
    checkpoints: Vec<State>,
    stride: usize,
    /// Renames: (event, task, new name), in order.
    renames: Vec<(usize, TaskId, TaskName)>,
    /// Each task's name when created.
    spawn_names: Vec<TaskName>,
    /// The events that printed a transcript line, in order.
    printed: Vec<u32>,
}

/// Builds a [`Replay`] a slice at a time.
#[derive(Debug)]
pub struct ReplayBuilder {
    replay: Replay,
    state: State,
    next: usize,
    total: usize,
    /// For each task, the arrow waiting for its next step.
    pending_arrow: Vec<Option<u32>>,
    /// For each task, the step whose end is not recorded yet.
    open_step: Vec<Option<u32>>,
    /// Timers set in the current step of each task (for a sleep's label).
    step_timer: Vec<Option<(f64, f64)>>,
}

/// The fewest events between two checkpoints, and how many checkpoints a long trace gets at most
/// (their memory is that of the loop's state, once per checkpoint).
const MIN_STRIDE: usize = 2048;
const MAX_CHECKPOINTS: usize = 24;

impl ReplayBuilder {
    /// Starts replaying `trace`.
    pub fn new(trace: &Trace) -> Self {
        let total = event_count(trace);
        let stride = MIN_STRIDE.max(total.div_ceil(MAX_CHECKPOINTS));
        // Lanes are made as their tasks are spawned (reading the trace's task table would
        // decode all of it at once).
        let tasks = 0;
        let model = TimelineModel {
            total_time: trace.end_time,
            iterations: trace.iterations,
            iteration_times: vec![0.0; trace.iterations.min(u32::MAX as u64) as usize],
            // About one step, one wake-up and one mark for each five events: reserved at once, a
            // big replay does not copy its vectors as they grow.
            steps: Vec::with_capacity(total / 5),
            arrows: Vec::with_capacity(total / 5),
            marks: Vec::with_capacity(total / 5),
            ..TimelineModel::default()
        };
        ReplayBuilder {
            replay: Replay {
                model,
                times: Vec::with_capacity(total),
                iterations: Vec::with_capacity(total),
                checkpoints: Vec::new(),
                stride,
                renames: Vec::new(),
                spawn_names: Vec::with_capacity(tasks),
                printed: Vec::new(),
            },
            state: State::default(),
            next: 0,
            total,
            pending_arrow: vec![None; tasks],
            open_step: vec![None; tasks],
            step_timer: vec![None; tasks],
        }
    }

    /// How far the pass has come, from 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.next as f64 / self.total as f64
        }
    }

    /// Replays up to `budget` more events; true when the whole trace is done.
    pub fn advance(&mut self, trace: &Trace, budget: usize) -> bool {
        let end = (self.next + budget).min(self.total);
        let start = self.next;
        for (offset, e) in events_from(trace, start).take(end - start).enumerate() {
            let index = start + offset;
            if index.is_multiple_of(self.replay.stride) {
                self.replay.checkpoints.push(self.state.clone());
            }
            self.model_event(trace, index, &e);
            let open = &self.open_step;
            let steps = &self.replay.model.lanes;
            let latest = |t: TaskId| {
                open.get(t as usize)
                    .copied()
                    .flatten()
                    .or_else(|| steps.get(t as usize)?.steps.last().copied())
            };
            self.state.apply(index, &e, &latest);
        }
        self.next = end;
        self.next >= self.total
    }

    /// The replay, once [`advance`](Self::advance) has returned true.
    pub fn finish(mut self) -> Replay {
        let m = &mut self.replay.model;
        // A wake-up whose step never came (the run ended): drop it.
        m.arrows.retain(|a| a.to_step != u32::MAX);
        self.replay
    }

    /// The timeline's share of one event.
    fn model_event(&mut self, trace: &Trace, index: usize, e: &Event) {
        let r = &mut self.replay;
        r.times.push(e.time);
        r.iterations.push(e.iteration.min(u32::MAX as u64) as u32);
        let m = &mut r.model;
        if let Some(slot) = (e.iteration as usize)
            .checked_sub(1)
            .and_then(|i| m.iteration_times.get_mut(i))
        {
            *slot = e.time;
        }
        if let (EventKind::Spawned { name, .. }, Some(t)) = (&e.kind, e.task) {
            let t = t as usize;
            while m.lanes.len() <= t {
                m.lanes.push(LaneItem {
                    task: m.lanes.len() as TaskId,
                    name: name.to_string(),
                    start_iteration: e.iteration,
                    start_time: e.time,
                    end_iteration: m.iterations,
                    end_time: m.total_time,
                    outcome: None,
                    steps: Vec::new(),
                    marks: Vec::new(),
                });
                self.pending_arrow.push(None);
                self.open_step.push(None);
                self.step_timer.push(None);
            }
        }
        let lane = e.task.map(|t| t as usize).filter(|t| *t < m.lanes.len());
        let mark = |m: &mut TimelineModel, kind: MarkKind, text: String| {
            let i = m.marks.len() as u32;
            m.marks.push(MarkItem {
                kind,
                task: lane.map(|t| t as TaskId),
                iteration: e.iteration,
                time: e.time,
                text,
                event: index,
            });
            match lane {
                Some(t) => m.lanes[t].marks.push(i),
                None => m.loop_marks.push(i),
            }
        };
        match &e.kind {
            EventKind::Spawned { name, .. } => {
                r.spawn_names.push(name.clone());
                if let Some(l) = lane {
                    m.lanes[l].start_iteration = e.iteration;
                }
            }
            EventKind::Renamed { name } => {
                if let Some(t) = e.task {
                    r.renames.push((index, t, name.clone()));
                }
                if let Some(l) = lane {
                    m.lanes[l].name = name.to_string();
                }
            }
            EventKind::StepBegin => {
                if let Some(l) = lane {
                    let s = m.steps.len() as u32;
                    let woken_by = self.pending_arrow[l].take();
                    m.steps.push(StepItem {
                        task: l as TaskId,
                        iteration: e.iteration,
                        time: e.time,
                        end_time: e.time,
                        event: index,
                        end_event: index,
                        wait: Wait::Finished,
                        at: None,
                        woken_by,
                    });
                    m.lanes[l].steps.push(s);
                    self.open_step[l] = Some(s);
                    self.step_timer[l] = None;
                    if let Some(a) = woken_by {
                        let a = &mut m.arrows[a as usize];
                        a.to_iteration = e.iteration;
                        a.to_time = e.time;
                        a.to_step = s;
                    }
                }
            }
            EventKind::StepEnd { awaiting } => {
                if let Some(l) = lane {
                    if let Some(s) = self.open_step[l].take() {
                        let step = &mut m.steps[s as usize];
                        step.end_time = e.time;
                        step.end_event = index;
                        step.wait = match awaiting {
                            None => Wait::Finished,
                            Some(Awaiting::Task(t)) => Wait::Task(*t),
                            Some(Awaiting::Gather(children)) => {
                                m.gathers.push(children.clone());
                                Wait::Gather(m.gathers.len() as u32 - 1)
                            }
                            // A sleep's delay is its timer's: the last one the step set (a
                            // timeout around the sleep sets its timer before it).
                            Some(Awaiting::Future(FutureLabel::Sleep)) => match self.step_timer[l] {
                                Some((set_at, deadline)) => Wait::Sleep {
                                    seconds: deadline - set_at,
                                    until: deadline,
                                },
                                None => Wait::Future(FutureLabel::Sleep),
                            },
                            Some(Awaiting::Future(label)) => Wait::Future(*label),
                        };
                    }
                }
            }
            EventKind::Scheduled { by } => {
                if let Some(l) = lane {
                    // A task that reschedules itself (sleep(0)) draws no arrow.
                    let is_self = matches!(by, Waker::Task(w) if *w as usize == l);
                    if !is_self {
                        self.pending_arrow[l] = Some(m.arrows.len() as u32);
                        m.arrows.push(ArrowItem {
                            from: match by {
                                Waker::Task(w) => Some(*w),
                                _ => None,
                            },
                            by: *by,
                            to: l as TaskId,
                            iteration: e.iteration,
                            time: e.time,
                            to_iteration: e.iteration + 1,
                            to_time: e.time,
                            to_step: u32::MAX,
                            event: index,
                        });
                    }
                }
            }
            EventKind::Exited { outcome } => {
                if let Some(l) = lane {
                    let lane = &mut m.lanes[l];
                    lane.end_iteration = e.iteration;
                    lane.end_time = e.time;
                    lane.outcome = Some(outcome.clone());
                }
            }
            EventKind::Log { text, at } => {
                r.printed.push(index as u32);
                if let Some(s) = lane.and_then(|l| self.open_step[l]) {
                    m.steps[s as usize].at = at.or(m.steps[s as usize].at);
                }
                mark(m, MarkKind::Log, text.clone())
            }
            EventKind::Warning { text } => {
                r.printed.push(index as u32);
                mark(m, MarkKind::Warning, text.clone())
            }
            EventKind::TimerSet { timer, deadline, at } => {
                if let Some(l) = lane {
                    self.step_timer[l] = Some((e.time, *deadline));
                    if let Some(s) = self.open_step[l] {
                        m.steps[s as usize].at = at.or(m.steps[s as usize].at);
                    }
                }
                mark(m, MarkKind::TimerSet, format!("timer {timer} set for {deadline:.3} s"))
            }
            EventKind::TimerFired { timer } => {
                // Always on the loop's row: the loop runs timers, not tasks.
                let i = m.marks.len() as u32;
                m.marks.push(MarkItem {
                    kind: MarkKind::TimerFired,
                    task: None,
                    iteration: e.iteration,
                    time: e.time,
                    text: format!("timer {timer} fired"),
                    event: index,
                });
                m.loop_marks.push(i);
            }
            EventKind::CancelRequested { .. } => mark(m, MarkKind::Cancel, "cancel() requested".into()),
            EventKind::TimerCancelled { .. } | EventKind::ClockAdvanced { .. } => {}
        }
        let _ = trace;
    }
}

impl Replay {
    /// The whole replay of `trace` at once (natively, and for small traces).
    pub fn new(trace: &Trace) -> Self {
        let mut builder = ReplayBuilder::new(trace);
        builder.advance(trace, usize::MAX);
        builder.finish()
    }

    /// The number of events.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether the trace has no events.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// The last event's index (0 for an empty trace).
    pub fn last(&self) -> usize {
        self.len().saturating_sub(1)
    }

    /// The loop time of event `i`.
    pub fn time(&self, i: usize) -> f64 {
        self.times.get(i).copied().unwrap_or(0.0)
    }

    /// The iteration of event `i`.
    pub fn iteration(&self, i: usize) -> u64 {
        u64::from(self.iterations.get(i).copied().unwrap_or(0))
    }

    /// The state right after event `moment` (clamped to the trace).
    pub fn state_at(&self, trace: &Trace, moment: usize) -> State {
        if self.is_empty() {
            return State::default();
        }
        let moment = moment.min(self.last());
        let k = (moment / self.stride.max(1)).min(self.checkpoints.len().saturating_sub(1));
        let mut state = self.checkpoints.get(k).cloned().unwrap_or_default();
        let from = k * self.stride;
        let lanes = &self.model.lanes;
        let steps = &self.model.steps;
        for (offset, e) in events_from(trace, from).take(moment + 1 - from).enumerate() {
            let index = from + offset;
            // The latest step of a task that began at or before this event.
            let latest = |t: TaskId| {
                let lane = lanes.get(t as usize)?;
                let n = lane.steps.partition_point(|&s| steps[s as usize].event <= index);
                n.checked_sub(1).map(|i| lane.steps[i])
            };
            state.apply(index, &e, &latest);
        }
        state
    }

    /// How many transcript lines were printed by event `moment` (included).
    pub fn lines_at(&self, moment: usize) -> usize {
        self.printed.partition_point(|e| *e as usize <= moment)
    }

    /// A task's name at `moment` (its latest name given at or before it).
    pub fn name_at(&self, task: TaskId, moment: usize) -> String {
        self.renames
            .iter()
            .rev()
            .find(|(at, t, _)| *t == task && *at <= moment)
            .map(|(_, _, n)| n.to_string())
            .or_else(|| self.spawn_names.get(task as usize).map(|n| n.to_string()))
            .unwrap_or_else(|| format!("#{task}"))
    }

    /// The moment for loop time `t`: the last event at or before it (0 if none).
    pub fn event_at_time(&self, t: f64) -> usize {
        self.times.partition_point(|x| *x <= t + 1e-9).saturating_sub(1)
    }

    /// The first event of the iteration after `event`'s (or the last event).
    pub fn next_iteration(&self, event: usize) -> usize {
        let current = self.iteration(event);
        let i = self.iterations.partition_point(|x| u64::from(*x) <= current);
        i.min(self.last())
    }

    /// The first event of the iteration before `event`'s.
    pub fn previous_iteration(&self, event: usize) -> usize {
        let current = self.iteration(event);
        let target = current.saturating_sub(1);
        self.iterations.partition_point(|x| u64::from(*x) < target)
    }

    /// The step that event `moment` belongs to or follows most recently, for the code view:
    /// the latest step begun at or before the moment.
    pub fn step_at(&self, moment: usize) -> Option<u32> {
        let n = self.model.steps.partition_point(|s| s.event <= moment);
        n.checked_sub(1).map(|i| i as u32)
    }
}

/// What a wait is, in a learner's words: `sleep(2.0)`, `gather(Task-2, Task-3)`, `Task-3`,
/// `queue.get()`, `a future` (one the program made).
pub fn wait_label(replay: &Replay, wait: &Wait, moment: usize) -> String {
    match wait {
        Wait::Finished => "nothing (it finished)".into(),
        Wait::Sleep { seconds, .. } => format!("sleep({})", py_seconds(*seconds)),
        Wait::Task(t) => replay.name_at(*t, moment),
        Wait::Gather(g) => {
            let children = replay.model.gathers.get(*g as usize).map(Vec::as_slice).unwrap_or(&[]);
            let names: Vec<String> = children
                .iter()
                .take(4)
                .map(|c| c.map_or_else(|| "a future".to_string(), |t| replay.name_at(t, moment)))
                .collect();
            let more = children.len().saturating_sub(4);
            if more > 0 {
                format!("gather({}, and {more} more)", names.join(", "))
            } else {
                format!("gather({})", names.join(", "))
            }
        }
        Wait::Future(label) => label.to_string(),
    }
}

/// A number of seconds as Python prints a float: `2.0`, `0.25`.
pub fn py_seconds(s: f64) -> String {
    let rounded = (s * 1e6).round() / 1e6;
    if rounded.fract() == 0.0 {
        format!("{rounded:.1}")
    } else {
        format!("{rounded}")
    }
}

/// How a finished task ended, in words.
pub fn outcome_words(outcome: &Option<Outcome>) -> String {
    match outcome {
        None => "still pending".into(),
        Some(Outcome::Returned) => "returned".into(),
        Some(Outcome::Failed { error }) => format!("failed: {error}"),
        Some(Outcome::Cancelled) => "cancelled".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos;

    fn trace(id: &str) -> Trace {
        demos::find(id).unwrap().run_traced().trace.unwrap()
    }

    fn naive(trace: &Trace, replay: &Replay, moment: usize) -> State {
        let mut state = State::default();
        for (i, e) in trace.events.iter().enumerate().take(moment + 1) {
            let latest = |t: TaskId| {
                let lane = replay.model.lanes.get(t as usize)?;
                let n = lane
                    .steps
                    .partition_point(|&s| replay.model.steps[s as usize].event <= i);
                n.checked_sub(1).map(|k| lane.steps[k])
            };
            state.apply(i, &e, &latest);
        }
        state
    }

    #[test]
    fn a_state_from_a_checkpoint_equals_the_state_replayed_from_the_start() {
        let t = trace("performance-patterns");
        let replay = Replay::new(&t);
        assert!(replay.checkpoints.len() > 3, "{} checkpoints", replay.checkpoints.len());
        for moment in [0, 1, 2047, 2048, 2049, 5000, 9999, replay.last()] {
            let state = replay.state_at(&t, moment);
            assert_eq!(state, naive(&t, &replay, moment), "at {moment}");
            assert_eq!(state.lines, replay.lines_at(moment));
        }
    }

    #[test]
    fn each_step_woken_by_an_arrow_is_that_arrow_s_step() {
        // Some demos end with wake-ups whose steps never came (async-comprehension): the replay
        // drops those arrows, and every step still names its own.
        for demo in demos::DEMOS {
            let t = demo.run_traced().trace.unwrap();
            let m = Replay::new(&t).model;
            for (s, step) in m.steps.iter().enumerate() {
                if let Some(k) = step.woken_by {
                    assert_eq!(m.arrows[k as usize].to_step as usize, s, "{}: step {s}", demo.id);
                }
            }
        }
    }

    #[test]
    fn lanes_made_from_the_events_agree_with_the_trace_task_table() {
        for demo in demos::DEMOS {
            let t = demo.run_traced().trace.unwrap();
            let r = Replay::new(&t);
            let tasks: Vec<_> = t.tasks().collect();
            assert_eq!(r.model.lanes.len(), tasks.len(), "{}", demo.id);
            for (lane, task) in r.model.lanes.iter().zip(&tasks) {
                assert_eq!(lane.name, task.name.to_string(), "{}", demo.id);
                assert_eq!(lane.start_time, task.spawned_at, "{}", demo.id);
                assert_eq!(lane.end_time, task.exited_at.unwrap_or(t.end_time), "{}", demo.id);
                assert_eq!(lane.outcome, task.outcome, "{}", demo.id);
            }
        }
    }

    #[test]
    fn building_in_slices_gives_the_same_replay() {
        let t = trace("semaphore-limit");
        let whole = Replay::new(&t);
        let mut b = ReplayBuilder::new(&t);
        let mut rounds = 0;
        while !b.advance(&t, 7) {
            rounds += 1;
            assert!(b.progress() < 1.0);
        }
        let sliced = b.finish();
        assert!(rounds > 3);
        assert_eq!(sliced.model, whole.model);
        assert_eq!(sliced.checkpoints, whole.checkpoints);
    }

    #[test]
    fn the_panels_see_ready_tasks_timers_and_what_each_awaits() {
        let t = trace("sequential-vs-concurrent");
        let r = Replay::new(&t);
        // Just after main awaits A (created with B and C).
        let i = t
            .events
            .iter()
            .position(|e| {
                matches!(
                    &e.kind,
                    EventKind::StepEnd {
                        awaiting: Some(Awaiting::Task(1))
                    }
                )
            })
            .unwrap();
        let s = r.state_at(&t, i);
        assert_eq!(s.ready.as_slice(), [1, 2, 3]);
        let Phase::Waiting { step } = s.tasks[0].0 else {
            panic!("{:?}", s.tasks[0])
        };
        assert_eq!(wait_label(&r, &r.model.steps[step as usize].wait, i), "A");
        // Once A, B and C ran their first steps, three timers are pending, soonest first.
        let later = r.next_iteration(r.next_iteration(i));
        let s = r.state_at(&t, later);
        let deadlines: Vec<f64> = s.timers().map(|x| x.deadline).collect();
        assert_eq!(deadlines, [5.5, 6.0, 6.5]);
        let Phase::Waiting { step } = s.tasks[2].0 else {
            panic!()
        };
        assert_eq!(wait_label(&r, &r.model.steps[step as usize].wait, later), "sleep(1.0)");
    }

    #[test]
    fn moments_by_time_and_by_iteration() {
        let t = trace("mental-model");
        let r = Replay::new(&t);
        let i = r.event_at_time(2.0);
        assert_eq!(r.time(i), 2.0);
        assert!(i == r.last() || r.time(i + 1) > 2.0);
        let next = r.next_iteration(i);
        assert_eq!(r.iteration(next), r.iteration(i) + 1);
        assert!(r.iteration(r.previous_iteration(next)) < r.iteration(next));
        assert_eq!(py_seconds(2.0), "2.0");
        assert_eq!(py_seconds(0.25), "0.25");
    }

    #[test]
    fn no_demo_waits_on_a_known_asyncio_call_unlabelled() {
        // A wait shown only as "a future" is one on a future the demo made itself; every
        // asyncio call that makes a future to wait on names itself, as asyncio spells it.
        let mut seen = std::collections::HashSet::new();
        for demo in demos::DEMOS {
            let t = demo.run_traced().trace.unwrap();
            let r = Replay::new(&t);
            for s in &r.model.steps {
                let label = wait_label(&r, &s.wait, s.end_event);
                match s.wait {
                    Wait::Future(FutureLabel::Plain) => assert!(
                        demo.rust_source.contains("Future::new()"),
                        "{}: a wait of {} at event {} is labelled only `{label}`",
                        demo.id,
                        r.name_at(s.task, s.end_event),
                        s.end_event
                    ),
                    Wait::Future(FutureLabel::Sleep) => panic!("{}: a sleep without its timer", demo.id),
                    Wait::Future(known) => {
                        assert_eq!(label, known.as_str());
                        seen.insert(known);
                    }
                    // Only a sleep is drawn as one (a timeout's timer beside another wait is not).
                    Wait::Sleep { .. } => assert_eq!(
                        event(&t, s.end_event).map(|e| e.kind),
                        Some(EventKind::StepEnd {
                            awaiting: Some(Awaiting::Future(FutureLabel::Sleep))
                        }),
                        "{}: {label}",
                        demo.id
                    ),
                    Wait::Task(_) | Wait::Gather(_) | Wait::Finished => {}
                }
            }
        }
        let waited_on_by_the_demos = [
            FutureLabel::QueueGet,
            FutureLabel::QueuePut,
            FutureLabel::QueueJoin,
            FutureLabel::LockAcquire,
            FutureLabel::EventWait,
            FutureLabel::ConditionWait,
            FutureLabel::SemaphoreAcquire,
            FutureLabel::Wait,
            FutureLabel::AsCompleted,
            FutureLabel::WaitFor,
            FutureLabel::TaskGroupExit,
            FutureLabel::ToThread,
            FutureLabel::ReaderReadUntil,
            FutureLabel::ReaderReadExactly,
        ];
        assert_eq!(seen, waited_on_by_the_demos.into_iter().collect());
    }

    #[test]
    fn a_timeout_around_a_wait_does_not_make_it_a_sleep() {
        // The timeouts demo's `wait_for(task, limit)` sets a timer in the step that suspends.
        let t = trace("timeouts");
        let r = Replay::new(&t);
        let labels: Vec<String> = r
            .model
            .steps
            .iter()
            .filter(|s| s.wait != Wait::Finished)
            .map(|s| wait_label(&r, &s.wait, s.end_event))
            .collect();
        assert_eq!(
            labels,
            ["sleep(2.0)", "wait_for()", "sleep(2.0)", "wait_for()", "sleep(2.0)"]
        );
    }

    #[test]
    fn a_gather_is_named_by_its_children_and_a_rename_by_its_moment() {
        let t = trace("gather");
        let r = Replay::new(&t);
        let gather = r
            .model
            .steps
            .iter()
            .find(|s| matches!(s.wait, Wait::Gather(_)))
            .unwrap();
        assert_eq!(wait_label(&r, &gather.wait, r.last()), "gather(Task-2, Task-3, Task-4)");
    }
}

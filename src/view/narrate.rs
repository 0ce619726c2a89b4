//! The narration: one sentence that says what the current event is and why it happened, in a
//! learner's terms; and the details of a clicked step, wake-up or mark.

use super::replay::{event, outcome_words, py_seconds, wait_label, Replay};
use super::scene::Hit;
use super::timeline::{MarkKind, StepItem, Wait};
use crate::trace::{EventKind, FutureLabel, Outcome, TaskId, Trace, Waker};

fn name(replay: &Replay, task: Option<TaskId>, moment: usize) -> String {
    task.map_or_else(|| "the loop".to_string(), |t| replay.name_at(t, moment))
}

/// What a step will do: `runs until it awaits sleep(1.0)`, `runs to its end`.
fn until(replay: &Replay, step: &StepItem, moment: usize) -> String {
    match step.wait {
        Wait::Finished => "runs to its end".to_string(),
        ref w => format!("runs until it awaits {}", wait_label(replay, w, moment)),
    }
}

/// Why a task was woken, from the wake-up's waker.
fn woken_because(replay: &Replay, by: &Waker, task: TaskId, moment: usize) -> String {
    // What it was waiting for: the wait of its previous step.
    let lane = replay.model.lanes.get(task as usize);
    let previous = lane.and_then(|l| {
        let n = l
            .steps
            .partition_point(|&s| replay.model.steps[s as usize].event <= moment);
        n.checked_sub(1).map(|i| &replay.model.steps[l.steps[i] as usize])
    });
    let waited = previous.map(|s| s.wait);
    // A cancel() since the wait began is why the task wakes, whatever it awaited.
    let since = previous.map_or(0, |s| s.end_event);
    let cancelled = lane.is_some_and(|l| {
        l.marks.iter().any(|&k| {
            let mark = &replay.model.marks[k as usize];
            mark.kind == MarkKind::Cancel && mark.event > since && mark.event <= moment
        })
    });
    if cancelled {
        return match by {
            Waker::Task(w) if *w != task => format!(
                "{} cancelled it (CancelledError is thrown in at its await)",
                replay.name_at(*w, moment)
            ),
            Waker::Timer(_) => {
                "a timer's callback cancelled it, as a timeout does (CancelledError is thrown in at its await)"
                    .to_string()
            }
            _ => "it was cancelled (CancelledError is thrown in at its await)".to_string(),
        };
    }
    match (by, waited) {
        (Waker::Timer(_), Some(Wait::Sleep { seconds, .. })) => {
            format!("the timer for {} s fired", py_seconds(seconds))
        }
        (Waker::Timer(_), Some(Wait::Future(label))) => match label {
            FutureLabel::WaitFor => "the timeout of wait_for() expired".to_string(),
            FutureLabel::Wait => "the timeout of wait() expired".to_string(),
            FutureLabel::AsCompleted => "the timeout of as_completed() expired".to_string(),
            FutureLabel::ToThread => "the worker thread finished".to_string(),
            _ => "a timer fired".to_string(),
        },
        (Waker::Timer(_), _) => "a timer fired".to_string(),
        (Waker::Task(w), Some(Wait::Task(t))) if *w == t => {
            format!("{} finished", replay.name_at(t, moment))
        }
        (Waker::Task(w), Some(Wait::Gather(_))) => {
            format!(
                "{} finished, and with it everything the gather waited for",
                replay.name_at(*w, moment)
            )
        }
        (Waker::Task(w), Some(Wait::Future(label))) => {
            let w = replay.name_at(*w, moment);
            match label {
                FutureLabel::QueueGet => format!("{w} put an item in the queue"),
                FutureLabel::QueuePut => format!("{w} took an item from the queue, which made room"),
                FutureLabel::QueueJoin => format!("{w} marked the last item done"),
                FutureLabel::LockAcquire => format!("{w} released the lock"),
                FutureLabel::EventWait => format!("{w} set the event"),
                FutureLabel::ConditionWait => format!("{w} notified the condition"),
                FutureLabel::SemaphoreAcquire => format!("{w} released the semaphore"),
                FutureLabel::ReaderRead | FutureLabel::ReaderReadUntil | FutureLabel::ReaderReadExactly => {
                    format!("{w} fed data to the stream")
                }
                _ => format!("{w} completed the future it awaited"),
            }
        }
        (Waker::Loop, Some(Wait::Task(t))) => format!("{} finished", replay.name_at(t, moment)),
        (Waker::Loop, Some(Wait::Gather(_))) => "the gather's last child finished (or one failed)".to_string(),
        (Waker::Loop, Some(Wait::Future(label))) => match label {
            FutureLabel::Wait => "a task it waited for finished and wait() has what it asked for".to_string(),
            FutureLabel::AsCompleted => "one of the awaitables finished".to_string(),
            FutureLabel::WaitFor => "the task it waited for finished".to_string(),
            FutureLabel::Shield => "the shielded task finished".to_string(),
            FutureLabel::TaskGroupExit => "the last task of the group finished".to_string(),
            _ => "a callback of the loop completed what it awaited".to_string(),
        },
        (Waker::Task(w), None) => format!("{} created it", replay.name_at(*w, moment)),
        (Waker::Task(w), _) => format!("{} woke it", replay.name_at(*w, moment)),
        (Waker::Loop, None) => "asyncio.run started it as the main task".to_string(),
        (Waker::Loop, _) => "a callback of the loop completed what it awaited".to_string(),
        (Waker::External, _) => "something outside the loop woke it".to_string(),
    }
}

/// Why awaiting what `label` names suspends the task, when there is more to say than the label.
fn why_it_waits(label: FutureLabel) -> Option<&'static str> {
    Some(match label {
        FutureLabel::QueueGet => "the queue is empty, so it waits until a task puts an item",
        FutureLabel::QueuePut => "the queue is full, so it waits until a task takes an item",
        FutureLabel::QueueJoin => "it waits until every item put is marked done (task_done())",
        FutureLabel::LockAcquire => "the lock is taken (or others queue for it), so it waits its turn",
        FutureLabel::EventWait => "the event is not set, so it waits until a task calls set()",
        FutureLabel::ConditionWait => "it has released the condition's lock and waits for a notify()",
        FutureLabel::SemaphoreAcquire => "no slot is free (or others queue for one), so it waits its turn",
        FutureLabel::Wait => "it waits until wait() has what it asked for (or its timeout)",
        FutureLabel::AsCompleted => "it waits for the next of the awaitables to finish",
        FutureLabel::WaitFor => "it waits for the awaited task, or for the timeout",
        FutureLabel::Shield => "it waits for the shielded task, which a cancellation of this wait would not cancel",
        FutureLabel::TaskGroupExit => "the end of `async with TaskGroup()` waits until every task of the group is done",
        FutureLabel::ToThread => "the function runs on a worker thread while the loop runs other tasks",
        FutureLabel::ReaderRead | FutureLabel::ReaderReadUntil | FutureLabel::ReaderReadExactly => {
            "not enough data is buffered, so it waits until more is fed"
        }
        FutureLabel::Plain | FutureLabel::Sleep | FutureLabel::Gather => return None,
    })
}

/// One sentence about event `moment`: what happened and why.
pub fn narrate(trace: &Trace, replay: &Replay, moment: usize) -> String {
    let Some(e) = event(trace, moment) else {
        return "Nothing has happened yet.".to_string();
    };
    let who = name(replay, e.task, moment);
    let step = e.task.and_then(|t| {
        replay
            .step_at(moment)
            .filter(|s| replay.model.steps[*s as usize].task == t)
    });
    let step_item = step.map(|s| &replay.model.steps[s as usize]);
    match &e.kind {
        EventKind::Spawned { .. } => {
            // The task whose step is running creates it.
            let parent = replay
                .step_at(moment)
                .map(|s| &replay.model.steps[s as usize])
                .filter(|s| s.end_event >= moment)
                .map(|s| replay.name_at(s.task, moment));
            match parent {
                Some(p) if Some(p.as_str()) != Some(who.as_str()) => format!(
                    "{p} creates the task {who}: it goes on the ready queue and runs in a later loop iteration, \
                     not now ({p} keeps running)."
                ),
                _ => format!("asyncio.run creates the main task {who}; the loop will run its first step."),
            }
        }
        EventKind::Renamed { name } => format!("The task is renamed {name}."),
        EventKind::Scheduled { by } => {
            let why = e.task.map(|t| woken_because(replay, by, t, moment)).unwrap_or_default();
            format!(
                "{} so {who} is put on the ready queue; it resumes in the next iteration, after the tasks ahead of it.",
                capitalise(&why) + ","
            )
        }
        EventKind::StepBegin => {
            let Some(s) = step_item else {
                return format!("{who} runs a step.");
            };
            let resumes = match replay.model.lanes[s.task as usize].steps.first() {
                Some(&first) if replay.model.steps[first as usize].event == s.event => "starts".to_string(),
                _ => {
                    let lane = &replay.model.lanes[s.task as usize];
                    let k = lane
                        .steps
                        .partition_point(|&x| replay.model.steps[x as usize].event < s.event);
                    let previous = k.checked_sub(1).map(|i| &replay.model.steps[lane.steps[i] as usize]);
                    match previous.map(|p| p.wait) {
                        Some(Wait::Finished) | Some(Wait::Future(FutureLabel::Plain)) | None => "resumes".to_string(),
                        Some(w) => format!("resumes after `await {}`", wait_label(replay, &w, moment)),
                    }
                }
            };
            let why = s
                .woken_by
                .and_then(|a| replay.model.arrows.get(a as usize))
                .map(|a| woken_because(replay, &a.by, s.task, a.event))
                .map(|w| format!("{}, so ", w))
                .unwrap_or_default();
            let long = if s.end_time - s.time > 1e-9 {
                format!(
                    " It holds the loop for {} s without awaiting: every other task waits.",
                    py_seconds(s.end_time - s.time)
                )
            } else {
                String::new()
            };
            capitalise(&format!("{why}{who} {resumes} and {}.{long}", until(replay, s, moment)))
        }
        EventKind::StepEnd { awaiting } => match (awaiting, step_item) {
            (Some(_), Some(s)) => {
                let why = match s.wait {
                    Wait::Future(label) => why_it_waits(label).map(|w| format!(": {w}")),
                    _ => None,
                };
                format!(
                    "{who} awaits {} and gives the loop back{}; the loop goes on with the next ready task.",
                    wait_label(replay, &s.wait, moment),
                    why.unwrap_or_default()
                )
            }
            _ => format!("{who}'s coroutine has finished its last step."),
        },
        EventKind::Exited { outcome } => match outcome {
            Outcome::Returned if e.task == Some(0) => {
                format!("{who}, the main task, returns: asyncio.run gets its result and the run ends.")
            }
            Outcome::Returned => format!("{who} returns: a task awaiting it is woken."),
            Outcome::Failed { error } => {
                format!("{who} fails with {error}: whoever awaits it gets the exception.")
            }
            Outcome::Cancelled => format!("{who} ends cancelled: CancelledError went up through its awaits."),
        },
        EventKind::TimerSet { deadline, .. } => format!(
            "{who} sets a timer for {:.3} s ({} s from now): until then it waits and the loop runs others.",
            deadline,
            py_seconds(deadline - e.time)
        ),
        EventKind::TimerFired { timer } => {
            format!("Timer {timer} is due: the loop runs its callback, which wakes whoever waits on it.")
        }
        EventKind::TimerCancelled { timer } => format!("Timer {timer} is cancelled before it fires."),
        EventKind::ClockAdvanced { from } => format!(
            "Nothing is ready, so the loop waits for its next timer: the clock moves from {from:.3} s to {:.3} s.",
            e.time
        ),
        EventKind::CancelRequested { by } => format!(
            "{} calls cancel() on {who}: CancelledError will be raised inside {who} at its next await.",
            by.map_or_else(|| "The program".to_string(), |b| replay.name_at(b, moment))
        ),
        EventKind::Warning { text } => format!("asyncio reports: {text}"),
        EventKind::Log { text, .. } => format!("{who} prints \u{201c}{text}\u{201d}."),
    }
}

/// Event `index` in a few words: `Task-1: created`, `Task-2: suspends`, `the loop: timer fires`.
pub fn describe(trace: &Trace, replay: &Replay, index: usize) -> String {
    let Some(e) = event(trace, index) else {
        return String::new();
    };
    let what = match &e.kind {
        EventKind::Spawned { .. } => "created",
        EventKind::Renamed { .. } => "renamed",
        EventKind::Scheduled { .. } => "put on the ready queue",
        EventKind::StepBegin => "runs a step",
        EventKind::StepEnd { awaiting: Some(_) } => "suspends",
        EventKind::StepEnd { awaiting: None } => "step ends",
        EventKind::Exited { .. } => "finishes",
        EventKind::TimerSet { .. } => "sets a timer",
        EventKind::TimerFired { .. } => "a timer fires",
        EventKind::TimerCancelled { .. } => "a timer is cancelled",
        EventKind::ClockAdvanced { .. } => "the clock jumps",
        EventKind::CancelRequested { .. } => "cancel() requested",
        EventKind::Warning { .. } => "a warning",
        EventKind::Log { .. } => "prints",
    };
    format!("{}: {what}", name(replay, e.task, index))
}

/// The sentence with its first letter in capitals (ASCII: names and our words; Unicode's case
/// tables would add several kilobytes to the page).
fn capitalise(s: &str) -> String {
    let mut out = s.to_string();
    if out.starts_with("asyncio.") {
        return out;
    }
    if let Some(first) = out.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// The details of what was clicked: a title and lines of facts.
pub fn details(replay: &Replay, hit: Hit) -> Option<(String, Vec<String>)> {
    let m = &replay.model;
    match hit {
        Hit::Step(s) => {
            let st = m.steps.get(s as usize)?;
            let who = replay.name_at(st.task, st.event);
            let lane = &m.lanes[st.task as usize];
            let n = lane.steps.iter().position(|x| *x == s).map_or(0, |i| i + 1);
            let mut lines = vec![
                format!(
                    "Step {n} of {}, in loop iteration {}, at {:.3} s.",
                    lane.steps.len(),
                    st.iteration,
                    st.time
                ),
                if st.end_time - st.time > 1e-9 {
                    format!(
                        "It held the loop for {} s, from {:.3} s to {:.3} s: nothing else could run.",
                        py_seconds(st.end_time - st.time),
                        st.time,
                        st.end_time
                    )
                } else {
                    "It took no loop time (only a blocking call would).".to_string()
                },
            ];
            if let Some(a) = st.woken_by.and_then(|a| m.arrows.get(a as usize)) {
                lines.push(format!(
                    "Woken at {:.3} s: {}.",
                    a.time,
                    woken_because(replay, &a.by, st.task, a.event)
                ));
            }
            lines.push(match st.wait {
                Wait::Finished => format!("After it, {who} {}.", outcome_words(&lane.outcome)),
                w => format!("After it, {who} awaits {}.", wait_label(replay, &w, st.end_event)),
            });
            Some((format!("{who}: a step"), lines))
        }
        Hit::Arrow(a) => {
            let ar = m.arrows.get(a as usize)?;
            let to = replay.name_at(ar.to, ar.event);
            Some((
                format!("A wake-up of {to}"),
                vec![
                    format!(
                        "At {:.3} s (iteration {}): {}.",
                        ar.time,
                        ar.iteration,
                        woken_because(replay, &ar.by, ar.to, ar.event)
                    ),
                    format!(
                        "{to} went on the ready queue and ran in iteration {}, at {:.3} s.",
                        ar.to_iteration, ar.to_time
                    ),
                ],
            ))
        }
        Hit::Mark(k) => {
            let mk = m.marks.get(k as usize)?;
            let who = name(replay, mk.task, mk.event);
            let what = match mk.kind {
                MarkKind::Log => format!("{who} printed \u{201c}{}\u{201d}", mk.text),
                MarkKind::Warning => format!("asyncio warned: {}", mk.text),
                MarkKind::TimerSet => format!("{who}: {}", mk.text),
                MarkKind::TimerFired => format!("The loop: {}", mk.text),
                MarkKind::Cancel => format!("cancel() was requested for {who}"),
            };
            Some((
                what.clone(),
                vec![
                    format!("At {:.3} s, in loop iteration {}.", mk.time, mk.iteration),
                    what,
                ],
            ))
        }
        Hit::LaneName(i) => {
            let lane = m.lanes.get(i)?;
            Some((
                format!("Task {}", lane.name),
                vec![
                    format!("Created at {:.3} s; {} steps.", lane.start_time, lane.steps.len()),
                    format!(
                        "It {} at {:.3} s.",
                        match lane.outcome {
                            None => "was still pending".to_string(),
                            ref o => outcome_words(o),
                        },
                        lane.end_time
                    ),
                ],
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos;

    fn setup(id: &str) -> (Trace, Replay) {
        let t = demos::find(id).unwrap().run_traced().trace.unwrap();
        let r = Replay::new(&t);
        (t, r)
    }

    #[test]
    fn a_step_woken_by_a_timer_says_which_sleep_ended_and_what_comes_next() {
        let (t, r) = setup("gather");
        // Task-4 sleeps 0.5 s, then resumes.
        let s = r
            .model
            .steps
            .iter()
            .find(|s| s.time == 0.5 && s.task == 3)
            .expect("Task-4's second step");
        let text = narrate(&t, &r, s.event);
        assert_eq!(
            text,
            "The timer for 0.5 s fired, so Task-4 resumes after `await sleep(0.5)` and runs to its end."
        );
    }

    #[test]
    fn every_event_of_every_demo_is_narrated_in_a_sentence() {
        for demo in demos::DEMOS {
            let t = demo.run_traced().trace.unwrap();
            let r = Replay::new(&t);
            for m in 0..r.len() {
                let s = narrate(&t, &r, m);
                assert!(s.len() > 10 && !s.contains("{"), "{}: {m}: {s}", demo.id);
            }
        }
    }

    #[test]
    fn creating_sleeping_and_blocking_are_explained() {
        let (t, r) = setup("blocking-the-loop");
        let spawned = t
            .events
            .iter()
            .position(|e| matches!(e.kind, EventKind::Spawned { .. }) && e.task == Some(1))
            .unwrap();
        assert!(narrate(&t, &r, spawned).starts_with("Task-1 creates the task heartbeat"));
        let block = r.model.steps.iter().find(|s| s.end_time - s.time > 0.4).unwrap();
        assert!(narrate(&t, &r, block.event).contains("holds the loop for 0.5 s"));
        let jump = t
            .events
            .iter()
            .position(|e| matches!(e.kind, EventKind::ClockAdvanced { .. }))
            .unwrap();
        assert!(narrate(&t, &r, jump).starts_with("Nothing is ready"));
    }

    #[test]
    fn details_of_a_step_an_arrow_and_a_mark() {
        let (_, r) = setup("blocking-the-loop");
        let s = r.model.steps.iter().position(|s| s.end_time - s.time > 0.4).unwrap();
        let (title, lines) = details(&r, Hit::Step(s as u32)).unwrap();
        assert_eq!(title, "cruncher: a step");
        assert!(lines.iter().any(|l| l.contains("held the loop for 0.5 s")), "{lines:?}");
        let (title, _) = details(&r, Hit::Arrow(0)).unwrap();
        assert!(title.starts_with("A wake-up of"));
        let (title, _) = details(&r, Hit::Mark(0)).unwrap();
        assert!(!title.is_empty());
    }
}

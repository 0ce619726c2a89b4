//! Playback: the clock that moves the moment while playing, and the keyboard's map to actions.
//! Plain Rust; the page only feeds it animation-frame times and key presses.

use super::replay::Replay;

/// Speeds offered for playback.
pub const SPEEDS: &[f64] = &[0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0];

/// The playback clock: loop time flows at the chosen speed (1× is one virtual second per
/// second), and the events of one instant go by at 40 a second (times the speed), so a burst of
/// zero-duration steps is seen one by one.
#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    /// Playing or paused.
    pub playing: bool,
    /// The speed.
    pub speed: f64,
    /// The loop time shown.
    pub time: f64,
    event_budget: f64,
    last_frame: Option<f64>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock {
            playing: false,
            speed: 1.0,
            time: 0.0,
            event_budget: 0.0,
            last_frame: None,
        }
    }
}

impl Clock {
    /// Starts or pauses; starting at the end starts over. Returns the moment to show.
    pub fn toggle(&mut self, replay: &Replay, moment: usize) -> usize {
        self.playing = !self.playing;
        self.last_frame = None;
        self.event_budget = 0.0;
        if self.playing && moment >= replay.last() {
            self.time = 0.0;
            return 0;
        }
        self.time = replay.time(moment);
        moment
    }

    /// Sets the speed (clamped to the offered range).
    pub fn set_speed(&mut self, speed: f64) {
        self.speed = if speed.is_finite() {
            speed.clamp(0.25, 16.0)
        } else {
            1.0
        };
    }

    /// Follows a jump to `moment` made by hand.
    pub fn jumped(&mut self, replay: &Replay, moment: usize) {
        self.time = replay.time(moment);
    }

    /// One animation frame at `now` (milliseconds): the next moment. Stops at the end.
    pub fn tick(&mut self, replay: &Replay, moment: usize, now: f64) -> usize {
        if !self.playing {
            return moment;
        }
        let dt = self.last_frame.map_or(0.0, |t| ((now - t) / 1000.0).clamp(0.0, 0.25));
        self.last_frame = Some(now);
        let mut time_budget = dt * self.speed;
        self.event_budget += dt * 40.0 * self.speed;
        let last = replay.last();
        let mut m = moment.min(last);
        while m < last {
            let next_time = replay.time(m + 1);
            if next_time <= self.time + 1e-9 {
                if self.event_budget < 1.0 {
                    break;
                }
                self.event_budget -= 1.0;
                m += 1;
            } else {
                let step = (next_time - self.time).min(time_budget);
                self.time += step;
                time_budget -= step;
                if self.time + 1e-9 < next_time {
                    break;
                }
            }
        }
        self.event_budget = self.event_budget.min(4.0);
        if m >= last {
            self.playing = false;
        }
        m
    }
}

/// What a key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Play or pause.
    TogglePlay,
    /// One event back.
    Back,
    /// One event forward.
    Forward,
    /// To the next loop iteration.
    NextIteration,
    /// To the previous loop iteration.
    PreviousIteration,
    /// To the first event.
    Start,
    /// To the last event.
    End,
    /// Zoom in.
    ZoomIn,
    /// Zoom out.
    ZoomOut,
    /// Show the whole run.
    Fit,
}

/// What has the keyboard's focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// A text field, a select or a range: its own keys win.
    Field,
    /// A button or link: Space and Enter press it.
    Button,
    /// Anything else (the page, the canvas, a pane).
    Other,
}

/// The action of `key` (a `KeyboardEvent.key`) with Shift held or not, given what has focus.
pub fn action_for(key: &str, shift: bool, focus: Focus) -> Option<Action> {
    if focus == Focus::Field {
        return None;
    }
    if focus == Focus::Button && matches!(key, " " | "Enter") {
        return None;
    }
    Some(match (key, shift) {
        (" " | "k", _) => Action::TogglePlay,
        ("ArrowRight", false) => Action::Forward,
        ("ArrowLeft", false) => Action::Back,
        ("ArrowRight", true) => Action::NextIteration,
        ("ArrowLeft", true) => Action::PreviousIteration,
        ("Home", _) => Action::Start,
        ("End", _) => Action::End,
        ("+" | "=", _) => Action::ZoomIn,
        ("-", _) => Action::ZoomOut,
        ("0", _) => Action::Fit,
        _ => return None,
    })
}

/// The moment after `action` from `moment`, for the actions that move it.
pub fn moved(replay: &Replay, moment: usize, action: Action) -> Option<usize> {
    let last = replay.last();
    Some(match action {
        Action::Back => moment.saturating_sub(1),
        Action::Forward => (moment + 1).min(last),
        Action::NextIteration => replay.next_iteration(moment),
        Action::PreviousIteration => replay.previous_iteration(moment),
        Action::Start => 0,
        Action::End => last,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos;

    fn replay(id: &str) -> Replay {
        Replay::new(&demos::find(id).unwrap().run_traced().trace.unwrap())
    }

    #[test]
    fn playing_moves_through_time_at_the_speed_and_stops_at_the_end() {
        let r = replay("mental-model");
        let mut clock = Clock::default();
        let mut m = clock.toggle(&r, 0);
        assert!(clock.playing);
        let mut now = 0.0;
        // One second of frames at 1×: at most one virtual second passes.
        for _ in 0..60 {
            now += 1000.0 / 60.0;
            m = clock.tick(&r, m, now);
        }
        assert!(clock.time <= 1.0 + 1e-9 && clock.time > 0.5, "{}", clock.time);
        clock.set_speed(16.0);
        for _ in 0..600 {
            now += 1000.0 / 60.0;
            m = clock.tick(&r, m, now);
        }
        assert_eq!(m, r.last());
        assert!(!clock.playing, "stops at the end");
        // Playing again from the end starts over.
        assert_eq!(clock.toggle(&r, m), 0);
    }

    #[test]
    fn space_presses_a_focused_button_and_fields_keep_their_keys() {
        assert_eq!(action_for(" ", false, Focus::Other), Some(Action::TogglePlay));
        assert_eq!(action_for(" ", false, Focus::Button), None);
        assert_eq!(action_for("Enter", false, Focus::Button), None);
        assert_eq!(action_for("ArrowRight", false, Focus::Button), Some(Action::Forward));
        assert_eq!(
            action_for("ArrowRight", true, Focus::Other),
            Some(Action::NextIteration)
        );
        assert_eq!(action_for("ArrowLeft", false, Focus::Field), None);
        assert_eq!(action_for("x", false, Focus::Other), None);
    }

    #[test]
    fn moves_stay_inside_the_run() {
        let r = replay("gather");
        assert_eq!(moved(&r, 0, Action::Back), Some(0));
        assert_eq!(moved(&r, r.last(), Action::Forward), Some(r.last()));
        assert_eq!(moved(&r, 3, Action::End), Some(r.last()));
        assert_eq!(moved(&r, 3, Action::ZoomIn), None);
        let next = moved(&r, 0, Action::NextIteration).unwrap();
        assert_eq!(r.iteration(next), r.iteration(0) + 1);
    }
}

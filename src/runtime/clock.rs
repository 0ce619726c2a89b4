//! The loop's clock: virtual (jumps to the next deadline at once) or real (waits for it).
//!
//! The virtual clock copies the arithmetic of `looptime`, the virtual clock the Python twins run
//! on, so that deadlines compare the same way on both sides: the time is kept as a whole number
//! of microseconds, `time()` is that number divided by 10^6, a deadline is `time() + delay` in
//! floating point (as `call_later` computes it), and a jump moves the clock by
//! `round((deadline - time()) * 10^6)` microseconds, Python's `round` rounding halves to even.

use std::cell::Cell;
use std::rc::Rc;

/// Microseconds per second: looptime's default resolution of 1e-6 s, as an integer reciprocal.
const TICKS_PER_SECOND: f64 = 1_000_000.0;

/// asyncio never waits longer than a day in one select (`MAXIMUM_SELECT_TIMEOUT`).
const MAXIMUM_SELECT_TIMEOUT: f64 = 24.0 * 3600.0;

/// How far ahead of `time()` a timer still counts as due: `time.get_clock_info("monotonic")
/// .resolution` on Linux, which asyncio adds to the time before comparing deadlines.
pub(crate) const CLOCK_RESOLUTION: f64 = 1e-9;

/// A source of real time in seconds (any origin): the host provides it, because the executor
/// core does not know whether it runs natively or in a browser.
pub type TimeSource = Rc<dyn Fn() -> f64>;

/// Which clock a loop runs on.
#[derive(Clone, Default)]
pub enum ClockKind {
    /// Virtual time, starting at 0: when nothing is ready, the clock jumps to the next deadline.
    #[default]
    Virtual,
    /// Real time, starting at 0 when the loop starts: when nothing is ready, the host waits until
    /// the next deadline (natively by sleeping the thread, in a page by a timer).
    Real(TimeSource),
}

impl ClockKind {
    /// The real clock of a native process (`std::time::Instant`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn real_native() -> Self {
        let start = std::time::Instant::now();
        ClockKind::Real(Rc::new(move || start.elapsed().as_secs_f64()))
    }

    /// Whether this is the virtual clock.
    pub fn is_virtual(&self) -> bool {
        matches!(self, ClockKind::Virtual)
    }
}

impl std::fmt::Debug for ClockKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.is_virtual() { "Virtual" } else { "Real" })
    }
}

pub(crate) struct Clock {
    kind: ClockKind,
    /// Virtual: the time in microseconds. Real: unused. (A cell: the loop reads the time for
    /// every traced event, and a read through a `RefCell` is a call at opt-level "z".)
    ticks: Cell<i64>,
    /// Real: the source's reading when the loop started.
    origin: f64,
}

impl Clock {
    pub(crate) fn new(kind: ClockKind) -> Self {
        let origin = match &kind {
            ClockKind::Virtual => 0.0,
            ClockKind::Real(source) => source(),
        };
        Clock {
            kind,
            ticks: Cell::new(0),
            origin,
        }
    }

    pub(crate) fn is_virtual(&self) -> bool {
        self.kind.is_virtual()
    }

    /// `loop.time()`.
    #[inline(always)]
    pub(crate) fn now(&self) -> f64 {
        match &self.kind {
            ClockKind::Virtual => self.ticks.get() as f64 / TICKS_PER_SECOND,
            ClockKind::Real(source) => source() - self.origin,
        }
    }

    /// Virtual clock only: jump to `deadline` the way looptime's select does. Returns the time
    /// before the jump. The jump is at least one microsecond, so a deadline closer than half a
    /// microsecond cannot stall the loop (looptime would spin there; no demo comes near it).
    pub(crate) fn jump_to(&self, deadline: f64) -> f64 {
        let before = self.now();
        let timeout = (deadline - before).clamp(0.0, MAXIMUM_SELECT_TIMEOUT);
        let step = (timeout * TICKS_PER_SECOND).round_ties_even() as i64;
        self.ticks.set(self.ticks.get() + step.max(1));
        before
    }

    /// Virtual clock only: spend `seconds` of simulated work (a CPU-bound step's declared cost).
    pub(crate) fn spend(&self, seconds: f64) {
        let spent = (seconds.max(0.0) * TICKS_PER_SECOND).round_ties_even() as i64;
        self.ticks.set(self.ticks.get() + spent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_time_is_ticks_over_a_million() {
        let clock = Clock::new(ClockKind::Virtual);
        clock.jump_to(0.1);
        // looptime: 100_000 / 1_000_000 == 0.1 exactly, whereas 100_000 * 1e-6 is not.
        assert_eq!(clock.now(), 0.1);
        clock.jump_to(0.1 + 0.2);
        assert_eq!(clock.now(), 0.3);
    }

    #[test]
    fn a_clock_kind_shows_which_it_is() {
        assert_eq!(format!("{:?}", ClockKind::Virtual), "Virtual");
        assert_eq!(format!("{:?}", ClockKind::Real(Rc::new(|| 0.0))), "Real");
    }

    #[test]
    fn jump_rounds_half_microseconds_to_even_like_python_round() {
        let clock = Clock::new(ClockKind::Virtual);
        clock.jump_to(2.5e-6);
        assert_eq!(clock.ticks.get(), 2);
        clock.jump_to(clock.now() + 3.5e-6);
        assert_eq!(clock.ticks.get(), 6);
    }
}

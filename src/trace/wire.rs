//! A trace as bytes, for handing it from one wasm module to another: the Python lab's worker
//! records a trace and the page draws it. JSON would do, but reading it back needs serde's
//! deserializers, which would cost the page's bundle a tenth of its size; this format is read
//! by a few lines of code.
//!
//! The layout (numbers are LEB128 varints, floats 8 little-endian bytes, texts their count of
//! characters then each character's code point as a varint: no UTF-8 check, which would be the
//! page's only one): the magic `LLT1`; the end time, the iteration count; the sources; the event
//! count; then each event: its iteration, its time, its task (0 for none, else id + 1), a tag
//! byte and the fields of its kind.

use super::event::{Awaiting, Event, EventKind, FutureLabel, Outcome, TaskId, TaskName, Waker};
use super::{Events, Trace};

const MAGIC: &[u8; 4] = b"LLT1";

/// What any damaged trace is refused with (one message keeps the page's bundle small).
const DAMAGED: &str = "the trace is damaged";

struct Writer(Vec<u8>);

impl Writer {
    fn varint(&mut self, mut n: u64) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    fn float(&mut self, x: f64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }

    fn text(&mut self, s: &str) {
        self.varint(s.chars().count() as u64);
        for c in s.chars() {
            self.varint(u64::from(c));
        }
    }

    fn option(&mut self, n: Option<u64>) {
        self.varint(n.map_or(0, |n| n + 1));
    }

    fn name(&mut self, name: &TaskName) {
        match name {
            TaskName::Numbered(n) => {
                self.0.push(0);
                self.varint(*n);
            }
            TaskName::Given(text) => {
                self.0.push(1);
                self.text(text);
            }
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

// Reading gives `None` for any damage: one way to fail keeps the page's bundle small.
impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn small(&mut self) -> Option<u32> {
        u32::try_from(self.varint()?).ok()
    }

    fn float(&mut self) -> Option<f64> {
        let bytes = self.bytes.get(self.at..self.at.checked_add(8)?)?;
        self.at += 8;
        Some(f64::from_le_bytes(bytes.try_into().ok()?))
    }

    fn text(&mut self) -> Option<String> {
        let len = self.varint()?;
        // Never more characters than bytes left: a damaged length cannot reserve much.
        let mut text = String::with_capacity(usize::try_from(len).ok()?.min(self.bytes.len().saturating_sub(self.at)));
        for _ in 0..len {
            text.push(char::from_u32(self.small()?)?);
        }
        Some(text)
    }

    /// An optional number (0 for none, else n + 1).
    fn option(&mut self) -> Option<Option<u64>> {
        Some(self.varint()?.checked_sub(1))
    }

    fn task(&mut self) -> Option<Option<TaskId>> {
        match self.option()? {
            None => Some(None),
            Some(n) => Some(Some(TaskId::try_from(n).ok()?)),
        }
    }

    fn at(&mut self) -> Option<Option<u32>> {
        match self.option()? {
            None => Some(None),
            Some(n) => Some(Some(u32::try_from(n).ok()?)),
        }
    }

    fn name(&mut self) -> Option<TaskName> {
        Some(match self.byte()? {
            0 => TaskName::Numbered(self.varint()?),
            1 => TaskName::Given(self.text()?.into()),
            _ => return None,
        })
    }
}

impl Trace {
    /// The trace as bytes (see the module's documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(16 * self.events.len() + 64));
        w.0.extend_from_slice(MAGIC);
        w.float(self.end_time);
        w.varint(self.iterations);
        w.varint(self.sources.len() as u64);
        for source in &self.sources {
            w.text(source);
        }
        w.varint(self.events.len() as u64);
        for event in self.events.iter() {
            write_event(&mut w, &event);
        }
        w.0
    }

    /// A trace from the bytes [`Trace::to_bytes`] made; anything else is refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<Trace, String> {
        read(bytes).ok_or_else(|| DAMAGED.to_string())
    }
}

fn read(bytes: &[u8]) -> Option<Trace> {
    let mut r = Reader { bytes, at: 0 };
    if bytes.get(..4) != Some(MAGIC) {
        return None;
    }
    r.at = 4;
    {
        let end_time = r.float()?;
        let iterations = r.varint()?;
        let count = r.varint()?;
        let mut sources = Vec::new();
        for _ in 0..count {
            sources.push(r.text()?);
        }
        let count = r.varint()?;
        let mut events = Events::new();
        for _ in 0..count {
            let event = read_event(&mut r)?;
            events.push(event.iteration, event.time, event.task, event.kind);
        }
        (r.at == bytes.len()).then(|| Trace::new(events, end_time, iterations, sources))
    }
}

fn write_event(w: &mut Writer, event: &Event) {
    w.varint(event.iteration);
    w.float(event.time);
    w.option(event.task.map(u64::from));
    match &event.kind {
        EventKind::Spawned { name, parent } => {
            w.0.push(0);
            w.name(name);
            w.option(parent.map(u64::from));
        }
        EventKind::Renamed { name } => {
            w.0.push(1);
            w.name(name);
        }
        EventKind::Scheduled { by } => {
            w.0.push(2);
            match by {
                Waker::Task(t) => {
                    w.0.push(0);
                    w.varint(u64::from(*t));
                }
                Waker::Timer(n) => {
                    w.0.push(1);
                    w.varint(*n);
                }
                Waker::Loop => w.0.push(2),
                Waker::External => w.0.push(3),
            }
        }
        EventKind::StepBegin => w.0.push(3),
        EventKind::StepEnd { awaiting } => {
            w.0.push(4);
            match awaiting {
                None => w.0.push(0),
                Some(Awaiting::Future(label)) => {
                    w.0.push(1);
                    w.0.push(*label as u8);
                }
                Some(Awaiting::Task(t)) => {
                    w.0.push(2);
                    w.varint(u64::from(*t));
                }
                Some(Awaiting::Gather(children)) => {
                    w.0.push(3);
                    w.varint(children.len() as u64);
                    for child in children {
                        w.option(child.map(u64::from));
                    }
                }
            }
        }
        EventKind::Exited { outcome } => {
            w.0.push(5);
            match outcome {
                Outcome::Returned => w.0.push(0),
                Outcome::Cancelled => w.0.push(1),
                Outcome::Failed { error } => {
                    w.0.push(2);
                    w.text(error);
                }
            }
        }
        EventKind::TimerSet { timer, deadline, at } => {
            w.0.push(6);
            w.varint(*timer);
            w.float(*deadline);
            w.option(at.map(u64::from));
        }
        EventKind::TimerFired { timer } => {
            w.0.push(7);
            w.varint(*timer);
        }
        EventKind::TimerCancelled { timer } => {
            w.0.push(8);
            w.varint(*timer);
        }
        EventKind::ClockAdvanced { from } => {
            w.0.push(9);
            w.float(*from);
        }
        EventKind::CancelRequested { by } => {
            w.0.push(10);
            w.option(by.map(u64::from));
        }
        EventKind::Warning { text } => {
            w.0.push(11);
            w.text(text);
        }
        EventKind::Log { text, at } => {
            w.0.push(12);
            w.text(text);
            w.option(at.map(u64::from));
        }
    }
}

fn read_event(r: &mut Reader) -> Option<Event> {
    let iteration = r.varint()?;
    let time = r.float()?;
    let task = r.task()?;
    let kind = match r.byte()? {
        0 => EventKind::Spawned {
            name: r.name()?,
            parent: r.task()?,
        },
        1 => EventKind::Renamed { name: r.name()? },
        2 => EventKind::Scheduled {
            by: match r.byte()? {
                0 => Waker::Task(r.small()?),
                1 => Waker::Timer(r.varint()?),
                2 => Waker::Loop,
                3 => Waker::External,
                _ => return None,
            },
        },
        3 => EventKind::StepBegin,
        4 => EventKind::StepEnd {
            awaiting: match r.byte()? {
                0 => None,
                1 => Some(Awaiting::Future(FutureLabel::from_code(r.byte()?))),
                2 => Some(Awaiting::Task(r.small()?)),
                3 => {
                    let n = r.varint()?;
                    let mut children = Vec::new();
                    for _ in 0..n {
                        children.push(r.task()?);
                    }
                    Some(Awaiting::Gather(children))
                }
                _ => return None,
            },
        },
        5 => EventKind::Exited {
            outcome: match r.byte()? {
                0 => Outcome::Returned,
                1 => Outcome::Cancelled,
                2 => Outcome::Failed { error: r.text()? },
                _ => return None,
            },
        },
        6 => EventKind::TimerSet {
            timer: r.varint()?,
            deadline: r.float()?,
            at: r.at()?,
        },
        7 => EventKind::TimerFired { timer: r.varint()? },
        8 => EventKind::TimerCancelled { timer: r.varint()? },
        9 => EventKind::ClockAdvanced { from: r.float()? },
        10 => EventKind::CancelRequested { by: r.task()? },
        11 => EventKind::Warning { text: r.text()? },
        12 => EventKind::Log {
            text: r.text()?,
            at: r.at()?,
        },
        _ => return None,
    };
    Some(Event {
        iteration,
        time,
        task,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demos_trace_comes_back_from_its_bytes_the_same() {
        for demo in crate::demos::DEMOS {
            let trace = demo.run_traced().trace.expect("traced");
            let back = Trace::from_bytes(&trace.to_bytes()).expect("read back");
            assert_eq!(back.to_json(), trace.to_json(), "{}", demo.id);
        }
    }

    #[test]
    fn any_text_comes_back_and_a_code_point_that_is_no_character_is_refused() {
        let text = "\u{e9}t\u{e9} \u{2713} \u{1f600} \0 end";
        let mut events = Events::new();
        events.push(0, 0.0, None, EventKind::Warning { text: text.to_string() });
        let trace = Trace::new(events, 0.0, 1, vec!["main.py:3".to_string()]);
        let bytes = trace.to_bytes();
        let back = Trace::from_bytes(&bytes).expect("read back");
        assert_eq!(back.to_json(), trace.to_json());
        // The last character of the text is its only `d` (0x64): a surrogate there is refused.
        let d = bytes.iter().rposition(|&b| b == b'd').expect("the d");
        let mut damaged = bytes[..d].to_vec();
        damaged.extend_from_slice(&[0x80, 0xb0, 0x03]); // 0xd800 as a varint
        damaged.extend_from_slice(&bytes[d + 1..]);
        assert!(Trace::from_bytes(&damaged).is_err());
    }

    #[test]
    fn damaged_bytes_are_refused_with_a_message() {
        let trace = crate::demos::DEMOS[0].run_traced().trace.expect("traced");
        let bytes = trace.to_bytes();
        assert!(Trace::from_bytes(b"nope").is_err());
        for cut in [5, bytes.len() / 2, bytes.len() - 1] {
            assert!(Trace::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Trace::from_bytes(&longer).is_err());
    }
}

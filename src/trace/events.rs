//! How a trace keeps its events: compactly while the loop records them, decoded one at a time
//! when a view reads them.
//!
//! A traced run records three or more events per task step, so recording has to cost little and
//! keep little. Each event is stored as a [`Record`] of 16 bytes: what happened (a tag and a few
//! flag bits), the task it concerns, and one 64-bit payload (a task id, a timer number, the bits
//! of a float, the index of an interned string...). What does not fit goes to a side table the
//! payload points into: a timer's deadline and source line, the children of a gather. Every
//! text (a given task name, a log line, a warning, a failure) is interned: kept once, however
//! often it is recorded.
//!
//! The iteration and the loop's time change far less often than events happen, so they are not
//! stored per event but as deltas: a list of the points where each changes (the first event with
//! the new value). An event's iteration and time are those of the last change at or before it.
//! The recorder says when they change ([`Events::set_now`]), so an event costs nothing here: the
//! loop does at each new iteration and each move of its virtual clock (on the real clock, whose
//! time moves by itself, before every event).
//!
//! Records live in chunks of a fixed size: a growing trace is never copied, and never holds more
//! than one chunk of spare room.
//!
//! A view reads the events as [`Event`] values ([`Events::get`], [`Events::iter`]), each decoded
//! when it is read.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::event::{Awaiting, Event, EventKind, FutureLabel, Outcome, TaskId, TaskName, Waker};
use super::TaskInfo;

/// Records per chunk: 4096 of 16 bytes, 64 KiB (small enough for the allocator's ordinary heap).
/// The first chunk grows to this size as any vector does; the later ones are made at this size.
const CHUNK: usize = 4096;

/// "No event" in a task's index entry.
const NONE: usize = usize::MAX;

/// What happened, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Tag {
    Spawned,
    Renamed,
    Scheduled,
    StepBegin,
    StepEnd,
    Exited,
    TimerSet,
    TimerFired,
    TimerCancelled,
    ClockAdvanced,
    CancelRequested,
    Warning,
    Log,
}

impl Tag {
    /// Every tag, in the order of their codes.
    const ALL: [Tag; 13] = [
        Tag::Spawned,
        Tag::Renamed,
        Tag::Scheduled,
        Tag::StepBegin,
        Tag::StepEnd,
        Tag::Exited,
        Tag::TimerSet,
        Tag::TimerFired,
        Tag::TimerCancelled,
        Tag::ClockAdvanced,
        Tag::CancelRequested,
        Tag::Warning,
        Tag::Log,
    ];
}

/// One event, encoded in 16 bytes. The payload and the low bits of `flags`, by tag:
///
/// | tag | flags | payload |
/// | --- | --- | --- |
/// | `Spawned` | `GIVEN_NAME`, `HAS_VALUE` (a parent) | the name (low half), the parent (high half) |
/// | `Renamed` | `GIVEN_NAME` | the name |
/// | `Scheduled` | the waker's kind (`WAKER_*`) | its task or timer |
/// | `StepEnd` | what the task awaits (`AWAITS_*`) | its task, its gather's index, or its future's [`FutureLabel`] |
/// | `Exited` | the outcome (`OUTCOME_*`) | a failure's text |
/// | `TimerSet` | | the index of its [`TimerSetting`] |
/// | `TimerFired`, `TimerCancelled` | | the timer |
/// | `ClockAdvanced` | | the time before, as bits |
/// | `CancelRequested` | `HAS_VALUE` | the task that asked |
/// | `Warning` | | the text |
/// | `Log` | `HAS_VALUE` (a source line) | the text (low half), the source line (high half) |
///
/// A name is a `Task-N` number, or with `GIVEN_NAME` an interned text; a text is an index into
/// the interned strings.
#[derive(Clone, Copy, Debug)]
struct Record {
    payload: u64,
    task: TaskId,
    tag: Tag,
    flags: u8,
}

impl Record {
    /// What stands in for a record that is not there (a task named `Task-0`).
    const MISSING: Record = Record {
        payload: 0,
        task: 0,
        tag: Tag::Spawned,
        flags: 0,
    };

    /// The record as a chunk stores it: the payload, then the task, tag and flags in one word.
    /// (Two words, zero for room not yet filled: a new chunk is zeroed memory, not written
    /// record by record. `MISSING` packs to zeros.)
    #[inline(always)]
    fn pack(self) -> Packed {
        [
            self.payload,
            u64::from(self.task) | u64::from(self.tag as u8) << 32 | u64::from(self.flags) << 40,
        ]
    }

    fn unpack([payload, rest]: Packed) -> Record {
        Record {
            payload,
            task: rest as u32,
            tag: Tag::ALL
                .get((rest >> 32) as u8 as usize)
                .copied()
                .unwrap_or(Tag::Spawned),
            flags: (rest >> 40) as u8,
        }
    }
}

/// A [`Record`] as stored.
type Packed = [u64; 2];

/// What a record stores beside its task and payload: the kind of event and its flags. (Two
/// bytes, passed as two values, as a record's payload is: see [`Events::compact`].)
#[derive(Clone, Copy, Debug)]
pub struct Head {
    tag: Tag,
    flags: u8,
}

/// The record concerns a task (`Record::task`).
const HAS_TASK: u8 = 0x80;
/// The optional value of the tag is there.
const HAS_VALUE: u8 = 0x40;
/// The name is an interned text, not a `Task-N` number.
const GIVEN_NAME: u8 = 0x20;
/// The low bits that say which variant of a field the record holds.
const VARIANT: u8 = 0x0f;

const WAKER_TASK: u8 = 0;
const WAKER_TIMER: u8 = 1;
const WAKER_LOOP: u8 = 2;
const WAKER_EXTERNAL: u8 = 3;

const AWAITS_NOTHING: u8 = 0;
const AWAITS_FUTURE: u8 = 1;
const AWAITS_TASK: u8 = 2;
const AWAITS_GATHER: u8 = 3;

const OUTCOME_RETURNED: u8 = 0;
const OUTCOME_FAILED: u8 = 1;
const OUTCOME_CANCELLED: u8 = 2;

/// What a `TimerSet` carries beyond its record.
#[derive(Clone, Copy, Debug)]
struct TimerSetting {
    timer: u64,
    deadline: f64,
    at: Option<u32>,
}

/// A task's events, by index: where the trace finds what it shows of the task.
#[derive(Clone, Copy, Debug)]
struct TaskEntry {
    spawned: usize,
    /// The last `Renamed`, or `NONE`.
    renamed: usize,
    /// The `Exited`, or `NONE`.
    exited: usize,
}

/// Texts kept once each, by index.
#[derive(Clone, Default)]
struct Strings {
    texts: Vec<Rc<str>>,
    ids: HashMap<Rc<str>, u32>,
}

impl Strings {
    /// The index of `text`, interning it if it is new. (An index is 32 bits: each text costs
    /// far more than a byte, so memory runs out long before the indices would.)
    fn intern(&mut self, text: &str) -> u32 {
        if let Some(id) = self.ids.get(text) {
            return *id;
        }
        self.add(text.into())
    }

    /// As [`Strings::intern`], sharing `text` when it is new.
    fn intern_rc(&mut self, text: &Rc<str>) -> u32 {
        if let Some(id) = self.ids.get(&**text) {
            return *id;
        }
        self.add(text.clone())
    }

    fn add(&mut self, text: Rc<str>) -> u32 {
        let id = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        self.texts.push(text.clone());
        self.ids.insert(text, id);
        id
    }

    fn get(&self, id: u32) -> Rc<str> {
        self.texts.get(id as usize).cloned().unwrap_or_else(|| "".into())
    }

    fn heap_bytes(&self) -> usize {
        let texts: usize = self.texts.iter().map(|t| t.len() + 2 * size_of::<usize>()).sum();
        let table = self.ids.capacity() * (size_of::<(Rc<str>, u32)>() + 1);
        texts + self.texts.capacity() * size_of::<Rc<str>>() + table
    }
}

/// The events of a trace, in the order they happened, kept compactly (see the module
/// documentation). Read them with [`Events::iter`] or [`Events::get`], which decode each event
/// as it is read; in JSON they are a list of [`Event`]s.
#[derive(Clone)]
pub struct Events {
    /// The chunk being filled, room included: its first `filled` records are events. (Not a
    /// `Vec`, whose room needs no zeroing: storing into room already there takes no call, where
    /// `Vec::push` is one at opt-level "z". In the page that call cost more than the zeroing: the
    /// trace's cost on yield-storm 1.61 ms with this, 2.59 with a `Vec`.)
    records: Box<[Packed]>,
    filled: usize,
    /// The rest, behind a pointer: a trace is moved around whole, and only the fields above are
    /// touched by most events.
    tables: Box<Tables>,
}

#[derive(Clone)]
struct Tables {
    /// The chunks filled before the one being filled.
    full: Vec<Box<[Packed]>>,
    /// (the first event, its iteration) at every change of iteration; it starts with (0, 0).
    iterations: Vec<(usize, u64)>,
    /// (the first event, its time) at every change of the loop's time; it starts with (0, 0.0).
    times: Vec<(usize, f64)>,
    timer_settings: Vec<TimerSetting>,
    gathers: Vec<Box<[Option<TaskId>]>>,
    strings: Strings,
    /// Every task by id (in the order they were spawned).
    tasks: Vec<TaskEntry>,
}

impl Default for Events {
    fn default() -> Self {
        Self::new()
    }
}

impl Events {
    /// No events.
    pub fn new() -> Self {
        Events {
            records: Box::new([]),
            filled: 0,
            tables: Box::new(Tables {
                full: Vec::new(),
                iterations: vec![(0, 0)],
                times: vec![(0, 0.0)],
                timer_settings: Vec::new(),
                gathers: Vec::new(),
                strings: Strings::default(),
                tasks: Vec::new(),
            }),
        }
    }

    /// The number of events.
    pub fn len(&self) -> usize {
        self.tables.full.len() * CHUNK + self.filled
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records an event that happened in `iteration` at loop time `time`, concerning `task`.
    ///
    /// The kinds that fit in their record alone ([`Events::compact`]) are stored by
    /// [`Events::push_compact`]; the others go through `Events::encode`, which keeps their side
    /// tables and texts.
    #[inline]
    pub fn push(&mut self, iteration: u64, time: f64, task: Option<TaskId>, kind: EventKind) {
        self.set_now(iteration, time);
        match Self::split(kind) {
            Ok((head, payload)) => self.push_compact(task, head, payload),
            Err(kind) => self.push_encoded(task, kind),
        }
    }

    /// From now on, events happen in `iteration` at loop time `time` (until the next call):
    /// [`Events::push_compact`] and [`Events::push_encoded`] record them so. A recorder calls it
    /// when either changes rather than for every event, which then pays nothing for them.
    pub fn set_now(&mut self, iteration: u64, time: f64) {
        let index = self.len();
        let tables = &mut self.tables;
        if tables.iterations.last().is_none_or(|&(_, now)| now != iteration) {
            Self::mark(&mut tables.iterations, index, iteration);
        }
        if tables
            .times
            .last()
            .is_none_or(|&(_, now)| now.to_bits() != time.to_bits())
        {
            Self::mark(&mut tables.times, index, time);
        }
    }

    /// Notes that the events from `index` on have `value` (replacing a change at `index` that
    /// no event has seen).
    fn mark<T>(marks: &mut Vec<(usize, T)>, index: usize, value: T) {
        match marks.last_mut() {
            Some(last) if last.0 == index => last.1 = value,
            _ => marks.push((index, value)),
        }
    }

    /// `kind` as its record, if it fits in its record alone ([`Events::compact`]); otherwise
    /// `kind` back, for [`Events::push_encoded`].
    #[inline(always)]
    pub fn split(kind: EventKind) -> Result<(Head, u64), EventKind> {
        match Self::compact(&kind) {
            Some(record) => {
                // A compact kind owns nothing on the heap: nothing to drop.
                std::mem::forget(kind);
                Ok(record)
            }
            None => Err(kind),
        }
    }

    /// Records an event (at the iteration and time set last, [`Events::set_now`]) through
    /// `Events::encode`, which keeps side tables and texts (any kind is recorded right;
    /// [`Events::push_compact`] is the quicker way for a compact one).
    pub fn push_encoded(&mut self, task: Option<TaskId>, kind: EventKind) {
        let (tag, flags, payload) = self.encode(task, kind);
        self.store(task, Head { tag, flags }, payload);
    }

    /// The record of `kind` (what it stores beside the task), if `kind` fits in its record alone:
    /// it needs no side table and no text, and owns nothing on the heap. Inlined where the loop
    /// records, where `kind` is known, so that only the record's fields are left to pass on.
    #[inline(always)]
    pub fn compact(kind: &EventKind) -> Option<(Head, u64)> {
        let (tag, flags, payload) = match kind {
            EventKind::StepBegin => (Tag::StepBegin, 0, 0),
            EventKind::Scheduled { by: Waker::Task(t) } => (Tag::Scheduled, WAKER_TASK, u64::from(*t)),
            EventKind::Scheduled { by: Waker::Timer(t) } => (Tag::Scheduled, WAKER_TIMER, *t),
            EventKind::Scheduled { by: Waker::Loop } => (Tag::Scheduled, WAKER_LOOP, 0),
            EventKind::StepEnd { awaiting: None } => (Tag::StepEnd, AWAITS_NOTHING, 0),
            EventKind::StepEnd {
                awaiting: Some(Awaiting::Future(label)),
            } => (Tag::StepEnd, AWAITS_FUTURE, *label as u64),
            EventKind::StepEnd {
                awaiting: Some(Awaiting::Task(t)),
            } => (Tag::StepEnd, AWAITS_TASK, u64::from(*t)),
            EventKind::TimerFired { timer } => (Tag::TimerFired, 0, *timer),
            EventKind::TimerCancelled { timer } => (Tag::TimerCancelled, 0, *timer),
            EventKind::ClockAdvanced { from } => (Tag::ClockAdvanced, 0, from.to_bits()),
            EventKind::Spawned {
                name: TaskName::Numbered(n),
                parent,
            } if *n <= u64::from(u32::MAX) => match parent {
                Some(p) => (Tag::Spawned, HAS_VALUE, n | u64::from(*p) << 32),
                None => (Tag::Spawned, 0, *n),
            },
            EventKind::Exited {
                outcome: Outcome::Returned,
            } => (Tag::Exited, OUTCOME_RETURNED, 0),
            _ => return None,
        };
        Some((Head { tag, flags }, payload))
    }

    /// Records an event given by its record ([`Events::compact`]), at the iteration and time set
    /// last ([`Events::set_now`]), keeping the task index up to date.
    #[inline(always)]
    pub fn push_compact(&mut self, task: Option<TaskId>, head: Head, payload: u64) {
        match head.tag {
            Tag::Spawned => self.note_spawn(),
            Tag::Exited => self.note_exit(task),
            _ => {}
        }
        self.store(task, head, payload);
    }

    #[inline(always)]
    fn store(&mut self, task: Option<TaskId>, head: Head, payload: u64) {
        let (flags, task) = match task {
            Some(task) => (head.flags | HAS_TASK, task),
            None => (head.flags, 0),
        };
        if self.filled == self.records.len() {
            self.next_chunk();
        }
        if let Some(slot) = self.records.get_mut(self.filled) {
            *slot = Record {
                payload,
                task,
                tag: head.tag,
                flags,
            }
            .pack();
            self.filled += 1;
        }
    }

    /// Makes room for the next record: the first chunk grows (doubling, from 64 records) to
    /// [`CHUNK`] as a vector would; a full chunk is retired and the next made at that size. (Every
    /// chunk but the one being filled holds exactly [`CHUNK`] records, so an event's index says
    /// where it is.)
    #[cold]
    #[inline(never)]
    fn next_chunk(&mut self) {
        let room = self.records.len();
        let size = if room == CHUNK {
            CHUNK
        } else {
            (room * 2).clamp(64, CHUNK)
        };
        let mut next = vec![[0u64; 2]; size].into_boxed_slice();
        if room == CHUNK {
            let full = std::mem::replace(&mut self.records, next);
            self.tables.full.push(full);
            self.filled = 0;
        } else {
            next[..room].copy_from_slice(&self.records);
            self.records = next;
        }
    }

    /// Notes in the task index that the event about to be recorded spawns a task.
    fn note_spawn(&mut self) {
        let spawned = self.len();
        self.tables.tasks.push(TaskEntry {
            spawned,
            renamed: NONE,
            exited: NONE,
        });
    }

    /// Notes in the task index that the event about to be recorded is `task`'s exit.
    fn note_exit(&mut self, task: Option<TaskId>) {
        let index = self.len();
        if let Some(entry) = task.and_then(|t| self.tables.tasks.get_mut(t as usize)) {
            entry.exited = index;
        }
    }

    /// The event at `index`, decoded.
    pub fn get(&self, index: usize) -> Option<Event> {
        let record = self.record(index)?;
        Some(self.decode(record, self.iteration_at(index), self.time_at(index)))
    }

    /// The loop time of the event at `index` (without decoding the rest of it).
    pub fn time_of(&self, index: usize) -> Option<f64> {
        (index < self.len()).then(|| self.time_at(index))
    }

    /// The iteration of the event at `index` (without decoding the rest of it).
    pub fn iteration_of(&self, index: usize) -> Option<u64> {
        (index < self.len()).then(|| self.iteration_at(index))
    }

    /// Every event, in order, each decoded as it is reached.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            events: self,
            front: 0,
            back: self.len(),
            iteration_mark: 0,
            time_mark: 0,
        }
    }

    /// The events from index `start` on, each decoded as it is reached (those before it are
    /// skipped, not decoded: a replay resumes where it stopped).
    pub fn iter_from(&self, start: usize) -> Iter<'_> {
        let front = start.min(self.len());
        let tables = &self.tables;
        Iter {
            events: self,
            front,
            back: self.len(),
            iteration_mark: tables
                .iterations
                .partition_point(|&(first, _)| first <= front)
                .saturating_sub(1),
            time_mark: tables
                .times
                .partition_point(|&(first, _)| first <= front)
                .saturating_sub(1),
        }
    }

    /// The index of the first event for which `pred` is false, the events being partitioned by
    /// it (all the true ones first), as `slice::partition_point` finds it.
    pub fn partition_point(&self, mut pred: impl FnMut(&Event) -> bool) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let mid = low + (high - low) / 2;
            match self.get(mid) {
                Some(e) if pred(&e) => low = mid + 1,
                _ => high = mid,
            }
        }
        low
    }

    /// The heap memory the events take, in bytes (capacity included, the interned texts'
    /// hash table estimated).
    pub fn heap_bytes(&self) -> usize {
        let records: usize = self.tables.full.iter().map(|c| c.len() * size_of::<Packed>()).sum();
        records
            + self.records.len() * size_of::<Packed>()
            + size_of::<Tables>()
            + self.tables.full.capacity() * size_of::<Box<[Packed]>>()
            + self.tables.iterations.capacity() * size_of::<(usize, u64)>()
            + self.tables.times.capacity() * size_of::<(usize, f64)>()
            + self.tables.timer_settings.capacity() * size_of::<TimerSetting>()
            + self.tables.gathers.capacity() * size_of::<Box<[Option<TaskId>]>>()
            + self
                .tables
                .gathers
                .iter()
                .map(|g| g.len() * size_of::<Option<TaskId>>())
                .sum::<usize>()
            + self.tables.strings.heap_bytes()
            + self.tables.tasks.capacity() * size_of::<TaskEntry>()
    }

    /// The number of tasks spawned.
    pub(super) fn task_count(&self) -> usize {
        self.tables.tasks.len()
    }

    /// The task with this id (the `id`-th spawned), as the trace shows it: its last name, its
    /// parent, when it was created, when and how it ended.
    pub(super) fn task(&self, id: TaskId) -> Option<TaskInfo> {
        let entry = *self.tables.tasks.get(id as usize)?;
        Some(self.task_info(id, entry))
    }

    /// Every task, by id.
    pub(super) fn tasks(&self) -> impl ExactSizeIterator<Item = TaskInfo> + '_ {
        self.tables
            .tasks
            .iter()
            .enumerate()
            .map(|(id, entry)| self.task_info(id as TaskId, *entry))
    }

    fn task_info(&self, id: TaskId, entry: TaskEntry) -> TaskInfo {
        // The entry points at records that exist: it was made with them.
        let spawned = self.record(entry.spawned).unwrap_or(Record::MISSING);
        let named = match entry.renamed {
            NONE => spawned,
            renamed => self.record(renamed).unwrap_or(spawned),
        };
        let (exited_at, outcome) = match entry.exited {
            NONE => (None, None),
            exited => (Some(self.time_at(exited)), self.record(exited).map(|r| self.outcome(r))),
        };
        TaskInfo {
            id,
            name: self.name(named),
            parent: (spawned.flags & HAS_VALUE != 0).then_some((spawned.payload >> 32) as TaskId),
            spawned_at: self.time_at(entry.spawned),
            exited_at,
            outcome,
        }
    }

    fn record(&self, index: usize) -> Option<Record> {
        let (chunk, offset) = (index / CHUNK, index % CHUNK);
        match chunk.cmp(&self.tables.full.len()) {
            std::cmp::Ordering::Less => self.tables.full[chunk].get(offset).copied().map(Record::unpack),
            std::cmp::Ordering::Equal if offset < self.filled => self.records.get(offset).copied().map(Record::unpack),
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => None,
        }
    }

    fn iteration_at(&self, index: usize) -> u64 {
        let after = self.tables.iterations.partition_point(|&(first, _)| first <= index);
        after.checked_sub(1).map_or(0, |k| self.tables.iterations[k].1)
    }

    fn time_at(&self, index: usize) -> f64 {
        let after = self.tables.times.partition_point(|&(first, _)| first <= index);
        after.checked_sub(1).map_or(0.0, |k| self.tables.times[k].1)
    }

    /// The record's fields of `kind` (any kind; [`Events::push`] encodes the frequent ones
    /// itself); keeps the task index up to date.
    #[inline(never)]
    fn encode(&mut self, task: Option<TaskId>, kind: EventKind) -> (Tag, u8, u64) {
        let index = self.len();
        match kind {
            EventKind::StepBegin => (Tag::StepBegin, 0, 0),
            EventKind::Scheduled { by } => match by {
                Waker::Task(t) => (Tag::Scheduled, WAKER_TASK, u64::from(t)),
                Waker::Timer(t) => (Tag::Scheduled, WAKER_TIMER, t),
                Waker::Loop => (Tag::Scheduled, WAKER_LOOP, 0),
                Waker::External => (Tag::Scheduled, WAKER_EXTERNAL, 0),
            },
            EventKind::StepEnd { awaiting } => match awaiting {
                None => (Tag::StepEnd, AWAITS_NOTHING, 0),
                Some(Awaiting::Future(label)) => (Tag::StepEnd, AWAITS_FUTURE, label as u64),
                Some(Awaiting::Task(t)) => (Tag::StepEnd, AWAITS_TASK, u64::from(t)),
                Some(Awaiting::Gather(children)) => {
                    self.tables.gathers.push(children.into_boxed_slice());
                    (Tag::StepEnd, AWAITS_GATHER, (self.tables.gathers.len() - 1) as u64)
                }
            },
            EventKind::Spawned { name, parent } => {
                self.tables.tasks.push(TaskEntry {
                    spawned: index,
                    renamed: NONE,
                    exited: NONE,
                });
                let (flags, name) = self.encode_name(&name);
                match parent {
                    Some(p) => (Tag::Spawned, flags | HAS_VALUE, u64::from(name) | u64::from(p) << 32),
                    None => (Tag::Spawned, flags, u64::from(name)),
                }
            }
            EventKind::Renamed { name } => {
                if let Some(entry) = task.and_then(|t| self.tables.tasks.get_mut(t as usize)) {
                    entry.renamed = index;
                }
                let (flags, name) = self.encode_name(&name);
                (Tag::Renamed, flags, u64::from(name))
            }
            EventKind::Exited { outcome } => {
                self.note_exit(task);
                match outcome {
                    Outcome::Returned => (Tag::Exited, OUTCOME_RETURNED, 0),
                    Outcome::Failed { error } => (
                        Tag::Exited,
                        OUTCOME_FAILED,
                        u64::from(self.tables.strings.intern(&error)),
                    ),
                    Outcome::Cancelled => (Tag::Exited, OUTCOME_CANCELLED, 0),
                }
            }
            EventKind::TimerSet { timer, deadline, at } => {
                self.tables.timer_settings.push(TimerSetting { timer, deadline, at });
                (Tag::TimerSet, 0, (self.tables.timer_settings.len() - 1) as u64)
            }
            EventKind::TimerFired { timer } => (Tag::TimerFired, 0, timer),
            EventKind::TimerCancelled { timer } => (Tag::TimerCancelled, 0, timer),
            EventKind::ClockAdvanced { from } => (Tag::ClockAdvanced, 0, from.to_bits()),
            EventKind::CancelRequested { by } => match by {
                Some(by) => (Tag::CancelRequested, HAS_VALUE, u64::from(by)),
                None => (Tag::CancelRequested, 0, 0),
            },
            EventKind::Warning { text } => (Tag::Warning, 0, u64::from(self.tables.strings.intern(&text))),
            EventKind::Log { text, at } => {
                let text = u64::from(self.tables.strings.intern(&text));
                match at {
                    Some(at) => (Tag::Log, HAS_VALUE, text | u64::from(at) << 32),
                    None => (Tag::Log, 0, text),
                }
            }
        }
    }

    /// A name's flag and 32 bits: a `Task-N` number, or an interned text (a number too large
    /// for 32 bits is kept as its text, which compares and prints the same).
    fn encode_name(&mut self, name: &TaskName) -> (u8, u32) {
        match name {
            TaskName::Numbered(n) => match u32::try_from(*n) {
                Ok(n) => (0, n),
                Err(_) => (GIVEN_NAME, self.tables.strings.intern(&name.to_string())),
            },
            TaskName::Given(text) => (GIVEN_NAME, self.tables.strings.intern_rc(text)),
        }
    }

    fn name(&self, record: Record) -> TaskName {
        let low = record.payload as u32;
        if record.flags & GIVEN_NAME != 0 {
            TaskName::Given(self.tables.strings.get(low))
        } else {
            TaskName::Numbered(u64::from(low))
        }
    }

    fn outcome(&self, record: Record) -> Outcome {
        match record.flags & VARIANT {
            OUTCOME_RETURNED => Outcome::Returned,
            OUTCOME_FAILED => Outcome::Failed {
                error: self.tables.strings.get(record.payload as u32).to_string(),
            },
            _ => Outcome::Cancelled,
        }
    }

    fn decode(&self, record: Record, iteration: u64, time: f64) -> Event {
        let low = record.payload as u32;
        let high = (record.payload >> 32) as u32;
        let has_value = record.flags & HAS_VALUE != 0;
        let kind = match record.tag {
            Tag::Spawned => EventKind::Spawned {
                name: self.name(record),
                parent: has_value.then_some(high),
            },
            Tag::Renamed => EventKind::Renamed {
                name: self.name(record),
            },
            Tag::Scheduled => EventKind::Scheduled {
                by: match record.flags & VARIANT {
                    WAKER_TASK => Waker::Task(low),
                    WAKER_TIMER => Waker::Timer(record.payload),
                    WAKER_LOOP => Waker::Loop,
                    _ => Waker::External,
                },
            },
            Tag::StepBegin => EventKind::StepBegin,
            Tag::StepEnd => EventKind::StepEnd {
                awaiting: match record.flags & VARIANT {
                    AWAITS_FUTURE => Some(Awaiting::Future(FutureLabel::from_code(low as u8))),
                    AWAITS_TASK => Some(Awaiting::Task(low)),
                    AWAITS_GATHER => Some(Awaiting::Gather(
                        self.tables
                            .gathers
                            .get(record.payload as usize)
                            .map(|g| g.to_vec())
                            .unwrap_or_default(),
                    )),
                    _ => None,
                },
            },
            Tag::Exited => EventKind::Exited {
                outcome: self.outcome(record),
            },
            Tag::TimerSet => {
                let setting = self.tables.timer_settings.get(record.payload as usize).copied();
                let setting = setting.unwrap_or(TimerSetting {
                    timer: 0,
                    deadline: 0.0,
                    at: None,
                });
                EventKind::TimerSet {
                    timer: setting.timer,
                    deadline: setting.deadline,
                    at: setting.at,
                }
            }
            Tag::TimerFired => EventKind::TimerFired { timer: record.payload },
            Tag::TimerCancelled => EventKind::TimerCancelled { timer: record.payload },
            Tag::ClockAdvanced => EventKind::ClockAdvanced {
                from: f64::from_bits(record.payload),
            },
            Tag::CancelRequested => EventKind::CancelRequested {
                by: has_value.then_some(low),
            },
            Tag::Warning => EventKind::Warning {
                text: self.tables.strings.get(low).to_string(),
            },
            Tag::Log => EventKind::Log {
                text: self.tables.strings.get(low).to_string(),
                at: has_value.then_some(high),
            },
        };
        Event {
            iteration,
            time,
            task: (record.flags & HAS_TASK != 0).then_some(record.task),
            kind,
        }
    }
}

/// The events in order, each decoded as it is reached. Made by [`Events::iter`].
pub struct Iter<'a> {
    events: &'a Events,
    front: usize,
    back: usize,
    /// The change of iteration, and of time, in force at `front`.
    iteration_mark: usize,
    time_mark: usize,
}

impl Iterator for Iter<'_> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        if self.front >= self.back {
            return None;
        }
        let index = self.front;
        self.front += 1;
        let events = self.events;
        let record = events.record(index)?;
        let tables = &events.tables;
        while tables
            .iterations
            .get(self.iteration_mark + 1)
            .is_some_and(|&(first, _)| first <= index)
        {
            self.iteration_mark += 1;
        }
        while tables
            .times
            .get(self.time_mark + 1)
            .is_some_and(|&(first, _)| first <= index)
        {
            self.time_mark += 1;
        }
        let iteration = tables.iterations.get(self.iteration_mark).map_or(0, |m| m.1);
        let time = tables.times.get(self.time_mark).map_or(0.0, |m| m.1);
        Some(events.decode(record, iteration, time))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back.saturating_sub(self.front);
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Event> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.events.get(self.back)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Events {
    type Item = Event;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl FromIterator<Event> for Events {
    fn from_iter<I: IntoIterator<Item = Event>>(events: I) -> Self {
        let mut all = Events::new();
        for e in events {
            all.push(e.iteration, e.time, e.task, e.kind);
        }
        all
    }
}

impl From<Vec<Event>> for Events {
    fn from(events: Vec<Event>) -> Self {
        events.into_iter().collect()
    }
}

impl PartialEq for Events {
    /// Equal when they decode to equal events.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Events {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Events {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Events {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Event>::deserialize(deserializer).map(Events::from)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn iterating_from_an_index_gives_the_same_events_as_skipping_to_it() {
        let trace = crate::demos::find("gather").unwrap().run_traced().trace.unwrap();
        let events = &trace.events;
        for start in [
            0,
            1,
            7,
            events.len() / 2,
            events.len() - 1,
            events.len(),
            events.len() + 3,
        ] {
            let from: Vec<Event> = events.iter_from(start).collect();
            let skipped: Vec<Event> = events.iter().skip(start).collect();
            assert_eq!(from, skipped, "from {start}");
        }
    }

    use super::*;

    /// One event of every kind and variant, some with the largest values their fields take.
    fn every_kind() -> Vec<Event> {
        let kinds = vec![
            (
                Some(0),
                EventKind::Spawned {
                    name: TaskName::Numbered(1),
                    parent: None,
                },
            ),
            (
                Some(1),
                EventKind::Spawned {
                    name: "worker".into(),
                    parent: Some(0),
                },
            ),
            (
                Some(2),
                EventKind::Spawned {
                    name: TaskName::Numbered(u64::MAX),
                    parent: Some(u32::MAX),
                },
            ),
            (Some(1), EventKind::Renamed { name: "renamed".into() }),
            (Some(1), EventKind::Scheduled { by: Waker::Task(0) }),
            (
                Some(1),
                EventKind::Scheduled {
                    by: Waker::Timer(u64::MAX),
                },
            ),
            (Some(1), EventKind::Scheduled { by: Waker::Loop }),
            (Some(u32::MAX), EventKind::Scheduled { by: Waker::External }),
            (Some(1), EventKind::StepBegin),
            (Some(1), EventKind::StepEnd { awaiting: None }),
            (
                Some(1),
                EventKind::StepEnd {
                    awaiting: Some(Awaiting::Future(FutureLabel::Plain)),
                },
            ),
            (
                Some(1),
                EventKind::StepEnd {
                    awaiting: Some(Awaiting::Future(FutureLabel::QueueGet)),
                },
            ),
            (
                Some(1),
                EventKind::StepEnd {
                    awaiting: Some(Awaiting::Future(FutureLabel::Gather)),
                },
            ),
            (
                Some(1),
                EventKind::StepEnd {
                    awaiting: Some(Awaiting::Task(2)),
                },
            ),
            (
                Some(0),
                EventKind::StepEnd {
                    awaiting: Some(Awaiting::Gather(vec![Some(1), None, Some(u32::MAX)])),
                },
            ),
            (
                None,
                EventKind::TimerSet {
                    timer: 7,
                    deadline: 0.1 + 0.2,
                    at: Some(3),
                },
            ),
            (
                Some(1),
                EventKind::TimerSet {
                    timer: u64::MAX,
                    deadline: -0.0,
                    at: None,
                },
            ),
            (None, EventKind::TimerFired { timer: 7 }),
            (None, EventKind::TimerCancelled { timer: u64::MAX }),
            (None, EventKind::ClockAdvanced { from: 1.5e-7 }),
            (Some(1), EventKind::CancelRequested { by: Some(0) }),
            (Some(1), EventKind::CancelRequested { by: None }),
            (
                None,
                EventKind::Warning {
                    text: "Task was destroyed but it is pending!".into(),
                },
            ),
            (
                Some(1),
                EventKind::Log {
                    text: "hello".into(),
                    at: Some(u32::MAX),
                },
            ),
            (
                Some(0),
                EventKind::Log {
                    text: "hello".into(),
                    at: None,
                },
            ),
            (
                Some(0),
                EventKind::Exited {
                    outcome: Outcome::Returned,
                },
            ),
            (
                Some(1),
                EventKind::Exited {
                    outcome: Outcome::Failed {
                        error: "ValueError('boom')".into(),
                    },
                },
            ),
            (
                Some(2),
                EventKind::Exited {
                    outcome: Outcome::Cancelled,
                },
            ),
        ];
        let times = [0.0, 0.0, 0.25, 0.25, 1.0 / 3.0, 7.0, 7.0, 7.0];
        kinds
            .into_iter()
            .enumerate()
            .map(|(i, (task, kind))| Event {
                iteration: (i / 3) as u64 + u64::from(i == 25) * (u64::MAX - 9),
                time: times[i % times.len()],
                task,
                kind,
            })
            .collect()
    }

    #[test]
    fn every_event_decodes_to_what_was_recorded() {
        let recorded = every_kind();
        let events = Events::from(recorded.clone());
        assert_eq!(events.len(), recorded.len());
        let read: Vec<Event> = events.iter().collect();
        assert_eq!(read, recorded);
        for (i, e) in recorded.iter().enumerate() {
            assert_eq!(events.get(i).as_ref(), Some(e), "event {i}");
            assert_eq!(events.get(i).unwrap().time.to_bits(), e.time.to_bits());
        }
        assert_eq!(events.get(recorded.len()), None);
        let backwards: Vec<Event> = events.iter().rev().collect();
        assert!(backwards.iter().eq(recorded.iter().rev()));
    }

    #[test]
    fn a_long_trace_spans_chunks_and_reads_back_in_order() {
        let n = CHUNK * 2 + 17;
        let mut events = Events::new();
        for i in 0..n {
            let kind = if i % 2 == 0 {
                EventKind::Scheduled {
                    by: Waker::Task(i as u32),
                }
            } else {
                EventKind::TimerFired { timer: i as u64 }
            };
            events.push((i / 10) as u64, (i / 100) as f64, Some(i as u32), kind);
        }
        assert_eq!(events.len(), n);
        for (i, e) in events.iter().enumerate() {
            assert_eq!(
                (e.iteration, e.time, e.task),
                ((i / 10) as u64, (i / 100) as f64, Some(i as u32))
            );
        }
        let last = events.get(n - 1).unwrap();
        assert_eq!(
            last.kind,
            EventKind::Scheduled {
                by: Waker::Task((n - 1) as u32)
            }
        );
        assert_eq!(events.partition_point(|e| e.time < 50.0), 5000);
        assert_eq!(events.iter().skip(n - 3).count(), 3);
    }

    #[test]
    fn a_step_costs_sixteen_bytes_an_event_and_texts_are_kept_once() {
        assert_eq!(size_of::<Packed>(), 16);
        let mut events = Events::new();
        let n = 100_000u32;
        for i in 0..n {
            let iteration = u64::from(i / 1000);
            events.push(iteration, 0.0, Some(i % 1000), EventKind::StepBegin);
            events.push(iteration, 0.0, Some(i % 1000), EventKind::StepEnd { awaiting: None });
            events.push(
                iteration,
                0.0,
                Some(i % 1000),
                EventKind::Log {
                    text: "the same line".into(),
                    at: None,
                },
            );
        }
        let per_event = events.heap_bytes() as f64 / events.len() as f64;
        assert!(per_event < 16.5, "{per_event} bytes per event");
        assert_eq!(events.tables.strings.texts.len(), 1);
    }

    #[test]
    fn tasks_are_found_by_id_with_their_last_name_and_outcome() {
        let events = Events::from(every_kind());
        assert_eq!(events.task_count(), 3);
        let worker = events.task(1).unwrap();
        assert_eq!(worker.name.to_string(), "renamed");
        assert_eq!(worker.parent, Some(0));
        assert_eq!(worker.spawned_at, 0.0);
        assert_eq!(
            worker.outcome,
            Some(Outcome::Failed {
                error: "ValueError('boom')".into()
            })
        );
        let big = events.task(2).unwrap();
        assert_eq!(big.name.to_string(), format!("Task-{}", u64::MAX));
        assert_eq!(big.parent, Some(u32::MAX));
        assert_eq!(big.outcome, Some(Outcome::Cancelled));
        assert!(events.task(3).is_none());
    }

    #[test]
    fn every_future_label_is_stored_in_its_step_and_read_back() {
        let mut events = Events::new();
        for label in FutureLabel::ALL {
            events.push(
                1,
                0.0,
                Some(0),
                EventKind::StepEnd {
                    awaiting: Some(Awaiting::Future(label)),
                },
            );
        }
        let read: Vec<_> = events
            .iter()
            .map(|e| match e.kind {
                EventKind::StepEnd {
                    awaiting: Some(Awaiting::Future(label)),
                } => label,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(read, FutureLabel::ALL);
        // Nothing beside the records: a label is a code in the payload.
        assert!(events.tables.strings.texts.is_empty() && events.tables.gathers.is_empty());
        for (code, label) in FutureLabel::ALL.iter().enumerate() {
            assert_eq!(*label as usize, code);
        }
    }

    #[test]
    fn in_json_a_wait_names_the_call_and_a_plain_future_reads_as_before() {
        let label = |awaiting: Awaiting| serde_json::to_string(&awaiting).unwrap();
        assert_eq!(
            label(Awaiting::Future(FutureLabel::QueueGet)),
            r#"{"kind":"future","on":"queue.get()"}"#
        );
        assert_eq!(label(Awaiting::Future(FutureLabel::Plain)), r#"{"kind":"future"}"#);
        assert_eq!(label(Awaiting::Task(3)), r#"{"kind":"task","tasks":3}"#);
        assert_eq!(
            label(Awaiting::Gather(vec![Some(1), None])),
            r#"{"kind":"gather","tasks":[1,null]}"#
        );
        for awaiting in [
            Awaiting::Future(FutureLabel::SemaphoreAcquire),
            Awaiting::Future(FutureLabel::Plain),
            Awaiting::Task(0),
            Awaiting::Gather(vec![]),
        ] {
            let back: Awaiting = serde_json::from_str(&label(awaiting.clone())).unwrap();
            assert_eq!(back, awaiting);
        }
        assert!(serde_json::from_str::<Awaiting>(r#"{"kind":"task"}"#).is_err());
        assert!(serde_json::from_str::<Awaiting>(r#"{"kind":"future","on":"lock"}"#).is_err());
    }

    #[test]
    fn in_json_the_events_are_a_list_of_events() {
        let recorded = every_kind();
        let events = Events::from(recorded.clone());
        let json = serde_json::to_string(&events).unwrap();
        assert_eq!(json, serde_json::to_string(&recorded).unwrap());
        let back: Events = serde_json::from_str(&json).unwrap();
        assert_eq!(back, events);
    }
}

//! The timer heap, with the exact sift algorithm of CPython's `heapq`.
//!
//! asyncio keeps its timers in a list managed by `heapq`, compared by deadline only. When two
//! timers share a deadline, which one comes out first is decided by where the sift steps happened
//! to leave them, not by insertion order. Sleeps started in one iteration for one duration share a
//! deadline, so this is common; to produce CPython's transcripts we must make the same moves.
//! The functions below follow `Lib/heapq.py` (`heappush`, `heappop`, `heapify`, `_siftdown`,
//! `_siftup`) step for step; the C accelerator `_heapq` makes the same moves.

/// Something with a deadline. Only `<` on deadlines is ever used, as in `TimerHandle.__lt__`.
pub(crate) trait Deadline {
    fn deadline(&self) -> f64;
}

/// A binary min-heap ordered by deadline, laid out exactly as CPython's `heapq` would lay it out.
#[derive(Debug)]
pub(crate) struct TimerHeap<T> {
    items: Vec<T>,
}

impl<T: Deadline + Copy> TimerHeap<T> {
    pub(crate) fn new() -> Self {
        TimerHeap { items: Vec::new() }
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn peek(&self) -> Option<&T> {
        self.items.first()
    }

    /// `heapq.heappush`.
    pub(crate) fn push(&mut self, item: T) {
        self.items.push(item);
        let last = self.items.len() - 1;
        sift_down_copy(&mut self.items, 0, last, item);
    }

    /// `heapq.heappop`.
    pub(crate) fn pop(&mut self) -> Option<T> {
        let last = self.items.pop()?;
        let Some(&top) = self.items.first() else {
            return Some(last);
        };
        sift_up_copy(&mut self.items, 0, last);
        Some(top)
    }

    /// Keeps the items for which `keep` is true, then `heapq.heapify`s them, as asyncio does when
    /// more than half of its timers are cancelled.
    pub(crate) fn retain_and_heapify(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.items.retain(|item| keep(item));
        for i in (0..self.items.len() / 2).rev() {
            let item = self.items[i];
            sift_up_copy(&mut self.items, i, item);
        }
    }
}

/// `a < b` on timers: `TimerHandle.__lt__`, deadlines only.
fn earlier<T: Deadline>(a: &T, b: &T) -> bool {
    a.deadline() < b.deadline()
}

/// `_siftdown` for the timer heap, moving items into a hole as `heapq` does (its items are
/// small copies, so each level costs one move instead of a swap): `item` is the one that sits
/// at `pos`, and ends where `heapq` puts it.
fn sift_down_copy<T: Deadline + Copy>(items: &mut [T], start: usize, mut pos: usize, item: T) {
    while pos > start {
        let parent = (pos - 1) >> 1;
        let above = items[parent];
        if earlier(&item, &above) {
            items[pos] = above;
            pos = parent;
            continue;
        }
        break;
    }
    items[pos] = item;
}

/// `_siftup` for the timer heap: the smaller child moves up into the hole until the hole
/// reaches a leaf, where `item` goes, then sifts down again (the same moves as [`sift_up`]).
fn sift_up_copy<T: Deadline + Copy>(items: &mut [T], mut pos: usize, item: T) {
    let end = items.len();
    let start = pos;
    let mut child = 2 * pos + 1;
    while child < end {
        let right = child + 1;
        // `not heap[childpos] < heap[rightpos]`, as `heapq` writes it (a NaN compares false).
        if right < end && !earlier(&items[child], &items[right]) {
            child = right;
        }
        items[pos] = items[child];
        pos = child;
        child = 2 * pos + 1;
    }
    sift_down_copy(items, start, pos, item);
}

/// `heapq.heappush` on a list ordered by `less` (Python's `<`).
pub(crate) fn push<T>(items: &mut Vec<T>, item: T, less: impl Fn(&T, &T) -> bool) {
    items.push(item);
    let last = items.len() - 1;
    sift_down(items, 0, last, &less);
}

/// `heapq.heappop`.
pub(crate) fn pop<T>(items: &mut Vec<T>, less: impl Fn(&T, &T) -> bool) -> Option<T> {
    let last = items.pop()?;
    if items.is_empty() {
        return Some(last);
    }
    let top = std::mem::replace(&mut items[0], last);
    sift_up(items, 0, &less);
    Some(top)
}

/// `heapq._siftdown`: move the item at `pos` towards the root while it is smaller than its
/// parent. `start` bounds the climb.
fn sift_down<T>(items: &mut [T], start: usize, mut pos: usize, less: &impl Fn(&T, &T) -> bool) {
    while pos > start {
        let parent = (pos - 1) >> 1;
        if less(&items[pos], &items[parent]) {
            items.swap(pos, parent);
            pos = parent;
            continue;
        }
        break;
    }
}

/// `heapq._siftup`: bubble the smaller child up until a leaf is reached, then put the
/// displaced item there and sift it down again. (This is what makes tie order differ from
/// a textbook heap: the hole always travels to a leaf first.)
fn sift_up<T>(items: &mut [T], mut pos: usize, less: &impl Fn(&T, &T) -> bool) {
    let end = items.len();
    let start = pos;
    let mut child = 2 * pos + 1;
    while child < end {
        let right = child + 1;
        if right < end && !less(&items[child], &items[right]) {
            child = right;
        }
        items.swap(pos, child);
        pos = child;
        child = 2 * pos + 1;
    }
    sift_down(items, start, pos, less);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    struct T(f64, u32);
    impl Deadline for T {
        fn deadline(&self) -> f64 {
            self.0
        }
    }

    fn drain(mut heap: TimerHeap<T>) -> Vec<u32> {
        std::iter::from_fn(|| heap.pop()).map(|t| t.1).collect()
    }

    #[test]
    fn pop_returns_items_in_deadline_order() {
        let mut heap = TimerHeap::new();
        for (i, d) in [5.0, 1.0, 4.0, 2.0, 3.0].into_iter().enumerate() {
            heap.push(T(d, i as u32));
        }
        assert_eq!(drain(heap), vec![1, 3, 4, 2, 0]);
    }

    #[test]
    fn equal_deadlines_come_out_in_heapq_order_not_insertion_order() {
        // Five pushes with one deadline, then five pops, on CPython 3.11 with a `__lt__` on the
        // deadline only: the order is 0, 2, 4, 1, 3.
        let mut heap = TimerHeap::new();
        for i in 0..5 {
            heap.push(T(1.0, i));
        }
        assert_eq!(drain(heap), vec![0, 2, 4, 1, 3]);
    }

    #[test]
    fn heapify_after_retain_matches_heapq_heapify() {
        // heapify of deadlines [3, 1, 2, 1, 1] then five pops, on CPython 3.11: 4, 1, 3, 2, 0.
        let mut heap = TimerHeap {
            items: vec![T(3.0, 0), T(1.0, 1), T(2.0, 2), T(1.0, 3), T(1.0, 4), T(9.0, 5)],
        };
        heap.retain_and_heapify(|t| t.1 != 5);
        assert_eq!(drain(heap), vec![4, 1, 3, 2, 0]);
    }
}

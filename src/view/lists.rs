//! The page's long lists, kept cheap to show and to change.
//!
//! - [`window`]: which lines of the transcript the page holds: all of a short one; of a long
//!   one, a window around the line printed last (its pane shows about a dozen). Two thousand
//!   lines cost the frame that shows them over 50 ms of style and layout on a slow machine; a
//!   window of [`WINDOW`] costs a fifth of that, and a step inside it costs nothing.
//! - [`edit`]: which items of a panel's list a step changes.

use std::ops::Range;

/// The most lines the page holds at once.
pub const WINDOW: usize = 400;
/// A window is kept while the latest line is at least this far from its edges.
const MARGIN: usize = 50;

/// The lines to hold when `printed` of `total` lines have been printed, given the window held
/// now (`held`): the same one while the latest printed line is well inside it, else a new one
/// centred on that line.
pub fn window(total: usize, printed: usize, held: Option<Range<usize>>) -> Range<usize> {
    if total <= WINDOW {
        return 0..total;
    }
    let latest = printed.saturating_sub(1).min(total - 1);
    if let Some(held) = held {
        let fits = held.end <= total && held.len() == WINDOW;
        let clear_of_start = held.start == 0 || latest >= held.start + MARGIN;
        let clear_of_end = held.end == total || latest + MARGIN < held.end;
        if fits && held.contains(&latest) && clear_of_start && clear_of_end {
            return held;
        }
    }
    let start = latest.saturating_sub(WINDOW / 2).min(total - WINDOW);
    start..start + WINDOW
}

/// How many items at the start and how many at the end two lists share (the two runs never
/// overlap): only the items between them need touching. A step that ends one task of 200
/// removes one element, where rewriting every item after it would cost the step a layout of
/// the whole list.
pub fn edit<T: PartialEq>(before: &[T], after: &[T]) -> (usize, usize) {
    let first = before.iter().zip(after).take_while(|(a, b)| a == b).count();
    let last = before[first..]
        .iter()
        .rev()
        .zip(after[first..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    (first, last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_touches_only_what_changed() {
        assert_eq!(edit(&[1, 2, 3, 4], &[1, 2, 3, 4]), (4, 0));
        // One removed, one added, one changed, in the middle.
        assert_eq!(edit(&[1, 2, 3, 4], &[1, 3, 4]), (1, 2));
        assert_eq!(edit(&[1, 3, 4], &[1, 2, 3, 4]), (1, 2));
        assert_eq!(edit(&[1, 2, 3, 4], &[1, 9, 3, 4]), (1, 2));
        // The shared end never overlaps the shared start.
        assert_eq!(edit(&[1, 1, 1], &[1, 1]), (2, 0));
        assert_eq!(edit(&[1, 1], &[1, 1, 1]), (2, 0));
        assert_eq!(edit::<u8>(&[], &[1]), (0, 0));
    }

    #[test]
    fn a_short_transcript_is_held_whole() {
        assert_eq!(window(12, 0, None), 0..12);
        assert_eq!(window(WINDOW, WINDOW, Some(0..3)), 0..WINDOW);
    }

    #[test]
    fn a_long_transcript_holds_a_window_around_the_latest_line() {
        let total = 2000;
        assert_eq!(window(total, 0, None), 0..WINDOW);
        assert_eq!(window(total, 1000, None), 799..1199);
        assert_eq!(window(total, total, None), total - WINDOW..total);
        // Every printed line is in the window held for it.
        let mut held = None;
        for printed in (1..=total).chain((1..=total).rev()).step_by(7) {
            let w = window(total, printed, held.clone());
            assert_eq!(w.len(), WINDOW);
            assert!(w.contains(&(printed - 1)), "{printed} in {w:?}");
            held = Some(w);
        }
    }

    #[test]
    fn a_step_inside_the_window_keeps_it() {
        let held = 799..1199;
        assert_eq!(window(2000, 1001, Some(held.clone())), held);
        assert_eq!(window(2000, 900, Some(held.clone())), held);
        // Near its edge, a new window is centred on the line.
        assert_eq!(window(2000, 840, Some(held.clone())), 639..1039);
        // A window of another transcript (longer than this one) is not kept.
        assert_eq!(window(1000, 900, Some(held)), 600..1000);
    }
}

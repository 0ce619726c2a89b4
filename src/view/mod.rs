//! What the page shows, computed without a browser (and tested natively). `web` only paints
//! and wires these to the DOM, so the Python lab's page can show a trace the same way.
//!
//! - [`replay`]: one pass over a trace (in slices) that builds the timeline's model and
//!   checkpoints of the loop's state; the state at any moment from the nearest checkpoint.
//! - [`timeline`]: the model's types, the viewport, the lanes' layout.
//! - [`scene`]: the complete drawing of what is in view (level of detail, hit testing, SVG,
//!   the legend); [`palette`]: its colours, shared by canvas and SVG.
//! - [`narrate`]: the sentence about the current event, and the details of a clicked item.
//! - [`playback`]: the playback clock and the keyboard's actions.
//! - [`source`]: which Python and Rust lines ran; [`highlight`]: syntax colouring.
//! - [`share`]: the page's state in its URL; [`lists`]: the transcript's window and the
//!   panels' edits.

pub mod highlight;
pub mod lists;
pub mod narrate;
pub mod palette;
pub mod playback;
pub mod replay;
pub mod scene;
pub mod share;
pub mod source;
pub mod timeline;

//! What the page shows, computed without a browser (and tested natively): the timeline's
//! display list, the playback state at any moment, syntax colouring, and the share URL.
//! `web` only paints and wires these to the DOM.

pub mod highlight;
pub mod playback;
pub mod share;
pub mod source;
pub mod timeline;

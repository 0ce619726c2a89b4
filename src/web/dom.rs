//! Small helpers for building the page with web-sys. Text from demos or the URL is always set
//! as text (`textContent`), never parsed as HTML.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// The page's document. The page cannot work without one, so its absence is reported by the
/// caller as a failure to start.
pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// A new HTML element with an optional class.
pub fn el(doc: &Document, tag: &str, class: &str) -> Element {
    let e = doc
        .create_element(tag)
        .unwrap_or_else(|_| doc.create_element("div").expect("div"));
    if !class.is_empty() {
        e.set_class_name(class);
    }
    e
}

/// A new HTML element holding `text` as text.
pub fn text_el(doc: &Document, tag: &str, class: &str, text: &str) -> Element {
    let e = el(doc, tag, class);
    e.set_text_content(Some(text));
    e
}

/// A new SVG element with its attributes.
pub fn svg(doc: &Document, tag: &str, attrs: &[(&str, String)]) -> Element {
    let e = doc
        .create_element_ns(Some(SVG_NS), tag)
        .unwrap_or_else(|_| el(doc, "div", ""));
    for (name, value) in attrs {
        let _ = e.set_attribute(name, value);
    }
    e
}

/// Appends `child` to `parent`.
pub fn append(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

/// Sets an attribute, ignoring the (impossible for valid names) failure.
pub fn set(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

/// The element with this id, as the type asked for.
pub fn by_id<T: JsCast>(doc: &Document, id: &str) -> Option<T> {
    doc.get_element_by_id(id)?.dyn_into::<T>().ok()
}

/// Removes every child of `e`.
pub fn clear(e: &Element) {
    e.set_text_content(None);
}

/// A number for an SVG attribute, with two decimals at most.
pub fn px(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

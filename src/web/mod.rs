//! The browser side (wasm32 only).

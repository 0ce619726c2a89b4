//! Python's way of writing values, so a Rust demo's transcript can match its twin's `print`.

pub use crate::runtime::error::python_str_repr as py_repr_str;

/// `str(b)`: `True` or `False`.
pub fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bools_and_strings_print_as_python_does() {
        assert_eq!(py_bool(true), "True");
        assert_eq!(py_repr_str("finished anyway"), "'finished anyway'");
    }
}

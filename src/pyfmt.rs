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

/// `repr(bytes)`: `b'GET / HTTP/1.1\r\n'`.
pub fn py_bytes_repr(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from("b");
    out.push(quote);
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b if b == quote as u8 => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            b => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push(quote);
    out
}

/// `repr(list)` of items already written as Python writes them: `['a', 'b']`.
pub fn py_list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| s.as_ref().to_string()).collect();
    format!("[{}]", items.join(", "))
}

/// `repr(list_of_str)`: `['a', 'b']`.
pub fn py_str_list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    py_list(items.into_iter().map(|s| py_repr_str(s.as_ref())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bools_and_strings_print_as_python_does() {
        assert_eq!(py_bool(true), "True");
        assert_eq!(py_repr_str("finished anyway"), "'finished anyway'");
        assert_eq!(py_str_list(["a", "b"]), "['a', 'b']");
        assert_eq!(py_list([py_bool(false), py_bool(true)]), "[False, True]");
        assert_eq!(py_list(Vec::<String>::new()), "[]");
        assert_eq!(py_bytes_repr(b"GET /\r\n\x00'"), "b\"GET /\\r\\n\\x00'\"");
        assert_eq!(py_bytes_repr(b"ab"), "b'ab'");
    }
}

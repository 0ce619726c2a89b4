//! Python's way of writing values, so a Rust demo's transcript can match its twin's `print`.
//!
//! [`py_repr`] writes any value that has a Python counterpart as `repr()` would: `2.0` for a
//! float, `None` for `()` or a `None` option, `'text'` for a string, `[1, 2]` for a list,
//! `ValueError('bad')` for a failure.

use std::rc::Rc;

use crate::runtime::Error;

pub use crate::runtime::error::python_str_repr as py_repr_str;

/// A value with a Python counterpart, written as Python's `repr()` writes that counterpart.
/// [`py_repr`] calls it; a type of your own can have it too.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// struct Point(f64, f64);
///
/// impl PyRepr for Point {
///     fn py_repr(&self) -> String {
///         format!("Point(x={}, y={})", py_repr(&self.0), py_repr(&self.1))
///     }
/// }
///
/// assert_eq!(py_repr(&vec![Point(1.0, 0.5)]), "[Point(x=1.0, y=0.5)]");
/// ```
pub trait PyRepr {
    /// `repr(value)`.
    fn py_repr(&self) -> String;
}

/// `repr(value)` as Python writes it.
///
/// | Rust | Python |
/// | --- | --- |
/// | `2.0_f64`, `0.1`, `1e-5`, `f64::INFINITY` | `2.0`, `0.1`, `1e-05`, `inf` |
/// | `3_u32`, `true` | `3`, `True` |
/// | `"a"`, `String`, `Rc<str>` | `'a'` |
/// | `()`, `None::<T>` | `None` |
/// | `Some(x)` | `repr(x)` |
/// | `vec![1, 2]`, `[1, 2]`, `&[...]` | `[1, 2]` |
/// | `(1, "a")`, `(1,)` | `(1, 'a')`, `(1,)` |
/// | `Error::new("ValueError", "bad")` | `ValueError('bad')` |
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// assert_eq!(py_repr(&2.0), "2.0");
/// assert_eq!(py_repr(&(1.5, "done")), "(1.5, 'done')");
/// assert_eq!(py_repr(&vec![Some(1), None]), "[1, None]");
/// // `task.exception()` of a task that returned: Python prints `None`.
/// let no_failure: Option<Error> = None;
/// assert_eq!(py_repr(&no_failure), "None");
/// assert_eq!(py_repr(&Some(Error::new("ValueError", "bad"))), "ValueError('bad')");
/// ```
pub fn py_repr<T: PyRepr + ?Sized>(value: &T) -> String {
    value.py_repr()
}

/// `repr(x)` of a Python float: the shortest text that reads back as `x`, with `.0` on whole
/// numbers, and an exponent (`1e-05`, `1e+16`) when the point would be more than 4 places left
/// of the first digit or 16 places right of it (Python's `float_repr_style = 'short'`).
pub fn py_float(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.into();
    }
    // Rust's `{:e}` gives the same shortest digits: `-1.2345e-7`.
    let scientific = format!("{x:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if !(-4..16).contains(&exponent) {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{first}{point}e{exponent_sign}{:02}", exponent.abs());
    }
    if exponent < 0 {
        let zeros = "0".repeat((-exponent - 1) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let whole = exponent as usize + 1;
    if digits.len() <= whole {
        format!("{sign}{digits}{}.0", "0".repeat(whole - digits.len()))
    } else {
        format!("{sign}{}.{}", &digits[..whole], &digits[whole..])
    }
}

impl PyRepr for f64 {
    fn py_repr(&self) -> String {
        py_float(*self)
    }
}

impl PyRepr for f32 {
    fn py_repr(&self) -> String {
        py_float(f64::from(*self))
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl PyRepr for $t {
            fn py_repr(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

integers!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

impl PyRepr for bool {
    fn py_repr(&self) -> String {
        py_bool(*self).into()
    }
}

impl PyRepr for str {
    fn py_repr(&self) -> String {
        py_repr_str(self)
    }
}

impl PyRepr for String {
    fn py_repr(&self) -> String {
        py_repr_str(self)
    }
}

impl PyRepr for Rc<str> {
    fn py_repr(&self) -> String {
        py_repr_str(self)
    }
}

impl PyRepr for char {
    fn py_repr(&self) -> String {
        py_repr_str(self.encode_utf8(&mut [0; 4]))
    }
}

impl PyRepr for () {
    /// A function that returns nothing returns `None`.
    fn py_repr(&self) -> String {
        "None".into()
    }
}

impl PyRepr for Error {
    fn py_repr(&self) -> String {
        self.repr()
    }
}

impl<T: PyRepr> PyRepr for Option<T> {
    fn py_repr(&self) -> String {
        match self {
            Some(value) => value.py_repr(),
            None => "None".into(),
        }
    }
}

impl<T: PyRepr + ?Sized> PyRepr for &T {
    fn py_repr(&self) -> String {
        (**self).py_repr()
    }
}

impl<T: PyRepr> PyRepr for [T] {
    fn py_repr(&self) -> String {
        py_list(self.iter().map(PyRepr::py_repr))
    }
}

impl<T: PyRepr, const N: usize> PyRepr for [T; N] {
    fn py_repr(&self) -> String {
        self[..].py_repr()
    }
}

impl<T: PyRepr> PyRepr for Vec<T> {
    fn py_repr(&self) -> String {
        self[..].py_repr()
    }
}

macro_rules! tuples {
    ($(($($t:ident $i:tt),+))+) => {$(
        impl<$($t: PyRepr),+> PyRepr for ($($t,)+) {
            fn py_repr(&self) -> String {
                let items = [$(self.$i.py_repr()),+];
                if items.len() == 1 {
                    format!("({},)", items[0])
                } else {
                    format!("({})", items.join(", "))
                }
            }
        }
    )+};
}

crate::runtime::gather_tuple::for_tuples!(tuples);

/// `str(b)`: `True` or `False`.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// assert_eq!(format!("done: {}", py_bool(true)), "done: True");
/// ```
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
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// let errors = [Error::new("ValueError", "a"), Error::cancelled()];
/// assert_eq!(py_list(errors.iter().map(Error::repr)), "[ValueError('a'), CancelledError()]");
/// ```
pub fn py_list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| s.as_ref().to_string()).collect();
    format!("[{}]", items.join(", "))
}

/// `repr(list_of_str)`: `['a', 'b']`.
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// assert_eq!(py_str_list(["a", "it's"]), "['a', \"it's\"]");
/// ```
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

    #[test]
    fn floats_print_as_python_repr_does() {
        // Each pair checked with CPython 3.11's repr().
        let cases = [
            (2.0, "2.0"),
            (0.1, "0.1"),
            (-0.0, "-0.0"),
            (1.5, "1.5"),
            (100.0, "100.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.25e-7, "1.25e-07"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (123456789.125, "123456789.125"),
            (1.0 / 3.0, "0.3333333333333333"),
            (2.5e-300, "2.5e-300"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (-12.75, "-12.75"),
        ];
        for (x, python) in cases {
            assert_eq!(py_float(x), python, "repr({x:?})");
        }
    }

    #[test]
    fn values_print_as_python_repr_does() {
        assert_eq!(py_repr(&()), "None");
        assert_eq!(py_repr(&None::<u8>), "None");
        assert_eq!(py_repr(&Some("a")), "'a'");
        assert_eq!(py_repr(&vec![1.0, 2.5]), "[1.0, 2.5]");
        assert_eq!(py_repr(&(1,)), "(1,)");
        assert_eq!(py_repr(&(true, 'x', String::from("it's"))), "(True, 'x', \"it's\")");
        assert_eq!(py_repr(&[Error::new("KeyError", "k")]), "[KeyError('k')]");
        assert_eq!(py_repr(&Vec::<u8>::new()), "[]");
    }
}

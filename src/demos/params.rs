//! Demo parameters: what a learner may change (durations, counts, which task fails, a limit),
//! with defaults equal to the catalog's figures and bounds. A value out of bounds or of the wrong
//! kind is refused with a message naming the parameter and what it accepts; nothing runs.
//!
//! Two sides: [`Params`] holds a run's values whatever the demo (what the page, the URL and the
//! CLI set by name, and what the Python twin is given); each demo declares its own typed
//! `Params` struct with `parameters!`, and its code reads fields (`p.first`), so a misspelt or
//! wrong-kind parameter does not compile:
//!
//! ```
//! let p = looplab::demos::gather::Params::DEFAULT;
//! let first: f64 = p.first;
//! ```
//! ```compile_fail
//! let p = looplab::demos::gather::Params::DEFAULT;
//! let first: f64 = p.frist; // misspelt: no such field
//! ```
//! ```compile_fail
//! let p = looplab::demos::gather::Params::DEFAULT;
//! let first: i64 = p.first; // the wrong kind: a duration is an f64
//! ```

use std::fmt;

/// What a parameter accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A duration in seconds, within bounds.
    Seconds {
        /// The least value.
        min: f64,
        /// The greatest value.
        max: f64,
    },
    /// A whole number, within bounds.
    Count {
        /// The least value.
        min: i64,
        /// The greatest value.
        max: i64,
    },
    /// One of a few names.
    Choice(&'static [&'static str]),
}

/// A parameter a demo declares.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    /// Its name, as in `--param name=value` and `?p.name=value`.
    pub name: &'static str,
    /// What it changes, in a few words.
    pub help: &'static str,
    /// What it accepts.
    pub kind: Kind,
    /// Its default, written as a user would write it.
    pub default: &'static str,
}

/// A parameter's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Seconds.
    Seconds(f64),
    /// A whole number.
    Count(i64),
    /// One of the choices.
    Choice(&'static str),
}

/// Why a parameter was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamError {
    /// No such parameter.
    Unknown {
        /// The name given.
        name: String,
        /// The demo's parameters.
        known: Vec<&'static str>,
    },
    /// The value does not fit.
    Invalid {
        /// The parameter.
        name: &'static str,
        /// The text given.
        text: String,
        /// What it accepts.
        expected: String,
    },
    /// Not of the form `name=value`.
    Malformed(String),
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::Unknown { name, known } if known.is_empty() => {
                write!(f, "unknown parameter '{name}': this demo has no parameters")
            }
            ParamError::Unknown { name, known } => {
                write!(
                    f,
                    "unknown parameter '{name}'; the parameters are: {}",
                    known.join(", ")
                )
            }
            ParamError::Invalid { name, text, expected } => {
                write!(f, "parameter '{name}' must be {expected}, not '{text}'")
            }
            ParamError::Malformed(text) => write!(f, "'{text}' is not of the form name=value"),
        }
    }
}

impl std::error::Error for ParamError {}

impl Kind {
    /// What the kind accepts, in words.
    pub fn describe(&self) -> String {
        match self {
            Kind::Seconds { min, max } => format!("a number of seconds from {min} to {max}"),
            Kind::Count { min, max } => format!("a whole number from {min} to {max}"),
            Kind::Choice(choices) => format!("one of {}", choices.join(", ")),
        }
    }

    fn parse(&self, text: &str) -> Option<Value> {
        let text = text.trim();
        match *self {
            Kind::Seconds { min, max } => {
                let v: f64 = text.parse().ok()?;
                (v.is_finite() && v >= min && v <= max).then_some(Value::Seconds(v))
            }
            Kind::Count { min, max } => {
                let v: i64 = text.parse().ok()?;
                (v >= min && v <= max).then_some(Value::Count(v))
            }
            Kind::Choice(choices) => choices.iter().find(|c| **c == text).map(|c| Value::Choice(c)),
        }
    }
}

impl ParamSpec {
    /// Parses `text` for this parameter.
    pub fn parse(&self, text: &str) -> Result<Value, ParamError> {
        self.kind.parse(text).ok_or_else(|| ParamError::Invalid {
            name: self.name,
            text: text.chars().take(40).collect(),
            expected: self.kind.describe(),
        })
    }
}

/// The parameter values of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    specs: &'static [ParamSpec],
    values: Vec<Value>,
}

impl Params {
    /// The defaults of these parameters.
    pub fn defaults(specs: &'static [ParamSpec]) -> Params {
        let values = specs
            .iter()
            .map(|s| {
                s.parse(s.default)
                    .unwrap_or_else(|e| panic!("demo default out of its own bounds: {e}"))
            })
            .collect();
        Params { specs, values }
    }

    /// The declared parameters.
    pub fn specs(&self) -> &'static [ParamSpec] {
        self.specs
    }

    /// Sets `name` from `text`, or says why not.
    pub fn set(&mut self, name: &str, text: &str) -> Result<(), ParamError> {
        let Some(i) = self.specs.iter().position(|s| s.name == name) else {
            return Err(ParamError::Unknown {
                name: name.chars().take(40).collect(),
                known: self.specs.iter().map(|s| s.name).collect(),
            });
        };
        self.values[i] = self.specs[i].parse(text)?;
        Ok(())
    }

    /// The value of the parameter called `name`, if the demo has one.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.specs.iter().position(|s| s.name == name).map(|i| &self.values[i])
    }

    /// Values given in the order of `specs` (by a demo's typed parameters, which were made
    /// from the same declaration, so the kinds agree).
    pub(crate) fn from_values(specs: &'static [ParamSpec], values: Vec<Value>) -> Params {
        Params { specs, values }
    }

    /// The values, in the order of the declaration.
    pub(crate) fn values(&self) -> &[Value] {
        &self.values
    }

    /// Sets from `name=value`.
    pub fn set_pair(&mut self, pair: &str) -> Result<(), ParamError> {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| ParamError::Malformed(pair.chars().take(40).collect()))?;
        self.set(name.trim(), value)
    }

    /// Each value as `name=value`, as the Python twin takes them on its command line.
    pub fn to_args(&self) -> Vec<String> {
        self.specs
            .iter()
            .zip(&self.values)
            .map(|(s, v)| {
                let text = match v {
                    Value::Seconds(x) => format!("{x:?}"),
                    Value::Count(n) => n.to_string(),
                    Value::Choice(c) => c.to_string(),
                };
                format!("{}={text}", s.name)
            })
            .collect()
    }

    /// Whether every value is its default.
    pub fn are_defaults(&self) -> bool {
        *self == Params::defaults(self.specs)
    }
}

/// Declares a demo's parameters: a struct `Params` with one field per parameter (`f64` for
/// `seconds`, `i64` for `count`, `&'static str` for `choice`), its `Params::DEFAULT`, and
/// `PARAMS`, what the page and the CLI show (name, help, bounds, default).
///
/// ```text
/// parameters! {
///     /// The calls' durations.
///     pub struct Params {
///         first: seconds[0..=60] = 2, "the first call";
///         jobs: count[1..=50] = 3, "how many jobs";
///         fails: choice["none", "llm"] = "llm", "which call fails";
///     }
/// }
/// ```
macro_rules! parameters {
    (
        $(#[$meta:meta])*
        pub struct Params {
            $($name:ident : $kind:ident [$($range:tt)*] = $default:literal, $help:literal;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct Params {
            $(#[doc = $help] pub $name: parameters!(@type $kind),)*
        }

        /// The parameters as the page and the CLI show them.
        pub static PARAMS: &[$crate::demos::ParamSpec] = &[$(
            $crate::demos::ParamSpec {
                name: stringify!($name),
                help: $help,
                kind: parameters!(@kind $kind [$($range)*]),
                default: parameters!(@text $kind $default),
            },
        )*];

        #[allow(dead_code)]
        impl Params {
            /// Every parameter at its default.
            pub const DEFAULT: Params = Params { $($name: parameters!(@value $kind $default),)* };

            /// A run's values, typed; `None` if they are not this demo's.
            pub fn read(values: &$crate::demos::Params) -> Option<Params> {
                if values.specs() != PARAMS {
                    return None;
                }
                #[allow(unused_mut, unused_variables)]
                let mut values = values.values().iter();
                Some(Params { $($name: parameters!(@read $kind values.next()?)?,)* })
            }

            /// These values, as a run is given them.
            pub fn values(&self) -> $crate::demos::Params {
                $crate::demos::Params::from_values(PARAMS, vec![$(parameters!(@wrap $kind self.$name),)*])
            }
        }
    };
    (@type seconds) => { f64 };
    (@type count) => { i64 };
    (@type choice) => { &'static str };
    (@kind seconds [$min:literal ..= $max:literal]) => {
        $crate::demos::Kind::Seconds { min: $min as f64, max: $max as f64 }
    };
    (@kind count [$min:literal ..= $max:literal]) => { $crate::demos::Kind::Count { min: $min, max: $max } };
    (@kind choice [$($choice:literal),+]) => { $crate::demos::Kind::Choice(&[$($choice),+]) };
    (@text choice $default:literal) => { $default };
    (@text $kind:ident $default:literal) => { stringify!($default) };
    (@value seconds $default:literal) => { $default as f64 };
    (@value $kind:ident $default:literal) => { $default };
    (@read seconds $value:expr) => {
        match $value { $crate::demos::Value::Seconds(v) => Some(*v), _ => None }
    };
    (@read count $value:expr) => {
        match $value { $crate::demos::Value::Count(v) => Some(*v), _ => None }
    };
    (@read choice $value:expr) => {
        match $value { $crate::demos::Value::Choice(v) => Some(*v), _ => None }
    };
    (@wrap seconds $value:expr) => { $crate::demos::Value::Seconds($value) };
    (@wrap count $value:expr) => { $crate::demos::Value::Count($value) };
    (@wrap choice $value:expr) => { $crate::demos::Value::Choice($value) };
}

#[cfg(test)]
mod tests {
    use super::*;

    static SPECS: &[ParamSpec] = &[
        ParamSpec {
            name: "delay",
            help: "how long",
            kind: Kind::Seconds { min: 0.0, max: 60.0 },
            default: "2",
        },
        ParamSpec {
            name: "count",
            help: "how many",
            kind: Kind::Count { min: 1, max: 100 },
            default: "3",
        },
        ParamSpec {
            name: "fails",
            help: "which",
            kind: Kind::Choice(&["none", "b"]),
            default: "b",
        },
    ];

    #[test]
    fn defaults_parse_and_read_back() {
        let p = Params::defaults(SPECS);
        assert_eq!(
            (p.get("delay"), p.get("count"), p.get("fails")),
            (
                Some(&Value::Seconds(2.0)),
                Some(&Value::Count(3)),
                Some(&Value::Choice("b"))
            )
        );
        assert_eq!(p.get("dleay"), None);
        assert_eq!(p.to_args(), ["delay=2.0", "count=3", "fails=b"]);
        assert!(p.are_defaults());
    }

    mod typed {
        parameters! {
            /// A demo's parameters.
            pub struct Params {
                delay: seconds[0..=60] = 2, "how long";
                count: count[1..=100] = 3, "how many";
                fails: choice["none", "b"] = "b", "which";
            }
        }
    }

    #[test]
    fn typed_parameters_read_what_was_set_and_write_it_back() {
        use typed::{Params as Typed, PARAMS};
        let mut values = Params::defaults(PARAMS);
        assert_eq!(Typed::read(&values), Some(Typed::DEFAULT));
        assert_eq!(Typed::DEFAULT.values(), values);
        values.set("delay", "0.5").unwrap();
        values.set("fails", "none").unwrap();
        let p = Typed::read(&values).unwrap();
        assert_eq!((p.delay, p.count, p.fails), (0.5, 3, "none"));
        assert_eq!(p.values().to_args(), ["delay=0.5", "count=3", "fails=none"]);
        assert_eq!(Typed::read(&Params::defaults(&SPECS[..1])), None, "not its values");
    }

    #[test]
    fn the_declaration_gives_the_specs_the_page_shows() {
        assert_eq!(typed::PARAMS, SPECS);
    }

    #[test]
    fn out_of_bounds_or_wrong_kind_is_refused_naming_the_parameter_and_range() {
        let mut p = Params::defaults(SPECS);
        assert_eq!(
            p.set("delay", "61").unwrap_err().to_string(),
            "parameter 'delay' must be a number of seconds from 0 to 60, not '61'"
        );
        assert_eq!(
            p.set("count", "2.5").unwrap_err().to_string(),
            "parameter 'count' must be a whole number from 1 to 100, not '2.5'"
        );
        assert!(p.set("delay", "NaN").unwrap_err().to_string().contains("from 0 to 60"));
        assert_eq!(
            p.set("fails", "c").unwrap_err().to_string(),
            "parameter 'fails' must be one of none, b, not 'c'"
        );
        assert_eq!(
            p.set("speed", "1").unwrap_err().to_string(),
            "unknown parameter 'speed'; the parameters are: delay, count, fails"
        );
        assert_eq!(
            p.set_pair("delay").unwrap_err().to_string(),
            "'delay' is not of the form name=value"
        );
        assert!(p.are_defaults(), "nothing changed");
        p.set_pair("delay=0.5").unwrap();
        assert_eq!(p.get("delay"), Some(&Value::Seconds(0.5)));
    }
}

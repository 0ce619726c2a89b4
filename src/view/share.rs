//! The page's state in its URL, so that a link reproduces a view exactly:
//! `?demo=gather&p.first=2&seed=7&t=1.5&e=31&axis=iteration&embed=1`. The moment is the event
//! index `e`; `t` (its loop time) is kept beside it for people reading the link, and is used
//! alone by links that have no `e`.
//!
//! Reading a URL never fails: an unknown demo, parameter or setting, or a malformed value, gives
//! a message for the page to show and a sensible default in its place.

use super::timeline::AxisMode;
use crate::demos::{self, Demo, Params};

/// What a URL asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    /// The demo.
    pub demo: &'static Demo,
    /// Its parameters.
    pub params: Params,
    /// The perturbation seed.
    pub seed: Option<u64>,
    /// The playback moment, in loop time.
    pub moment: Option<f64>,
    /// The playback moment, as an event index (exact; preferred over `moment`).
    pub event: Option<usize>,
    /// The timeline's axis.
    pub axis: AxisMode,
    /// The compact embed mode.
    pub embed: bool,
}

impl Shared {
    /// The default view of a demo.
    pub fn of(demo: &'static Demo) -> Self {
        Shared {
            demo,
            params: demo.defaults(),
            seed: None,
            moment: None,
            event: None,
            axis: AxisMode::Time,
            embed: false,
        }
    }
}

fn shorten(text: &str) -> String {
    let mut s: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        s.push('\u{2026}');
    }
    s
}

/// Reads a query string (with or without its `?`). Returns the state and a message for each
/// thing that could not be used.
pub fn parse(query: &str) -> (Shared, Vec<String>) {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut messages = Vec::new();
    let default = &demos::DEMOS[0];
    if pairs.iter().filter(|(k, _)| k == "demo").count() > 1 {
        messages.push("The link names more than one demo; showing the first.".to_string());
    }
    let demo = match pairs.iter().find(|(k, _)| k == "demo") {
        None => default,
        Some((_, id)) => demos::find(id).unwrap_or_else(|| {
            messages.push(format!(
                "There is no demo called \u{201c}{}\u{201d}; showing {} instead.",
                shorten(id),
                default.id
            ));
            default
        }),
    };
    let mut shared = Shared::of(demo);
    for (key, value) in &pairs {
        if let Some(name) = key.strip_prefix("p.") {
            if let Err(e) = shared.params.set(name, value) {
                messages.push(format!("{e}; using the default."));
                // The default, even if an earlier copy of the parameter was valid.
                if let Some(spec) = demo.params.iter().find(|p| p.name == name) {
                    let _ = shared.params.set(name, spec.default);
                }
            }
            continue;
        }
        match key.as_str() {
            "demo" => {}
            "seed" => match value.parse::<u64>() {
                Ok(seed) => shared.seed = Some(seed),
                Err(_) => messages.push(format!(
                    "The seed must be a whole number, not \u{201c}{}\u{201d}; running without one.",
                    shorten(value)
                )),
            },
            "t" => match value.parse::<f64>() {
                Ok(t) if t.is_finite() && t >= 0.0 => shared.moment = Some(t),
                _ => messages.push(format!(
                    "The moment t must be a time in seconds (0 or more), not \u{201c}{}\u{201d}; starting at the end.",
                    shorten(value)
                )),
            },
            "e" => match value.parse::<usize>() {
                Ok(e) => shared.event = Some(e),
                Err(_) => messages.push(format!(
                    "The event e must be a whole number (0 or more), not \u{201c}{}\u{201d}; starting at the end.",
                    shorten(value)
                )),
            },
            "axis" => match value.as_str() {
                "time" => shared.axis = AxisMode::Time,
                "iteration" => shared.axis = AxisMode::Iteration,
                _ => messages.push(format!(
                    "The axis must be time or iteration, not \u{201c}{}\u{201d}; using time.",
                    shorten(value)
                )),
            },
            "embed" => match value.as_str() {
                "1" | "true" | "" => shared.embed = true,
                "0" | "false" => shared.embed = false,
                _ => messages.push(format!(
                    "embed must be 1 or 0, not \u{201c}{}\u{201d}; showing the full page.",
                    shorten(value)
                )),
            },
            // The Python lab's (www/lab.js reads them).
            "lab" | "code" | "edit" => {}
            other => messages.push(format!(
                "Ignoring the unknown setting \u{201c}{}\u{201d}.",
                shorten(other)
            )),
        }
    }
    (shared, messages)
}

/// The query string (with its `?`) that gives back `shared`. Parameters at their defaults are
/// left out.
pub fn query(shared: &Shared) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    out.append_pair("demo", shared.demo.id);
    let defaults = shared.demo.defaults().to_args();
    for arg in shared.params.to_args() {
        if !defaults.contains(&arg) {
            if let Some((name, value)) = arg.split_once('=') {
                out.append_pair(&format!("p.{name}"), value);
            }
        }
    }
    if let Some(seed) = shared.seed {
        out.append_pair("seed", &seed.to_string());
    }
    if let Some(t) = shared.moment {
        out.append_pair("t", &super::timeline::trim_number(t));
    }
    if let Some(e) = shared.event {
        out.append_pair("e", &e.to_string());
    }
    if shared.axis == AxisMode::Iteration {
        out.append_pair("axis", "iteration");
    }
    if shared.embed {
        out.append_pair("embed", "1");
    }
    format!("?{}", out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demos::Value;

    #[test]
    fn a_url_gives_back_the_exact_view() {
        let (s, messages) = parse("?demo=gather&p.first=0.25&seed=7&t=1.5&e=31&axis=iteration");
        assert!(messages.is_empty(), "{messages:?}");
        assert_eq!(s.demo.id, "gather");
        assert_eq!(s.params.get("first"), Some(&Value::Seconds(0.25)));
        assert_eq!((s.seed, s.moment, s.axis), (Some(7), Some(1.5), AxisMode::Iteration));
        assert_eq!(s.event, Some(31));
        assert_eq!(query(&s), "?demo=gather&p.first=0.25&seed=7&t=1.5&e=31&axis=iteration");
        assert_eq!(parse(&query(&s)).0, s);
    }

    #[test]
    fn bad_values_give_messages_and_defaults_never_a_failure() {
        let (s, messages) = parse("demo=nope&p.delay=abc&seed=-3&t=soon&axis=z&colour=red");
        assert_eq!(s.demo.id, "mental-model");
        assert_eq!(s, Shared::of(s.demo));
        assert_eq!(messages.len(), 6, "{messages:?}");
        assert!(messages[0].starts_with("There is no demo called \u{201c}nope\u{201d}"));
        assert!(messages[1].contains("unknown parameter 'delay'"));
        assert!(messages.iter().any(|m| m.contains("seed must be a whole number")));
        assert!(messages
            .iter()
            .any(|m| m.contains("Ignoring the unknown setting \u{201c}colour\u{201d}")));
    }

    #[test]
    fn out_of_bounds_parameters_are_refused_with_their_range() {
        let (s, messages) = parse("demo=gather&p.first=1e9");
        assert_eq!(s.params.get("first"), Some(&Value::Seconds(2.0)));
        assert_eq!(
            messages,
            ["parameter 'first' must be a number of seconds from 0 to 60, not '1e9'; using the default."]
        );
    }

    #[test]
    fn long_or_hostile_text_is_shortened_not_echoed_whole() {
        let long = "x".repeat(500);
        let (_, messages) = parse(&format!("demo={long}"));
        assert!(messages[0].chars().count() < 120);
    }

    #[test]
    fn a_bad_repeat_of_a_parameter_gives_the_default_it_announces() {
        let (s, messages) = parse("demo=gather&p.first=1&p.first=abc");
        assert_eq!(s.params.get("first"), Some(&Value::Seconds(2.0)));
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].ends_with("using the default."));
    }

    #[test]
    fn a_second_demo_and_a_strange_embed_value_are_named() {
        let (s, messages) = parse("demo=gather&demo=wait&embed=yes");
        assert_eq!((s.demo.id, s.embed), ("gather", false));
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("more than one demo"));
        assert!(messages[1].contains("embed must be 1 or 0"));
        assert!(parse("demo=gather&embed=1").0.embed);
        let (_, messages) = parse("demo=gather&e=later");
        assert!(messages[0].contains("event e must be a whole number"));
    }

    #[test]
    fn defaults_are_left_out_of_the_url() {
        assert_eq!(query(&Shared::of(demos::find("wait").unwrap())), "?demo=wait");
    }
}

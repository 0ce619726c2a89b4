//! Syntax colouring for the code view: a small tokenizer for Rust and Python that splits each
//! line into spans of keywords, strings, comments, numbers and the rest.

/// The language of a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Rust.
    Rust,
    /// Python.
    Python,
}

/// What a span is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    /// A keyword.
    Keyword,
    /// A string literal.
    Str,
    /// A comment (or docstring).
    Comment,
    /// A number.
    Number,
    /// Anything else.
    Plain,
}

impl Token {
    /// The CSS class the page uses for it.
    pub fn class(self) -> &'static str {
        match self {
            Token::Keyword => "tok-kw",
            Token::Str => "tok-str",
            Token::Comment => "tok-com",
            Token::Number => "tok-num",
            Token::Plain => "",
        }
    }
}

const RUST: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static",
    "struct", "super", "trait", "true", "type", "use", "where", "while",
];
const PYTHON: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// A multi-line construct still open at the end of a line.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    None,
    /// A Rust block comment.
    BlockComment,
    /// A Python triple-quoted string, with its quote.
    Triple(char),
}

/// The spans of each line of `source`.
pub fn highlight(source: &str, lang: Lang) -> Vec<Vec<(Token, String)>> {
    let mut open = Open::None;
    source.lines().map(|line| line_spans(line, lang, &mut open)).collect()
}

fn push(spans: &mut Vec<(Token, String)>, token: Token, text: &str) {
    if text.is_empty() {
        return;
    }
    match spans.last_mut() {
        Some((t, s)) if *t == token => s.push_str(text),
        _ => spans.push((token, text.to_string())),
    }
}

fn line_spans(line: &str, lang: Lang, open: &mut Open) -> Vec<(Token, String)> {
    let chars: Vec<char> = line.chars().collect();
    let text = |a: usize, b: usize| -> String { chars[a..b.min(chars.len())].iter().collect() };
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match *open {
            Open::BlockComment => {
                let end = (i..chars.len().saturating_sub(1)).find(|&j| chars[j] == '*' && chars[j + 1] == '/');
                let stop = end.map_or(chars.len(), |j| j + 2);
                push(&mut spans, Token::Comment, &text(i, stop));
                if end.is_some() {
                    *open = Open::None;
                }
                i = stop;
                continue;
            }
            Open::Triple(q) => {
                let end = (i..chars.len().saturating_sub(2))
                    .find(|&j| chars[j] == q && chars[j + 1] == q && chars[j + 2] == q);
                let stop = end.map_or(chars.len(), |j| j + 3);
                push(&mut spans, Token::Str, &text(i, stop));
                if end.is_some() {
                    *open = Open::None;
                }
                i = stop;
                continue;
            }
            Open::None => {}
        }
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if (lang == Lang::Rust && c == '/' && next == Some('/')) || (lang == Lang::Python && c == '#') {
            push(&mut spans, Token::Comment, &text(i, chars.len()));
            break;
        }
        if lang == Lang::Rust && c == '/' && next == Some('*') {
            *open = Open::BlockComment;
            continue;
        }
        if lang == Lang::Python && (c == '"' || c == '\'') && next == Some(c) && chars.get(i + 2) == Some(&c) {
            push(&mut spans, Token::Str, &text(i, i + 3));
            *open = Open::Triple(c);
            i += 3;
            continue;
        }
        if c == '"' || (lang == Lang::Python && c == '\'') {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != c {
                if chars[j] == '\\' {
                    j += 1;
                }
                j += 1;
            }
            push(&mut spans, Token::Str, &text(i, j + 1));
            i = j + 1;
            continue;
        }
        if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '.' || chars[j] == '_') {
                j += 1;
            }
            push(&mut spans, Token::Number, &text(i, j));
            i = j;
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let word = text(i, j);
            // A Python string prefix (f"...", b'...') belongs to the string.
            if lang == Lang::Python
                && matches!(word.as_str(), "f" | "b" | "r" | "rb" | "fr")
                && matches!(chars.get(j), Some('"' | '\''))
            {
                push(&mut spans, Token::Str, &word);
                i = j;
                continue;
            }
            let keywords = if lang == Lang::Rust { RUST } else { PYTHON };
            push(
                &mut spans,
                if keywords.contains(&word.as_str()) {
                    Token::Keyword
                } else {
                    Token::Plain
                },
                &word,
            );
            i = j;
            continue;
        }
        push(&mut spans, Token::Plain, &c.to_string());
        i += 1;
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_keywords_strings_comments_and_numbers() {
        let lines = highlight(
            "// note\nlet x = sleep(0.5).await?; // why\nlog(\"a \\\"b\\\"\");",
            Lang::Rust,
        );
        assert_eq!(lines[0], [(Token::Comment, "// note".to_string())]);
        assert_eq!(lines[1][0], (Token::Keyword, "let".to_string()));
        assert!(lines[1].contains(&(Token::Number, "0.5".to_string())));
        assert!(lines[1].contains(&(Token::Keyword, "await".to_string())));
        assert_eq!(lines[1].last().unwrap(), &(Token::Comment, "// why".to_string()));
        assert!(lines[2].contains(&(Token::Str, "\"a \\\"b\\\"\"".to_string())));
    }

    #[test]
    fn python_docstrings_span_lines_and_f_strings_stay_strings() {
        let lines = highlight(
            "\"\"\"doc\nmore\"\"\"\nasync def f():\n    log(f\"{x} done\")  # hi",
            Lang::Python,
        );
        assert_eq!(lines[0], [(Token::Str, "\"\"\"doc".to_string())]);
        assert_eq!(lines[1], [(Token::Str, "more\"\"\"".to_string())]);
        assert_eq!(lines[2][0], (Token::Keyword, "async".to_string()));
        assert!(lines[3].contains(&(Token::Str, "f\"{x} done\"".to_string())));
        assert_eq!(lines[3].last().unwrap().0, Token::Comment);
    }
}

//! Helpers for the native tests: the CPython oracle, golden files, readable diffs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The CPython with looptime: `LOOPLAB_PYTHON`, or the venv `scripts/test` makes. A missing
/// oracle fails the test: parity cannot be skipped.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("LOOPLAB_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = root().join("target/venv/bin/python");
    assert!(
        venv.exists(),
        "the CPython oracle is missing: {} does not exist. Run scripts/test, which creates it \
         with looptime (or set LOOPLAB_PYTHON to a python that has looptime).",
        venv.display()
    );
    venv
}

/// The CPython a twin asks for with a first line `# python: 3.12` (for behaviour that only later
/// versions have): `LOOPLAB_PYTHON_3_12`, or the venv `target/venv-3.12` that `scripts/test`
/// makes from pyenv's CPython 3.12. Other twins run on [`python`].
pub fn python_for(script: &Path) -> Result<PathBuf, String> {
    let text = std::fs::read_to_string(script).map_err(|e| format!("{}: {e}", script.display()))?;
    let Some(version) = text.lines().next().and_then(|l| l.strip_prefix("# python: ")) else {
        return Ok(python());
    };
    let version = version.trim();
    if let Some(p) = std::env::var_os(format!("LOOPLAB_PYTHON_{}", version.replace('.', "_"))) {
        return Ok(PathBuf::from(p));
    }
    let venv = root().join(format!("target/venv-{version}/bin/python"));
    if venv.exists() {
        Ok(venv)
    } else {
        Err(format!(
            "{} needs CPython {version} with looptime: {} does not exist (scripts/test makes it from \
             pyenv's CPython {version})",
            script.display(),
            venv.display()
        ))
    }
}

/// Runs a Python twin in its own process and returns its stdout, or why it failed.
///
/// With `LOOPLAB_TWIN_CACHE=DIR` (set by `scripts/mutants`, which runs the tests once per
/// mutant of the executor, none of which can change what CPython prints), an output is kept in
/// DIR under a hash of the script, its arguments and the twin helper, and read from there.
pub fn run_twin(script: &Path, args: &[String]) -> Result<String, String> {
    let Some(cache) = std::env::var_os("LOOPLAB_TWIN_CACHE") else {
        return run_twin_on_cpython(script, args);
    };
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in [script.to_path_buf(), root().join("tests/twins/looplab_twin.py")] {
        std::fs::read(&file)
            .map_err(|e| format!("{}: {e}", file.display()))?
            .hash(&mut hasher);
    }
    args.hash(&mut hasher);
    let kept = Path::new(&cache).join(format!("{:016x}.txt", hasher.finish()));
    if let Ok(text) = std::fs::read_to_string(&kept) {
        return Ok(text);
    }
    let text = run_twin_on_cpython(script, args)?;
    let _ = std::fs::create_dir_all(&cache);
    let _ = std::fs::write(&kept, &text);
    Ok(text)
}

fn run_twin_on_cpython(script: &Path, args: &[String]) -> Result<String, String> {
    let python = python_for(script)?;
    let output = Command::new(&python)
        .arg(script)
        .args(args)
        .env("PYTHONPATH", root().join("tests/twins"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONHASHSEED", "0")
        .current_dir(script.parent().unwrap_or(Path::new(".")))
        .output()
        .map_err(|e| format!("could not start {}: {e}", python.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} exited with {}:\n{}",
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| e.to_string())
}

/// Runs several twins at once (each in its own process) and returns their outputs in order.
pub fn run_twins(scripts: &[(PathBuf, Vec<String>)]) -> Vec<Result<String, String>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = scripts
            .iter()
            .map(|(p, args)| s.spawn(move || run_twin(p, args)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err("thread panicked".into())))
            .collect()
    })
}

/// A line-by-line comparison, empty when equal.
pub fn diff(expected_name: &str, expected: &str, actual_name: &str, actual: &str) -> String {
    if expected == actual {
        return String::new();
    }
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let mut out = format!("--- {expected_name}\n+++ {actual_name}\n");
    for i in 0..e.len().max(a.len()) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => out.push_str(&format!("  {x}\n")),
            (x, y) => {
                if let Some(x) = x {
                    out.push_str(&format!("- {x}\n"));
                }
                if let Some(y) = y {
                    out.push_str(&format!("+ {y}\n"));
                }
            }
        }
    }
    out
}

/// Compares `actual` with the golden file at `path` (relative to `tests/golden`), or rewrites
/// the file when `LOOPLAB_BLESS=1`. Returns the diff, empty when equal.
pub fn check_golden(path: &str, actual: &str) -> String {
    let file = root().join("tests/golden").join(path);
    if std::env::var_os("LOOPLAB_BLESS").is_some_and(|v| v == "1") {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).expect("create golden dir");
        }
        std::fs::write(&file, actual).expect("write golden file");
        return String::new();
    }
    match std::fs::read_to_string(&file) {
        Ok(expected) => diff(&format!("golden {path}"), &expected, "now", actual),
        Err(_) => format!("golden file tests/golden/{path} is missing (run scripts/bless)\n"),
    }
}

pub fn lines_to_text(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

"""The Python lab against CPython on many random asyncio programs, mismatches grouped by cause.

    python tests/lab_programs/conformance.py --looplab PATH [--count N] [--seed S] [--jobs J]
                                             [--out DIR] [--keep]

Generates N programs (tests/lab_programs/generate.py, seeds S..S+N-1), runs each on this
CPython (which must have looptime) and through `looplab py`, each in its own process, and
compares their stdout and exit status. Writes DIR/report.md (default
target/lab-conformance) and prints a summary whose last line is `N passed, M failed`.

A mismatch's cause is read from where the two runs first part: the lab failing where CPython
did not (by the exception it printed), or the first line that differs, with names, numbers and
times replaced by placeholders, so that programs that go wrong the same way fall in one group.
Each group lists its programs (the smallest first, to read) and the constructs they share.
"""

import argparse
import collections
import concurrent.futures
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import generate  # noqa: E402


# Memory layouts (tests/lab_programs/perturb) under which CPython reruns a program that the lab
# does not match, to tell a program whose output depends on addresses.
PERTURBATIONS = (3, 7, 11, 17, 23, 31, 47, 64, 90, 128)


def run(command, cwd, timeout, perturb=None):
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "tests", "twins"), PYTHONHASHSEED="0")
    if perturb is not None:
        env["PYTHONPATH"] = os.pathsep.join([os.path.join(HERE, "perturb"), env["PYTHONPATH"]])
        env["LOOPLAB_PERTURB"] = str(perturb)
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
        return done.returncode, done.stdout, done.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return "timeout", out, ""


def template(line):
    """A line with the parts that vary between programs replaced."""
    line = re.sub(r"^\d+\.\d{3} ", "T ", line)
    line = re.sub(r"\bTask-\d+\b", "Task-N", line)
    line = re.sub(r"\b([wtckqsdeg]s?)\d+\b", r"\1N", line)
    line = re.sub(r"0x[0-9a-f]+", "0xADDR", line)
    line = re.sub(r"\b\d+(\.\d+)?\b", "N", line)
    return line


def last_error(stderr):
    lines = [l for l in stderr.strip().splitlines() if l.strip()]
    return lines[-1] if lines else "(nothing on stderr)"


def check(seed, looplab, workdir, timeout):
    source = generate.program(seed)
    path = os.path.join(workdir, f"p{seed}.py")
    with open(path, "w") as f:
        f.write(source)
    features = source.splitlines()[0].removeprefix("# features: ").split()
    expected = run([sys.executable, path], workdir, timeout)
    actual = run([looplab, "py", path], workdir, timeout)
    if expected[0] == "timeout":
        return seed, "skip", "CPython itself did not finish in time", features, len(source)
    if actual[0] == expected[0] and actual[1] == expected[1]:
        return seed, "pass", "", features, len(source)
    for n in PERTURBATIONS:
        if run([sys.executable, path], workdir, timeout, perturb=n)[1] != expected[1]:
            return seed, "skip", "CPython's own output depends on memory addresses (the order of a set of tasks)", features, len(source)
    if actual[0] == "timeout":
        return seed, "fail", "the lab did not finish in time", features, len(source)
    e_lines, a_lines = expected[1].splitlines(), actual[1].splitlines()
    e = a = None
    for i in range(max(len(e_lines), len(a_lines))):
        e = e_lines[i] if i < len(e_lines) else None
        a = a_lines[i] if i < len(a_lines) else None
        if e != a:
            break
    if actual[0] != expected[0] and a is None:
        cause = f"the lab stopped with status {actual[0]}: {template(last_error(actual[2]))}"
    elif e is None:
        cause = f"the lab printed more: {template(a)}"
    elif a is None:
        cause = f"the lab printed less, missing: {template(e)}"
    elif template(e) == template(a):
        # The same line, at another time or in another task: an ordering difference.
        e_time, e_task = e.split(" ")[:2]
        a_time, a_task = a.split(" ")[:2]
        what = "at another time" if e_time != a_time else "in another task" if e_task != a_task else "with other values"
        cause = f"`{template(e)}` {what} (tasks ran in another order)"
    else:
        cause = f"expected `{template(e)}`, got `{template(a)}`"
    return seed, "fail", cause, features, len(source)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--looplab", required=True, help="the looplab binary (built with --features python)")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--out", default=os.path.join(ROOT, "target", "lab-conformance"))
    args = parser.parse_args()
    workdir = os.path.join(args.out, "programs")
    os.makedirs(workdir, exist_ok=True)
    started = time.time()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [
            pool.submit(check, seed, os.path.abspath(args.looplab), workdir, args.timeout)
            for seed in range(args.seed, args.seed + args.count)
        ]
        for n, future in enumerate(concurrent.futures.as_completed(futures), 1):
            results.append(future.result())
            if n % 200 == 0:
                print(f"  {n} of {args.count} programs", file=sys.stderr, flush=True)
    results.sort()
    passed = [r for r in results if r[1] == "pass"]
    failed = [r for r in results if r[1] == "fail"]
    skipped = [r for r in results if r[1] == "skip"]
    groups = collections.defaultdict(list)
    for r in failed:
        groups[r[2]].append(r)
    ran = len(passed) + len(failed)
    rate = 100.0 * len(passed) / ran if ran else 0.0
    report = [
        "# The Python lab against CPython 3.11 on random asyncio programs",
        "",
        f"Programs: {args.count} (seeds {args.seed} to {args.seed + args.count - 1}, tests/lab_programs/generate.py); "
        f"{len(passed)} print exactly what CPython prints, {len(failed)} differ, {len(skipped)} skipped "
        f"(CPython did not finish, or its output depends on memory addresses). Pass rate {rate:.2f} %. {time.time() - started:.0f} s.",
        "",
    ]
    if groups:
        report += ["## Mismatches by cause", ""]
        for cause, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            shared = set.intersection(*(set(m[3]) for m in members))
            smallest = sorted(members, key=lambda m: m[4])[:5]
            report += [
                f"- **{len(members)}** {cause}",
                f"  - constructs in all of them: {', '.join(sorted(shared)) or '(none)'}",
                f"  - smallest: {', '.join(f'p{m[0]}.py' for m in smallest)}",
            ]
        report.append("")
    if skipped:
        report += ["## Skipped", ""] + [f"- p{r[0]}.py: {r[2]}" for r in skipped] + [""]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write("\n".join(report))
    print("\n".join(report))
    print(f"report: {os.path.join(args.out, 'report.md')}")
    print(f"{len(passed)} passed, {len(failed)} failed")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())

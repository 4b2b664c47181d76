"""The LLVM-tier benchmark suite: each Ruchy program in bench/programs against its C
equivalent (bench/c, built with ``gcc -O3``), whole process, median of several runs.

    .venv/bin/python bench/run.py                # every benchmark, 5 runs each
    .venv/bin/python bench/run.py --runs 3 fib sieve
    .venv/bin/python bench/run.py --quick        # small sizes only (a smoke test)
    .venv/bin/python bench/run.py --columns 'auto cold,tier 2 cold' --no-small nbody

For each benchmark: the C program and tiers 1 and 2 at the full size (sized so that
gcc -O3 takes 0.3-1 s), run alternately so that machine noise hits all alike; then the
C program and tier 0 at a small size (the interpreter is thousands of times slower).
Each compiled tier is measured twice per round:

- *cold*: the program cache is emptied first, so the run parses, compiles and links the
  program (what a first run costs; the runtime library, compiled once per host, is
  cached, as it is after a user's very first run);
- *warm*: the same command again, which runs the cached machine code.

Every time is a whole process (``ruchy-opt run --tier=N FILE``), Python start-up
included; ruchy-opt runs with a private cache directory and with Python's bytecode
cache allowed (PYTHONDONTWRITEBYTECODE is removed, as a user's shell does not set it).
``auto cold``/``auto warm`` are the default ``run`` (the tiered runtime) the same way.

Peers run the same algorithm whole-process too: ``luajit`` (bench/lua/NAME.lua) and
``pypy`` (bench/py/NAME.py) at the full size, each a column when it is installed (the
table says which were not); CPython runs bench/py/NAME.py at the small size, next to
tier 0, since it is as slow as an interpreter. Every run's output is checked against
the C program's (floats numerically).
The table is written to stdout and, as JSON, to bench/results.json.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Optional

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RUCHY = [os.path.join(REPO, ".venv", "bin", "ruchy-opt")]
if not os.path.exists(RUCHY[0]):
    RUCHY = [sys.executable, "-m", "ruchy_opt.launch"]

#: name -> (full size, small size for tier 0)
SIZES = {"fib": (41, 27), "loops": (10000, 300), "sieve": (200, 2), "mandelbrot": (1600, 60),
         "nbody": (5000000, 20000), "matmul": (1000, 60), "collatz": (2000000, 30000),
         "sieve_push": (150, 1), "nbody_structs": (5000000, 20000)}


def program_text(name: str, n: int) -> str:
    with open(os.path.join(HERE, "programs", name + ".ruchy"), encoding="utf-8") as f:
        text = f.read()
    return re.sub(r"^let N = \d+", f"let N = {n}", text, count=1, flags=re.M)


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, str]:
    """Wall-clock seconds of one whole process, and what it printed."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()[:300]}")
    return dt, p.stdout


def ruchy_env(cache: str) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("RUCHY_OPT_NO_CACHE", None)
    env["RUCHY_OPT_CACHE_DIR"] = cache
    return env


def same_output(a: str, b: str) -> bool:
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb):
        return False
    for x, y in zip(ta, tb):
        if x == y:
            continue
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            return False
        if abs(fx - fy) > 1e-9 * max(1.0, abs(fx)):
            return False
    return True


#: peer column -> (interpreter, twin directory, twin suffix), run at the full size
PEERS = {"luajit": ("luajit", "lua", ".lua"), "pypy": ("pypy3", "py", ".py")}


def peers(name: str) -> dict[str, list[str]]:
    """Commands of the peer implementations that are installed (size appended later)."""
    out: dict[str, list[str]] = {}
    for column, (exe, folder, suffix) in PEERS.items():
        twin = os.path.join(HERE, folder, name + suffix)
        if shutil.which(exe) and os.path.exists(twin):
            out[column] = [exe, twin]
    return out


def bench_one(name: str, runs: int, tmp: str, quick: bool,
              only: Optional[list[str]] = None, small_too: bool = True) -> dict:
    big, small = SIZES[name]
    if quick:
        big = small
    exe = os.path.join(tmp, name)
    subprocess.run(["gcc", "-O3", "-o", exe, os.path.join(HERE, "c", name + ".c"), "-lm"],
                   check=True)
    files = {}
    for label, n in (("big", big), ("small", small)):
        path = os.path.join(tmp, f"{name}_{label}.ruchy")
        with open(path, "w", encoding="utf-8") as f:
            f.write(program_text(name, n))
        files[label] = path
    cache = os.path.join(tmp, "cache")
    env = ruchy_env(cache)
    programs = os.path.join(cache, "programs")
    cmds = {"gcc -O3": [exe, str(big)]}
    for tier in ("1", "2", "auto"):
        run = RUCHY + ["run", f"--tier={tier}", files["big"]]
        label = "auto" if tier == "auto" else f"tier {tier}"
        cmds[f"{label} cold"] = run
        cmds[f"{label} warm"] = run
    cmds.update({k: v + [str(big)] for k, v in peers(name).items()})
    if only is not None:  # the reference stays: every ratio is to it
        unknown = [c for c in only if c not in cmds]
        if unknown:
            raise SystemExit(f"run.py: no column {', '.join(map(repr, unknown))} for "
                             f"{name} (columns: {', '.join(cmds)})")
        cmds = {k: v for k, v in cmds.items() if k == "gcc -O3" or k in only}
    small_cmds = {"gcc -O3 (small)": [exe, str(small)],
                  "tier 0 (small)": RUCHY + ["run", "--tier=0", files["small"]],
                  "cpython (small)": [sys.executable, os.path.join(HERE, "py", name + ".py"),
                                      str(small)]}
    if not small_too:
        small_cmds = {}
    times: dict[str, list[float]] = {k: [] for k in [*cmds, *small_cmds]}
    outputs: dict[str, str] = {}
    for tier in ("1", "2"):  # untimed: builds the runtime library cache once per host
        timed(RUCHY + ["run", f"--tier={tier}", files["small"]], env)
    for group in (cmds, small_cmds):
        for r in range(runs):
            for label, cmd in group.items():  # alternate: one run of each per round
                if label.endswith(" cold"):
                    shutil.rmtree(programs, ignore_errors=True)
                dt, out = timed(cmd, env if cmd[:len(RUCHY)] == RUCHY else None)
                times[label].append(dt)
                outputs[label] = out
    ok = all(same_output(outputs[k], outputs["gcc -O3"]) for k in cmds) and \
        all(same_output(outputs[k], outputs["gcc -O3 (small)"]) for k in small_cmds)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {"name": name, "size": big, "small": small, "median": med, "ok": ok,
            "runs": runs}


MAIN_COLUMNS = ["gcc -O3", "tier 1 cold", "tier 1 warm", "tier 2 cold", "tier 2 warm",
                "auto cold", "auto warm"]
#: measured at the small size, each divided by gcc's small-size time
SMALL_COLUMNS = ["tier 0 (small)", "cpython (small)"]


def table(results: list[dict]) -> str:
    """The results as a text table: each column's median and its ratio to gcc -O3 at the
    same size, then the geometric mean of the ratios."""
    present = {k for r in results for k in r["median"]}
    small = [c for c in SMALL_COLUMNS if c in present]
    cols = [c for c in MAIN_COLUMNS if c in present]
    cols += sorted(present - set(cols) - set(small) - {"gcc -O3 (small)"})
    head = f"{'benchmark':<11} {'N':>8} " + " ".join(f"{c:>16}" for c in cols) + \
        "".join(f" {c:>18}" for c in small) + "  ok"
    lines = [head, "-" * len(head)]
    ratios: dict[str, list[float]] = {c: [] for c in cols[1:] + small}
    for r in results:
        m = r["median"]
        c = m["gcc -O3"]
        cells = [f"{c:>14.3f} s"]
        for col in cols[1:]:
            if col in m:
                ratios[col].append(m[col] / c)
                cells.append(f"{m[col]:>7.3f} s {m[col] / c:>5.2f}x")
            else:
                cells.append(f"{'-':>16}")
        for col in small:
            if col in m:
                ratios[col].append(m[col] / m["gcc -O3 (small)"])
                cells.append(f"{m[col]:>8.3f} s {ratios[col][-1]:>7.0f}x")
            else:
                cells.append(f"{'-':>18}")
        lines.append(f"{r['name']:<11} {r['size']:>8} " + " ".join(cells) +
                     f"  {'yes' if r['ok'] else 'NO'}")
    geo = []
    for col in cols[1:] + small:
        v = ratios[col]
        width = 18 if col in small else 16
        digits = 0 if col in small else 2
        geo.append(f"{statistics.geometric_mean(v):>{width - 1}.{digits}f}x" if v
                   else f"{'-':>{width}}")
    lines.append(f"{'geomean':<20} {'':>16} " + " ".join(geo))
    lines.append("whole-process wall time, median of "
                 f"{min(r['runs'] for r in results)} alternating runs; ratios to gcc -O3 "
                 "(small-size columns to gcc -O3 at the small size). "
                 "cold: empty program cache (parse, compile, link, run); "
                 "warm: the cached machine code runs.")
    missing = [n for n, found in installed_peers().items() if not found]
    if missing:
        lines.append("not installed here (no column): " + ", ".join(missing))
    return "\n".join(lines)


def installed_peers() -> dict[str, bool]:
    """Which peer interpreters this machine has, by column name."""
    return {column: bool(shutil.which(exe)) for column, (exe, _, _) in PEERS.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help=f"benchmarks (default: all of {', '.join(SIZES)})")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="small sizes everywhere")
    ap.add_argument("--json", default=os.path.join(HERE, "results.json"),
                    help="where the medians go (default bench/results.json)")
    ap.add_argument("--columns", help="only these full-size columns, comma-separated "
                                      "(gcc -O3 always runs: the ratios are to it), e.g. "
                                      "'auto cold,tier 2 cold'")
    ap.add_argument("--no-small", action="store_true",
                    help="skip the small-size columns (tier 0, CPython)")
    a = ap.parse_args()
    only = [c.strip() for c in a.columns.split(",")] if a.columns else None
    names = a.names or list(SIZES)
    results = []
    with tempfile.TemporaryDirectory(prefix="ruchy-bench-") as tmp:
        for name in names:
            results.append(bench_one(name, a.runs, tmp, a.quick, only, not a.no_small))
            print(f"{name}: done", file=sys.stderr)
    print(table(results))
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

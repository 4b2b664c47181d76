"""The LLVM-tier benchmark suite: each Ruchy program in bench/programs against its C
equivalent (bench/c, built with ``gcc -O3``), whole process, median of several runs.

    .venv/bin/python bench/run.py                # every benchmark, 5 runs each
    .venv/bin/python bench/run.py --runs 3 fib sieve
    .venv/bin/python bench/run.py --quick        # small sizes only (a smoke test)

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
LuaJIT, PyPy and Numba columns appear when those are installed (bench/lua, bench/py).
Every run's output is checked against the C program's (floats numerically).
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

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RUCHY = [os.path.join(REPO, ".venv", "bin", "ruchy-opt")]
if not os.path.exists(RUCHY[0]):
    RUCHY = [sys.executable, "-m", "ruchy_opt.launch"]

#: name -> (full size, small size for tier 0)
SIZES = {"fib": (41, 27), "loops": (10000, 300), "sieve": (200, 2), "mandelbrot": (1600, 60),
         "nbody": (5000000, 20000), "matmul": (1000, 60), "collatz": (2000000, 30000),
         "sieve_push": (150, 1)}


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


def peers(tmp: str, name: str) -> dict[str, list[str]]:
    """Commands of the other implementations that are installed, for size N later."""
    out: dict[str, list[str]] = {}
    lua = os.path.join(HERE, "lua", name + ".lua")
    py = os.path.join(HERE, "py", name + ".py")
    if shutil.which("luajit") and os.path.exists(lua):
        out["luajit"] = ["luajit", lua]
    if shutil.which("pypy3") and os.path.exists(py):
        out["pypy"] = ["pypy3", py]
    try:
        import numba  # noqa: F401
        if os.path.exists(py):
            out["numba"] = [sys.executable, py, "--numba"]
    except ImportError:
        pass
    return out


def bench_one(name: str, runs: int, tmp: str, quick: bool) -> dict:
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
    for tier in ("1", "2"):
        run = RUCHY + ["run", f"--tier={tier}", files["big"]]
        cmds[f"tier {tier} cold"] = run
        cmds[f"tier {tier} warm"] = run
    cmds.update({k: v + [str(big)] for k, v in peers(tmp, name).items()})
    small_cmds = {"gcc -O3 (small)": [exe, str(small)],
                  "tier 0 (small)": RUCHY + ["run", "--tier=0", files["small"]]}
    times: dict[str, list[float]] = {k: [] for k in [*cmds, *small_cmds]}
    outputs: dict[str, str] = {}
    for tier in ("1", "2"):  # untimed: builds the runtime library cache once per host
        timed(cmds[f"tier {tier} cold"], env)
    for group in (cmds, small_cmds):
        for r in range(runs):
            for label, cmd in group.items():  # alternate: one run of each per round
                if label.endswith(" cold"):
                    shutil.rmtree(programs, ignore_errors=True)
                dt, out = timed(cmd, env if cmd[:len(RUCHY)] == RUCHY else None)
                times[label].append(dt)
                outputs[label] = out
    ok = all(same_output(outputs[k], outputs["gcc -O3"]) for k in cmds) and \
        same_output(outputs["tier 0 (small)"], outputs["gcc -O3 (small)"])
    med = {k: statistics.median(v) for k, v in times.items()}
    return {"name": name, "size": big, "small": small, "median": med, "ok": ok,
            "runs": runs}


MAIN_COLUMNS = ["gcc -O3", "tier 1 cold", "tier 1 warm", "tier 2 cold", "tier 2 warm"]


def table(results: list[dict]) -> str:
    cols = list(MAIN_COLUMNS)
    extra = sorted({k for r in results for k in r["median"]} - set(cols)
                   - {"gcc -O3 (small)", "tier 0 (small)"})
    cols += extra
    head = f"{'benchmark':<11} {'N':>8} " + " ".join(f"{c:>16}" for c in cols) + \
        f" {'tier 0 (small N)':>22}  ok"
    lines = [head, "-" * len(head)]
    ratios: dict[str, list[float]] = {c: [] for c in cols[1:]}
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
        t0 = m["tier 0 (small)"] / m["gcc -O3 (small)"]
        lines.append(f"{r['name']:<11} {r['size']:>8} " + " ".join(cells) +
                     f" {m['tier 0 (small)']:>8.3f} s {t0:>9.0f}x  {'yes' if r['ok'] else 'NO'}")
    geo = []
    for col in cols[1:]:
        v = ratios[col]
        geo.append(f"{statistics.geometric_mean(v):>15.2f}x" if v else f"{'-':>16}")
    lines.append(f"{'geomean':<20} {'':>16} " + " ".join(geo))
    lines.append("whole-process wall time, median of "
                 f"{min(r['runs'] for r in results)} alternating runs; ratios to gcc -O3. "
                 "cold: empty program cache (parse, compile, link, run); "
                 "warm: the cached machine code runs.")
    missing = [n for n, found in installed_peers().items() if not found]
    if missing:
        lines.append("not installed here (no column): " + ", ".join(missing))
    return "\n".join(lines)


def installed_peers() -> dict[str, bool]:
    try:
        import numba  # noqa: F401
        has_numba = True
    except ImportError:
        has_numba = False
    return {"LuaJIT": bool(shutil.which("luajit")), "PyPy": bool(shutil.which("pypy3")),
            "Numba": has_numba}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help=f"benchmarks (default: all of {', '.join(SIZES)})")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="small sizes everywhere")
    ap.add_argument("--json", default=os.path.join(HERE, "results.json"))
    a = ap.parse_args()
    names = a.names or list(SIZES)
    results = []
    with tempfile.TemporaryDirectory(prefix="ruchy-bench-") as tmp:
        for name in names:
            results.append(bench_one(name, a.runs, tmp, a.quick))
            print(f"{name}: done", file=sys.stderr)
    print(table(results))
    with open(a.json, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

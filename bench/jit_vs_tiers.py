"""Mixed mode against the fixed tiers: ``run --tier=auto`` vs ``--tier=2`` vs
``--tier=0`` on hot code (recursive fib(32), a hot loop at the top level, a hot loop in
a function) and on short scripts, as whole processes (start-up included).

    .venv/bin/python bench/jit_vs_tiers.py [--runs 5] [--cache cold|warm|both]

Runs alternate between tiers (the machine is shared, so a slow moment hits every tier
alike) and each cell is the median wall time of ``ruchy-opt run`` as the console script
runs it (``ruchy_opt.launch``: its warm paths start before the front end is imported).
``cold`` gives every run an empty cache directory holding only the runtime library
(built once per host): tier 2 compiles the whole program, auto compiles what gets hot
(and a hot program is then compiled whole in the background, jit/remember.py; that
compile is waited for after the timed run, so it slows no other measurement). ``warm``
runs once to fill a cache directory (remembering synchronously) and measures the runs
after it: a hot program's auto runs then start from its remembered whole program.
The goals (issue 6): auto <= 1.3x tier 2 on hot code, auto <= 1.1x tier 0 on short
scripts.
"""
from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROGRAMS = {
    "fib32": ("hot", """fun fib(n: i64) -> i64 {
    if n < 2 { return n }
    fib(n - 1) + fib(n - 2)
}
println(fib(32))
"""),
    "toplevel_loop": ("hot", """let mut s = 0
let mut i = 0
while i < 20000000 {
    s = (s + i * 7) % 1000003
    i += 1
}
println(s)
"""),
    "function_loop": ("hot", """fun collatz_max(limit: i64) -> i64 {
    let mut best = 0
    for n in 1..limit {
        let mut x = n
        let mut steps = 0
        while x != 1 {
            if x % 2 == 0 { x = x / 2 } else { x = 3 * x + 1 }
            steps += 1
        }
        if steps > best { best = steps }
    }
    best
}
println(collatz_max(300000))
"""),
    "short_script": ("short", """fun greet(name) { "hello, " + name }
let xs = [3, 1, 2]
let mut total = 0
for x in xs { total += x }
println(greet("world"), total)
for i in 0..10 { println(i * i) }
"""),
    "short_calls": ("short", """fun sq(x: i64) -> i64 { x * x }
let mut s = 0
for i in 0..2000 { s += sq(i) }
println(s)
"""),
}
TIERS = ("auto", "2", "0")


def _time(argv: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    p = subprocess.run(argv, env=env, capture_output=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{p.stderr.decode()}")
    return dt


def _settle(cache: Path) -> None:
    """Wait for the background compiles of remembered programs (each holds its lock)."""
    for lock in (cache / "jit" / "remembered").glob("*.lock"):
        fd = os.open(lock, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        finally:
            os.close(fd)


def _fresh_cache(tmp: Path, runtime: Path) -> Path:
    """An empty cache directory but for the runtime library objects."""
    d = Path(tempfile.mkdtemp(dir=tmp))
    for f in runtime.glob("runtime-*.o"):
        shutil.copy(f, d / f.name)
    return d


def measure(runs: int, mode: str, names: list[str]) -> dict:
    exe = [sys.executable, "-m", "ruchy_opt.launch", "run"]
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        warm = tmp / "warm"
        env = dict(os.environ, PYTHONPATH=str(REPO), RUCHY_OPT_CACHE_DIR=str(warm))
        env.pop("RUCHY_OPT_NO_CACHE", None)
        for name in names:
            path = tmp / f"{name}.ruchy"
            path.write_text(PROGRAMS[name][1])
            fill = dict(env, RUCHY_OPT_JIT_BACKGROUND="0")
            for t in TIERS:  # fills the warm cache (and builds the runtime library once)
                _time(exe + [f"--tier={t}", str(path)], fill)
            times: dict[str, list[float]] = {t: [] for t in TIERS}
            for _ in range(runs):
                for t in TIERS:
                    if mode == "cold":
                        env["RUCHY_OPT_CACHE_DIR"] = str(_fresh_cache(tmp, warm))
                    times[t].append(_time(exe + [f"--tier={t}", str(path)], env))
                    _settle(Path(env["RUCHY_OPT_CACHE_DIR"]))
            env["RUCHY_OPT_CACHE_DIR"] = str(warm)
            results[name] = {t: statistics.median(v) for t, v in times.items()}
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cache", choices=["cold", "warm", "both"], default="both")
    ap.add_argument("programs", nargs="*", default=list(PROGRAMS))
    a = ap.parse_args()
    for mode in (["cold", "warm"] if a.cache == "both" else [a.cache]):
        res = measure(a.runs, mode, a.programs)
        print(f"\n{mode} cache, median of {a.runs} runs (seconds)")
        print(f"{'program':16} {'auto':>7} {'tier 2':>7} {'tier 0':>7} "
              f"{'auto/t2':>8} {'auto/t0':>8}  goal")
        for name, r in res.items():
            kind = PROGRAMS[name][0]
            goal = "auto/t2 <= 1.3" if kind == "hot" else "auto/t0 <= 1.1"
            print(f"{name:16} {r['auto']:7.2f} {r['2']:7.2f} {r['0']:7.2f} "
                  f"{r['auto'] / r['2']:8.2f} {r['auto'] / r['0']:8.2f}  {goal}")


if __name__ == "__main__":
    main()

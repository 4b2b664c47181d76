"""Tier 0 against plain CPython on the same algorithms (bench/tier0/NAME.ruchy and NAME.py).

Runs each pair of whole processes alternately, several times, and prints the median
wall times and the ratio tier 0 / CPython (the goal for tier 0 is at most 3x). Also
reports the start-up time of `ruchy-opt run` on an empty program.

    .venv/bin/python bench/tier0_vs_cpython.py [--runs N] [--cpu] [--no-pyc] [NAME ...]

--cpu measures the CPU time (user + system) of each process instead of its wall time:
far steadier on a loaded machine. Both sides run as an installed package does, with
Python's bytecode cache (.pyc, kept under ~/.cache/ruchy-opt/pyc so the checkout stays
clean) even when the environment sets PYTHONDONTWRITEBYTECODE; --no-pyc keeps the
environment as it is (every run of ruchy-opt then compiles its ~100 modules afresh).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PROGRAMS = os.path.join(HERE, "tier0")


def _ruchy_cmd() -> list[str]:
    exe = os.path.join(os.path.dirname(sys.executable), "ruchy-opt")
    if os.path.exists(exe):
        return [exe, "run", "--tier=0"]
    return [sys.executable, "-m", "ruchy_opt.cli", "run", "--tier=0"]


#: Set by main(): measure CPU time rather than wall time; the children's environment.
_CPU = False
_ENV: dict[str, str] | None = None


def _time(cmd: list[str]) -> tuple[float, bytes]:
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                          env=_ENV)
    elapsed = time.perf_counter() - start
    if _CPU:
        after = os.times()
        elapsed = (after.children_user - before.children_user
                   + after.children_system - before.children_system)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr.decode()}")
    return elapsed, proc.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of each process (median taken)")
    ap.add_argument("--cpu", action="store_true", help="CPU time instead of wall time")
    ap.add_argument("--no-pyc", action="store_true",
                    help="leave PYTHONDONTWRITEBYTECODE as the environment sets it")
    ap.add_argument("names", nargs="*", help="programs to run (default: all in bench/tier0)")
    args = ap.parse_args()
    global _CPU, _ENV
    _CPU = args.cpu
    if not args.no_pyc:
        _ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        _ENV.setdefault("PYTHONPYCACHEPREFIX",
                        os.path.join(os.path.expanduser("~"), ".cache", "ruchy-opt", "pyc"))
    names = args.names or sorted(f[:-6] for f in os.listdir(PROGRAMS) if f.endswith(".ruchy"))
    ruchy = _ruchy_cmd()
    with tempfile.NamedTemporaryFile("w", suffix=".ruchy", delete=False) as f:
        f.write("let x = 1\n")
    _time(ruchy + [f.name])  # fills the bytecode cache (if it is empty)
    startup = statistics.median(_time(ruchy + [f.name])[0] for _ in range(args.runs))
    py_startup = statistics.median(_time([sys.executable, "-c", "pass"])[0]
                                   for _ in range(args.runs))
    os.unlink(f.name)
    what = "cpu" if args.cpu else "s"
    print(f"{'program':<14}{f'tier 0 ({what})':>14}{f'CPython ({what})':>15}{'ratio':>8}")
    ratios = []
    for name in names:
        t0, py = [], []
        for _ in range(args.runs):
            a, out0 = _time(ruchy + [os.path.join(PROGRAMS, name + ".ruchy")])
            b, out1 = _time([sys.executable, os.path.join(PROGRAMS, name + ".py")])
            if out0 != out1:
                sys.exit(f"{name}: outputs differ:\n{out0.decode()}\n{out1.decode()}")
            t0.append(a)
            py.append(b)
        m0, m1 = statistics.median(t0), statistics.median(py)
        ratios.append(m0 / m1)
        print(f"{name:<14}{m0:>14.3f}{m1:>15.3f}{m0 / m1:>7.2f}x")
    gmean = statistics.geometric_mean(ratios)
    print(f"{'geomean':<14}{'':>29}{gmean:>7.2f}x")
    print(f"start-up: ruchy-opt run {startup * 1000:.0f} ms, python3 {py_startup * 1000:.0f} ms "
          f"(medians of {args.runs}; {'CPU' if args.cpu else 'wall'} time; "
          f"{'no ' if args.no_pyc else ''}bytecode cache; Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()

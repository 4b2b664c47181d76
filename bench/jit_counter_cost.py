"""What tier-1 code's heat counters cost (docs/jit.md, "Promotion"): the same tier-1
specialisation compiled with and without them (jit/exportgen.py ``count``), each
called through ctypes as the tiered runtime calls it, the least CPU time of the calling
thread over alternating runs (CPU time, because the machine is shared: waiting for a
core is not the code's cost).

    .venv/bin/python bench/jit_counter_cost.py [--runs 7]

The last column is the tier-2 code of the same function (no counters), what the counters
promote to. Kernels: a hot loop (one back edge per iteration, the loop of bench/jit_vs_tiers.py),
a loop over an array (a versioned loop: the fast copy counts too), a loop calling a
small function compiled into it (a call and a back edge per iteration) and recursive fib
(a call counted per call).
"""
from __future__ import annotations

import argparse
import ctypes
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PROGRAM = """fun work(n: i64) -> i64 {
    let mut s = 0
    let mut i = 0
    while i < n {
        s = (s + i * 7) % 1000003
        i += 1
    }
    s
}
fun sum_array(n: i64) -> i64 {
    let mut a = [0; 1000]
    for i in 0..1000 { a[i] = i * 3 }
    let mut s = 0
    for k in 0..n { for i in 0..1000 { s = (s + a[i] * k) % 1000003 } }
    s
}
fun inner(x: i64) -> i64 { x % 7 + 1 }
fun calls(n: i64) -> i64 {
    let mut s = 0
    for i in 0..n { s = s + inner(i) }
    s
}
fun fib(n: i64) -> i64 { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
"""
KERNELS = [("hot loop", "work", 20_000_000), ("array loop", "sum_array", 20_000),
           ("loop calling a callee", "calls", 20_000_000), ("recursive fib", "fib", 32)]


def compiled(fn: str, count: bool, tier: int = 1):
    """(engine, callable) of ``fn(i64)`` compiled as the runtime compiles it
    (native.compile_object), at tier 1 with or without the counters, or at tier 2."""
    from ruchy_opt.codegen.engine import JIT
    from ruchy_opt.errors import SourceFile
    from ruchy_opt.jit import exportgen
    from ruchy_opt.jit.native import EXPORT, compile_object, type_specialisation
    from ruchy_opt.lower import lower_program
    from ruchy_opt.syntax.parser import parse_program
    src = SourceFile("cost.ruchy", PROGRAM)
    typed = type_specialisation(lower_program(parse_program(PROGRAM, src.name), src),
                                fn, ("i64",))
    real = exportgen.generate_export
    if not count:  # tier-1 code as it was before the counters
        exportgen.generate_export = lambda prog, src, export, count=False: \
            real(prog, src, export, False)
    try:
        jit = JIT.from_object(compile_object(typed, src, tier)[0])
    finally:
        exportgen.generate_export = real
    proto = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)
    return jit, proto(jit.address(EXPORT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    runs = ap.parse_args().runs
    print(f"{'kernel':<24} {'tier 1 s':>9} {'counted s':>10} {'cost':>7} {'tier 2 s':>9}"
          f"  (CPU s, best of {runs})")
    for label, fn, arg in KERNELS:
        codes = {"plain": compiled(fn, False), "counted": compiled(fn, True),
                 "tier 2": compiled(fn, False, 2)}
        best = dict.fromkeys(codes, float("inf"))
        results = set()
        for _ in range(runs):
            for what, (_, f) in codes.items():
                t0 = time.thread_time()
                results.add(f(1, arg))
                best[what] = min(best[what], time.thread_time() - t0)
        assert len(results) == 1, results
        cost = best["counted"] / best["plain"] - 1
        print(f"{label:<24} {best['plain']:9.4f} {best['counted']:10.4f} {cost:+7.1%} "
              f"{best['tier 2']:9.4f}")


if __name__ == "__main__":
    main()

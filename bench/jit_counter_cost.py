"""What tier-1 code's heat counters cost (docs/jit.md, "Promotion"): the same tier-1
specialisation compiled with and without them (jit/exportgen.py ``count``), each
called through ctypes as the tiered runtime calls it, best of alternating runs.

    .venv/bin/python bench/jit_counter_cost.py [--runs 7]

Kernels: a hot loop (one back edge per iteration, the loop of bench/jit_vs_tiers.py),
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
           ("loop calling a callee", "calls", 20_000_000), ("recursive fib", "fib", 30)]


def compiled(fn: str, count: bool):
    from ruchy_opt.codegen import engine
    from ruchy_opt.errors import SourceFile
    from ruchy_opt.jit.exportgen import generate_export
    from ruchy_opt.jit.native import EXPORT, type_specialisation
    from ruchy_opt.lower import lower_program
    from ruchy_opt.syntax.parser import parse_program
    src = SourceFile("cost.ruchy", PROGRAM)
    typed = type_specialisation(lower_program(parse_program(PROGRAM, src.name), src),
                                fn, ("i64",))
    ref = engine.parse(str(generate_export(typed.prog, src, EXPORT, count)), src.name)
    tm = engine.target_machine(jit=True)
    ref.triple, ref.data_layout = tm.triple, str(tm.target_data)
    engine.optimize(ref, tm, engine.LLVMOptions(speed_level=1))  # tier 1: LLVM O1
    jit = engine.JIT.from_object(engine.target_machine(jit=True).emit_object(ref))
    proto = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)
    return jit, proto(jit.address(EXPORT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    runs = ap.parse_args().runs
    print(f"{'kernel':<24} {'plain s':>9} {'counted s':>10} {'cost':>7}")
    for label, fn, arg in KERNELS:
        plain, counted = compiled(fn, False), compiled(fn, True)
        best = {False: float("inf"), True: float("inf")}
        results = set()
        for _ in range(runs):
            for count, (_, f) in ((False, plain), (True, counted)):
                t0 = time.perf_counter()
                results.add(f(1, arg))
                best[count] = min(best[count], time.perf_counter() - t0)
        assert len(results) == 1, results
        cost = best[True] / best[False] - 1
        print(f"{label:<24} {best[False]:9.4f} {best[True]:10.4f} {cost:+7.1%}")


if __name__ == "__main__":
    main()

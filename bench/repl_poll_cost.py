"""What the REPL's polls cost (docs/repl.md, "Ctrl-C in compiled code"): the same tier-2
specialisation compiled as ``run`` compiles it and as the REPL does, with a poll of the
stop flag at every function entry and loop back edge (jit/exportgen.py ``poll``), each
called through ctypes, the least CPU time of the calling thread over alternating runs
(CPU time: the machine is shared).

    .venv/bin/python bench/repl_poll_cost.py [--runs 7]

The kernels are bench/jit_counter_cost.py's: a hot loop, a loop over an array (a
versioned loop, which LLVM may vectorise without a poll), a loop calling a small
function, recursive fib.
"""
from __future__ import annotations

import argparse
import ctypes
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from jit_counter_cost import KERNELS, PROGRAM  # noqa: E402


def compiled(fn: str, poll: bool):
    """(engine, callable) of ``fn(i64)`` at tier 2, with or without polls."""
    from ruchy_opt.codegen.engine import JIT
    from ruchy_opt.errors import SourceFile
    from ruchy_opt.jit.native import EXPORT, compile_object, type_specialisation
    from ruchy_opt.lower import lower_program
    from ruchy_opt.syntax.parser import parse_program
    src = SourceFile("cost.ruchy", PROGRAM)
    typed = type_specialisation(lower_program(parse_program(PROGRAM, src.name), src),
                                fn, ("i64",))
    jit = JIT.from_object(compile_object(typed, src, 2, poll=poll)[0])
    proto = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)
    return jit, proto(jit.address(EXPORT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    runs = ap.parse_args().runs
    print(f"{'kernel':<24} {'tier 2 s':>9} {'polled s':>9} {'cost':>7}  (CPU s, best of "
          f"{runs})")
    for label, fn, arg in KERNELS:
        codes = {"plain": compiled(fn, False), "polled": compiled(fn, True)}
        best = dict.fromkeys(codes, float("inf"))
        results = set()
        for _ in range(runs):
            for what, (_, f) in codes.items():
                t0 = time.thread_time()
                results.add(f(1, arg))
                best[what] = min(best[what], time.thread_time() - t0)
        assert len(results) == 1, results
        cost = best["polled"] / best["plain"] - 1
        print(f"{label:<24} {best['plain']:9.4f} {best['polled']:9.4f} {cost:+7.1%}")


if __name__ == "__main__":
    main()

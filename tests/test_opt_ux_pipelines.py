"""User pipelines at the compiled tiers (issue 16): any pipeline built from the listed
passes runs at tiers 1 and 2 and the program prints what tier 0 prints, fails the same
way, and no pass is blamed for IR it was given.

Random pipelines are drawn (seeded) from every pass ``--list-passes`` lists, except
``print``, which writes the IR to stderr by design; each runs with ``--verify-each`` at
tier 2 on one of a few programs, round robin. In-process and bounded: ~20 compiles.
"""
from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from ruchy_harness import EXAMPLES_DIR, PROGRAMS_DIR, run_cli

os.environ.setdefault("RUCHY_OPT_STRICT", "1")  # a compiler bug fails, never falls back

#: programs that compile whole at tier 2 (no Level 3), with loops, calls, recursion,
#: arrays, floats, strings and a runtime error among them
PROGRAMS = [PROGRAMS_DIR / "recursion.ruchy", PROGRAMS_DIR / "arrays.ruchy",
            PROGRAMS_DIR / "float_math.ruchy", PROGRAMS_DIR / "err_overflow_loop.ruchy",
            EXAMPLES_DIR / "e03_loops.ruchy", EXAMPLES_DIR / "e09_bits.ruchy"]
#: parameters worth drawing besides the defaults
VARIANTS = {"typespec": ["typespec", "typespec<open>", "typespec<deopt>"],
            "inline": ["inline", "inline<threshold=10>"],
            "unroll": ["unroll", "unroll<count=2>"]}
PIPELINES = 20


def _passes() -> list[str]:
    from ruchy_opt.passmgr.registry import Registry
    names = [n for n in Registry().names() if n != "print"]
    assert {"typespec", "sccp", "gvn", "dce", "licm", "inline", "unroll"} <= set(names)
    return [v for n in names for v in VARIANTS.get(n, [n])]


def random_pipeline(rng: random.Random, passes: list[str]) -> str:
    """1 to 6 passes, sometimes with a nested fixpoint or repeat."""
    parts = [rng.choice(passes) for _ in range(rng.randint(1, 6))]
    if rng.random() < 0.35:
        inner = ",".join(rng.choice(passes) for _ in range(rng.randint(1, 3)))
        parts.insert(rng.randint(0, len(parts)), rng.choice(
            [f"fixpoint({inner})", f"repeat<2>({inner})"]))
    return ",".join(parts)


def _cases() -> list[tuple[Path, str]]:
    rng = random.Random(16)
    passes = _passes()
    programs = [p for p in PROGRAMS if p.exists()]
    return [(programs[k % len(programs)], random_pipeline(rng, passes))
            for k in range(PIPELINES)]


_TIER0: dict[Path, tuple] = {}


def _tier0(path: Path) -> tuple:
    if path not in _TIER0:
        r = run_cli(["run", "--tier=0", str(path)])
        _TIER0[path] = (r.status, r.stdout, r.stderr)
    return _TIER0[path]


@pytest.mark.parametrize("path,pipeline", _cases(),
                         ids=[f"{p.stem}:{q}" for p, q in _cases()])
def test_random_pipeline_at_tier2_agrees_with_tier0(path: Path, pipeline: str) -> None:
    r = run_cli(["run", "--tier=2", "--no-cache", "--verify-each", f"--passes={pipeline}",
                 str(path)])
    assert (r.status, r.stdout, r.stderr) == _tier0(path), pipeline


FIB = "fun fib(n: i64) -> i64 {\n    if n < 2 { return n }\n    fib(n - 1) + fib(n - 2)\n}\n" \
      "fun main() {\n    println(fib(15))\n}\n"


@pytest.mark.parametrize("argv", [["run", "--tier=2", "--passes=dce"],
                                  ["run", "--tier=1", "-O1"],
                                  ["run", "--tier=2", "--passes=fixpoint(sccp,gvn,dce)"],
                                  ["run", "--tier=2", "-O2", "--verify-each"]])
def test_the_issues_pipelines_run_on_fib(tmp_path: Path, argv: list[str]) -> None:
    """The pipelines issue 16 saw fail with 'pass X produced invalid IR' on its input."""
    p = tmp_path / "fib.ruchy"
    p.write_text(FIB)
    r = run_cli([*argv, "--no-cache", str(p)])
    assert (r.status, r.stdout, r.stderr) == (0, "610\n", "")

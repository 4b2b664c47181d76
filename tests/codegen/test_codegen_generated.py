"""Differential testing of the compiled tiers: random programs from tools/ruchy_gen.py
run at tiers 0, 1 and 2 must print the same and fail the same way. Bounded (a fixed set
of seeds, small programs) so the suite stays quick; RUCHY_GEN_SEEDS=N runs more."""
from __future__ import annotations

import os
import random
import sys

import pytest

from ruchy_harness import TOOLS_DIR, run_cli

sys.path.insert(0, str(TOOLS_DIR))
from ruchy_gen import generate_program  # noqa: E402

SEEDS = range(int(os.environ.get("RUCHY_GEN_SEEDS", "12")))


def _agrees_across_tiers(p, text: str, seed: int) -> None:
    """Tiers 1 and 2 print, fail and exit as tier 0 does on program ``text`` (kept at ``p``)."""
    p.write_text(text, encoding="utf-8")
    want = run_cli(["run", "--tier=0", str(p)])
    for tier in ("1", "2"):
        got = run_cli(["run", f"--tier={tier}", str(p)])
        assert (got.status, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr), \
            f"tier {tier} differs on seed {seed}"


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_program_agrees_across_tiers(tmp_path, seed):
    text = generate_program(random.Random(1000 + seed), 18)
    _agrees_across_tiers(tmp_path / f"gen{seed}.ruchy", text, seed)


SUM_SEEDS = range(2000, 2005)


@pytest.mark.parametrize("seed", SUM_SEEDS)
def test_generated_sums_agree_across_tiers(tmp_path, seed):
    """ruchy_gen's --sums: a recursion that adds what it returns, and calls of it that
    may overflow deep down (codegen/puresum.py gives some of them a pure body)."""
    text = generate_program(random.Random(seed), 6, sums=True)
    _agrees_across_tiers(tmp_path / f"sums{seed}.ruchy", text, seed)


def test_some_generated_sums_get_a_pure_body(tmp_path):
    pure = 0
    for seed in SUM_SEEDS:
        p = tmp_path / f"sums{seed}.ruchy"
        p.write_text(generate_program(random.Random(seed), 6, sums=True), encoding="utf-8")
        r = run_cli(["--emit=llvm", "--tier=1", str(p)])
        assert r.status == 0, r.stderr
        pure += '@"r.rsum.pure"(' in r.stdout
    assert pure >= 1

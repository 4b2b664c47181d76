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


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_program_agrees_across_tiers(tmp_path, seed):
    text = generate_program(random.Random(1000 + seed), 18)
    p = tmp_path / f"gen{seed}.ruchy"
    p.write_text(text, encoding="utf-8")
    want = run_cli(["run", "--tier=0", str(p)])
    for tier in ("1", "2"):
        got = run_cli(["run", f"--tier={tier}", str(p)])
        assert (got.status, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr), \
            f"tier {tier} differs on seed {seed}"

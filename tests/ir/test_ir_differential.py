"""Differential test: tier 0 and the IR interpreter on random programs from
tools/ruchy_gen.py print the same and fail the same way (message and position), and
the lowered module survives a trip through the textual form unchanged.

Bounded so the suite stays fast: RUCHY_IR_DIFF_COUNT seeds (default 40) plus a few
hypothesis examples. Run more with e.g. ``RUCHY_IR_DIFF_COUNT=2000``.
"""
from __future__ import annotations

import os
import random
import sys

import pytest
from hypothesis import HealthCheck, given, settings

from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.verify import verify_module

from ir_helpers import ROOT, lower_text, run_ir, run_tier0

sys.path.insert(0, os.path.join(ROOT, "tools"))
ruchy_gen = pytest.importorskip("ruchy_gen")

COUNT = int(os.environ.get("RUCHY_IR_DIFF_COUNT", "40"))


def check_agrees(text: str) -> None:
    expected = run_tier0(text)
    got = run_ir(text)
    assert got == expected, f"tier 0: {expected[1]}\nIR:     {got[1]}\n--- program ---\n{text}"


def check_round_trip(text: str) -> None:
    m = lower_text(text)
    verify_module(m)
    printed = print_module(m)
    again = parse_module(printed)
    verify_module(again)
    assert print_module(again) == printed


@pytest.fixture(autouse=True)
def _deep_enough():
    # Lowering recurses on the nesting of expressions, as the command line allows.
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20_000))
    yield
    sys.setrecursionlimit(old)


@pytest.mark.parametrize("seed", range(COUNT))
def test_generated_program_runs_the_same(seed: int) -> None:
    text = ruchy_gen.generate_program(random.Random(1_000_003 * seed + 17), 24,
                                      opaque_literals=seed % 2 == 1)
    check_agrees(text)
    if seed % 4 == 0:
        check_round_trip(text)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(ruchy_gen.programs(size=16))
def test_hypothesis_programs_run_the_same(text: str) -> None:
    check_agrees(text)

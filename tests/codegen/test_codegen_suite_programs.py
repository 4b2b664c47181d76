"""Every program of tests/programs and ../shared/examples at tiers 1 and 2 prints exactly
what tier 0 prints, and fails the same way (same stderr, same exit status).

Compared with tier 0 itself rather than with the .expected files, so that a front-end or
tier-0 change shows up where it belongs (tests/test_programs.py) and not here."""
from __future__ import annotations

import pytest

from ruchy_harness import EXAMPLES_DIR, PROGRAMS_DIR, run_program

CASES = sorted(PROGRAMS_DIR.glob("*.ruchy")) + \
    (sorted(EXAMPLES_DIR.glob("*.ruchy")) if EXAMPLES_DIR.is_dir() else [])
DEEP = {"recursion", "err_stack_overflow", "err_stack_overflow_mutual"}


def _id(p) -> str:
    return ("examples/" if p.parent == EXAMPLES_DIR else "") + p.stem


@pytest.mark.parametrize("path", CASES, ids=_id)
def test_tiers_1_and_2_agree_with_tier0(path):
    sub = path.stem in DEEP
    want = run_program(path, "0", subprocess_=sub)
    exp = path.with_suffix(".expected")
    expected = exp.read_text(encoding="utf-8") if exp.exists() else None
    if "Traceback" in want.stderr or (expected is not None and want.stdout != expected):
        # a tier-0 bug (test_programs.py reports it): hold the compiled tiers to the
        # expected output alone
        for tier in ("1", "2"):
            got = run_program(path, tier, subprocess_=sub)
            # (a front-end bug makes every tier print what tier 0 prints)
            assert got.stdout in (expected, want.stdout), f"tier {tier}"
        pytest.skip("tier 0 disagrees with the expected output; compared stdout only")
    for tier in ("1", "2"):
        got = run_program(path, tier, subprocess_=sub)
        if path.stem == "err_stack_overflow_mutual":
            # tier 0 bounds Python frames, not calls: which of the two calls overflows
            # can differ; the IR interpreter and compiled code agree exactly
            assert (got.status, got.stdout) == (want.status, want.stdout)
            assert "error: stack overflow" in got.stderr
            continue
        assert (got.status, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr), \
            f"tier {tier}"

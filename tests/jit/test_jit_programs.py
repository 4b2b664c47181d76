"""Every program of tests/programs and the shared examples prints exactly the same in
mixed mode with every threshold at zero (everything compiled at once, loops entered by
OSR) as tier 0 does: same stdout, same status, same first line of stderr."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from jit_support import EVERYTHING_HOT, run_auto, split_log, tier0, warm_llvm

from ruchy_harness import EXAMPLES_DIR, PROGRAMS_DIR, TOOLS_DIR  # noqa: E402

SUBPROCESS = {"recursion", "err_stack_overflow", "err_stack_overflow_mutual"}
PROGRAMS = sorted(PROGRAMS_DIR.glob("*.ruchy")) + (
    sorted(EXAMPLES_DIR.glob("*.ruchy")) if EXAMPLES_DIR.is_dir() else [])


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("jit") / "cache"
    warm_llvm(d)
    return d


def _same_as_tier0(path: Path, cache: Path, subprocess_: bool) -> None:
    want = tier0(path)
    got = run_auto(path, cache, EVERYTHING_HOT, subprocess_=subprocess_)
    log, rest = split_log(got.stderr)
    assert got.stdout == want.stdout, f"stdout differs\n--- stderr ---\n{got.stderr}"
    assert got.status == want.status, got.stderr
    if path.stem == "err_stack_overflow_mutual":
        # tier 0 bounds Python frames, compiled code counts calls: which of the two
        # mutually recursive calls overflows can differ (as at tiers 1 and 2)
        assert "error: stack overflow" in rest
        return
    assert rest.split("\n")[0] == want.stderr.split("\n")[0], got.stderr
    assert "Traceback" not in got.stderr


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_program_everything_hot(path: Path, cache: Path) -> None:
    _same_as_tier0(path, cache, path.stem in SUBPROCESS or path.parent == EXAMPLES_DIR)


@pytest.mark.parametrize("seed", range(6))
def test_generated_program_everything_hot(seed: int, cache: Path, tmp_path: Path) -> None:
    sys.path.insert(0, str(TOOLS_DIR))
    from ruchy_gen import generate_program
    path = tmp_path / f"gen{seed}.ruchy"
    path.write_text(generate_program(random.Random(1000 + seed), 14), encoding="utf-8")
    _same_as_tier0(path, cache, False)


@pytest.mark.parametrize("seed", range(4))
def test_generated_value_loops_everything_hot(seed: int, cache: Path, tmp_path: Path) -> None:
    """Generated programs with loops in expression position (`let` values, arms used as
    values, function tails: ruchy_gen's value_loops), entered by OSR mid-expression."""
    sys.path.insert(0, str(TOOLS_DIR))
    from ruchy_gen import generate_program
    path = tmp_path / f"genv{seed}.ruchy"
    path.write_text(generate_program(random.Random(2000 + seed), 14, value_loops=True),
                    encoding="utf-8")
    _same_as_tier0(path, cache, False)

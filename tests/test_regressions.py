"""The programs in tests/regressions/: disagreements that ``tools/difftest.py --reduce``
found and shrank, each run under the configurations recorded for it and expected to print,
fail and exit as the oracle (tier 0) did when it was found (see tests/regressions/README.md).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import difftest as D  # noqa: E402

REGRESSIONS = ROOT / "tests" / "regressions"
CASES = sorted(REGRESSIONS.glob("*.json"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_regression_program_runs_as_the_oracle_did(case: Path, tmp_path: Path) -> None:
    runner = D.Runner(str(tmp_path / "cache"), timeout=120)
    problem = D.check_regression(case, runner)
    assert problem is None, f"{case.with_suffix('.ruchy')}:\n{problem}"


def test_every_regression_program_has_its_expectation() -> None:
    programs = {p.stem for p in REGRESSIONS.glob("*.ruchy")}
    assert programs == {c.stem for c in CASES}, "a .ruchy without its .json or the reverse"

"""Every ``.ssa`` test under tests/passes/ (one folder per pass), run through the command
line and checked with FileCheck patterns. Run one by hand with
``.venv/bin/python -m ruchy_opt.passmgr.lit tests/passes/sccp/branch.ssa``."""
from __future__ import annotations

from pathlib import Path

import pytest

from ruchy_opt.passmgr.lit import run_test

HERE = Path(__file__).parent
TESTS = sorted(p for p in [*HERE.rglob("*.ssa"), *HERE.rglob("*.ruchy")]
               if p.parent != HERE and "Inputs" not in p.parts
               and p.parent.name != "programs")  # programs: the differential test's


@pytest.mark.parametrize("path", TESTS, ids=[str(p.relative_to(HERE)) for p in TESTS])
def test_file(path: Path, tmp_path: Path) -> None:
    passed, report = run_test(path, tmp_path / "t")
    assert passed, report

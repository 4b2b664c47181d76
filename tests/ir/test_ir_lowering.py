"""Lowering shapes, checked with FileCheck patterns written in the programs themselves
(``// CHECK:`` lines in tests/ir/lowering/*.ruchy); the same programs also run through
the IR interpreter like tier 0 (see test_programs.py)."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys

import pytest

from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.verify import verify_module

from ir_helpers import lower_text, run_ir, run_tier0

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = sorted(glob.glob(os.path.join(HERE, "lowering", "*.ruchy")))


def _filecheck() -> list[str]:
    exe = shutil.which("filecheck", path=os.path.dirname(sys.executable)) or \
        shutil.which("filecheck")
    if exe is None:
        pytest.skip("filecheck is not installed")
    return [exe]


@pytest.mark.parametrize("path", CASES, ids=os.path.basename)
def test_lowering_matches_check_lines(path: str) -> None:
    text = open(path, encoding="utf-8").read()
    m = lower_text(text, path)
    verify_module(m)
    r = subprocess.run(_filecheck() + ["--comment-prefixes=;", path],
                       input=print_module(m), capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("path", CASES, ids=os.path.basename)
def test_lowering_programs_run_like_tier0(path: str) -> None:
    text = open(path, encoding="utf-8").read()
    assert run_ir(text, path) == run_tier0(text, path)


def test_names_are_stable() -> None:
    """Lowering the same program twice gives the same text (names do not depend on
    anything but the program)."""
    text = open(CASES[0], encoding="utf-8").read()
    assert print_module(lower_text(text)) == print_module(lower_text(text))


def test_spans_are_those_tier0_reports() -> None:
    m = lower_text("let a = 1\nlet b = a / 0\n")
    div = next(i for i in m.functions["ruchy.toplevel"].instructions() if i.opname == "div")
    assert (div.span.line, div.span.col) == (2, 11)

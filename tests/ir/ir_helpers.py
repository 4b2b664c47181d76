"""Shared helpers for the IR tests: run a program at tier 0 and through the IR, in
process, and compare what each printed and how each failed."""
from __future__ import annotations

import glob
import io
import os
from typing import Optional

from ruchy_opt.errors import RuchyError, SourceFile
from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.verify import verify_module
from ruchy_opt.irinterp import Interpreter
from ruchy_opt.lower import lower_program
from ruchy_opt.syntax.parser import parse_program

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED_EXAMPLES = os.path.join(os.path.dirname(ROOT), "shared", "examples")

Outcome = tuple[str, Optional[tuple[str, str, int, int]]]  # stdout, (kind, msg, line, col)


def program_files() -> list[str]:
    """Every Ruchy program the IR must run like tier 0."""
    dirs = [SHARED_EXAMPLES, os.path.join(ROOT, "tests", "programs"),
            os.path.join(ROOT, "tests", "ir", "programs"),
            os.path.join(ROOT, "tests", "ir", "lowering"),
            os.path.join(ROOT, "tests", "interp", "refs_program"),  # (valid Rust: rustc's)
            os.path.join(ROOT, "examples")]
    return sorted(p for d in dirs for p in glob.glob(os.path.join(d, "*.ruchy")))


def run_cli(args: list[str], cwd: Optional[str] = None,
            env: Optional[dict] = None) -> tuple[int, str, str]:
    """Run ``ruchy-opt ARGS`` in a fresh process: (exit status, stdout, stderr)."""
    import subprocess
    import sys
    script = os.path.join(os.path.dirname(sys.executable), "ruchy-opt")
    cmd = [script] if os.path.exists(script) else [sys.executable, "-m", "ruchy_opt.cli"]
    r = subprocess.run(cmd + args, capture_output=True, text=True, cwd=cwd or ROOT, env=env)
    return r.returncode, r.stdout, r.stderr


def _error(e: RuchyError) -> tuple[str, str, int, int]:
    return (type(e).__name__, e.message, e.span.line, e.span.col)


def run_tier0(text: str, name: str = "t.ruchy") -> Outcome:
    from ruchy_opt.interp.runner import Tier0Program
    out = io.StringIO()
    try:
        Tier0Program(parse_program(text, name), SourceFile(name, text)).run(out)
    except RuchyError as e:
        return out.getvalue(), _error(e)
    return out.getvalue(), None


def lower_text(text: str, name: str = "t.ruchy"):
    """The program as the IR has it (structs and tuples included)."""
    return lower_program(parse_program(text, name), SourceFile(name, text), aggregates=True)


def skip_level3(text: str, name: str) -> None:
    """Skip a program that uses Level 3 where the IR needs it (the IR refuses it, at a
    position, until the Level 3 IR exists: ruchy_opt/lower/level3.py)."""
    import pytest
    from ruchy_opt.lower import NotInIR
    try:
        lower_text(text, name)
    except NotInIR as e:
        assert e.span.line > 0, e.message
        pytest.skip(f"Level 3, not in the IR yet: {e.message} at {e.span}")
    except RuchyError:
        pass


def run_ir(text: str, name: str = "t.ruchy", roundtrip: bool = False) -> Outcome:
    """Lower, verify and run through the IR interpreter (optionally after a trip
    through the textual form)."""
    out = io.StringIO()
    try:
        m = lower_text(text, name)
        verify_module(m)
        if roundtrip:
            m = parse_module(print_module(m))
            verify_module(m)
        Interpreter(m, out).run_program()
    except RuchyError as e:
        return out.getvalue(), _error(e)
    return out.getvalue(), None

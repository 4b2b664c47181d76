"""Differential testing of passes: a program run on the IR interpreter after a pipeline
must print exactly what it printed unoptimized, and fail the same way."""
from __future__ import annotations

import io
from typing import Optional

from ruchy_opt.errors import RuchyError, SourceFile
from ruchy_opt.ir.core import Module
from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.verify import verify_module
from ruchy_opt.irinterp.machine import Interpreter
from ruchy_opt.passmgr.driver import run_passes

#: calls deep enough for the test programs, shallow enough to stay fast
MAX_DEPTH = 2000


class _Budget(Exception):
    pass


def run_ir(m: Module, step_limit: Optional[int] = None) -> tuple[str, str, Optional[str]]:
    """(stdout, stderr, error message with position or None) of running ``m``."""
    out, err = io.StringIO(), io.StringIO()
    try:
        Interpreter(m, out, err, max_depth=MAX_DEPTH).run_program()
        failure = None
    except RuchyError as e:
        # Which call overflows the stack depends on how many frames the calls take,
        # which inlining changes (as it differs between tiers): compare the message only.
        where = "" if e.message == "stack overflow" else f"{e.span.line}:{e.span.col}: "
        failure = where + e.message
    return out.getvalue(), err.getvalue(), failure


def lower(text: str, name: str = "prog.ruchy") -> Module:
    from ruchy_opt.ir.load import load_module
    return load_module(SourceFile(name, text))


def fresh_copy(m: Module) -> Module:
    """A copy of the module through its text form (passes work in place)."""
    return parse_module(print_module(m))


def check_pipeline(m: Module, pipeline: str, expected=None) -> str:
    """Run ``pipeline`` on a copy of ``m``; assert it verifies and behaves like ``m``.
    Returns the optimized module's text."""
    if expected is None:
        expected = run_ir(fresh_copy(m))
    opt = fresh_copy(m)
    run_passes(opt, pipeline, verify_each=True)
    verify_module(opt)
    text = print_module(opt)
    got = run_ir(opt)
    assert got == expected, (f"pipeline {pipeline!r} changed behaviour\n"
                             f"expected {expected!r}\n     got {got!r}\n{text}")
    return text

"""Running a Ruchy program at tier 0 inside a test: the helpers the tests/interp files share."""
from __future__ import annotations

import io

import pytest

from ruchy_opt.errors import RuchyError, SourceFile
from ruchy_opt.interp.runner import Tier0Program
from ruchy_opt.syntax.parser import parse_program


def compile_(text: str) -> Tier0Program:
    """``text`` (named t.ruchy) parsed and translated for tier 0."""
    src = SourceFile("t.ruchy", text)
    return Tier0Program(parse_program(text, src.name), src)


def run(text: str) -> str:
    """What the program prints."""
    out = io.StringIO()
    compile_(text).run(out)
    return out.getvalue()


def error(text: str) -> tuple[str, int, int, str]:
    """(message, line, column, stdout so far) of a program that must fail."""
    out = io.StringIO()
    with pytest.raises(RuchyError) as e:
        compile_(text).run(out)
    return str(e.value.message), e.value.span.line, e.value.span.col, out.getvalue()

"""Tier 0's program-level fixed point reuses the translations a round does not change."""
from __future__ import annotations

import pytest

from ruchy_opt.errors import SourceFile
from ruchy_opt.interp import program
from ruchy_opt.interp.translate import JitHooks
from ruchy_opt.syntax.parser import parse_program

# Three rounds at least: main learns mid's return kind only after mid learned leaf's.
CHAIN = """
fun leaf(x) { x + 1 }
fun mid(x) { let s = 0; for i in 0..x { s = s + leaf(i) }; s * 2 }
fun main() { println("{}", mid(3)) }
"""


def _translate(monkeypatch: pytest.MonkeyPatch, reuse: bool, jit: bool) -> tuple[str, dict]:
    counts: dict[str, int] = {}
    real = program._translate_function

    def counting(ctx, pyname, *args):
        counts[pyname] = counts.get(pyname, 0) + 1
        return real(ctx, pyname, *args)

    monkeypatch.setattr(program, "_translate_function", counting)
    if not reuse:
        monkeypatch.setattr(program._Done, "fits", lambda self, bases: False)
    src = SourceFile("t.ruchy", CHAIN)
    code = program.translate_program(parse_program(CHAIN, src.name), src,
                                     jit=JitHooks(osr=20000) if jit else None)
    monkeypatch.undo()
    return code.source, counts


@pytest.mark.parametrize("jit", [False, True])
def test_unchanged_parts_are_translated_once(monkeypatch: pytest.MonkeyPatch, jit: bool) -> None:
    fresh, fresh_counts = _translate(monkeypatch, reuse=False, jit=jit)
    reused, counts = _translate(monkeypatch, reuse=True, jit=jit)
    assert reused == fresh
    assert fresh_counts["r_leaf__i"] > 1       # every round translated it again
    assert counts["r_leaf__i"] == 1             # reads no return kind: never again
    assert sum(counts.values()) < sum(fresh_counts.values())

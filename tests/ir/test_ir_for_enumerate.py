"""``for (i, x) in v.iter().enumerate()`` in the IR: the counted loop over a snapshot of
``v`` with the tuple ``(i, v[i])`` (lower/control.enumerated), exactly as tier 0 when
the body leaves ``v`` alone; a body that may change ``v`` gets the chain's loop, which
pulls from the iterator as tier 0 does (lower/chains.py)."""
from __future__ import annotations

import pytest

from ruchy_opt.ir.printer import print_module

from ir_helpers import lower_text, run_ir, run_tier0


@pytest.mark.parametrize("text", [
    "let v = [10, 20]\nfor (i, x) in v.iter().enumerate() { println(\"{} {}\", i, x) }\n",
    "let v = [\"a\", \"b\"]\nlet mut n = 0\n"
    "for (k, s) in v.into_iter().enumerate() { if k > 0 { n += s.len() } }\nprintln(\"{}\", n)\n",
    "let m = [[1, 2], [3]]\n"
    "for (i, row) in m[0].iter().enumerate() { println(\"{} {}\", i, row) }\n",
])
def test_enumerate_loops_agree_with_tier0(text: str) -> None:
    assert run_ir(text) == run_tier0(text)
    assert "snapshot" in print_module(lower_text(text))


@pytest.mark.parametrize("body", ["v.push(x)", "v[0] = 5", "let f = || v.len()\n f()"])
def test_a_body_that_may_change_the_array_pulls_the_iterator(body: str) -> None:
    """Not the snapshot's counted loop: the chain's loop (lower/chains.py), pulling
    what tier 0's lazy iterator yields (``iter.items`` of ``v.iter()``)."""
    text = (f"let mut v = [1, 2]\nfor (i, x) in v.iter().enumerate() {{\n {body}\n"
            " println(\"{} {} {}\", i, x, v.len())\n}\n")
    assert run_ir(text) == run_tier0(text)
    assert "iter.next" in print_module(lower_text(text))

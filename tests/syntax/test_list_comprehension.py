"""Ruchy's list comprehension ``[e for x in it if c]`` (docs/level3.md "Ruchy dialect
forms"): paiml/ruchy's parser reads ``[`` element ``for`` variable ``in`` iterable
(``if`` condition) ``]`` into ListComprehension, which its interpreter evaluates to an
array of the element for each item that passes the condition, in order. The expected
outputs are worked out by hand from that rule (they are not Rust programs)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "interp"))
from tier0_support import error, run  # noqa: E402


@pytest.mark.parametrize("src,out", [
    ("let v = [1, 2, 3, 4, 5]\nprintln([x * 2 for x in v])\nprintln([x for x in v if x % 2 == 1])",
     "[2, 4, 6, 8, 10]\n[1, 3, 5]\n"),
    # nested, `_` as the variable, ranges
    ("let dp = [[0 for _ in 0..=2] for _ in 0..3]\nprintln(dp)",
     "[[0, 0, 0], [0, 0, 0], [0, 0, 0]]\n"),
    # a pattern as the variable; the element may use names of the enclosing function
    ('fn f(k) { [(i, c, k) for (i, c) in "ab".chars().enumerate()] }\nprintln(f(9))',
     "[(0, 'a', 9), (1, 'b', 9)]\n"),
    # the variable lives only in the comprehension; an outer one of the same name stays
    ("let x = 100\nlet ys = [x + 1 for x in [1, 2]]\nprintln(ys, x)", "[2, 3] 100\n"),
    # the condition sees the variable; nothing passes: an empty array
    ("println([i for i in 2..=10 if i > 20].len())", "0\n"),
    # a line that begins with `[` after a comprehension is a new statement
    ("let a = [i for i in 0..2]\n[3].len()\nprintln(a)", "[0, 1]\n"),
])
def test_list_comprehension(src: str, out: str) -> None:
    assert run(src) == out


def test_error_in_element_is_located() -> None:
    msg, line, col, _ = error("let v = [1, 0]\nlet w = [10 / x for x in v]")
    assert (msg, line, col) == ("division by zero", 2, 13)  # at the operator, as elsewhere

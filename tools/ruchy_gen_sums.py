"""Recursions that add what they return, for ``ruchy_gen.py --sums``: the shape that the
compiled tiers give a pure body (codegen/puresum.py), and shapes just outside it.

``recursive_sum(rng, name)`` is the text of a function ``name(n: i64, m: i64) -> i64``
whose base case (``n`` below a small bound, by ``<``, ``<=`` or a mirrored ``>``, and
now and then a second one by ``==``) returns ``n``, ``m``, ``n + 0|1`` or a constant, from
small to near ``i64::MAX`` and negative; and whose tail is a sum of one to three terms:
self-calls ``name(n - k, m)``, constants, ``n``, ``m``, parenthesised sums and
``name(n - k, m) - c``. So some overflow deep in the calls, at one ``+`` of several;
some qualify for the pure body and some do not (a negative base value, a ``- c``, an
unknown ``m`` added). ``sum_calls(rng, name)`` are a few top-level prints of calls with
``n`` at most 10 (at most 3**10 calls: tier 0 stays fast).
"""
from __future__ import annotations

import random

#: base values and arguments: small, negative, and near the ends of i64
VALUES = (0, 1, 2, 7, 1000, -3, -1000, 3074457345618258602, 4611686018427387904,
          9223372036854775000, 9223372036854775807, -9223372036854775807)


def _term(rng: random.Random, name: str, depth: int) -> str:
    c = rng.random()
    if c < 0.5:
        return f"{name}(n - {rng.choice([1, 1, 2, 3])}, m)"
    if c < 0.6:
        return str(rng.choice(VALUES[:6] + VALUES[7:9]))
    if c < 0.7:
        return rng.choice(["n", "m"])
    if c < 0.8 and depth < 2:
        return "(" + _sum(rng, name, depth + 1) + ")"
    if c < 0.9:
        return f"{name}(n - {rng.choice([1, 2])}, m) - {rng.choice([0, 1, 5])}"
    return f"{name}(n - 1, m)"


def _sum(rng: random.Random, name: str, depth: int = 0) -> str:
    return " + ".join(_term(rng, name, depth) for _ in range(rng.choice([1, 2, 2, 3])))


def recursive_sum(rng: random.Random, name: str) -> str:
    """The text of one such function (module docstring)."""
    lo = rng.choice([0, 1, 2, 3])
    base = rng.choice(["n", "m", str(rng.choice(VALUES)), "0", "1", f"n + {rng.choice([0, 1])}"])
    cmp = rng.choice([f"n < {lo}", f"n <= {lo}", f"{lo} > n"])
    lines = [f"fun {name}(n: i64, m: i64) -> i64 {{", f"    if {cmp} {{ return {base} }}"]
    if rng.random() < 0.4:
        lines.append(f"    if n == {lo + rng.choice([0, 1, 2])} "
                     f"{{ return {rng.choice(VALUES)} }}")
    tail = _sum(rng, name)
    # a line that began with `(` would continue the `if` before it
    lines.append(f"    {tail}" if tail[0].isalpha() else f"    return {tail}")
    return "\n".join(lines + ["}", ""])


def sum_calls(rng: random.Random, name: str) -> list[str]:
    """Top-level prints of a few calls of the function (module docstring)."""
    return [f"println({name}({rng.choice([-2, 0, 1, 3, 5, 8, 10])}, {rng.choice(VALUES)}))"
            for _ in range(rng.randint(1, 3))]

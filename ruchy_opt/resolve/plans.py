"""The plan a pattern compiles to (resolve/patterns.py), which every back end walks.

A pattern (of a ``match`` arm, ``if let``, ``while let``, ``let``, ``for``, a parameter or
``matches!``) becomes a :class:`PatternPlan`: its *rows*, one per alternative (nested
``|`` alternatives are expanded, so a row has no alternatives left), and per row the
*tests* that must all hold, in order, and the *bindings* it makes. Tests and bindings
name the part of the matched value they look at by an *access path* from the root:

=====================  =========================================================
``("tup", i)``         element ``i`` of a tuple (negative: from the end)
``("field", name)``    a field of a struct or variant (``"0"``, ``"1"``... for tuple ones)
``("elem", i)``        element ``i`` of an array or slice (negative: from the end)
``("slice", a, b)``    the elements from ``a`` to ``len - b`` as a new array
=====================  =========================================================

A test's ``op`` is ``variant`` (value: the VariantInfo), ``struct`` (StructInfo),
``tuple`` (value: (n, exact)), ``len`` (value: (n, exact)), ``lit`` (value: the literal,
``kind`` int/float/str/char/bool), ``range`` (value: (low, high, inclusive), either
bound None when open, ``kind`` int/char/float, or ``const`` when a bound is a const),
``const`` (value: the AST node naming the const; compared with ``==``) or ``field``
(value: a field name; the value is an object with that key, or a struct or variant
with that field: Ruchy's object pattern ``{ name, .. }``; like a struct's shape, not
refutable: ``let { name } = v`` reads the field, an error if it is not there). A test on an
access assumes the tests before it in its row hold (a field is read only after its
variant was tested).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..syntax import ast as A
from .items import ProgramInfo

Step = tuple
Access = tuple  # of Steps, from the root value
#: At most this many rows per pattern once nested alternatives are expanded.
MAX_ROWS = 256


@dataclass(frozen=True)
class Test:
    """One condition on the value at ``access`` (see the module docstring)."""

    access: Access
    op: str
    value: object = None
    kind: str = ""
    span: A.Span = A.NO_SPAN

    def refutable(self, info: Optional[ProgramInfo]) -> bool:
        """Whether the test can fail on a value of the right type (Rust's refutability:
        a tuple, struct or slice shape is given by the type; so is the variant of an
        enum that has only one)."""
        if self.op == "variant":
            enum = info.enums.get(self.value.enum) if info is not None else None
            return enum is None or len(enum.variants) > 1
        return self.op in ("lit", "range", "const")


@dataclass(frozen=True)
class Binding:
    """``name`` bound to the value at ``access``; ``mode`` is ``value``, ``ref`` or
    ``ref_mut``; ``mutable`` for ``mut name``."""

    name: str
    access: Access
    mode: str = "value"
    mutable: bool = False
    span: A.Span = A.NO_SPAN


@dataclass
class Row:
    """One alternative of a pattern: all ``tests`` hold, then ``binds`` are made."""

    tests: list[Test] = field(default_factory=list)
    binds: list[Binding] = field(default_factory=list)

    def __add__(self, other: "Row") -> "Row":
        return Row(self.tests + other.tests, self.binds + other.binds)


@dataclass
class PatternPlan:
    """A compiled pattern: its rows (alternatives) and the names they bind (every row
    binds the same names)."""

    rows: list[Row]
    names: list[str]
    span: A.Span = A.NO_SPAN
    info: Optional[ProgramInfo] = None

    @property
    def always(self) -> bool:
        """Whether some row has no test at all (matches any value)."""
        return any(not r.tests for r in self.rows)

    @property
    def refutable(self) -> bool:
        """Whether the pattern can fail to match a value of the right type (a ``let``,
        ``for`` or parameter pattern must not). Alternatives that cover every variant
        of one enum at one place, with nothing else refutable, are irrefutable."""
        per_row = [[t for t in r.tests if t.refutable(self.info)] for r in self.rows]
        if any(not ts for ts in per_row):
            return False
        if all(len(ts) == 1 and ts[0].op == "variant" for ts in per_row):
            accesses = {ts[0].access for ts in per_row}
            enums = {ts[0].value.enum for ts in per_row}
            if len(accesses) == 1 and len(enums) == 1 and self.info is not None:
                enum = self.info.enums.get(next(iter(enums)))
                covered = {ts[0].value.name for ts in per_row}
                return enum is None or covered != {v.name for v in enum.variants}
        return True


@dataclass
class ArmPlan:
    """A ``match`` arm: its pattern plan, guard and body."""

    plan: PatternPlan
    guard: Optional[A.Node]
    body: A.Node
    node: A.MatchArm


@dataclass
class MatchPlan:
    """A whole ``match``: one ArmPlan per arm, in order."""

    arms: list[ArmPlan]

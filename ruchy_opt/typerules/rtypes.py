"""The types the rule table (table.py) works with, and their mapping to IR types.

A type is one of the scalar names ``i64``, ``f64``, ``bool``, ``str``, ``unit``, or an
:class:`ArrT` whose element type lives in a :class:`Cell`; outside compiled code also a
Level 3 IR type (``tuple<i64, any>``, ``!Point``, ``option<any>``: ir/types.py, as it
is: it is a string) and ``any``, a value whose type is not known statically (type
specialisation's intraprocedural view; whole-program inference never has one).

Arrays are mutable objects shared by ``&mut`` and by the copies of a value, so the
element type of an array is a unification variable (union-find), as in Hindley-Milner:
every array value that may be the same object, or a copy of it, shares one cell, and
every write joins into it.
``None`` is bottom: no value has been seen (yet) - an empty array's elements, the result
of an operation that always fails.

Joining two different known types is a :class:`Conflict`: the program does not have
static types there, and that code stays in the interpreter.
"""
from __future__ import annotations

from typing import Optional, Union

from ..ir.types import is_aggregate

SCALARS = ("i64", "f64", "bool", "str", "unit")
#: a value of any type (no static type): what the IR calls ``any``
ANY = "any"


class Conflict(Exception):
    """Two incompatible types meet (an int and a float in one variable, say)."""


class Cell:
    """A union-find node holding an array's element type."""

    __slots__ = ("parent", "content")
    version = 0  # bumped on every change, so the fixpoint loop knows when to stop

    def __init__(self, content: "RType" = None) -> None:
        self.parent: Optional[Cell] = None
        self.content = content

    def find(self) -> "Cell":
        c = self
        while c.parent is not None:
            c = c.parent
        return c

    def get(self) -> "RType":
        return self.find().content

    def add(self, t: "RType") -> None:
        """Join ``t`` into this cell's type (raises Conflict)."""
        root = self.find()
        new = join(root.content, t)
        if key(new) != key(root.content):
            root.content = new
            Cell.version += 1


class ArrT:
    """The type of an array whose elements have the type held by ``cell``."""

    __slots__ = ("cell",)

    def __init__(self, cell: Optional[Cell] = None) -> None:
        self.cell = cell or Cell()

    @property
    def elem(self) -> "RType":
        return self.cell.get()

    def __repr__(self) -> str:
        return key(self)


RType = Union[str, ArrT, None]


def unify(a: Cell, b: Cell) -> None:
    """Make two cells one (raises Conflict if their types are incompatible)."""
    ra, rb = a.find(), b.find()
    if ra is rb:
        return
    content = join(ra.content, rb.content)
    rb.parent = ra
    ra.content = content
    Cell.version += 1


def join(a: RType, b: RType) -> RType:
    """The least type of both ``a`` and ``b``; arrays unify their element cells."""
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, ArrT) and isinstance(b, ArrT):
        unify(a.cell, b.cell)
        return a
    if a == b:
        return a
    if level3(a) and level3(b):  # compiled code's tuples, structs, enums (values.py)
        from .values import join_values
        return join_values(a, b)
    raise Conflict(f"{describe(a)} and {describe(b)}")


def key(t: RType, depth: int = 0) -> str:
    """The structural name of a type: ``i64``, ``arr[f64]``, ``arr[?]`` (unknown)."""
    if t is None:
        return "?"
    if isinstance(t, ArrT):
        if depth > 16:
            raise Conflict("an array that contains itself")
        return f"arr[{key(t.elem, depth + 1)}]"
    return t


def level3(t: RType) -> bool:
    """Whether ``t`` is one of the IR's Level 3 types (a tuple, struct, enum, option,
    result: anything the IR declares beyond the scalars and arrays)."""
    return isinstance(t, str) and is_aggregate(t)


def static(t: RType) -> bool:
    """Whether ``t`` is a type compiled code has (a scalar or an array)."""
    return isinstance(t, ArrT) or t in SCALARS


_LEVEL3_NAMES = {"tuple": "a tuple", "option": "an Option", "result": "a Result"}


def describe(t: RType) -> str:
    """A type as the user reads it (Ruchy's kind names)."""
    if level3(t):
        name = getattr(t, "name", None)
        return f"a value of type {name}" if getattr(t, "kind", "") == "named" \
            else _LEVEL3_NAMES.get(getattr(t, "kind", ""), f"a value of type {t}")
    if isinstance(t, ArrT):
        inner = t.elem
        return "array" if inner is None else f"array of {describe(inner)}"
    return {"i64": "int", "f64": "float", "bool": "bool", "str": "string", "unit": "unit",
            None: "nothing"}.get(t, str(t))


def kind_name(t: RType) -> str:
    """The kind name runtime error messages use (runtime.values.kind)."""
    if isinstance(t, ArrT):
        return "array"
    return {"i64": "int", "f64": "float", "bool": "bool", "str": "string", "unit": "unit"}[t]


_KIND_CODE = {"i64": 1, "f64": 2, "bool": 3, "str": 4, "unit": 5}


def descriptor(t: RType) -> int:
    """The runtime's type descriptor of a slot (see codegen/rt/fmt.ll); a tuple, struct
    or enum of scalars is a *record* (kind 7) whose upper bits are its size in memory
    (codegen/rt/arrays.ll)."""
    if isinstance(t, ArrT):
        return 6 | (descriptor(t.elem) << 3)
    if t is None:
        return 1  # never stored: the array is always empty
    if level3(t):
        from .values import layout
        return 7 | (max(layout(t)[0], 1) << 3)
    return _KIND_CODE[t]


def sample(t: RType):
    """A runtime value of type ``t``, for asking the reference semantics what error an
    operation on such values raises (so compiled code says exactly the same)."""
    from ..runtime.values import Arr
    if isinstance(t, ArrT):
        return Arr([])
    return {"i64": 1, "f64": 1.0, "bool": True, "str": "s", "unit": None}[t]


def ir_type(t: RType) -> str:
    """The SSA IR's name for a type (ir.opdef.TYPES, ir/types.py): the one mapping from
    these types to the IR's, :func:`of_ir` the one back."""
    if isinstance(t, ArrT):
        return "arr"
    if t is None:
        return "any"
    if is_aggregate(t):  # compiled code's structural types (values.py) as the IR's
        from .values import ir_of
        return ir_of(t)
    return t


def of_ir(t: str) -> RType:
    """The type of a value whose IR type is ``t``: the IR's ``arr`` says nothing about
    the elements, so it is an array of elements of any type (a fresh cell each time:
    what a rule stores in it goes nowhere)."""
    return ArrT(Cell(ANY)) if t == "arr" else t

"""Struct fields that provably hold a float (or an int, :func:`int_fields`): their reads
get tier 0's kind "float" (or "int").

A field read ``p.x`` has kind "any" at tier 0 (annotations are hints, not checks), so
every operation on it carries a type test. Struct-heavy numeric code (``self.x +=
self.vx * dt``) spends about half its time in those tests. This pass, run once per
program over the AST, proves for a field *name* that every value ever stored under it
is a float, so that a read of ``v.f_<name>`` (whatever the struct) is a float:

- every struct and enum variant declaring a field of that name declares it ``f64`` or
  ``f32`` (and no built-in struct of the runtime has a field of that name);
- every store to it is an expression that is a float whenever it yields a value at
  all: struct literals (variants too), ``p.x = e`` and ``p.x op= e`` anywhere;
- its place is never lent out mutably (``&mut p.x``); and nothing writes through a
  reference with a value that might not be a float (``*r = e`` with such an ``e``,
  ``std::mem::swap/replace/take``): any of those keeps every field "any".

"A float whenever it yields a value": literals, ``as f64``, ``-e``, ``a - b``/``*``/
``/``/``%`` with a float on the left (``*``/``/``/``%``: on either side when the program
implements no operator trait: tier 0's helpers then give a float or a located error), ``a + b`` of
two numbers one of them a float (``1.5 + s`` would concatenate a string), reads of
such fields, and local names (of one function, its closures and nested functions
included) whose every binding is a ``let`` of such an expression and every assignment
such an expression. The sets are found optimistically (assume every candidate, drop
what a store refutes, repeat): the greatest consistent set.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..syntax import ast as A

if TYPE_CHECKING:
    from .translate import Context

#: Named fields of the runtime's own structs (runtime/io.py, parsing.py): never floats.
_RUNTIME_FIELDS = frozenset({"code", "kind", "message", "status", "stdout", "stderr"})
#: Operator traits: a user type's ``a * b`` may give anything.
_OP_TRAITS = frozenset({"Add", "Sub", "Mul", "Div", "Rem", "Neg", "AddAssign", "SubAssign",
                        "MulAssign", "DivAssign", "RemAssign"})
#: Functions that write through a reference they are given.
_WRITERS = frozenset({"swap", "replace", "take"})
_FLOATY_OPS = frozenset({"-", "*", "/", "%"})


def _walk(n: A.Node) -> Iterator[A.Node]:
    """Every node under ``n`` (``n`` included), depth first."""
    stack = [n]
    while stack:
        x = stack.pop()
        yield x
        stack.extend(A.children(x))


def _units(prog: A.Program) -> list[list[A.Node]]:
    """The program's nodes by scope of local names: each function or method (nested
    functions and closures included in theirs), then everything else (first)."""
    top: list[A.Node] = []
    units = [top]

    def items(xs: list[A.Node]) -> None:
        for it in xs:
            if isinstance(it, A.FunDef):
                units.append(list(_walk(it)))
            elif isinstance(it, (A.ImplDef, A.TraitDef, A.ModDef)):
                top.append(it)
                items(it.items)
            else:
                top.extend(_walk(it))

    items(prog.items)
    return units


def field_kind(ctx: "Context", name: str) -> str:
    """The kind of a read of field ``name``: "float", "int" or "any"."""
    return "float" if name in ctx.float_fields else "int" if name in ctx.int_fields else "any"


def float_fields(prog: A.Program) -> frozenset[str]:
    """The names of the fields whose every value is a float (see the module docstring)."""
    return _fields_of_kind(prog, "float")


def int_fields(prog: A.Program) -> frozenset[str]:
    """The names of the fields whose every value is an int: as :func:`float_fields`,
    with declarations of integer types and the stores that :class:`_IntProof` proves
    (``self.state = (self.state * 1103515245 + 12345) % 2147483648``)."""
    return _fields_of_kind(prog, "int")


def _fields_of_kind(prog: A.Program, want: str) -> frozenset[str]:
    """The names of the fields whose every value has kind ``want`` ("float" or "int")."""
    units = _units(prog)
    decl: dict[str, bool] = {}
    items: set[str] = set()
    op_impls = False
    for unit in units:
        for n in unit:
            if isinstance(n, (A.StructDef, A.VariantDef)):
                for f in n.fields:
                    ok = f.type is not None and f.type.kind == want
                    decl[f.name] = decl.get(f.name, True) and ok
            elif isinstance(n, (A.FunDef, A.ConstDef)):
                items.add(n.name)
            elif isinstance(n, A.ImplDef) and \
                    (n.trait or "").split("<")[0].split("::")[-1] in _OP_TRAITS:
                op_impls = True
    fields = {f for f, ok in decl.items()
              if ok and not f.isdigit() and f not in _RUNTIME_FIELDS}
    if not fields:
        return frozenset()
    names: set[str] = set()  # "unit:name": a local name of that unit that holds floats
    # (what, unit, field or name, op, value) for every store
    stores: list[tuple[str, int, str, str, A.Node]] = []
    for u, unit in enumerate(units):
        lets, bound = _let_only_names(unit, ranges=want == "int")
        names |= {f"{u}:{x}" for x in lets - items}
        for n in unit:
            if want == "int" and isinstance(n, A.ForRange) and n.pattern is None:
                stores.append(("name", u, f"{u}:{n.var}", "in", n))
            elif isinstance(n, A.StructLit):
                for fi in n.fields:
                    stores.append(("field", u, fi.name, "=", fi.value))
            elif isinstance(n, A.Let):
                stores.append(("name", u, f"{u}:{n.name}", "=", n.value))
            elif isinstance(n, A.Assign):
                t = n.target
                if isinstance(t, A.Field):
                    stores.append(("field", u, t.name, n.op, n.value))
                elif isinstance(t, A.Name):
                    stores.append(("name", u, f"{u}:{t.id}", n.op, n.value))
                    if t.id in bound:  # a `ref mut` binding is written back to its place
                        stores.append(("deref", u, "", n.op, n.value))
                elif isinstance(t, A.Index):
                    pass  # an element of an array: not a field's own value
                elif isinstance(t, A.Deref):
                    stores.append(("deref", u, "", n.op, n.value))
                else:  # a destructuring assignment: give up on what it names
                    for m in _walk(t):
                        if isinstance(m, A.Deref):
                            return frozenset()
                        if isinstance(m, A.Field):
                            fields.discard(m.name)
                        elif isinstance(m, A.Name):
                            names.discard(f"{u}:{m.id}")
            elif isinstance(n, A.Ref) and n.mutable:
                if isinstance(n.operand, A.Field):
                    fields.discard(n.operand.name)
            elif isinstance(n, A.Call):
                c = n.callee
                if (isinstance(c, A.Path) and c.name in _WRITERS) or \
                        (isinstance(c, A.Name) and c.id in _WRITERS):
                    return frozenset()
    while True:
        proof = (_Proof if want == "float" else _IntProof)(fields, names, op_impls)
        bad_fields, bad_names = set(), set()
        for what, u, which, op, value in stores:
            if what == "field" and which not in fields:
                continue
            if what == "name" and which not in names:
                continue
            proof.unit = u
            if value is None or not proof.stored(op, value):
                if what == "deref":
                    return frozenset()
                (bad_fields if what == "field" else bad_names).add(which)
        if not bad_fields and not bad_names:
            return frozenset(fields)
        fields -= bad_fields
        names -= bad_names
        if not fields:
            return frozenset()


def _let_only_names(nodes: list[A.Node], ranges: bool = False) -> tuple[set[str], set[str]]:
    """Names bound only by ``let name = ..`` among ``nodes`` (no parameter,
    pattern, loop variable or closure parameter of that name; with ``ranges``, the
    variables of ``for name in a..b`` count as lets), and the names that patterns bind
    (a ``ref mut`` one writes back where it points)."""
    lets: set[str] = set()
    other: set[str] = set()
    bound: set[str] = set()
    for n in nodes:
        if isinstance(n, A.Let):
            lets.add(n.name)
        elif isinstance(n, A.Param):
            other.add(n.name)
        elif isinstance(n, A.Pattern):
            if n.kind == "bind" and isinstance(n.value, str):
                other.add(n.value)
                bound.add(n.value)
        elif isinstance(n, A.ForRange) and ranges and n.pattern is None:
            lets.add(n.var)
        elif isinstance(n, (A.For, A.ForRange)):
            other.add(n.var)
        elif isinstance(n, A.RestPat) and n.name:
            other.add(n.name)
    return lets - other, bound


class _Proof:
    """Whether an expression is a float whenever it gives a value, assuming ``fields``
    and ``names`` hold floats."""

    def __init__(self, fields: set[str], names: set[str], op_impls: bool) -> None:
        self.fields, self.names, self.op_impls = fields, names, op_impls
        self.unit = 0  # the scope (see _units) whose names an expression reads

    def stored(self, op: str, e: A.Node) -> bool:
        """``place op e`` leaves a float in a place holding a float."""
        if op == "=":
            return self.floaty(e)
        if op == "+=":
            return self.numeric(e)
        return op[:-1] in _FLOATY_OPS  # float -= x: a float or an error

    def numeric(self, e: A.Node) -> bool:
        """A float, or an integer literal (float + int is a float)."""
        if isinstance(e, A.IntLit):
            return True
        if isinstance(e, A.Unary) and e.op == "-" and isinstance(e.operand, A.IntLit):
            return True
        return self.floaty(e)

    def floaty(self, e: A.Node) -> bool:
        """``e`` is a float whenever it yields a value."""
        if isinstance(e, A.FloatLit):
            return True
        if isinstance(e, A.Field):
            return e.name in self.fields
        if isinstance(e, A.Name):
            return f"{self.unit}:{e.id}" in self.names
        if isinstance(e, A.Cast):
            return e.type.kind == "float"
        if isinstance(e, A.Unary):
            return e.op == "-" and self.floaty(e.operand)
        if isinstance(e, A.Binary):
            if e.op in _FLOATY_OPS:
                # a set's `a - b` is the runtime's own operator: only a float left of `-`
                return self.floaty(e.left) or (e.op != "-" and not self.op_impls
                                               and self.floaty(e.right))
            if e.op == "+":
                return self.numeric(e.left) and self.numeric(e.right) and \
                    (self.floaty(e.left) or self.floaty(e.right))
        return False


#: Operators whose result is an int (or an error: overflow, division by zero) when
#: both operands are ints.
_INT_OPS = frozenset({"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"})


class _IntProof(_Proof):
    """Whether an expression is an int whenever it gives a value, assuming ``fields``
    and ``names`` hold ints: int literals, integer casts (``as i64``, ``as u8``...),
    ``-e``, ``a op b`` of two such expressions for the operators of ``_INT_OPS``, reads
    of such fields and local names (``for i in a..b`` binds an int when ``a`` and ``b``
    are ints)."""

    def stored(self, op: str, e: A.Node) -> bool:
        """``place op e`` leaves an int in a place holding an int."""
        if op == "in":  # the variable of `for i in a..b`
            return self.inty(e.start) and self.inty(e.end)  # type: ignore[attr-defined]
        return (op == "=" or op[:-1] in _INT_OPS) and self.inty(e)

    def inty(self, e: A.Node) -> bool:
        """``e`` is an int whenever it yields a value."""
        if isinstance(e, A.IntLit):
            return True
        if isinstance(e, A.Field):
            return e.name in self.fields
        if isinstance(e, A.Name):
            return f"{self.unit}:{e.id}" in self.names
        if isinstance(e, A.Cast):
            return e.type.kind == "int"
        if isinstance(e, A.Unary):
            return e.op == "-" and self.inty(e.operand)
        if isinstance(e, A.Binary):
            return e.op in _INT_OPS and self.inty(e.left) and self.inty(e.right)
        return False

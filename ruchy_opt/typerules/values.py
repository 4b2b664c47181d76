"""Level 3 values in compiled code: the types whole-program inference (codegen/infer.py)
gives tuples, structs and enums, structurally, so that code generation knows every
field's type and keeps the value unboxed (an LLVM struct value: codegen/ops_values.py).

The IR's own types say what a value *is* (``!P``, ``option<any>``, ``tuple<i64,
any>``); its fields are ``any`` unless written, since Ruchy's annotations are hints.
Compiled code needs each field's type, so here a value's type records them:

- a tuple is the IR's ``tuple<T0, T1, ..>`` with every parameter known;
- a struct is a :class:`RecT`, ``!P<i64, f64>``: the struct with its fields' types (two
  values of one struct whose fields have different types have different types, as
  two specialisations of a generic struct do in Rust);
- an enum, ``option<T>``, ``result<T, E>`` or ``ordering<>`` is a :class:`SumT`: the
  sum type with, per variant, the types of its payload, or ``?`` for a variant with a
  payload that no value seen has (bottom: ``None`` alone is ``option{None, Some(?)}``).
  Joining two such types (a ``match`` whose arms give ``Some(1)`` and ``None``) fills
  in the variants, so a variant that is ``?`` is one no value of the type can be.

:func:`compiled` says which of these compiled code has (leaves ``i64``, ``f64``,
``bool`` and ``unit``; strings, arrays and closures inside aggregates stay in the
interpreter), :func:`join_values` joins two of them (rtypes.join asks).
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

from ..ir.types import ANY, IRType, NamedType, TupleType, as_type

#: the field types compiled aggregates hold (and nested compiled aggregates)
LEAVES = ("i64", "f64", "bool", "unit")


class RecT(IRType):
    """A struct value with known field types: ``!P<i64, f64>`` (``names``: the fields
    in order; ``shape``: ``named``, ``tuple`` or ``unit``, as the declaration)."""

    kind = "named"
    name: str
    names: tuple[str, ...]
    types: tuple[str, ...]
    shape: str

    def __new__(cls, name: str, names: Sequence[str], types: Sequence[str],
                shape: str = "named") -> "RecT":
        self = super().__new__(cls, f"!{name}<{', '.join(map(str, types))}>")
        self.name, self.names, self.types, self.shape = name, tuple(names), tuple(types), shape
        return self

    def __getnewargs__(self) -> tuple:
        return (self.name, self.names, self.types, self.shape)

    def fields(self, module: Any) -> Optional[list[str]]:
        return list(self.names)

    def field_type(self, module: Any, name: str) -> IRType:
        return self.types[self.names.index(name)] if name in self.names else ANY

    def with_field(self, name: str, t: str) -> "RecT":
        """The type after ``insert`` of a value of type ``t`` into field ``name``."""
        types = list(self.types)
        types[self.names.index(name)] = t
        return RecT(self.name, self.names, types, self.shape)


class SumT(IRType):
    """An enum value (a program's enum, ``option``, ``result``, ``ordering``) with, per
    variant in tag order, its name, shape, field names and the types of its payload
    (``None``: no value of that variant is known, bottom)."""

    name: str
    key_: str
    variants: tuple  # type: ignore[assignment]  # ((name, shape, names, types|None), ..)

    def __new__(cls, key: str, kind: str, variants: Sequence[tuple]) -> "SumT":
        def one(v: tuple) -> str:
            name, shape, _, types = v
            if shape == "unit":
                return name
            return f"{name}({'?' if types is None else ', '.join(map(str, types))})"
        prefix = "!" if kind == "named" else ""
        self = super().__new__(cls, f"{prefix}{key}{{{', '.join(one(v) for v in variants)}}}")
        self.key_, self.kind, self.name = key, kind, key  # type: ignore[misc]
        self.variants = tuple(variants)  # type: ignore[misc]
        return self

    def __getnewargs__(self) -> tuple:
        return (self.key_, self.kind, self.variants)

    def enum_key(self) -> Optional[str]:
        return self.key_

    def index(self, variant: str) -> int:
        """The tag of ``variant`` (-1: no such variant)."""
        return next((k for k, v in enumerate(self.variants) if v[0] == variant), -1)

    def payload_type(self, variant: str, field: str) -> Any:
        """The type of a payload field: None (bottom) when no value of the variant is
        known, ``any`` when there is no such field."""
        k = self.index(variant)
        if k < 0:
            return ANY
        _, _, names, types = self.variants[k]
        if field not in names:
            return ANY
        return None if types is None else types[names.index(field)]


def made_variant(t: IRType, module: Any, variant: str, ts: list) -> Optional[SumT]:
    """The type of ``variant t, "variant", ts..``: the variant's payload known, the other
    variants' unknown (None: ``t`` is not a sum type this module declares)."""
    vs = t.variants(module)
    key = t.enum_key()
    if vs is None or key is None:
        return None
    out = []
    for v in vs:
        names = tuple(v.field_names())
        if v.name == variant:
            types: Optional[tuple] = tuple(ts)
        else:
            types = () if not names else None
        out.append((v.name, v.shape, names, types))
    return SumT(key, t.kind, out)


def made_struct(t: IRType, module: Any, ts: list) -> Optional[IRType]:
    """The type of ``make t, ts..`` (None: not a struct or tuple with that many fields)."""
    if isinstance(t, TupleType):
        return TupleType(*ts) if len(ts) == len(t.params) else None
    if isinstance(t, NamedType):
        decl = t.decl(module)
        names = t.fields(module)
        if names is None or len(names) != len(ts) or decl is None:
            return None
        return RecT(t.name, names, ts, getattr(decl, "shape", "named"))
    return None


def compiled(t: Any) -> bool:
    """Whether compiled code has values of type ``t`` (a scalar of :data:`LEAVES`, or
    an aggregate of such, see the module docstring). Bottom variants count."""
    if t in LEAVES:
        return True
    if isinstance(t, TupleType):
        return all(compiled(p) for p in t.params)
    if isinstance(t, RecT):
        return all(compiled(p) for p in t.types)
    if isinstance(t, SumT):
        return all(types is None or all(compiled(p) for p in types)
                   for _, _, _, types in t.variants)
    return False


def aggregate(t: Any) -> bool:
    """Whether ``t`` is one of the aggregate types above (tuple, RecT, SumT)."""
    return isinstance(t, (TupleType, RecT, SumT))


def fields_of(t: IRType) -> list[str]:
    """The field types of a tuple or struct value type, in order."""
    return list(t.params) if isinstance(t, TupleType) else list(t.types)


def members(t: Any) -> list:
    """The member types of a Level 3 value's LLVM struct (codegen/lltypes.lltype): a
    tuple's or struct's fields in order; an enum's tag (i64) then every variant's
    payload fields, variant after variant (a variant no value has has none)."""
    if isinstance(t, SumT):
        return ["i64"] + [p for v in t.variants for p in (v[3] or ())]
    return fields_of(t)


#: bytes and alignment of the scalars in memory, as LLVM lays them out (x86-64, AArch64)
_SCALAR_LAYOUT = {"i64": (8, 8), "f64": (8, 8), "bool": (1, 1), "unit": (1, 1), None: (8, 8)}


def layout(t: Any) -> tuple[int, int]:
    """(size, alignment) in bytes of a value of type ``t`` stored in memory as its LLVM
    type (an array of records: codegen/ops_records.py): LLVM's layout of a literal
    struct, each member at the next multiple of its alignment, the size rounded up to
    the largest alignment (the stride of a getelementptr over it)."""
    if not aggregate(t):
        return _SCALAR_LAYOUT[t]
    size, align = 0, 1
    for m in members(t):
        s, a = layout(m)
        size = (size + a - 1) // a * a + s
        align = max(align, a)
    return (size + align - 1) // align * align, align


def leaf_offsets(t: Any, base: int = 0) -> list[tuple[int, Any]]:
    """(byte offset, scalar type) of each scalar of a value of type ``t`` in memory
    (see :func:`layout`), in member order (jit/boxing.py packs and unpacks records
    with it)."""
    if not aggregate(t):
        return [(base, t)]
    out: list[tuple[int, Any]] = []
    off = 0
    for m in members(t):
        s, a = layout(m)
        off = (off + a - 1) // a * a
        out.extend(leaf_offsets(m, base + off))
        off += s
    return out


def holds_aggregate(t: Any) -> bool:
    """Whether ``t`` is an aggregate or an array (of arrays...) of aggregates: a type
    whose display, equality and layout compiled code works out field by field rather
    than through the runtime's descriptors."""
    from .rtypes import ArrT
    seen = 0
    while isinstance(t, ArrT) and seen < 32:
        t, seen = t.elem, seen + 1
    return aggregate(t)


def is_of(t: Any, want: IRType) -> Optional[bool]:
    """Whether every value of type ``t`` is a value of the IR type ``want`` (``is_type``:
    a method call's dispatch), known from the type alone (None: ``want`` is no type
    ``is_type`` tests)."""
    if isinstance(want, TupleType):
        return isinstance(t, TupleType) and len(t.params) == len(want.params)
    if isinstance(want, NamedType):
        return (isinstance(t, RecT) and t.name == want.name) or (
            isinstance(t, SumT) and t.kind == "named" and t.key_ == want.name)
    if want.enum_key() is not None:
        return isinstance(t, SumT) and t.kind != "named" and t.key_ == want.enum_key()
    return None


def leaves(t: Any) -> list:
    """The scalar types inside a value type (its own type for a scalar)."""
    if isinstance(t, TupleType):
        return [x for p in t.params for x in leaves(p)]
    if isinstance(t, RecT):
        return [x for p in t.types for x in leaves(p)]
    if isinstance(t, SumT):
        return [x for v in t.variants for p in (v[3] or ()) for x in leaves(p)]
    return [t]


def leaf_kinds(t: Any) -> str:
    """What a value type holds that compiled code does not (``a string``), for messages."""
    from .rtypes import describe
    bad = [x for x in leaves(t) if x not in LEAVES]
    if not bad:
        return "nothing"
    d = describe(bad[0])
    return d if d.startswith(("a ", "an ")) else f"{'an' if d[:1] in 'aeiou' else 'a'} {d}"


def named_types(t: Any) -> list[str]:
    """The names of the program's structs and enums a value type holds (its own too)."""
    out = [t.name] if isinstance(t, RecT) or (isinstance(t, SumT) and t.kind == "named") \
        else []
    inner = t.params if isinstance(t, TupleType) else t.types if isinstance(t, RecT) else \
        [p for v in t.variants for p in (v[3] or ())] if isinstance(t, SumT) else []
    return out + [n for p in inner for n in named_types(p)]


def comparable(a: Any, b: Any) -> bool:
    """Whether ``a == b`` of values of these types is compiled: values of one tuple
    length, struct or enum, field by field ints and floats (in any mix) or equal
    scalars; an enum's variant that one side never has needs no comparison."""
    num = ("i64", "f64")
    if a in num and b in num:
        return True
    if a in LEAVES or b in LEAVES:
        return a == b
    if isinstance(a, TupleType) and isinstance(b, TupleType):
        return len(a.params) == len(b.params) and all(
            comparable(p, q) for p, q in zip(a.params, b.params))
    if isinstance(a, RecT) and isinstance(b, RecT):
        return a.name == b.name and all(comparable(p, q) for p, q in zip(a.types, b.types))
    if isinstance(a, SumT) and isinstance(b, SumT):
        return a.key_ == b.key_ and all(
            va[3] is None or vb[3] is None or all(comparable(p, q)
                                                 for p, q in zip(va[3], vb[3]))
            for va, vb in zip(a.variants, b.variants))
    return False


#: Methods of compiled Level 3 values (codegen/ops_values.value_method): the receiver's
#: kind, the method, its number of arguments.
METHODS = {("any", "clone"): 0, ("option", "is_some"): 0, ("option", "is_none"): 0,
           ("option", "unwrap"): 0, ("option", "expect"): 1, ("option", "unwrap_or"): 1,
           ("result", "is_ok"): 0, ("result", "is_err"): 0, ("result", "unwrap"): 0,
           ("result", "expect"): 1, ("result", "unwrap_or"): 1,
           ("result", "unwrap_err"): 0}


def method_kind(t: Any, name: str, nargs: int) -> Optional[str]:
    """Which entry of :data:`METHODS` a call of method ``name`` on a value of type ``t``
    is (``option``, ``result``, ``any``), or None: not compiled."""
    kind = t.kind if isinstance(t, SumT) and t.kind in ("option", "result") else None
    for k in (kind, "any"):
        if METHODS.get((k, name)) == nargs:
            return k
    return None


def ir_of(t: Any) -> IRType:
    """The IR's type of a value of type ``t`` (``!P<i64, f64>`` is a ``!P``; a tuple
    and Option keep their known parameters, a bottom one is ``any``)."""
    from ..ir.enums import OptionType, OrderingType, ResultType
    if isinstance(t, TupleType):
        return TupleType(*[ir_of(p) for p in t.params])
    if isinstance(t, RecT):
        return NamedType(t.name)
    if isinstance(t, SumT):
        if t.kind == "named":
            return NamedType(t.key_)
        cls = {"option": OptionType, "result": ResultType, "ordering": OrderingType}[t.kind]
        params = [ir_of(v[3][0]) if v[3] else ANY for v in t.variants if v[1] != "unit"]
        return cls(*params)
    return as_type(t)


def join_values(a: Any, b: Any) -> Any:
    """The least type of two Level 3 value types (raises rtypes.Conflict): fields
    joined one by one, a sum's variants filled in."""
    from .rtypes import Conflict, describe, join
    if isinstance(a, TupleType) and isinstance(b, TupleType) \
            and len(a.params) == len(b.params):
        return TupleType(*[join(p, q) for p, q in zip(a.params, b.params)])
    if isinstance(a, RecT) and isinstance(b, RecT) and a.name == b.name:
        return RecT(a.name, a.names, [join(p, q) for p, q in zip(a.types, b.types)],
                    a.shape)
    if isinstance(a, SumT) and isinstance(b, SumT) and a.key_ == b.key_ \
            and len(a.variants) == len(b.variants):
        out = []
        for va, vb in zip(a.variants, b.variants):
            ta, tb = va[3], vb[3]
            t = tb if ta is None else ta if tb is None else \
                tuple(join(p, q) for p, q in zip(ta, tb))
            out.append((va[0], va[1], va[2], t))
        return SumT(a.key_, a.kind, out)
    raise Conflict(f"{describe(a)} and {describe(b)}")


__all__ = ["LEAVES", "RecT", "SumT", "aggregate", "compiled", "fields_of", "join_values",
           "comparable", "holds_aggregate", "is_of", "layout", "leaf_kinds", "leaf_offsets",
           "leaves", "members", "method_kind", "made_struct", "made_variant", "named_types"]

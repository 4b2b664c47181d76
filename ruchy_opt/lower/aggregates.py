"""Lowering of struct and tuple values: literals (``P { x, y: 2 }``, ``P { x: 0, ..b }``,
``M(1)``, ``U``, ``(a, b)``) and field reads (``p.x``, ``t.0``); destructuring is
matching.py's, as every pattern.

What a path names comes from the resolution layer's tables (resolve/items.py,
paths.py), never from names looked up here. Rules are tier 0's (interp/data.py): field
values are evaluated in source order and stored in declaration order, each copied as a
new holder takes it; the fields a ``..base`` does not give are read from the base.
A struct is declared in the module (``struct !P { x, y }``) the first time a function
makes one. Writes to fields are places.py's; methods are methods.py's.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..errors import RuchySyntaxError
from ..ir.core import Value
from ..ir.types import ANY, IRType, NamedType, StructDecl, tuple_of
from ..resolve import StructInfo, lookup
from ..syntax import ast as A

if TYPE_CHECKING:
    from .function import FunctionLowerer


def field_span(node: A.Field) -> A.Span:
    """The span of a field access's name (``z`` of ``p.z``): where tier 0 reports its
    errors (interp/places.field_span, the same rule)."""
    sp = node.span
    return A.Span(sp.end_line, max(1, sp.end_col - len(node.name)), sp.end_line, sp.end_col)


def resolve(lw: "FunctionLowerer", path: str) -> Any:
    """What ``path`` names for the function being lowered (in its scope, with its
    impl's ``Self``)."""
    info = lw.ctx.info
    return lookup(info, path, lw.module, lw.self_type) if info is not None else None


def struct_type(lw: "FunctionLowerer", item: StructInfo) -> IRType:
    """The IR type of struct ``item``, declared in the module on first use
    (``std::cmp::Reverse``: the runtime's, ``reverse<any>``)."""
    if item.node is None and item.name == "Reverse":
        from ..ir.handles import REVERSE
        return REVERSE
    decls = lw.ctx.module.type_decls
    if item.name not in decls:
        lw.ctx.module.add_type_decl(StructDecl(item.name, item.shape,
                                               [(f, ANY) for f in item.fields]))
    return NamedType(item.name)


def struct_lit(lw: "FunctionLowerer", node: A.StructLit, want: bool = True) -> Value:
    """``P { x: 1, y }``, ``Self { .. }``, ``P { x: 0, ..base }`` (level3.py accepts only
    structs the IR has)."""
    item = resolve(lw, node.path)
    from ..resolve import VariantInfo
    if isinstance(item, VariantInfo):
        from .enums import struct_variant
        return struct_variant(lw, node, item)
    if not isinstance(item, StructInfo):
        raise RuchySyntaxError(f"unknown struct or variant '{node.path}'", node.span)
    declared = list(item.fields)
    given: dict[str, A.FieldInit] = {}
    for f in node.fields:
        if f.name not in declared:
            raise RuchySyntaxError(f"no field '{f.name}' on type {item.short}", f.span)
        if f.name in given:
            raise RuchySyntaxError(f"field '{f.name}' specified twice", f.span)
        given[f.name] = f
    missing = [f for f in declared if f not in given]
    if missing and node.base is None:
        raise RuchySyntaxError(f"missing field '{missing[0]}' in initializer of "
                               f"'{item.name}'", node.span)
    exprs = [f.value for f in node.fields] + ([node.base] if node.base is not None else [])
    vals = lw.operands(exprs)
    fields = {f.name: lw.copied(v, f.value) for f, v in zip(node.fields, vals)}
    if node.base is not None:
        base = vals[-1]
        for name in missing:
            fields[name] = lw.copied(lw.emit("extract", [base], imms=(name,),
                                             node=node.base), node.base)
    return lw.emit("make", [fields[f] for f in declared], imms=(struct_type(lw, item),),
                   node=node)


def construct(lw: "FunctionLowerer", node: A.Call, item: StructInfo) -> Value:
    """``M(1, 2)``: a tuple struct, each argument copied."""
    if len(item.fields) != len(node.args):
        from .calls import arity_message
        return lw.fail(arity_message(item.name, len(item.fields), len(node.args)), node)
    vals = [lw.copied(v, a) for v, a in zip(lw.operands(node.args), node.args)]
    return lw.emit("make", vals, imms=(struct_type(lw, item),), node=node)


def unit_value(lw: "FunctionLowerer", item: StructInfo, node: A.Node) -> Value:
    """A unit struct used as a value (``Marker``): a new instance, as tier 0 makes one."""
    return lw.emit("make", imms=(struct_type(lw, item),), node=node)


def tuple_lit(lw: "FunctionLowerer", node: A.TupleLit, want: bool = True) -> Value:
    """``(a, b)``, ``(5,)``: each element copied."""
    vals = [lw.copied(v, e) for v, e in zip(lw.operands(node.elems), node.elems)]
    return lw.emit("make", vals, imms=(tuple_of([v.type for v in vals]),), node=node)


def field(lw: "FunctionLowerer", node: A.Field, want: bool = True) -> Value:
    """``p.x``, ``t.0``: the field of whatever value ``p`` has (it fails, as at tier 0,
    on a value without it)."""
    v = lw.expr(node.target)
    return lw.emit("extract", [v], imms=(node.name,), span=field_span(node))


def free_struct(lw: "FunctionLowerer", name: str) -> Optional[StructInfo]:
    """The struct a free name or path means, if the program defines it (the resolution
    layer's answer, for a local variable is never asked)."""
    item = resolve(lw, name)
    return item if isinstance(item, StructInfo) and (
        item.node is not None or item.name == "Reverse") else None  # (std::cmp::Reverse)


__all__ = ["construct", "field", "field_span", "free_struct", "resolve",
           "struct_lit", "struct_type", "tuple_lit", "unit_value"]

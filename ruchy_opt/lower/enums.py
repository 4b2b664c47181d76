"""Lowering of enum values: unit variants (``Dir::North``, ``None``, ``North`` after
``use Dir::*``), tuple variants (``Shape::Circle(r)``, ``Some(x)``, ``Ok(v)``), struct
variants (``Shape::Rect { w, h }``) and the ``?`` operator.

The resolution layer says what a path names (a VariantInfo); the IR type of its enum is
``option<any>``/``result<any, any>`` for Option and Result and a declared ``enum !E``
for the program's own (declared in the module the first time a function uses it). The
rules are tier 0's (interp/data.py): payload values are evaluated in source order,
stored in declaration order and copied as a new holder takes them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import RuchySyntaxError
from ..ir.core import Value
from ..ir.enums import ENTRY, OPTION, ORDERING, RESULT, EnumDecl, VariantDecl
from ..ir.types import ANY, IRType, NamedType
from ..resolve import VariantInfo
from ..syntax import ast as A
from .level3 import NotInIR

if TYPE_CHECKING:
    from .function import FunctionLowerer

#: The functions where ``?`` on None or an Err stops the program (tier 0's rule).
MAIN_FUNCTIONS = frozenset({"main", "ruchy.main", "ruchy.toplevel"})


def sum_type(lw: "FunctionLowerer", enum: str, span: A.Span = A.NO_SPAN) -> IRType:
    """The IR type of enum ``enum`` (qualified name), declared on first use."""
    if enum == "Option":
        return OPTION
    if enum == "Result":
        return RESULT
    if enum == "Ordering":
        return ORDERING
    info = lw.ctx.info.enums.get(enum)
    if enum == "Entry" and (info is None or info.node is None):
        return ENTRY  # (a program's own enum Entry replaces the built-in one)
    if info is None or info.node is None:
        raise NotInIR(f"the enum '{enum}'", span)
    decls = lw.ctx.module.type_decls
    if enum not in decls:
        variants = [VariantDecl(v.name, v.shape, tuple((f, ANY) for f in v.fields),
                                v.discriminant if v.shape == "unit" and
                                v.discriminant != v.index else None)
                    for v in info.variants]
        lw.ctx.module.add_type_decl(EnumDecl(enum, variants))
    return NamedType(enum)


def unit_variant(lw: "FunctionLowerer", item: VariantInfo, node: A.Node) -> Value:
    """A variant named as a value: a unit variant's value; a constructor used as a value
    is tier 0's static error."""
    if item.shape != "unit":
        raise RuchySyntaxError(f"'{_written(node)}' is a constructor; call it with its "
                               "fields (constructors as values are not supported yet)",
                               node.span)
    return lw.emit("variant", imms=(sum_type(lw, item.enum, node.span), item.name), node=node)


def _written(node: A.Node) -> str:
    if isinstance(node, A.Path):
        return f"{node.owner}::{node.name}"
    return getattr(node, "id", "?")


def construct(lw: "FunctionLowerer", node: A.Call, item: VariantInfo) -> Value:
    """``E::B(1, 2)``, ``Some(x)``: a tuple variant, each argument copied."""
    name = item.qualified
    if item.shape != "tuple":
        how = f"write {name} without ()" if item.shape == "unit" else f"write {name} {{ ... }}"
        raise RuchySyntaxError(f"'{name}' is a "
                               f"{item.shape if item.shape == 'unit' else 'named-field'} "
                               f"variant, not a function: {how}", node.span)
    if len(item.fields) != len(node.args):
        from .calls import arity_message
        return lw.fail(arity_message(name, len(item.fields), len(node.args)), node)
    vals = [lw.copied(v, a) for v, a in zip(lw.operands(node.args), node.args)]
    return lw.emit("variant", vals, imms=(sum_type(lw, item.enum, node.span), item.name),
                   node=node)


def struct_variant(lw: "FunctionLowerer", node: A.StructLit, item: VariantInfo) -> Value:
    """``E::C { x: 1, y }``: field values in source order, stored in declaration order."""
    if item.shape == "unit" and not node.fields and node.base is None:
        return unit_variant(lw, item, node)
    if node.base is not None:
        raise NotInIR("'..base' in a variant literal", node.base.span)
    declared = list(item.fields)
    given: dict[str, A.FieldInit] = {}
    for f in node.fields:
        if f.name not in declared:
            raise RuchySyntaxError(f"no field '{f.name}' on type {item.name}", f.span)
        if f.name in given:
            raise RuchySyntaxError(f"field '{f.name}' specified twice", f.span)
        given[f.name] = f
    missing = [f for f in declared if f not in given]
    if missing:
        raise RuchySyntaxError(f"missing field '{missing[0]}' in initializer of "
                               f"'{item.qualified}'", node.span)
    vals = lw.operands([f.value for f in node.fields])
    fields = {f.name: lw.copied(v, f.value) for f, v in zip(node.fields, vals)}
    return lw.emit("variant", [fields[f] for f in declared],
                   imms=(sum_type(lw, item.enum, node.span), item.name), node=node)


def try_(lw: "FunctionLowerer", node: A.Try, want: bool = True) -> Value:
    """``e?``: the payload of ``Some``/``Ok``; ``None``/``Err`` is returned from the
    function (in ``main`` and at the top level the program stops, naming it)."""
    from .methods import returned
    v = lw.expr(node.operand)
    some, not_some = lw.new_block("try.some"), lw.new_block("try.other")
    ok, other = lw.new_block("try.ok"), lw.new_block("try.fail")
    join = lw.new_block("try.end")
    out = join.add_param(lw.f.fresh_value_name())
    tag = lw.emit("tag", [v], imms=(OPTION,), node=node)
    lw.branch(lw.emit("eq.i64", [tag, lw.const(1)], node=node), some, not_some, node=node)
    _enter(lw, some)
    lw.jump(join, [lw.emit("payload", [v], imms=(OPTION, "Some", "0"), node=node)])
    _enter(lw, not_some)
    tag = lw.emit("tag", [v], imms=(RESULT,), node=node)
    lw.branch(lw.emit("eq.i64", [tag, lw.const(0)], node=node), ok, other, node=node)
    _enter(lw, ok)
    lw.jump(join, [lw.emit("payload", [v], imms=(RESULT, "Ok", "0"), node=node)])
    _enter(lw, other)
    if lw.f.name in MAIN_FUNCTIONS:
        lw.emit("try_main", [v], node=node)
        lw.emit("ret", [returned(lw, lw.unit(), node)], node=node)
    else:
        lw.emit("try_check", [v], node=node)
        lw.emit("ret", [returned(lw, v, node)], node=node)
    _enter(lw, join)
    return out


def _enter(lw: "FunctionLowerer", block: Any) -> None:
    lw.ssa.seal(block)
    lw.start(block)


__all__ = ["MAIN_FUNCTIONS", "construct", "struct_variant", "sum_type", "try_",
           "unit_variant"]

"""Tier 0: Level 3 data: tuples, structs, enum values, chars and field reads.

Values are those of runtime/aggregates.py (docs/level3.md): a tuple is a Python tuple,
a struct or variant an instance of its class (``T_<name>``, ``V_<enum>_S_<variant>``), a
char a :class:`Char`. A field read is a plain attribute read ``v.f_x``; reading a field a
value does not have raises AttributeError, which the runner reports at the field's name
(``ops.attribute_error``). Struct literals are checked against the declaration when
translated (an unknown or missing field is an error before anything runs, as in Rust).
"""
from __future__ import annotations

import copy
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Optional

from ..errors import RuchySyntaxError
from ..resolve import StructInfo, VariantInfo
from ..runtime import aggregates, heap, ops
from ..runtime.fs import File, write_text
from ..syntax import ast as A
from .fieldkinds import field_kind
from .names import type_py, variant_py
from .places import field_span

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]


def resolve_item(tr: "FunctionTranslator", path: str) -> Any:
    """The item a name or path means in the function being translated (None: none)."""
    from .items import resolve
    return resolve(tr, path)


def class_of(item: Any) -> Optional[str]:
    """The Python name of a struct's class, or of a variant's class (unit: instance)."""
    if isinstance(item, StructInfo):
        return type_py(item.name)
    if isinstance(item, VariantInfo):
        return variant_py(item.enum, item.name)
    return None


class DataMixin:
    """The FunctionTranslator's methods for Level 3 data expressions."""

    def x_CharLit(self: "FunctionTranslator", node: A.CharLit) -> Value:
        return f"_CH[{node.value!r}]", "any"

    def x_TupleLit(self: "FunctionTranslator", node: A.TupleLit) -> Value:
        vals = self.operands(node.elems)
        items = [self.copied(c, k, n) for (c, k), n in zip(vals, node.elems)]
        if len(items) == 1:
            return f"({items[0]},)", "any"
        return f"({', '.join(items)})", "any"

    def x_StructLit(self: "FunctionTranslator", node: A.StructLit) -> Value:
        return struct_lit(self, node)

    def x_Field(self: "FunctionTranslator", node: A.Field) -> Value:
        c, k = self.expr(node.target)
        c = self.simple(c, k, node.target)
        t = self.tmp()
        if node.name.isdigit():
            code = f"{c}[{node.name}] if type({c}) is tuple else _tget({c}, {node.name})"
        else:
            code = f"{c}.f_{node.name}"
        self.out.emit(f"{t} = {code}", field_span(node))
        return t, field_kind(self.ctx, node.name)  # interp/fieldkinds.py

    def returned(self: "FunctionTranslator", code: str, kind: Optional[str],
                 node: A.Node) -> str:
        """A function's result as its caller receives it: fresh (the caller stores it
        without a copy, see mark_fresh), so a value that may be held elsewhere (a field
        of ``&self``, a local) is copied here; a function declared to return a reference
        (``-> &mut Self``) returns the object itself."""
        fn = self.fn
        if fn is not None and returns_ref(fn.node):
            return code
        return self.copied(code, kind, node)

    def let_bound(self: "FunctionTranslator", ref: A.Ref, py: str) -> None:
        """``let r = &mut place`` bound ``py``: a cell it holds is written back to the
        place after each ``*r = v`` (places.store)."""
        alias = getattr(self, "ref_places", {}).pop(id(ref), None)
        if alias is not None:
            self.ref_places[py] = alias

    def x_Deref(self: "FunctionTranslator", node: A.Deref) -> Value:
        c, k = self.expr(node.operand)
        if k in ("int", "float", "bool", "str", "arr", "unit"):
            return c, k
        c = self.simple(c, k, node.operand)
        return f"({c}.v if type({c}) is Cell else {c})", "any"


def mut_ref_expr(tr: "FunctionTranslator", node: A.Ref) -> Value:
    """``&mut place`` as a value: the object at the place (no copy: the node is fresh),
    or a cell for a number, string or tuple; the place is remembered for ``let``
    (let_bound) when its index values cannot change (temps and literals)."""
    from .places import containers, is_place, locate
    tr.fresh_nodes.add(id(node))
    if not is_place(tr, node.operand):
        return tr.expr(node.operand)
    loc = locate(tr, node.operand)
    for s in loc.steps:  # the place is the one of now, whatever its indices do later
        if s.kind == "idx" and s.code.isidentifier() and not s.code.startswith("_t"):
            t = tr.tmp()
            tr.emit(f"{t} = {s.code}", node)
            s.code = t
    conts = containers(tr, loc, len(loc.steps))
    v, kv = conts[-1]
    if kv == "arr":
        return v, kv
    c = tr.tmp()
    tr.emit(f"{c} = {v} if type({v}) is Arr else _mref({v})", node)
    if not hasattr(tr, "ref_places"):
        tr.ref_places = {}
    tr.ref_places[id(node)] = (loc, conts, kv)
    return c, "any"


def returns_ref(fn: A.FunDef) -> bool:
    """Whether a function is declared to return a reference (its result is not fresh)."""
    return fn.ret is not None and fn.ret.kind == "ref"


def mark_fresh(tr: "FunctionTranslator", node: A.Node, *callees: A.FunDef) -> None:
    """The value of call ``node`` is fresh (no holder but the caller): user functions
    return copies (FunctionTranslator.returned), unless declared to return a reference."""
    if not any(returns_ref(f) for f in callees):
        tr.fresh_nodes.add(id(node))


def struct_lit(tr: "FunctionTranslator", node: A.StructLit) -> Value:
    """``P { x: 1, y }``, ``E::C { x: 1 }``, ``Self { .. }``, ``P { x: 0, ..base }``:
    values evaluated in source order, the object built in declaration order."""
    item = resolve_item(tr, node.path)
    if not isinstance(item, (StructInfo, VariantInfo)):
        raise RuchySyntaxError(f"unknown struct or variant '{node.path}'", node.span)
    name = item.name if isinstance(item, StructInfo) else item.qualified
    if item.shape == "unit" and not node.fields and node.base is None:
        return unit_value(tr, item, node)
    declared = list(item.fields)
    given: dict[str, A.FieldInit] = {}
    for f in node.fields:
        if f.name not in declared:
            raise RuchySyntaxError(f"no field '{f.name}' on type {name.rsplit('::', 1)[-1]}",
                                   f.span)
        if f.name in given:
            raise RuchySyntaxError(f"field '{f.name}' specified twice", f.span)
        given[f.name] = f
    missing = [f for f in declared if f not in given]
    if missing and node.base is None and isinstance(item, StructInfo) and item.node is not None:
        from .dialect import with_field_defaults  # Ruchy's `port: i32 = 8080`
        full = with_field_defaults(item.node.fields, node.fields, missing)
        if full is not None:
            return struct_lit(tr, replace(node, fields=full))
        missing = [m for m in missing if item.node.fields[declared.index(m)].default is None]
    if missing and node.base is None:
        raise RuchySyntaxError(f"missing field '{missing[0]}' in initializer of '{name}'",
                               node.span)
    base = node.base
    if isinstance(base, A.Call) and isinstance(base.callee, A.Path) and not base.args \
            and f"{base.callee.owner}::{base.callee.name}" == "Default::default":
        base = A.Call(A.Path(node.path, "default", span=base.span), [], span=base.span)
    exprs = [f.value for f in node.fields] + ([base] if base is not None else [])
    vals = tr.operands(exprs)
    codes = {f.name: tr.copied(c, k, f.value) for f, (c, k) in zip(node.fields, vals)}
    if base is not None:
        b = tr.simple(*vals[-1], base)
        for f in missing:
            t = tr.tmp()
            tr.out.emit(f"{t} = {b}.f_{f}", base.span)
            codes[f] = tr.copied(t, None, base)  # a fresh base's fields are fresh
    args = ", ".join(codes[f] for f in declared)
    return tr.value_line(f"{class_of(item)}({args})", "any", node)


def derived_default(tr: "FunctionTranslator", item: StructInfo, node: A.Node) -> Value:
    """``T::default()`` of a struct without its own ``default`` (``#[derive(Default)]``):
    every field's default as resolve/generics.derived_default says."""
    from ..resolve.generics import derived_default as fields
    from .defaults import _code
    from .items import scope_of
    codes = []
    for kind, what in fields(tr.ctx.info, item, node.span, *scope_of(tr)):
        if kind == "expr":  # Ruchy's `port: i32 = 8080`
            code, k = tr.expr(copy.deepcopy(what))
            codes.append(tr.copied(code, k, what))
        elif kind == "call":
            code, k = tr.expr(what)
            codes.append(tr.simple(code, k, what))
        else:
            codes.append(_code(what))
    return tr.value_line(f"{type_py(item.name)}({', '.join(codes)})", "any", node)


def unit_value(tr: "FunctionTranslator", item: Any, node: A.Node) -> Value:
    """A unit struct (a new instance) or unit variant (its one instance) as a value."""
    if isinstance(item, StructInfo):
        return tr.value_line(f"{type_py(item.name)}()", "any", node)
    return variant_py(item.enum, item.name), "any"


def item_value(tr: "FunctionTranslator", node: A.Node, path: str) -> Optional[Value]:
    """A name or path used as a value that means a unit struct or unit variant (``None``,
    ``Color::Red``, ``Marker``); None if it means something else."""
    item = resolve_item(tr, path)
    if isinstance(item, (StructInfo, VariantInfo)):
        if item.shape == "unit":
            return unit_value(tr, item, node)
        raise RuchySyntaxError(f"'{path}' is a constructor; call it with its fields "
                               "(constructors as values are not supported yet)", node.span)
    return None


def construct(tr: "FunctionTranslator", node: A.Call, item: Any) -> Value:
    """``M(1, 2)``, ``E::B(1, 2)``, ``Some(x)``: a tuple struct or tuple variant."""
    name = item.name if isinstance(item, StructInfo) else item.qualified
    if item.shape != "tuple":
        kind = "variant" if isinstance(item, VariantInfo) else "struct"
        how = f"write {name} without ()" if item.shape == "unit" else f"write {name} {{ ... }}"
        raise RuchySyntaxError(f"'{name}' is a {item.shape if item.shape == 'unit' else 'named-field'}"
                               f" {kind}, not a function: {how}", node.span)
    if len(item.fields) != len(node.args):
        tr.emit(f"_arity({name!r}, {len(item.fields)}, {len(node.args)})", node)
        return "None", "any"
    vals = tr.operands(node.args)
    args = ", ".join(tr.copied(c, k, a) for (c, k), a in zip(vals, node.args))
    mark_fresh(tr, node)
    return tr.value_line(f"{class_of(item)}({args})", "any", node)


class _CharTable(dict):
    """``_CH['a']``: one Char object per character the program writes."""

    def __missing__(self, c: str) -> aggregates.Char:
        v = self[c] = aggregates.Char(c)
        return v


def namespace() -> dict[str, Any]:
    """The names the code of this module (and places.py, calls.py) refers to."""
    return {"_CH": _CharTable(), "Cell": aggregates.Cell, "_IMM": aggregates.IMMUTABLE,
            "_tget": ops.tuple_get, "_tset": ops.tuple_set, "_elem_w": ops.elem_w,
            "_dset": ops.deref_set, "_drebind": ops.deref_rebind, "_mref": ops.mut_ref, "_vref": ops.var_ref,
            "_nometh": ops.no_method, "T_Reverse": heap.Reverse, "_ord_via": aggregates.ord_via,
            "_TA": {},  # type arguments stated by callers (interp/generics.py)
            "_mtable": method_table, "_display_via": aggregates.display_via,
            "_Formatter": aggregates.Formatter, "_fwrite": formatter_write}


def formatter_write(f: Any, text: str) -> Optional[str]:
    """``write!(f, ...)``: append to a Display formatter (None), or give the new text of
    a String target (the caller stores it)."""
    if type(f) is aggregates.Formatter:
        f.write(text)
        return None
    if type(f) is str:
        return f + text
    if type(f) is aggregates.Cell and type(f.v) is str:
        f.v += text
        return None
    g = f.v if type(f) is aggregates.Cell else f
    if type(g) is File:  # write!(file, ..) (runtime/fs.py)
        write_text(g, text)
        return None
    raise ops.RuchyRuntimeError(f"type error: cannot write! to {ops.kind(f)}")


def method_table(*entries: tuple[Any, Any, bool]) -> dict[type, Any]:
    """A method name's dispatch table: the class of each type that has it (every
    variant's class for an enum) -> its function; ``by_value`` methods get a copy of
    their receiver (``self``, not ``&self``)."""
    from ..runtime.values import cp
    table: dict[type, Any] = {}
    for cls, fn, by_value in entries:
        if by_value:
            fn = (lambda f: lambda s, *a: f(cp(s), *a))(fn)
        classes = [cls]
        if isinstance(cls, type) and issubclass(cls, aggregates.Variant) \
                and cls is not aggregates.Variant:
            classes = aggregates.variant_classes(cls) or [cls]
        for c in classes:
            table[c] = fn
    return table

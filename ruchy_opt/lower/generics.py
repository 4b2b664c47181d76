"""Lowering of associated functions called on a generic type parameter (``T::name()``
in ``fn build<T: Shape>() -> T``) and of the derived ``T::default()`` of a struct.

What they mean is the resolution layer's (resolve/generics.py, as for tier 0:
interp/generics.py); here it becomes ops (ir/ops_typearg.py):

- the type ``T`` stands for: ``type_of`` the parameter declared ``T``/``&T``, else the
  global ``@typearg.F::T`` a caller of ``F`` stored a ``type_token`` in before the call
  (from its turbofish or the ``let`` annotation the call initialises);
- the call: a ``type_is`` test per type that answers it, each branch the ordinary call
  of ``Type::name(args)`` (a ``call``, or a derived default's ``make``), the built-in
  types' ``default()``/``new()`` last, and tier 0's ``undefined name 'T::name'``
  (an ``error``) when none matches.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..ir.core import Value
from ..ir.ops_char import CHAR
from ..ir.types import ARR, BOOL, F64, I64, STR, IRType
from ..resolve import FnInfo, StructInfo
from ..resolve import generics as G
from ..syntax import ast as A
from .level3 import NotInIR

if TYPE_CHECKING:
    from .function import FunctionLowerer

#: The IR type of each built-in class a type argument may be (resolve/generics.BUILTIN).
_BUILTIN_TYPES: dict[str, IRType] = {"int": I64, "float": F64, "bool": BOOL, "str": STR,
                                     "Arr": ARR, "Char": CHAR}


def global_name(key: str) -> str:
    """The module global a caller states type parameter ``key`` (``build::T``) in."""
    return f"typearg.{key}"


def _global(lw: "FunctionLowerer", key: str) -> str:
    name = global_name(key)
    if name not in lw.ctx.module.globals:
        lw.ctx.module.add_global(name, None)
    return name


def _ir_type(lw: "FunctionLowerer", t: G.TypeArg, node: A.Node) -> IRType:
    """The IR type of a type argument (a struct or enum declared on first use)."""
    if t[0] == "builtin":
        return _BUILTIN_TYPES[t[1]]
    info = lw.ctx.info
    if t[1] in info.structs:
        from .aggregates import struct_type
        return struct_type(lw, info.structs[t[1]])
    from .enums import sum_type
    return sum_type(lw, t[1], node.span)


def _type_arg(lw: "FunctionLowerer", var: str, node: A.Node) -> Value:
    """The class ``var`` stands for in the function being lowered."""
    params, _ = lw.source
    p = G.param_binding(params, var)
    v = lw.lookup(p) if p is not None else None
    if v is not None:
        return lw.emit("type_of", [lw.read(v)], node=node)
    fn = _this_function(lw)
    key = f"{fn.name if fn is not None else ''}::{var}"
    from ..ir.opdef import Sym
    return lw.emit("load_global", imms=(Sym(_global(lw, key)),), node=node)


def _this_function(lw: "FunctionLowerer") -> Optional[FnInfo]:
    """The FnInfo of the function being lowered (tier 0's ``tr.fn``)."""
    info = lw.ctx.info
    return info.functions.get(lw.f.name) if info is not None else None


def assoc_call(lw: "FunctionLowerer", node: A.Call, p: A.Path) -> Value:
    """``T::name(args)`` for a type parameter ``T``: a ``type_is`` test per candidate."""
    if lw.lifted:  # (tier 0 reads the parameters of the closure, not of the function)
        raise NotInIR(f"the call of '{p.owner}::{p.name}' on a type parameter in a closure "
                      "or nested function", p.span)
    info = lw.ctx.info
    cls = _type_arg(lw, p.owner, node)
    end = lw.new_block("typearg.end")
    end.add_param(lw.f.fresh_value_name())
    tests: list[tuple[IRType, Optional[A.Call], object]] = []
    for t in G.candidates(info, p.name):
        call = A.Call(A.Path(t, p.name, span=p.span), node.args, span=node.span)
        tests.append((_ir_type(lw, ("item", t), node), call, None))
    for py_cls, d in G.builtin_new(p.name, len(node.args)).items():
        tests.append((_BUILTIN_TYPES[py_cls], None, d))
    for t, call, d in tests:
        yes, no = lw.new_block("typearg.is"), lw.new_block("typearg.next")
        lw.branch(lw.emit("type_is", [cls], imms=(t,), node=node), yes, no, node=node)
        lw.ssa.seal(yes)
        lw.start(yes)
        if call is not None:
            v = lw.expr(call)
        else:
            from .defaults import _default
            v = _default(lw, d, node)  # type: ignore[arg-type]
        lw.jump(end, [v])
        lw.ssa.seal(no)
        lw.start(no)
    lw.emit("error", imms=(f"undefined name '{p.owner}::{p.name}'",), node=node)
    lw.jump(end, [lw.unit()])
    lw.ssa.seal(end)
    lw.start(end)
    return end.params[0]


def state_type_args(lw: "FunctionLowerer", node: A.Call, name: str) -> None:
    """Before a call of function ``name`` (its arguments evaluated): the types of its
    type parameters that no parameter binds, stored where it reads them."""
    info = lw.ctx.info
    fn = info.functions.get(name) if info is not None else None
    if fn is None or fn.node.body is None:
        return
    cache = lw.ctx.__dict__.setdefault("type_vars", {})
    vars_ = cache.get(fn.name)
    if vars_ is None:
        vars_ = cache[fn.name] = G.hidden_vars(info, fn)
    if not vars_:
        return
    stmts, i = lw.stmt_at
    stmt = stmts[i] if 0 <= i < len(stmts) else None
    here = _this_function(lw)
    scope = (here.module, here.owner) if here is not None else (lw.module, lw.self_type)
    from ..ir.opdef import Sym
    for var, text in zip(vars_, G.stated_type_args(node, fn, vars_, stmt)):
        t = G.type_arg(info, text, *scope) if text is not None else None
        if t is not None:
            token = lw.emit("type_token", imms=(_ir_type(lw, t, node),), node=node)
            lw.emit("store_global", [token], imms=(Sym(_global(lw, G.state_key(fn, var))),),
                    node=node)


def derived_default(lw: "FunctionLowerer", item: StructInfo, node: A.Node) -> Value:
    """``T::default()`` of a struct without its own ``default`` (``#[derive(Default)]``):
    each field's default as resolve/generics.derived_default says."""
    import copy
    from .aggregates import struct_type
    from .defaults import _default
    here = _this_function(lw)
    scope = (here.module, here.owner) if here is not None else (lw.module, lw.self_type)
    vals = []
    for kind, what in G.derived_default(lw.ctx.info, item, node.span, *scope):
        if kind == "expr":  # Ruchy's `port: i32 = 8080`
            e = copy.deepcopy(what)
            vals.append(lw.copied(lw.expr(e), e))
        elif kind == "call":
            vals.append(lw.expr(what))
        else:
            vals.append(_default(lw, what, node))
    return lw.emit("make", vals, imms=(struct_type(lw, item),), node=node)


__all__ = ["assoc_call", "derived_default", "global_name", "state_type_args"]

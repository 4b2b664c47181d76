"""Tier 0: associated functions called on a generic type parameter: ``T::default()``,
``T::new()``, ``T::name()`` in ``fn make<T: Default>() -> T`` or ``fn build<T: Shape>()``.

Types are hints, so the type ``T`` stands for is found at run time, as Rust's
monomorphisation would have it at the call:

- from a parameter declared ``T``, ``&T`` or ``&mut T``: the class of the value passed;
- else from the caller, which states it before the call (``_TA['make::T'] = T_Point``)
  from the call's turbofish (``make::<Point>()``) or the ``let`` it initialises
  (``let p: Point = make();``); the callee reads it where it uses ``T`` (a call of the
  same function in between with another type would be seen: not for recursion).

The call itself is a chain of class tests over the types that can answer it: user types
with an associated function of that name (or, for ``default``, every struct: the derived
``Default``), and the built-in types' ``default``/``new`` (0, 0.0, "", false, an empty Vec).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..resolve import FnInfo
from ..resolve import generics as G
from ..syntax import ast as A
from .names import type_py

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]

#: The code of each built-in type's ``default()`` / ``new()`` (resolve/generics.BUILTIN_NEW).
_BUILTIN_CODE = {"int": "0", "float": "0.0", "bool": "False", "str": "''", "Arr": "Arr([])",
                 "Char": "_CH['\\x00']"}


def _scope(tr: "FunctionTranslator") -> tuple[str, Optional[str]]:
    from .items import scope_of
    return scope_of(tr)


def is_type_var(tr: "FunctionTranslator", owner: str) -> bool:
    """Whether ``owner`` of a path ``owner::name`` is a generic type parameter
    (resolve/generics.is_type_var)."""
    return G.is_type_var(tr.ctx.info, owner, *_scope(tr))


def class_of_text(tr: "FunctionTranslator", text: str) -> Optional[str]:
    """The Python class of the values of the type written ``text`` (None: not known)."""
    t = G.type_arg(tr.ctx.info, text, *_scope(tr))
    if t is None:
        return None
    return t[1] if t[0] == "builtin" else type_py(t[1])


def type_arg(tr: "FunctionTranslator", var: str, node: A.Node) -> str:
    """Code of the class ``var`` stands for in the function being translated."""
    p = G.param_binding(tr.params, var)
    py = tr.lookup(p) if p is not None else None
    if py is not None:
        return tr.value_line(f"type({py}.v if type({py}) is Cell else {py})", "any", node)[0]
    fn = tr.fn.name if tr.fn is not None else ""
    return tr.value_line(f"_TA.get({f'{fn}::{var}'!r})", "any", node)[0]


def assoc_call(tr: "FunctionTranslator", node: A.Call, p: A.Path) -> Value:
    """``T::name(args)`` for a type parameter ``T``: a test per candidate type."""
    cls = type_arg(tr, p.owner, node)
    res = tr.tmp()
    first = True
    for t in G.candidates(tr.ctx.info, p.name):
        tr.emit(f"{'if' if first else 'elif'} {cls} is {type_py(t)}:", node)
        first = False
        with tr.out.indented():
            call = A.Call(A.Path(t, p.name, span=p.span), node.args, span=node.span)
            code, kind = tr.expr(call)
            tr.emit(f"{res} = {code}", node)
    for py_cls in G.builtin_new(p.name, len(node.args)):
        tr.emit(f"{'if' if first else 'elif'} {cls} is {py_cls}:", node)
        first = False
        tr.emit(f"    {res} = {_BUILTIN_CODE[py_cls]}", node)
    key = f"{p.owner}::{p.name}"
    if first:
        tr.emit(f"{res} = _undef({key!r})", node)
    else:
        tr.emit(f"else: {res} = _undef({key!r})", node)
    tr.fresh_nodes.add(id(node))
    return res, "any"


def state_type_args(tr: "FunctionTranslator", node: A.Call, fn: FnInfo) -> None:
    """Before a call of ``fn``: the classes of its type parameters that no parameter
    binds, from the call's turbofish or the ``let`` annotation it initialises."""
    vars_ = _hidden_vars(tr, fn)
    if not vars_:
        return
    stmts, i = tr.stmt_at
    stmt = stmts[i] if 0 <= i < len(stmts) else None
    for var, text in zip(vars_, G.stated_type_args(node, fn, vars_, stmt)):
        cls = class_of_text(tr, text) if text is not None else None
        if cls is not None:
            tr.emit(f"_TA[{G.state_key(fn, var)!r}] = {cls}", node)


def _hidden_vars(tr: "FunctionTranslator", fn: FnInfo) -> list[str]:
    """resolve/generics.hidden_vars, cached per function."""
    cache = tr.ctx.__dict__.setdefault("type_vars", {})
    out = cache.get(fn.name)
    if out is None:
        out = cache[fn.name] = G.hidden_vars(tr.ctx.info, fn)
    return out

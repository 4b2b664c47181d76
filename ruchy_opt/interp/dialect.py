"""Tier 0: the calls that syntax/build_dialect.py makes of Ruchy's own forms.

- ``__object!("k1", v1, "k2", v2)``: an object literal ``{ k1: v1, k2: v2 }``;
- ``__throw!(v)``: ``throw v``;
- ``__try!(|| { .. })``: a ``try`` block, ``Ok`` of its value or ``Err`` of what it threw;
- ``__pipe!(x, f(a))``: ``x |> f(a)``, the call ``f(x, a)`` when ``f`` names a function
  (of the program, or a variable holding one), else the method call ``x.f(a)`` (the
  reference's ``"  hi " |> trim |> upper``).

Their values are in runtime/objects.py."""
from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Optional

from ..runtime import collections as _collections  # noqa: F401 (it imports objects at its end)
from ..runtime import objects
from ..syntax import ast as A

if TYPE_CHECKING:  # pragma: no cover
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]

#: The macro names build_dialect.py generates (users cannot spell a macro this way
#: without meaning these).
MACROS = frozenset(("__object", "__throw", "__try", "__pipe"))

#: Built-in functions a pipeline stage may name (called, not taken as a method).
_FUNCTIONS = frozenset(("println", "print", "eprintln", "len", "format"))


def call(tr: "FunctionTranslator", node: A.Call, name: str) -> Value:
    """Translate one dialect call (``name`` in :data:`MACROS`)."""
    if name == "__pipe":
        return tr.expr(_pipe_stage(tr, node))
    if name == "__object":
        keys = tuple(k.value for k in node.args[0::2])  # StrLit keys (build_dialect.py)
        values = node.args[1::2]
        codes = [tr.simple(c, k, n) for (c, k), n in zip(tr.operands(values), values)]
        return tr.value_line(f"_obj_new({keys!r}, ({''.join(c + ', ' for c in codes)}))",
                             "any", node)
    (code, kind), = tr.operands(node.args)
    arg = tr.simple(code, kind, node.args[0])
    if name == "__throw":
        tr.emit(f"_throw({arg})", node)
        return "None", "unit"
    return tr.value_line(f"_try({arg})", "any", node)


def _pipe_stage(tr: "FunctionTranslator", node: A.Call) -> A.Node:
    """The call that ``x |> stage`` makes (see the module's docstring)."""
    value, stage = node.args
    if isinstance(stage, A.Call) and isinstance(stage.callee, A.Name) and not stage.macro:
        fname, args = stage.callee.id, stage.args
    elif isinstance(stage, A.Name):
        fname, args = stage.id, []
    else:  # a path or a computed function: call it with the value
        return A.Call(stage, [value], span=node.span)
    from .items import function_named
    if tr.lookup(fname) is not None or fname in _FUNCTIONS or fname in tr.ctx.functions \
            or function_named(tr, fname):
        return A.Call(A.Name(fname, span=stage.span), [value] + list(args), span=node.span)
    return A.MethodCall(value, fname, list(args), stage.span, span=node.span)


def with_defaults(params: list[A.Param], args: list[A.Node]) -> Optional[list[A.Node]]:
    """``args`` followed by the default values (Ruchy's ``y: i64 = 5``) of the trailing
    parameters they leave out, or None when one of those has no default. A default is
    evaluated at each call that omits it (a fresh copy of its expression per call site)."""
    if len(args) >= len(params):
        return None
    missing = params[len(args):]
    if any(p.default is None for p in missing):
        return None
    return list(args) + [copy.deepcopy(p.default) for p in missing]


def with_field_defaults(decl: list[A.FieldDef], given: list[A.FieldInit],
                        missing: list[str]) -> Optional[list[A.FieldInit]]:
    """The fields of a struct literal followed by the default values (Ruchy's ``port:
    i32 = 8080``) of the ``missing`` ones, or None when one of those has no default.
    A default is evaluated each time a literal omits it."""
    defaults = {f.name: f for f in decl}
    if any(defaults[m].default is None for m in missing):
        return None
    return list(given) + [A.FieldInit(m, copy.deepcopy(defaults[m].default),
                                      span=defaults[m].span) for m in missing]


def namespace() -> dict[str, Any]:
    """The runtime functions the translated dialect calls use."""
    return {"_obj_new": objects.new_object, "_throw": objects.throw, "_try": objects.try_call,
            "_hasf": objects.has_field}

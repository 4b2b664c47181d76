"""Tier 0: ``o.take()``, ``o.replace(v)``, ``o.insert(v)``, ``o.get_or_insert(v)``,
``o.get_or_insert_with(f)`` on a place holding an Option: the runtime gives the new
Option and the result (runtime/option_mut.py) and the new Option is stored back into
the receiver's place, as the string mutators do (interp/strings.py). A receiver that
is not an Option at run time (a map's ``insert``, an iterator's ``take(n)``) takes the
method's usual path.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..runtime import option_mut
from ..syntax import ast as A
from .places import containers, is_place, locate, store

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]
#: Kinds a receiver of which is never an Option.
_NOT_OPTION = ("arr", "int", "float", "bool", "unit", "str")


def method_call(tr: "FunctionTranslator", node: A.MethodCall) -> Optional[Value]:
    """The code of an Option mutator on a place, or None for the usual path."""
    name = node.method
    if name not in option_mut.MUTATORS or not is_place(tr, node.receiver):
        return None
    root = node.receiver
    while isinstance(root, (A.Index, A.Field, A.Deref)):
        root = root.target if not isinstance(root, A.Deref) else root.operand
    if root is node.receiver and tr.kind_of_var(tr.lookup(root.id)) in _NOT_OPTION:
        return None
    loc = locate(tr, node.receiver)
    conts = containers(tr, loc, len(loc.steps))
    r, _ = conts[-1]
    vals = tr.operands(node.args)
    args = "".join(f", {tr.simple(c, k, n)}" for (c, k), n in zip(vals, node.args))
    new, res = tr.tmp(), tr.tmp()
    tr.emit(f"if _is_opt({r}):", node)
    with tr.out.indented():
        tr.emit(f"{new}, {res} = _OM_{name}({r}{args})", node)
        store(tr, loc, conts, new, "any", node)
    tr.emit("else:", node)
    with tr.out.indented():
        tr.emit(f"{res} = _M_{name}({r}{args})", node)
    return res, "any"


def namespace() -> dict[str, Any]:
    """The names the generated code of this module refers to."""
    ns: dict[str, Any] = {"_is_opt": option_mut.is_option}
    for name, f in option_mut.MUTATORS.items():
        ns[f"_OM_{name}"] = f
    return ns


__all__ = ["method_call", "namespace"]

"""Lowering of traits: trait-method calls, the method tables and trait impls of the
module (ir/traits.py), ``Trait::m(recv, ..)`` and ``write!``.

The resolution layer gives every type its methods, a trait's own and its defaults
alike (resolve/items.py: a default method is a function per type, ``@Circle::describe``
lowered with ``Self`` = Circle). A call whose receiver's type lowering knows (``self``
in a method, a value made in view: lower/methods.py) is a direct ``call``. Otherwise,
when some type has the method from a trait (a ``&dyn Shape``, a ``Box<dyn Shape>`` of
a ``Vec``, a generic function's parameter), it is ``call_method``, which dispatches on
the receiver's runtime type through each type's method table ``impl !T { m = @f }``;
the tables list every candidate of each method name called so (and only those, so
only functions the program may call are lowered).

Traits the runtime calls (Display for ``{}``, Debug, Ord/PartialOrd, the operator
traits) are declared ``impl Display for !T { fmt = @T::fmt }`` as soon as T is declared
in the module, their functions lowered with the rest, and the IR interpreter installs
them on T's runtime class as tier 0 does (interp/dispatch.module_tail).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional, Sequence

from ..ir.core import Module, Value
from ..ir.opdef import Sym
from ..ir.traits import RUNTIME_TRAITS, ImplDecl, referenced
from ..syntax import ast as A
from .level3 import NotInIR, ir_enum, ir_struct

if TYPE_CHECKING:
    from .function import FunctionLowerer, ModuleContext

#: The receiver mode of ``call_method`` for each ``FnInfo.self_mode``.
_MODE = {"ref": "&self", "value": "self", "mut_ref": "&mut self"}


def call_method(lw: "FunctionLowerer", node: A.MethodCall, cands: Sequence[tuple[str, Any]],
                mode: str, inout: Sequence[int], args: list) -> Value:
    """``recv.m(args)`` through the method tables: ``call_method "m", MODE, ...``; the
    receiver and arguments are evaluated (``args``: value and store of each)."""
    from .methods import owner_type
    if any(k != 0 for k in inout):
        raise NotInIR(f"the method '.{node.method}()' (a '&mut' parameter of a method "
                      "called through a trait)", A.error_span(node))
    for t, fn in cands:
        owner_type(lw, t, node)  # (declared in the module)
        record(lw.ctx, t, node.method, fn.name)
    r = lw.emit("call_method", [v for v, _ in args], imms=(node.method, _MODE[mode]),
                node=node)
    if mode != "mut_ref":
        return r
    result = lw.emit("extract", [r], imms=("0",), node=node)
    store = args[0][1]
    if store is not None:
        store(lw.emit("extract", [r], imms=("1",), node=node))
    return result


def record(ctx: "ModuleContext", type_name: str, method: str, fn: str,
           trait: Optional[str] = None) -> None:
    """List ``fn`` as ``method`` in type ``type_name``'s method table (``trait`` None)
    or in its ``impl trait``; the function is lowered with the program."""
    m: Module = ctx.module
    decl = m.impls.get((type_name, trait or ""))
    if decl is None:
        decl = m.add_impl(ImplDecl(type_name, trait))
    decl.methods.setdefault(method, Sym(fn))
    ctx.requested.add(fn)


def runtime_impls(ctx: "ModuleContext") -> None:
    """Declare the runtime traits (Display, Debug, Ord or else PartialOrd, the operator
    traits) of every program type declared in the module so far, as tier 0 installs
    them (interp/dispatch._format_impls, _operator_impls)."""
    info = ctx.info
    if info is None:
        return
    for t in list(ctx.module.type_decls):
        traits = info.trait_methods.get(t)
        item = info.structs.get(t) or info.enums.get(t)
        if not traits or item is None or (ir_struct(ctx.names, item) or
                                          ir_enum(ctx.names, item)) is not item:
            continue
        for trait, methods in RUNTIME_TRAITS.items():
            if trait == "PartialOrd" and _body(traits.get("Ord", {}).get("cmp")):
                continue  # Ord's cmp orders the values
            for m in methods:
                fn = traits.get(trait, {}).get(m)
                if _body(fn):
                    record(ctx, t, m, fn.name, trait)


def _body(fn: Any) -> bool:
    return fn is not None and fn.node.body is not None


def finish(module: Module, lowered: dict, refused: dict) -> None:
    """Drop the method table entries and trait impls whose functions were left out
    (an unreachable function's, or a partial lowering's), and the functions that
    could reach one: a ``call_method`` of that name, or a value of that type made
    (as a caller of a function left out goes: module._drop_broken_callers)."""
    methods: set[str] = set()  # names whose table lost an entry
    types: set[str] = set()  # types that lost a trait impl
    for key, decl in list(module.impls.items()):
        for m, f in list(decl.methods.items()):
            if str(f) not in lowered:
                del decl.methods[m]
                if decl.trait is None:
                    methods.add(m)
                else:
                    types.add(decl.type_name)
        if not decl.methods:
            del module.impls[key]
    if not methods and not types:
        return
    for name, f in list(lowered.items()):
        for instr in f.instructions():
            op = instr.op.name
            if (op == "call_method" and instr.imms[0] in methods) or \
                    (op in ("make", "variant") and getattr(instr.imms[0], "name", None)
                     in types):
                del lowered[name]
                refused[name] = NotInIR(f"'{op} {instr.imms[0]}', whose method was left "
                                        "out,", instr.span)
                break


def trait_call(lw: "FunctionLowerer", node: A.Call, method: str) -> Value:
    """``Trait::m(recv, args)``: the method call ``recv.m(args)`` (tier 0's rule)."""
    from .calls import method_call
    recv = node.args[0]
    if isinstance(recv, A.Ref):
        recv = recv.operand
    return method_call(lw, A.MethodCall(recv, method, list(node.args[1:]), span=node.span))


def write_macro(lw: "FunctionLowerer", node: A.Call, newline: bool) -> Value:
    """``write!(f, ...)``/``writeln!``: ``fmt_write`` of the text to the target (a
    Formatter, a String, a file), whose new value is stored back into the place; the
    value is ``Ok(())`` (tier 0: interp/calls._write)."""
    from ..ir.enums import RESULT
    from .calls import format_args
    from .places import locate
    target = node.args[0]
    if isinstance(target, A.Ref):
        target = target.operand
    suffix = "\n" if newline else ""
    if len(node.args) > 1:
        text = format_args(lw, node.args[1:], node, suffix)
    else:
        text = lw.emit("format", [], imms=(suffix,), node=node)
    f, store = locate(lw, target)
    new = lw.emit("fmt_write", [f, text], node=node)
    if store is not None:
        store(new)
    return lw.emit("variant", [lw.unit()], imms=(RESULT, "Ok"), node=node)


__all__ = ["call_method", "finish", "record", "referenced", "runtime_impls", "trait_call",
           "write_macro"]

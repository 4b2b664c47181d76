"""Tier 0: calls of user methods (``recv.m(args)``) and the dispatch tables they use.

A method call is resolved as far as translation can: ``self.m()`` inside an impl of
``T`` calls ``T::m`` directly (specialised on the argument kinds); a method name that one
type defines is called directly behind a type test; otherwise the call looks the
receiver's class up in the name's table ``_MT_<name>`` (made at the end of the module
factory from the methods that calls asked for), and a receiver the table does not know
goes to the built-in method of that name (``len``, ``push``...) or is the error
``no method``. User methods win over built-ins for user types.

Receivers: ``&self`` and ``&mut self`` get the object itself (``&mut self``: the object at
the receiver's place, made writable: ``v[i].bump()`` changes ``v``), ``self`` a copy.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Optional

from ..resolve import FnInfo, ProgramInfo, StructInfo
from ..runtime import methods as M
from ..syntax import ast as A
from .data import mark_fresh
from .dialect import with_defaults
from .names import type_py

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]

#: The Python class of a built-in type named in ``impl Trait for <type>``.
BUILTIN_CLASSES = {**{t: "int" for t in ("i8", "i16", "i32", "i64", "i128", "isize", "u8",
                                         "u16", "u32", "u64", "u128", "usize")},
                   "f32": "float", "f64": "float", "bool": "bool", "String": "str",
                   "str": "str", "&str": "str", "char": "Char", "Vec": "Arr"}


def owner_class(info: ProgramInfo, owner: str) -> Optional[str]:
    """The Python class (in a tier-0 module) of the values of type ``owner``."""
    if owner in info.structs or owner in info.enums:
        return type_py(owner)
    return BUILTIN_CLASSES.get(owner)


def generic_key(fn: FnInfo) -> tuple[str, tuple[str, ...]]:
    """The specialisation a dispatch table holds: every argument of any kind."""
    return fn.name, ("any",) * len(fn.node.params)


def candidates(info: ProgramInfo, name: str) -> list[tuple[str, FnInfo]]:
    """Every type with a method ``name`` taking ``self`` (and a body), with its FnInfo."""
    return [(t, fn) for t, fn in info.types_with_method(name)
            if fn.self_mode is not None and fn.node.body is not None
            and owner_class(info, t) is not None]


def _static_owner(tr: "FunctionTranslator", recv: A.Node) -> Optional[str]:
    """The receiver's type when translation knows it: ``self`` in an impl, a literal."""
    if isinstance(recv, A.Name) and recv.id == "self" and tr.fn is not None \
            and tr.fn.owner is not None and tr.fn.self_mode is not None:
        return tr.fn.owner
    if isinstance(recv, A.StructLit):
        from .data import resolve_item
        item = resolve_item(tr, recv.path)
        if isinstance(item, StructInfo):
            return item.name
    return None


def user_method_call(tr: "FunctionTranslator", node: A.MethodCall) -> Optional[Value]:
    """A call of a user-defined method, or None when no user type defines ``name`` (or
    none with this many arguments while a built-in method has the name)."""
    info = tr.ctx.info
    if info is None:
        return None
    name, nargs = node.method, len(node.args)
    builtin = name in M.METHODS
    owner = _static_owner(tr, node.receiver)
    if owner is not None:
        fn = info.method(owner, name)
        if fn is not None and fn.self_mode is not None and fn.node.body is not None:
            return _direct(tr, node, fn, None)
    cands = candidates(info, name)
    if not cands:
        return None
    fits = [(t, fn) for t, fn in cands if len(fn.node.params) - 1 == nargs]
    if not fits and not builtin and len(cands) == 1:  # Ruchy's default parameter values
        full = with_defaults(cands[0][1].node.params[1:], node.args)
        if full is not None:
            return user_method_call(tr, replace(node, args=full))
    if not fits:
        if builtin:
            return None
        want = len(cands[0][1].node.params) - 1
        tr.emit(f"_arity({'.' + name!r}, {want}, {nargs})", node)
        return "None", "any"
    if len(fits) == 1 and not builtin:
        t, fn = fits[0]
        return _direct(tr, node, fn, _guard(info, t))
    return _table(tr, node, fits, builtin)


def _receiver(tr: "FunctionTranslator", recv: A.Node, modes: set) -> Value:
    from .places import place
    if "mut_ref" in modes:
        code, kind = place(tr, recv)
    else:
        code, kind = tr.expr(recv)
    return tr.simple(code, kind, recv), kind


def _guard(info: ProgramInfo, owner: str) -> str:
    cls = owner_class(info, owner)
    if owner in info.enums:
        return f"isinstance({{r}}, {cls})"
    return f"type({{r}}) is {cls}"


def _direct(tr: "FunctionTranslator", node: A.MethodCall, fn: FnInfo,
            guard: Optional[str]) -> Value:
    """``T::m(recv, args)`` called directly (behind ``guard`` when not proven)."""
    from .calls import _args, _shared_refs, flush_post
    from .translate import SPECIALIZE, spec_name
    want = len(fn.node.params) - 1
    full = with_defaults(fn.node.params[1:], node.args)  # Ruchy's default parameter values
    if full is not None:
        node = replace(node, args=full)
    if want != len(node.args):
        tr.emit(f"_arity({'.' + node.method!r}, {want}, {len(node.args)})", node)
        return "None", "any"
    passed = None
    if fn.self_mode == "mut_ref" and fn.owner in tr.ctx.info.enums:
        from .places import enum_receiver  # *self = E::B: the receiver in a Cell
        r, passed = enum_receiver(tr, node.receiver)
        rk = "any"
    else:
        r, rk = _receiver(tr, node.receiver, {fn.self_mode})
    mark, depth = tr.out.mark, tr.out.depth
    args, kinds = _args(tr, node.args, _shared_refs(tr, fn.node)[1:])
    if tr.out.mark > mark:
        codes = [r]
        tr.save_operands(codes, [rk], mark, depth, node)
        r = codes[0]
    recv = r if passed is None else passed
    if fn.self_mode == "value":
        recv = tr.simple(tr.copied(r, rk, node.receiver), rk, node.receiver)
    sig = ("any",) + tuple(k if k in SPECIALIZE else "any" for k in kinds)
    key = (fn.name, sig)
    ret = tr.ctx.request(key)
    tr.callees.add(key)
    call = f"{spec_name(fn.name, sig)}({', '.join([recv] + args)})"
    if guard is not None:
        call = f"{call} if {guard.format(r=r)} else _nometh({r}, {node.method!r})"
    out = tr.value_line(call, ret, node)
    flush_post(tr)
    mark_fresh(tr, node, fn.node)
    return out


def _table(tr: "FunctionTranslator", node: A.MethodCall, fits: list[tuple[str, FnInfo]],
           builtin: bool) -> Value:
    """Dispatch on the receiver's class through ``_MT_<name>``."""
    from .calls import _args, flush_post
    modes = {fn.self_mode for _, fn in fits}
    if builtin and node.method in M.MUTATING:
        modes.add("mut_ref")
    passed = None
    if any(fn.self_mode == "mut_ref" and fn.owner in tr.ctx.info.enums for _, fn in fits):
        from .places import enum_receiver  # *self = E::B: the receiver in a Cell
        r, passed = enum_receiver(tr, node.receiver)
        rk = "any"
    else:
        r, rk = _receiver(tr, node.receiver, modes)
    mark, depth = tr.out.mark, tr.out.depth
    args, _ = _args(tr, node.args)
    if tr.out.mark > mark:
        codes = [r]
        tr.save_operands(codes, [rk], mark, depth, node)
        r = codes[0]
    for _, fn in fits:
        key = generic_key(fn)
        tr.ctx.request(key)
        tr.callees.add(key)
    f = tr.tmp()
    tr.emit(f"{f} = _MT_{node.method}.get(type({r}))", node)
    res = tr.tmp()
    argl = "".join(f", {a}" for a in args)
    tr.emit(f"if {f} is not None: {res} = {f}({r if passed is None else passed}{argl})", node)
    if builtin:
        fallback = f"_M_{node.method}({r}{argl})"
    else:
        fallback = f"_nometh({r}, {node.method!r})"
    tr.emit(f"else: {res} = {fallback}", node)
    flush_post(tr)
    if not builtin:
        mark_fresh(tr, node, *(fn.node for _, fn in fits))
    return res, "any"


# ---- the module factory's tail: tables and Display ------------------------------------

#: Operator traits: the method a type's ``_op_<method>`` class attribute holds
#: (runtime/ops.user_op calls it when ``+`` etc. meet a user type).
OPERATOR_TRAITS = {"Add": "add", "Sub": "sub", "Mul": "mul", "Div": "div", "Rem": "rem",
                   "Neg": "neg", "AddAssign": "add_assign", "SubAssign": "sub_assign",
                   "MulAssign": "mul_assign", "DivAssign": "div_assign",
                   "RemAssign": "rem_assign"}


def _operator_impls(info: ProgramInfo) -> list[tuple[str, FnInfo]]:
    """(type, method) of every operator trait a user type implements."""
    out = []
    for t, ms in sorted(info.methods.items()):
        if t not in info.structs and t not in info.enums:
            continue
        for fn in ms.values():
            short = (fn.trait or "").rsplit("::", 1)[-1]
            if OPERATOR_TRAITS.get(short) == fn.method and fn.node.body is not None:
                out.append((t, fn))
    return out


#: The formatting traits a user type may implement, and the class attribute each
#: ``fmt`` becomes (runtime/values.display and debug read them).
FORMAT_TRAITS = {"Display": "_display", "Debug": "_debug"}


def _format_impls(info: ProgramInfo) -> list[tuple[str, str, FnInfo]]:
    """(type, class attribute, its code from the function) of every ``impl Display``/
    ``impl Debug`` of a user struct or enum (each trait's own ``fmt``:
    resolve/items.trait_methods), and of ``impl Ord``'s ``cmp`` (else ``impl
    PartialOrd``'s ``partial_cmp``), which ``<``, sorting and the B-trees use (ops.cmp)."""
    out = []
    for t, traits in sorted(info.trait_methods.items()):
        if t not in info.structs and t not in info.enums:
            continue
        for trait, attr in FORMAT_TRAITS.items():
            fn = traits.get(trait, {}).get("fmt")
            if fn is not None and fn.node.body is not None:
                out.append((t, attr, "_display_via({})", fn))
        fn = traits.get("Ord", {}).get("cmp")
        if fn is not None and fn.node.body is not None:
            out.append((t, "_ucmp", "_ord_via({})", fn))
            continue
        fn = traits.get("PartialOrd", {}).get("partial_cmp")
        if fn is not None and fn.node.body is not None:
            out.append((t, "_ucmp", "_ord_via({}, True)", fn))
    return out


def root_keys(info: Optional[ProgramInfo]) -> set[tuple[str, tuple[str, ...]]]:
    """Specialisations every program with these items needs whether or not a call asks
    for them: each ``impl Display``'s and ``impl Debug``'s ``fmt`` (any ``{}`` or
    ``{:?}`` may use it)."""
    if info is None:
        return set()
    return {generic_key(fn) for _, _, _, fn in _format_impls(info)} \
        | {generic_key(fn) for _, fn in _operator_impls(info)}


def module_tail(info: Optional[ProgramInfo], present: set) -> list[str]:
    """Lines that run once the module's functions exist: each type's ``_display`` and
    each method name's dispatch table (entries for the specialisations present)."""
    if info is None:
        return []
    from .translate import spec_name
    lines = []
    for t, attr, via, fn in _format_impls(info):
        key = generic_key(fn)
        if key in present:
            lines.append(f"{type_py(t)}.{attr} = {via.format(spec_name(*key))}")
    for t, fn in _operator_impls(info):
        key = generic_key(fn)
        if key in present:
            lines.append(f"{type_py(t)}._op_{fn.method} = {spec_name(*key)}")
    names = sorted({n for ms in info.methods.values() for n in ms})
    for name in names:
        entries = []
        for t, fn in candidates(info, name):
            key = generic_key(fn)
            if key in present:
                entries.append(f"({owner_class(info, t)}, {spec_name(*key)}, "
                               f"{fn.self_mode == 'value'})")
        if entries:
            lines.append(f"_MT_{name} = _mtable({', '.join(entries)})")
    return lines

"""Lowering of calls to the program's own functions with value semantics for ``&mut``:
associated functions (``P::new(..)``), methods (``p.area()``, dispatched on the
receiver's type) and the in-out parameters of both.

**In-out parameters.** Structs and tuples are SSA values (ir/ops_aggregate.py), so a
callee cannot change its caller's value in place. A parameter that may hold one and is
changed through ``&mut`` (``&mut self``, ``p: &mut Point``, ``t: &mut (i64, i64)``:
:func:`inout_params`) is passed in and returned out, as Swift's ``inout``: the callee
returns ``make tuple<..>, %result, %final_p, ...`` at every ``ret``, and the caller
extracts the result and stores each final value back into the place it passed (a
variable, a field path, an array element: places.locate). Arrays inside stay objects:
a write into them goes through the object the caller's place holds, as before. This
keeps every aggregate an SSA value that passes can follow through a call (after
``inline``, ``sroa`` sees the whole update), instead of objects that a call may change.

**Method dispatch.** Tier 0 chooses a method by the receiver's runtime type. The IR
does the same with ``is_type !T`` tests, one per type that defines the method (the
resolution layer's table), falling back to the built-in ``method`` op, which fails as
tier 0 does, or runs a built-in method of that name, or ``no_method`` (tier 0's
``no method 'area' on type A``) when there is none. A method name that some type has
from a trait is one ``call_method`` instead, through the types' method tables
(lower/traits.py, ir/traits.py). A receiver whose type is known is called directly:
a ``make`` or ``variant`` of a known type, and ``self`` in a method of ``T`` (tier
0's rule: interp/dispatch._static_owner).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from ..ir.core import Instruction, Value
from ..ir.opdef import Sym
from ..ir.types import NamedType, tuple_of
from ..runtime.methods import METHODS
from ..syntax import ast as A
from .aggregates import struct_type
from .level3 import NotInIR, user_methods
from .places import locate, place

if TYPE_CHECKING:
    from .function import FunctionLowerer

Store = Optional[Callable[[Value], None]]


def inout_params(fn: A.FunDef) -> list[int]:
    """The positions of the parameters a call passes in and gets back: ``&mut self``,
    parameters declared ``&mut`` of a struct, tuple or ``Self``, and any other one
    declared ``&mut`` that the body assigns through ``*p = ..`` (``n: &mut i64``; a
    ``&mut`` array or string that is only written through is an object the callee
    changes in place, as at Level 2, and so is a ``&mut fmt::Formatter``); a ``&mut``
    string that a string mutator changes (``s.push_str(t)``: lower/mutators.py) is
    in-out too, a string being a value."""
    from .mutators import mutated_places
    from .refs import deref_assigned, passed_on
    through: Optional[set[str]] = None
    out = []
    for k, p in enumerate(fn.params):
        if p.self_mode == "mut_ref":
            out.append(k)
        elif p.type is not None and p.type.kind == "ref" and p.type.mutable \
                and p.type.inner is not None:
            if is_formatter(p.type.inner):
                continue  # (an object write! appends to)
            if p.type.inner.kind in ("tuple", "other"):
                out.append(k)
                continue
            if through is None:
                body = [fn.body] if fn.body is not None else []
                through = deref_assigned(body)
                on = passed_on(body)
                mutated = mutated_places(body)
            if p.name in through or (p.name in on and p.type.inner.kind != "array") or \
                    (p.name in mutated and p.type.inner.kind == "string"):
                out.append(k)
    return out


def is_formatter(t: A.TypeRef) -> bool:
    """Whether ``t`` is ``fmt::Formatter`` (the ``f`` of ``fmt``): an object that
    ``write!`` appends to, passed as itself, as an array is."""
    return t.text.split("<")[0].rsplit("::", 1)[-1] == "Formatter"


def returned(lw: "FunctionLowerer", v: Value, node: Optional[A.Node]) -> Value:
    """What a function's ``ret`` returns: ``v``, or with in-out parameters the tuple of
    ``v`` and their final values. A closure the runtime calls first stores what its
    parameters assigned through ``*`` hold back into the references it was given
    (``ref.set``: lower/closures.runtime_called). The write-backs of the scopes a
    ``return`` or ``?`` leaves come first (exits.py)."""
    if lw.exits:
        from .exits import leave
        leave(lw, -1)
    for var, arrived in lw.ref_params:
        lw.emit("ref.set", [arrived, lw.read(var)], node=node)
    if not lw.inout:
        return v
    finals = [lw.read(var) for var in lw.inout]
    return lw.emit("make", [v, *finals], imms=(tuple_of(["any"] * (len(finals) + 1)),),
                   node=node)


def lower_args(lw: "FunctionLowerer", args: Sequence[A.Node], inout: Sequence[int],
               first: int = 0, after: Optional[list] = None) -> list[tuple[Value, Store]]:
    """Argument values as a callee receives them, left to right: copies, except that
    ``&mut place`` passes the place's value itself (with its store, for an in-out
    parameter). ``first`` is the position of ``args[0]`` among the parameters.
    ``&mut v[a..b]`` passes a slice that is stored back after the call: the caller
    runs what ``after`` gets (lower/slices.py); without ``after`` it is refused."""
    from .slices import slice_operand
    out: list[tuple[Value, Store]] = []
    for k, a in enumerate(args, first):
        sliced = slice_operand(a) if isinstance(a, A.Ref) and a.mutable else None
        if sliced is not None:
            if after is None:
                raise NotInIR("'&mut v[a..b]' passed to a method", A.error_span(a))
            from .slices import slice_argument
            part, put, store = slice_argument(lw, sliced)
            if k in inout:
                out.append((part, store))
            else:
                out.append((part, None))
                after.append(put)
        elif isinstance(a, A.Ref) and a.mutable:
            if k in inout:
                check_not_let_ref(lw, a.operand)
                if isinstance(a.operand, A.Name):
                    _passes_reference(lw, a.operand.id)  # (refuses what it cannot pass on)
                out.append(locate(lw, a.operand, any_element=True))
            else:
                v = place(lw, a.operand)
                if lw.ctx.aggregates and lw.ctx.has_aggregates:  # (ops_aggregate.by_ref)
                    v = lw.emit("by_ref", [v], node=a)
                out.append((v, None))
        elif k in inout and isinstance(a, A.Name) and _passes_reference(lw, a.id):
            # a `&mut` parameter or binding passed on (`inc(n)` in `fn f(n: &mut i64)`):
            # the callee's changes reach it, and through it its own place
            check_not_let_ref(lw, a)
            out.append(locate(lw, a, any_element=True))
        else:
            out.append((lw.copied(lw.expr(a), a), None))
    return out


def _passes_reference(lw: "FunctionLowerer", name: str) -> bool:
    """Whether ``name`` is a reference whose changes an in-out call must store back
    (NotInIR for a ``&mut`` parameter that is not in-out itself: its caller would not
    see them)."""
    var = lw.lookup(name)
    if var is None:
        return False
    p = lw.params_by_name.get(name)
    if p is not None and lw.param_vars.get(name) is var and var not in lw.inout and \
            p.type is not None and p.type.kind == "ref" and p.type.mutable:
        # a `&mut` array parameter that only this callee assigns through `*`
        raise NotInIR(f"the '&mut' parameter '{name}' passed on to one assigned through "
                      "'*'", lw.params_by_name[name].span)
    return var in lw.inout or var in lw.ref_vars or var in lw.let_refs


def check_not_let_ref(lw: "FunctionLowerer", node: A.Node) -> None:
    """Refuse changing, through an in-out call, a place reached through a reference
    made by ``let r = &mut x``: the change would stay in ``r`` (refs.py)."""
    root = node
    while isinstance(root, (A.Field, A.Index, A.Deref)):
        root = root.operand if isinstance(root, A.Deref) else root.target
    if isinstance(root, A.Name):
        var = lw.lookup(root.id)
        if var is not None and var in lw.let_refs:
            raise NotInIR(f"a change through '{root.id}', a reference made by 'let'",
                          A.error_span(node))


def emit_call(lw: "FunctionLowerer", name: str, fn: A.FunDef,
              args: list[tuple[Value, Store]], node: A.Node) -> Value:
    """``call @name`` with evaluated arguments; with in-out parameters, the result is
    taken out of the returned tuple and each final value stored back."""
    lw.ctx.requested.add(name)
    if isinstance(node, A.Call):  # make::<Point>(): T for T::default() (not for methods)
        from .generics import state_type_args
        state_type_args(lw, node, name)
    r = lw.emit("call", [v for v, _ in args], imms=(Sym(name),), node=node)
    inout = inout_params(fn)
    if not inout:
        return r
    result = lw.emit("extract", [r], imms=("0",), node=node)
    for j, k in enumerate(inout, 1):
        store = args[k][1]
        if store is not None:
            store(lw.emit("extract", [r], imms=(str(j),), node=node))
    return result


def path_call(lw: "FunctionLowerer", node: A.Call, fn: Any) -> Value:
    """``T::f(args)`` of an associated function or method (a FnInfo level3.py
    accepted; the arity matches)."""
    args = lower_args(lw, node.args, inout_params(fn.node))
    return emit_call(lw, fn.name, fn.node, args, node)


def method_call(lw: "FunctionLowerer", node: A.MethodCall) -> Value:
    """``recv.m(args)`` where the program's types define ``m``: a type test per type,
    the built-in ``method`` last; or, when a type has ``m`` from a trait, the
    ``call_method`` of the method tables."""
    cands = user_methods(lw.ctx.names, node.method) or []  # type: ignore[arg-type]
    static = _self_owner(lw, node.receiver)
    if static is not None:  # `self.m()` in a method of T: T's own m
        cands = [(t, fn) for t, fn in cands if t == static] or cands
    shapes = {(fn.self_mode, tuple(inout_params(fn.node))) for _, fn in cands}
    if len(shapes) != 1:
        raise NotInIR(f"the method '.{node.method}()' (its types take 'self' differently)",
                      A.error_span(node))
    mode, inout = next(iter(shapes))
    if mode == "mut_ref":
        check_not_let_ref(lw, node.receiver)
        recv, store = locate(lw, node.receiver, any_element=True)
    else:
        recv, store = lw.expr(node.receiver), None
    args = [(recv, store)] + lower_args(lw, node.args, inout, first=1)
    known = static or _made_as(recv)
    by_value = mode == "value"
    for t, fn in cands:
        if known == t:  # the receiver is made here: no test needed
            self_arg = lw.copied(recv, node.receiver) if by_value else recv
            return emit_call(lw, fn.name, fn.node, [(self_arg, store)] + args[1:], node)
    if any(fn.trait is not None for _, fn in cands):
        from .traits import call_method
        return call_method(lw, node, cands, mode, inout, args)
    join = lw.new_block("method.end")
    result = join.add_param(lw.f.fresh_value_name())
    for t, fn in cands:
        call_bb, other = lw.new_block("method.call"), lw.new_block("method.other")
        test = lw.emit("is_type", [recv], imms=(owner_type(lw, t, node),), node=node)
        lw.branch(test, call_bb, other, node=node)
        lw.ssa.seal(call_bb)
        lw.start(call_bb)
        self_arg = lw.copied(recv, node.receiver) if by_value else recv
        r = emit_call(lw, fn.name, fn.node, [(self_arg, store)] + args[1:], node)
        lw.jump(join, [r])
        lw.ssa.seal(other)
        lw.start(other)
    # no type of the program: a built-in method of that name, or tier 0's error
    if node.method in METHODS:
        r = lw.emit("method", [v for v, _ in args], imms=(node.method,), node=node)
    else:
        r = lw.emit("no_method", [recv], imms=(node.method,), node=node)
    lw.jump(join, [r])
    lw.ssa.seal(join)
    lw.start(join)
    return result


def _self_owner(lw: "FunctionLowerer", recv: A.Node) -> Optional[str]:
    """The type of ``self`` in a method of ``T`` (what tier 0 calls directly)."""
    if isinstance(recv, A.Name) and recv.id == "self" and lw.self_type is not None:
        p = lw.params_by_name.get("self")
        if p is not None and lw.param_vars.get("self") is lw.lookup("self"):
            return lw.self_type
    return None


def _made_as(v: Value) -> Optional[str]:
    """The struct or enum a value is made as in this function (a ``make !T`` or
    ``variant !E``), if it is one."""
    if isinstance(v, Instruction) and v.op.name in ("make", "variant") and \
            isinstance(v.imms[0], NamedType):
        return v.imms[0].name
    return None


def owner_type(lw: "FunctionLowerer", t: str, node: A.Node) -> NamedType:
    """The IR type of a type that defines methods: a struct's or an enum's."""
    info = lw.ctx.info
    if t in info.structs:
        return struct_type(lw, info.structs[t])
    from .enums import sum_type
    return sum_type(lw, t, A.error_span(node))  # type: ignore[return-value]


__all__ = ["emit_call", "inout_params", "lower_args", "method_call", "path_call",
           "returned"]

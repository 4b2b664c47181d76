"""Lowering of closures and function values by closure conversion (ir/ops_closure.py).

A closure ``|x| x + k`` in function ``@f`` becomes a function of its own,
``@f.closure.N(k, x)``: the captured variables first (resolve/captures.py, the layer
tier 0 uses too), then the closure's parameters; where the closure is, ``closure
@f.closure.N, %k`` pairs it with the captured values. A named function used as a value
is ``closure @name``; a call of a variable, a parameter or any computed value is
``call_closure``.

How each capture is passed is decided by resolve/captures.closure_plans: a variable
shared with a closure that changes it (or that changes while the closure lives) lives
in a cell in both (``cell.new``/``cell.get``/``cell.set``, FunctionLowerer.read and
write); a ``move`` closure gets copies, in fresh cells for those it changes; the rest
are copied values. level3.py refuses the closures the plan refuses, with the reason.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..ir.core import Value
from ..ir.ops_closure import LIFTED
from ..ir.opdef import Sym
from ..syntax import ast as A
from .ssa import Var

if TYPE_CHECKING:
    from .function import FunctionLowerer


def closure(lw: "FunctionLowerer", node: A.Closure, want: bool = True) -> Value:
    """``|params| body``: lift the body into a function; the closure value here."""
    plan = lw.closure_plans.closures[id(node)]
    names = [c.name for c in plan.captures.reads if lw.lookup(c.name) is not None]
    cells = set(plan.cells) | set(plan.own)
    name = f"{lw.f.name}{LIFTED}{lw.closures_made}"
    lw.closures_made += 1
    params = [A.Param(n, span=node.span) for n in names] + list(node.params)
    body = node.body if isinstance(node.body, A.Block) \
        else A.Block([node.body], span=node.body.span)
    refs: frozenset = frozenset()
    if id(node) in lw.runtime_closures:
        from .refs import deref_assigned
        refs = frozenset(p.name for p in node.params if p.pattern is None) & \
            frozenset(deref_assigned([body]))
    lw.ctx.lift(name, params, body, node.ret, cells & set(names), lw.module, lw.self_type,
                runtime_refs=refs)
    values = []
    for n in names:  # (level3.py checked: all are locals)
        var = lw.lookup(n)
        if n in plan.cells:  # shared with this function: the cell itself
            assert var is not None and var.cell, n
            values.append(lw.ssa.read(var, lw.cur))
        elif n in plan.own:  # a `move` closure's own copy, which its calls change
            values.append(lw.emit("cell.new", [lw.copied(lw.read(var), node)], node=node))
        else:
            values.append(lw.copied(lw.read(var), node))
    return lw.emit("closure", values, imms=(Sym(name),), node=node)


def runtime_called(lw: "FunctionLowerer", args: list) -> None:
    """Note the closure literals among ``args``, the arguments of a built-in method:
    the runtime calls them (``scan``'s, ``and_modify``'s), and may pass a reference as
    its Cell, which a parameter assigned through ``*`` reads and writes back
    (``deref``/``ref.set``: ir/ops_closure.py). A closure the IR calls itself
    (``call_closure``) is given values, and such a parameter stays refused there."""
    for a in args:
        if isinstance(a, A.Closure):
            lw.runtime_closures.add(id(a))


def store(lw: "FunctionLowerer", var: Var, value: Value) -> None:
    """Write a variable that lives in a cell: its ``let`` (or parameter) makes the
    cell, later writes store into it."""
    if var in lw.cells_made:
        lw.emit("cell.set", [lw.ssa.read(var, lw.cur), value])
    else:
        lw.cells_made.add(var)
        lw.ssa.write(var, lw.cur, lw.emit("cell.new", [value]))


def nested_functions(lw: "FunctionLowerer", stmts: list[A.Node]) -> None:
    """The ``fn`` items of a block, before its statements (an item is visible in the
    whole block): each a function of the module named after the function it is in
    (``@main.inner``), and a variable of the block holding ``closure @main.inner``
    (level3.py: it names no variable of the function around it). A nested function
    that calls itself or another one of the function calls it directly: the names are
    given before any body is lowered (``ctx.nested``, read by calls.py)."""
    fundefs = [s for s in stmts if isinstance(s, A.FunDef)]
    for s in fundefs:
        name = f"{lw.f.name}.{s.name}"
        k = 1
        while name in lw.ctx.module.functions or lw.ctx.is_lifted(name) \
                or name in lw.ctx.nested.values():
            name, k = f"{lw.f.name}.{s.name}.{k}", k + 1
        lw.ctx.nested[id(s)] = name
    for s in fundefs:
        name = lw.ctx.nested[id(s)]
        lw.ctx.lift(name, list(s.params), s.body, s.ret, set(), _scope_of(lw, s))
        lw.write(lw.bind(s.name), lw.emit("closure", imms=(Sym(name),), node=s))


def _scope_of(lw: "FunctionLowerer", node: A.FunDef) -> str:
    """Where the names of nested function ``node``'s body are looked up (its FnInfo's
    module: the scope of the function it is in, or its own if it declares items)."""
    info = lw.ctx.info
    for fn in getattr(info, "functions", {}).values():
        if fn.node is node:
            return fn.module
    return lw.module


def function_value(lw: "FunctionLowerer", name: str, node: A.Node) -> Value:
    """A named function used as a value (``apply(double, 3)``)."""
    lw.ctx.requested.add(name)
    return lw.emit("closure", imms=(Sym(name),), node=node)


def library_value(lw: "FunctionLowerer", node: A.Path) -> Optional[Value]:
    """A library function used as a value (resolve/paths.library_function: ``f64::max``,
    ``Vec::new``), or None if ``node`` names none: the closure of a function of the
    module that calls it (``@lib.f64::max(%p0, %p1)`` is ``p0.max(p1)``, the runtime's
    method, as tier 0's ``_M_max``), made once per module."""
    from .aggregates import resolve
    found = library_path(lw.ctx.names, node, resolve(lw, f"{node.owner}::{node.name}"))
    if found is None:
        return None
    kind, what, n = found
    name = f"lib.{node.owner}::{node.name}"
    if not lw.ctx.is_lifted(name):
        params = [A.Param(f"p{k}", span=node.span) for k in range(n)]
        args: list[A.Node] = [A.Name(p.name, span=node.span) for p in params]
        if kind == "method":
            body: A.Node = A.MethodCall(args[0], what, args[1:], span=node.span)
        else:
            body = A.Call(A.Path(what, "new", span=node.span), [], span=node.span)
        lw.ctx.lift(name, params, A.Block([body], span=node.span), None, set(), "")
    return lw.emit("closure", imms=(Sym(name),), node=node)


def library_path(names: object, node: A.Path, item: object
                 ) -> Optional[tuple[str, str, int]]:
    """(kind, method or type, parameter count) of a library function used as a value
    that the IR has: a built-in method that no type of the program defines (tier 0
    calls the runtime's, not the program's) with a known count of arguments, or an
    empty collection's constructor; None otherwise. ``item`` is what the path names
    among the program's items (None: nothing)."""
    from ..resolve.paths import library_function
    from .level3 import user_methods
    hit = library_function(node.owner, node.name, item)
    if hit is None or node.type_args:
        return None
    if hit[0] == "new":
        return hit[0], hit[1], 0
    if names is not None and user_methods(names, hit[1]) is not None:  # type: ignore
        return None
    from .calls import method_arity
    arity = method_arity(hit[1])
    return None if arity is None else (hit[0], hit[1], arity[1] + 1)


def call_value(lw: "FunctionLowerer", node: A.Call, want: bool = True) -> Value:
    """``f(a, b)`` where ``f`` is a variable or any expression: the callee first, then
    the arguments, copied as for any call (tier 0's order)."""
    f = lw.expr(node.callee)
    args = [lw.copied(lw.expr(a), a) for a in node.args]
    return lw.emit("call_closure", [f, *args], node=node)


__all__ = ["call_value", "closure", "function_value", "library_path", "library_value",
           "store"]

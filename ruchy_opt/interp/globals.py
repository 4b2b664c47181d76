"""Tier 0: the program-level variables of a module: consts and statics, evaluated once
before the top level in an order where each comes after the consts it reads, and the
top-level ``let``s that functions share (see interp/items.py for how code reads them).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator

from ..errors import RuchySyntaxError
from ..resolve import ConstInfo, FnInfo, ProgramInfo, lookup
from ..syntax import ast as A
from .items import const_cell, global_cell
from .names import py_ident

if TYPE_CHECKING:
    from .translate import Context, FunctionTranslator

#: The Python function that evaluates const ``q`` (its qualified name).
CONST_FN = "ruchy_k_"


def _names(node: A.Node) -> Iterator[str]:
    """Every name and path a subtree mentions (a superset of what it reads)."""
    if isinstance(node, A.Name):
        yield node.id
    elif isinstance(node, A.Path):
        yield f"{node.owner}::{node.name}" if node.owner else node.name
    for child in A.children(node):
        yield from _names(child)


def const_order(info: ProgramInfo) -> list[ConstInfo]:
    """Every const and static, each after the consts its value reads (Rust lets a const
    use one declared later); a const that reads itself through others is an error."""
    order: list[ConstInfo] = []
    state: dict[str, int] = {}  # 1: being visited, 2: done

    def visit(c: ConstInfo) -> None:
        if state.get(c.name) == 2:
            return
        if state.get(c.name) == 1:
            raise RuchySyntaxError(f"const '{c.name}' depends on itself", c.node.span)
        state[c.name] = 1
        for name in _names(c.node.value):
            dep = lookup(info, name, c.module, c.owner)
            if isinstance(dep, ConstInfo) and dep.name != c.name:
                visit(dep)
            elif isinstance(dep, ConstInfo):
                raise RuchySyntaxError(f"const '{c.name}' depends on itself", c.node.span)
        state[c.name] = 2
        order.append(c)

    for c in info.consts.values():
        visit(c)
    return order


def _bound(node: A.Node) -> Iterator[str]:
    """Every name a subtree binds (parameters, ``let``, loop variables, patterns)."""
    if isinstance(node, (A.Param, A.Let)):
        yield node.name
    elif isinstance(node, (A.For, A.ForRange)):
        yield node.var
    elif isinstance(node, A.Pattern) and node.kind == "bind":
        yield str(node.value)
    for child in A.children(node):
        yield from _bound(child)


def shared_globals(info: ProgramInfo) -> dict[str, str]:
    """The top-level ``let`` names that some function's body mentions and does not bind
    itself -> their cell. (A function that binds the name is taken to mean its own
    variable; one that read the top-level one before shadowing it would not see it.)"""
    if not info.globals:
        return {}
    used: set[str] = set()
    for fn in info.functions.values():
        if fn.node.body is not None:
            names = {n for n in _names(fn.node.body) if n in info.globals}
            if names:
                names -= set(_bound(fn.node))
                used |= names
    return {name: global_cell(name) for name in sorted(used)}


def const_function(ctx: "Context", c: ConstInfo,
                   translate: Callable[..., "FunctionTranslator"]) -> "FunctionTranslator":
    """The function that computes const ``c``'s value, translated in ``c``'s scope (its
    module, and ``Self`` for an associated const)."""
    scope = FnInfo(c.name, A.FunDef(c.name, [], None, None, span=c.node.span), c.module,
                   c.owner)
    body = A.Block([c.node.value], span=c.node.span)
    return translate(ctx, CONST_FN + py_ident(c.name), [], (), body, None, False, False,
                     scope)


def consts_driver(ctx: "Context", order: list[ConstInfo], pyname: str,
                  new: Callable[[], "FunctionTranslator"]) -> "FunctionTranslator":
    """The function that stores every const's value in its cell, in ``order``."""
    tr = new()
    cells = [const_cell(c.name) for c in order]
    tr.lines = [f"def {pyname}():", "    nonlocal " + ", ".join(cells)]
    tr.lines += [f"    {cell} = {CONST_FN}{py_ident(c.name)}()" for cell, c in zip(cells, order)]
    tr.out.spans = [A.NO_SPAN, A.NO_SPAN] + [c.node.span for c in order]
    return tr

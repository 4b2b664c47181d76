"""Lowering of places (``x``, ``a[i]``, ``a[i][j]``) and of assignment to them.

An assignment to a variable is a new SSA definition. A write into an array goes
through the array object the variable refers to: ``elem_mut`` makes each inner array
private on the way down and ``set_index`` writes (copy on write keeps other holders of
the same storage unchanged), exactly as tier 0 does.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..ir.core import Value
from ..ir.ops_arith import OP_OF_OPERATOR
from ..syntax import ast as A

if TYPE_CHECKING:
    from .function import FunctionLowerer


def chain(node: A.Node) -> tuple[A.Node, list[A.Node]]:
    """Split ``a[i][j]`` into its root ``a`` and the index expressions ``[i, j]``."""
    root, steps = index_steps(node)
    return root, [s.index for s in steps]


def index_steps(node: A.Node) -> tuple[A.Node, list[A.Index]]:
    """Split ``a[i][j]`` into its root ``a`` and its Index nodes, outermost array first
    (each one's position is where an index error in it is reported, as in tier 0)."""
    steps: list[A.Index] = []
    while isinstance(node, A.Index):
        steps.append(node)
        node = node.target
    if isinstance(node, A.Deref):
        node = node.operand
    return node, steps[::-1]


def place(lw: "FunctionLowerer", node: A.Node) -> Value:
    """The array object a place holds, made private for writing (``&mut a``, the
    receiver of ``a.push(v)``); any other expression is just evaluated."""
    root, steps = index_steps(node)
    var = lw.lookup(root.id) if isinstance(root, A.Name) else None
    if var is None:
        return lw.expr(node)
    v = lw.read(var)
    for step in steps:
        v = lw.emit("elem_mut", [v, lw.expr(step.index)], node=step)
    return v


def assign(lw: "FunctionLowerer", node: A.Assign) -> None:
    """``place = value`` and ``place op= value``. As in Rust, the value is evaluated
    before the place's index expressions, and the variable is read after both."""
    root, steps = index_steps(node.target)
    idx = [s.index for s in steps]
    op = node.op[:-1]
    vals = lw.operands([node.value] + idx)
    v, ivals = vals[0], vals[1:]
    if op == "":
        v = lw.copied(v, node.value)
    if not isinstance(root, A.Name):
        raise AssertionError("the parser admits only named places")
    var = lw.lookup(root.id)
    if var is None:
        lw.fail(f"undefined name '{root.id}'", root)
        return
    if not idx:
        if op:
            v = lw.emit(OP_OF_OPERATOR[op], [lw.read(var), v], node=node)
        lw.write(var, v)
        return
    container = lw.read(var)
    for i, step in zip(ivals[:-1], steps):
        container = lw.emit("elem_mut", [container, i], node=step)
    i = ivals[-1]
    if op:  # the read fails where its `[..]` is; the store at the `=`
        cur = lw.emit("index", [container, i], node=steps[-1])
        v = lw.emit(OP_OF_OPERATOR[op], [cur, v], node=node)
    lw.emit("set_index", [container, i, v], node=node)

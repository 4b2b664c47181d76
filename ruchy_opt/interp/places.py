"""Tier 0: places (``x``, ``a[i]``, ``a[i][j]``) and assignment to them.

Arrays are values with copy-on-write storage: writing through a place first makes the
array object private (``_own``/``_elem_mut``), so other holders of the same storage
keep their old contents.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..syntax import ast as A
from .opcode import binary

if TYPE_CHECKING:
    from .translate import FunctionTranslator


def _chain(node: A.Node) -> tuple[A.Node, list[A.Node]]:
    """Split ``a[i][j]`` into its root ``a`` and the index expressions ``[i, j]``."""
    idx: list[A.Node] = []
    while isinstance(node, A.Index):
        idx.append(node.index)
        node = node.target
    if isinstance(node, A.Deref):
        node = node.operand
    return node, idx[::-1]


def place(tr: "FunctionTranslator", node: A.Node) -> tuple[str, Optional[str]]:
    """The array object a place holds, private for writing (``&mut a``, ``a.push(v)``);
    any other expression is just evaluated (a temporary)."""
    root, idx = _chain(node)
    if not isinstance(root, A.Name) or tr.lookup(root.id) is None:
        return tr.expr(node)
    py = tr.lookup(root.id)
    code, kind = py, tr.kind_of_var(py)
    for i in idx:
        ic, ik = tr.expr(i)
        ic = tr.simple(ic, ik, i)
        code, kind = tr.value_line(f"_elem_mut({code}, {ic})", "arr", node)
    return code, kind


def _set(tr: "FunctionTranslator", c: str, ck: Optional[str], i: str, ik: Optional[str],
         v: str, node: A.Node) -> None:
    if ck == "arr" and ik == "int":
        slow = f"{c}.shared" if i.isdigit() else f"{c}.shared or {i} < 0"
    else:
        slow = f"type({c}) is not Arr or {c}.shared or type({i}) is not int or {i} < 0"
    tr.emit(f"if {slow}: _setindex({c}, {i}, {v})", node)
    tr.emit(f"else: {c}.d[{i}] = {v}", node)


def assign(tr: "FunctionTranslator", node: A.Assign) -> None:
    """``place = value`` and ``place op= value``. As in Rust, the value is evaluated
    before the place's index expressions."""
    root, idx = _chain(node.target)
    op = node.op[:-1]
    vals = tr.operands([node.value] + idx)
    (v, kv), ivals = vals[0], vals[1:]
    if op == "":
        v = tr.copied(v, kv, node.value)
    if not isinstance(root, A.Name):
        raise AssertionError("parser admits only named places")
    py = tr.lookup(root.id)
    if py is None:
        tr.emit(f"_undef({root.id!r})", root)
        return
    if not idx:
        if op:
            v = tr.simple(v, kv, node.value)
            code, kv2, own, check = binary(op, py, tr.kind_of_var(py) or "any", v, kv or "any")
            if tr.kind_of_var(py) is None or kv is None:
                kv2 = None
            v, kv = tr.value_line(code, kv2, node, check) if own else (code, kv2)
        tr.emit(f"{py} = {v}", node)
        tr.observe(py, kv)
        return
    container, ck = py, tr.kind_of_var(py)
    for ic, ik in ivals[:-1]:
        container, ck = tr.value_line(f"_elem_mut({container}, {tr.simple(ic, ik, node)})",
                                      "arr", node)
    i, ik = ivals[-1]
    i = tr.simple(i, ik, node)
    if op:
        v = tr.simple(v, kv, node.value)
        if ck == "arr" and ik == "int":
            cur = f"{container}.d[{i}] if {i} >= 0 else _index({container}, {i})"
        else:
            cur = (f"{container}.d[{i}] if type({container}) is Arr and type({i}) is int "
                   f"and {i} >= 0 else _index({container}, {i})")
        cur, _ = tr.value_line(cur, "any", node)
        code, kind, own, check = binary(op, cur, "any", v, kv or "any")
        v, _ = tr.value_line(code, kind, node, check) if own else (code, kind)
        v = tr.simple(v, kind, node)
    _set(tr, container, ck, i, ik, v, node)

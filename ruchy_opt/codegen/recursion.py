"""Recursion whose depth an argument bounds: proved here, so that the code generator can
give such a function a version without the call-depth argument and its checks.

A specialisation qualifies when every call it makes is a call of itself, and some
integer parameter ``p`` and constant ``c`` are such that each of those calls

- is reached only through a branch that proves ``p >= c`` (the edge of a comparison of
  ``p`` with a constant, into a block with no other way in, dominating the call), and
- passes ``p - k`` for ``p``, with a constant ``k >= 1``.

A frame whose ``p`` is below ``c`` then makes no call, and each nested call lowers
``p`` by one at least, so a frame at call depth ``d`` has callers-to-be at depths
``d .. d + (p - c)`` only: if ``p < c`` or ``p - c < MAX_CALL_DEPTH - d``, no call below
it can reach the limit, and the run below it needs neither the depth nor a check. That
is exactly what tier 0 does there (it never fails), so `stack overflow` still happens
at the same call, after the same output, when the bound does not hold: the function
then runs its checked version. Recursive ``fib`` is the example (``p = n``, ``c = 2``).
"""
from __future__ import annotations

from typing import NamedTuple, Optional

from ..ir.core import Block, Instruction, Value
from ..ir.dominance import DomTree
from .infer import Spec

INT_MAX = 2**63 - 1

#: comparison -> (lower bound the true edge proves for p, the false edge's), for
#: ``p OP C`` with p on the left; None: that edge proves none. (C is added.)
_LEFT = {"lt": (None, 0), "le": (None, 1), "gt": (1, None), "ge": (0, None)}
#: the same for ``C OP p``
_RIGHT = {"lt": (1, None), "le": (0, None), "gt": (None, 0), "ge": (None, 1)}


class Bound(NamedTuple):
    """Calls happen only while parameter ``index`` is at least ``low``, and each lowers it."""

    index: int
    low: int


def int_const(spec: Spec, v: Value) -> Optional[int]:
    """The integer constant ``v`` is (a ``const`` or a value typing folded), or None."""
    c = spec.consts.get(v)
    if c is None and isinstance(v, Instruction) and v.opname == "const":
        c = v.imms[0]
    return c if isinstance(c, int) and not isinstance(c, bool) else None


def _lowered(spec: Spec, arg: Value, p: Value) -> bool:
    """Whether ``arg`` is ``p - k`` (or ``p + -k``) for a constant ``k >= 1``."""
    if not isinstance(arg, Instruction) or spec.types.get(arg) != "i64":
        return False
    op = arg.opname.split(".")[0]
    if op not in ("sub", "add") or arg.operands[0] is not p:
        return False
    k = int_const(spec, arg.operands[1])
    return k is not None and (k >= 1 if op == "sub" else k <= -1)


def _edge_low(spec: Spec, branch: Instruction, into: Block, p: Value) -> Optional[int]:
    """The lower bound on ``p`` that taking ``branch``'s edge into ``into`` proves."""
    if branch.opname != "cond_br" or len(branch.succs) != 2:
        return None
    side = [s.block for s in branch.succs].index(into)
    if branch.succs[1 - side].block is into:
        return None  # both edges go there: the branch proves nothing
    cond = branch.operands[0]
    if not isinstance(cond, Instruction) or len(cond.operands) != 2:
        return None
    op = cond.opname.split(".")[0]
    x, y = cond.operands
    if any(spec.types.get(v) != "i64" for v in (x, y)):
        return None
    if x is p and op in _LEFT:
        delta, c = _LEFT[op][side], int_const(spec, y)
    elif y is p and op in _RIGHT:
        delta, c = _RIGHT[op][side], int_const(spec, x)
    else:
        return None
    if delta is None or c is None or c + delta > INT_MAX:
        return None
    return c + delta


def guard_low(spec: Spec, dom: DomTree, blk: Block, p: Value) -> Optional[int]:
    """The largest lower bound on ``p`` that the branches dominating ``blk`` prove."""
    best: Optional[int] = None
    b: Optional[Block] = blk
    while b is not None:
        preds = dom.preds.get(b, [])
        if len(preds) == 1 and preds[0].terminator is not None:
            low = _edge_low(spec, preds[0].terminator, b, p)
            if low is not None and (best is None or low > best):
                best = low
        up = dom.idom.get(b)
        b = None if up is b else up
    return best


def bound(spec: Spec) -> Optional[Bound]:
    """The bound of ``spec``'s recursion (module docstring), or None."""
    if spec.ret is None:
        return None  # it never returns: nothing to gain
    calls = [i for b in spec.func.blocks if b in spec.live
             for i in b.instrs if i.opname == "call"]
    if not calls or any(spec.callees.get(i) is not spec for i in calls):
        return None
    dom = DomTree(spec.func)
    for index, p in enumerate(spec.func.params):
        if spec.types.get(p) != "i64":
            continue
        low: Optional[int] = None
        for call in calls:
            if not _lowered(spec, call.operands[index], p):
                break
            g = guard_low(spec, dom, call.block, p)
            if g is None:
                break
            low = g if low is None else min(low, g)
        else:
            if low is not None:
                return Bound(index, low)
    return None

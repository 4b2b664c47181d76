"""Pure recursive sums: a bounded recursion (recursion.py) whose only way to fail is an
integer overflow of its additions of non-negative values gets a body that LLVM may
treat as a pure function.

The fast body of such a recursion (``r.f.fast``, no call depth) still fails at the
overflow of each ``+``, and failing is a call to the runtime: so LLVM must make every
call, in order. Recursive ``fib`` ran 1.6x as long as gcc's. Yet when

- the body makes no call but to itself, has no loop, and does nothing but integer
  arithmetic, comparisons and branches;
- every operation that can fail is either proved not to (``p - k`` where branches
  prove ``p >= low`` and ``low - k`` does not overflow), or is one of the *sums*: ``+``
  of two values that are never negative (constants >= 0, parameters that branches
  prove >= 0, results of the self-calls, other sums), all at one source position;
- what a self-call or a sum gives is only added, returned, or passed along a branch
  into a block parameter (never compared, never passed to a call); and
- every value returned is a sum, a call's result, or provably >= 0 in every inner call
  (the calls pass ``p - k`` where branches prove ``p >= c``: so ``p >= c - k`` there),

then in every inner call the result is >= 0, and an addition of two values in
``[0, 2**63)`` overflows exactly when its result, an exact unsigned sum below 2**64,
is 2**63 or more (negative as an i64). A *pure* body (``r.f.pure``) computes the sums
so (``add nuw``); when one is negative it returns ``-1 - k`` at once (``k`` numbers the
sums' source positions), and a call's negative result it returns as it is, so no such
value reaches another sum. It cannot fail, so it reads and writes no memory: LLVM may
merge two calls with the same arguments and turn calls into loops. The fast body calls
the pure one and, when ``-1 - k`` comes back, fails with ``integer overflow`` at the
position of sum ``k``. That is what the original does: the first overflowing ``+`` in
the calls below would have failed there, with nothing printed in between (the pure
body prints nothing), and the pure body stops at that point too (each frame above
returns at once, so no more work is done than the original did). Without an overflow
the pure body computes exactly the same values.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

from ..ir.core import Block, BlockParam, Instruction, Value
from ..ir.dominance import DomTree
from .infer import Spec
from .recursion import Bound, guard_low, int_const

INT_MIN = -(2**63)

_COMPARE = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})
#: ops that never fail and have no effect (with int or bool operands)
_QUIET = frozenset({"const", "copy", "br", "cond_br", "ret", "not", "and", "or", "xor",
                    "guard.i64", "guard.bool", "truth", "to_bool", "call"})
#: what a tainted operand does not make tainted: a call (its own result is checked) and
#: the terminators (checked one by one below)
_NO_TAINT = frozenset({"call", "ret", "br", "cond_br"})


class Plan(NamedTuple):
    """How the fast and pure bodies of a specialisation differ from its plain code."""

    #: the additions the pure body computes unchecked (returning at once on overflow)
    sums: frozenset
    #: where they are in the source: the pure body returns ``-1 - k`` when the sum at
    #: ``spans[k]`` overflows, and the fast body fails there with ``integer overflow``
    spans: tuple
    #: subtractions proved never to overflow (emitted without a check)
    safe: frozenset


def _base(i: Instruction) -> str:
    return i.opname.split(".")[0]


def plan(spec: Spec, bound: Bound) -> Optional[Plan]:  # noqa: C901 - one rule each
    """The pure-sum plan of ``spec`` (module docstring), or None if it does not qualify."""
    if spec.ret != "i64":
        return None
    types = spec.types
    f = spec.func
    dom = DomTree(f)
    order = [b for b in dom.rpo if b in spec.live]
    index = {b: k for k, b in enumerate(order)}
    instrs = [i for b in order for i in b.instrs]
    if any(i in spec.fails for i in instrs):
        return None
    for b in order:  # no loop: every edge goes forward in reverse postorder
        for s in b.successors():
            if s in index and index[s] <= index[b]:
                return None
    p = f.params[bound.index]
    calls = [i for i in instrs if i.opname == "call"]
    # the lowest value of p in an inner call: p - k under a branch proving p >= g
    inner_low: Optional[int] = None
    for c in calls:
        if spec.callees.get(c) is not spec or types.get(c) != "i64":
            return None
        arg = c.operands[bound.index]
        k = int_const(spec, arg.operands[1])
        g = guard_low(spec, dom, c.block, p)
        if k is None or g is None:
            return None
        low = g - k if _base(arg) == "sub" else g + k
        inner_low = low if inner_low is None else min(inner_low, low)
    if inner_low is None:
        return None
    params = set(f.params)

    def ints(i: Instruction) -> bool:
        return all(types.get(o) in ("i64", "bool") for o in i.operands)

    # values >= 0 (or, from a call or a sum, 2**63 and more: an overflow) in every run
    good: set = set(calls)

    def nonneg(v: Value, blk: Block) -> bool:
        if v in good:
            return True
        c = int_const(spec, v)
        if c is not None:
            return c >= 0
        if v in params and types.get(v) == "i64":
            low = guard_low(spec, dom, blk, v)
            return low is not None and low >= 0
        return False

    preds: dict = {b: [] for b in order}
    for b in order:
        t = b.terminator
        for s in (t.succs if t is not None else ()):
            if s.block in preds:
                preds[s.block].append((b, s))
    changed = True
    while changed:
        changed = False
        for b in order:
            for bp in b.params:
                if bp not in good and preds[b] and types.get(bp) == "i64" and all(
                        nonneg(s.args[b.params.index(bp)], src) for src, s in preds[b]):
                    good.add(bp)
                    changed = True
            for i in b.instrs:
                if i in good:
                    continue
                op = _base(i)
                if (op == "add" and types.get(i) == "i64" or i.opname == "guard.i64") \
                        and all(types.get(o) == "i64" and nonneg(o, b) for o in i.operands):
                    good.add(i)
                    changed = True
    # what a call may taint with an overflow (2**63 and more)
    tainted: set = set(calls)
    changed = True
    while changed:
        changed = False
        for b in order:
            for bp in b.params:
                if bp not in tainted and any(s.args[b.params.index(bp)] in tainted
                                             for _, s in preds[b]):
                    tainted.add(bp)
                    changed = True
            for i in b.instrs:
                if i not in tainted and i.opname not in _NO_TAINT and \
                        any(o in tainted for o in i.operands):
                    tainted.add(i)
                    changed = True
    sums, safe = set(), set()
    for b in order:
        for i in b.instrs:
            op = _base(i)
            if i in tainted and i.opname != "call":
                if i not in good or not (op == "add" or i.opname == "guard.i64"):
                    return None  # a tainted value is used other than by a sum
                if op == "add":
                    sums.add(i)
                continue
            if i.opname == "ret":
                v = i.operands[0] if i.operands else None
                if v is None or not (v in good or _inner_nonneg(
                        spec, dom, v, b, p, inner_low, params)):
                    return None
                continue
            if i.opname == "call":
                if any(o in tainted for o in i.operands):
                    return None
                continue
            if i.opname == "cond_br" and i.operands[0] in tainted:
                return None
            if op in _COMPARE or i.opname in _QUIET:
                if not ints(i):
                    return None
                continue
            if op in ("sub", "add") and types.get(i) == "i64" and _never_overflows(
                    spec, dom, i, b, params):
                safe.add(i)
                continue
            return None
        t = b.terminator
        for s in (t.succs if t is not None else ()):
            for bp, a in zip(s.block.params, s.args):
                if a in tainted and bp not in good:
                    return None
    if not sums:
        return None
    spans = sorted({i.span for i in sums}, key=lambda s: (s.line, s.col, s.end_line, s.end_col))
    return Plan(frozenset(sums), tuple(spans), frozenset(safe))


def _inner_nonneg(spec: Spec, dom: DomTree, v: Value, blk: Block, p: Value,
                  inner_low: int, params: set) -> bool:
    """``v`` returned from ``blk`` is >= 0 in every inner call."""
    c = int_const(spec, v)
    if c is not None:
        return c >= 0
    if v in params:
        low = guard_low(spec, dom, blk, v)
        if v is p:
            low = inner_low if low is None else max(low, inner_low)
        return low is not None and low >= 0
    return False


def _never_overflows(spec: Spec, dom: DomTree, i: Instruction, blk: Block,
                     params: set) -> bool:
    """``x - k`` or ``x + -k`` (``k >= 0`` constant) where branches prove ``x >= low``
    and ``low - k`` is an i64."""
    x, y = i.operands
    k = int_const(spec, y)
    if k is None or x not in params:
        return False
    if _base(i) == "add":
        k = -k
    if k < 0:
        return False
    low = guard_low(spec, dom, blk, x)
    return low is not None and low - k >= INT_MIN


__all__ = ["Plan", "plan", "BlockParam"]

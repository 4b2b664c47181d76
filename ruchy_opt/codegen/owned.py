"""Which array writes need no copy-on-write test, and where a loop's test is hoisted.

A write to an array (``a[i] = v``, ``a[i][j] = v``) first makes the array private if it
is shared (ops_data.own). Once that has run, the array stays private until something
makes a copy of it: a ``copy``, a ``for`` snapshot, ``[v; n]`` of an array, a call (the
callee may copy it), a ``push``/``insert`` of an array, ``clone``. So a forward "must"
analysis over the function finds writes whose array is surely private already; their
test is left out.

A loop whose body writes an array made outside it, and that copies nothing, gets the
test once before it (at the end of each block entering the loop): the writes inside
then need none, and the loop has no call left in it for LLVM to fear. Making an array
private early is invisible (it is what copy on write would do at the first write).
"""
from __future__ import annotations

from typing import Optional

from ..ir.core import Block, Function, Instruction, Value
from ..ir.dominance import reverse_postorder
from ..typerules.rtypes import ArrT

_WRITES = ("set_index", "elem_mut", "elem_own")
_COPIES = {"call", "copy", "snapshot", "repeat"}


def _copies(i: Instruction, types: dict) -> bool:
    """May ``i`` make some array shared?"""
    if i.opname in _COPIES:  # (a copy of a number or a struct shares nothing)
        return i.opname != "copy" or isinstance(types.get(i), ArrT)
    if i.opname == "method":
        name = i.imms[0]
        if name == "clone":
            return True
        if name in ("push", "insert"):
            return isinstance(types.get(i.operands[-1]), ArrT)
    return False


def private_writes(f: Function, types: dict, live: set, order: Optional[list[Block]] = None
                   ) -> tuple[set[Instruction], dict[Block, list[Value]]]:
    """(writes that need no test, block -> arrays to make private before its branch).
    ``order``: the live blocks in reverse postorder, when the caller has them already."""
    if order is None:
        order = [b for b in reverse_postorder(f) if b in live]
    # Most functions write no array: then no write is skipped and nothing is hoisted
    # (targets come from writes only), so the loop search and the data-flow fixed point
    # below (~10% of code generation for small functions) can be left out.
    if not any(i.op.name in _WRITES for b in order for i in b.instrs):
        return set(), {}
    index = {b: k for k, b in enumerate(order)}
    preds = f.predecessors()
    hoist: dict[Block, list[Value]] = {}
    for h in order:  # natural loops, by their back edges
        latches = [p for p, _ in preds.get(h, []) if p in index and index[p] >= index[h]]
        if not latches:
            continue
        body = {h}
        work = list(latches)
        while work:
            b = work.pop()
            if b not in body:
                body.add(b)
                work.extend(p for p, _ in preds.get(b, []) if p in index)
        instrs = [i for b in body for i in b.instrs]
        if any(_copies(i, types) for i in instrs):
            continue
        targets = []
        for i in instrs:
            if i.opname in _WRITES:
                a = i.operands[0]
                block = getattr(a, "block", None)
                if block is not None and block not in body and a not in targets \
                        and isinstance(types.get(a), ArrT):
                    targets.append(a)
        if targets:
            for p, _ in preds.get(h, []):
                if p in index and p not in body:
                    hoist.setdefault(p, []).extend(t for t in targets
                                                   if t not in hoist.get(p, []))
    universe = {i.operands[0] for b in order for i in b.instrs if i.opname in _WRITES}
    out: dict[Block, set] = {}
    skip: set[Instruction] = set()
    changed = True
    while changed:
        changed = False
        skip = set()
        for b in order:
            ins = [out.get(p, universe) for p, _ in preds.get(b, []) if p in index]
            cur = set.intersection(*map(set, ins)) if ins and b is not f.entry else set()
            for i in b.instrs:
                if _copies(i, types):
                    cur = set()
                elif i.opname in _WRITES:
                    if i.operands[0] in cur:
                        skip.add(i)
                    cur.add(i.operands[0])
            cur |= set(hoist.get(b, ()))
            if out.get(b) != cur:
                out[b] = cur
                changed = True
    return skip, hoist

"""Where a compiled function may free an array it made itself.

Compiled code never frees memory in general (docs/codegen.md), but an array that a
function creates (``[a, b]``, ``[v; n]``) and that never leaves it - never copied,
stored, passed, returned, or carried into a block parameter, only indexed, written,
measured, grown or printed - is garbage as soon as the last use has run. Freeing it there
keeps a function that makes a big array per call (or a loop that does) from growing the
process by that much each time: the sieve benchmark allocated 1.6 GB, page by page.

A free goes where every path leaves the value's live range: before the terminator of a
block of the range none of whose successors needs the value (a ``ret``, the back edge
of a loop whose body made it), and at the start of a block that needs it no more but
that every (live) predecessor enters with the value alive. A path that leaves the range some other way (into
a block also reached from outside it) keeps the array, as before: never a double free,
never a free of something still used.
"""
from __future__ import annotations

from ..ir.core import Block, Function, Instruction, Value
from ..typerules.rtypes import ArrT

#: ops whose array operand 0 is only read or changed in place (never kept)
_IN_PLACE = {"index", "set_index", "elem_mut", "elem_own", "len"}
#: methods that use their receiver in place
_METHODS = {"len", "is_empty", "push", "pop", "insert", "remove", "reverse", "contains",
            "swap"}
#: ops that only read every operand to make text
_TEXT = {"format", "print", "eprint"}
#: ops that make a fresh array
_MAKERS = {"array", "repeat"}


def _contained(v: Value, user: Instruction) -> bool:
    """Does ``user``'s use of ``v`` leave ``v`` where it was?"""
    if any(a is v for s in user.succs for a in s.args):
        return False
    name = user.opname
    if name in _TEXT:
        return True
    if name == "method":
        return user.imms[0] in _METHODS and user.operands[0] is v and \
            all(a is not v for a in user.operands[1:])
    return name in _IN_PLACE and user.operands[0] is v and \
        all(a is not v for a in user.operands[1:])


def local_arrays(f: Function, types: dict, live: set) -> list[Instruction]:
    """Arrays made in ``f`` that never leave it."""
    out = []
    for b in f.blocks:
        if b not in live:
            continue
        for i in b.instrs:
            if i.opname in _MAKERS and isinstance(types.get(i), ArrT) and \
                    all(_contained(i, u) for u in i.users):
                out.append(i)
    return out


def free_points(f: Function, types: dict, live: set
                ) -> tuple[dict[Block, list[Value]], dict[Block, list[Value]]]:
    """(block -> arrays to free on entry, block -> arrays to free before its terminator)."""
    on_entry: dict[Block, list[Value]] = {}
    at_end: dict[Block, list[Value]] = {}
    arrays = local_arrays(f, types, live)
    if not arrays:  # most functions: no need for the predecessor map
        return on_entry, at_end
    preds = f.predecessors()
    for a in arrays:
        d = a.block
        live_in: set[Block] = set()
        work = [u.block for u in a.users if u.block is not d]
        while work:
            b = work.pop()
            if b in live_in or b is d:
                continue
            live_in.add(b)
            work.extend(p for p, _ in preds.get(b, []))
        going_on: set[Block] = set()  # blocks of the range that some successor continues
        exits: set[Block] = set()
        for b in live_in | {d}:
            t = b.terminator
            succs = [s.block for s in t.succs] if t is not None else []
            if not any(s in live_in for s in succs):
                if b in live and t is not None:
                    at_end.setdefault(b, []).append(a)  # dead after this block
                continue
            going_on.add(b)
            exits.update(s for s in succs if s not in live_in and s is not d)
        for blk in exits:
            if blk in live and all(p in going_on for p, _ in preds.get(blk, []) if p in live):
                on_entry.setdefault(blk, []).append(a)
    return on_entry, at_end

"""Where a compiled function may free an array it made itself.

Compiled code never frees memory in general (docs/codegen.md), but an array that a
function creates (``[a, b]``, ``[v; n]``) and that never leaves it - never copied,
stored, passed, returned, or carried into a block parameter, only indexed, written,
measured, grown or printed - is garbage as soon as the last use has run. Freeing it there
keeps a function that makes a big array per call (or a loop that does) from growing the
process by that much each time: the sieve benchmark allocated 1.6 GB, page by page.

Such an array may go by several names: a copy or a snapshot that aliases.py leaves out
is the same object (``let mut v = Vec::new()`` is a copy of the new array; ``for p in
&v`` a snapshot of ``v``), so the group of them is freed once, after the last use of
any (:func:`groups`); a snapshot that is made is an object of its own, freed after its
last use when that does not leave the function either.

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
#: ops that make a fresh array (a snapshot: a fresh object, see groups)
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


def groups(f: Function, types: dict, live: set, elided: frozenset | set = frozenset(),
           tentative: bool = False) -> dict[Instruction, list[Value]]:
    """Arrays made in ``f`` that never leave it: each maker (``[..]``, ``[v; n]``, a
    copy or snapshot that is made: a new object, its data shared) with the values that
    are the same object (its copies and snapshots that aliases.py elides, ``elided``;
    with ``tentative``, every snapshot of it, as aliases.py asks before it has decided
    which). Freeing a copy's or a snapshot's object frees its data only if nothing
    shares it (rt_arr_free)."""
    out: dict[Instruction, list[Value]] = {}
    for b in f.blocks:
        if b not in live:
            continue
        for i in b.instrs:
            maker = i.opname in _MAKERS or (i.opname == "copy" and i not in elided) or (
                i.opname == "snapshot" and i not in elided and not tentative)
            if not maker or not isinstance(types.get(i), ArrT):
                continue
            members: list[Value] = [i]
            k = 0
            while k < len(members):
                x = members[k]
                k += 1
                for u in x.users:
                    if u.operands and u.operands[0] is x and u not in members and (
                            u in elided or (tentative and u.opname == "snapshot")):
                        members.append(u)
            inside = set(members)
            if all(u in inside or _contained(x, u) for x in members for u in x.users):
                out[i] = members
    return out


def local_arrays(f: Function, types: dict, live: set,
                 elided: frozenset | set = frozenset()) -> list[Instruction]:
    """Arrays made in ``f`` that never leave it."""
    return list(groups(f, types, live, elided))


def free_points(f: Function, types: dict, live: set, elided: frozenset | set = frozenset()
                ) -> tuple[dict[Block, list[Value]], dict[Block, list[Value]]]:
    """(block -> arrays to free on entry, block -> arrays to free before its terminator).
    ``elided``: copies and snapshots that are the array they read (aliases.py): their
    uses are uses of the array."""
    on_entry: dict[Block, list[Value]] = {}
    at_end: dict[Block, list[Value]] = {}
    found = groups(f, types, live, elided)
    if not found:  # most functions: no need for the predecessor map
        return on_entry, at_end
    preds = f.predecessors()
    for a, members in found.items():
        d = a.block
        live_in = reaching_blocks([u.block for x in members for u in x.users], d, preds)
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


def reaching_blocks(starts: list[Block], d: Block, preds: dict) -> set[Block]:
    """The blocks other than ``d`` from which one of ``starts`` is reached without
    passing ``d`` (the starts included): where a value defined in ``d`` is live on entry
    when ``starts`` are the blocks of its uses. ``preds`` is Function.predecessors()."""
    live_in: set[Block] = set()
    work = [b for b in starts if b is not d]
    while work:
        b = work.pop()
        if b in live_in or b is d:
            continue
        live_in.add(b)
        work.extend(p for p, _ in preds.get(b, []))
    return live_in

"""Copies and snapshots of arrays that need not copy anything: the generated code uses
the array itself (no ``rt_arr_cp``, no ``rt_arr_snapshot``).

* ``%b = copy %a`` where ``%a`` is an array object the function made (``[..]``, ``[v;
  n]``, or a copy: a new object sharing the data) and the copy is ``%a``'s last use:
  nothing will see ``%a`` after it, so ``%b`` may be the same object. ``let mut v = Vec::new()`` and ``let w =
  vec![p; n]`` lower so; without this, the new array was marked shared and its first
  write copied it, and it could not be freed (lifetimes.py).
* ``%s = snapshot %a`` (what ``for x in &a`` iterates over: the elements as they are
  when the loop starts) when nothing can change ``%a`` while ``%s`` is in use: then the
  elements seen through ``%a`` are those of the snapshot. Either nothing in that range
  writes any array or calls anything, or ``%a`` is an array of scalars or records
  (no inner arrays) that the function made and keeps to itself (lifetimes.groups) and
  nothing in the range writes it (``for p in &v`` lowers to a snapshot of a copy of
  ``v``: the copy is such an array, even if ``v`` changes in the loop). Otherwise a snapshot marks ``%a`` shared, and the
  next write to ``%a`` copies all of it (a loop that reads an array with ``for`` and
  then writes it copied the array at every turn).
"""
from __future__ import annotations

from typing import Optional

from ..ir.core import Block, Function, Instruction, Value
from ..typerules.rtypes import ArrT

#: ops that change the array object that is their operand 0
WRITES = frozenset({"set_index", "elem_mut", "elem_own"})
#: array methods that only read their receiver
READ_METHODS = frozenset({"len", "is_empty", "contains", "clone", "to_string"})
#: ops that make a new array object nothing else refers to (a copy: a new holder of the
#: data, marked shared)
MAKERS = frozenset({"array", "repeat", "copy"})


def writes_array(i: Instruction, types: dict) -> Optional[Value]:
    """The array ``i`` may change (its operand), or None; ``i`` itself for a call, which
    may change any array it can reach."""
    name = i.opname
    if name in WRITES:
        return i.operands[0]
    if name == "method" and i.operands and isinstance(types.get(i.operands[0]), ArrT) \
            and i.imms[0] not in READ_METHODS:
        return i.operands[0]
    if name in ("call", "by_ref", "store_global"):
        return i
    return None


def elided(f: Function, types: dict, live: set) -> set[Instruction]:
    """The copies and snapshots of arrays that the generated code leaves out (see the
    module docstring)."""
    out: set[Instruction] = set()
    instrs = [i for b in f.blocks if b in live for i in b.instrs]
    if not any(i.opname in ("copy", "snapshot") for i in instrs):
        return out
    fresh: set[Value] = {i for i in instrs if i.opname in MAKERS
                         and isinstance(types.get(i), ArrT)}
    changed = True
    while changed:  # copies of fresh arrays, their last use, are fresh too
        changed = False
        for i in instrs:
            if i.opname == "copy" and i not in out and i.operands[0] in fresh \
                    and isinstance(types.get(i), ArrT) and not _passed_on(i.operands[0]) \
                    and _last_use(i.operands[0], i):
                out.add(i)
                fresh.add(i)
                changed = True
    from .lifetimes import groups
    group_of = {m: members for members in
                groups(f, types, live, out, tentative=True).values() for m in members}
    preds = None
    for i in instrs:
        if i.opname != "snapshot" or not isinstance(types.get(i), ArrT):
            continue
        if preds is None:
            preds = f.predecessors()
        a = i.operands[0]
        written = [w for w in (writes_array(x, types) for x in _range(i, preds))
                   if w is not None]
        if not written:
            out.add(i)  # nothing changes any array meanwhile
            continue
        group = group_of.get(a)
        if group is not None and not isinstance(types[i].elem, ArrT) and \
                not any(w in group for w in written):
            out.add(i)  # a's object is this function's alone, and nothing writes it
    return out


def _last_use(x: Value, c: Instruction) -> bool:
    """Whether no use of ``x`` can run after ``c`` (one of its uses): none later in
    ``c``'s block, none in a block reachable from there before ``x`` is made again."""
    b = c.block
    others = [u for u in x.users if u is not c]
    if not others:
        return True
    pos = b.instrs.index(c)
    if any(u.block is b and b.instrs.index(u) > pos for u in others):
        return False
    where = {u.block for u in others}
    d = getattr(x, "block", None)
    seen: set[Block] = set()
    work = [s.block for s in b.terminator.succs] if b.terminator is not None else []
    while work:
        blk = work.pop()
        if blk in seen or blk is d:
            continue
        seen.add(blk)
        if blk in where:
            return False
        t = blk.terminator
        if t is not None:
            work.extend(s.block for s in t.succs)
    return True


def _passed_on(v: Value) -> bool:
    return any(a is v for u in v.users for s in u.succs for a in s.args)


def _range(i: Instruction, preds: dict) -> list[Instruction]:
    """The instructions that may run while the value of ``i`` is in use: its block after
    it, and every block from which a use is reached without passing ``i``'s block."""
    from .lifetimes import reaching_blocks
    d = i.block
    uses = [u.block for u in i.users]
    uses += [s.block for u in i.users for s in u.succs if any(a is i for a in s.args)]
    live_in = reaching_blocks(uses, d, preds)
    after = d.instrs[d.instrs.index(i) + 1:]
    return after + [x for b in live_in for x in b.instrs]


__all__ = ["elided", "writes_array", "MAKERS", "WRITES"]

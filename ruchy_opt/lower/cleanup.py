"""Tidying after SSA construction: drop unreachable blocks (code after return, break or
continue was lowered for its static errors only), block parameters that became
trivial when those blocks went, and unused constants; then number values and blocks in
print order, so that the lowered module reads top to bottom and its names are stable.
"""
from __future__ import annotations

from ..ir.builder import Builder
from ..ir.core import Function
from ..ir.dominance import reverse_postorder


def remove_unreachable(f: Function) -> None:
    """Drop blocks the entry cannot reach."""
    live = set(reverse_postorder(f))
    dead = [b for b in f.blocks if b not in live]
    if not dead:
        return
    dead_set = set(dead)
    for b in dead:
        for instr in b.instrs:
            instr.drop_uses()
    f.blocks = [b for b in f.blocks if b not in dead_set]
    # A live use of a value defined in dead code would be a lowering bug; keep the IR
    # well formed anyway by giving such uses a unit constant.
    unit = None
    for b in dead:
        for v in [*b.params, *(i for i in b.instrs if i.op.result)]:
            if v.users:
                if unit is None:
                    unit = Builder(f).at_before(f.entry.instrs[0]).const(None)
                v.replace_all_uses_with(unit)


def remove_trivial_params(f: Function) -> None:
    """Remove parameters that receive a single value (besides themselves), to a fixpoint."""
    changed = True
    while changed:
        changed = False
        preds = f.predecessors()
        for b in f.blocks[1:]:
            for j in range(len(b.params) - 1, -1, -1):
                p = b.params[j]
                same = None
                trivial = True
                for src, k in preds[b]:
                    a = src.instrs[-1].succs[k].args[j]
                    if a is p or a is same:
                        continue
                    if same is not None:
                        trivial = False
                        break
                    same = a
                if not trivial or same is None:
                    continue
                p.replace_all_uses_with(same)
                for src, k in preds[b]:
                    src.instrs[-1].remove_succ_arg(k, j)
                b.params.pop(j)
                changed = True


def remove_unused_constants(f: Function) -> None:
    """Lowering makes a unit constant for every statement's value; drop those unused."""
    for b in f.blocks:
        b.instrs = [i for i in b.instrs if not (i.op.name == "const" and not i.users)]


def _hint(name: str) -> str | None:
    head, _, tail = name.rpartition(".")
    if head and tail.isdigit():
        return head
    return None


def renumber(f: Function) -> None:
    """Give values and blocks fresh numbers in print order (keeping their hints)."""
    f._vnames.clear()
    f._bnames.clear()
    f._next_value = f._next_block = 0
    f.entry.name = "entry"
    f.claim_block_name("entry")
    for b in f.blocks[1:]:
        b.name = f.fresh_block_name(_hint(b.name))
    for b in f.blocks:
        values: list = [*b.params, *(i for i in b.instrs if i.op.result)]
        for v in values:
            v.name = f.fresh_value_name(_hint(v.name))


def tidy(f: Function) -> None:
    """Everything above, in order."""
    remove_unreachable(f)
    remove_trivial_params(f)
    remove_unused_constants(f)
    renumber(f)


"""Loop transformations' shared steps: giving a loop a preheader, copying a loop
(for peeling and unrolling), and finding a counted loop's trip count.
"""
from __future__ import annotations

from typing import Any, Optional

from ..ir import Builder
from ..ir.core import Block, Function, Instruction, Value
from ..ir.opdef import NO_FOLD
from .cloning import PredIndex, clone_blocks, name_hint, region_rpo, repair_ssa
from .transform import NOT_CONST, add_param, const_value


def ensure_preheader(f: Function, loop: Any, preds: Optional[PredIndex] = None
                     ) -> tuple[Block, bool]:
    """The loop's preheader, made if it has none: a new block that every edge entering
    the header from outside now goes through. Returns (preheader, created). A caller
    that keeps the function's ``preds`` has them updated."""
    if loop.preheader is not None:
        return loop.preheader, False
    h = loop.header
    pre = f.new_block("preheader", append=False)
    f.blocks.insert(f.blocks.index(h), pre)
    params = [add_param(pre, name_hint(p.name), p.type) for p in h.params]
    entering = [(src, k) for src, k in (preds[h] if preds is not None else
                                        f.predecessors()[h]) if src not in loop.block_set]
    for src, k in entering:
        src.instrs[-1].succs[k].block = pre
    Builder(f, pre).br(h, params)
    loop.preheader = pre
    if preds is not None:
        preds.update([pre] + [src for src, _ in entering])
    return pre, True


def copy_loop(f: Function, loop: Any, prefix: str = "", in_front: bool = False
              ) -> tuple[dict, dict]:
    """Copy the loop's blocks; returns (block map, value map). The copy's branches back
    to its header still go to the copied header; edges leaving the loop are shared.
    The copy is listed after the loop, or just before its header with ``in_front``."""
    vmap: dict[Value, Value] = {}
    blocks = region_rpo(loop.header, loop.block_set)  # = rpo_of(f, ...), not O(function)
    where = f.blocks[f.blocks.index(loop.header) - 1] if in_front else \
        max(blocks, key=f.blocks.index)
    bmap = clone_blocks(f, blocks, vmap, prefix, insert_after=where)
    return bmap, vmap


def loop_values(loop: Any) -> list:
    """Every value defined in the loop (block parameters and results)."""
    out: list = []
    for b in loop.blocks:
        out += b.params
        out += [i for i in b.instrs if i.op.result]
    return out


def fix_uses_after_copy(f: Function, loop: Any, copies: list[dict], blocks: set,
                        preds: Optional[PredIndex] = None) -> None:
    """Uses outside the loop and its copies take the definition that reaches them
    (``preds``: the function's predecessors, if the caller keeps them up to date)."""
    repair_ssa(f, copies, loop_values(loop), blocks, preds)


class CountedLoop:
    """A loop whose header decides ``cond_br (cmp %iv, C)`` on an induction variable that
    starts at a constant and moves by a constant step on the only latch."""

    def __init__(self, loop: Any, iv_index: int, cmp: Instruction, stay: int,
                 init: Any, step: Instruction) -> None:
        self.loop = loop
        self.iv_index = iv_index
        self.cmp = cmp
        self.stay = stay      # successor index of the header's branch that stays inside
        self.init = init
        self.step = step

    def trip_count(self, limit: int) -> Optional[int]:
        """How many times the body runs, by evaluating the compare and the step with
        the ops' own folding rules (None if more than ``limit`` or something would fail)."""
        v = self.init
        iv = self.loop.header.params[self.iv_index]
        for n in range(limit + 1):
            c = self.cmp.op.fold(self.cmp.imms, [v if o is iv else const_value(o)
                                                 for o in self.cmp.operands])
            if type(c) is not bool:
                return None
            if c != (self.stay == 0):
                return n
            v = self.step.op.fold(self.step.imms, [v if o is iv else const_value(o)
                                                   for o in self.step.operands])
            if v is NO_FOLD:
                return None
        return None


def counted_loop(f: Function, loop: Any) -> Optional[CountedLoop]:
    """Recognise a counted loop (see :class:`CountedLoop`), or None."""
    h = loop.header
    t = h.terminator
    if t is None or t.op.name != "cond_br" or len(loop.latches) != 1 or loop.preheader is None:
        return None
    inside = [k for k in (0, 1) if t.succs[k].block in loop.block_set]
    if len(inside) != 1:
        return None
    cmp = t.operands[0]
    if not isinstance(cmp, Instruction) or cmp.block is not h or len(cmp.operands) != 2:
        return None
    latch = loop.latches[0]
    back = [s for s in latch.instrs[-1].succs if s.block is h]
    pre_edge = [s for s in loop.preheader.instrs[-1].succs if s.block is h]
    if len(back) != 1 or len(pre_edge) != 1:
        return None
    for j, p in enumerate(h.params):
        if p not in cmp.operands:
            continue
        others = [o for o in cmp.operands if o is not p]
        if any(const_value(o) is NOT_CONST for o in others):
            continue
        step = back[0].args[j]
        init = const_value(pre_edge[0].args[j])
        if init is NOT_CONST or not isinstance(step, Instruction) or step.block not in \
                loop.block_set or len(step.operands) != 2 or p not in step.operands:
            continue
        if any(const_value(o) is NOT_CONST for o in step.operands if o is not p):
            continue
        return CountedLoop(loop, j, cmp, inside[0], init, step)
    return None


def loop_size(loop: Any) -> int:
    return sum(len(b.instrs) for b in loop.blocks)

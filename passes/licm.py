"""Loop-invariant code motion: hoist computations whose operands do not change in a loop
to its preheader (made if the loop has none), innermost loops first.

Only what is safe to run earlier moves. An operation that cannot fail and has no effect
may run even when the loop body would not have. An operation that may fail moves only
from the front of the loop header, before anything that has an effect or may fail:
there it runs on entry to the loop either way, so an error stays the same error at the
same point of the output. Nothing that reads memory or has effects moves.
"""
from __future__ import annotations

from dataclasses import dataclass

from ruchy_opt.ir.core import Block, Function, Instruction
from ruchy_opt.ir.opdef import PURE
from ruchy_opt.passmgr import FunctionPass, PassContext
from ruchy_opt.passmgr.loopxform import ensure_preheader


def _movable(i: Instruction) -> bool:
    return i.op.has(PURE) and i.op.result and not i.is_terminator


def hoist_from(loop, pre: Block) -> int:
    inside = loop.block_set
    hoisted: set[Instruction] = set()

    def invariant(i: Instruction) -> bool:
        return all(getattr(o, "block", None) not in inside or o in hoisted
                   for o in i.operands)

    def move(i: Instruction) -> None:
        i.block.instrs.remove(i)  # type: ignore[union-attr]
        pre.insert(len(pre.instrs) - 1, i)
        hoisted.add(i)

    # the header's front: may-fail pure ops too, until the first effect or failure
    for i in list(loop.header.instrs):
        if _movable(i) and invariant(i):
            move(i)
        elif not i.op.removable(i):
            break
    changed = True
    while changed:  # an invariant can depend on one hoisted in this loop
        changed = False
        for b in loop.blocks:
            for i in list(b.instrs):
                if _movable(i) and i.op.cannot_fail(i) and invariant(i):
                    move(i)
                    changed = True
    return len(hoisted)


@dataclass(frozen=True)
class LICM(FunctionPass):
    """Loop-invariant code motion (hoists only what cannot fail, or fails the same)."""

    name = "licm"
    requires = ("loops",)

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        loops = ctx.analysis("loops", func)
        if not loops.loops:
            return False
        made = 0
        for lp in loops.loops:
            made += ensure_preheader(func, lp)[1]
        if made:
            ctx.stat("preheaders created", made)
            ctx.analyses.invalidate(func)
            loops = ctx.analysis("loops", func)
        n = 0
        for lp in loops.innermost_first():
            if lp.preheader is not None:
                n += hoist_from(lp, lp.preheader)
        ctx.stat("instructions hoisted", n)
        return bool(n or made)

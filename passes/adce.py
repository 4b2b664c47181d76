"""Aggressive dead code elimination (Cytron et al. 1991; LLVM's ADCE): everything is
dead until proven live, branches included.

Live roots are the instructions that must stay (effects, operations that may fail,
returns). An instruction's operands are live; a live block parameter makes the branches
into its block live; a live block makes the branches it is control dependent on live
(its post-dominance frontier). A conditional branch that is not live is replaced by a
jump to the block's immediate post-dominator: every block in between holds nothing
live. Loops are kept whole (their branches are live), so a loop that might never end
still never ends; blocks that cannot reach a return keep their branches too.
"""
from __future__ import annotations

from dataclasses import dataclass

from ruchy_opt.ir.core import Block, BlockParam, Function, Instruction, Value
from ruchy_opt.passmgr import FunctionPass, PassContext
from ruchy_opt.passmgr.transform import branch_to, remove_param, remove_unreachable_blocks


def _live(func: Function, pdt, loops) -> set:
    preds = func.predecessors()
    live: set = set()
    live_blocks: set[Block] = set()
    work: list = []

    def mark(x) -> None:
        if x not in live:
            live.add(x)
            work.append(x)

    in_loop = {b for lp in loops.loops for b in lp.blocks}
    for b in func.blocks:
        t = b.terminator
        if t is not None and (t.op.name not in ("br", "cond_br") or b in in_loop
                              or not pdt.reaches_exit(b)):
            mark(t)
        for i in b.instrs:
            if not i.op.removable(i) and not i.is_terminator:
                mark(i)
    for p in func.params:
        mark(p)
    while work:
        x = work.pop()
        if isinstance(x, Instruction):
            b = x.block
            for o in x.operands:
                mark(o)
            if x.is_terminator:
                # a live branch needs the arguments of the parameters that are live;
                # parameters found live later add theirs below
                for k, s in enumerate(x.succs):
                    for j, a in enumerate(s.args):
                        if s.block.params[j] in live:
                            mark(a)
        else:
            b = x.block  # a block parameter
            if b is not func.entry:
                j = b.params.index(x)
                for src, k in preds.get(b, ()):
                    mark(src.instrs[-1])
                    mark(src.instrs[-1].succs[k].args[j])
        if b is not None and b not in live_blocks:
            live_blocks.add(b)
            for c in pdt.frontier.get(b, ()):
                mark(c.instrs[-1])
    return live


@dataclass(frozen=True)
class ADCE(FunctionPass):
    """Aggressive dead code elimination: also removes branches nothing depends on."""

    name = "adce"
    requires = ("postdomtree", "loops")

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        pdt = ctx.analysis("postdomtree", func)
        loops = ctx.analysis("loops", func)
        live = _live(func, pdt, loops)
        dead = [i for b in func.blocks for i in b.instrs if i not in live and not i.is_terminator]
        for i in dead:
            i.drop_uses()
        for i in dead:
            i.block.instrs.remove(i)  # type: ignore[union-attr]
            i.block = None
        preds = func.predecessors()
        params = 0
        for b in func.blocks[1:]:
            for j in range(len(b.params) - 1, -1, -1):
                if b.params[j] not in live:
                    remove_param(b, j, preds.get(b, []))
                    params += 1
        branches = 0
        for b in list(func.blocks):
            t = b.terminator
            if t is not None and t not in live and t.op.name == "cond_br":
                target = pdt.ipdom.get(b)
                if target is None or target.params:  # (live parameters keep the branch)
                    continue
                branch_to(b, target, [])
                branches += 1
        if branches:
            remove_unreachable_blocks(func)
        ctx.stat("instructions removed", len(dead))
        ctx.stat("block parameters removed", params)
        ctx.stat("branches removed", branches)
        return bool(dead or params or branches)

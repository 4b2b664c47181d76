"""CFG simplification, to a fixed point:

- a conditional branch on a constant, or to one block with the same arguments either
  way, becomes a jump;
- blocks the entry cannot reach are deleted;
- a block whose only predecessor jumps only to it is merged into that predecessor;
- a block that only jumps on (``br ^next(args)``) is bypassed: its predecessors branch
  straight to ``^next``, with the arguments it would have passed;
- block parameters that receive the same value on every edge are replaced by it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ruchy_opt.ir.core import Block, Function
from ruchy_opt.passmgr import FunctionPass, PassContext
from ruchy_opt.passmgr.transform import NOT_CONST, branch_to, const_value, delete_blocks, \
    remove_trivial_params, remove_unreachable_blocks


def fold_branches(f: Function) -> int:
    n = 0
    for b in f.blocks:
        t = b.terminator
        if t is None or t.op.name != "cond_br":
            continue
        c = const_value(t.operands[0])
        s0, s1 = t.succs
        if c is True or c is False:
            s = s0 if c else s1
        elif s0.block is s1.block and all(x is y for x, y in zip(s0.args, s1.args)):
            s = s0
        else:
            continue
        branch_to(b, s.block, list(s.args))
        n += 1
    return n


def merge_into_predecessor(f: Function) -> int:
    """Merge ``b`` into its only predecessor when that ends in ``br ^b``."""
    n = 0
    preds = f.predecessors()
    gone: set[Block] = set()
    for b in list(f.blocks[1:]):
        ps = preds.get(b, [])
        if len(ps) != 1 or b in gone:
            continue
        p, k = ps[0]
        t = p.instrs[-1]
        if p is b or p in gone or t.op.name != "br":
            continue
        for param, arg in zip(list(b.params), list(t.succs[0].args)):
            param.replace_all_uses_with(arg)
        t.erase()
        for i in b.instrs:
            i.block = p
            p.instrs.append(i)
        b.instrs = []
        b.params = []
        gone.add(b)
        # b's successors now have p as predecessor; refresh the map for them
        for s in p.successors():
            preds[s] = [(p if x is b else x, kk) for x, kk in preds.get(s, [])]
        n += 1
    f.blocks = [b for b in f.blocks if b not in gone]
    return n


def bypass_forwarders(f: Function) -> int:
    """Redirect edges into blocks that only jump on."""
    n = 0
    preds = f.predecessors()
    redirected = False
    for b in f.blocks[1:]:
        if len(b.instrs) != 1 or b.instrs[0].op.name != "br":
            continue
        out = b.instrs[0].succs[0]
        if out.block is b or any(set(p.users) - {b.instrs[0]} for p in b.params):
            continue  # a parameter used further on needs its block
        for src, k in preds.get(b, []):
            if src is b:
                continue
            t = src.instrs[-1]
            incoming = list(t.succs[k].args)
            args = [incoming[b.params.index(a)] if a in b.params else a for a in out.args]
            for _ in incoming:
                t.remove_succ_arg(k, 0)
            t.succs[k].block = out.block
            for a in args:
                t.add_succ_arg(k, a)
            n += 1
            redirected = True
        if redirected:  # only edges changed: refresh the map when it is stale
            preds = f.predecessors()
            redirected = False
    return n


@dataclass(frozen=True)
class SimplifyCFG(FunctionPass):
    """Simplify the CFG: fold constant branches, merge and bypass blocks, drop
    unreachable blocks and trivial block parameters."""

    name = "simplifycfg"

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        changed = False
        while True:
            n = fold_branches(func)
            ctx.stat("branches folded", n)
            before = len(func.blocks)
            if remove_unreachable_blocks(func):
                ctx.stat("unreachable blocks removed", before - len(func.blocks))
                n += 1
            m = merge_into_predecessor(func)
            ctx.stat("blocks merged", m)
            fwd = bypass_forwarders(func)
            ctx.stat("edges bypassing empty blocks", fwd)
            p = remove_trivial_params(func)
            if not (n or m or fwd or p):
                return changed
            changed = True

"""Dead code elimination: delete instructions whose results nothing needs and that have no
effect, and block parameters whose values nothing needs.

Liveness starts from the instructions that must stay (side effects, operations that may
fail, terminators) and flows backwards through operands; a block parameter is live when
something live uses it, and then the arguments branches pass to it are live. A value
that only feeds itself around a loop is therefore dead. The CFG is left as it is (adce
also removes dead branches).
"""
from __future__ import annotations

from dataclasses import dataclass

from ruchy_opt.ir.core import BlockParam, Function, Instruction, Value
from ruchy_opt.passmgr import PRESERVES_CFG, FunctionPass, PassContext
from ruchy_opt.passmgr.transform import remove_param


def live_values(func: Function) -> set[Value]:
    """Values something that must stay depends on (see the module docstring)."""
    preds = func.predecessors()
    live: set[Value] = set()
    work: list[Value] = []

    def mark(v: Value) -> None:
        if v not in live:
            live.add(v)
            work.append(v)

    for b in func.blocks:
        for i in b.instrs:
            if not i.op.removable(i):
                live.add(i)
                for v in i.operands:  # not branch arguments: those follow their parameter
                    mark(v)
    for p in func.params:
        mark(p)
    while work:
        v = work.pop()
        if isinstance(v, Instruction):
            for o in v.operands:
                mark(o)
        elif isinstance(v, BlockParam) and v.block is not func.entry:
            j = v.block.params.index(v)
            for src, k in preds.get(v.block, ()):
                mark(src.instrs[-1].succs[k].args[j])
    return live


@dataclass(frozen=True)
class DCE(FunctionPass):
    """Dead code elimination (unused instructions without effects, unused block
    parameters)."""

    name = "dce"
    preserves = PRESERVES_CFG

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        live = live_values(func)
        dead = [i for b in func.blocks for i in b.instrs if i not in live]
        for i in dead:
            i.drop_uses()
        for i in dead:
            i.block.instrs.remove(i)  # type: ignore[union-attr]
            i.block = None
        params = 0
        preds = func.predecessors()
        for b in func.blocks[1:]:
            for j in range(len(b.params) - 1, -1, -1):
                if b.params[j] not in live:
                    remove_param(b, j, preds.get(b, []))
                    params += 1
        ctx.stat("instructions removed", len(dead))
        ctx.stat("block parameters removed", params)
        return bool(dead or params)

"""Liveness of SSA values at block boundaries (backward dataflow to a fixed point).

With block arguments, a branch argument is a use at the end of the branching block and
a block parameter is defined at the start of its block, so no phi special cases arise.
"""
from __future__ import annotations

from typing import Any

from ...ir.core import Block, Function, Value
from ..analysis import Analysis


class Liveness:
    """``live_in[b]`` / ``live_out[b]``: the values live on entry to and exit from b."""

    def __init__(self, f: Function) -> None:
        uses: dict[Block, set[Value]] = {}
        defs: dict[Block, set[Value]] = {}
        for b in f.blocks:
            d: set[Value] = set(b.params)
            u: set[Value] = set()
            for i in b.instrs:
                for v in i.uses():
                    if v not in d:
                        u.add(v)
                if i.op.result:
                    d.add(i)
            uses[b], defs[b] = u, d
        self.live_in: dict[Block, set[Value]] = {b: set(uses[b]) for b in f.blocks}
        self.live_out: dict[Block, set[Value]] = {b: set() for b in f.blocks}
        order = list(reversed(f.blocks))
        changed = True
        while changed:
            changed = False
            for b in order:
                out: set[Value] = set()
                for s in b.successors():
                    out |= self.live_in.get(s, set())
                if out != self.live_out[b]:
                    self.live_out[b] = out
                    new_in = uses[b] | (out - defs[b])
                    if new_in != self.live_in[b]:
                        self.live_in[b] = new_in
                    changed = True

    def is_live_out(self, v: Value, b: Block) -> bool:
        return v in self.live_out.get(b, ())


class LivenessAnalysis(Analysis):
    """Live values at the start and end of every block."""

    name = "liveness"
    description = "live values at block boundaries"

    @classmethod
    def compute(cls, target: Any, am: Any) -> Liveness:
        return Liveness(target)

"""Post-dominator tree and post-dominance frontiers (control dependence).

Post-dominance is dominance on the reversed CFG from a virtual exit that every
returning block reaches. Blocks that cannot reach a return (the inside of an infinite
loop) have no post-dominator; ``reaches_exit`` tells them apart so that clients (ADCE)
can treat them conservatively.
"""
from __future__ import annotations

from typing import Any, Optional

from ...ir.core import Block, Function
from ..analysis import Analysis
from .dominance import frontiers
from .graphs import immediate_dominators

EXIT = "<exit>"


class PostDominatorTree:
    """Immediate post-dominators and post-dominance frontiers of a function's blocks."""

    def __init__(self, f: Function) -> None:
        rsucc: dict = {EXIT: []}  # the reversed CFG, from a virtual exit
        rpred: dict = {EXIT: []}
        for b in f.blocks:
            rsucc.setdefault(b, [])
            rpred.setdefault(b, [])
            succs = b.successors()
            for s in succs:
                rsucc.setdefault(s, []).append(b)
                rpred[b].append(s)
            if not succs:
                rsucc[EXIT].append(b)
                rpred[b].append(EXIT)
        idom = immediate_dominators(EXIT, rsucc.__getitem__, rpred.__getitem__)
        #: block -> immediate post-dominator (None: the virtual exit)
        self.ipdom: dict[Block, Optional[Block]] = {
            b: (None if d == EXIT else d) for b, d in idom.items() if b != EXIT}
        df = frontiers(list(idom), rpred, idom)
        #: block -> the blocks it is control dependent on (its post-dominance frontier)
        self.frontier: dict[Block, set[Block]] = {
            b: {x for x in s if x != EXIT} for b, s in df.items() if b != EXIT}

    def reaches_exit(self, b: Block) -> bool:
        return b in self.ipdom

    def postdominates(self, a: Block, b: Block) -> bool:
        """Whether every path from ``b`` to the exit passes through ``a``."""
        if a not in self.ipdom or b not in self.ipdom:
            return False
        x: Optional[Block] = b
        while x is not None:
            if x is a:
                return True
            x = self.ipdom[x]
        return False


class PostDomTreeAnalysis(Analysis):
    """Post-dominator tree with post-dominance frontiers."""

    name = "postdomtree"
    description = "post-dominator tree and control dependence"
    cfg_only = True

    @classmethod
    def compute(cls, target: Any, am: Any) -> PostDominatorTree:
        return PostDominatorTree(target)

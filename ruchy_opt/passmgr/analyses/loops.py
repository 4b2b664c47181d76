"""Natural loops: headers, bodies, latches, exits, preheaders and nesting.

A back edge is an edge whose target dominates its source; the natural loop of a header
is the header plus every block that reaches one of its latches without passing through
the header. Loops sharing a header are one loop. A loop's parent is the smallest loop
that contains its header.
"""
from __future__ import annotations

from typing import Any, Optional

from ...ir.core import Block, Function
from ..analysis import Analysis


class Loop:
    """One natural loop. ``blocks`` are in the function's reverse postorder."""

    def __init__(self, header: Block, blocks: list[Block], latches: list[Block]) -> None:
        self.header = header
        self.blocks = blocks
        self.block_set = set(blocks)
        self.latches = latches
        self.parent: Optional[Loop] = None
        self.children: list[Loop] = []
        #: blocks outside the loop that a block inside branches to
        self.exits: list[Block] = []
        #: blocks inside the loop with a branch leaving it
        self.exiting: list[Block] = []
        #: the only block outside the loop that branches to the header, if it branches
        #: nowhere else (where loop-invariant code can be hoisted to)
        self.preheader: Optional[Block] = None

    @property
    def depth(self) -> int:
        d, p = 1, self.parent
        while p is not None:
            d, p = d + 1, p.parent
        return d

    def contains(self, b: Block) -> bool:
        return b in self.block_set

    def __repr__(self) -> str:
        return f"<Loop ^{self.header.name}: {len(self.blocks)} blocks, depth {self.depth}>"


class LoopInfo:
    """Every natural loop of a function, outer loops before the loops they contain."""

    def __init__(self, f: Function, dt: Any) -> None:
        order = {b: i for i, b in enumerate(dt.rpo)}
        latches: dict[Block, list[Block]] = {}
        for b in dt.rpo:
            for s in b.successors():
                if dt.dominates(s, b) and b not in latches.get(s, []):
                    latches.setdefault(s, []).append(b)
        loops = []
        for header, ls in latches.items():
            body = {header}
            work = [x for x in ls if x is not header]
            body.update(work)
            while work:
                x = work.pop()
                for p in dt.preds.get(x, ()):
                    if p not in body:
                        body.add(p)
                        work.append(p)
            loops.append(Loop(header, sorted(body, key=order.__getitem__), ls))
        loops.sort(key=lambda lp: (-len(lp.blocks), order[lp.header]))
        self.loops: list[Loop] = loops
        self._innermost: dict[Block, Loop] = {}
        for lp in loops:  # larger first, so smaller (inner) loops overwrite
            for b in lp.blocks:
                self._innermost[b] = lp
        for lp in loops:
            outer = [o for o in loops if o is not lp and lp.header in o.block_set]
            if outer:
                lp.parent = min(outer, key=lambda o: len(o.blocks))
                lp.parent.children.append(lp)
            self._edges(lp, dt)

    @staticmethod
    def _edges(lp: Loop, dt: Any) -> None:
        for b in lp.blocks:
            for s in b.successors():
                if s not in lp.block_set:
                    if s not in lp.exits:
                        lp.exits.append(s)
                    if b not in lp.exiting:
                        lp.exiting.append(b)
        outside = [p for p in dt.preds.get(lp.header, ()) if p not in lp.block_set]
        if len(outside) == 1 and len(outside[0].successors()) == 1:
            lp.preheader = outside[0]

    @property
    def top_level(self) -> list[Loop]:
        return [lp for lp in self.loops if lp.parent is None]

    def loop_of(self, b: Block) -> Optional[Loop]:
        """The innermost loop containing ``b``."""
        return self._innermost.get(b)

    def innermost_first(self) -> list[Loop]:
        """Loops ordered so that a loop comes after every loop inside it."""
        return sorted(self.loops, key=lambda lp: -lp.depth)


class LoopAnalysis(Analysis):
    """Natural loops with nesting."""

    name = "loops"
    description = "natural loops: headers, latches, exits, preheaders, nesting"
    depends = ("domtree",)
    cfg_only = True

    @classmethod
    def compute(cls, target: Any, am: Any) -> LoopInfo:
        return LoopInfo(target, am.get("domtree", target))

"""Dominator tree and dominance frontiers of a function.

Built on the IR's own dominator computation (Cooper, Harvey and Kennedy), so the
verifier and the passes agree on dominance, and so that asking for dominators does not
import networkx; tests check both against networkx.
"""
from __future__ import annotations

from typing import Any, Iterator

from ...ir.core import Block, Function, Instruction, Value
from ...ir.dominance import DomTree
from ..analysis import Analysis


class DominatorTree(DomTree):
    """The IR's DomTree plus the tree itself (children, preorder) and dominance between
    values and instructions."""

    def __init__(self, f: Function) -> None:
        super().__init__(f)
        self.children: dict[Block, list[Block]] = {b: [] for b in self.rpo}
        for b in self.rpo[1:]:
            d = self.idom[b]
            if d is not None and d is not b:
                self.children[d].append(b)
        self._pos: dict[Instruction, int] = {}

    @property
    def root(self) -> Block:
        return self.rpo[0]

    def parent(self, b: Block) -> Block | None:
        """The immediate dominator (None for the entry and unreachable blocks)."""
        d = self.idom.get(b)
        return None if d is b else d

    def preorder(self) -> Iterator[Block]:
        """Blocks in a depth-first preorder of the tree (a block before those it
        dominates), children in reverse postorder."""
        if not self.rpo:
            return
        stack = [self.root]
        while stack:
            b = stack.pop()
            yield b
            stack.extend(reversed(self.children[b]))

    def strictly_dominates(self, a: Block, b: Block) -> bool:
        return a is not b and self.dominates(a, b)

    def value_dominates(self, v: Value, user: Instruction) -> bool:
        """Whether value ``v`` is available at instruction ``user`` (defined in a block
        that dominates it, or earlier in the same block)."""
        defb = getattr(v, "block", None)
        if defb is None or user.block is None:
            return False
        if not isinstance(v, Instruction):  # a block parameter
            return self.dominates(defb, user.block)
        if defb is user.block:
            return defb.instrs.index(v) < defb.instrs.index(user)
        return self.dominates(defb, user.block)


class DomTreeAnalysis(Analysis):
    """Dominator tree of the reachable blocks."""

    name = "domtree"
    description = "dominator tree (Cooper-Harvey-Kennedy)"
    cfg_only = True

    @classmethod
    def compute(cls, target: Any, am: Any) -> DominatorTree:
        return DominatorTree(target)


class DomFrontierAnalysis(Analysis):
    """Dominance frontier of every reachable block: block -> set of blocks."""

    name = "domfrontier"
    description = "dominance frontiers"
    depends = ("domtree",)
    cfg_only = True

    @classmethod
    def compute(cls, target: Any, am: Any) -> dict[Block, set[Block]]:
        dt: DominatorTree = am.get("domtree", target)
        return frontiers(dt.rpo, dt.preds, dt.idom)


def frontiers(blocks: list, preds: dict, idom: dict) -> dict:
    """Dominance frontiers from immediate dominators (Cooper et al., figure 5)."""
    df: dict = {b: set() for b in blocks}
    for b in blocks:
        ps = [p for p in preds.get(b, ()) if p in idom]
        if len(ps) < 2:
            continue
        for p in ps:
            runner = p
            while runner is not None and runner is not idom[b]:
                df[runner].add(b)
                nxt = idom[runner]
                runner = None if nxt is runner else nxt
    return df

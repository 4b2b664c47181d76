"""Dominators of a function's CFG (Cooper, Harvey and Kennedy's iterative algorithm).

This small version is what the verifier and the CFG dumps need; it avoids importing
networkx (about 0.3 s) on paths that only print or run IR. The pass manager's cached
analyses may use networkx; both must agree.
"""
from __future__ import annotations

from typing import Optional

from .core import Block, Function


def reverse_postorder(f: Function) -> list[Block]:
    """Blocks reachable from the entry, in reverse postorder (iterative DFS)."""
    return reverse_postorder_from(f.entry) if f.blocks else []


def reverse_postorder_from(start: Block, within: Optional[set[Block]] = None) -> list[Block]:
    """Blocks reachable from ``start`` (through blocks of ``within`` only, when given),
    in reverse postorder of an iterative depth-first search."""
    seen = {start}
    order: list[Block] = []
    stack = [(start, iter(start.successors()))]
    while stack:
        b, it = stack[-1]
        for s in it:
            if s not in seen and (within is None or s in within):
                seen.add(s)
                stack.append((s, iter(s.successors())))
                break
        else:
            stack.pop()
            order.append(b)
    order.reverse()
    return order


class DomTree:
    """Immediate dominators of the reachable blocks, with a dominance query."""

    def __init__(self, f: Function) -> None:
        self.rpo = reverse_postorder(f)
        index = {b: i for i, b in enumerate(self.rpo)}
        preds: dict[Block, list[Block]] = {b: [] for b in self.rpo}
        for b in self.rpo:
            for s in b.successors():
                if s in preds:
                    preds[s].append(b)
        idom: dict[Block, Optional[Block]] = {b: None for b in self.rpo}
        if self.rpo:
            idom[self.rpo[0]] = self.rpo[0]
        changed = True
        while changed:
            changed = False
            for b in self.rpo[1:]:
                new = None
                for p in preds[b]:
                    if idom[p] is None:
                        continue
                    new = p if new is None else self._intersect(p, new, idom, index)
                if new is not None and idom[b] is not new:
                    idom[b] = new
                    changed = True
        self.idom = idom
        self.preds = preds
        self.depth: dict[Block, int] = {}
        for b in self.rpo:
            d = idom[b]
            self.depth[b] = 0 if d is b or d is None else self.depth[d] + 1

    @staticmethod
    def _intersect(a: Block, b: Block, idom: dict, index: dict) -> Block:
        while a is not b:
            while index[a] > index[b]:
                a = idom[a]
            while index[b] > index[a]:
                b = idom[b]
        return a

    def reachable(self, b: Block) -> bool:
        """Whether ``b`` is reachable from the entry."""
        return b in self.idom

    def dominates(self, a: Block, b: Block) -> bool:
        """Whether ``a`` dominates ``b`` (every block dominates itself)."""
        if a not in self.depth or b not in self.depth:
            return False
        while self.depth[b] > self.depth[a]:
            b = self.idom[b]  # type: ignore[assignment]
        return a is b

    def back_edges(self) -> set[tuple[Block, Block]]:
        """Edges (source, target) whose target dominates their source: loop back edges."""
        return {(b, s) for b in self.rpo for s in b.successors() if self.dominates(s, b)}

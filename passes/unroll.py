"""Loop unrolling, innermost loops only.

Full unrolling: a counted loop (an induction variable from a constant, stepped by a
constant on the only latch, compared with a constant in the header) whose trip count,
found by running the compare and the step with the ops' own folding rules, makes the
copies fit in ``budget`` instructions is replaced by that many copies of its body. Each
copy is a *peeled* iteration, so breaks, errors and effects in the body behave as
before; the header test in each copy is known to pass and becomes a jump.

Partial unrolling (``count=N``): the loop body is copied N-1 times in a chain that
goes back to the original header. Every copy keeps its exit test, so any trip count is
handled; when the trip count is a known constant, its remainder modulo N is peeled
off first and the tests inside the chain, then known to pass, become jumps.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ruchy_opt.ir.core import Block, Function
from ruchy_opt.passmgr import FunctionPass, PassContext
from ruchy_opt.passmgr.loopxform import copy_loop, counted_loop, ensure_preheader, \
    fix_uses_after_copy, loop_size
from ruchy_opt.passmgr.cloning import PredIndex
from ruchy_opt.passmgr.transform import branch_to, delete_blocks, remove_unreachable_blocks

MAX_TRIP = 1024


def _stay_inside(header_copy: Block, stay: int) -> None:
    """The exit test of a copied header is known to pass: jump into the body."""
    t = header_copy.instrs[-1]
    s = t.succs[stay]
    branch_to(header_copy, s.block, list(s.args))


def peel(f: Function, loop: Any, preds: Optional[PredIndex] = None) -> dict:
    """Copy one iteration in front of the loop; returns the block map of the copy.
    A caller that keeps the function's ``preds`` has them updated (and saves a scan
    of the whole function per peeled iteration)."""
    h = loop.header
    entering = preds[h] if preds is not None else f.predecessors()[h]
    outside = [(src, k) for src, k in entering if src not in loop.block_set]
    bmap, vmap = copy_loop(f, loop, "peel.", in_front=True)
    for b in bmap.values():  # the copy's back edges enter the original loop
        for s in b.instrs[-1].succs:
            if s.block is bmap[h]:
                s.block = h
    for src, k in outside:
        src.instrs[-1].succs[k].block = bmap[h]
    if preds is not None:
        preds.update([*bmap.values(), *(src for src, _ in outside)])
    fix_uses_after_copy(f, loop, [vmap], loop.block_set | set(bmap.values()), preds)
    return bmap


def unroll_chain(f: Function, loop: Any, count: int) -> list[dict]:
    """Chain ``count - 1`` copies of the body after the original one; the last copy's
    back edge returns to the original header. Returns the copies' block maps."""
    h = loop.header
    latch = loop.latches[0]
    copies = [copy_loop(f, loop, f"unroll{k}.") for k in range(1, count)]
    heads = [h] + [bmap[h] for bmap, _ in copies]
    latches = [latch] + [bmap[latch] for bmap, _ in copies]
    for k, lt in enumerate(latches):
        nxt = heads[(k + 1) % count]
        for s in lt.instrs[-1].succs:
            if s.block in (h, heads[k]):
                s.block = nxt
    blocks = set(loop.block_set)
    for bmap, _ in copies:
        blocks |= set(bmap.values())
    fix_uses_after_copy(f, loop, [vmap for _, vmap in copies], blocks)
    return [bmap for bmap, _ in copies]


@dataclass(frozen=True)
class Unroll(FunctionPass):
    """Unroll loops: fully when the trip count is constant and small, by count=N
    otherwise (remainder handled)."""

    name = "unroll"
    requires = ("loops",)
    count: int = 0        # partial unrolling factor (0: full unrolling only)
    budget: int = 400     # most instructions a loop may grow to
    #: most instructions unrolling may add to one function: an inlined top level of a
    #: hundred small functions called with constants would otherwise grow by a budget
    #: per loop, and every later pass and LLVM pay for that code, which runs once
    total: int = 4000

    def check_params(self) -> Optional[str]:
        if self.count < 0 or self.count == 1:
            return "count must be 0 (full unrolling only) or at least 2"
        if self.total <= 0:
            return "total must be positive"
        return "budget must be positive" if self.budget <= 0 else None

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        """Unroll the innermost loops. The work per loop does not grow with the
        function: the predecessors are kept up to date (PredIndex), a fully unrolled
        loop's dead blocks are known without a reachability pass, and the loops
        analysis is recomputed only when an unrolled loop touched the next one."""
        by_header = self._loops(func, ctx, False)
        todo = [h for h, lp in by_header.items() if not lp.children]
        changed = False
        preds: Optional[PredIndex] = None
        edits = _Edits()
        spent = [0]  # instructions added to this function so far (see ``total``)
        for header in todo:
            lp = by_header.get(header)
            if lp is not None and edits.affect(lp):
                by_header = self._loops(func, ctx, True)
                edits = _Edits()
                lp = by_header.get(header)
            if lp is None or lp.children:
                continue
            if preds is None:
                preds = PredIndex(func)
            entering = [src for src, _ in preds[header] if src not in lp.block_set]
            pre, made = ensure_preheader(func, lp, preds)
            if made:
                changed = True
                edits.strong.update([pre, *entering])
            done = self._unroll(func, lp, ctx, preds, spent)
            if done is None:
                continue
            changed = True
            edits.strong |= lp.block_set
            edits.exits.update(s.block for b in lp.blocks for s in b.instrs[-1].succs
                               if s.block not in lp.block_set)
            if done:  # the original body is dead, and only it: delete it
                dead = [b for b in lp.blocks if b is not header]
                preds.remove(dead)
                delete_blocks(func, dead)
            else:     # anything may have become unreachable: look at everything
                remove_unreachable_blocks(func)
                preds = None
                edits.stale = True
        return changed

    @staticmethod
    def _loops(func: Function, ctx: PassContext, stale: bool) -> dict[Block, Any]:
        """The loops by header, from the loops analysis (recomputed if ``stale``)."""
        if stale:
            ctx.analyses.invalidate(func)
        return {lp.header: lp for lp in ctx.analysis("loops", func).loops}

    def _unroll(self, f: Function, lp: Any, ctx: PassContext, preds: PredIndex,
                spent: list[int]) -> Optional[bool]:
        """Unroll ``lp``: None if it was left alone; True if it was fully unrolled
        and exactly its blocks other than the header are dead (every edge into them came
        from the header, which now leaves the loop; every exit is still reached, from
        the copies, or with no trip because it is where the header leaves); False
        otherwise (``preds`` is then out of date and anything may be unreachable).
        ``spent[0]`` counts the instructions the function has grown by."""
        size = loop_size(lp)
        cl = counted_loop(f, lp)
        trip = cl.trip_count(min(MAX_TRIP, self.budget // max(size, 1))) if cl else None
        if cl is not None and trip is not None and (self.count == 0 or trip <= self.count):
            if spent[0] + trip * size > self.total:
                ctx.stat("loops left rolled: the function's unrolling total is spent")
                return None
            spent[0] += trip * size
            for _ in range(trip):
                head = peel(f, lp, preds)[lp.header]
                _stay_inside(head, cl.stay)
                preds.update([head])
            t = lp.header.instrs[-1]
            out = t.succs[1 - cl.stay]
            branch_to(lp.header, out.block, list(out.args))
            preds.update([lp.header])
            ctx.stat("loops fully unrolled")
            # with no trip, blocks that only the body branched to (other than where the
            # header leaves) may be dead too
            return trip > 0 or all(s.block is out.block or s.block in lp.block_set
                                   for b in lp.blocks for s in b.instrs[-1].succs)
        if self.count < 2 or len(lp.latches) != 1 or size * self.count > self.budget \
                or spent[0] + size * self.count > self.total:
            return None
        spent[0] += size * self.count
        exact = cl is not None and cl.trip_count(MAX_TRIP) is not None
        if exact:
            trip = cl.trip_count(MAX_TRIP)  # type: ignore[union-attr]
            for _ in range(trip % self.count):  # type: ignore[operator]
                _stay_inside(peel(f, lp)[lp.header], cl.stay)  # type: ignore[union-attr]
        copies = unroll_chain(f, lp, self.count)
        if exact:
            for bmap in copies:
                _stay_inside(bmap[lp.header], cl.stay)  # type: ignore[union-attr]
        ctx.stat("loops unrolled by count")
        return False


class _Edits:
    """What unrolling changed since the loops analysis was computed, to tell whether
    another loop's description is still right without recomputing it."""

    def __init__(self) -> None:
        self.stale = False
        #: blocks deleted, copied, made, or whose branches changed
        self.strong: set[Block] = set()
        #: blocks that gained predecessors (the exits of unrolled loops). A loop whose
        #: preheader is one of them is still described right; one whose header is not.
        self.exits: set[Block] = set()

    def affect(self, lp: Any) -> bool:
        """Whether ``lp`` as the analysis found it may no longer be right."""
        return self.stale or lp.header in self.exits or lp.preheader in self.strong \
            or not self.strong.isdisjoint(lp.block_set)

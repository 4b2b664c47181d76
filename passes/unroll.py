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
from ruchy_opt.passmgr.transform import branch_to, remove_unreachable_blocks

MAX_TRIP = 1024


def _stay_inside(header_copy: Block, stay: int) -> None:
    """The exit test of a copied header is known to pass: jump into the body."""
    t = header_copy.instrs[-1]
    s = t.succs[stay]
    branch_to(header_copy, s.block, list(s.args))


def peel(f: Function, loop: Any) -> dict:
    """Copy one iteration in front of the loop; returns the block map of the copy."""
    h = loop.header
    outside = [(src, k) for src, k in f.predecessors()[h] if src not in loop.block_set]
    bmap, vmap = copy_loop(f, loop, "peel.", in_front=True)
    for b in bmap.values():  # the copy's back edges enter the original loop
        for s in b.instrs[-1].succs:
            if s.block is bmap[h]:
                s.block = h
    for src, k in outside:
        src.instrs[-1].succs[k].block = bmap[h]
    fix_uses_after_copy(f, loop, [vmap], loop.block_set | set(bmap.values()))
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

    def check_params(self) -> Optional[str]:
        if self.count < 0 or self.count == 1:
            return "count must be 0 (full unrolling only) or at least 2"
        return "budget must be positive" if self.budget <= 0 else None

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        loops = ctx.analysis("loops", func)
        todo = [lp.header for lp in loops.loops if not lp.children]
        changed = False
        for header in todo:
            lp = self._refresh(func, ctx, header)
            if lp is None or lp.children:
                continue
            pre, made = ensure_preheader(func, lp)
            if made:
                changed = True
                lp = self._refresh(func, ctx, header)
            if lp is not None and self._unroll(func, lp, ctx):
                changed = True
                remove_unreachable_blocks(func)
            ctx.analyses.invalidate(func)
        return changed

    @staticmethod
    def _refresh(func: Function, ctx: PassContext, header: Block) -> Any:
        ctx.analyses.invalidate(func)
        return next((lp for lp in ctx.analysis("loops", func).loops
                     if lp.header is header), None)

    def _unroll(self, f: Function, lp: Any, ctx: PassContext) -> bool:
        size = loop_size(lp)
        cl = counted_loop(f, lp)
        trip = cl.trip_count(min(MAX_TRIP, self.budget // max(size, 1))) if cl else None
        if cl is not None and trip is not None and (self.count == 0 or trip <= self.count):
            for _ in range(trip):
                _stay_inside(peel(f, lp)[lp.header], cl.stay)
            t = lp.header.instrs[-1]
            out = t.succs[1 - cl.stay]
            branch_to(lp.header, out.block, list(out.args))
            ctx.stat("loops fully unrolled")
            return True
        if self.count < 2 or len(lp.latches) != 1 or size * self.count > self.budget:
            return False
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
        return True

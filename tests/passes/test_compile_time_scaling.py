"""Compile time must grow linearly with the program (issue 5): the passes that run at
tier 2 do per-loop and per-call work that does not depend on the size of the function
they edit. These tests check that structurally (how often a whole function is
scanned), never by timing, and that the shortcuts taken for it give the same IR as
the slow way (same behaviour, same blocks)."""
from __future__ import annotations

import pytest

from pass_diff import check_pipeline, fresh_copy, lower
from ruchy_opt.ir import core
from ruchy_opt.ir import dominance
from ruchy_opt.ir.printer import print_module
from ruchy_opt.passmgr import run_passes
from ruchy_opt.passmgr.analyses.loops import LoopInfo
from ruchy_opt.passmgr.analyses.dominance import DominatorTree
from ruchy_opt.passmgr.cloning import PredIndex, region_rpo, rpo_of
from ruchy_opt.passmgr.transform import remove_unreachable_blocks


def many_loops(n: int) -> str:
    """A top level of ``n`` counted loops of varied shapes: plain, with a break (an
    exit from the body), with no trip at all (its body becomes unreachable), nested (the
    inner one is unrolled), one after another (an exit that is the next preheader)."""
    out = ["let mut total = 0"]
    for i in range(n):
        k = i % 5
        if k == 0:
            out.append(f"for j in 0..{3 + i % 4} {{ total += j * {i + 1} }}")
        elif k == 1:
            out.append(f"for j in 0..6 {{ if j == {i % 4} {{ break }} total -= j }}")
        elif k == 2:
            out.append(f"for j in 5..{i % 2 + 3} {{ total += 1000 }}")
        elif k == 3:
            out.append(f"let mut w = 0\nwhile w < 3 {{ for j in 0..2 {{ total += w * j }} "
                       f"w += 1 }}")
        else:
            out.append(f"let mut s = 0\nfor j in 0..3 {{ s += j }}\nfor j in 0..2 {{ s *= 2 }}"
                       f"\ntotal += s")
        out.append("println(total)")
    return "\n".join(out) + "\n"


class _Scans:
    """Counts whole-function scans: predecessors() and reverse_postorder()."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real_preds = core.Function.predecessors
        real_rpo = dominance.reverse_postorder

        def preds(f):
            self.count += 1
            return real_preds(f)

        def rpo(f):
            self.count += 1
            return real_rpo(f)
        monkeypatch.setattr(core.Function, "predecessors", preds)
        for mod in ("ruchy_opt.ir.dominance", "ruchy_opt.passmgr.transform",
                    "ruchy_opt.passmgr.cloning"):
            monkeypatch.setattr(f"{mod}.reverse_postorder", rpo)


#: what -O2 runs before unroll, so that the loops are counted ones
BEFORE_UNROLL = "fixpoint(sccp,constfold,simplifycfg,gvn,dce),licm"


def _unroll_scans(monkeypatch: pytest.MonkeyPatch, n: int) -> int:
    m = lower(many_loops(n))
    run_passes(m, BEFORE_UNROLL)  # loops as the -O2 pipeline hands them to unroll
    scans = _Scans(monkeypatch)
    run_passes(m, "unroll")
    monkeypatch.undo()
    return scans.count


def test_unroll_scans_the_function_a_bounded_number_of_times(monkeypatch) -> None:
    small = _unroll_scans(monkeypatch, 10)
    large = _unroll_scans(monkeypatch, 60)
    assert large <= small + 2, (small, large)


def test_unroll_on_many_loops_behaves_and_leaves_nothing_unreachable() -> None:
    m = lower(many_loops(25))
    for pipeline in ("unroll", f"{BEFORE_UNROLL},unroll", f"{BEFORE_UNROLL},unroll,sccp,dce"):
        text = check_pipeline(m, pipeline)
        assert "peel." in text or pipeline == "unroll"
    opt = fresh_copy(m)
    run_passes(opt, f"{BEFORE_UNROLL},unroll", verify_each=True)
    for f in opt.functions.values():
        assert not remove_unreachable_blocks(f), f"{f.name} kept unreachable blocks"


def test_pred_index_follows_edits() -> None:
    m = lower(many_loops(10))
    run_passes(m, "simplifycfg")
    f = max(m.functions.values(), key=lambda g: len(g.blocks))
    index = PredIndex(f)

    def same() -> None:
        expect = f.predecessors()
        for b in f.blocks:
            assert index[b] == expect.get(b, []), b.name
    same()
    # swap the edges of every other conditional branch; send every other plain jump
    # without arguments to one block without parameters
    target = next(b for b in f.blocks[1:] if not b.params)
    changed = []
    for k, b in enumerate(f.blocks):
        t = b.terminator
        if t is not None and t.op.name == "cond_br" and k % 2:
            t.succs.reverse()
            changed.append(b)
        elif t is not None and t.op.name == "br" and not t.succs[0].args and k % 2:
            t.succs[0].block = target
            changed.append(b)
    assert changed
    index.update(changed)
    same()
    dead = [b for b in f.blocks if not index[b] and b is not f.entry]
    index.remove(dead)
    f.blocks = [b for b in f.blocks if b not in set(dead)]
    same()


def test_region_rpo_is_the_functions_order_of_the_loop() -> None:
    m = lower(many_loops(15))
    for f in m.functions.values():
        info = LoopInfo(f, DominatorTree(f))
        for lp in info.loops:
            assert region_rpo(lp.header, lp.block_set) == rpo_of(f, lp.blocks)


class _FreshPreds:
    """What PredIndex stands for: the predecessors read anew at every question."""

    def __init__(self, f) -> None:
        self.f = f

    def update(self, blocks) -> None:
        pass

    def remove(self, blocks) -> None:
        pass

    def get(self, b, default=None):
        return self.f.predecessors().get(b, [] if default is None else default)

    __getitem__ = get


def test_unroll_result_does_not_depend_on_the_shortcuts(monkeypatch) -> None:
    """The same IR text with the shortcuts (kept predecessors, loops analysis reused,
    dead bodies known) as with every question answered from scratch."""
    import passes.unroll as unroll
    m = lower(many_loops(20))
    run_passes(m, BEFORE_UNROLL)
    fast = fresh_copy(m)
    run_passes(fast, "unroll")
    assert "peel." in print_module(fast)
    monkeypatch.setattr(unroll, "PredIndex", _FreshPreds)
    monkeypatch.setattr(unroll._Edits, "affect", lambda self, lp: True)
    slow = fresh_copy(m)
    run_passes(slow, "unroll")
    for f in slow.functions.values():
        remove_unreachable_blocks(f)
    assert print_module(fast) == print_module(slow)


def test_unroll_growth_of_a_function_is_bounded_by_total() -> None:
    """A top level of many loops called with constants grows by at most ``total``
    instructions however many loops it has (each alone would fit the budget)."""
    m = lower(many_loops(60))
    run_passes(m, BEFORE_UNROLL)
    before = sum(len(b.instrs) for f in m.functions.values() for b in f.blocks)
    text = check_pipeline(m, "unroll<total=300>")
    assert "peel." in text
    after = fresh_copy(m)
    run_passes(after, "unroll<total=300>")
    grown = sum(len(b.instrs) for f in after.functions.values() for b in f.blocks) - before
    assert grown <= 300
    unlimited = fresh_copy(m)
    run_passes(unlimited, "unroll<total=100000>")
    assert sum(len(b.instrs) for f in unlimited.functions.values() for b in f.blocks) \
        - before > 300

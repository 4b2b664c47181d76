"""The pass manager's own machinery: pipelines as values, the lazy registry, the
analysis manager and its invalidation, the analyses (checked against networkx), and
the runner's contract with passes."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

from pass_diff import lower
from ruchy_opt.ir.parser import parse_module
from ruchy_opt.passmgr import (PRESERVES_CFG, FunctionPass, PassFailure, PassRunner,
                               PipelineError, Registry, format_pipeline, parse_pipeline,
                               run_passes)
from ruchy_opt.passmgr.analysis import AnalysisManager

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(Path("/work/shared/examples").glob("*.ruchy"))


@pytest.mark.parametrize("text", [
    "dce", "inline<threshold=100>,sccp", "unroll<count=4;budget=50>",
    "repeat<3>(sccp,dce)", "fixpoint(sccp,simplifycfg,dce)",
    "fixpoint<max=5>(gvn,repeat<2>(constfold))", "typespec<deopt;no-assume>",
    "inline<no-prune>"])
def test_pipeline_text_round_trips(text: str) -> None:
    reg = Registry()
    p = parse_pipeline(text, reg)
    assert format_pipeline(p) == text
    assert parse_pipeline(format_pipeline(p), reg) == p


def test_defaults_print_as_the_bare_name_and_spellings_normalise() -> None:
    reg = Registry()
    assert format_pipeline(parse_pipeline("inline<threshold=50>", reg)) == "inline"
    assert format_pipeline(parse_pipeline(" module( function( sccp , dce ) ) ", reg)) \
        == "sccp,dce"
    assert format_pipeline(parse_pipeline("fixpoint<max=20>(dce)", reg)) == "fixpoint(dce)"
    o1 = parse_pipeline("default<O1>", reg)
    assert format_pipeline(o1) == "sccp,constfold,simplifycfg,dce"


@pytest.mark.parametrize("text, message", [
    ("dce,,sccp", "expected a pass name, found ','"),
    ("repeat(dce)", "repeat takes a count"),
    ("fixpoint<max=0>(dce)", "fixpoint takes at most one parameter"),
    ("dce(sccp)", "does not take a nested pipeline"),
    ("default<O7>", "default takes an optimization level"),
    ("unroll<count=1>", "count must be 0 (full unrolling only) or at least 2"),
    ("inline<prune=maybe>", "takes a bool, not 'maybe'"),
    ("gvn<x>", "has no parameter 'x' (its parameters: none)"),
    ("repeat<2>()", "empty nested pipeline"),
])
def test_pipeline_errors(text: str, message: str) -> None:
    with pytest.raises(PipelineError, match=None) as e:
        parse_pipeline(text, Registry())
    assert message in str(e.value)


def test_registry_imports_only_what_is_named() -> None:
    code = ("import sys; from ruchy_opt.cli import main; "
            "rc = main(['--passes=dce', sys.argv[1]]); "
            "print(rc, 'passes.licm' in sys.modules, 'networkx' in sys.modules, "
            "'passes.dce' in sys.modules)")
    p = subprocess.run([sys.executable, "-c", code, str(EXAMPLES[0])], capture_output=True,
                       text=True, timeout=60)
    assert p.stdout.strip().splitlines()[-1] == "0 False False True", p.stderr


def test_start_up_without_passes_imports_no_pass_manager() -> None:
    code = ("import sys; from ruchy_opt.cli import main; main(['--emit=ast', sys.argv[1]]); "
            "print(sorted(m for m in sys.modules if m.startswith(('ruchy_opt.passmgr.r', "
            "'passes', 'networkx'))))")
    p = subprocess.run([sys.executable, "-c", code, str(EXAMPLES[0])], capture_output=True,
                       text=True, timeout=60)
    assert p.stdout.strip().splitlines()[-1] == "[]", p.stdout + p.stderr


FUNC = """
func @f(%n: i64) {
^entry:
  %0 = const 0
  %1 = const 1
  br ^head(%0)
^head(%i: i64):
  %c = lt.i64 %i, %n
  cond_br %c, ^body, ^exit
^body:
  %i2 = add.i64 %i, %1
  br ^head(%i2)
^exit:
  ret %i
}
"""


def test_analysis_cache_and_invalidation() -> None:
    m = parse_module(FUNC)
    f = m.functions["f"]
    am = AnalysisManager()
    dt = am.get("domtree", f)
    assert am.get("domtree", f) is dt
    lv = am.get("liveness", f)
    loops = am.get("loops", f)
    am.invalidate(f, PRESERVES_CFG)   # instructions changed, blocks did not
    assert am.get("domtree", f) is dt and am.get("loops", f) is loops
    assert am.get("liveness", f) is not lv
    am.invalidate(f, ("liveness",))   # keeps liveness, drops domtree and what uses it
    assert am.cached("domtree", f) is None and am.cached("loops", f) is None
    assert am.cached("liveness", f) is not None
    assert am.timings["domtree"][0] == 1 and am.timings["liveness"][0] == 2


def test_unchanged_passes_keep_analyses() -> None:
    seen = []

    @dataclass(frozen=True)
    class Peek(FunctionPass):
        name = "peek"

        def run_on_function(self, func, ctx) -> bool:
            seen.append(ctx.analysis("domtree", func))
            return False

    m = parse_module(FUNC)
    PassRunner().run(m, (Peek(), Peek()))
    assert seen[0] is seen[1]


def test_a_pass_must_say_whether_it_changed_anything() -> None:
    @dataclass(frozen=True)
    class Forgetful(FunctionPass):
        name = "forgetful"

        def run_on_function(self, func, ctx):
            return None

    with pytest.raises(PassFailure, match="returned None; it must return True"):
        PassRunner().run(parse_module(FUNC), (Forgetful(),))


def test_run_passes_api() -> None:
    m = parse_module(FUNC)
    assert run_passes(m, "unroll<count=2>", verify_each=True) is True
    assert run_passes(m, "dce") is False


def _lowered(path: Path):
    """The module of a program, or None for one that uses Level 3 where the IR needs it
    (refused until the Level 3 IR exists: ruchy_opt/lower/level3.py) or that has a
    static error (l3_err_unknown_field_lit)."""
    from ruchy_opt.errors import RuchySyntaxError
    try:
        return lower(path.read_text(), str(path))
    except RuchySyntaxError:
        return None


def _functions():
    for path in EXAMPLES:
        m = _lowered(path)
        for f in (m.functions.values() if m is not None else ()):
            yield f


def _graph(f):
    g = nx.DiGraph()
    g.add_nodes_from(f.blocks)
    for b in f.blocks:
        for s in b.successors():
            g.add_edge(b, s)
    return g


def test_dominators_and_frontiers_agree_with_networkx() -> None:
    n = 0
    for f in _functions():
        am = AnalysisManager()
        dt = am.get("domtree", f)
        g = _graph(f)
        want = nx.immediate_dominators(g, f.entry)
        want.pop(f.entry, None)  # networkx versions differ on listing the root
        assert {b: dt.idom[b] for b in dt.rpo if b is not f.entry} == want
        df = am.get("domfrontier", f)
        assert {b: s for b, s in df.items()} == {b: set(s) for b, s in
                                                 nx.dominance_frontiers(g, f.entry).items()}
        n += 1
    assert n > 10


def test_loops_and_liveness_are_consistent() -> None:
    for f in _functions():
        am = AnalysisManager()
        dt = am.get("domtree", f)
        loops = am.get("loops", f)
        back = dt.back_edges()
        assert {(lt, lp.header) for lp in loops.loops for lt in lp.latches} == back
        for lp in loops.loops:
            assert all(dt.dominates(lp.header, b) for b in lp.blocks)
            assert all(e not in lp.block_set for e in lp.exits)
            if lp.parent is not None:
                assert lp.block_set < lp.parent.block_set
            if lp.preheader is not None:
                assert lp.preheader.successors() == [lp.header]
        live = am.get("liveness", f)
        for b in f.blocks:
            for v in live.live_in[b]:  # a value live into b is defined before b
                assert v not in b.params and getattr(v, "block", None) is not b \
                    or b in b.successors()


def test_call_graph_recursion() -> None:
    m = lower((ROOT / "tests" / "programs" / "recursion.ruchy").read_text())
    cg = AnalysisManager().get("callgraph", m)
    assert cg.is_recursive("fact") if "fact" in m.functions else True
    order = cg.bottom_up()
    for caller, callee in cg.graph.edges:
        if not cg.same_scc(caller, callee):
            assert order.index(callee) < order.index(caller)


def test_post_dominators_and_sccs_agree_with_networkx() -> None:
    from ruchy_opt.passmgr.analyses.postdom import EXIT
    for f in _functions():
        pdt = AnalysisManager().get("postdomtree", f)
        g = _graph(f).reverse()
        g.add_node(EXIT)
        for b in f.blocks:
            if not b.successors():
                g.add_edge(EXIT, b)
        want = nx.immediate_dominators(g, EXIT)
        want.pop(EXIT, None)
        assert {b: (EXIT if d is None else d) for b, d in pdt.ipdom.items()} == want
        fr = nx.dominance_frontiers(g, EXIT)
        assert {b: s for b, s in pdt.frontier.items()} == \
            {b: {x for x in s if x != EXIT} for b, s in fr.items() if b != EXIT}
    for path in [*EXAMPLES, *sorted((ROOT / "tests" / "programs").glob("*.ruchy"))]:
        if path.name.startswith("syn_"):
            continue
        m = _lowered(path)
        if m is None:
            continue
        cg = AnalysisManager().get("callgraph", m)
        assert sorted(map(sorted, cg.sccs)) == \
            sorted(map(sorted, nx.strongly_connected_components(cg.graph)))


class _FakeDist:
    name, version = "ruchy-opt-broken", "9.9"


class _FakeEntryPoint:
    """Stands in for an importlib.metadata entry point of an installed package."""

    def __init__(self, name: str, value: str, load) -> None:
        self.name, self.value, self.dist, self._load = name, value, _FakeDist(), load

    def load(self):
        return self._load()


def _registry_with(*eps: _FakeEntryPoint) -> Registry:
    reg = Registry()
    reg._entry_points = {ep.name: ep for ep in eps}
    return reg


def test_entry_point_plugins_are_lazy_and_named_in_errors() -> None:
    @dataclass(frozen=True)
    class Fine(FunctionPass):
        """A fine pass."""
        name = "fine"

        def run_on_function(self, func, ctx) -> bool:
            return False

    def broken():
        raise ImportError("cannot import name 'x'")

    loads = []
    reg = _registry_with(
        _FakeEntryPoint("fine", "pkg:Fine", lambda: loads.append(1) or Fine),
        _FakeEntryPoint("broken", "pkg.bad:Pass", broken),
        _FakeEntryPoint("weird", "pkg:thing", lambda: 42))
    assert "fine" in reg.names() and loads == []          # listed without importing
    assert reg.get("fine").origin == "package ruchy-opt-broken 9.9" and loads == [1]
    with pytest.raises(Exception) as e:
        reg.get("broken")
    assert "plugin package ruchy-opt-broken (entry point 'broken = pkg.bad:Pass') " \
           "failed to import: ImportError: cannot import name 'x'" in str(e.value)
    with pytest.raises(Exception, match="must name a pass class or a module of passes"):
        reg.get("weird")
    errors: list[str] = []
    names = [i.name for i in reg.all(errors)]
    assert "fine" in names and "dce" in names and len(errors) == 2


def test_plugin_pass_names_cannot_take_a_builtin_name() -> None:
    @dataclass(frozen=True)
    class Impostor(FunctionPass):
        name = "dce"

        def run_on_function(self, func, ctx) -> bool:
            return False

    reg = _registry_with(_FakeEntryPoint("dce2", "pkg:Impostor", lambda: Impostor))
    with pytest.raises(Exception, match="pass name 'dce' is already taken"):
        reg.get("dce2")

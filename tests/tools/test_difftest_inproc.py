"""tools/difftest_inproc.py: tier 0 and the IR run in worker processes give what a
process per run gives, byte for byte; a planted bug is still a disagreement; a run that
never ends is a timeout (its worker killed and replaced); a run leaves no global state
behind."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import difftest as D  # noqa: E402
import difftest_inproc as I  # noqa: E402

#: a pass plugin with a planted bug: every integer constant is one more than it was
OFF_BY_ONE = '''
from dataclasses import dataclass
from ruchy_opt.passmgr import PRESERVES_CFG, FunctionPass


@dataclass(frozen=True)
class OffByOne(FunctionPass):
    """Add one to every integer constant (a planted bug)."""

    name = "off-by-one"
    preserves = PRESERVES_CFG

    def run_on_function(self, func, ctx) -> bool:
        changed = False
        for instr in list(func.instructions()):
            if instr.opname == "const" and type(instr.imms[0]) is int:
                instr.imms = (instr.imms[0] + 1,)
                changed = True
        return changed
'''

#: programs that end otherwise than well (each path of the CLI's exit must be the
#: same), and the tiers to run each at
EDGE_PROGRAMS = {
    "div.ruchy": ("let z = 0\nprintln(\"before\")\nprintln(10 / z)\n", ("0", "ir")),
    "exit.ruchy": ("println(\"bye\")\nstd::process::exit(7)\n", ("0",)),
    "syntax.ruchy": ("let x = (1 +\n", ("ir",)),
    "stdin.ruchy": ("let s = read_line()\nprintln(s.len())\n", ("0",)),
    "deep.ruchy": ("fun f(n) { if n == 0 { 0 } else { 1 + f(n - 1) } }\nprintln(f(5000))\n",
                   ()),
}


@pytest.fixture
def runner(tmp_path):
    """A difftest.Runner whose tier 0 and IR runs go to workers."""
    r = D.Runner(str(tmp_path / "cache"), timeout=120)
    r.use_workers()
    yield r
    r.close()


def test_workers_print_what_processes_print(tmp_path, runner):
    # raw (status, stdout, stderr), not just outcomes: generated programs under the IR
    # configurations (one pass of ir-each among them), and programs that fail
    plain = D.Runner(str(tmp_path / "cache"), timeout=120)
    gen = D.Generator(structs=True)
    cases = []
    seed = 900003
    path = tmp_path / f"gen{seed}.ruchy"
    path.write_text(gen.program(seed))
    cases += [(opts, path) for opts in (D.ORACLE, D.options_for("ir-O2", seed),
                                        D.options_for("ir-pipe", seed),
                                        D.runs_of("ir-each", seed)[-1][1])]
    for name, (text, tiers) in EDGE_PROGRAMS.items():
        (tmp_path / name).write_text(text)
        cases += [([f"--tier={t}"], tmp_path / name) for t in tiers]
    for options, path in cases:
        assert I.in_process_tier(options)
        want = plain.in_child(options, path)
        assert runner(options, path) == want, (options, path.name)
    assert runner.pool is not None and runner.pool.started == 1  # one worker ran them all
    # the edge programs did end otherwise than well
    div, exit_, syntax = (runner(D.ORACLE, tmp_path / n) for n in
                          ("div.ruchy", "exit.ruchy", "syntax.ruchy"))
    assert div[0] == 1 and div[1] == "before\n" and "division by zero" in div[2]
    assert exit_[:2] == (7, "bye\n") and syntax[0] == 1


def test_compiled_tiers_keep_their_processes():
    assert not I.in_process_tier(["--tier=2"])
    assert not I.in_process_tier(["--tier=auto", "--jit-scale=0"])
    assert I.in_process_tier(D.CONFIGS["ir-O2"]) and I.in_process_tier(D.ORACLE)


def _no_child_processes(monkeypatch):
    """Make a run in a process of its own fail the test: everything must go to workers."""
    def refuse(self, options, path, cwd=None, timeout=None):
        raise AssertionError(f"run in a process of its own: {options}")
    monkeypatch.setattr(D.Runner, "in_child", refuse)


def test_a_planted_bug_is_a_mismatch_in_process(tmp_path, capsys, monkeypatch):
    plugin = tmp_path / "offbyone.py"
    plugin.write_text(OFF_BY_ONE)
    load = f"--load-pass-plugin={plugin}"
    monkeypatch.setitem(D.CONFIGS, "ir-broken", ["--tier=ir", load, "--passes=off-by-one"])
    # ir-each with the planted pass among the built-in ones: it names the guilty pass
    monkeypatch.setitem(D.CONFIGS, "ir-each", ["--tier=ir", load, "--verify-each"])
    monkeypatch.setattr(D, "each_passes", lambda: ("dce", "off-by-one"))
    _no_child_processes(monkeypatch)
    out, state = tmp_path / "out", tmp_path / "s.jsonl"
    status = D.main(["--structs", "--seeds", "900001:900002", "--configs",
                     "ir,ir-broken,ir-each", "--jobs", "1", "--out", str(out),
                     "--state", str(state)])
    printed = capsys.readouterr().out
    assert status == 1, printed
    assert "seed 900001: ir-broken, ir-each (after off-by-one) disagree with tier 0" \
        in printed
    recs = D.State(state, D.Generator(structs=True)).records
    assert {c: r["outcome"] for (_, c), r in recs.items()} == \
        {"ir": "agree", "ir-broken": "mismatch", "ir-each": "mismatch"}
    assert recs[(900001, "ir-each")]["passes"] == ["off-by-one"]
    diff = (out / "gen900001.ir-each.diff.txt").read_text()
    assert "--passes=off-by-one" in diff and (out / "gen900001.ruchy").exists()


def test_a_run_that_never_ends_is_a_timeout_and_its_worker_replaced(tmp_path, capsys,
                                                                     monkeypatch):
    real = D.Generator.program

    def program(self, seed):  # the first program loops forever
        return "let mut i = 0\nwhile i >= 0 { i = i + 1 - 1 }\n" if seed == 0 \
            else real(self, seed)
    monkeypatch.setattr(D.Generator, "program", program)
    started = []
    make = D.Runner.use_workers

    def use_workers(self, label=""):
        make(self, label)
        started.append(self.pool)
    monkeypatch.setattr(D.Runner, "use_workers", use_workers)
    _no_child_processes(monkeypatch)
    state = tmp_path / "s.jsonl"
    status = D.main(["--seeds", "0:2", "--size", "6", "--configs", "ir", "--jobs", "1",
                     "--timeout", "3", "--out", str(tmp_path / "out"),
                     "--state", str(state)])
    printed = capsys.readouterr().out
    assert status == 0, printed
    assert "seed 0: ir timed out" in printed
    recs = D.State(state, D.Generator(size=6)).records
    assert {s: r["outcome"] for (s, _), r in recs.items()} == {0: "timeout", 1: "agree"}
    # tier 0 and the IR each timed out on seed 0 (a worker killed each time)
    assert started[0].started == 3


def test_a_run_leaves_no_global_state_behind(tmp_path, monkeypatch):
    from ruchy_opt.ir import load
    from ruchy_opt.runtime import io as program_io
    monkeypatch.chdir(tmp_path)
    for name in ("deep.ruchy", "exit.ruchy"):
        (tmp_path / name).write_text(EDGE_PROGRAMS[name][0])
    before = (sys.stdout, sys.stderr, sys.stdin, sys.getrecursionlimit(), os.getcwd(),
              dict(os.environ), list(program_io.ARGS))
    # tier 0 raises the recursion limit, the CLI sets the program's arguments, the IR
    # keeps its lowering in load's cache, std::process::exit raises SystemExit
    deep = I.run_in_process(["--tier=0"], "deep.ruchy", cwd=str(tmp_path))
    ir = I.run_in_process(["--tier=ir", "-O2"], "deep.ruchy", cwd=str(tmp_path))
    bye = I.run_in_process(["--tier=0"], str(tmp_path / "exit.ruchy"))
    assert deep == ir == (0, "5000\n", "")
    assert bye == (7, "bye\n", "")
    after = (sys.stdout, sys.stderr, sys.stdin, sys.getrecursionlimit(), os.getcwd(),
             dict(os.environ), list(program_io.ARGS))
    assert after == before
    assert load._cache == {}


def test_a_lowering_is_shared_by_copies(tmp_path, monkeypatch):
    from ruchy_opt.ir import load
    monkeypatch.setattr(load, "lower_ruchy", load.lower_ruchy)  # put back afterwards
    memo = I.LoweringMemo()
    memo.install()
    path = tmp_path / "p.ruchy"
    path.write_text(D.Generator(structs=True).program(900002))
    plain = I.run_in_process(["--tier=ir"], str(path))
    # the passes change the copies they get, never the lowering the next run copies
    for opts in (["--tier=ir", "-O2"], ["--tier=ir", "--passes=sroa,dce"], ["--tier=ir"]):
        assert I.run_in_process(opts, str(path)) == plain
    assert memo.lowered == 1 and plain[0] == 0 and plain[1]
    path.write_text("println(1 + 2)\n")  # another text: lowered anew
    assert I.run_in_process(["--tier=ir"], str(path)) == (0, "3\n", "")
    assert memo.lowered == 2


def test_worker_protocol_survives_output_of_any_kind(tmp_path, runner):
    # a run's output is carried in JSON lines: newlines, quotes, backslashes and
    # non-ASCII text arrive intact, on stdout and stderr
    text = 'println("a\\"b\\\\c")\nprintln("\u00e9\U0001F600")\neprintln("x")\n'
    (tmp_path / "p.ruchy").write_text(text, encoding="utf-8")
    assert runner(D.ORACLE, tmp_path / "p.ruchy") == \
        (0, 'a"b\\c\n\u00e9\U0001F600\n', "x\n")


def test_a_campaign_has_the_same_outcomes_both_ways(tmp_path):
    outcomes = []
    for how in (["--subprocess"], []):
        state = tmp_path / f"s{len(outcomes)}.jsonl"
        assert D.main(["--seeds", "5:7", "--size", "8", "--configs", "ir,ir-O2",
                       "--jobs", "2", "--out", str(tmp_path / "out"),
                       "--state", str(state)] + how) == 0
        recs = D.State(state, D.Generator(size=8)).records
        outcomes.append({k: r["outcome"] for k, r in recs.items()})
    assert outcomes[0] == outcomes[1] and len(outcomes[0]) == 4


def test_reduce_works_in_process(tmp_path, capsys, monkeypatch):
    plugin = tmp_path / "offbyone.py"
    plugin.write_text(OFF_BY_ONE)
    options = ["--tier=ir", f"--load-pass-plugin={plugin}", "--passes=off-by-one"]
    monkeypatch.setitem(D.CONFIGS, "ir-broken", options)
    monkeypatch.setattr(D.Generator, "program", lambda self, seed:
                        "let s = \"x\"\nprintln(s)\nlet a = 40\nlet b = a + 2\nprintln(b)\n"
                        "let c = s + \"y\"\nprintln(c)\n")
    _no_child_processes(monkeypatch)
    reg = tmp_path / "regressions"
    assert D.main(["--seeds", "0:1", "--configs", "ir-broken", "--jobs", "1", "--out",
                   str(tmp_path / "out"), "--reduce", "--regressions", str(reg)]) == 1
    printed = capsys.readouterr().out
    [case] = reg.glob("*.json")
    assert f"reduced: {case}" in printed
    meta = json.loads(case.read_text())
    small = (reg / meta["program"]).read_text()
    assert "println" in small and "\"y\"" not in small, small  # the strings had no bug
    assert meta["runs"] == [{"config": "ir-broken", "options": options}]
    runner = D.Runner(str(tmp_path / "cache"), timeout=60)
    runner.use_workers()
    try:
        assert "ir-broken" in D.check_regression(case, runner)  # it fails: the bug is there
    finally:
        runner.close()


def test_each_run_shows_its_warnings_as_a_fresh_process(monkeypatch):
    import warnings
    from ruchy_opt import launch
    shown = []

    def warn_and_exit(argv):
        warnings.warn("shown by every run", UserWarning)
        warnings.simplefilter("ignore")  # a run that changes the filters: put back
        raise SystemExit("a message")
    monkeypatch.setattr(launch, "main", warn_and_exit)
    monkeypatch.setattr(warnings, "showwarning", lambda *a, **k: shown.append(a[0]))
    with warnings.catch_warnings():
        warnings.simplefilter("default")  # as a process starts: once per place
        runs = [I.run_in_process(["--tier=0"], "p.ruchy") for _ in range(2)]
        assert not warnings.filters[0][0] == "ignore"
    assert runs[0] == runs[1] == (1, "", "a message\n")
    assert [str(w) for w in shown] == ["shown by every run"] * 2

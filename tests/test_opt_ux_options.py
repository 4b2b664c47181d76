"""The opt-style options of issue 16, in-process (cheap): printing before/after/changed
with a function filter and LLVM's headers, one run numbering shared with opt-bisect, the
--debug-pass-manager trace, -o, standard input, .ssa input to the compiled tiers, and the
checks for pass authors (every verifier problem, a pass that lies about changing the
IR, erase() of a used value, typed shifts)."""
from __future__ import annotations

import io
import os
import re
import shlex
from pathlib import Path

import pytest

from ruchy_harness import run_cli

os.environ.setdefault("RUCHY_OPT_STRICT", "1")

#: two functions: constfold changes @f only; dce then removes what is left unused
IR = """func @f(%x) {
^entry:
  %1 = const 2
  %2 = const 3
  %3 = add %1, %2
  %4 = add %x, %3
  %5 = const "unused"
  ret %4
}

func @g() {
^entry:
  ret
}
"""

LOOP = """fun total(n: i64) -> i64 {
    let mut s = 0
    let mut i = 0
    while i < n {
        s = s + i * 2
        i = i + 1
    }
    s
}
fun main() {
    println(total(10))
}
"""

PLUGIN = '''
from dataclasses import dataclass
from ruchy_opt.ir import Builder
from ruchy_opt.passmgr import FunctionPass


@dataclass(frozen=True)
class Quiet(FunctionPass):
    """Add an unused constant and report no change (valid IR, but a lie)."""

    name = "quiet-change"

    def run_on_function(self, func, ctx) -> bool:
        Builder(func).at_before(func.entry.instrs[0]).const(7)
        return False


@dataclass(frozen=True)
class Break(FunctionPass):
    """Make every call pass a string (invalid wherever the callee wants an i64)."""

    name = "break-calls"

    def run_on_function(self, func, ctx) -> bool:
        changed = False
        for i in list(func.instructions()):
            if i.opname == "call" and i.operands:
                i.set_operand(0, Builder(func).at_before(i).const("oops"))
                changed = True
        return changed
'''


@pytest.fixture
def ssa(tmp_path: Path) -> str:
    p = tmp_path / "in.ssa"
    p.write_text(IR)
    return str(p)


def headers(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if ln.startswith("; *** IR Dump")]


def test_print_before_and_after_name_the_function_and_the_run(ssa: str) -> None:
    r = run_cli(["--passes=constfold,dce", "--print-before=dce", "--print-after=constfold",
                 ssa])
    assert r.status == 0, r.stderr
    assert headers(r.stderr) == [
        "; *** IR Dump After constfold on @f (1) ***",
        "; *** IR Dump After constfold on @g (2) ***",
        "; *** IR Dump Before dce on @f (3) ***",
        "; *** IR Dump Before dce on @g (4) ***"]
    # a function pass's dump is the function that follows its header
    assert "; *** IR Dump Before dce on @f (3) ***\nfunc @f(%x) {" in r.stderr


def test_print_before_all_with_a_function_filter(ssa: str) -> None:
    r = run_cli(["--passes=constfold,dce", "--print-before-all", "--filter-print-funcs=g",
                 ssa])
    assert headers(r.stderr) == ["; *** IR Dump Before constfold on @g (2) ***",
                                 "; *** IR Dump Before dce on @g (4) ***"]
    assert "func @f" not in r.stderr


def test_print_changed_full_is_opts_default(ssa: str) -> None:
    r = run_cli(["--passes=constfold,dce", "--print-changed", ssa])
    assert headers(r.stderr) == [
        "; *** IR Dump At Start ***",
        "; *** IR Dump After constfold on @f (1) ***",
        "; *** IR Dump After constfold on @g (2) omitted because no change ***",
        "; *** IR Dump After dce on @f (3) ***",
        "; *** IR Dump After dce on @g (4) omitted because no change ***"]
    after_dce = r.stderr.split("dce on @f (3) ***\n")[1]
    assert after_dce.startswith("func @f(%x) {") and '"unused"' not in after_dce


@pytest.mark.parametrize("mode,want", [
    ("quiet", ["After constfold on @f (1) ***", "After dce on @f (3) ***"]),
    ("diff-quiet", ["After constfold on @f (1) ***", "After dce on @f (3) ***"]),
    ("diff", ["At Start ***", "After constfold on @f (1) ***",
              "After constfold on @g (2) omitted because no change ***",
              "After dce on @f (3) ***",
              "After dce on @g (4) omitted because no change ***"])])
def test_print_changed_modes(ssa: str, mode: str, want: list[str]) -> None:
    r = run_cli(["--passes=constfold,dce", f"--print-changed={mode}", ssa])
    assert headers(r.stderr) == [f"; *** IR Dump {w}" for w in want]
    if mode.startswith("diff"):
        assert "-  %3 = add %1, %2\n+  %3 = const 5\n" in r.stderr
        assert "func @g" not in r.stderr.split("IR Dump After")[1]  # a diff, not the IR
    else:
        assert "+  %3" not in r.stderr


def test_print_changed_cdiff_colours_the_lines(ssa: str) -> None:
    r = run_cli(["--passes=constfold", "--print-changed=cdiff-quiet", ssa])
    assert "\033[31m-  %3 = add %1, %2\033[0m\n\033[32m+  %3 = const 5\033[0m\n" in r.stderr


def test_bad_print_changed_mode_is_a_usage_error(ssa: str) -> None:
    r = run_cli(["--passes=dce", "--print-changed=colour", ssa])
    assert r.status == 2 and "invalid choice: 'colour'" in r.stderr


def test_one_numbering_for_print_changed_and_opt_bisect(ssa: str) -> None:
    r = run_cli(["--passes=constfold,dce", "--print-changed=quiet", "--opt-bisect-limit=-1",
                 ssa])
    bisect = dict(re.findall(r"BISECT: running pass \((\d+)\) (\S+ on function @\w+)",
                             r.stderr))
    printed = re.findall(r"IR Dump After (\S+) on (@\w+) \((\d+)\)", r.stderr)
    assert printed and all(bisect[n] == f"{p} on function {f}" for p, f, n in printed)
    # and the run printed as (3) is the one a limit of 2 stops before
    r2 = run_cli(["--passes=constfold,dce", "--opt-bisect-limit=2", ssa])
    assert "NOT running pass (3) dce on function @f" in r2.stderr


def test_debug_pass_manager_shows_analyses_cached_kept_and_invalidated(tmp_path: Path) -> None:
    p = tmp_path / "loop.ruchy"
    p.write_text(LOOP)
    r = run_cli(["--passes=gvn,licm,gvn", "--debug-pass-manager", str(p)])
    assert r.status == 0, r.stderr
    trace = r.stderr.splitlines()
    assert trace[0].startswith("Running pipeline: gvn,licm,gvn on [module]")
    for line in ["Running pass: gvn on @total (run 3, 12 instructions)",
                 "Running analysis: domtree on @total",
                 "Finished pass: gvn on @total (run 3): changed the IR",
                 "Keeping analysis: domtree on @total (gvn changed @total; the pass "
                 "preserves the CFG)",
                 "Running analysis: loops on @total",
                 "Cached analysis: domtree on @total",
                 "Invalidating analysis: loops on @total (licm changed @total; the pass "
                 "does not preserve it)",
                 "Cached analysis: domtree on @main"]:
        assert line in trace, line
    # after licm dropped it, the second gvn computes the dominator tree of @total again
    last = trace[trace.index("Running pass: gvn on @total (run 11, 11 instructions)") + 1]
    assert last == "Running analysis: domtree on @total"
    assert trace[-1].startswith("Finished pipeline: 12 pass runs in 3 applications")


def test_output_file_and_standard_input(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out.ssa"
    monkeypatch.setattr("sys.stdin", io.StringIO(IR))
    r = run_cli(["--passes=constfold,dce", "-", "-o", str(out)])
    assert (r.status, r.stdout) == (0, "")
    assert "%3 = const 5" in out.read_text() and '"unused"' not in out.read_text()
    monkeypatch.setattr("sys.stdin", io.StringIO(LOOP))  # Ruchy source on stdin
    r = run_cli(["run", "--tier=ir", "-"])
    assert (r.status, r.stdout) == (0, "90\n")
    # a failing run writes no output file
    bad = tmp_path / "bad.ssa"
    monkeypatch.setattr("sys.stdin", io.StringIO("func @f() {\n^entry:\n  frob\n}\n"))
    r = run_cli(["--emit=ssa", "-", "-o", str(bad)])
    assert r.status == 1 and "<stdin>.ssa:3:3: error: unknown op 'frob'" in r.stderr
    assert not bad.exists()


def test_ssa_input_to_the_compiled_tiers(tmp_path: Path) -> None:
    src = tmp_path / "loop.ruchy"
    src.write_text(LOOP)
    ssa = tmp_path / "loop.ssa"
    assert run_cli(["--emit=ssa", str(src), "-o", str(ssa)]).status == 0
    r = run_cli(["run", "--tier=2", "--no-cache", "-O1", str(ssa)])
    assert (r.status, r.stdout, r.stderr) == (0, "90\n", "")
    ll = tmp_path / "loop.ll"
    r = run_cli(["--emit=llvm", "--tier=1", str(ssa), "-o", str(ll)])
    assert r.status == 0 and "define" in ll.read_text()


def _plugin(tmp_path: Path) -> str:
    p = tmp_path / "plugin.py"
    p.write_text(PLUGIN)
    return str(p)


def _replay(reproducer: Path) -> list[str]:
    line = next(ln for ln in reproducer.read_text().splitlines() if ln.startswith("; replay:"))
    return shlex.split(line[len("; replay: "):])[1:]


def test_verify_each_catches_a_pass_that_changes_the_ir_and_says_it_did_not(
        tmp_path: Path, ssa: str) -> None:
    plugin, rep = _plugin(tmp_path), tmp_path / "rep.ssa"
    argv = [f"--load-pass-plugin={plugin}", "--passes=constfold,quiet-change",
            "--verify-each", f"--crash-reproducer={rep}", ssa]
    r = run_cli(argv)
    want = ("pass 'quiet-change' (from file {}) changed the IR of @f, @g but reported no "
            "change".format(plugin))
    assert r.status == 2 and want in r.stderr
    again = run_cli(_replay(rep))  # the reproducer fails the same way
    assert again.status == 2 and want in again.stderr
    assert run_cli(argv[:2] + [ssa]).status == 0  # without --verify-each it is not checked


def test_a_pass_is_blamed_for_its_own_output_at_tier2_with_every_problem(
        tmp_path: Path) -> None:
    src = tmp_path / "loop.ruchy"
    src.write_text(LOOP.replace("println(total(10))", "println(total(10) + total(3))"))
    plugin, rep = _plugin(tmp_path), tmp_path / "rep.ssa"
    r = run_cli(["run", "--tier=2", "--no-cache", f"--load-pass-plugin={plugin}",
                 "--passes=sccp,break-calls,dce", f"--crash-reproducer={rep}", str(src)])
    assert r.status == 2 and r.stdout == ""
    first = r.stderr.splitlines()[0]
    assert first.startswith(f"ruchy-opt: error: pass 'break-calls' (from file {plugin}) "
                            "produced invalid IR: invalid IR (2 problems): in function @main")
    problems = [ln for ln in r.stderr.splitlines() if "has type str but @total wants i64" in ln]
    assert len(problems) == 2
    text = rep.read_text()
    assert all(p.split(": ", 2)[-1].strip() in text for p in problems)  # all, in the file
    again = run_cli(_replay(rep))
    assert again.status == 2 and again.stderr.splitlines()[0] == first


def test_erase_of_a_value_with_users_names_them() -> None:
    from ruchy_opt.ir.parser import parse_module
    m = parse_module(IR)
    f = m.functions["f"]
    three = next(i for i in f.instructions() if i.name == "3")
    with pytest.raises(ValueError, match=r"cannot erase %3 in @f: it still has 1 user: "
                                         r"'%4 = add %x, %3'"):
        three.erase()
    assert three.block is not None  # nothing was changed


def test_typed_shifts_have_ruchys_semantics() -> None:
    from ruchy_opt.errors import RuchyRuntimeError
    from ruchy_opt.ir.opdef import NO_FOLD, OPS
    shl, shr = OPS["shl.i64"], OPS["shr.i64"]
    assert shl.fold((), [1, 63]) == -2 ** 63       # the sign bit is shifted into, no error
    assert shl.fold((), [3, 62]) == -2 ** 62       # bits shifted out are lost
    assert shr.fold((), [-8, 1]) == -4             # arithmetic
    assert shl.fold((), [1, 64]) is NO_FOLD and shr.fold((), [1, -1]) is NO_FOLD
    with pytest.raises(RuchyRuntimeError, match="integer overflow"):
        shl.impl(1, 64)
    assert shl.has("may_fail") and not shl.has("commutative")


def test_typespec_types_shifts(tmp_path: Path) -> None:
    p = tmp_path / "shift.ssa"
    p.write_text("func @s(%a: i64, %b: i64) {\n^entry:\n  %l = shl %a, %b\n"
                 "  %r = shr %a, %b\n  %t = add %l, %r\n  ret %t\n}\n")
    r = run_cli(["--passes=typespec", str(p)])
    assert r.status == 0, r.stderr
    assert "%l = shl.i64 %a, %b" in r.stdout and "%r = shr.i64 %a, %b" in r.stdout

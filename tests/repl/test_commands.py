"""The REPL's commands, in-process; and the tiered runtime behind the session (a hot
function typed at the prompt is compiled; redefining it drops its code)."""
from __future__ import annotations

from pathlib import Path

import pytest

from repl_support import Driven

FIB = "fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }\n"


@pytest.fixture
def repl() -> Driven:
    return Driven()


def test_help_and_unknown_command(repl: Driven) -> None:
    out, err = repl.feed(":help\n:frobnicate\n")
    assert ":ssa [-O0|-O1|-O2] NAME" in out and ":jit" in out
    assert err == "error: unknown command ':frobnicate' (:help lists the commands)\n"


def test_type_runs_but_keeps_nothing(repl: Driven) -> None:
    repl.feed("let mut v = vec![1]\n")
    out, err = repl.feed(":type 1\n:type 2.5\n:type \"s\"\n:type (1, 'c')\n"
                         ":type Some(vec![true])\n:type v.push(2)\n:type v\n")
    assert (out, err) == ("i64\nf64\nString\n(i64, char)\nOption<Vec<bool>>\n()\n"
                          "Vec<i64>\n", "")
    assert repl.feed("v\n") == ("[1]\n", "")


def test_type_error_points_at_the_line_typed(repl: Driven) -> None:
    out, err = repl.feed(":type 1 / 0\n")
    assert err == "<repl>:1:9: error: division by zero\n:type 1 / 0\n        ^\n"


def test_ast(repl: Driven) -> None:
    out, err = repl.feed(":ast 1 + 2\n")
    assert err == ""
    assert out.splitlines()[0].startswith("Binary @1:6") and "op='+'" in out
    assert "IntLit" in out


def test_ssa_levels_and_passes(repl: Driven) -> None:
    repl.feed("fn sq(x) { x * x }\nfn h(a) { sq(a) + 1 }\n")
    o0, _ = repl.feed(":ssa -O0 h\n")
    assert "call @sq" in o0
    o2, err = repl.feed(":ssa h\n")  # -O2 inlines sq
    assert err == "" and "call @sq" not in o2 and o2.startswith("func @h(")
    out, _ = repl.feed(":ssa sq\n")  # not deleted by inlining although nothing calls it
    assert out.startswith("func @sq(")
    out, err = repl.feed(":passes dce\n:ssa h\n")
    assert out.startswith("tier 2 pipeline: dce (") and "call @sq" in out
    out, err = repl.feed(":passes nosuchpass\n:ssa nope\n")
    # as `--passes` says it, at the pass's place in the line typed
    first, line, caret = err.splitlines()[:3]
    assert first.startswith("<repl>:8:9: error: unknown pass 'nosuchpass'; valid passes: ")
    assert "dce, devirt, gvn, inline" in first
    assert (line, caret) == (":passes nosuchpass", " " * 8 + "^")
    assert "error: no function 'nope' in the IR (functions: h, sq)" in err
    out, _ = repl.feed(":passes\n")  # the error changed nothing
    assert out.startswith("tier 2 pipeline: dce (")


def test_ssa_of_level3_says_why(repl: Driven) -> None:
    repl.feed("fn pair(a) { (a, a) }\n")
    repl.feed("fn n(v) { v.iter_mut().count() }\n")
    out, err = repl.feed(":ssa -O0 pair\n")  # the IR has tuples; compiled code not yet
    assert "make tuple<any, any>, %1, %2" in out and not err
    out, err = repl.feed(":llvm pair\n")
    assert err.startswith("<repl>:1:") and "pair is not compiled yet: a tuple" in err, err
    out, err = repl.feed(":ssa n\n")
    assert err.startswith("<repl>:2:") and "n is not in the IR yet: the method" in err, err


def test_llvm_and_asm(repl: Driven) -> None:
    repl.feed("fn twice(x) { x * 2 }\n")
    out, err = repl.feed(":llvm twice\n")
    assert err.startswith("error: the argument types of 'twice' are not known yet")
    repl.feed("twice(21)\n")
    out, err = repl.feed(":llvm twice\n:asm twice i64\n")
    assert err == ""
    assert "define" in out and "ret" in out
    # the code as the session compiles it: its entry polls the stop flag (Ctrl-C)
    assert "load atomic i32, ptr @ruchy.stop monotonic" in out


def test_time_profile_reset(repl: Driven) -> None:
    repl.feed(FIB)
    out, _ = repl.feed(":time fib(10)\n")
    lines = out.splitlines()
    assert lines[0] == "55" and lines[1].startswith("time: ")
    out, _ = repl.feed("fib(5)\n:profile\n")
    # fib(10) makes 177 calls, fib(5) 15
    assert out.splitlines()[2].split() == ["fib(int)", "192", "0", "192", "interpreted"]
    out, err = repl.feed(":reset\nfib(1)\n")
    assert out == "the session is empty\n"
    assert "undefined name 'fib'" in err


def test_load_runs_a_file_and_names_it_in_errors(repl: Driven, tmp_path: Path) -> None:
    lib = tmp_path / "lib.ruchy"
    lib.write_text("fn cube(x) { x * x * x }\nlet base = 3\n\nfn bad() { 1 / 0 }\n")
    out, err = repl.feed(f":load {lib}\ncube(base)\nbad()\n")
    assert out.splitlines()[0].startswith(f"loaded {lib}")
    assert out.splitlines()[1] == "27"
    assert err.startswith(f"{lib}:4:14: error: division by zero\nfn bad() {{ 1 / 0 }}\n")
    out, err = repl.feed(":load /nonexistent.ruchy\n")
    assert err.startswith("error: cannot read /nonexistent.ruchy")


def test_hot_function_compiled_across_inputs_and_invalidated() -> None:
    pytest.importorskip("llvmlite")
    repl = Driven(tier1=300)  # fib(10) makes 177 calls: hot in its second input
    repl.feed(FIB + "fib(10)\n")
    out, _ = repl.feed(":jit\n")
    # the pipeline in force first (:passes), then what was compiled
    assert out.startswith("tier 2 pipeline: -O2 (default<O2>) (what the session compiles "
                          "at tier 2, :ssa, :llvm, :asm)\nnothing compiled yet")
    out, err = repl.feed("fib(10)\nfib(20)\n:jit\n")
    assert err == ""
    lines = out.splitlines()
    assert lines[:2] == ["55", "6765"]
    assert lines[3].startswith("compiled fib(int) -> tier 1 at <repl>:4: heat 300 ")
    out, _ = repl.feed(":profile\n")
    assert out.splitlines()[1].split()[-2:] == ["tier", "1"]
    # a redefinition drops what was compiled; the new definition runs
    out, err = repl.feed("fn fib(n) { n }\nfib(20)\n:jit\n")
    assert out.splitlines()[0] == "20"
    assert "invalidated fib(int): redefined at <repl>:8; its tier-1 code is no longer " \
           "called" in out


def test_loop_in_a_function_is_entered_by_osr() -> None:
    pytest.importorskip("llvmlite")
    repl = Driven()
    repl.feed("fn work(n) {\n    let mut s = 0\n    for i in 0..n { s = (s + i * 7) % 1000003 }\n"
              "    s\n}\n")
    out, err = repl.feed("work(30000)\n:jit\n")
    # sum of i * 7 for i < 30000 is 3149895000; mod 1000003 (the remainder taken each
    # step gives the same result)
    assert out.splitlines()[0] == str(3149895000 % 1000003)
    assert "osr loop at <repl>:3:5 in work(int)" in out
    out, err = repl.feed("let mut t = 0\nfor i in 0..25000 { t += i }\nt\n:jit\n")
    assert out.splitlines()[0] == str(sum(range(25000)))
    assert "osr loop at <repl>:9:1 typed at the prompt after 20000 iterations" in out
    assert "hands back t;" in out

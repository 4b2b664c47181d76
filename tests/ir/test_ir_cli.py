"""The IR from the command line: --emit=ssa, .ssa files as input, run --tier=ir,
errors in .ssa text and at run time, --dump-cfg; never a Python traceback."""
from __future__ import annotations

import os
import shutil

import pytest

from ir_helpers import ROOT, run_cli

PROG = """\
fun half(n) {
    n / 2
}
fun main() {
    println(half(10))
    println(half(0) + [1][3])
}
"""


@pytest.fixture
def prog(tmp_path):
    p = tmp_path / "prog.ruchy"
    p.write_text(PROG)
    return p


def test_emit_ssa_and_read_it_back(prog, tmp_path) -> None:
    status, text, err = run_cli(["--emit=ssa", "prog.ruchy"], cwd=tmp_path)
    assert status == 0 and err == ""
    assert text.startswith('source "prog.ruchy"\n') and "func @half(%n.0) {" in text
    (tmp_path / "prog.ssa").write_text(text)
    assert run_cli(["--emit=ssa", "prog.ssa"], cwd=tmp_path) == (0, text, "")


def test_running_ssa_reports_errors_in_the_ruchy_source(prog, tmp_path) -> None:
    _, text, _ = run_cli(["--emit=ssa", "prog.ruchy"], cwd=tmp_path)
    (tmp_path / "prog.ssa").write_text(text)
    expected = run_cli(["run", "--tier=0", "prog.ruchy"], cwd=tmp_path)
    assert expected[0] == 1 and "prog.ruchy:6:26: error: index out of bounds" in expected[2]
    assert run_cli(["run", "--tier=ir", "prog.ruchy"], cwd=tmp_path) == expected
    assert run_cli(["run", "prog.ssa"], cwd=tmp_path) == expected  # .ssa defaults to ir
    prog.unlink()  # without the source: position only
    assert run_cli(["run", "prog.ssa"], cwd=tmp_path) == \
        (1, "5\n", "prog.ruchy:6:26: error: index out of bounds\n")


def test_tier0_refuses_ssa(tmp_path) -> None:
    (tmp_path / "x.ssa").write_text("func @main() {\n^entry:\n  ret\n}\n")
    status, _, err = run_cli(["run", "--tier=0", "x.ssa"], cwd=tmp_path)
    assert status == 2 and "only 'run --tier=ir|1|2', '--emit=ssa|llvm|asm' and 'build' take" in err
    assert run_cli(["run", "x.ssa"], cwd=tmp_path) == (0, "", "")


@pytest.mark.parametrize("text,where,message", [
    ("func @main() {\n^entry:\n  %x = frob\n  ret\n}\n", "3:8", "unknown op 'frob'"),
    ("func @main() {\n^entry:\n  ret %y\n}\n", "3:7", "use of undefined value %y"),
    ("func @main() {\n^entry:\n  %c = const 1\n  cond_br %c, ^entry, ^entry\n}\n", "4:3",
     "invalid IR: in function @main, block ^entry, instruction 'cond_br %c, ^entry, "
     "^entry': operand 1 (%c) of 'cond_br' has type i64, expected bool"),
    ("func @main() {\n^entry:\n  %s = const \"abc\n}\n", "3:14", "unterminated string"),
    ("\x00\x01garbage", "1:1", "unexpected character"),
    ("func @main() {\n", "2:1", "expected the entry block label"),
])
def test_malformed_ssa_is_a_located_error(tmp_path, text, where, message) -> None:
    (tmp_path / "bad.ssa").write_text(text)
    for args in (["run", "bad.ssa"], ["--emit=ssa", "bad.ssa"]):
        status, out, err = run_cli(args, cwd=tmp_path)
        assert status == 1 and out == ""
        assert err.startswith(f"bad.ssa:{where}: error: {message}"), err
        assert "Traceback" not in err and "^" in err


def test_syntax_error_in_source_is_reported_once(tmp_path) -> None:
    (tmp_path / "s.ruchy").write_text("println(1)\nbreak\n")
    for args in (["--emit=ssa", "s.ruchy"], ["run", "--tier=ir", "s.ruchy"]):
        status, out, err = run_cli(args, cwd=tmp_path)
        assert (status, out) == (1, "")
        assert err.startswith("s.ruchy:2:1: error: 'break' outside of a loop\n")


def test_dump_cfg_writes_each_stage_per_function(prog, tmp_path) -> None:
    status, out, err = run_cli(["--dump-cfg", "--emit=ssa", "prog.ruchy"], cwd=tmp_path)
    assert status == 0
    names = sorted(os.listdir(tmp_path / "cfg-dumps"))
    dots = [n for n in names if n.endswith(".dot")]
    assert dots == ["01-ast.half.dot", "01-ast.main.dot", "01-ast.toplevel.dot",
                    "02-ssa.half.dot", "02-ssa.main.dot", "02-ssa.ruchy.start.dot",
                    "02-ssa.ruchy.toplevel.dot"]
    if shutil.which("dot"):
        assert sorted(n for n in names if n.endswith(".svg")) == \
            sorted(n[:-4] + ".svg" for n in dots)
        assert err == ""
    dot = (tmp_path / "cfg-dumps" / "02-ssa.half.dot").read_text()
    assert "digraph" in dot and "div %n.0" in dot


def test_dump_cfg_to_a_chosen_directory_while_running(prog, tmp_path) -> None:
    status, out, _ = run_cli(["run", "--tier=ir", "--dump-cfg=out/d", "prog.ruchy"],
                             cwd=tmp_path)
    assert status == 1 and out == "5\n"  # dumps are written before the program runs
    assert "02-ssa.main.dot" in os.listdir(tmp_path / "out" / "d")


def test_without_graphviz_it_says_so_once(prog, tmp_path) -> None:
    env = dict(os.environ, PATH=str(tmp_path / "empty-bin"))
    status, _, err = run_cli(["--dump-cfg=d", "--emit=ssa", "prog.ruchy"], cwd=tmp_path,
                             env=env)
    assert status == 0
    assert err.count("Graphviz 'dot' is not installed; wrote .dot files only") == 1
    assert not [n for n in os.listdir(tmp_path / "d") if n.endswith(".svg")]


def test_back_edges_and_branch_labels_in_the_cfg(tmp_path) -> None:
    (tmp_path / "l.ruchy").write_text("let mut i = 0\nwhile i < 3 { i += 1 }\n")
    run_cli(["--dump-cfg=d", "--emit=ssa", "l.ruchy"], cwd=tmp_path)
    dot = (tmp_path / "d" / "02-ssa.ruchy.toplevel.dot").read_text()
    assert 'label="true"' in dot and 'label="false"' in dot
    assert 'label="back (%i.' in dot and 'color="red"' in dot


def test_help_mentions_the_new_options() -> None:
    status, out, _ = run_cli(["--help"], cwd=ROOT)
    assert status == 0 and "--dump-cfg" in out and "ssa" in out


SSA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ssa")


@pytest.mark.parametrize("name", sorted(n for n in os.listdir(SSA_DIR) if n.endswith(".ssa")))
def test_hand_written_ssa_programs(name: str) -> None:
    """Hand-written .ssa files run from the command line (tier ir by default), print
    their .expected output, and a runtime error names the position in the Ruchy source
    the spans point into."""
    path = os.path.join(SSA_DIR, name)
    status, out, err = run_cli(["run", path])
    assert out == open(path[:-4] + ".expected").read()
    assert "Traceback" not in err
    if name.startswith("errors"):
        assert (status, err) == (1, "missing.ruchy:7:12: error: index out of bounds\n")
    else:
        assert (status, err) == (0, "")
        text = open(path).read()
        assert run_cli(["--emit=ssa", path]) == (0, text, "")

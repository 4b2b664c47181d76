"""The data of ``ruchy-opt explore`` pages, in-process: stages recorded through the
pass manager's hook, per-function diffs, CFG drawings tagged with source lines, the
page being self-contained, Level 3 programs, and the command's exit statuses."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from explore_support import PROGRAM, data_of, explore
from ruchy_opt.errors import SourceFile
from ruchy_opt.explore.graphs import block_lines, render_svgs
from ruchy_opt.explore.page import page_data, render_page


def test_one_stage_per_pass_application_in_pipeline_order():
    ex = explore(PROGRAM, "--tier=ir", "--passes=sccp,dce,sccp")
    kinds = [(s["kind"], s["title"]) for s in ex.stages]
    assert kinds == [("lowered", "SSA after lowering"), ("pass", "sccp"), ("pass", "dce"),
                     ("pass", "sccp")]
    assert [s["index"] for s in ex.stages[1:]] == [1, 2, 3]
    assert ex.pipeline == "sccp,dce,sccp"
    lowered = ex.stages[0]["after"]
    assert {"square", "total", "main"} <= set(lowered)
    for st in ex.stages[1:]:
        assert st["seconds"] >= 0 and len(st["size_before"]) == 2
    # main's 2 + 3 is folded by the first sccp: main's text changes there
    first = ex.stages[1]
    assert first["before"]["main"] != first["after"]["main"]
    assert "const 5" in ex.table.texts[first["after"]["main"]]


def test_page_data_diffs_per_changed_function():
    ex = explore(PROGRAM, "--tier=ir", "--passes=sccp,sccp")
    d = page_data(ex, None, "")
    first, second = d["stages"][1], d["stages"][2]
    assert "main" in first["changed"] and "square" not in first["changed"]
    diff = first["diffs"]["main"]
    assert diff.startswith("--- @main before\n+++ @main after\n")
    assert re.search(r"^\+.*const 5", diff, re.M)
    assert second["changed"] == [] and second["diffs"] == {}   # nothing left to fold
    assert d["functions"][:1] == list(ex.stages[0]["after"])[:1]
    assert d["stages"][0]["changed"] == list(ex.stages[0]["after"])  # lowering: all


def test_default_pipeline_is_O2_except_tier_1():
    ex = explore(PROGRAM, "--tier=ir")
    assert ex.pipeline.startswith("typespec,devirt,inline,sroa,fixpoint(")
    assert [s["kind"] for s in ex.stages].count("pass") > 5


def test_stats_of_a_pass_run():
    ex = explore(PROGRAM, "--tier=ir", "--passes=inline")
    (run,) = ex.stages[1:]
    assert run["stats"].get("calls inlined", 0) >= 1


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_cfg_svgs_carry_source_lines():
    ex = explore(PROGRAM, "--tier=ir", "--passes=dce")
    total = ex.stages[0]["after"]["total"]
    svgs, note = render_svgs(ex.graphs, ex.table.texts)
    assert note == "" and svgs is not None
    svg = svgs[total]
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'data-l="8"' in svg      # s = s + square(i)
    assert ' id="' not in svg       # many drawings share one page


def test_without_graphviz_the_graphs_are_text(monkeypatch):
    import ruchy_opt.explore.graphs as graphs
    monkeypatch.setattr(graphs.shutil, "which", lambda name: None)
    ex = explore(PROGRAM, "--tier=ir", "--passes=dce")
    svgs, note = render_svgs(ex.graphs, ex.table.texts)
    assert svgs is None and "not installed" in note
    d = page_data(ex, svgs, note)
    assert d["svgs"] is None and d["graphs"][str(ex.stages[0]["after"]["total"])] \
        .startswith('digraph "total"')


def test_block_lines_follow_the_text_form():
    text = ("func @f(%a) {\n^entry:\n  %1 = const 1      loc(2:3-4)\n  ret %1\n"
            "^b1:\n  br ^entry          loc(5:1-2)\n}\n")
    assert block_lines(text) == [[None, 2, None], [None, 5]]


def test_page_is_self_contained_and_its_data_round_trips():
    tricky = PROGRAM.replace('println("{}", total(k))', 'println("</script> {}", total(k))')
    ex = explore(tricky, "--tier=ir", "--passes=dce")
    d = page_data(ex, {}, "")
    page = render_page(d)
    assert data_of(page) == json.loads(json.dumps(d))
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    assert "fetch(" not in page and "@import" not in page
    assert page.count("</script>") == 2    # the data's and the script's own


def test_level3_program_is_explored_as_far_as_the_ir_covers_it():
    text = PROGRAM + "\nstruct P { x: i64 }\n\nfun get(p: P) -> i64 {\n    p.x\n}\n" \
                     "\nfun other() {\n    let p = P { x: 1 }\n    println(\"{}\", get(p))\n}\n"
    text = text.replace("    println(\"{}\", total(k))", "    println(\"{}\", total(k))\n    other()")
    ex = explore(text, "--tier=2", "--passes=dce")
    names = {f["function"]: f for f in ex.interpreted}
    assert names["other"] == {"function": "other", "line": 26, "col": 13,
                              "message": "the struct literal 'P { .. }' is not in compiled "
                                         "code yet"}
    assert "main" in names      # it calls other
    assert "total" in ex.stages[0]["after"] and "other" not in ex.stages[0]["after"]
    assert ex.llvm is None
    assert any("not in compiled code yet" in n for n in ex.notes)


def test_tier_ir_shows_the_level3_the_ir_has():
    """At --tier=ir the page lowers as run --tier=ir does: structs in the IR."""
    text = "struct P { x: i64 }\n\nfun get(p: P) -> i64 {\n    p.x\n}\n\n" \
           "println(\"{}\", get(P { x: 1 }))\n"
    ex = explore(text, "--tier=ir", "--passes=dce")
    assert not ex.interpreted and "get" in ex.stages[0]["after"]
    assert 'extract "x"' in ex.table.texts[ex.stages[0]["after"]["get"]]


def test_tier_1_compiles_and_shows_llvm_and_assembly():
    ex = explore(PROGRAM, "--tier=1")
    assert [s["kind"] for s in ex.stages] == ["lowered"]     # tier 1: no ruchy passes
    assert ex.llvm is not None and ex.llvm["tier"] == 1
    assert "define" in ex.llvm["before"] and "define" in ex.llvm["after"]
    assert ex.llvm["asm"].strip()
    assert any(s.startswith("total(") for s in ex.llvm["specialisations"])


def test_command_writes_the_page_and_reports_errors(tmp_path, capsys):
    from ruchy_opt.cli import main
    prog = tmp_path / "p.ruchy"
    prog.write_text(PROGRAM)
    out = tmp_path / "p.html"
    assert main(["explore", "--tier=ir", "--passes=sccp,dce", "-o", str(out), str(prog)]) == 0
    d = data_of(out.read_text())
    assert [s["title"] for s in d["stages"]] == ["SSA after lowering", "sccp", "dce"]
    bad = tmp_path / "bad.ruchy"
    bad.write_text("fun main() {\n    let x = \n}\n")
    assert main(["explore", "-o", str(out), str(bad)]) == 1
    assert re.search(r"bad\.ruchy:\d+:\d+: error: ", capsys.readouterr().err)
    assert main(["explore", "--passes=nosuchpass", "-o", str(out), str(prog)]) == 2
    assert "nosuchpass" in capsys.readouterr().err


def test_run_captures_output_profile_and_jit_log():
    from ruchy_opt.explore.running import run_program
    r = run_program(SourceFile("prog.ruchy", PROGRAM))
    assert r["status"] == 0 and r["stdout"] == "30\n"
    names = {f["name"] for f in r["profile"]["functions"]}
    assert {"total", "square"} <= names
    assert isinstance(r["jit"], list)

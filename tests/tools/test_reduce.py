"""tools/reduce.py: the AST-guided test-case reducer."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import reduce as R  # noqa: E402

PROGRAM = """\
fun unused(a) {
    let mut t = 0
    for i in 0..a { t += i }
    t
}
fun noisy(n) {
    println("noisy", n)
    n * 2
}
let x = noisy(3) + unused(4)
match x % 3 {
    0 => println("boom", x),
    1 => println("one"),
    _ => println("other"),
}
println("end")
"""


def test_reduce_text_keeps_the_property_and_parses():
    seen = []

    def interesting(text: str) -> bool:
        seen.append(text)
        return '"boom"' in text

    out = R.reduce_text(PROGRAM, interesting)
    assert '"boom"' in out and R.parses(out)
    assert len(out) < len(PROGRAM) // 3, out
    assert "unused" not in out and "noisy" not in out
    assert all(R.parses(t) for t in seen), "only parseable candidates are tried"


def test_function_items_are_deleted_whole():
    prog = R.parse_program(PROGRAM)
    edits = R.candidate_edits(PROGRAM, prog)
    cut = [R.Edit(e.start, e.end, "").apply(PROGRAM) for e in edits if e.replacement == ""]
    assert PROGRAM.replace(PROGRAM[:PROGRAM.index("fun noisy")], "") in cut


def test_input_that_is_not_interesting_is_refused():
    try:
        R.reduce_text(PROGRAM, lambda text: False)
    except ValueError as e:
        assert "not interesting" in str(e)
    else:
        raise AssertionError("expected a ValueError")


def _tool(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tools" / "reduce.py"), *args],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def test_cli_with_a_command_predicate(tmp_path):
    src = tmp_path / "p.ruchy"
    src.write_text(PROGRAM)
    r = _tool(str(src), "--cmd", "grep -q boom {}", "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = (tmp_path / "p.reduced.ruchy").read_text()
    assert "boom" in out and R.parses(out) and len(out) < len(PROGRAM) // 3


def test_cli_grep_on_a_runtime_error(tmp_path):
    src = tmp_path / "q.ruchy"
    src.write_text("let a = 5\nprintln(a)\nlet b = a - 5\nprintln(\"x\", a / b)\n")
    r = _tool(str(src), "--grep", "division by zero", "-q", "-o", str(tmp_path / "r.ruchy"),
              cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = (tmp_path / "r.ruchy").read_text()
    assert R.parses(out) and len(out) < len(src.read_text())
    run = subprocess.run([sys.executable, "-m", "ruchy_opt.cli", "run", "--tier=0",
                          str(tmp_path / "r.ruchy")], capture_output=True, text=True, cwd=ROOT)
    assert "division by zero" in run.stderr


def test_cli_refuses_agreeing_tiers_and_bad_input(tmp_path):
    src = tmp_path / "ok.ruchy"
    src.write_text("println(1)\n")
    r = _tool(str(src), "--tiers", "0,ir", cwd=tmp_path)
    assert r.returncode == 1 and "not interesting" in r.stderr
    bad = tmp_path / "bad.ruchy"
    bad.write_text("let = 1\n")
    r = _tool(str(bad), "--grep", "x", cwd=tmp_path)
    assert r.returncode == 2 and "does not parse" in r.stderr

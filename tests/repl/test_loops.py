"""Hot loops typed at the prompt are compiled (on-stack replacement of the input's top
level, repl/loops.py): the variables after the loop, the value shown and the errors
are those of the same session run in the interpreter; ``:jit`` says what was
compiled and why. In-process for values (compiled code prints to the process's own
standard output, so these loops print nothing), through a pipe for errors."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from repl_support import Driven
from test_terminal import EXE, _env

#: inputs whose loops get hot (20,000 iterations of a nest), with every kind of session
#: variable around them: untouched (a struct, a function that reads a variable), read,
#: assigned, pushed to, rebound after the loop, a loop inside the value shown
SCRIPT = """struct P { x: i64 }
let p = P { x: 3 }
let mut s = 0
let mut name = "ab"
let mut v = [1, 2, 3]
fn show() { s * 2 }
{ let mut t = 0; for i in 0..100000 { t += i % 7 }; t }
for i in 0..100000 { s += i; v[i % 3] += 1 }
s
v
for i in 0..100000 { if i % 1000 == 0 { name = name + "x" } }; let z = s * 2
name.len()
z
p
show()
let mut w = 0.5
while w < 100000.0 { w += 1.0 }
w
:type { for i in 0..100000 { v[0] += 1 }; v }
v
let mut k = 0
loop { k += 3; if k > 300000 { break } }; k
"""


def test_loops_compiled_give_the_interpreters_values() -> None:
    pytest.importorskip("llvmlite")
    compiled, interpreted = Driven(), Driven(osr=1e12)
    got = compiled.feed(SCRIPT + ":jit\n")
    want = interpreted.feed(SCRIPT)
    assert want[1] == "" and got[1] == ""
    values = got[0].splitlines()
    n = len(want[0].splitlines())
    assert values[:n] == want[0].splitlines()
    assert values[:4] == [str(sum(i % 7 for i in range(100000))), str(sum(range(100000))),
                          "[33335, 33335, 33336]", "102"]
    jit = "\n".join(values[n:])
    # each loop input was entered once, where typed, and named what it hands back
    for where, back in [("7:18", "the value"), ("8:1", "s, v"), ("11:1", "s, name, z"),
                        ("17:1", "w"), ("19:9", "v, the value"), ("22:1", "k, the value")]:
        assert f"osr loop at <repl>:{where} typed at the prompt after 20000 iterations " \
               f"(of its loop nest) -> tier 2" in jit, jit
        assert f"hands back {back};" in jit, jit
    assert "osr-refused" not in jit


def test_a_loop_whose_input_holds_a_struct_of_scalars_is_compiled() -> None:
    pytest.importorskip("llvmlite")
    repl = Driven()
    out, err = repl.feed("struct P { x: i64 }\nlet mut p = P { x: 0 }\n"
                         "for i in 0..30000 { p.x += 1 }\np.x\n:jit\n")
    assert err == "" and out.splitlines()[0] == "30000"
    # the struct crosses in (jit/boxing.value_leaves) and goes back to the session in an
    # array of records (codegen/ops_records.py), as the session's own class
    assert "osr loop at <repl>:3:1 typed at the prompt after 20000 iterations" in out
    assert "hands back p;" in out


def test_a_loop_whose_input_uses_what_does_not_cross_stays_interpreted() -> None:
    pytest.importorskip("llvmlite")
    repl = Driven()
    out, err = repl.feed("struct P { x: i64, s: String }\n"
                         "let mut p = P { x: 0, s: \"a\".to_string() }\n"
                         "for i in 0..30000 { p.x += 1 }\np.x\n:jit\n")
    assert err == "" and out.splitlines()[0] == "30000"
    # a struct holding a string does not cross into compiled code
    assert "osr-refused loop at <repl>:3:1 typed at the prompt: the live variable 'p' " \
           "holds a P" in out


def _pipe(script: str, env: dict, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([EXE, "repl", "--no-cache", *options], input=script,
                          capture_output=True, text=True, env=env, timeout=120)


ERRORS = """let mut s = 0
let v = [1, 2, 3]
println("before"); for i in 0..3000000 { s += i * 10000000 }; println("after")
s
let mut t = 0
for i in 0..100000 { if i == 50000 { println("at {}", i); t = v[i] } }; t
t
for i in 0..100000 { t += 1 }
t
"""


def test_errors_in_a_compiled_loop_are_the_interpreters(tmp_path: Path) -> None:
    """An overflow and an index out of bounds after the loop was entered: the same
    output before them, the same diagnostic, no variable changed; the session then
    compiles and runs another loop (a compile after an error in compiled code used to
    crash the process: repl/compiler.py)."""
    pytest.importorskip("llvmlite")
    env = _env(tmp_path)
    got = _pipe(ERRORS + ":jit\n", env)
    want = _pipe(ERRORS, env, "--jit-osr", "1000000000")
    assert got.returncode == want.returncode == 0
    assert got.stderr == want.stderr
    assert want.stderr == (
        "<repl>:3:44: error: integer overflow\n"
        'println("before"); for i in 0..3000000 { s += i * 10000000 }; println("after")\n'
        + " " * 43 + "^~\n"
        "<repl>:6:64: error: index out of bounds\n"
        'for i in 0..100000 { if i == 50000 { println("at {}", i); t = v[i] } }; t\n'
        + " " * 63 + "^~~\n")
    lines = got.stdout.splitlines()
    assert lines[:5] == want.stdout.splitlines() == ["before", "0", "at 50000", "0", "100000"]
    assert lines[5].startswith("tier 2 pipeline: -O2 ")
    assert [ln.split(" after ")[0] for ln in lines[6:]] == [
        "osr loop at <repl>:3:20 typed at the prompt",
        "osr loop at <repl>:6:1 typed at the prompt",
        "osr loop at <repl>:8:1 typed at the prompt"]


def test_passes_sets_the_pipeline_of_what_is_compiled(tmp_path: Path) -> None:
    """``:passes print`` makes tier 2 run the `print` pass over what the session compiles
    from then on (its IR appears on stderr), ``:jit`` and ``:passes`` name it; ``:passes
    -O2`` goes back to the default, and a bad pipeline is refused where it is wrong."""
    pytest.importorskip("llvmlite")
    script = (":passes\n"
              "let mut s = 0\n"
              "for i in 0..100000 { s += i }\n"          # -O2: nothing printed
              ":passes print\n"
              "for i in 0..100000 { s -= i }\n"          # the pipeline prints its IR
              "s\n"
              ":passes sccp,,dce\n"                      # refused; print stays
              ":jit\n"
              ":passes -O2\n"
              "for i in 0..100000 { s += 1 }\n"
              "s\n")
    r = _pipe(script, _env(tmp_path))
    assert r.returncode == 0
    out = r.stdout.splitlines()
    assert out[0].startswith("tier 2 pipeline: -O2 (default<O2>) (")
    assert out[1].startswith("tier 2 pipeline: print (") and out[2] == "0"
    jit = out[3:-2]
    assert jit[0].startswith("tier 2 pipeline: print (")
    osr = [ln for ln in jit if ln.startswith("osr loop")]
    assert len(osr) == 2 and "ruchy pipeline" not in osr[0]
    assert osr[1].startswith("osr loop at <repl>:5:1 ") and "; ruchy pipeline print " in osr[1]
    assert out[-2:] == ["tier 2 pipeline: -O2 (default<O2>) (what the session compiles at "
                        "tier 2, :ssa, :llvm, :asm)", "100000"]
    # the IR `print` wrote: the continuation of line 5's loop only (`sub`, not `add`)
    ir, diag = r.stderr.split("<repl>:7:")
    assert ir.count("func @ruchy.start(") == 1 and "= sub %s." in ir and "add %s." not in ir
    assert diag.startswith("14: error: expected a pass name, found ','\n"
                           ":passes sccp,,dce\n" + " " * 13 + "^\n")

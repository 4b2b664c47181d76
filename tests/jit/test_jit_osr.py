"""On-stack replacement: loops hot in an interpreted frame (the top level, a function)
are compiled and entered mid-loop with their live values; what they print and return is
what tier 0 prints and returns."""
from __future__ import annotations

from pathlib import Path

import pytest

from jit_support import events, run_auto, split_log, tier0

OSR_SOON = ["--jit-osr=100", "--jit-tier1=1e9", "--jit-tier2=1e9"]

PROGRAMS = {
    "toplevel_while": """let mut s = 0
let mut i = 0
let label = 7
while i < 1000 {
    s = s + i * label
    i += 1
}
println(s, i)
let tail = s % 13
println("tail", tail)
""",
    "toplevel_for_inclusive": """let mut s = 0.0
for i in 1..=500 { s = s + 1.0 / (i as f64) }
println(s)
""",
    "loop_break_value_then_main": """fun main() { println("main runs once") }
let mut n = 0
loop {
    n += 3
    if n > 2000 { break }
}
println(n)
""",
    "function_loop": """fun count(limit: i64) -> i64 {
    let mut c = 0
    let mut x = 1
    while x < limit {
        if x % 3 == 0 { c += 1 }
        x += 1
    }
    c * 2
}
println(count(1000))
println(count(50))
""",
    "condition_with_effects": """fun tick(i: i64) -> bool {
    if i % 250 == 0 { println("tick", i) }
    i < 900
}
let mut i = 0
while tick(i) { i += 1 }
println(i)
""",
    "live_string": """let name = "loop"
let mut i = 0
let mut text = ""
while i < 400 { i += 1; if i % 100 == 0 { text = text + name + i.to_string() } }
println(name, i, text)
""",
    "live_array": """let xs = [1, 2, 3]
let mut i = 0
while i < 400 { i += 1 }
println(xs, i)
""",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_osr_same_as_tier0(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.ruchy"
    path.write_text(PROGRAMS[name])
    got = run_auto(path, tmp_path / "c", OSR_SOON)
    want = tier0(path)
    assert (got.stdout, got.status) == (want.stdout, want.status), got.stderr
    log, rest = split_log(got.stderr)
    assert rest == want.stderr
    osr = events(log, "osr")
    assert len(osr) == 1, log
    assert "after 100 iterations" in osr[0]
    if name == "live_array":  # arrays are copied into compiled code (test_jit_arrays)
        assert "live values i, xs" in osr[0], osr
    if name.startswith("toplevel"):
        assert "in the top level" in osr[0]
    if name == "function_loop":
        assert "in count(int)" in osr[0] and "live values c, limit, x" in osr[0], osr


def test_osr_runtime_error_keeps_output(tmp_path: Path) -> None:
    """An error in OSR-compiled code: same diagnostic, status 1, earlier output kept."""
    path = tmp_path / "err.ruchy"
    path.write_text('println("before")\nlet mut i = 0\nlet mut x = 10\n'
                    'while i < 500 {\n    i += 1\n    if i == 400 { println("at", i) }\n'
                    '    x = 100 / (450 - i)\n}\nprintln(x)\n')
    got = run_auto(path, tmp_path / "c", OSR_SOON, subprocess_=True)
    want = tier0(path)
    assert got.status == want.status == 1
    assert got.stdout == want.stdout == "before\nat 400\n"
    _, rest = split_log(got.stderr)
    assert rest == want.stderr

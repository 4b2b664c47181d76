"""A function used as a value prints by its name at every tier: the tiered runtime
puts a guard in the interpreted function's place once it compiles it, and the guard
must keep the name (it printed ``<fn guarded>`` at tiers 1, 2 and auto)."""
from __future__ import annotations

import pytest

from ruchy_harness import run_cli

PROGRAM = """fn double(x: i64) -> i64 {
    x * 2
}
fn apply(f: fn(i64) -> i64, x: i64) -> i64 {
    f(x)
}
let g = double
println("{} {}", g(21), apply(double, 4))
println("{} {:?}", g, double)
"""


@pytest.mark.parametrize("tier", ["1", "2", "auto"])
def test_function_value_keeps_its_name(tmp_path, tier, monkeypatch):
    monkeypatch.setenv("RUCHY_OPT_NO_CACHE", "1")
    prog = tmp_path / "fv.ruchy"
    prog.write_text(PROGRAM)
    want = run_cli(["run", "--tier=0", str(prog)])
    got = run_cli(["run", f"--tier={tier}", "--jit-tier1=1", str(prog)]
                  if tier == "auto" else ["run", f"--tier={tier}", str(prog)])
    assert want.stdout == "42 8\n<fn double> <fn double>\n"
    assert (got.status, got.stdout) == (0, want.stdout), got.stderr

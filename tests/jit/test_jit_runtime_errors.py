"""Mixed mode at the boundary: output of interpreted and compiled code interleaves in
order, a runtime error in compiled code reads as at tier 0 (status 1, earlier output
kept), and deep recursion works across the boundary (10,000 deep; unbounded is
`stack overflow`)."""
from __future__ import annotations

from pathlib import Path

import pytest

from jit_support import EVERYTHING_HOT, run_auto, split_log, tier0

INTERLEAVE = """fun say(i: i64) -> i64 { println("compiled", i); i * 2 }
let mut i = 0
let once = [{  // an array literal's element: not resumed by OSR
    while i < 4 {
        print("interp ", i, " ")
        let r = say(i)
        println("back", r)
        i += 1
    }
}]
"""
ERROR_IN_COMPILED = """fun risky(d: i64) -> i64 {
    println("risky", d)
    100 / d
}
println("start")
if true {
    println(risky(2))
    println(risky(0))
}
println("never")
"""
DEEP = """fun down(n: i64) -> i64 {
    if n == 0 { return 0 }
    1 + down(n - 1)
}
println(down(10000))
"""
RUNAWAY = """fun forever(n: i64) -> i64 {
    forever(n + 1) + 1
}
println("go")
println(forever(0))
"""


MID = ["--jit-tier1=5000"]  # promoted 5,000 calls deep into the recursion
CASES = [("interleave", INTERLEAVE, EVERYTHING_HOT, False),
         ("interleave", INTERLEAVE, EVERYTHING_HOT, True),
         ("error", ERROR_IN_COMPILED, EVERYTHING_HOT, False),
         ("error", ERROR_IN_COMPILED, EVERYTHING_HOT, True),
         ("deep_mid", DEEP, MID, True),
         ("deep_hot", DEEP, EVERYTHING_HOT, True),
         ("runaway_mid", RUNAWAY, MID, True)]


@pytest.mark.parametrize("name,text,extra,subprocess_", CASES,
                         ids=[f"{c[0]}-{'sub' if c[3] else 'in'}" for c in CASES])
def test_same_as_tier0(name: str, text: str, extra: list, subprocess_: bool,
                       tmp_path: Path) -> None:
    path = tmp_path / f"{name}.ruchy"
    path.write_text(text)
    want = tier0(path) if not name.startswith(("deep", "runaway")) else \
        __import__("ruchy_harness").run_cli(["run", "--tier=0", str(path)], subprocess_=True)
    got = run_auto(path, tmp_path / "c", extra, subprocess_=subprocess_)
    log, rest = split_log(got.stderr)
    assert got.stdout == want.stdout, got.stderr
    assert got.status == want.status
    assert rest.split("\n")[0] == want.stderr.split("\n")[0]
    assert rest == want.stderr or name.startswith("runaway"), rest
    assert log, "nothing was compiled"

"""`ruchy-opt profile --tier=1|2`: the whole program compiled (an instrumented profiling
build), its compile phases, exact counts, and the program's output and errors."""
from __future__ import annotations

import json
import os
import re

import pytest

from test_profile_cli import PROGRAM, _amdahl_consistent, cli

COMPILE = ["lower", "instrumentation", "verify", "types", "codegen", "llvm-parse",
           "llvm-opt", "runtime library", "machine-code"]

#: every kind of loop, recursion, a function with several specialisations, output
LOOPS = """
fun fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
fun scan(xs) {
    let mut s = 0
    for x in xs { if x % 2 == 0 { continue } s += x }
    s
}
fun w(n) {
    let mut i = 0
    let mut j = 0
    while i < n && j < 100 { i += 1; j += 2 }
    let mut k = 0
    loop { k += 1; if k > 7 { break } }
    for a in 0..=4 { for b in 0..a { j += b } }
    i + j + k
}
fun show(x) { println(x) }
fun down(x, n) { if n == 0 { x } else { down(x, n - 1) } }
let mut t = 0
for q in 0..30 { t += fib(8) + scan([1, 2, 3, 4, 5]) + w(q) + down(q, 5) }
println(down(2.5, 3))
show(t)
show(2.5)
show("done")
"""


@pytest.fixture
def prog(tmp_path):
    p = tmp_path / "p.ruchy"
    p.write_text(PROGRAM)
    return str(p)


def _counts(data: dict) -> tuple[dict, list]:
    return ({f["name"]: f["calls"] for f in data["functions"] if f["calls"]},
            sorted((lp["function"], lp["line"], lp["col"], lp["iterations"])
                   for lp in data["loops"]))


@pytest.mark.parametrize("tier", ["1", "2"])
def test_profile_compiled_json_phases_and_counts(prog, tmp_path, tier):
    cache = tmp_path / "cache"
    r = cli("profile", f"--tier={tier}", "--json", prog, cwd=str(tmp_path),
            env={"RUCHY_OPT_CACHE_DIR": str(cache)})
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)  # the program's output (compiled code's) is not here
    print(r.stderr, data["phases"])  # shown when an assertion fails
    auto_keys = {"file", "phases", "functions", "loops", "samples", "error", "mode",
                 "notes", "compiled_samples", "amdahl", "amdahl_groups",
                 "execute_compiled_share"}
    assert auto_keys | {"tier"} <= set(data)
    assert data["tier"] == int(tier) and data["mode"] == tier and data["error"] is None
    phases = list(data["phases"])
    want = ["parse", *COMPILE, "execute"]
    if tier == "2":
        want[want.index("codegen"):want.index("codegen")] = ["ruchy-O2", "retype"]
    assert phases[0] == "parse" and phases[-1] == "execute"
    assert [p for p in phases if p in want] == want  # in this order (others may join)
    assert all(v >= 0 for v in data["phases"].values())
    assert data["phases"]["execute"] > 0 and data["phases"]["llvm-opt"] > 0
    _amdahl_consistent(data)
    groups = data["amdahl_groups"]
    assert any(g.startswith("LLVM") for g in groups)
    assert any(g.startswith("compiling") for g in groups)
    compiling = next(a for g, a in groups.items() if g.startswith("compiling"))
    total = sum(data["phases"].values())
    share = sum(data["phases"][p] for p in phases[1:-1]) / total
    assert abs(compiling["share"] - share) < 1e-9
    calls, loops = _counts(data)
    assert calls == {"work": 3000, "poly": 3}
    assert [n for *_, n in loops] == [3000, 60000]
    fns = {f["name"]: f for f in data["functions"]}
    assert fns["work"]["tier"] == int(tier) and fns["work"]["compiled_calls"] == 3000
    assert fns["work"]["signatures"] == [["int", 1.0]]
    assert fns["work"]["total_ms"] is None  # not measured at a compiled tier
    assert sorted(s for s, _ in fns["poly"]["signatures"]) == ["bool", "float", "int"]
    if tier == "1":  # each specialisation's own function counts its entries
        assert [round(share, 3) for _, share in fns["poly"]["signatures"]] == [0.333] * 3
    assert "<top level>" in fns
    assert any("profiling build" in n for n in data["notes"])
    assert any("no program cache" in n for n in data["notes"])
    # Nothing but the runtime library was cached: the program was compiled, not loaded.
    cached = os.listdir(cache) if cache.exists() else []
    assert all(f.startswith("runtime-") for f in cached), cached


def test_profile_compiled_text_keeps_program_output_on_stdout(prog, tmp_path):
    r = cli("profile", "--tier=1", prog, cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "171000\n"
    assert "compiled whole at tier 1" in r.stderr and "if 2x faster" in r.stderr
    assert "llvm-opt" in r.stderr and "LLVM (sum)" in r.stderr
    work = next(line for line in r.stderr.splitlines() if line.startswith("work "))
    assert work.split()[1:4] == ["3,000", "1", "3,000"]
    assert "note: a profiling build" in r.stderr


@pytest.mark.parametrize("tier", ["1", "2"])
def test_profile_compiled_output_and_counts_equal_tier_0(tmp_path, tier):
    p = tmp_path / "loops.ruchy"
    p.write_text(LOOPS)
    expected = cli("run", "--tier=0", str(p), cwd=str(tmp_path))
    assert expected.returncode == 0, expected.stderr
    r = cli("profile", f"--tier={tier}", str(p), cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout == expected.stdout
    r0 = cli("profile", "--tier=0", "--json", str(p), cwd=str(tmp_path))
    rn = cli("profile", f"--tier={tier}", "--json", str(p), cwd=str(tmp_path))
    assert rn.returncode == 0, rn.stderr
    data, data0 = json.loads(rn.stdout), json.loads(r0.stdout)
    assert _counts(data) == _counts(data0)

    def sigs(f: dict) -> list:  # compiled code knows element types: arr[i64] is arr
        return sorted((re.sub(r"\[[^]]*\]", "", s), round(p, 6)) for s, p in f["signatures"])
    sigs0 = {f["name"]: sigs(f) for f in data0["functions"]}
    known = {f["name"]: sigs(f) for f in data["functions"]
             if all(share is not None for _, share in f["signatures"])}
    assert known == {name: sigs0[name] for name in known}
    if tier == "1":  # no ruchy inliner: every call enters its specialisation's function
        assert set(known) == set(sigs0)
    assert [round(p, 3) for _, p in known.get("down", [])] in ([], [0.022, 0.978])  # 4 and 180 calls


@pytest.mark.parametrize("tier", ["1", "2"])
def test_profile_compiled_runtime_error(tmp_path, tier):
    p = tmp_path / "bad.ruchy"
    p.write_text('fun f(i) { i }\nfor i in 0..5 { f(i) }\nprintln("x")\nlet a = [1]\n'
                 'println(a[3])\n')
    r = cli("profile", f"--tier={tier}", str(p), cwd=str(tmp_path))
    assert r.returncode == 1
    assert r.stdout == "x\n"
    assert "stopped by error: index out of bounds" in r.stderr
    assert "bad.ruchy:5:10: error: index out of bounds" in r.stderr
    assert r.stderr.index("profile of") < r.stderr.index("bad.ruchy:5:10: error")
    r = cli("profile", f"--tier={tier}", "--json", str(p), cwd=str(tmp_path))
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["error"] == "index out of bounds"
    assert _counts(data) == ({"f": 5}, [("<top level>", 2, 1, 5)])  # counted to the error
    assert "bad.ruchy:5:10: error: index out of bounds" in r.stderr


def test_profile_compiled_refused_program_runs_interpreted(tmp_path):
    p = tmp_path / "s.ruchy"
    p.write_text('fun f(x) {\n  let mut r = 0\n  for i in 0..3 { r = r + i }\n'
                 '  x.to_uppercase().len() + r\n}\nfor i in 0..100 { f("ab") }\n'
                 'println(f("x"))\n')
    r = cli("profile", "--tier=2", "--json", str(p), cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["tier"] == 2 and data["interpreted"] is True
    assert "compile (refused)" in data["phases"] and "translate (tier 0)" in data["phases"]
    assert "llvm-opt" not in data["phases"]
    _amdahl_consistent(data)
    f = next(f for f in data["functions"] if f["name"] == "f")
    assert f["calls"] == 101 and f["tier"] == 0 and "to_uppercase" in f["not_compiled"]
    assert any("does not compile at tier 2" in n for n in data["notes"])
    r = cli("profile", "--tier=2", str(p), cwd=str(tmp_path))
    assert r.returncode == 0 and r.stdout == "4\n"
    assert "not compiled, interpreted" in r.stderr


def test_profile_compiled_refuses_jit_options(prog, tmp_path):
    r = cli("profile", "--tier=2", "--jit-log", prog, cwd=str(tmp_path))
    assert r.returncode == 2 and "--jit-log applies to --tier=auto only" in r.stderr

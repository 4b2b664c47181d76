"""`ruchy-opt profile`, `hotspots` and `bench` from the command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROGRAM = """
fun work(n) {
    let mut s = 0
    for i in 0..n { s += i % 7 }
    s
}
fun poly(x) { x }
let mut t = 0
for k in 0..3000 { t += work(20) }
poly(1)
poly(2.5)
poly(true)
println(t)
"""


def cli(*args: str, cwd: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruchy_opt.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def prog(tmp_path):
    p = tmp_path / "p.ruchy"
    p.write_text(PROGRAM)
    return str(p)


def test_profile_json_counts_calls_loops_and_types(prog, tmp_path):
    r = cli("profile", "--tier=0", "--json", prog, cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    fns = {f["name"]: f for f in data["functions"]}
    assert fns["work"]["calls"] == 3000
    assert fns["work"]["signatures"] == [["int", 1.0]]
    assert sorted(s for s, _ in fns["poly"]["signatures"]) == ["bool", "float", "int"]
    iterations = sorted(lp["iterations"] for lp in data["loops"])
    assert iterations == [3000, 60000]
    assert set(data["phases"]) == {"parse", "translate (tier 0)", "execute"}
    assert 0 < data["amdahl"]["execute"]["share"] <= 1
    assert data["mode"] == "0"


LLVM = {"LLVM IR", "LLVM passes", "machine code"}


def _amdahl_consistent(data: dict) -> None:
    assert set(data["amdahl"]) == set(data["phases"])
    assert abs(sum(a["share"] for a in data["amdahl"].values()) - 1) < 1e-6
    for a in [*data["amdahl"].values(), *data["amdahl_groups"].values()]:
        assert 0 <= a["share"] <= 1
        assert a["speedup_if_free"] >= a["speedup_if_2x"] >= 1
        assert a["speedup_if_2x"] <= 2


def test_profile_auto_times_the_compile_phases(prog, tmp_path):
    env = {"RUCHY_OPT_CACHE_DIR": str(tmp_path / "cache")}
    r = cli("profile", "--json", "--jit-scale=0", prog, cwd=str(tmp_path), env=env)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)  # what compiled code printed did not land here
    print(r.stderr, data["phases"], data["loops"])  # shown when an assertion fails
    assert {"file", "phases", "functions", "loops", "samples", "error", "mode", "notes",
            "compiled_samples", "amdahl", "amdahl_groups",
            "execute_compiled_share"} <= set(data)
    assert data["mode"] == "auto"
    phases = set(data["phases"])
    assert {"parse", "translate (tier 0)", "lowering", "typing", "ruchy passes",
            "execute"} | LLVM <= phases
    assert list(data["phases"])[-1] == "execute"
    _amdahl_consistent(data)
    assert any(g.startswith("LLVM") for g in data["amdahl_groups"])
    fn = data["functions"][0]
    assert {"name", "calls", "total_ms", "self_ms", "signatures", "tier",
            "compiled_calls", "not_compiled"} <= set(fn)
    top = [lp for lp in data["loops"] if lp["function"] == "<top level>"]
    assert top and top[0]["osr_candidate"] and top[0]["osr_entered"]
    assert data["notes"]
    # The same program again: the code comes from the cache, nothing goes through LLVM.
    r = cli("profile", "--json", "--jit-scale=0", prog, cwd=str(tmp_path), env=env)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert "code-cache load" in data["phases"] and not LLVM & set(data["phases"]), \
        (r.stderr, data["phases"])
    _amdahl_consistent(data)


def test_profile_auto_without_anything_hot_has_no_compile_phases(tmp_path):
    p = tmp_path / "cold.ruchy"
    p.write_text('fun f(x) { x + 1 }\nprintln(f(41))\n')
    r = cli("profile", "--json", "--jit-scale=1", str(p), cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data["phases"]) == {"parse", "translate (tier 0)", "execute"}
    assert data["amdahl_groups"] == {}
    assert [f["tier"] for f in data["functions"] if f["name"] == "f"] == [0]
    _amdahl_consistent(data)


def test_profile_auto_text_names_tiers_and_osr(prog, tmp_path):
    r = cli("profile", "--jit-scale=1", "--jit-tier1=5000", "--jit-osr=1000000",
            "--no-cache", prog, cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "171000\n"
    assert "tiered runtime (--tier=auto)" in r.stderr
    assert "lowering" in r.stderr and "LLVM (sum)" in r.stderr
    assert "OSR entered" in r.stderr and "compiled" in r.stderr
    work = next(line for line in r.stderr.splitlines() if line.startswith("work "))
    assert work.split()[2] in ("1", "2")  # its tier
    assert "counted in interpreted code only" in r.stderr


def test_profile_refuses_jit_options_at_tier_0(prog, tmp_path):
    r = cli("profile", "--tier=0", "--jit-scale=0", prog, cwd=str(tmp_path))
    assert r.returncode == 2 and "--jit-scale applies to --tier=auto only" in r.stderr


def test_profile_text_keeps_program_output_on_stdout(prog, tmp_path):
    r = cli("profile", prog, cwd=str(tmp_path))
    assert r.returncode == 0
    assert r.stdout == "171000\n"
    assert "if 2x faster" in r.stderr and "work" in r.stderr and "OSR candidate" in r.stderr


def test_hotspots_names_tiers_and_reasons(prog, tmp_path):
    r = cli("hotspots", prog, cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "work: tier 1 (3,000 calls + 60,000 loop iterations" in r.stdout
    assert "specialise on (int)" in r.stdout
    assert "poly: tier 0" in r.stdout
    assert "loop work @ 4:5: on-stack replacement at tier 2" in r.stdout
    r = cli("hotspots", prog, cwd=str(tmp_path), env={"RUCHY_OPT_JIT_SCALE": "0"})
    assert "poly: tier 2" in r.stdout and "polymorphic, guarded" in r.stdout


def test_hotspots_says_what_stays_interpreted(tmp_path):
    p = tmp_path / "s.ruchy"
    p.write_text('fun total(xs) {\n  let mut r = 0\n  for x in xs { r = r + x }\n  r\n}\n'
                 'fun twice(x) { x * 2 }\n'
                 'for i in 0..8000 { total([1, 2]); twice(i) }\n')
    r = cli("hotspots", str(p), cwd=str(tmp_path), env={"RUCHY_OPT_JIT_SCALE": "0.1"})
    total = next(line for line in r.stdout.splitlines() if "total:" in line)
    assert "tier 2" in total and "stays in the interpreter" not in total  # arrays cross
    assert "twice: tier 1" in r.stdout and "neither loops nor calls" in r.stdout
    p.write_text('fun f(x) {\n  let mut r = 0\n  for i in 0..3 { r = r + i }\n'
                 '  x.to_uppercase().len() + r\n}\nfor i in 0..8000 { f("ab") }\n')
    r = cli("hotspots", str(p), cwd=str(tmp_path), env={"RUCHY_OPT_JIT_SCALE": "0.1"})
    assert "stays in the interpreter" in r.stdout and "to_uppercase" in r.stdout


def test_profile_of_failing_program_reports_and_exits_1(tmp_path):
    p = tmp_path / "bad.ruchy"
    p.write_text('println("x")\nlet a = [1]\nprintln(a[3])\n')
    r = cli("profile", str(p), cwd=str(tmp_path))
    assert r.returncode == 1
    assert r.stdout == "x\n"
    assert "stopped by error: index out of bounds" in r.stderr
    assert "bad.ruchy:3:10: error: index out of bounds" in r.stderr


def test_bench_prints_a_row_per_tier(prog, tmp_path):
    r = cli("bench", "--runs", "1", "--tiers", "0", prog, cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[1].startswith("0 ")


def test_bench_refuses_unknown_tier(prog, tmp_path):
    r = cli("bench", "--tiers", "9", prog, cwd=str(tmp_path))
    assert r.returncode == 2 and "unknown tier '9'" in r.stderr

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
    r = cli("profile", "--json", prog, cwd=str(tmp_path))
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
    assert "total: tier 2" in r.stdout
    assert "stays in the interpreter: an array argument" in r.stdout
    assert "twice: tier 1" in r.stdout and "neither loops nor calls" in r.stdout


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

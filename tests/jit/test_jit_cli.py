"""The tiered runtime on the command line: it is the default, its knobs are checked,
tier 2 follows tier 1 when compiled code keeps being called, and a script that never
gets hot never loads LLVM."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jit_support import REPO, events, run_auto, split_log, tier0

from ruchy_harness import run_cli

HOT_CALLS = """fun poly3(x: i64) -> i64 {
    let mut r = 1
    for k in 0..3 { r = r + x * k }
    r
}
let mut s = 0
let once = [{ for i in 0..300 { s = (s + poly3(i)) % 1000007 } }]
println(s)
"""


def test_auto_is_the_default(tmp_path: Path) -> None:
    path = tmp_path / "p.ruchy"
    path.write_text(HOT_CALLS)
    got = run_cli(["run", "--jit-log", "--jit-tier1=5", str(path)])
    assert got.status == 0 and got.stdout == tier0(path).stdout
    assert "[jit] promote poly3(int)" in got.stderr


def test_tier2_after_calls_into_tier1(tmp_path: Path) -> None:
    path = tmp_path / "p.ruchy"
    path.write_text(HOT_CALLS)
    got = run_auto(path, tmp_path / "c", ["--jit-tier1=10", "--jit-tier2=100"])
    assert got.stdout == tier0(path).stdout
    log, _ = split_log(got.stderr)
    promoted = events(log, "promote")
    assert len(promoted) == 2, log
    assert "-> tier 1: heat " in promoted[0]
    assert "calls into tier-1 code" in promoted[1] and "-> tier 2" in promoted[1]


def test_usage_errors() -> None:
    for argv, msg in ((["run", "--tier=0", "--jit-log"], "--jit-log applies to --tier=auto"),
                      (["run", "--tier=2", "--jit-scale=0"], "--jit-scale applies to"),
                      (["run", "--jit-scale=-1"], "--jit-scale must be a number >= 0"),
                      (["run", "--jit-osr=x"], "invalid float value")):
        got = run_cli([*argv, str(REPO / "tests/programs/comments.ruchy")])
        assert got.status == 2, (argv, got.stderr)
        assert msg in got.stderr, got.stderr


def test_short_script_does_not_load_llvm(tmp_path: Path) -> None:
    path = tmp_path / "p.ruchy"
    path.write_text('fun f(x) { x + 1 }\nprintln(f(1), "ok")\nfor i in 0..10 { f(i) }\n')
    code = ("import sys; from ruchy_opt.cli import main; s = main(['run', sys.argv[1]]); "
            "sys.stdout.flush(); print('llvmlite' in sys.modules, 'lark' in sys.modules, s)")
    p = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                       text=True, cwd=REPO, timeout=60)
    assert p.stdout == "2 ok\nFalse True 0\n", p.stderr

"""--emit=llvm/asm, LLVM instrumentation options, and native executables."""
from __future__ import annotations

import os
import subprocess
import sys

from ruchy_harness import EXAMPLES_DIR, run_cli

FIB = "fun fib(n) {\n    if n < 2 { return n }\n    fib(n - 1) + fib(n - 2)\n}\nprintln(fib(15))\n"


def _file(tmp_path, text=FIB, name="fib.ruchy"):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_emit_llvm_before_and_after(tmp_path):
    f = _file(tmp_path)
    before = run_cli(["--emit=llvm", "--tier=1", f])
    assert before.status == 0 and 'define internal i64 @"r.fib"' in before.stdout
    assert "llvm.sadd.with.overflow" in before.stdout
    after = run_cli(["--emit=llvm", "--llvm-opt", f])
    assert after.status == 0 and "define" in after.stdout and after.stdout != before.stdout


def test_emit_asm(tmp_path):
    r = run_cli(["--emit=asm", _file(tmp_path)])
    assert r.status == 0 and "ruchy_run" in r.stdout


def test_llvm_time_passes_and_bisect(tmp_path):
    f = _file(tmp_path)
    r = run_cli(["run", "--tier=2", "--llvm-time-passes", f], subprocess_=True)
    assert r.status == 0 and r.stdout == "610\n" and "Pass execution timing report" in r.stderr
    r = run_cli(["run", "--tier=2", "--llvm-opt-bisect-limit=0", f], subprocess_=True)
    assert r.status == 0 and r.stdout == "610\n"


def test_build_native_executable(tmp_path):
    exe = str(tmp_path / "fib")
    r = run_cli(["build", _file(tmp_path), "-o", exe])
    assert r.status == 0, r.stderr
    p = subprocess.run([exe], capture_output=True, text=True, env={})
    assert (p.returncode, p.stdout) == (0, "610\n")


def test_built_executable_fails_like_tier0(tmp_path):
    src = EXAMPLES_DIR / "e08_index_error.ruchy"
    if not src.exists():
        return
    exe = str(tmp_path / "e08")
    assert run_cli(["build", str(src), "-o", exe]).status == 0
    p = subprocess.run([exe], capture_output=True, text=True)
    want = run_cli(["run", "--tier=0", str(src)])
    assert (p.returncode, p.stdout, p.stderr) == (want.status, want.stdout, want.stderr)


def test_missing_linker_is_a_clear_error(tmp_path):
    env = dict(os.environ, CC="no-such-cc", PATH=str(tmp_path))
    p = subprocess.run([sys.executable, "-m", "ruchy_opt.cli", "build", _file(tmp_path), "-o",
                        str(tmp_path / "x")], capture_output=True, text=True, env=env)
    assert p.returncode == 1
    assert "no C compiler found" in p.stderr and "Traceback" not in p.stderr

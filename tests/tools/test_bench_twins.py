"""bench/lua and bench/py: the peer implementations of the benchmarks compute what the C
programs compute (outputs below are gcc -O3 builds of bench/c at these sizes), so the
runner's peer columns time the same algorithm. Lua twins run only where luajit is."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
#: name -> (size argument, what bench/c/NAME.c prints at that size)
C_OUTPUT = {
    "fib": ("20", "6765"),
    "loops": ("50", "561570"),
    "sieve": ("1", "78498"),
    "sieve_push": ("1", "148933"),
    "mandelbrot": ("30", "240"),
    "matmul": ("20", "24180"),
    "collatz": ("3000", "2919 217"),
    "nbody": ("500", "-0.169075164\n-0.169021528"),
    "nbody_structs": ("500", "-0.169075164\n-0.169021528"),
}


def _numbers(text: str) -> list[float]:
    return [float(t) for t in text.split()]


def test_every_benchmark_has_both_twins():
    programs = sorted(p.stem for p in (BENCH / "programs").glob("*.ruchy"))
    assert programs == sorted(C_OUTPUT)
    for name in programs:
        assert (BENCH / "py" / f"{name}.py").exists(), name
        assert (BENCH / "lua" / f"{name}.lua").exists(), name


@pytest.mark.parametrize("name", sorted(C_OUTPUT))
def test_python_twin_prints_what_c_prints(name):
    size, want = C_OUTPUT[name]
    p = subprocess.run([sys.executable, str(BENCH / "py" / f"{name}.py"), size],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert _numbers(p.stdout) == _numbers(want)


@pytest.mark.skipif(not shutil.which("luajit"), reason="luajit is not installed")
@pytest.mark.parametrize("name", sorted(C_OUTPUT))
def test_lua_twin_prints_what_c_prints(name):
    size, want = C_OUTPUT[name]
    p = subprocess.run(["luajit", str(BENCH / "lua" / f"{name}.lua"), size],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == want

"""The benchmark programs (bench/programs) compile whole at tiers 1 and 2 - none may
fall back to the interpreter - and print what tier 0 prints, at small sizes."""
from __future__ import annotations

import os
import re

import pytest

from ruchy_harness import run_cli

BENCH = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "programs")
#: small problem sizes, so that tier 0 answers quickly
SMALL = {"fib": 15, "loops": 40, "sieve": 1, "mandelbrot": 24, "nbody": 200, "matmul": 12,
         "collatz": 2000, "sieve_push": 1, "nbody_structs": 200}


def _program(tmp_path, name: str) -> str:
    with open(os.path.join(BENCH, name + ".ruchy"), encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"^let N = \d+", f"let N = {SMALL[name]}", text, count=1, flags=re.M)
    text = re.sub(r"sieve\((1|2)000000\)", "sieve(5000)", text)
    p = tmp_path / (name + ".ruchy")
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_every_benchmark_has_a_small_size():
    names = sorted(f[:-6] for f in os.listdir(BENCH) if f.endswith(".ruchy"))
    assert names == sorted(SMALL)


@pytest.mark.parametrize("tier", ["1", "2"])
@pytest.mark.parametrize("name", sorted(SMALL))
def test_benchmark_compiles_and_agrees_with_tier0(tmp_path, name, tier, monkeypatch):
    monkeypatch.setenv("RUCHY_OPT_NO_CACHE", "1")
    path = _program(tmp_path, name)
    want = run_cli(["run", "--tier=0", path])
    got = run_cli(["run", f"--tier={tier}", "--verbose", path])
    assert want.status == 0 and got.status == 0, got.stderr
    assert got.stdout == want.stdout
    assert f"tier {tier}: compiled" in got.stderr
    assert "interpreter" not in got.stderr, got.stderr

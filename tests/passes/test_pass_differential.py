"""Differential tests: every program (the shared examples, tests/programs, generated
programs) runs on the IR interpreter after each pass alone, and after random pipelines,
exactly as it ran unoptimized: same output, same error at the same position.

Kept bounded so that the suite stays fast: generated programs use fixed seeds (and
RUCHY_DIFF_SEEDS=N runs more), random pipelines are drawn from a seeded generator.
"""
from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest

from pass_diff import check_pipeline, fresh_copy, run_ir
from ruchy_opt.errors import RuchyError, SourceFile
from ruchy_opt.ir.load import load_module

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

ALONE = ["typespec", "typespec<open>", "constfold", "sccp", "dce", "adce", "inline",
         "inline<threshold=400>", "unroll", "unroll<count=2>", "unroll<count=3>",
         "simplifycfg", "gvn", "licm", "sroa", "sroa,sccp,dce", "devirt", "devirt,inline",
         "default<O1>", "default<O2>"]
PIECES = ["typespec", "constfold", "sccp", "dce", "adce", "inline", "inline<threshold=200>",
          "unroll", "unroll<count=2>", "unroll<count=4;budget=200>", "simplifycfg", "gvn",
          "licm", "sroa", "devirt"]


def random_pipeline(rng: random.Random) -> str:
    """A pipeline of 3 to 8 passes, sometimes with a nested fixpoint or repeat."""
    parts = [rng.choice(PIECES) for _ in range(rng.randint(3, 8))]
    if rng.random() < 0.3:
        k = rng.randint(0, len(parts) - 1)
        inner = ",".join(rng.choice(PIECES[1:6]) for _ in range(rng.randint(2, 3)))
        parts.insert(k, rng.choice([f"fixpoint({inner})", f"repeat<2>({inner})"]))
    return ",".join(parts)


def _programs() -> list[Path]:
    files = sorted(Path("/work/shared/examples").glob("*.ruchy"))
    files += sorted((ROOT / "tests" / "programs").glob("*.ruchy"))
    files += sorted((ROOT / "tests" / "interp" / "refs_program").glob("*.ruchy"))
    return [f for f in files if not f.name.startswith("syn_")]


def _load(path: Path):
    try:
        return load_module(SourceFile(str(path), path.read_text(encoding="utf-8")))
    except RuchyError as e:  # a program that does not compile is not a pass test
        pytest.skip(f"does not compile: {e.message}")


@pytest.mark.parametrize("path", _programs(), ids=lambda p: p.stem)
def test_program_each_pass_and_random_pipelines(path: Path) -> None:
    m = _load(path)
    expected = run_ir(fresh_copy(m))
    rng = random.Random(path.name)
    for pipeline in ALONE + [random_pipeline(rng) for _ in range(3)]:
        check_pipeline(m, pipeline, expected)


#: pipelines every program of tests/passes/programs goes through (besides random ones)
LONG = ["default<O2>",
        "repeat<3>(inline<threshold=200>,unroll<count=3>,licm,gvn,sccp,adce,simplifycfg)",
        "typespec,unroll,licm,gvn,sccp,constfold,simplifycfg,adce,dce"]


@pytest.mark.parametrize("path", sorted((Path(__file__).parent / "programs").glob("*.ruchy")),
                         ids=lambda p: p.stem)
def test_pass_stress_program(path: Path) -> None:
    """Programs written against the passes (breaks out of nested loops, errors between
    prints, loops that grow their array, -0.0 and NaN, i64::MIN) through long pipelines."""
    m = _load(path)
    expected = run_ir(fresh_copy(m))
    rng = random.Random(path.name)
    for pipeline in LONG + [random_pipeline(rng) for _ in range(2)]:
        check_pipeline(m, pipeline, expected)


def _seeds() -> list[int]:
    return list(range(int(os.environ.get("RUCHY_DIFF_SEEDS", "24"))))


@pytest.mark.parametrize("seed", _seeds())
def test_generated_program(seed: int) -> None:
    ruchy_gen = pytest.importorskip("ruchy_gen")
    # odd seeds pass every literal through an identity function, which inlining and
    # constant propagation must see through
    text = ruchy_gen.generate_program(random.Random(seed), opaque_literals=seed % 2 == 1)
    try:
        m = load_module(SourceFile(f"gen{seed}.ruchy", text))
    except RuchyError as e:
        pytest.fail(f"generated program {seed} does not compile: {e.message}\n{text}")
    expected = run_ir(fresh_copy(m))
    rng = random.Random(seed)
    for pipeline in rng.sample(ALONE, 5) + ["default<O2>"] + \
            [random_pipeline(rng) for _ in range(2)]:
        check_pipeline(m, pipeline, expected)


def test_generated_programs_hypothesis() -> None:
    """The generator's hypothesis strategy, shrinking to a small failing program."""
    ruchy_gen = pytest.importorskip("ruchy_gen")
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=int(os.environ.get("RUCHY_DIFF_EXAMPLES", "6")), deadline=None,
              suppress_health_check=list(HealthCheck), database=None)
    @given(text=ruchy_gen.programs(size=16), seed=st.integers(0, 10**6))
    def check(text: str, seed: int) -> None:
        m = load_module(SourceFile("hyp.ruchy", text))
        expected = run_ir(fresh_copy(m))
        check_pipeline(m, random_pipeline(random.Random(seed)), expected)

    check()

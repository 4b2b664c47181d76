"""tools/ruchy_gen_l3_fn.py (``--closures``): closures, iterator chains and maps.

Generated programs parse and run at tier 0 (in-process); a standalone one (valid Rust)
prints what rustc's build of it printed; the option draws no random numbers when off.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

from ruchy_gen import generate_program  # noqa: E402
from ruchy_gen_l3_fn import generate_fn_program  # noqa: E402
from ruchy_harness import run_source  # noqa: E402

#: the output of ``generate_fn_program(random.Random(5), 10)`` compiled with rustc 1.x
#: (``python tools/ruchy_gen_l3_fn.py --seed 5 --size 10 > p.rs && rustc p.rs && ./p``);
#: if the generator changes on purpose, regenerate it that way (never from tier 0)
RUSTC_SEED5 = """\
r2 = 8
seen1 = 2
m3: None
ks5 = [0]
m6: None
m6: Some(17)
m6: true
m6 = {0: 14, 1: 17}
r9 = 1
seen8 = 1
r11 = -12
r12 = [2, 1, 0]
c13 = 1
r15 = None
m16: 4
m16: Some(-4)
0 -> 4
1 -> -7
2 -> -6
3 -> -5
r20 = -30
"""

#: what a mixed program may fail with (the rest of the generator provokes these)
EXPECTED = ("integer overflow", "division by zero", "index out of bounds",
            "assertion failed")


def test_standalone_program_prints_what_rustc_printed(tmp_path):
    src = generate_fn_program(random.Random(5), 10)
    res = run_source(src, tmp_path)
    assert (res.status, res.stderr) == (0, ""), res.stderr
    assert res.stdout == RUSTC_SEED5


def test_standalone_programs_run_and_use_every_feature(tmp_path):
    seen = ""
    for seed in range(3):
        src = generate_fn_program(random.Random(seed), 14)
        seen += src
        res = run_source(src, tmp_path)
        assert (res.status, res.stderr) == (0, ""), f"seed {seed}: {res.stderr}\n{src}"
        assert res.stdout.count("\n") >= 10
    for feature in ("apply_impl(", "apply_dyn(&", "adder(", ".entry(", "HashSet::new()",
                    "BTreeMap::new()", ".sort()", "+= 1; x", ".copied()"):
        assert feature in seen, feature


def test_mixed_programs_run_at_tier_0(tmp_path):
    for seed in range(2):
        src = generate_program(random.Random(seed), 12, level3=True, closures=True)
        assert "fn apply_dyn(f: &dyn Fn(i64) -> i64" in src
        res = run_source(src, tmp_path)
        assert "Traceback" not in res.stderr, res.stderr
        assert res.status == 0 or any(e in res.stderr for e in EXPECTED), \
            f"seed {seed}: {res.stderr}\n{src}"


def test_closures_option_draws_nothing_when_off():
    plain = generate_program(random.Random(4), 16, level3=True)
    assert plain == generate_program(random.Random(4), 16, level3=True, closures=False)
    with_fn = generate_program(random.Random(4), 16, level3=True, closures=True)
    assert with_fn != plain
    assert with_fn == generate_program(random.Random(4), 16, level3=True, closures=True)

"""OSR of a top-level loop in a file whose top-level variables functions share
(``let mut total = 0`` read or assigned by a ``fn``): the loop is entered as any
top-level loop when the rest of the program calls no such function, and refused, with
the reason, when it does (the IR has no function that uses a top-level variable, so the
continuation would not lower). Either way the output is tier 0's."""
from __future__ import annotations

from pathlib import Path

from jit_support import assert_osr_entered_same_as_tier0, events, log_of_run_like_tier0

OSR_SOON = ["--jit-osr=100", "--jit-tier1=1e9", "--jit-tier2=1e9"]

#: `show` reads the shared `total`; the loop and what follows never call it
NOT_CALLED = """let mut total = 0
fn show() { println("total is {}", total) }
for i in 0..1000 { total += i * 3 }
let half = total / 2
println("{} {}", total, half)
"""

#: the rest of the program calls `bump`, which assigns the shared `total`
CALLED = """let mut total = 0
fn bump(k) { total += k }
let mut i = 0
while i < 1000 { bump(i); i += 1 }
println("{} {}", total, i)
"""


def test_shared_variable_loop_entered(tmp_path: Path) -> None:
    assert_osr_entered_same_as_tier0(tmp_path / "shared.ruchy", NOT_CALLED, "3:1",
                                     "total, #cur, #end", tmp_path / "c", OSR_SOON)


def test_loop_calling_a_sharing_function_refused(tmp_path: Path) -> None:
    log = log_of_run_like_tier0(tmp_path / "bump.ruchy", CALLED, tmp_path / "c",
                                OSR_SOON, same_stderr=True)
    assert not events(log, "osr"), log
    refused = events(log, "osr-refused")
    assert len(refused) == 1 and "bump.ruchy:4:1 in the top level: it calls bump, " \
        "which did not lower" in refused[0], log

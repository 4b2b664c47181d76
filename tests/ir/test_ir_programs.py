"""Every program in shared/examples, tests/programs and tests/ir/programs: the SSA text
round-trips exactly and verifies, and the IR interpreter prints what tier 0 prints and
fails the same way (same message at the same position)."""
from __future__ import annotations

import os
import pytest

from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.verify import verify_module

from ir_helpers import (ROOT, lower_text, program_files, run_cli, run_ir, run_tier0,
                        skip_level3)

PROGRAMS = program_files()


def _id(path: str) -> str:
    return os.path.relpath(path, os.path.dirname(ROOT))


@pytest.mark.parametrize("path", PROGRAMS, ids=_id)
def test_ssa_round_trips_and_verifies(path: str) -> None:
    text = open(path, encoding="utf-8").read()
    skip_level3(text, path)
    try:
        m = lower_text(text, path)
    except Exception as e:  # a static error: tier 0 must report the same one
        assert run_tier0(text, path)[1] == run_ir(text, path)[1], e
        return
    verify_module(m)
    printed = print_module(m)
    again = parse_module(printed)
    verify_module(again)
    assert print_module(again) == printed


@pytest.mark.parametrize("path", PROGRAMS, ids=_id)
def test_ir_interpreter_agrees_with_tier0(path: str) -> None:
    text = open(path, encoding="utf-8").read()
    skip_level3(text, path)
    expected = run_tier0(text, path)
    if expected[1] and expected[1][1] == "stack overflow":
        # How deep tier 0 gets depends on the Python stack under it, and when the
        # limit is hit entering a Python frame (rather than in a C call) tier 0 names
        # the call one frame further out. So compare from the command line (the
        # installed script), where the IR's limit is set to agree, allowing that.
        ir, t0 = run_cli(["run", "--tier=ir", path]), run_cli(["run", "--tier=0", path])
        assert ir[0] == t0[0] == 1
        assert ": error: stack overflow\n" in ir[2] and ": error: stack overflow\n" in t0[2]
        assert ir[1].startswith(t0[1]) or t0[1].startswith(ir[1])
        return
    got = run_ir(text, path)
    if got != expected and _tier0_is_the_odd_one_out(path, got[0], expected[0]):
        pytest.xfail("tier 0 does not print the .expected output, the IR does: a tier-0 bug")
    assert got == expected
    assert run_ir(text, path, roundtrip=True) == expected


def _tier0_is_the_odd_one_out(path: str, ir_out: str, tier0_out: str) -> bool:
    exp = path[:-len(".ruchy")] + ".expected"
    if not os.path.exists(exp):
        return False
    want = open(exp, encoding="utf-8").read()
    return ir_out == want != tier0_out


@pytest.mark.parametrize("path", PROGRAMS, ids=_id)
def test_expected_output_files(path: str) -> None:
    exp = path[:-len(".ruchy")] + ".expected"
    if not os.path.exists(exp):
        pytest.skip("no .expected file")
    text, want = open(path, encoding="utf-8").read(), open(exp, encoding="utf-8").read()
    skip_level3(text, path)
    out, _ = run_ir(text, path)
    if out != want and run_tier0(text, path)[0] == out:
        pytest.skip("tier 0 prints the same as the IR but not the .expected file: "
                    "a runtime-library difference, not an IR one")
    assert out == want


def test_index_error_example_from_the_command_line() -> None:
    """e08 prints its lines, then fails with index out of bounds and exit status 1."""
    path = os.path.join(os.path.dirname(ROOT), "shared", "examples", "e08_index_error.ruchy")
    if not os.path.exists(path):
        pytest.skip("shared examples not present")
    status, out, err = run_cli(["run", "--tier=ir", path])
    assert status == 1
    assert out == open(path[:-6] + ".expected").read()
    assert err.startswith(f"{path}:5:15: error: index out of bounds\n")
    assert "Traceback" not in err

"""Every program of tests/programs and ../shared/examples, run through the CLI at every tier
of ``TIERS``: stdout byte for byte, exit status, and the error line of failing programs.

Most run in-process for speed; a few (deep recursion, stack overflow, and the shared
examples) run as a real ``ruchy-opt`` subprocess. See tests/programs/README.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest

from ruchy_harness import (EXAMPLES_DIR, PROGRAMS_DIR, TIERS, diagnostic_problems,
                           pattern_matches, run_program)

#: Shared examples that fail, and the message (fragment) they fail with; their README says
#: so, as they have no .error file.
EXAMPLE_ERRORS = {"e08_index_error": "index out of bounds"}

#: Programs run in a separate process: deep recursion must work (and overflow must be
#: caught) in a real process, not only under pytest's stack.
SUBPROCESS = {"recursion", "err_stack_overflow", "err_stack_overflow_mutual"}


@dataclass(frozen=True)
class Case:
    """One program with its expectations."""

    path: Path
    expected: bytes
    error: Optional[str]  # pattern for the first stderr line, None if it must succeed
    subprocess_: bool

    @property
    def name(self) -> str:
        return self.path.stem


def _cases() -> list[Case]:
    cases = []
    for path in sorted(PROGRAMS_DIR.glob("*.ruchy")):
        err_file = path.with_suffix(".error")
        error = err_file.read_text(encoding="utf-8").split("\n")[0] if err_file.exists() else None
        cases.append(Case(path, path.with_suffix(".expected").read_bytes(), error,
                          path.stem in SUBPROCESS))
    if EXAMPLES_DIR.is_dir():
        for path in sorted(EXAMPLES_DIR.glob("*.ruchy")):
            cases.append(Case(path, path.with_suffix(".expected").read_bytes(),
                              EXAMPLE_ERRORS.get(path.stem), True))
    return cases


CASES = _cases()

#: Programs that tier 0 gets wrong today (reported to the lead). Strict: when a bug is
#: fixed the test XPASSes and fails, and the entry must go.
KNOWN_BUGS: dict[str, str] = {}

#: Shared examples that belong to a later issue and cannot pass yet. Strict as KNOWN_BUGS:
#: an example that starts passing XPASSes and fails the suite, and its entry must go.
LATER_ISSUE_EXAMPLES: dict[str, str] = {
}


def _id(case: Case) -> str:
    return ("examples/" if case.path.parent == EXAMPLES_DIR else "") + case.name


def test_suite_is_complete():
    """Every program has an expected output, and the suite has not gone missing."""
    assert len([c for c in CASES if c.path.parent == PROGRAMS_DIR]) >= 60
    for path in PROGRAMS_DIR.glob("*"):
        if path.suffix in (".expected", ".error"):
            assert path.with_suffix(".ruchy").exists(), f"{path.name} has no program"


def _xfail_reason(case: Case) -> Optional[str]:
    """Why ``case`` is expected to fail today (KNOWN_BUGS, LATER_ISSUE_EXAMPLES), or None."""
    table = KNOWN_BUGS if case.path.parent == PROGRAMS_DIR else LATER_ISSUE_EXAMPLES
    return table.get(case.name)


def _params() -> list:
    params = []
    for c in CASES:
        reason = _xfail_reason(c)
        params.append(c if reason is None else
                      pytest.param(c, marks=pytest.mark.xfail(reason=reason, strict=True)))
    return params


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("case", _params(), ids=_id)
def test_program(case: Case, tier: str):
    res = run_program(case.path, tier, subprocess_=case.subprocess_)
    if res.not_implemented:
        pytest.skip(f"tier {tier} is not implemented yet")
    # stdout first: it is the most informative difference
    assert res.stdout.encode("utf-8") == case.expected, (
        f"stdout differs\n--- stderr ---\n{res.stderr}")
    if case.error is None:
        assert res.stderr == "", f"unexpected stderr:\n{res.stderr}"
        assert res.status == 0
        return
    assert res.status == 1, f"exit status {res.status}, stderr:\n{res.stderr}"
    first = res.stderr.split("\n")[0]
    prefix = f"{case.path}:"
    located = f"{case.path.name}:{first[len(prefix):]}" if first.startswith(prefix) else first
    assert pattern_matches(case.error, located), (
        f"stderr first line {located!r} does not match {case.error!r}")
    problems = diagnostic_problems(res.stderr, str(case.path),
                                   case.path.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems) + f"\n--- stderr ---\n{res.stderr}"

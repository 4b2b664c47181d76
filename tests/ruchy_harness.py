"""Running ``ruchy-opt`` from tests: in-process (fast) or as a subprocess (the real thing),
and checking its diagnostics.

Shared by test_programs, test_cli_errors, test_properties and test_generated. Every helper
runs the command-line entry point, never the interpreter's internals, so the same tests
hold for every tier that the CLI offers.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

REPO = Path(__file__).resolve().parent.parent
PROGRAMS_DIR = REPO / "tests" / "programs"
#: The shared example programs (../shared/examples next to the repository); may be absent
#: in a fresh clone elsewhere, and RUCHY_EXAMPLES may point somewhere else.
EXAMPLES_DIR = Path(os.environ.get("RUCHY_EXAMPLES", REPO.parent / "shared" / "examples"))
TOOLS_DIR = REPO / "tools"

#: Tiers that test_programs (and the property tests) run every program at. Later issues
#: extend this list (e.g. "ir", "1", "2", "auto"); RUCHY_TIERS="0,1" overrides it. A tier
#: the CLI refuses as "not implemented yet" is skipped, not failed.
TIERS: list[str] = os.environ.get("RUCHY_TIERS", "0").split(",")

TRACEBACK_MARK = "Traceback (most recent call last)"


@dataclass
class Result:
    """Exit status and captured output of one ruchy-opt invocation."""

    status: int
    stdout: str
    stderr: str

    @property
    def not_implemented(self) -> bool:
        """The CLI refused the request as a stage or tier that does not exist yet."""
        return self.status == 2 and "not implemented yet" in self.stderr


def run_cli(argv: Sequence[str], subprocess_: bool = False, timeout: float = 120) -> Result:
    """Run ``ruchy-opt ARGV``. In-process by default (``ruchy_opt.cli.main`` with stdout and
    stderr captured); with ``subprocess_`` as ``python -m ruchy_opt.cli`` in a fresh process.

    An exception escaping ``main`` in-process is reported as it would reach a user: a
    traceback on stderr and status 1 (tests then fail on the traceback)."""
    if subprocess_:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
        p = subprocess.run([sys.executable, "-m", "ruchy_opt.cli", *argv], cwd=REPO,
                           env=env, capture_output=True, timeout=timeout)
        return Result(p.returncode, p.stdout.decode("utf-8", "replace"),
                      p.stderr.decode("utf-8", "replace"))
    from ruchy_opt import cli
    out, err = io.StringIO(), io.StringIO()
    limit = sys.getrecursionlimit()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(list(argv))
        except SystemExit as e:  # should not happen; main returns its status
            status = e.code if isinstance(e.code, int) else 1
        except BaseException:  # noqa: BLE001 - a crash is what we test for
            err.write(traceback.format_exc())
            status = 1
        finally:
            sys.setrecursionlimit(limit)
    return Result(status, out.getvalue(), err.getvalue())


def run_with_max_rss(tier: str, path: Path, timeout: float = 300) -> tuple[str, int]:
    """``ruchy-opt run --tier=TIER PATH`` in a process of its own: its stdout (stripped)
    and its peak resident memory in KB. The run is the only child of a fresh Python, so
    RUSAGE_CHILDREN is that run's alone, not the test session's."""
    code = ("import resource, subprocess, sys\n"
            f"r = subprocess.run([sys.executable, '-m', 'ruchy_opt.launch', 'run', "
            f"'--tier={tier}', {str(path)!r}], capture_output=True, text=True)\n"
            "print(r.stdout.strip(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, timeout=timeout).stdout.rsplit(None, 1)
    return out[0], int(out[1])


def run_program(path: Path | str, tier: str = "0", subprocess_: bool = False) -> Result:
    """Run one program file at ``tier``."""
    return run_cli(["run", f"--tier={tier}", str(path)], subprocess_=subprocess_)


def run_source(text: str, tmp_path: Path, tier: str = "0", name: str = "prog.ruchy",
               subprocess_: bool = False) -> Result:
    """Write ``text`` to ``tmp_path/name`` and run it."""
    path = Path(tmp_path) / name
    path.write_text(text, encoding="utf-8")
    return run_program(path, tier, subprocess_)


# --- expected errors ----------------------------------------------------------------

def pattern_matches(pattern: str, line: str) -> bool:
    """Whether a stderr first line matches an expected-error pattern (see
    tests/programs/README.md): a glob with `*` when it holds ': error:', otherwise a
    fragment of the message."""
    if ": error:" not in pattern:
        return pattern in line.split(": error:", 1)[-1]
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, line) is not None


_LOCATED = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.*)$")


def diagnostic_problems(stderr: str, path: str, source: Optional[str]) -> list[str]:
    """What is wrong with an error report on stderr: it must start with
    ``PATH:LINE:COL: error: MESSAGE`` (or ``PATH: error: MESSAGE`` without a position),
    then show the source line and a caret under COL; never a Python traceback."""
    problems = []
    if TRACEBACK_MARK in stderr:
        problems.append("Python traceback on stderr")
    lines = stderr.split("\n")
    first = lines[0]
    if not first.startswith(f"{path}:"):
        problems.append(f"first stderr line does not start with '{path}:': {first!r}")
        return problems
    m = _LOCATED.match(first)
    if m is None:
        if not first.startswith(f"{path}: error: "):
            problems.append(f"first stderr line is not 'FILE:LINE:COL: error: MSG': {first!r}")
        return problems
    if source is None:
        return problems
    line_no, col = int(m["line"]), int(m["col"])
    src_lines = source.split("\n")
    if not 1 <= line_no <= len(src_lines) + 1:
        problems.append(f"line {line_no} is outside the file")
        return problems
    want = src_lines[line_no - 1].rstrip("\r") if line_no <= len(src_lines) else ""
    if len(lines) < 3:
        problems.append("no source line and caret after the error line")
        return problems
    if lines[1] != want:
        problems.append(f"second stderr line is not source line {line_no}: {lines[1]!r}")
    caret = lines[2]
    pad = min(col - 1, len(want))  # a position past the end of the line (e.g. at EOF)
    if caret.lstrip(" \t")[:1] != "^" or len(caret) - len(caret.lstrip(" \t")) != pad:
        problems.append(f"caret line does not point at column {col}: {caret!r}")
    return problems

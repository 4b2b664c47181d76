"""A tiny lit: run the ``RUN:`` lines of a test file through a shell, as LLVM's lit does.

For pass tests, in this repository and in plugins (see docs/writing-a-pass.md)::

    python -m ruchy_opt.passmgr.lit strength.ssa tests/    # files, or folders of them

A test file carries lines such as::

    ; RUN: ruchy-opt --passes=sccp --emit=ssa %s | filecheck %s
    ; RUN: not ruchy-opt --passes=nope %s 2>&1 | filecheck --check-prefix=ERR %s

``%s`` is the test file, ``%t`` a scratch path, ``%S`` the file's folder; ``not``
inverts a command's status. The commands run with the virtual environment's ``bin`` first
on PATH, so ``ruchy-opt`` and ``filecheck`` are the ones under test. Folders are searched
for ``.ssa`` and ``.ruchy`` files that have ``RUN:`` lines (except in ``Inputs`` folders).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BIN = str(Path(sys.executable).parent)
RUN = re.compile(r"^\s*(?:;|//|#)\s*RUN:\s*(.*)$")


def run_lines(path: Path) -> list[str]:
    """The commands of a test file (a RUN line ending in ``\\`` continues)."""
    out: list[str] = []
    pending = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        m = RUN.match(line)
        if not m:
            continue
        cmd = pending + m.group(1).rstrip()
        if cmd.endswith("\\"):
            pending = cmd[:-1] + " "
            continue
        pending = ""
        out.append(cmd)
    return out


def substitute(cmd: str, path: Path, tmp: Path) -> str:
    cmd = cmd.replace("%s", str(path)).replace("%t", str(tmp)).replace("%S", str(path.parent))
    # `not CMD | rest`: the status of CMD is inverted (pipefail makes it count)
    return re.sub(r"(^|\|\s*)not\s+([^|]+)", r"\1! { \2; }", cmd)


def run_test(path: Path, tmp: Path) -> tuple[bool, str]:
    """Run every RUN line; (passed, report)."""
    cmds = run_lines(path)
    if not cmds:
        return False, f"{path}: no RUN lines"
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    for cmd in cmds:
        full = substitute(cmd, path, tmp)
        p = subprocess.run(["bash", "-o", "pipefail", "-c", full], capture_output=True,
                           text=True, env=env, timeout=120, cwd=path.parent)
        if p.returncode != 0:
            return False, (f"RUN: {cmd}\n$ {full}\nexit status {p.returncode}\n"
                           f"--- stdout ---\n{p.stdout}\n--- stderr ---\n{p.stderr}")
    return True, ""


def find_tests(paths: list[str]) -> list[Path]:
    """The test files named, and those with RUN lines in the folders named."""
    found: list[Path] = []
    for name in paths:
        p = Path(name)
        if not p.is_dir():
            found.append(p)
            continue
        for f in sorted([*p.rglob("*.ssa"), *p.rglob("*.ruchy")]):
            if "Inputs" not in f.relative_to(p).parts and run_lines(f):
                found.append(f)
    return found


def main(argv: list[str]) -> int:
    """Run the tests; print PASS or FAIL (with the failing command's output) for each."""
    import tempfile
    if not argv:
        print("usage: python -m ruchy_opt.passmgr.lit FILE|DIR...", file=sys.stderr)
        return 2
    failed = 0
    tests = find_tests(argv)
    for path in tests:
        if not path.is_file():
            print(f"FAIL {path}: no such file")
            failed += 1
            continue
        with tempfile.TemporaryDirectory() as d:
            passed, report = run_test(path.resolve(), Path(d) / "t")
        print(("PASS " if passed else "FAIL ") + str(path))
        if not passed:
            print(report)
            failed += 1
    print(f"{len(tests) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

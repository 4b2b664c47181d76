"""Parse time of the working tree's parser against the one at git revisions: the CPU
time of the first ``parse_program`` (tables loaded), of the table load with it, and of a
second parse of the same text, each the minimum over N fresh processes.

    .venv/bin/python tests/syntax/bench_parser.py [--rev HEAD ...] [-n 12] FILE...

Not a pytest module (it takes a minute)."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_parsers import REPO, extract_old  # noqa: E402

_CHILD = r"""
import sys, time
sys.path.insert(0, {root!r})
t0 = time.process_time()
from {pkg}.syntax.parser import parse_program, _parser
_parser()
t1 = time.process_time()
text = open({file!r}).read()
t2 = time.process_time()
parse_program(text)
t3 = time.process_time()
parse_program(text)
t4 = time.process_time()
print(t3 - t2, t3 - t0, t4 - t3)
"""


def measure(root: str, pkg: str, file: str, n: int) -> list[float]:
    """min over ``n`` fresh processes of: the first parse, the table load with the first
    parse, and a second parse of the same text (ms)."""
    best = [float("inf")] * 3
    code = _CHILD.format(root=root, pkg=pkg, file=file)
    for _ in range(n):
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if r.returncode:
            return [float("nan")] * 3  # this parser rejects the file
        best = [min(b, float(x)) for b, x in zip(best, r.stdout.split())]
    return [b * 1000 for b in best]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rev", action="append", default=[])
    ap.add_argument("-n", type=int, default=12)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    roots = [("worktree", REPO, "ruchy_opt")]
    for rev in a.rev:
        d = tempfile.mkdtemp()
        extract_old(rev, d)
        sys.path.remove(d)
        roots.append((rev, d, "ruchy_old"))
    for f in a.files:
        for label, root, pkg in roots:
            p, t, w = measure(root, pkg, os.path.abspath(f), a.n)
            print(f"{os.path.basename(f):24} {label:10} first parse {p:7.2f}   load+first "
                  f"{t:7.2f}   second parse {w:7.2f} ms")


if __name__ == "__main__":
    main()

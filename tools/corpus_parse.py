#!/usr/bin/env python3
"""Parse every program of a corpus folder (no execution) and count the failures by message.

    .venv/bin/python tools/corpus_parse.py [DIR] [--show N] [--match TEXT]

DIR defaults to ../shared/corpus/programs. Programs are put in scopes as
../shared/tools/corpus_check.py does ('broken', 'out', 'in'); the last line is
`parsed: N/M in-scope programs`. A Python traceback (not a RuchySyntaxError) counts as a
crash and is listed: the parser must never raise one.
"""
from __future__ import annotations

import argparse
import collections
import pathlib
import re
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
OUT_OF_SCOPE = re.compile(r"df!|DataFrame|\basync\b|\bactor\b|\bspawn\b|http_get|\bawait\b")
BROKEN = re.compile(r"broken|_red\b|_red\.|qa_sandbox__error")


def scope(path: pathlib.Path, text: str) -> str:
    """The corpus_check.py scope of a program."""
    if BROKEN.search(path.name):
        return "broken"
    return "out" if OUT_OF_SCOPE.search(text) else "in"


def main() -> int:
    from ruchy_opt.errors import RuchySyntaxError
    from ruchy_opt.syntax.parser import parse_program

    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus" / "programs"))
    ap.add_argument("--show", type=int, default=25, help="most frequent messages to list")
    ap.add_argument("--match", help="list the files whose first error contains this text")
    a = ap.parse_args()
    counts: collections.Counter = collections.Counter()
    msgs: collections.Counter = collections.Counter()
    crashes = []
    for f in sorted(pathlib.Path(a.corpus).glob("*.ruchy")):
        text = f.read_text(errors="replace")
        sc = scope(f, text)
        try:
            parse_program(text, f.name)
            counts[sc, "ok"] += 1
        except RuchySyntaxError as e:
            counts[sc, "error"] += 1
            if sc == "in":
                msg = re.sub(r"'[^']*'", "'_'", e.message) if False else e.message
                msgs[msg[:80]] += 1
                if a.match and a.match in e.message:
                    print(f"{f}:{e.span.line}:{e.span.col}: {e.message}")
        except Exception as e:  # noqa: BLE001 - a crash is what this looks for
            counts[sc, "crash"] += 1
            crashes.append(f"{f.name}: {type(e).__name__}: {e}")
    for sc in ("in", "out", "broken"):
        print(f"{sc:6s} ok={counts[sc, 'ok']} error={counts[sc, 'error']} crash={counts[sc, 'crash']}")
    print("most frequent syntax errors (in scope):")
    for m, n in msgs.most_common(a.show):
        print(f"  {n:4d}  {m}")
    for c in crashes[:20]:
        print("CRASH", c)
    ins = sum(v for (s, _), v in counts.items() if s == "in")
    print(f"parsed: {counts['in', 'ok']}/{ins} in-scope programs")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())

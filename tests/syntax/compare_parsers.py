"""Compare the parser of the working tree with the one at a git revision: same ASTs
(every field, spans included) and same errors (message and position).

    .venv/bin/python tests/syntax/compare_parsers.py [--rev HEAD] [--seeds 40] [--mutations 3000]

The old parser (``ruchy_opt/syntax`` and ``ruchy_opt/errors.py`` at ``--rev``) is
extracted into a temporary package outside the repository. Inputs: every ``.ruchy`` file
under examples/, tests/ and ../shared/examples/, programs from tools/ruchy_gen.py, random
one-edit mutations of all of these (to reach the error paths), and random expressions
mixing every binary and unary operator. Exits 1 on the first differences (written to
the temporary directory), 0 if there are none. Not a pytest module: it takes minutes.
"""
from __future__ import annotations

import argparse
import dataclasses
import glob
import os
import random
import subprocess
import sys
import tempfile
from typing import Any, Callable

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def extract_old(rev: str, into: str) -> Callable[[str], Any]:
    """``parse_program`` of the parser at ``rev``, as package ``ruchy_old`` under ``into``."""
    pkg = os.path.join(into, "ruchy_old")
    os.makedirs(os.path.join(pkg, "syntax"))
    open(os.path.join(pkg, "__init__.py"), "w").close()
    names = subprocess.run(["git", "ls-tree", "--name-only", rev, "ruchy_opt/syntax/"], cwd=REPO,
                           capture_output=True, text=True, check=True).stdout.split()
    # (the syntax package reads its caches through codegen/cachefile.py, stdlib only)
    os.makedirs(os.path.join(pkg, "codegen"))
    open(os.path.join(pkg, "codegen", "__init__.py"), "w").close()
    for path in names + ["ruchy_opt/errors.py", "ruchy_opt/codegen/cachefile.py"]:
        if not path.endswith((".py", ".lark")):
            continue
        got = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=REPO, capture_output=True)
        if got.returncode != 0 and path.endswith("cachefile.py"):
            continue  # a revision from before the sealed caches
        got.check_returncode()
        data = got.stdout
        with open(os.path.join(pkg, path[len("ruchy_opt/"):]), "wb") as f:
            f.write(data)
    sys.path.insert(0, into)
    from ruchy_old.syntax.parser import parse_program  # type: ignore[import-not-found]
    return parse_program


#: Fields that the working tree fills deliberately where the old parser left the default
#: (``Vec<i64>`` now has ``args``); compared as absent.
IGNORED = {("TypeRef", "args")}


def norm(x: Any) -> Any:
    """A comparable rendering of an AST: class names, every field, spans as tuples.
    A field that is None or empty is left out, so that a field added with such a
    default (``For.pattern``, ``Break.label``) does not make every old AST differ."""
    if dataclasses.is_dataclass(x):
        name = type(x).__name__
        return (name,) + tuple((f.name, norm(v)) for f in dataclasses.fields(x)
                               if (v := getattr(x, f.name)) is not None and v != []
                               and (name, f.name) not in IGNORED)
    if isinstance(x, list):
        return [norm(v) for v in x]
    return (type(x).__name__, repr(x))


def outcome(parse: Callable[[str], Any], text: str) -> tuple:
    try:
        return ("ok", norm(parse(text)))
    except RecursionError:
        return ("recursion",)
    except Exception as e:  # noqa: BLE001 - any error is compared, not raised
        sp = getattr(e, "span", None)
        return ("err", type(e).__name__, getattr(e, "message", str(e)),
                sp and (sp.line, sp.col, sp.end_line, sp.end_col))


SNIPPETS = list("(){}[];,.=+-*/%<>!&|^:\"'") + [
    "let ", "fn ", "if ", "else ", " as ", "..", "..=", "=>", "::", "->", "0x", "1e", "f\"{",
    "/*", "**", "<<", ">>", "&mut ", "match ", "return", "break", "\n-", "\n(", "\n["]
OPS = ["+", "-", "*", "/", "%", "**", "<<", ">>", "<", ">", "<=", ">=", "==", "!=", "&", "|",
       "^", "&&", "||"]


def inputs(seeds: int, mutations: int, rng: random.Random) -> list[tuple[str, str]]:
    sys.path.insert(0, os.path.join(REPO, "tools"))
    import ruchy_gen  # type: ignore[import-not-found]

    files = sorted(set(sum((glob.glob(os.path.join(REPO, d, "**", "*.ruchy"), recursive=True)
                            for d in ("examples", "tests", "../shared/examples")), [])))
    texts = [(f, open(f, encoding="utf-8", errors="replace").read()) for f in files]
    texts += [(f"ruchy_gen seed {s}", ruchy_gen.generate_program(random.Random(s), 30))
              for s in range(seeds)]
    out = list(texts)
    for i in range(mutations):
        name, t = rng.choice(texts)
        if not t:
            continue
        p = rng.randrange(len(t))
        op = rng.randrange(4)
        if op == 0:
            m = t[:p] + t[p + 1:]
        elif op == 1:
            m = t[:p] + rng.choice(SNIPPETS) + t[p:]
        elif op == 2:
            m = t[:p] + t[min(len(t), p + rng.randrange(1, 40)):]
        else:
            m = t[:p] + rng.choice(SNIPPETS) + t[p + 1:]
        out.append((f"mutation {i} of {name}", m))
    operands = ["a", "1", "-1", "2.5", "-b", "!c", "x.f", "x[1]", "f(y)", "(a+b)", "&x", "*p",
                "-9223372036854775808", "1 as f64", "-3 as i64", "&mut z", "y.m(1)", "3 ** 2"]
    for i in range(3000):
        parts = [rng.choice(operands)]
        for _ in range(rng.randrange(0, 6)):
            parts += [rng.choice(OPS), rng.choice(operands)]
        src = "let r = " + " ".join(parts) + "\n"
        if rng.random() < 0.2:
            src = src.replace(" ", "\n", 1)
        if rng.random() < 0.2:
            q = rng.randrange(len(src))
            src = src[:q] + src[q + 1:]
        out.append((f"expression {i}", src))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rev", default="HEAD")
    ap.add_argument("--seeds", type=int, default=40)
    ap.add_argument("--mutations", type=int, default=3000)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="ruchy-parser-old-")
    old = extract_old(args.rev, tmp)
    sys.path.insert(0, REPO)
    from ruchy_opt.syntax.parser import parse_program as new

    fails = 0
    cases = inputs(args.seeds, args.mutations, random.Random(1))
    for name, text in cases:
        a, b = outcome(old, text), outcome(new, text)
        if a != b:
            fails += 1
            if fails <= 10:
                path = os.path.join(tmp, f"difference{fails}.ruchy")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                print(f"DIFFERENT: {name} ({path})\n  {args.rev}: {str(a)[:300]}\n"
                      f"  working tree: {str(b)[:300]}")
    print(f"{len(cases)} inputs, {fails} different")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())

"""Shrink a Ruchy program while it stays "interesting" (a test-case reducer).

When a differential test finds that two tiers disagree on a 200-line generated program,
this turns it into the few lines that still show the disagreement:

    python tools/reduce.py prog.ruchy --tiers 0,2              # the tiers still disagree
    python tools/reduce.py prog.ruchy --grep 'Traceback'       # output still matches
    python tools/reduce.py prog.ruchy --cmd './still-bad.sh {}' # a script exits 0

The result goes to ``prog.reduced.ruchy`` (or ``-o FILE``). Interesting means, per mode:
``--tiers A,B`` the two ``ruchy-opt run --tier=`` runs differ in stdout, stderr (with the
file name normalised) or exit status; ``--grep RE`` the output (stdout and stderr) of
``run --tier=T`` (default 0) matches RE; ``--cmd`` the shell command, with ``{}`` replaced
by the candidate's path, exits with status 0.

Why not a line-based delta debugger (picire, or C-Reduce's line passes)? Ruchy is
brace-structured, so deleting lines mostly produces syntax errors. This reducer edits the
program along its AST instead (hierarchical delta debugging): it deletes whole items,
statements, match arms and call arguments, and replaces an expression by one of its
operands or by a small literal; each candidate must still parse before it is tried. Edits
are tried largest first, and the search repeats until no edit is accepted.
"""
from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from ruchy_opt.errors import RuchyError  # noqa: E402
from ruchy_opt.syntax import ast as A  # noqa: E402
from ruchy_opt.syntax.parser import parse_program  # noqa: E402

Predicate = Callable[[str], bool]


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` by ``replacement``."""

    start: int
    end: int
    replacement: str

    def apply(self, text: str) -> str:
        return text[:self.start] + self.replacement + text[self.end:]

    @property
    def gain(self) -> int:
        return (self.end - self.start) - len(self.replacement)


class _Offsets:
    """Converts the AST's (line, column) spans into offsets in the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(i + 1)

    def span(self, s: A.Span) -> tuple[int, int]:
        """[start, end) of a span (the end column is one past the last character, as lark has it)."""
        return self.starts[s.line - 1] + s.col - 1, self.starts[s.end_line - 1] + s.end_col - 1

    def item(self, node: A.Node) -> tuple[int, int]:
        """[start, end) of a deletable item or statement: a function's span starts at its
        name, so take its keyword too; a statement alone on its lines takes the lines."""
        start, end = self.span(node.span)
        if isinstance(node, A.FunDef):  # its span is its head: extend to the body's end
            end = max(end, self.span(node.body.span)[1])
            m = re.search(r"(pub\s+)?\b(fun|fn)\s+$", self.text[:start])
            if m:
                start = m.start()
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        line_end = len(self.text) if line_end < 0 else line_end + 1
        if not self.text[line_start:start].strip() and \
                not self.text[end:line_end].strip(" \t\n;"):
            return line_start, line_end
        return start, end

    def with_comma(self, end: int) -> int:
        """Extend ``end`` over white space and one following comma, if there is one."""
        i = end
        while i < len(self.text) and self.text[i] in " \t\n":
            i += 1
        return i + 1 if i < len(self.text) and self.text[i] == "," else end


_LITERALS = ("0", "1", "true", '""', "[]")


def _expr_edits(node: A.Node, off: _Offsets) -> Iterator[Edit]:
    """Replacements of an expression by a part of it or by a small literal."""
    start, end = off.span(node.span)
    text = off.text
    parts: list[A.Node] = []
    if isinstance(node, A.Binary):
        parts = [node.left, node.right]
    elif isinstance(node, (A.Unary, A.Deref, A.Ref)):
        parts = [node.operand]
    elif isinstance(node, A.Cast):
        parts = [node.value]
    elif isinstance(node, A.If):
        parts = [node.then] + ([node.orelse] if node.orelse is not None else [])
    elif isinstance(node, (A.Index,)):
        parts = [node.target, node.index]
    elif isinstance(node, A.MethodCall):
        parts = [node.receiver]
    elif isinstance(node, A.Match):
        parts = [arm.body for arm in node.arms]
    for p in parts:
        if p.span.line:
            ps, pe = off.span(p.span)
            yield Edit(start, end, text[ps:pe])
    if not isinstance(node, (A.IntLit, A.BoolLit, A.StrLit, A.FloatLit, A.Name, A.UnitLit)):
        for lit in _LITERALS:
            yield Edit(start, end, lit)


_EXPRS = (A.Binary, A.Unary, A.Cast, A.If, A.Index, A.MethodCall, A.Match, A.Call, A.ArrayLit,
          A.ArrayRepeat, A.FStr, A.Loop, A.While, A.For, A.ForRange, A.Block, A.Deref, A.Ref)


def candidate_edits(text: str, prog: A.Program) -> list[Edit]:
    """Every edit this reducer knows for ``prog``, largest first."""
    off = _Offsets(text)
    edits: list[Edit] = []
    seen: set[int] = set()
    stack: list[A.Node] = [prog]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        deletable: list[A.Node] = []
        if isinstance(node, A.Program):
            deletable = node.items
        elif isinstance(node, A.Block):
            deletable = node.stmts
        elif isinstance(node, A.Match) and len(node.arms) > 1:
            deletable = node.arms
        elif isinstance(node, A.Call):
            deletable = node.args
        for d in deletable:
            if d.span.line:
                s, e = off.item(d) if isinstance(node, (A.Program, A.Block)) else off.span(d.span)
                edits.append(Edit(s, e, ""))
                edits.append(Edit(s, off.with_comma(e), ""))
        if node is not prog and isinstance(node, _EXPRS) and node.span.line:
            edits.extend(_expr_edits(node, off))
        stack.extend(A.children(node))
    edits = [e for e in set(edits) if e.gain > 0]
    edits.sort(key=lambda e: (-e.gain, e.start, e.replacement))
    return edits


def parses(text: str) -> bool:
    try:
        parse_program(text, "reduce.ruchy")
        return True
    except RuchyError:
        return False
    except RecursionError:  # pragma: no cover - the parser bounds its depth
        return False


def reduce_text(text: str, interesting: Predicate,
                log: Callable[[str], None] = lambda s: None) -> str:
    """The smallest variant of ``text`` this reducer finds that is still interesting.
    ``text`` itself must be interesting."""
    if not interesting(text):
        raise ValueError("the input is not interesting to begin with")
    tried: set[str] = set()
    changed = True
    while changed:
        changed = False
        prog = parse_program(text, "reduce.ruchy")
        for edit in candidate_edits(text, prog):
            cand = edit.apply(text)
            if cand in tried or not parses(cand):
                continue
            tried.add(cand)
            if interesting(cand):
                log(f"{len(text)} -> {len(cand)} bytes")
                text = cand
                changed = True
                break  # spans moved: parse again
    return text


def _run(tier: str, path: str, timeout: float) -> tuple[int, str, str]:
    cmd = [sys.executable, "-m", "ruchy_opt.cli", "run", f"--tier={tier}", path]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return (-1, "", "timeout")
    return r.returncode, r.stdout, r.stderr.replace(path, "FILE")


def make_predicate(args: argparse.Namespace, workdir: str) -> Predicate:
    """The interestingness test the command line asks for."""
    path = os.path.join(workdir, "candidate.ruchy")

    def write(text: str) -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    if args.tiers:
        a, b = args.tiers.split(",")

        def differ(text: str) -> bool:
            write(text)
            return _run(a, path, args.timeout) != _run(b, path, args.timeout)
        return differ
    if args.grep:
        pattern = re.compile(args.grep)

        def matches(text: str) -> bool:
            write(text)
            _, out, err = _run(args.tier, path, args.timeout)
            return pattern.search(out + err) is not None
        return matches
    cmd = args.cmd

    def command(text: str) -> bool:
        write(text)
        line = cmd.replace("{}", shlex.quote(path)) if "{}" in cmd else f"{cmd} {shlex.quote(path)}"
        try:
            return subprocess.run(line, shell=True, capture_output=True,
                                  timeout=args.timeout).returncode == 0
        except subprocess.TimeoutExpired:
            return False
    return command


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="reduce.py", description=__doc__.split("\n\n")[0])
    p.add_argument("file", help="the Ruchy program to shrink")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--tiers", help="A,B: interesting while the two tiers disagree")
    mode.add_argument("--grep", help="RE: interesting while the output matches RE")
    mode.add_argument("--cmd", help="shell command, {} = the candidate file; exit 0 = interesting")
    p.add_argument("--tier", default="0", help="the tier --grep runs (default 0)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per run (default 30)")
    p.add_argument("-o", "--output", help="where to write the result "
                   "(default FILE.reduced.ruchy)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    args = p.parse_args(argv)
    if args.tiers and len(args.tiers.split(",")) != 2:
        p.error("--tiers takes two tiers, e.g. 0,2")
    try:
        with open(args.file, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        p.error(f"cannot read {args.file}: {e.strerror}")
    if not parses(text):
        p.error(f"{args.file} does not parse; the reducer keeps programs parseable")
    out = args.output or re.sub(r"(\.ruchy)?$", ".reduced.ruchy", args.file, count=1)
    with tempfile.TemporaryDirectory(prefix="ruchy-reduce-") as workdir:
        interesting = make_predicate(args, workdir)
        try:
            result = reduce_text(text, interesting,
                                 (lambda s: None) if args.quiet else
                                 (lambda s: print(s, file=sys.stderr)))
        except ValueError as e:
            print(f"reduce.py: error: {args.file}: {e}", file=sys.stderr)
            return 1
    with open(out, "w", encoding="utf-8") as f:
        f.write(result)
    print(f"{args.file}: {len(text)} -> {len(result)} bytes, written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

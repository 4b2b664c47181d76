"""Printing the IR around pass runs, with LLVM's options and spelling:
``--print-before=P``, ``--print-before-all``, ``--print-after=P``, ``--print-after-all``,
``--print-changed[=MODE]`` and ``--filter-print-funcs=f,g``.

Each header names the pass, the unit it ran on (``@f``, or ``[module]`` for a module
pass) and the run number that ``--opt-bisect-limit`` counts in::

    ; *** IR Dump After sccp on @fib (7) ***

A function pass's dump is the function; a module pass's is the module (only the
functions of ``--filter-print-funcs``, when given). Everything goes to standard error.
"""
from __future__ import annotations

import difflib
import sys
from typing import Optional, TextIO

from .runner import Instrument, PassRun, PassRunner

#: ``--print-changed`` modes, as LLVM's ``opt`` spells them. Bare ``--print-changed`` is
#: ``full``: the IR at the start, then the whole unit after each run that changed it and
#: a line for each that did not. ``quiet``: only the changed units. ``diff``: a unified
#: diff instead of the whole unit; ``cdiff``: the same in colour; ``-quiet`` drops the
#: initial IR and the lines for runs that changed nothing.
from .cli_support import CHANGED_MODES  # noqa: E402 - defined there for the parser


def parse_funcs(items: list[str]) -> Optional[set[str]]:
    """``--filter-print-funcs`` values (``f,g`` or ``@f``, repeatable) -> names, or None
    (every function) when none is given."""
    names = {n.strip().lstrip("@") for item in items for n in item.split(",") if n.strip()}
    return names or None


def unit_text(run: PassRun, funcs: Optional[set[str]]) -> Optional[str]:
    """The unit's IR, restricted to ``funcs``; None when the filter leaves nothing."""
    from ..ir.printer import print_function, print_module
    if run.function is not None:
        if funcs is not None and run.function.name not in funcs:
            return None
        return print_function(run.function)
    if funcs is None:
        return print_module(run.module)
    chosen = [f for name, f in run.module.functions.items() if name in funcs]
    return "\n".join(print_function(f) for f in chosen) if chosen else None


def header(when: str, run: PassRun, tail: str = "") -> str:
    """``; *** IR Dump After sccp on @fib (7) ***`` (``tail`` before the stars)."""
    return f"; *** IR Dump {when} {run.pass_} on {run.label} ({run.number}){tail} ***\n"


class _Out:
    """``self.out``: the stream given, else sys.stderr at the time of writing."""

    _out: Optional[TextIO] = None

    @property
    def out(self) -> TextIO:
        return self._out if self._out is not None else sys.stderr


class PrintIR(_Out, Instrument):
    """``--print-before[-all]`` (``when="Before"``) and ``--print-after[-all]``:
    the unit before (after) every run of the passes named, or of every pass when
    ``names`` is None. Runs that opt-bisect skipped are not printed."""

    def __init__(self, when: str, names: Optional[set[str]] = None,
                 funcs: Optional[set[str]] = None, out: Optional[TextIO] = None) -> None:
        self.when = when
        self.names = names
        self.funcs = funcs
        self._out = out  # None: sys.stderr as it is when writing (tests redirect it)

    def _print(self, run: PassRun) -> None:
        if not run.ran or self.names is not None and run.pass_.name not in self.names:
            return
        text = unit_text(run, self.funcs)
        if text is not None:
            self.out.write(header(self.when, run) + text + "\n")

    def before_run(self, run: PassRun, runner: PassRunner) -> None:
        if self.when == "Before":
            self._print(run)

    def after_run(self, run: PassRun, runner: PassRunner) -> None:
        if self.when == "After":
            self._print(run)


def PrintAfter(names: Optional[set[str]] = None, out: Optional[TextIO] = None) -> PrintIR:
    """``--print-after-all`` (no names) and ``--print-after=P``."""
    return PrintIR("After", names, None, out)


_RED, _GREEN, _RESET = "\033[31m", "\033[32m", "\033[0m"


class PrintChanged(_Out, Instrument):
    """``--print-changed[=MODE]`` (see :data:`CHANGED_MODES`). Whether a run changed
    the unit is decided by its text, as LLVM decides it; a run whose text changed
    although the pass reported no change is marked so (``--verify-each`` makes that an
    error)."""

    def __init__(self, mode: str = "full", funcs: Optional[set[str]] = None,
                 out: Optional[TextIO] = None) -> None:
        if mode not in CHANGED_MODES:
            raise ValueError(f"unknown --print-changed mode '{mode}'")
        self.mode = mode
        self.quiet = mode.endswith("quiet")
        self.diff = mode.startswith(("diff", "cdiff"))
        self.colour = mode.startswith("cdiff")
        self.funcs = funcs
        self._out = out  # None: sys.stderr as it is when writing (tests redirect it)
        self._before: Optional[str] = None

    def start(self, module, runner: PassRunner) -> None:
        if self.quiet:
            return
        from ..ir.printer import print_function, print_module
        text = print_module(module) if self.funcs is None else "\n".join(
            print_function(f) for n, f in module.functions.items() if n in self.funcs)
        self.out.write("; *** IR Dump At Start ***\n" + text + "\n")

    def before_run(self, run: PassRun, runner: PassRunner) -> None:
        self._before = unit_text(run, self.funcs) if run.ran else None

    def after_run(self, run: PassRun, runner: PassRunner) -> None:
        if not run.ran:
            return
        after = unit_text(run, self.funcs)
        if after is None:
            if not self.quiet:
                self.out.write(header("After", run, " filtered out"))
            return
        before = self._before or ""
        if after == before:
            if not self.quiet:
                self.out.write(header("After", run, " omitted because no change"))
            return
        note = "" if run.changed else " (the pass reported no change)"
        self.out.write(header("After", run, note))
        if not self.diff:
            self.out.write(after + "\n")
            return
        for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                         f"before {run.pass_} on {run.label} ({run.number})",
                                         f"after {run.pass_} on {run.label} ({run.number})",
                                         n=2):
            if self.colour and line[:1] in "+-" and not line.startswith(("+++", "---")):
                line = (_GREEN if line[0] == "+" else _RED) + line.rstrip("\n") + _RESET + "\n"
            self.out.write(line)


__all__ = ["CHANGED_MODES", "PrintAfter", "PrintChanged", "PrintIR", "header", "parse_funcs",
           "unit_text"]

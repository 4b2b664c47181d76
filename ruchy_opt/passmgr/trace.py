"""``--debug-pass-manager``: a trace of what the pass manager does and why, on stderr.

::

    Running pass: sccp on @fib (run 3, 14 instructions)
    Running analysis: domtree on @fib
    Finished pass: sccp on @fib (run 3): changed the IR
    Keeping analysis: domtree on @fib (sccp changed @fib; the pass preserves the CFG)
    Running pass: licm on @fib (run 5, 12 instructions)
    Cached analysis: domtree on @fib
    Skipping pass: dce on @main (run 9, opt-bisect-limit)

Pass lines carry the run number that ``--opt-bisect-limit`` and the print headers use;
analysis lines come from the analysis manager (analysis.py), which says for each
result it drops which pass changed what, and by which rule.
"""
from __future__ import annotations

import sys
from typing import Optional, TextIO

from .runner import Instrument, PassRun, PassRunner


def _size(run: PassRun) -> int:
    units = [run.function] if run.function is not None else list(run.module.functions.values())
    return sum(len(b.instrs) for f in units if f is not None for b in f.blocks)


class DebugPassManager(Instrument):
    """Writes the trace; installs itself as the analysis manager's log."""

    def __init__(self, out: Optional[TextIO] = None) -> None:
        self._out = out  # None: sys.stderr as it is when writing (tests redirect it)

    def write(self, line: str) -> None:
        (self._out if self._out is not None else sys.stderr).write(line + "\n")

    def start(self, module, runner: PassRunner) -> None:
        runner.analyses.log = self.write
        n = len(module.functions)
        self.write(f"Running pipeline: {runner.pipeline_text or '(empty)'} on [module] "
                   f"({n} function{'s' * (n != 1)})")

    def before_run(self, run: PassRun, runner: PassRunner) -> None:
        if not run.ran:
            self.write(f"Skipping pass: {run.pass_} on {run.label} (run {run.number}, "
                       "opt-bisect-limit)")
            return
        size = _size(run)
        self.write(f"Running pass: {run.pass_} on {run.label} (run {run.number}, "
                   f"{size} instruction{'s' * (size != 1)})")

    def after_run(self, run: PassRun, runner: PassRunner) -> None:
        if run.ran:
            what = "changed the IR" if run.changed else "no change"
            self.write(f"Finished pass: {run.pass_} on {run.label} (run {run.number}): {what}")

    def finish(self, runner: PassRunner, out: TextIO) -> None:
        runner.analyses.log = None
        self.write(f"Finished pipeline: {runner.runs} pass run{'s' * (runner.runs != 1)} in "
                   f"{runner.applications} application{'s' * (runner.applications != 1)}")


__all__ = ["DebugPassManager"]

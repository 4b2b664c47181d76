"""Instrumentation on the hooks around every pass: verification, CFG dumps, timing and
statistics here; printing the IR in printing.py, the ``--debug-pass-manager`` trace in
trace.py. Each is one small class; adding another needs no change to any pass or to the
runner. Reports go to standard error, as LLVM's do, so that standard output carries
only the result of the pipeline.
"""
from __future__ import annotations

import sys
from typing import Any, Callable, Optional, TextIO

from .printing import PrintAfter, PrintChanged, PrintIR  # noqa: F401 - re-exported
from .runner import Instrument, PassEvent, PassRunner, module_size


class VerifyEach(Instrument):
    """``--verify-each``: run the verifier after every pass, as LLVM does: also after
    one that reported no change, since a pass that changes the IR and says it did not
    is exactly the kind of bug this option is for. Such a pass is caught even when its
    IR is valid: a fingerprint of each unit is taken before and after each run."""

    wants_fingerprints = True

    def after_pass(self, ev: PassEvent, runner: PassRunner) -> None:
        from ..ir.verify import VerifyError, verify_module
        try:
            verify_module(ev.module)
        except VerifyError as e:
            lie = "" if ev.changed else " (and reported that it changed nothing)"
            runner.fail_after(ev, f"produced invalid IR{lie}: {e}")
        if ev.lied:
            runner.fail_after(ev, f"changed the IR of {', '.join(ev.lied)} but reported no "
                                  "change (run_on_* must return True when it changes "
                                  "anything: cached analyses and fixpoint rely on it)")


class DumpCfg(Instrument):
    """``--dump-cfg``: one graphviz stage per pass application. ``write_stage(module,
    name)`` numbers the stages after those already written (``03-sccp``, ``04-dce``)."""

    def __init__(self, write_stage: Callable[[Any, str], None]) -> None:
        self.write_stage = write_stage

    def after_pass(self, ev: PassEvent, runner: PassRunner) -> None:
        try:
            self.write_stage(ev.module, ev.pass_.name)
        except OSError as e:
            from .api import PassManagerError
            raise PassManagerError(f"--dump-cfg: cannot write the dump after pass "
                                   f"'{ev.pass_}': {e.strerror or e}") from None


class TimePasses(Instrument):
    """``--time-passes``: wall time per pass and per analysis, reported at the end."""

    def __init__(self) -> None:
        self.times: dict[str, list] = {}  # pass text -> [applications, seconds]

    def after_pass(self, ev: PassEvent, runner: PassRunner) -> None:
        t = self.times.setdefault(str(ev.pass_), [0, 0.0])
        t[0] += 1
        t[1] += ev.seconds

    def finish(self, runner: PassRunner, out: TextIO) -> None:
        total = sum(t[1] for t in self.times.values()) or 1e-12
        rows = sorted(self.times.items(), key=lambda kv: -kv[1][1])
        out.write("===" + "-" * 67 + "===\n")
        out.write("                      Pass execution timing report\n")
        out.write("===" + "-" * 67 + "===\n")
        out.write(f"  Total execution time: {total * 1000:.3f} ms (analyses included)\n\n")
        out.write(f"  {'ms':>9}  {'%':>6}  {'runs':>5}  pass\n")
        for name, (n, s) in rows:
            out.write(f"  {s * 1000:9.3f}  {100 * s / total:5.1f}%  {n:5d}  {name}\n")
        if runner.analyses.timings:
            out.write(f"\n  {'ms':>9}  {'':>6}  {'runs':>5}  analysis (within the passes)\n")
            for name, (n, s) in sorted(runner.analyses.timings.items(), key=lambda kv: -kv[1][1]):
                out.write(f"  {s * 1000:9.3f}  {'':>6}  {n:5d}  {name}\n")


class Stats(Instrument):
    """``--stats``: per pass, how often it ran and changed something, instructions and
    blocks it removed (or added), and the counters passes report with ``ctx.stat``."""

    wants_sizes = True

    def __init__(self) -> None:
        self.rows: dict[str, list[int]] = {}  # name -> [runs, changed, d_instrs, d_blocks]
        self.first: Optional[tuple[int, int]] = None
        self.last: tuple[int, int] = (0, 0)

    def after_pass(self, ev: PassEvent, runner: PassRunner) -> None:
        after = module_size(ev.module)
        if self.first is None:
            self.first = ev.before_size
        self.last = after
        r = self.rows.setdefault(ev.pass_.name, [0, 0, 0, 0])
        r[0] += 1
        r[1] += ev.changed
        r[2] += ev.before_size[0] - after[0]
        r[3] += ev.before_size[1] - after[1]

    def finish(self, runner: PassRunner, out: TextIO) -> None:
        out.write("===" + "-" * 67 + "===\n")
        out.write("                          ... Statistics Collected ...\n")
        out.write("===" + "-" * 67 + "===\n")
        if self.first is not None:
            out.write(f"  instructions: {self.first[0]} -> {self.last[0]}; "
                      f"blocks: {self.first[1]} -> {self.last[1]}\n\n")
        out.write(f"  {'runs':>5} {'changed':>8} {'-instrs':>8} {'-blocks':>8}  pass\n")
        for name, (n, c, di, db) in self.rows.items():
            out.write(f"  {n:5d} {c:8d} {di:8d} {db:8d}  {name}\n")
        if runner.ctx.stats:
            out.write("\n")
            for (pname, counter), v in sorted(runner.ctx.stats.items()):
                out.write(f"  {v:8d} {pname} - {counter}\n")

"""Running a pipeline over a module: pass applications and pass runs, analysis
invalidation, the instrumentation hooks, opt-bisect, and failures.

A *pass application* is one pass run over the module (every function, for a function
pass); applications are numbered from 1 in the order they run, so ``repeat`` and
``fixpoint`` give the same pass several numbers. Reproducers replay to an application.

A *pass run* is one pass on one unit: one function for a function pass, the module for a
module pass. Runs are numbered from 1 too, and that one numbering is what every report
shows: ``--opt-bisect-limit=N`` runs the first N runs, and the headers of
``--print-after``/``--print-before``/``--print-changed`` and the lines of
``--debug-pass-manager`` carry the same numbers, so a number seen in one report selects
the same run in another.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, TextIO

from .analysis import AnalysisManager
from .api import FunctionPass, ModulePass, Pass, PassContext
from .failures import FailureMixin, PassFailure, StopReplay
from .pipeline import Fixpoint, Pipeline, Repeat, format_pipeline

if TYPE_CHECKING:
    from ..ir import Function, Module
    from .registry import Registry


@dataclass
class PassEvent:
    """What the hook after a pass application sees."""

    index: int                 # application number, from 1
    pass_: Pass
    module: "Module"
    changed: bool
    seconds: float
    ran_on: int = 0            # functions the pass ran on (0 for module passes)
    skipped: int = 0           # functions (or the module) opt-bisect skipped
    before_text: Optional[str] = None     # the IR before, if an instrument asked for it
    before_size: tuple[int, int] = (0, 0)  # (instructions, blocks) before, if asked
    #: units (``@f``, ``[module]``) the pass changed while reporting no change; found
    #: only when an instrument asks for fingerprints (``--verify-each``)
    lied: list[str] = field(default_factory=list)


@dataclass
class PassRun:
    """One pass on one unit: a function (function passes) or the module."""

    number: int                # run number, from 1 (the opt-bisect numbering)
    index: int                 # the application it belongs to
    pass_: Pass
    module: "Module"
    function: Optional["Function"] = None   # None for a module pass
    ran: bool = True           # False when opt-bisect skipped it
    changed: bool = False      # what the pass reported

    @property
    def label(self) -> str:
        """``@f`` for a function, ``[module]`` for the module."""
        return f"@{self.function.name}" if self.function is not None else "[module]"

    @property
    def unit(self) -> str:
        """``function @f`` or ``module`` (as opt-bisect says it)."""
        return f"function {self.label}" if self.function is not None else "module"

    def text(self) -> str:
        """The unit's IR as text now."""
        from ..ir.printer import print_function, print_module
        return print_function(self.function) if self.function is not None \
            else print_module(self.module)


class Instrument:
    """Base of instrumentation: override the hooks it needs."""

    #: ask the runner to keep the module's text / sizes from before each application
    wants_before_text = False
    wants_sizes = False
    #: ask the runner to check that a pass reporting no change changed nothing
    wants_fingerprints = False

    def start(self, module: "Module", runner: "PassRunner") -> None:
        """Called once, before the first pass runs."""

    def before_run(self, run: PassRun, runner: "PassRunner") -> None:
        """Called before every pass run (also one opt-bisect skips: ``run.ran``)."""

    def after_run(self, run: PassRun, runner: "PassRunner") -> None:
        """Called after every pass run (also one opt-bisect skipped)."""

    def after_pass(self, ev: PassEvent, runner: "PassRunner") -> None:
        """Called after every pass application (changed or not)."""

    def finish(self, runner: "PassRunner", out: TextIO) -> None:
        """Called once when the pipeline has finished (for reports)."""


def module_size(m: "Module") -> tuple[int, int]:
    """(instructions, blocks) in the module."""
    n = b = 0
    for f in m.functions.values():
        b += len(f.blocks)
        for blk in f.blocks:
            n += len(blk.instrs)
    return n, b


@dataclass
class PassRunner(FailureMixin):
    """Runs pipelines; one runner per compilation (it keeps the timing and statistics)."""

    registry: Optional["Registry"] = None
    instruments: list[Instrument] = field(default_factory=list)
    arg_types: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)
    bisect_limit: Optional[int] = None       # --opt-bisect-limit
    bisect_out: TextIO = sys.stderr
    reproducer: Optional[Callable[..., Optional[str]]] = None  # writes a reproducer file
    pipeline_text: str = ""

    def __post_init__(self) -> None:
        self.analyses = AnalysisManager()
        self.ctx = PassContext(self.analyses, self.arg_types, self.options)
        self.applications = 0
        self.runs = 0
        self._stop_before: Optional[int] = None
        self._initial_text: Optional[str] = None
        self._pipeline: Pipeline = ()
        self._base = 0
        self._started = False

    @property
    def bisect_count(self) -> int:
        """Pass runs so far (the numbering opt-bisect counts in)."""
        return self.runs

    # ---- driving ----------------------------------------------------------------------

    def run(self, module: "Module", pipeline: Pipeline) -> bool:
        """Run ``pipeline`` over ``module`` in place; True if anything changed."""
        if not self.pipeline_text:
            self.pipeline_text = format_pipeline(pipeline)
        self._pipeline, self._base = pipeline, self.applications
        if self.reproducer is not None:  # kept so that a failure can be replayed
            from ..ir.printer import print_module
            self._initial_text = print_module(module)
        if not self._started:
            self._started = True
            for ins in self.instruments:
                ins.start(module, self)
        return self._run_seq(module, pipeline)

    def finish(self, out: TextIO = sys.stderr) -> None:
        """Let every instrument print its report."""
        for ins in self.instruments:
            ins.finish(self, out)

    def _run_seq(self, module: "Module", seq: Pipeline) -> bool:
        changed = False
        for e in seq:
            if isinstance(e, Repeat):
                for _ in range(e.count):
                    changed |= self._run_seq(module, e.body)
            elif isinstance(e, Fixpoint):
                for _ in range(e.max_rounds):
                    if not self._run_seq(module, e.body):
                        break
                    changed = True
            else:
                changed |= self._apply(module, e)
        return changed

    def _bisect(self, run: PassRun) -> bool:
        """Whether opt-bisect lets this run (and say so, as LLVM does)."""
        if self.bisect_limit is None:
            return True
        ok = self.bisect_limit < 0 or run.number <= self.bisect_limit
        print(f"BISECT: {'running' if ok else 'NOT running'} pass ({run.number}) "
              f"{run.pass_} on {run.unit}", file=self.bisect_out)
        return ok

    def _apply(self, module: "Module", p: Pass) -> bool:
        self.applications += 1
        index = self.applications
        if self._stop_before is not None and index >= self._stop_before:
            raise StopReplay
        before_text = None
        if any(i.wants_before_text for i in self.instruments):
            from ..ir.printer import print_module
            before_text = print_module(module)
        before_size = module_size(module) if any(i.wants_sizes for i in self.instruments) \
            else (0, 0)
        self.ctx.current = p
        t0 = time.perf_counter()
        changed, ran_on, skipped, lied = False, 0, 0, []
        run: Optional[PassRun] = None
        try:
            if isinstance(p, FunctionPass):
                for f in list(module.functions.values()):
                    if f.module is not module:
                        continue  # removed by an earlier function of this pass? be safe
                    run = self._start_run(index, p, module, f)
                    if not run.ran:
                        skipped += 1
                    else:
                        ran_on += 1
                        self._do_run(run, lambda: p.run_on_function(f, self.ctx), lied)
                    self._end_run(run)
                    if run.changed:
                        changed = True
                        self.analyses.invalidate(f, p.preserves, f"{p} changed {run.label}")
            elif isinstance(p, ModulePass):
                run = self._start_run(index, p, module, None)
                if run.ran:
                    self._do_run(run, lambda: p.run_on_module(module, self.ctx), lied)
                else:
                    skipped = 1
                self._end_run(run)
                if run.changed:
                    changed = True
                    self.analyses.invalidate_all(module, p.preserves, f"{p} changed the module")
            else:
                raise TypeError(f"{type(p).__name__} is neither a FunctionPass nor a ModulePass")
        except (KeyboardInterrupt, StopReplay):
            raise
        except BaseException as e:  # noqa: BLE001 - any failure of a pass is reported
            unit = run.unit if run is not None else "module"
            if type(e).__name__ == "VerifyError":  # the verify pass, or a pass checking
                self._fail(module, p, index, f"found invalid IR: {e}", None)
            self._fail(module, p, index, f"crashed on {unit}", e)
        finally:
            self.ctx.current = None
        ev = PassEvent(index, p, module, changed, time.perf_counter() - t0, ran_on, skipped,
                       before_text, before_size, lied)
        for ins in self.instruments:
            ins.after_pass(ev, self)
        return changed

    def _start_run(self, index: int, p: Pass, module: "Module",
                   f: Optional["Function"]) -> PassRun:
        self.runs += 1
        run = PassRun(self.runs, index, p, module, f)
        run.ran = self._bisect(run)
        for ins in self.instruments:
            ins.before_run(run, self)
        return run

    def _do_run(self, run: PassRun, body: Callable[[], Any], lied: list[str]) -> None:
        check = any(i.wants_fingerprints for i in self.instruments)
        if check:
            from ..ir.fingerprint import function_fingerprint, module_fingerprint
            print_ = (lambda: function_fingerprint(run.function)) if run.function is not None \
                else (lambda: module_fingerprint(run.module))
            before = print_()
        self.analyses.running = f"{run.pass_} on {run.label}"
        try:
            run.changed = self._result(run.pass_, body())
        finally:
            self.analyses.running = None
        if check and not run.changed and print_() != before:
            lied.append(run.label)

    def _end_run(self, run: PassRun) -> None:
        for ins in self.instruments:
            ins.after_run(run, self)

    def _result(self, p: Pass, r: Any) -> bool:
        if type(r) is bool:
            return r
        raise TypeError(f"run_on_{'function' if isinstance(p, FunctionPass) else 'module'} "
                        f"returned {r!r}; it must return True (changed) or False")


__all__ = ["Instrument", "PassEvent", "PassFailure", "PassRun", "PassRunner", "module_size"]

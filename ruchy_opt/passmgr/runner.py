"""Running a pipeline over a module: pass applications, analysis invalidation, the one
instrumentation hook after every pass, opt-bisect, and crash reproducers.

A *pass application* is one pass run over the module (every function, for a function
pass); applications are numbered from 1 in the order they run, so ``repeat`` and
``fixpoint`` give the same pass several numbers. Opt-bisect counts finer, as LLVM does:
one count per function a function pass runs on.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, TextIO

from .analysis import AnalysisManager
from .api import FunctionPass, ModulePass, Pass, PassContext, PassManagerError
from .pipeline import Fixpoint, Pipeline, Repeat, format_pipeline

if TYPE_CHECKING:
    from ..ir import Module
    from .registry import Registry


class PassFailure(PassManagerError):
    """A pass raised, or left invalid IR behind (with ``--verify-each``). The message
    names the pass, where it came from, and the reproducer file if one was written."""


class _StopReplay(Exception):
    """Raised to stop a replay just before the failing application."""


@dataclass
class PassEvent:
    """What the hook after a pass sees."""

    index: int                 # application number, from 1
    pass_: Pass
    module: "Module"
    changed: bool
    seconds: float
    ran_on: int = 0            # functions the pass ran on (0 for module passes)
    skipped: int = 0           # functions (or the module) opt-bisect skipped
    before_text: Optional[str] = None     # the IR before, if an instrument asked for it
    before_size: tuple[int, int] = (0, 0)  # (instructions, blocks) before, if asked


class Instrument:
    """Base of instrumentation: override :meth:`after_pass` and maybe :meth:`finish`."""

    #: ask the runner to keep the IR text / the sizes from before each pass
    wants_before_text = False
    wants_sizes = False

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
class PassRunner:
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
        self.bisect_count = 0
        self._stop_before: Optional[int] = None
        self._initial_text: Optional[str] = None
        self._pipeline: Pipeline = ()
        self._base = 0

    # ---- driving ----------------------------------------------------------------------

    def run(self, module: "Module", pipeline: Pipeline) -> bool:
        """Run ``pipeline`` over ``module`` in place; True if anything changed."""
        if not self.pipeline_text:
            self.pipeline_text = format_pipeline(pipeline)
        self._pipeline, self._base = pipeline, self.applications
        if self.reproducer is not None:  # kept so that a failure can be replayed
            from ..ir.printer import print_module
            self._initial_text = print_module(module)
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

    def _bisect(self, p: Pass, unit: str) -> bool:
        """Whether opt-bisect lets this run (and say so, as LLVM does)."""
        if self.bisect_limit is None:
            return True
        self.bisect_count += 1
        ok = self.bisect_limit < 0 or self.bisect_count <= self.bisect_limit
        print(f"BISECT: {'running' if ok else 'NOT running'} pass ({self.bisect_count}) "
              f"{p} on {unit}", file=self.bisect_out)
        return ok

    def _apply(self, module: "Module", p: Pass) -> bool:
        self.applications += 1
        index = self.applications
        if self._stop_before is not None and index >= self._stop_before:
            raise _StopReplay
        want_text = any(i.wants_before_text for i in self.instruments)
        before_text = None
        if want_text:
            from ..ir.printer import print_module
            before_text = print_module(module)
        before_size = module_size(module) if any(i.wants_sizes for i in self.instruments) \
            else (0, 0)
        self.ctx.current = p
        t0 = time.perf_counter()
        changed, ran_on, skipped, unit = False, 0, 0, "module"
        try:
            if isinstance(p, FunctionPass):
                for f in list(module.functions.values()):
                    if f.module is not module:
                        continue  # removed by an earlier function of this pass? be safe
                    unit = f"function @{f.name}"
                    if not self._bisect(p, unit):
                        skipped += 1
                        continue
                    ran_on += 1
                    if self._result(p, p.run_on_function(f, self.ctx)):
                        changed = True
                        self.analyses.invalidate(f, p.preserves)
            elif isinstance(p, ModulePass):
                if self._bisect(p, "module"):
                    if self._result(p, p.run_on_module(module, self.ctx)):
                        changed = True
                        self.analyses.invalidate_all(module, p.preserves)
                else:
                    skipped = 1
            else:
                raise TypeError(f"{type(p).__name__} is neither a FunctionPass nor a ModulePass")
        except (KeyboardInterrupt, _StopReplay):
            raise
        except BaseException as e:  # noqa: BLE001 - any failure of a pass is reported
            if type(e).__name__ == "VerifyError":  # the verify pass, or a pass checking
                self._fail(module, p, index, f"found invalid IR: {e}", None)
            self._fail(module, p, index, f"crashed on {unit}", e)
        finally:
            self.ctx.current = None
        ev = PassEvent(index, p, module, changed, time.perf_counter() - t0, ran_on, skipped,
                       before_text, before_size)
        for ins in self.instruments:
            ins.after_pass(ev, self)
        return changed

    def _result(self, p: Pass, r: Any) -> bool:
        if type(r) is bool:
            return r
        raise TypeError(f"run_on_{'function' if isinstance(p, FunctionPass) else 'module'} "
                        f"returned {r!r}; it must return True (changed) or False")

    # ---- failures --------------------------------------------------------------------

    def describe(self, p: Pass) -> str:
        """``pass 'sccp'`` plus where it came from when it is a plugin."""
        info = self.registry.origin_of(type(p)) if self.registry else None
        origin = f" (from {info.origin})" if info and info.origin != "built-in" else ""
        return f"pass '{p}'{origin}"

    def _fail(self, module: "Module", p: Pass, index: int, what: str,
              exc: Optional[BaseException]) -> None:
        from .crash import exception_summary
        detail = exception_summary(exc) if exc is not None else ""
        msg = f"{self.describe(p)} {what}" + (f": {detail}" if detail else "")
        path = None
        if self.reproducer is not None:
            try:
                path = self.reproducer(self, p, index, msg, exc)
            except Exception as e:  # noqa: BLE001 - never hide the first failure
                msg += f"\n(could not write a reproducer: {e})"
        if path:
            msg += f"\nreproducer: {path}"
        raise PassFailure(msg) from None

    def fail_after(self, ev: PassEvent, what: str) -> None:
        """For instruments (``--verify-each``): report that a pass left bad IR."""
        self._fail(ev.module, ev.pass_, ev.index, what, None)

    def find_invalid(self) -> None:
        """Replay the last pipeline from its input, verifying after every pass: raises
        the PassFailure of the first pass that leaves invalid IR (returns if none does)."""
        if self._initial_text is None:
            return
        from ..ir.parser import parse_module
        from .instruments import VerifyEach
        again = PassRunner(self.registry, [VerifyEach()], self.arg_types, self.options,
                           self.bisect_limit, _NullOut(), self.reproducer, self.pipeline_text)
        again.run(parse_module(self._initial_text), self._pipeline)

    def replay_until(self, index: int) -> Optional[str]:
        """The IR text just before application ``index``, rebuilt by re-running the
        pipeline from the initial IR (so no snapshot is taken in normal runs). None if
        the replay does not get there (a pass that behaves differently the second time)."""
        if self._initial_text is None:
            return None
        from ..ir.parser import parse_module
        from ..ir.printer import print_module
        m = parse_module(self._initial_text)
        again = PassRunner(self.registry, [], self.arg_types, self.options,
                           self.bisect_limit, _NullOut(), None, self.pipeline_text)
        again._stop_before = index - self._base
        try:
            again._run_seq(m, self._pipeline)
        except _StopReplay:
            return print_module(m)
        except Exception:  # noqa: BLE001 - the replay failing earlier is reported as None
            return None
        return None


class _NullOut:
    def write(self, s: str) -> int:
        return len(s)

    def flush(self) -> None:
        pass

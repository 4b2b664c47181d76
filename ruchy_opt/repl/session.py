"""A REPL session: what it has defined, its variables, and how one input runs.

The session keeps the items defined so far, the variables (value and ``mut``), the
statements that ran (for whole-program analyses: build.py), one text of everything it
read (source.py) and the tiered runtime's memory (jitstate.py). An input is parsed,
made into a program with the session's items and variables (build.py), translated by
tier 0 and run by a :class:`~ruchy_opt.repl.jitstate.ReplRuntime` on a big-stack
thread (execute.py).

What an input changes: its definitions take effect once it has parsed and translated
(a runtime error later in the input does not undo them, as in Python's REPL); its
variables, new and assigned, only if it runs to its end. A failed or interrupted input
leaves every variable as it was.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import IO, Any, Optional

from ..errors import RuchyError, render
from ..jit.policy import TierPolicy
from ..syntax import ast as A
from . import build
from .execute import CompiledCodeFailed, run_input
from .jitstate import ClassCache, JitState, ReplLog, ReplRuntime
from .source import REPL_NAME, SessionSource


@dataclass
class Variable:
    """A session variable: its value and whether it was declared ``mut``."""

    value: Any
    mutable: bool


@dataclass
class Outcome:
    """What running an input gave: ``ok`` (ran to its end), its value (``has_value``:
    it ended with an expression), and the CPU and wall seconds of its run."""

    ok: bool
    value: Any = None
    has_value: bool = False
    cpu: float = 0.0
    wall: float = 0.0
    front: float = 0.0  # seconds to parse and translate it


class Session:
    """One REPL session (see the module docstring). ``out``/``err`` receive the
    program's output and the diagnostics (default: the process's streams)."""

    def __init__(self, policy: TierPolicy, out: Optional[IO[str]] = None,
                 err: Optional[IO[str]] = None, jit_log: bool = False,
                 disk_cache: bool = True) -> None:
        self.policy = policy
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.jit_log = jit_log
        self.disk_cache = disk_cache
        self.source = SessionSource()
        self.reset()
        #: ``:passes``: tier 2's pipeline (None: ``default<O2>``), for the tiered
        #: runtime's compiles, ``:ssa``, ``:llvm`` and ``:asm`` (passes.py)
        self.pipeline: Optional[str] = None

    def reset(self) -> None:
        """Forget every definition, variable and compiled function (``:reset``); the
        text read so far stays, so that old positions still render."""
        self.items: list[A.Node] = []
        self.variables: dict[str, Variable] = {}
        self.history: list[A.Node] = []
        self.jit = JitState(self.disk_cache)
        self.classes = ClassCache()

    # ---- diagnostics -------------------------------------------------------------------

    def report(self, e: RuchyError) -> None:
        """Print a diagnostic against the session's text."""
        self.out.flush()
        self.err.write(render(e, self.source))
        self.err.flush()

    def say(self, text: str) -> None:
        """A line of the REPL's own (values, tables) on the output."""
        self.out.write(text + "\n")
        self.out.flush()

    # ---- inputs ------------------------------------------------------------------------

    def add_text(self, text: str, shown_first: int, origin: str = REPL_NAME) -> int:
        """Add an input's text to the session's; its first virtual line."""
        return self.source.add(text, origin, shown_first)

    def evaluate(self, text: str, shown_first: int, origin: str = REPL_NAME,
                 commit: bool = True, display: Optional[str] = None) -> Outcome:
        """Parse, translate and run one input (see the module docstring); print its
        value unless ``commit`` is False (``:type``, which also keeps nothing of it).
        ``display`` is the text diagnostics show, when not ``text`` (a command's line,
        whose code ``text`` is with the command blanked)."""
        from ..interp.runner import Tier0Program
        from ..interp.translate import JitHooks
        from ..syntax.parser import parse_program
        first = self.add_text(text if display is None else display, shown_first, origin)
        t0 = time.perf_counter()
        try:
            prog = parse_program(self.source.padded(text, first), REPL_NAME)
            new_items, stmts = build.split(prog)
            if not new_items and not stmts:
                return Outcome(True)
            items, redefined = build.merge_items(self.items, new_items)
            mutable = {n: v.mutable for n, v in self.variables.items()}
            whole, compiled = build.program(items, mutable, self.history, stmts)
            program = Tier0Program(whole, self.source,
                                   jit=JitHooks(osr=self.policy.osr_iterations()))
        except RuchyError as e:
            self.report(e)
            return Outcome(False)
        except RecursionError:
            self.report(RuchyError("input is nested too deeply", A.NO_SPAN))
            return Outcome(False)
        program.module.main = None  # a REPL calls main() only when asked to
        where = f"{origin}:{shown_first}"
        if commit:
            self.items = items
            self.jit.redefined(redefined, where)
        self.jit.where = where
        self.jit.pipeline = self.pipeline
        statics = {n: v.value for n, v in self.variables.items()}
        runtime = ReplRuntime(compiled, self.source, program.module, self.policy,
                              ReplLog(self.jit_log, self.jit), self.jit, self.classes,
                              statics)
        front = time.perf_counter() - t0
        c0, w0 = time.process_time(), time.perf_counter()
        try:
            run_input(lambda: program.run(out=self.out, runtime=runtime))
            self.out.flush()
        except RuchyError as e:
            self.report(e)
            return self._failed(runtime)
        except CompiledCodeFailed:
            return self._failed(runtime)
        except KeyboardInterrupt:
            self.out.flush()
            self.err.write("interrupted\n")
            self.err.flush()
            return self._failed(runtime)
        finally:
            runtime.cache.finish()
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        has_value = build.result_statement(stmts)
        value = runtime.static(build.RESULT) if has_value else None
        if commit:
            self.jit.counts.update(runtime.counts())
            for name, mut in build.bound_names(stmts):
                self.variables.pop(name, None)
                self.variables[name] = Variable(None, mut)
            for name, var in self.variables.items():
                var.value = runtime.static(build.static_name(name))
            self.history.extend(stmts)
            if has_value and value is not None:
                self.say(show(value))
        return Outcome(True, value, has_value, cpu, wall, front)

    def _failed(self, runtime: ReplRuntime) -> Outcome:
        """The input did not end: its work still counts as heat."""
        try:
            self.jit.counts.update(runtime.counts())
        except Exception:  # noqa: BLE001 - counters of a module that did not start
            pass
        return Outcome(False)


def show(value: Any) -> str:
    """A value as the REPL prints it: its debug form (``{:?}``)."""
    from ..runtime.values import debug
    return debug(value)


__all__ = ["Outcome", "Session", "Variable", "show"]

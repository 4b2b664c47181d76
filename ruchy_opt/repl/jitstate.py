"""The tiered runtime across REPL inputs.

Each input is a program of its own (build.py), run by a fresh
:class:`~ruchy_opt.jit.runtime.TieredRuntime` (:class:`ReplRuntime`). What must outlive
an input lives in :class:`JitState`:

- the *heat* of every specialisation (calls and loop back edges counted by tier 0),
  keyed by the function's name, its definition's version and its argument kinds: a
  function called a few thousand times in each of several inputs gets hot as if the
  calls had been made in one run. :class:`ReplRuntime` adds the earlier inputs' counts
  to what this input's counters say, and moves its checkpoints to match;
- what was compiled (tier, why, where in the session), so that a function compiled in
  an earlier input is promoted again at its first call, at its tier, without waiting;
- the machine code itself (``FunctionCompiler.loaded``, by cache key), shared by every
  input's compiler: the key hashes the IR of the function and of everything it calls,
  so unchanged code is reused and code that calls a redefined function is not;
- the struct and enum classes (:class:`ClassCache`), so that a value made by one input
  is an instance of the class the next input's code tests for.

Redefining a function gives it a new version: its heat starts again at zero, its record
is moved to the invalidated list, and its old code is never called (every input's code
is made from the current definitions). Loops typed at the prompt are not entered by
on-stack replacement: the continuation would run the rest of the input in compiled
code, where the session's variables cannot be read back; loops in functions are.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Optional

from ..interp.program import CONSTS, TOPLEVEL
from ..jit.cache import CodeCache
from ..jit.log import JitLog
from ..jit.runtime import NEVER, FnState, TieredRuntime, _frames
from ..runtime import aggregates
from .build import RESULT, static_name

Identity = tuple[str, int, tuple[str, ...]]
#: Log events kept for ``:jit`` (promotions and refusals are kept as records instead).
_KEPT = ("osr", "osr-refused", "deopt", "blacklist", "pipeline")


@dataclass
class JitRecord:
    """What the session knows about one specialisation's compiled code."""

    label: str
    tier: int
    why: str
    where: str
    refused: Optional[str] = None
    code: Any = None   # the NativeFunction last installed


class JitState:
    """The tiered runtime's memory across inputs (see the module docstring)."""

    def __init__(self, disk: bool) -> None:
        self.cache = CodeCache(disk)
        self.loaded: dict[str, Any] = {}
        self.counts: dict[Identity, tuple[int, int]] = {}
        self.records: dict[Identity, JitRecord] = {}
        self.versions: dict[str, int] = {}
        self.events: list[str] = []
        self.invalidated: list[str] = []
        #: where the input being run starts (``<repl>:N``), for the records
        self.where = ""
        #: tier 2's pipeline for the input being run (None: the default; passes.py)
        self.pipeline: Optional[str] = None

    def identity(self, name: str, kinds: tuple[str, ...]) -> Identity:
        return (name, self.versions.get(name, 0), tuple(kinds))

    def redefined(self, names: set[str], where: str) -> None:
        """Functions ``names`` got new definitions at ``where``: drop what was known."""
        for ident in [i for i in self.records if i[0] in names]:
            rec = self.records.pop(ident)
            if rec.tier:
                self.invalidated.append(f"{rec.label}: redefined at {where}; its tier-"
                                        f"{rec.tier} code is no longer called")
        for name in names:
            self.versions[name] = self.versions.get(name, 0) + 1

    def event(self, text: str) -> None:
        line = f"{text} (input at {self.where})"
        if line not in self.events:
            self.events.append(line)


class ReplLog(JitLog):
    """``--jit-log`` as in ``run``, and the events ``:jit`` lists."""

    def __init__(self, enabled: bool, state: JitState) -> None:
        super().__init__(enabled)
        self.state = state

    def __call__(self, event: str, text: str) -> None:
        if event == "osr" and self.state.pipeline is not None:  # (OSR is tier 2)
            text += f"; ruchy pipeline {self.state.pipeline or '(no passes)'}"
        super().__call__(event, text)
        if event in _KEPT:
            self.state.event(f"{event} {text}")


class ClassCache:
    """One class per struct or enum declaration for the whole session: the tier-0
    modules of later inputs make their classes through this (the namespace's
    ``_struct_class`` and ``_enum_classes``), so older values stay instances of them.
    A declaration that changes (other fields, other variants) gets a new class."""

    def __init__(self) -> None:
        self.structs: dict[tuple, type] = {}
        self.enums: dict[tuple, tuple[type, dict[str, Any]]] = {}

    def struct_class(self, qual: str, shape: str, fields: list[str]) -> type:
        key = (qual, shape, tuple(fields))
        if key not in self.structs:
            self.structs[key] = aggregates.struct_class(qual, shape, fields)
        return self.structs[key]

    def enum_classes(self, qual: str, variants: list) -> tuple[type, dict[str, Any]]:
        key = (qual, repr(variants))
        if key not in self.enums:
            self.enums[key] = aggregates.enum_classes(qual, variants)
        return self.enums[key]

    def namespace(self) -> dict[str, Any]:
        return {"_struct_class": self.struct_class, "_enum_classes": self.enum_classes}


class ReplRuntime(TieredRuntime):
    """A TieredRuntime for one input that counts the earlier inputs' heat, promotes
    what was compiled before at once, and fills the session's statics."""

    def __init__(self, prog: Any, src: Any, code: Any, policy: Any, log: JitLog,
                 state: JitState, classes: ClassCache, statics: dict[str, Any]) -> None:
        super().__init__(prog, src, code, policy, log, state.cache)
        self.state = state
        self.classes = classes
        self.statics = statics
        self.base = {py: state.counts.get(state.identity(st.name, st.kinds), (0, 0))
                     for py, st in self.states.items()}
        self._again = False  # promoting what an earlier input compiled

    # ---- wiring ------------------------------------------------------------------------

    def namespace(self) -> dict[str, Any]:
        ns = super().namespace()
        ns.update(self.classes.namespace())
        return ns

    def attach(self, factory: dict[str, Any]) -> None:
        """As TieredRuntime.attach; and each session static's initialiser returns the
        variable's value (the consts run before the top level)."""
        super().attach(factory)
        driver = factory[CONSTS]
        cells = dict(zip(driver.__code__.co_freevars, driver.__closure__ or ()))
        for var, value in self.statics.items():
            cells["ruchy_k_" + static_name(var)].cell_contents = (lambda v=value: v)

    def static(self, name: str) -> Any:
        """The value of a static after the input ran."""
        return self.cells["k_" + name].cell_contents

    def counts(self) -> dict[Identity, tuple[int, int]]:
        """Every specialisation's heat so far (the earlier inputs' included)."""
        return {self.state.identity(st.name, st.kinds): self._counts(st)
                for st in self.states.values()}

    # ---- heat across inputs --------------------------------------------------------------

    def _counts(self, st: FnState) -> tuple[int, int]:
        calls, back = super()._counts(st)
        c0, b0 = self.base.get(st.pyname, (0, 0))
        return calls + c0, back + b0

    def _set_checkpoint(self, st: FnState, at: int) -> None:
        # the counter cell counts this input's calls only
        if at < NEVER:
            at = max(1, at - self.base.get(st.pyname, (0, 0))[0])
        super()._set_checkpoint(st, at)

    def hot(self, pyname: str) -> None:
        st = self.states[pyname]
        rec = self.state.records.get(self.state.identity(st.name, st.kinds))
        if rec is None or not rec.tier or st.tier:
            super().hot(pyname)
            return
        calls, back = self._counts(st)
        self._set_checkpoint(st, NEVER)
        st.calls_interpreted = calls
        st.heat_interpreted = self.policy.heat(calls, back)
        st.heat_needed = self.policy.threshold(2) - st.heat_interpreted \
            if rec.tier < 2 else NEVER
        self._again = True
        try:
            self._promote(st, rec.tier, rec.why)
        finally:
            self._again = False

    # ---- records for :jit --------------------------------------------------------------

    def _compile_for(self, st: FnState, key: tuple, tier: int, why: str) -> Any:
        if tier >= 2 and self.state.pipeline is not None:
            why += f"; ruchy pipeline {self.state.pipeline or '(no passes)'}"
        nf = super()._compile_for(st, key, tier, why)
        if nf is None:
            return None
        ident = self.state.identity(st.name, st.kinds)
        rec = self.state.records.get(ident)
        if rec is not None and self._again:
            if rec.code is not None and rec.code is not nf:
                # same function, other code: a function it calls was redefined
                rec.where = self.state.where
                if "recompiled" not in rec.why:
                    rec.why += "; recompiled (a function it calls was redefined)"
            rec.code = nf
            return nf
        self.state.records[ident] = JitRecord(st.label, tier, why, self.state.where, None, nf)
        return nf

    def _refuse(self, st: FnState, reason: str) -> None:
        super()._refuse(st, reason)
        ident = self.state.identity(st.name, st.kinds)
        if ident not in self.state.records or not self.state.records[ident].tier:
            self.state.records[ident] = JitRecord(st.label, 0, "", self.state.where, reason)

    def compiler(self) -> Any:
        if self._compiler is None:
            # llvmlite's C++ destructors are registered when it is loaded: the handler
            # that survives compiled code's exit() must come after them (execute.py;
            # compiles register more: compiler.py registers it again after each)
            import llvmlite.binding  # noqa: F401
            from .compiler import SessionCompiler
            from .execute import arm
            arm()
            self._compiler = SessionCompiler(self.prog, self.src, self.cache, self.log,
                                             self._const_values(),
                                             pipeline=self.state.pipeline)
            self._compiler.loaded = self.state.loaded  # machine code by key
        return self._compiler

    def osr(self, site: int, values: tuple) -> Optional[tuple]:
        """As TieredRuntime.osr; a loop typed at the prompt runs the rest of its input
        compiled and hands the session's variables back (loops.py)."""
        point = self.code.osr_sites[site]
        if point.pyname != TOPLEVEL:
            return super().osr(site, values)
        if site in self.osr_refused:
            return None
        from ..jit.native import CannotCompile
        from .loops import OUT, VALUE_OUT, input_loop
        name, line = self.src.position(point.span.line)
        where = f"loop at {name}:{line}:{point.span.col} typed at the prompt"
        try:
            loop = input_loop(self.compiler(), self.code, site, values)
            nf = self.compiler().compile(loop.entry.name, loop.entry.sig,
                                         self.policy.osr_tier)
        except CannotCompile as e:
            return self._osr_refused(site, f"{where}: {e}; stays in the interpreter")
        except RecursionError:
            return None
        except Exception as e:  # noqa: BLE001 - a compiler bug must not stop the input
            if self.strict:
                raise
            return self._osr_refused(site, f"{where}: internal error in the compiler "
                                           f"({type(e).__name__}: {e})")
        live = [p for p in loop.entry.params if not p.startswith(OUT) and p != VALUE_OUT]
        back = [v for v in loop.outputs]
        how = "loaded from the code cache" if nf.cached else "compiled"
        self.log("osr", f"{where} after {self.policy.osr_iterations()} iterations (of its "
                        f"loop nest) -> tier {nf.tier} with live values "
                        f"{', '.join(live) or 'none'}; the rest of the input runs "
                        f"compiled and hands back {_names(back) or 'nothing'}; {how} in "
                        f"{nf.seconds * 1000:.1f} ms")
        sys.stdout.flush()
        r = nf.call(_frames(), *loop.entry.args)
        for static, value in loop.results().items():
            self.cells["k_" + static].cell_contents = value
        self.finished = True
        return (r,)

    def _osr_refused(self, site: int, text: str) -> None:
        self.osr_refused.add(site)
        self.log("osr-refused", text)
        return None


def _names(statics: list[str]) -> str:
    """The session's names of statics (``__repl_v_s``: ``s``; the result: ``the value``)."""
    out = []
    for s in statics:
        out.append("the value" if s == RESULT else s[len(static_name("")):])
    return ", ".join(out)


__all__ = ["ClassCache", "JitRecord", "JitState", "ReplLog", "ReplRuntime"]

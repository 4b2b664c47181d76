"""The analysis manager: analyses computed on demand, cached, and invalidated by what
each pass says it preserves.

An analysis is a class with a ``name``, a ``scope`` (``function`` or ``module``), the
analyses it is built from (``depends``), whether it depends only on the shape of the
CFG (``cfg_only``: then passes that declare ``preserves = PRESERVES_CFG`` keep it), and
``compute(target, am)``. Built-ins live in ``passmgr/analyses/`` and are imported on
first use; a plugin may add its own with :func:`register_analysis`.
"""
from __future__ import annotations

import importlib
import time
from typing import Any, Callable, ClassVar, Iterable, Optional

from .api import PRESERVES_ALL, PRESERVES_CFG, Preserved


class Analysis:
    """Base of every analysis (subclass and set the class attributes)."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    scope: ClassVar[str] = "function"
    depends: ClassVar[tuple[str, ...]] = ()
    cfg_only: ClassVar[bool] = False

    @classmethod
    def compute(cls, target: Any, am: "AnalysisManager") -> Any:
        """The analysis result for ``target`` (a Function, or the Module)."""
        raise NotImplementedError


_B = "ruchy_opt.passmgr.analyses."
#: Built-in analyses: name -> "module:Class" (imported on first use).
BUILTIN_ANALYSES: dict[str, str] = {
    "domtree": _B + "dominance:DomTreeAnalysis",
    "domfrontier": _B + "dominance:DomFrontierAnalysis",
    "postdomtree": _B + "postdom:PostDomTreeAnalysis",
    "loops": _B + "loops:LoopAnalysis",
    "liveness": _B + "liveness:LivenessAnalysis",
    "callgraph": _B + "callgraph:CallGraphAnalysis",
    "escape": _B + "escape:EscapeAnalysis",
}
_ANALYSES: dict[str, type[Analysis]] = {}


def register_analysis(cls: type[Analysis]) -> type[Analysis]:
    """Class decorator: make an analysis available to ``ctx.analysis(name, ...)``."""
    if not cls.name or cls.scope not in ("function", "module"):
        raise ValueError(f"analysis {cls.__name__} needs a name and a scope of "
                         "'function' or 'module'")
    _ANALYSES[cls.name] = cls
    return cls


def known_analysis(name: str) -> bool:
    return name in _ANALYSES or name in BUILTIN_ANALYSES


def analysis_names() -> list[str]:
    return sorted(set(_ANALYSES) | set(BUILTIN_ANALYSES))


def analysis_class(name: str) -> type[Analysis]:
    """The analysis called ``name`` (KeyError listing the known ones if none)."""
    cls = _ANALYSES.get(name)
    if cls is None:
        where = BUILTIN_ANALYSES.get(name)
        if where is None:
            raise KeyError(f"unknown analysis '{name}' (known: {', '.join(analysis_names())})")
        mod, _, attr = where.partition(":")
        cls = getattr(importlib.import_module(mod), attr)
        _ANALYSES[name] = cls
    return cls


def _dependents_closure(kept: set[str], present: Iterable[str]) -> set[str]:
    """Drop from ``kept`` every analysis built from one that is not kept."""
    names = set(present)
    changed = True
    while changed:
        changed = False
        for n in list(names & kept):
            if any(d not in kept for d in analysis_class(n).depends):
                kept.discard(n)
                changed = True
    return kept


def _label(target: Any) -> str:
    """``@f`` for a function, ``[module]`` for the module."""
    name = getattr(target, "name", None)
    return f"@{name}" if isinstance(name, str) else "[module]"


def _why_kept(preserved: Preserved, name: str) -> str:
    items = {preserved} if isinstance(preserved, str) else set(preserved)
    if PRESERVES_ALL in items:
        return "preserves all"
    if name in items:
        return f"preserves {name}"
    return "preserves the CFG"


class AnalysisManager:
    """Caches analysis results per function (and for the module) until invalidated.

    With a ``log`` (``--debug-pass-manager``) it says what it does and why: each
    analysis computed, served from the cache, kept or invalidated after a pass changed
    its function (and by which rule), and results dropped with a deleted function."""

    def __init__(self, log: Optional[Callable[[str], None]] = None) -> None:
        self._cache: dict[Any, dict[str, Any]] = {}
        #: analysis name -> [computations, seconds], for --time-passes
        self.timings: dict[str, list] = {}
        self.log = log
        #: ``sccp on @f`` while a pass runs (set by the runner), for the log
        self.running: Optional[str] = None

    def _say(self, msg: str) -> None:
        if self.log is not None:
            self.log(msg)

    def get(self, name: str, target: Any) -> Any:
        """The cached result of ``name`` on ``target``, computing it if needed."""
        per = self._cache.setdefault(target, {})
        if name in per:
            if self.log is not None:
                self._say(f"Cached analysis: {name} on {_label(target)}")
            return per[name]
        cls = analysis_class(name)
        if self.log is not None:
            self._say(f"Running analysis: {name} on {_label(target)}")
        t0 = time.perf_counter()
        result = cls.compute(target, self)
        t = self.timings.setdefault(name, [0, 0.0])
        t[0] += 1
        t[1] += time.perf_counter() - t0
        per[name] = result
        return result

    def cached(self, name: str, target: Any) -> Optional[Any]:
        """The result if it is cached, else None (never computes)."""
        return self._cache.get(target, {}).get(name)

    @staticmethod
    def _kept(preserved: Preserved, present: Iterable[str]) -> set[str]:
        items = {preserved} if isinstance(preserved, str) else set(preserved)
        present = set(present)
        if PRESERVES_ALL in items:
            return present
        kept = {n for n in present if n in items or
                PRESERVES_CFG in items and analysis_class(n).cfg_only}
        return _dependents_closure(kept, present)

    def _filter(self, target: Any, per: dict[str, Any], preserved: Preserved,
                reason: str) -> None:
        kept = self._kept(preserved, per)
        for n in list(per):
            if n in kept:
                if self.log is not None:
                    self._say(f"Keeping analysis: {n} on {_label(target)} ({reason}; "
                              f"the pass {_why_kept(preserved, n)})")
                continue
            del per[n]
            if self.log is not None:
                items = {preserved} if isinstance(preserved, str) else set(preserved)
                base = [d for d in analysis_class(n).depends if d not in kept]
                why = (f"it is built from {', '.join(base)}, which is not kept" if base and
                       (n in items or PRESERVES_CFG in items and analysis_class(n).cfg_only)
                       else "the pass does not preserve it")
                self._say(f"Invalidating analysis: {n} on {_label(target)} ({reason}; {why})")

    def invalidate(self, target: Any, preserved: Preserved = (), reason: str = "") -> None:
        """``target`` (a function) changed: drop what is not preserved, and the module
        analyses that are not preserved either (a call graph sees every function).
        ``reason`` (``sccp changed @f``) is for the log."""
        reason = reason or (f"asked by {self.running}" if self.running else "asked")
        per = self._cache.get(target)
        if per:
            self._filter(target, per, preserved, reason)
        module = getattr(target, "module", None)
        if module is not None and module in self._cache:
            self.invalidate_module_level(module, preserved, reason)

    def invalidate_module_level(self, module: Any, preserved: Preserved = (),
                                reason: str = "") -> None:
        per = self._cache.get(module, {})
        self._filter(module, per, preserved, reason or "asked")

    def invalidate_all(self, module: Any, preserved: Preserved = (), reason: str = "") -> None:
        """A module pass changed ``module``: filter every cache, and forget functions
        that are no longer in it."""
        reason = reason or (f"asked by {self.running}" if self.running else "asked")
        live = set(getattr(module, "functions", {}).values())
        for target in list(self._cache):
            if target is not module and target not in live:
                if self._cache[target] and self.log is not None:
                    self._say(f"Clearing all analysis results for: {_label(target)} "
                              f"({reason}; the function is no longer in the module)")
                del self._cache[target]
            elif target is module:
                self.invalidate_module_level(module, preserved, reason)
            elif self._cache[target]:
                self._filter(target, self._cache[target], preserved, reason)

    def clear(self) -> None:
        self._cache.clear()

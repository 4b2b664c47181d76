"""Compile-phase timers for ``ruchy-opt profile``: the compile path wraps its steps in
``with phase("lowering"):`` and friends. Off (one global test) unless the profiler
called :func:`start`; times are exclusive (a phase nested in another is subtracted from
the outer one), so they add up to the time the compile path took.

Phase names: ``lowering`` (AST to SSA, OSR continuations too), ``typing`` (whole-program
types of a specialisation and its cache key), ``ruchy passes`` (tier 2's ``-O2``),
``LLVM IR`` (IR generation and parsing), ``LLVM passes`` (the LLVM pipeline),
``machine code`` (object files, MCJIT loading, the code cache's store), ``runtime
library`` (the position-independent runtime object a shared object links with: built
once, or read from its cache) and ``code-cache load``. The first compile of a process
also imports llvmlite inside one of them.
"""
from __future__ import annotations

import time
from typing import Optional

#: phase -> seconds while the profiler collects, else None.
TIMES: Optional[dict[str, float]] = None
_stack: list[list] = []  # [name, start, seconds spent in nested phases]


class _Phase:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        _stack.append([self.name, time.perf_counter(), 0.0])

    def __exit__(self, *exc: object) -> None:
        name, t0, inner = _stack.pop()
        spent = time.perf_counter() - t0
        if TIMES is not None:
            TIMES[name] = TIMES.get(name, 0.0) + spent - inner
        if _stack:
            _stack[-1][2] += spent


class _Off:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_OFF = _Off()


def phase(name: str):
    """A context manager timing ``name`` (does nothing unless collecting)."""
    return _OFF if TIMES is None else _Phase(name)


def start() -> dict[str, float]:
    """Collect from now on; returns the dict that fills up."""
    global TIMES
    TIMES = {}
    _stack.clear()
    return TIMES


def stop() -> dict[str, float]:
    global TIMES
    times, TIMES = TIMES or {}, None
    return times

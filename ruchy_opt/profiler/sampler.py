"""A sampling profiler for tier-0 code: a CPU-time timer signal looks at the interrupted
stack (or, with ``thread``, at that thread's stack: the tiered runtime runs the program
on a big-stack thread), so the code being measured runs unchanged (no per-call timing on
the hot path). A sample inside compiled code (the tiered runtime's wrapper around a
promoted function is on top) counts for that function."""
from __future__ import annotations

import os
import signal
import sys
from collections import Counter
from types import FrameType
from typing import Optional

from ..jit import timing

TOPLEVEL_NAME = "<top level>"
#: The tiered runtime's wrappers around compiled code (their local ``st`` names it).
_WRAPPERS = frozenset({"compiled", "guarded"})
_RUNTIME = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "jit", "runtime.py")


def ruchy_name(code_name: str) -> Optional[str]:
    """The Ruchy function a generated Python function belongs to (``r_fib__i`` -> fib)."""
    if code_name == "ruchy_toplevel":
        return TOPLEVEL_NAME
    if code_name.startswith("r_") and "__" in code_name:
        return code_name[2:code_name.rindex("__")]
    return None


class Sampler:
    """Samples the stack every ``interval`` seconds of CPU time while active.

    ``self_samples[f]`` counts samples whose innermost Ruchy frame was in f;
    ``total_samples[f]`` those with f anywhere on the stack (recursion counted once).
    Falls back to no samples where ITIMER_PROF is unavailable.
    """

    def __init__(self, code_filename: str, interval: float = 0.001) -> None:
        self.filename = code_filename
        self.thread: Optional[int] = None  # sample this thread, not the interrupted one
        self.interval = interval
        self.self_samples: Counter[str] = Counter()
        self.total_samples: Counter[str] = Counter()
        self.samples = 0
        self.compiled_samples = 0  # the innermost Ruchy frame was compiled code
        self.compile_samples = 0   # taken while the JIT compiled (not in ``samples``)
        self._old = None

    def _handler(self, signum: int, frame: Optional[FrameType]) -> None:
        if timing.TIMES is not None and timing._stack:
            self.compile_samples += 1
            return
        seen: set[str] = set()
        innermost = None
        compiled = None
        if self.thread is not None:
            frame = sys._current_frames().get(self.thread)
        while frame is not None:
            code = frame.f_code
            if code.co_filename == _RUNTIME and code.co_name in _WRAPPERS:
                st = frame.f_locals.get("st")
                if st is not None:
                    compiled = innermost is None if compiled is None else compiled
                    innermost = innermost or st.name
                    seen.add(st.name)
            elif code.co_filename == _RUNTIME and code.co_name == "osr" and innermost is None:
                compiled = True  # an OSR continuation: the loop's owner is below
            elif frame.f_code.co_filename == self.filename:
                name = ruchy_name(frame.f_code.co_name)
                if name is not None:
                    innermost = innermost or name
                    seen.add(name)
            frame = frame.f_back
        self.samples += 1
        if compiled:
            self.compiled_samples += 1
        if innermost:
            self.self_samples[innermost] += 1
            self.total_samples.update(seen)

    def __enter__(self) -> "Sampler":
        if hasattr(signal, "setitimer") and sys.platform != "win32":
            self._old = signal.signal(signal.SIGPROF, self._handler)
            signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.setitimer(signal.ITIMER_PROF, 0, 0)
            signal.signal(signal.SIGPROF, self._old)

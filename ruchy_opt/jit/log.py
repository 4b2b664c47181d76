"""``--jit-log``: one line on stderr per decision of the tiered runtime, in the manner
of V8's ``--trace-opt``/``--trace-deopt``/``--trace-osr``::

    [jit] promote fib(int) as (i64) -> tier 1: heat 20000 (calls 20000, ...) >= 20000; ...
    [jit] cache-hit @fib(i64) tier 1 (loaded in 10.4 ms)
    [jit] deopt twice(any): guard (int) failed for (float); this call runs in the interpreter
    [jit] blacklist twice(any): 6 deoptimizations > 5; stays in the interpreter
    [jit] osr loop at prog.ruchy:4:1 in the top level after 10000 iterations -> tier 2 ...
    [jit] not-compiled total(array): an array argument (...); stays in the interpreter

Python's stdout is flushed first, so the lines stand where they happened in the output.
"""
from __future__ import annotations

import sys


class JitLog:
    """Writes the log lines when enabled; otherwise every call is a no-op."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, event: str, text: str) -> None:
        if self.enabled:
            sys.stdout.flush()
            sys.stderr.write(f"[jit] {event} {text}\n")
            sys.stderr.flush()


def article(word: str) -> str:
    """``word`` with its indefinite article (``an array``, ``a string``)."""
    return ("an " if word[:1] in ("a", "e", "i", "o", "u") else "a ") + word

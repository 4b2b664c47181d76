"""Running compiled programs in this process (MCJIT).

The program runs on a thread with a 1 GiB stack (reserved, not committed): recursion as
deep as the language allows must fit whatever the frame size (unoptimised frames are
large), and deeper recursion is the `stack overflow` error raised by compiled code.
A runtime error in compiled code prints its diagnostic and ends the process with
status 1, after flushing what Python and the program printed, in order.
"""
from __future__ import annotations

import ctypes
import sys
import threading
import time

from .compiler import Compiled
from .module import ENTRY

STACK_BYTES = 1 << 30


def run_compiled(c: Compiled) -> float:
    """Run a compiled program's entry; returns the machine-code generation time."""
    from .engine import JIT
    t0 = time.perf_counter()
    jit = JIT(c.module)
    c.times["llvm-codegen"] = time.perf_counter() - t0
    entry = ctypes.CFUNCTYPE(None)(jit.address(ENTRY))
    sys.stdout.flush()
    sys.stderr.flush()
    old = threading.stack_size()
    threading.stack_size(STACK_BYTES)
    try:
        t = threading.Thread(target=entry, name="ruchy")
        t.start()
    finally:
        threading.stack_size(old)
    t.join()
    c.jit = jit  # type: ignore[attr-defined]  # keep the code alive as long as c
    return c.times["llvm-codegen"]

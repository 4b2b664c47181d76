"""Running compiled programs in this process: from MCJIT, or linked with the runtime
into a shared object that the program cache keeps (progcache.py) and ctypes loads.
How the entry runs (big stack, forked when output is captured) is native.py."""
from __future__ import annotations

import time
from typing import Optional

from .compiler import Compiled
from .module import ENTRY
from .native import run_address, run_library

__all__ = ["run_compiled", "run_cached", "run_address", "link_shared"]


def link_shared(c: Compiled) -> Optional[bytes]:
    """The program and the runtime linked into a shared object by the system C compiler,
    or None when there is none (or it fails): the caller then uses MCJIT."""
    from .engine import emit_object
    from .linker import link_shared as link
    from .rtcache import runtime_object
    return link([emit_object(c.module, c.codegen_level), runtime_object(jit=False)])


def run_compiled(c: Compiled, cache_key: Optional[str] = None) -> int:
    """Run a compiled program's entry; returns its exit status (0 unless it failed
    in a forked child: in this process a failure exits with status 1). With a cache
    key, the machine code is also stored in the program cache: as a shared object
    when a C compiler links one, else as an object file."""
    from . import progcache
    from .engine import JIT, target_machine
    t0 = time.perf_counter()
    if cache_key is not None:
        so = link_shared(c)
        path = progcache.open_library(cache_key) \
            if so is not None and progcache.store_library(cache_key, so) else None
        if path is not None:
            c.times["llvm-codegen"] = time.perf_counter() - t0
            return run_library(path)
        obj = target_machine(opt=c.codegen_level, jit=True).emit_object(c.module)
        progcache.store(cache_key, obj)
        jit = JIT.from_object(obj)
    else:
        jit = JIT(c.module, opt=c.codegen_level)
    c.times["llvm-codegen"] = time.perf_counter() - t0
    c.jit = jit  # type: ignore[attr-defined]  # keep the code alive as long as c
    return run_address(jit.address(ENTRY))


def run_cached(obj: bytes) -> int:
    """Run a program from its cached machine code (an object file, through MCJIT)."""
    from .engine import JIT
    jit = JIT.from_object(obj)
    status = run_address(jit.address(ENTRY))
    del jit
    return status

"""The runtime library compiled once: machine code for the host, kept in memory and on
disk, so that a compile of a program optimises and generates only the program's code.

The disk copy lives in ``$RUCHY_OPT_CACHE_DIR`` (default ``$XDG_CACHE_HOME/ruchy-opt`` or
``~/.cache/ruchy-opt``), keyed by a hash of the runtime's LLVM IR, the LLVM version and
the host CPU and features. Entries are sealed (cachefile.py: a digest of the object and
the key, the file's owner and mode, checked before the object is used); a damaged,
swapped or foreign one is discarded and rebuilt; ``RUCHY_OPT_NO_CACHE=1`` keeps
everything in memory. Only raw object bytes are stored: nothing is unpickled.
"""
from __future__ import annotations

import hashlib
import os

from . import cachefile, engine
from .progcache import cache_dir
from .runtime import PIECES, runtime_module, runtime_source

_memory: dict[str, bytes] = {}


def _key(kind: str) -> str:
    import llvmlite.binding as llvm
    h = hashlib.sha256()
    for p in PIECES:
        h.update(runtime_source(p).encode())
    h.update(repr((kind, engine.code_model(kind == "jit"), llvm.llvm_version_info,
                   llvm.get_process_triple(), *engine.host_cpu())).encode())
    return h.hexdigest()[:24]


def runtime_object(jit: bool) -> bytes:
    """The runtime as an object file for the JIT (``jit``) or for native executables."""
    kind = "jit" if jit else "aot"
    if kind in _memory:
        return _memory[kind]
    key = _key(kind)
    d = cache_dir()
    path = os.path.join(d, f"runtime-{kind}-{key}.o") if d else None
    data = cachefile.read(path, key) if path else None
    if data is None:
        tm = engine.target_machine(opt=3, jit=jit)
        m = runtime_module(tm.triple, str(tm.target_data))
        engine.optimize(m, tm, engine.LLVMOptions(speed_level=3))
        data = tm.emit_object(m)
        if path:
            cachefile.write(path, data, key)
    _memory[kind] = data
    return data

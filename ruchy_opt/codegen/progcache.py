"""Whole-program code cache of ``run --tier=1|2``: the machine code of a compiled program,
kept on disk so that running the same program again compiles nothing.

The key hashes everything the code depends on: the source text and its file name (the
diagnostics embed it), the tier and pipeline options, the compiler's own source (every
module of ruchy_opt and passes, so editing the compiler never runs stale code), LLVM's
version and the host CPU. Entries are raw object files written atomically (rtcache.py);
a corrupt entry is ignored and rebuilt. ``RUCHY_OPT_NO_CACHE=1`` turns it off. (The
tiered runtime keeps its own per-function cache; this one serves the batch tiers.)
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from typing import Any, Optional

from ..errors import SourceFile
from .rtcache import _read, _write, cache_dir

_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@lru_cache(maxsize=None)
def compiler_fingerprint() -> str:
    """A hash of the compiler's source files (ruchy_opt/ and passes/)."""
    h = hashlib.sha256()
    roots = [_PKG, os.path.join(os.path.dirname(_PKG), "passes")]
    for root in roots:
        for d, dirs, files in os.walk(root):
            dirs.sort()
            for f in sorted(files):
                if f.endswith((".py", ".ll", ".lark")):
                    p = os.path.join(d, f)
                    h.update(p[len(root):].encode())
                    try:
                        with open(p, "rb") as fh:
                            h.update(fh.read())
                    except OSError:
                        pass
    return h.hexdigest()


def program_key(src: SourceFile, tier: int, args: Any) -> Optional[str]:
    """The cache key, or None when the options ask for output a cached run would skip."""
    for opt in ("verbose", "llvm_time_passes", "dump_cfg", "print_after_all", "print_changed",
                "time_passes", "stats", "verify_each"):
        if getattr(args, opt, None):
            return None
    for opt in ("llvm_opt_bisect_limit", "opt_bisect_limit"):
        if getattr(args, opt, None) is not None:
            return None
    if getattr(args, "print_after", None) or getattr(args, "load_pass_plugin", None):
        return None
    import llvmlite.binding as llvm
    from . import engine
    engine.init()
    h = hashlib.sha256()
    opts = (tier, getattr(args, "passes", None), getattr(args, "opt_level", None),
            getattr(args, "llvm_level", None), getattr(args, "arg_types", None))
    h.update(repr((src.name, opts, compiler_fingerprint(), llvm.llvm_version_info,
                   llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten())).encode())
    h.update(src.text.encode())
    return h.hexdigest()[:32]


def _path(key: str) -> Optional[str]:
    d = cache_dir()
    return os.path.join(d, "programs", key + ".o") if d else None


def load(key: str) -> Optional[bytes]:
    p = _path(key)
    return _read(p) if p else None


def store(key: str, obj: bytes) -> None:
    p = _path(key)
    if p:
        _write(p, obj)

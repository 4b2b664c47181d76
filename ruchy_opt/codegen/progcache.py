"""Whole-program code cache of ``run --tier=1|2``: a compiled program's machine code kept
on disk, so that running the same program again compiles nothing.

An entry is the program linked with the runtime into a shared object (``KEY.so``, loaded
with ctypes: a warm run imports neither llvmlite nor the front end, see launch.py), or,
where no C compiler links one, the program's object file (``KEY.o``, loaded by MCJIT).

The key hashes everything the code depends on: the source text and its file name (the
diagnostics embed it), the tier and pipeline options, the compiler itself, LLVM and the
host CPU. The compiler is identified by the path, size and modification time of every
source file of ruchy_opt/ and passes/ (a stat each, not a read: this runs on every
``run``), LLVM by its shared library's, the CPU by /proc/cpuinfo's model and flags.
Entries are sealed (cachefile.py): each carries a digest of its content and the key it
was made for, checked (with its owner and mode) before the loader sees it; a damaged,
swapped or foreign entry is discarded and rebuilt. ``RUCHY_OPT_NO_CACHE=1`` turns the
cache off. Standard library only.
"""
from __future__ import annotations

import os
import sys

from . import cachefile

try:  # the C module hashlib would wrap: importing hashlib loads OpenSSL (~4 ms a run)
    from _sha256 import sha256
except ImportError:  # Python builds without it (3.12 renamed it _sha2)
    from hashlib import sha256

# Type names only: importing typing costs more than a warm run's whole own work.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cache_dir() -> Optional[str]:
    """Where compiled artefacts are kept, or None when caching on disk is off."""
    if os.environ.get("RUCHY_OPT_NO_CACHE"):
        return None
    d = os.environ.get("RUCHY_OPT_CACHE_DIR")
    if not d:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        d = os.path.join(base, "ruchy-opt")
    return d


def write_atomic(path: str, data: bytes) -> None:
    """Write ``path`` (not an entry: remember.py's markers) by renaming a temporary file
    into place, in a private directory (a failure is ignored: a read-only cache only
    makes runs slower)."""
    cachefile.write_raw(path, data)


def _stamp(h: "Any", root: str) -> None:
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                if e.name != "__pycache__" and not e.name.startswith("."):
                    stack.append(e.path)
            elif e.name.endswith((".py", ".ll", ".lark")):
                st = e.stat()
                h.update(f"{e.path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


_FINGERPRINTS: dict[str, str] = {}  # computed once a process (functools costs ~2 ms to import)


def compiler_fingerprint() -> str:
    """Identifies the compiler's source (ruchy_opt/ and passes/) by stat, not content."""
    if "compiler" not in _FINGERPRINTS:
        h = sha256()
        _stamp(h, _PKG)
        _stamp(h, os.path.join(os.path.dirname(_PKG), "passes"))
        _FINGERPRINTS["compiler"] = h.hexdigest()
    return _FINGERPRINTS["compiler"]


def _llvmlite_dirs() -> list[str]:
    """The llvmlite package directories on sys.path, found without importlib.util (whose
    import costs ~7 ms) and without importing llvmlite."""
    found = []
    for entry in sys.path:
        d = os.path.join(entry or ".", "llvmlite")
        if os.path.isdir(os.path.join(d, "binding")):
            found.append(d)
            break  # the first one on the path is the one imported
    return found


def host_fingerprint() -> str:
    """Identifies LLVM (its shared library) and the CPU the code is generated for."""
    if "host" in _FINGERPRINTS:
        return _FINGERPRINTS["host"]
    parts = [sys.platform, os.uname().machine]
    try:
        dirs = _llvmlite_dirs()
        for d in dirs:
            for name in sorted(os.listdir(os.path.join(d, "binding"))):
                if "llvmlite" in name and name.endswith((".so", ".dylib", ".dll")):
                    st = os.stat(os.path.join(d, "binding", name))
                    parts.append(f"{d}/{name}:{st.st_size}:{st.st_mtime_ns}")
        if not dirs:
            parts.append("llvmlite?")
    except (OSError, ValueError):
        parts.append("llvmlite?")
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if not line.strip():
                    break  # the first processor is enough
                if line.startswith(("model name", "flags", "vendor_id", "cpu family", "model\t")):
                    parts.append(line.strip())
    except OSError:
        parts.append("cpuinfo?")
    _FINGERPRINTS["host"] = sha256("\n".join(parts).encode()).hexdigest()
    return _FINGERPRINTS["host"]


#: options that print or instrument something a cached run would skip
_UNCACHED_FLAGS = ("verbose", "llvm_time_passes", "dump_cfg", "print_after_all",
                   "print_changed", "time_passes", "stats", "verify_each")


def options_of(args: Any) -> Optional[tuple]:
    """The options that change the compiled code, or None when the options ask for
    output (instrumentation) that a cached run would skip."""
    for opt in _UNCACHED_FLAGS:
        if getattr(args, opt, None):
            return None
    for opt in ("llvm_opt_bisect_limit", "opt_bisect_limit"):
        if getattr(args, opt, None) is not None:
            return None
    if getattr(args, "print_after", None) or getattr(args, "load_pass_plugin", None):
        return None
    return (getattr(args, "passes", None), getattr(args, "opt_level", None),
            getattr(args, "llvm_level", None), tuple(getattr(args, "arg_types", None) or ()))


#: the options of a plain ``run --tier=N FILE``
DEFAULT_OPTIONS: tuple = (None, None, None, ())


def program_key(name: str, text: str, tier: int, options: tuple) -> str:
    """The cache key of a program compiled at ``tier`` with ``options``."""
    h = sha256()
    h.update(repr((name, tier, options, compiler_fingerprint(),
                   host_fingerprint())).encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def read_source(path: str) -> Optional[str]:
    """A program's text for the warm paths of launch.py, or None (cli.main, which
    runs next, reports what is wrong with the file)."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


def _path(key: str, ext: str) -> Optional[str]:
    d = cache_dir()
    return os.path.join(d, "programs", key + ext) if d else None


def open_library(key: str) -> Optional[str]:
    """A path the dynamic loader can open for the cached shared object of ``key``, once
    its seal checked (cachefile.loadable; ``cachefile.release`` it after loading), or
    None."""
    p = _path(key, ".so")
    return cachefile.loadable(p, key) if p else None


def has_library(key: str) -> bool:
    """Whether a usable shared object of ``key`` is cached (a damaged one is discarded)."""
    p = _path(key, ".so")
    return bool(p) and cachefile.check(p, key)


def store_library(key: str, data: bytes) -> bool:
    """Keep a linked shared object; whether it was kept."""
    p = _path(key, ".so")
    return bool(p) and cachefile.write(p, data, key)


def load(key: str) -> Optional[bytes]:
    """The cached object file of ``key`` (kept where no shared object could be linked)."""
    p = _path(key, ".o")
    return cachefile.read(p, key) if p else None


def store(key: str, obj: bytes) -> None:
    p = _path(key, ".o")
    if p:
        cachefile.write(p, obj, key)

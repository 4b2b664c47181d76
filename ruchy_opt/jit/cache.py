"""The tiered runtime's code cache: machine code per specialisation, in memory and on
disk (``$RUCHY_OPT_CACHE_DIR/jit/``, the directory the runtime library's cache uses;
``--no-cache`` or ``RUCHY_OPT_NO_CACHE=1`` keep it in memory).

The key hashes what the code depends on: the IR of the function and of every function it
reaches (with source positions, and the source lines those name, which diagnostics
print), the values of the globals it was compiled with, the argument types, the tier,
the compiler's own source and LLVM's version and host CPU. Editing a callee changes the
key of every caller, so stale code is never run.

An entry is ``MAGIC | length (8 bytes) | sha256 of the payload | payload`` where the
payload is the raw object file: a truncated or corrupt entry fails the check and is
rebuilt. Entries are written to a temporary file and renamed into place (atomic on
POSIX), so a reader in another process sees the old entry, the new one, or none, never a
partial one. Nothing is unpickled: the payload is handed to LLVM's object loader only
after its hash matched.
"""
from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from typing import Optional

MAGIC = b"RUCHYJIT1\n"
_HEADER = len(MAGIC) + 8 + 32


class CodeCache:
    """Object files by key; with ``disk`` False they are kept in this process only."""

    def __init__(self, disk: bool) -> None:
        self.disk = disk
        self._directory: Optional[str] = None
        self.memory: dict[str, bytes] = {}
        self.rejected = 0  # corrupt entries seen (for tests and the log)

    def key(self, fingerprint: str, tier: int) -> str:
        """The key of code with this IR fingerprint (native.ir_fingerprint) and tier."""
        import llvmlite.binding as llvm
        from ..codegen import engine
        from ..codegen.progcache import compiler_fingerprint
        engine.init()
        h = hashlib.sha256()
        h.update(repr((tier, compiler_fingerprint(), llvm.llvm_version_info,
                       llvm.get_host_cpu_name(),
                       llvm.get_host_cpu_features().flatten())).encode())
        h.update(fingerprint.encode())
        return h.hexdigest()[:40]

    @property
    def directory(self) -> Optional[str]:
        """The cache directory (rtcache's, which imports llvmlite: asked only when
        something is compiled)."""
        if self.disk and self._directory is None:
            from ..codegen.rtcache import cache_dir
            self._directory = cache_dir() or ""
        return self._directory or None

    def _path(self, key: str) -> Optional[str]:
        d = self.directory
        return os.path.join(d, "jit", key + ".o") if d else None

    def load(self, key: str) -> Optional[bytes]:
        """The object file stored under ``key``, or None (absent, or failing its check)."""
        if key in self.memory:
            return self.memory[key]
        path = self._path(key)
        if path is None:
            return None
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return None
        obj = _unframe(data)
        if obj is None:
            self.rejected += 1
            return None
        self.memory[key] = obj
        return obj

    def store(self, key: str, obj: bytes) -> None:
        self.memory[key] = obj
        path = self._path(key)
        if path is None:
            return
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(_frame(obj))
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass  # a read-only or full cache directory only costs speed


def _frame(obj: bytes) -> bytes:
    return MAGIC + struct.pack("<Q", len(obj)) + hashlib.sha256(obj).digest() + obj


def _unframe(data: bytes) -> Optional[bytes]:
    if len(data) < _HEADER or not data.startswith(MAGIC):
        return None
    (n,) = struct.unpack("<Q", data[len(MAGIC):len(MAGIC) + 8])
    digest = data[len(MAGIC) + 8:_HEADER]
    obj = data[_HEADER:]
    if len(obj) != n or hashlib.sha256(obj).digest() != digest:
        return None
    return obj

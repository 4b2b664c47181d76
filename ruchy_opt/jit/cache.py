"""The tiered runtime's code cache: machine code per specialisation, in memory and on
disk (``$RUCHY_OPT_CACHE_DIR/jit/``, the directory every cache of ruchy-opt uses;
``--no-cache`` or ``RUCHY_OPT_NO_CACHE=1`` keep it in memory).

Two kinds of entry: ``KEY.o``, the object file MCJIT loads (written at once), and
``KEY.so``, the code linked with the runtime into a shared object by the system C
compiler (linked on a background thread after the compile; :meth:`CodeCache.finish`
waits for it). A warm run loads the ``.so`` with ctypes and never imports llvmlite.

The key hashes what the code depends on: the IR of the function and of every function it
reaches (with source positions, and the source lines those name, which diagnostics
print), the values of the globals it was compiled with, the argument types, the tier,
the compiler's own source, LLVM's library and the host CPU (identified as the program
cache identifies them, without importing llvmlite). Editing a callee changes the key of
every caller, so stale code is never run.

An entry is ``MAGIC | length (8 bytes) | sha256 of the payload | payload``: a truncated or
corrupt entry fails the check and is rebuilt. Entries are written to a temporary file
and renamed into place (atomic on POSIX), so a reader in another process sees the old
entry, the new one, or none, never a partial one. Nothing is unpickled: a payload reaches
LLVM's object loader or the dynamic loader only after its hash matched (a shared object
through a private copy, which nobody else can change).
"""
from __future__ import annotations

import hashlib
import os
import struct
from typing import Any, Callable, Optional

# tempfile and threading are imported where used: a script that never gets hot never
# stores anything, and start-up counts.

MAGIC = b"RUCHYJIT1\n"
_HEADER = len(MAGIC) + 8 + 32


class CodeCache:
    """Object files and shared objects by key; with ``disk`` False they are kept in
    this process only."""

    def __init__(self, disk: bool) -> None:
        self.disk = disk
        self._directory: Optional[str] = None
        self.memory: dict[str, bytes] = {}
        self.rejected = 0  # corrupt entries seen
        self._pending: list[Any] = []  # threading.Thread

    def key(self, fingerprint: str, tier: int) -> str:
        """The key of code with this IR fingerprint (native.ir_fingerprint) and tier."""
        from ..codegen.progcache import compiler_fingerprint, host_fingerprint
        h = hashlib.sha256()
        h.update(repr((tier, compiler_fingerprint(), host_fingerprint())).encode())
        h.update(fingerprint.encode())
        return h.hexdigest()[:40]

    @property
    def directory(self) -> Optional[str]:
        """The cache directory, or None when nothing goes to disk."""
        if self.disk and self._directory is None:
            from ..codegen.progcache import cache_dir
            self._directory = cache_dir() or ""
        return self._directory or None

    def _path(self, key: str, ext: str) -> Optional[str]:
        d = self.directory
        return os.path.join(d, "jit", key + ext) if d else None

    def _read(self, path: Optional[str]) -> Optional[bytes]:
        if path is None:
            return None
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return None
        payload = _unframe(data)
        if payload is None:
            self.rejected += 1
        return payload

    # ---- object files (MCJIT) --------------------------------------------------------

    def load(self, key: str) -> Optional[bytes]:
        """The object file stored under ``key``, or None (absent, or failing its check)."""
        if key in self.memory:
            return self.memory[key]
        obj = self._read(self._path(key, ".o"))
        if obj is not None:
            self.memory[key] = obj
        return obj

    def store(self, key: str, obj: bytes) -> None:
        self.memory[key] = obj
        _write(self._path(key, ".o"), obj)

    # ---- shared objects (ctypes) -----------------------------------------------------

    def load_library(self, key: str) -> Optional[str]:
        """The path of a private copy of the shared object stored under ``key``
        (checked whole), for the caller to load and delete; None if absent or corrupt."""
        path = self._path(key, ".so")
        so = self._read(path)
        if so is None or path is None:
            return None
        import tempfile
        try:
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".load-",
                                       suffix=".so")
            with os.fdopen(fd, "wb") as f:
                f.write(so)
        except OSError:
            return None
        return tmp

    def store_library_later(self, key: str, link: Callable[[], Optional[bytes]]) -> None:
        """Link (``link()`` returns the shared object, or None) and store it on a
        background thread: the linker is a subprocess, so the program runs meanwhile."""
        path = self._path(key, ".so")
        if path is None:
            return

        def work() -> None:
            so = link()
            if so is not None:
                _write(path, so)
        import threading
        t = threading.Thread(target=work, name="ruchy-jit-link")
        t.start()
        self._pending.append(t)

    def finish(self) -> None:
        """Wait for the shared objects still being linked."""
        for t in self._pending:
            t.join()
        self._pending.clear()


def _write(path: Optional[str], payload: bytes) -> None:
    """Store a framed entry atomically (a read-only or full directory only costs
    speed)."""
    if path is None:
        return
    import tempfile
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_frame(payload))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def _frame(payload: bytes) -> bytes:
    return MAGIC + struct.pack("<Q", len(payload)) + hashlib.sha256(payload).digest() + payload


def _unframe(data: bytes) -> Optional[bytes]:
    if len(data) < _HEADER or not data.startswith(MAGIC):
        return None
    (n,) = struct.unpack("<Q", data[len(MAGIC):len(MAGIC) + 8])
    digest = data[len(MAGIC) + 8:_HEADER]
    payload = data[_HEADER:]
    if len(payload) != n or hashlib.sha256(payload).digest() != digest:
        return None
    return payload

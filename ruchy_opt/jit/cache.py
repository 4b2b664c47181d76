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

Entries are sealed (codegen/cachefile.py): each carries a digest of its content and the
key it was made for, and is used only if it is a file of this user that nobody else can
write and both match; otherwise it is discarded (a note under ``--jit-log``) and rebuilt.
Entries are written to a temporary file and renamed into place (atomic on POSIX), so a
reader in another process sees the old entry, the new one, or none, never a partial one.
Nothing is unpickled: a payload reaches LLVM's object loader or the dynamic loader only
after its seal matched (a shared object through the very descriptor that was checked).
"""
from __future__ import annotations

import hashlib
import os
from typing import Any, Callable, Optional

from ..codegen import cachefile

# tempfile and threading are imported where used: a script that never gets hot never
# stores anything, and start-up counts.


class CodeCache:
    """Object files and shared objects by key; with ``disk`` False they are kept in
    this process only."""

    def __init__(self, disk: bool) -> None:
        self.disk = disk
        self._directory: Optional[str] = None
        self.memory: dict[str, bytes] = {}
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

    @property
    def on_disk(self) -> bool:
        """Whether entries are written to disk (a directory is usable)."""
        return self.directory is not None

    def _path(self, key: str, ext: str) -> Optional[str]:
        d = self.directory
        return os.path.join(d, "jit", key + ext) if d else None

    def _read(self, path: Optional[str], key: str) -> Optional[bytes]:
        return cachefile.read(path, key) if path is not None else None

    # ---- object files (MCJIT) --------------------------------------------------------

    def load(self, key: str) -> Optional[bytes]:
        """The object file stored under ``key``, or None (absent, or failing its check)."""
        if key in self.memory:
            return self.memory[key]
        obj = self._read(self._path(key, ".o"), key)
        if obj is not None:
            self.memory[key] = obj
        return obj

    def store(self, key: str, obj: bytes) -> None:
        self.memory[key] = obj
        path = self._path(key, ".o")
        if path is not None:
            cachefile.write(path, obj, key)

    # ---- shared objects (ctypes) -----------------------------------------------------

    def load_library(self, key: str) -> Optional[str]:
        """A path the dynamic loader can open for the shared object stored under
        ``key``, once its seal checked (cachefile.loadable: the caller loads it, then
        ``cachefile.release``-s it); None if absent or discarded."""
        path = self._path(key, ".so")
        return cachefile.loadable(path, key) if path is not None else None

    def store_library_later(self, key: str, link: Callable[[], Optional[bytes]]) -> None:
        """Link (``link()`` returns the shared object, or None) and store it on a
        background thread: the linker is a subprocess, so the program runs meanwhile."""
        path = self._path(key, ".so")
        if path is None:
            return

        def work() -> None:
            so = link()
            if so is not None:
                cachefile.write(path, so, key)
        import threading
        t = threading.Thread(target=work, name="ruchy-jit-link")
        t.start()
        self._pending.append(t)

    def finish(self) -> None:
        """Wait for the shared objects still being linked."""
        for t in self._pending:
            t.join()
        self._pending.clear()


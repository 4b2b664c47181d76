"""Sealed cache entries: every file a cache of ruchy-opt keeps (the program cache's
``programs/KEY.so|.o``, the runtime objects ``runtime-*.o``, the JIT's ``jit/KEY.o|.so``)
is checked before anything in it reaches a loader. Standard library only, and cheap to
import: a warm run of a cached program reads its entry through here.

An entry is its payload followed by a trailer::

    payload | key (64 bytes, NUL-padded) | BLAKE2b-256 of key and payload | length (8) | MAGIC

The payload comes first so that a shared object stays a valid ELF file the dynamic loader
maps as it is (it reads the program headers and ignores bytes past the segments). An entry
is used only when all of these hold (else it is discarded, and the caller rebuilds it):

- it is a regular file (not a symbolic link), owned by this process's effective user and
  writable by nobody else (no group or other write bit): a file someone else could write
  is not ours to run;
- the trailer is whole, names the key it is being loaded for (two entries swapped, or an
  entry copied under another name, fail here), and the digest matches the payload (a
  truncated or bit-flipped entry fails here).

A shared object is then loaded through ``/proc/self/fd/N`` of the very descriptor whose
bytes were checked, so nobody can change the file between the check and the mapping (where
``/proc`` is missing, through a private copy). The threat model is in docs/jit.md
("Trusting the cache"). Directories are created private (0700).
"""
from __future__ import annotations

import os
import stat
import sys

try:  # the C module hashlib wraps; importing hashlib itself loads OpenSSL (~4 ms a run)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - Python builds without it
    from hashlib import blake2b

# Type names only: importing typing costs a warm run more than its own work.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional

MAGIC = b"RUCHYSEAL1"
_KEY = 64
_DIGEST = 32
TRAILER = _KEY + _DIGEST + 8 + len(MAGIC)

#: (path, reason) of every entry discarded by this process, for tests and --verbose
discarded: list = []
#: print a note on stderr for each discarded entry (``--verbose``, ``--jit-log``)
verbose = False
#: (path, descriptor) of shared objects handed to the loader (descriptor None: a copy)
_OPEN: list = []


def _digest(key: bytes, payload: "bytes | memoryview") -> bytes:
    h = blake2b(digest_size=_DIGEST)
    h.update(key)
    h.update(payload)
    return h.digest()


def _key_field(key: str) -> bytes:
    k = key.encode("ascii")
    if len(k) > _KEY:
        raise ValueError(f"cache key longer than {_KEY} bytes")
    return k.ljust(_KEY, b"\0")


def seal(payload: bytes, key: str) -> bytes:
    """``payload`` with the trailer that ties it to ``key``."""
    k = _key_field(key)
    return b"".join((payload, k, _digest(k, payload),
                     len(payload).to_bytes(8, "little"), MAGIC))


def unseal(data: bytes, key: str) -> "tuple[Optional[bytes], str]":
    """(the payload, "") when ``data`` is an entry sealed for ``key``, else (None, why)."""
    if len(data) < TRAILER or not data.endswith(MAGIC):
        return None, "damaged (no trailer: truncated, or not an entry)"
    n = len(data) - TRAILER
    t = memoryview(data)[n:]
    if int.from_bytes(t[_KEY + _DIGEST:_KEY + _DIGEST + 8], "little") != n:
        return None, "damaged (wrong length)"
    k = _key_field(key)
    if t[:_KEY] != k:
        return None, "made for another key"
    if _digest(k, memoryview(data)[:n]) != t[_KEY:_KEY + _DIGEST]:
        return None, "damaged (digest mismatch)"
    return data[:n], ""


def note(path: str, reason: str) -> None:
    """Record (and under ``verbose`` say) that the entry at ``path`` is not used."""
    discarded.append((path, reason))
    if verbose:
        sys.stderr.write(f"ruchy-opt: cache: discarded {path}: {reason}; rebuilding\n")


def _discard(path: str, reason: str) -> None:
    note(path, reason)
    try:  # rebuilt by the caller; a file we may not remove is simply left alone
        os.unlink(path)
    except OSError:
        pass


def _foreign(st: "os.stat_result") -> str:
    """Why a file with this status may not be trusted, or ""."""
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    if st.st_uid != os.geteuid():
        return f"owned by another user (uid {st.st_uid})"
    if st.st_mode & 0o022:
        return f"writable by group or others (mode {stat.S_IMODE(st.st_mode):o})"
    return ""


def _open(path: str) -> "Optional[tuple[int, bytes]]":
    """(descriptor, contents) of a trusted, checked-later file, or None (absent, or not
    trusted: discarded)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError as e:  # a symbolic link (ELOOP), unreadable, ...
        _discard(path, f"unreadable ({e.strerror})")
        return None
    try:
        st = os.fstat(fd)
        why = _foreign(st)
        if why:
            os.close(fd)
            _discard(path, why)
            return None
        chunks = []
        size = st.st_size + 1
        while True:
            b = os.read(fd, max(size, 1 << 16))
            if not b:
                break
            chunks.append(b)
        return fd, b"".join(chunks) if len(chunks) != 1 else chunks[0]
    except OSError as e:
        os.close(fd)
        _discard(path, f"unreadable ({e.strerror})")
        return None


def read(path: str, key: str) -> "Optional[bytes]":
    """The payload of the entry at ``path`` sealed for ``key``, or None (absent, or
    discarded: damaged, another key's, not trusted)."""
    got = _open(path)
    if got is None:
        return None
    fd, data = got
    os.close(fd)
    payload, why = unseal(data, key)
    if payload is None:
        _discard(path, why)
    return payload


def trusted(path: str) -> bool:
    """Whether a file another library loads by itself (lark's table cache) may be read:
    absent, or a regular file of this user's that nobody else may write. An untrusted
    one is discarded, so the library rebuilds it."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    why = _foreign(st)
    if why:
        _discard(path, why)
        return not os.path.lexists(path)
    return True


def check(path: str, key: str) -> bool:
    """Whether a usable entry for ``key`` is at ``path`` (a damaged one is discarded)."""
    return read(path, key) is not None


def loadable(path: str, key: str) -> "Optional[str]":
    """A path the dynamic loader can open for the shared object sealed at ``path`` for
    ``key``, whose bytes are the ones checked: ``/proc/self/fd/N`` of the checked
    descriptor, else a private copy (:func:`release` it once loaded). None when there is no usable entry."""
    got = _open(path)
    if got is None:
        return None
    fd, data = got
    payload, why = unseal(data, key)
    if payload is None:
        os.close(fd)
        _discard(path, why)
        return None
    proc = f"/proc/self/fd/{fd}"
    if os.path.exists(proc):
        _OPEN.append((proc, fd))
        return proc
    os.close(fd)
    import tempfile
    try:
        tfd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".load-", suffix=".so")
        with os.fdopen(tfd, "wb") as f:
            f.write(data)
    except OSError:
        return None
    _OPEN.append((tmp, None))
    return tmp


def release(path: str) -> None:
    """After loading what :func:`loadable` returned: delete a private copy (the mapping
    stays). A descriptor stays open while the process lives, as its code stays mapped:
    the dynamic loader knows a loaded object by its path name, and a closed descriptor's
    number, hence the same ``/proc/self/fd/N``, would be given to the next one."""
    for i, (p, fd) in enumerate(_OPEN):
        if p == path:
            if fd is None:
                del _OPEN[i]
                try:
                    os.unlink(p)
                except OSError:
                    pass
            return


def private_dir(path: str) -> None:
    """Create ``path`` and its missing parents with mode 0700. A directory that exists
    is left as it is (``RUCHY_OPT_CACHE_DIR`` may name a shared one): what protects the
    entries then is that each is checked for its owner and mode."""
    if os.path.isdir(path):
        return
    parent = os.path.dirname(path)
    if parent and parent != path and not os.path.isdir(parent):
        private_dir(parent)
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass


def write(path: str, payload: bytes, key: str) -> bool:
    """Store ``payload`` sealed for ``key`` at ``path``, atomically (a temporary file
    renamed into place, mode 0600); whether it was written (a read-only or full cache
    only makes runs slower). Missing directories are created private (0700)."""
    return write_raw(path, seal(payload, key))


def write_raw(path: str, data: bytes) -> bool:
    """Store ``data`` at ``path`` atomically in a private directory (for files that
    are not entries, like jit/remember.py's markers)."""
    import tempfile
    d = os.path.dirname(path)
    try:
        private_dir(d)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return False
    return True

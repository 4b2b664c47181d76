"""Files and directories: ``std::fs`` (``File``, ``OpenOptions``, ``read_dir``,
``create_dir_all``, ``metadata``...), ``BufReader``/``BufWriter``, and the reference's
``open(path, mode)``, ``file_exists``, ``append_file``, ``delete_file``.

Every ``std::fs`` function gives Rust's ``Result``: ``Err(io::Error)`` prints as
``No such file or directory (os error 2)`` (runtime/io.py); the reference's plain
functions stop with a runtime error that names the path. A path is its string
(runtime/strings.py has ``exists``, ``is_dir``, ``file_name``...; :func:`path_join`
and friends below). Directory listings are sorted by name (Rust leaves their order
to the OS; sorting makes a run repeatable).
"""
from __future__ import annotations

import os
from typing import Any

from ..errors import RuchyRuntimeError
from .aggregates import NONE, Cell, Err, Ok, Some
from .io import IoError, _io_error, _path
from .libmethods import register
from .values import Arr, kind, text


register(IoError, {"kind": lambda e: e.f_kind,
                   "raw_os_error": lambda e: Some(e.f_code) if e.f_code else NONE})


class File:
    """An open file (``File::create``, ``File::open``, ``OpenOptions::open``, ``open``)."""

    __slots__ = ("path", "f")
    _display = staticmethod(lambda v: f'File {{ path: "{v.path}" }}')

    def __init__(self, path: str, f: Any) -> None:
        self.path, self.f = path, f

    def _write(self, data: Any) -> int:
        raw = _bytes(data)
        self.f.write(raw)
        return len(raw)

    def _read_into(self, name: str, cur: Any) -> tuple[str, Any]:
        """``f.read_to_string(&mut s)`` / ``f.read_line(&mut s)``: the new text of
        ``s`` and the method's result."""
        base = cur.v if type(cur) is Cell else cur
        if not isinstance(base, str):
            raise RuchyRuntimeError(f"type error: {name}() expects a String, found {kind(base)}")
        try:
            raw = self.f.read() if name == "read_to_string" else self.f.readline()
            more = raw.decode("utf-8")
        except OSError as e:
            return base, Err(_io_error(e))
        except UnicodeDecodeError:
            return base, Err("stream did not contain valid UTF-8")
        return str.__str__(base) + more, Ok(len(raw))


def _bytes(data: Any) -> bytes:
    if type(data) is Cell:
        data = data.v
    if isinstance(data, str):
        return str.__str__(data).encode("utf-8")
    if type(data) is Arr:
        try:
            return bytes(data.d)
        except (TypeError, ValueError):
            pass
    raise RuchyRuntimeError(f"type error: cannot write {kind(data)} to a file (a string or "
                            "bytes)")


def write_text(f: File, s: str) -> None:
    """``write!(file, ...)`` / ``writeln!``: the formatted text appended to the file."""
    f.f.write(s.encode("utf-8"))


def _io(call: Any) -> Any:
    try:
        return Ok(call())
    except OSError as e:
        return Err(_io_error(e))


def _lines(f: File) -> Arr:
    out = []
    for raw in f.f:
        line = raw.decode("utf-8", "replace")
        line = line[:-1] if line.endswith("\n") else line
        out.append(Ok(line.removesuffix("\r")))
    return Arr(out)


def _read_line(f: File) -> str:
    """The reference's ``file.read_line()``: the next line without its line end."""
    line = f.f.readline().decode("utf-8", "replace")
    return line[:-1].removesuffix("\r") if line.endswith("\n") else line


register(File, {
    "write_all": lambda f, d: _io(lambda: f._write(d) and None),
    "write": lambda f, d: _io(lambda: f._write(d)),
    "write_str": lambda f, d: _io(lambda: f._write(d) and None),
    "flush": lambda f: _io(lambda: f.f.flush()),
    "sync_all": lambda f: _io(lambda: f.f.flush()),
    "lines": _lines,
    "read_line": _read_line,
    "close": lambda f: f.f.close(),
    "metadata": lambda f: _io(lambda: Metadata(f.path)),
})


def _open(p: Any, mode: str, what: str) -> Any:
    path = _path(what, p)
    return _io(lambda: File(path, _unbuffered(path, mode)))


def _unbuffered(path: str, mode: str) -> Any:
    """The file opened as Rust's ``File`` is: every write goes to the OS at once (a
    later ``read_to_string`` of the same path sees it)."""
    return open(path, mode, buffering=0 if mode != "rb" else -1)


def create(p: Any) -> Any:
    """``File::create(path)``: ``Ok(file)`` (truncated) or ``Err(io::Error)``."""
    return _open(p, "wb", "File::create")


def open_read(p: Any) -> Any:
    """``File::open(path)``."""
    return _open(p, "rb", "File::open")


def plain_open(p: Any, mode: Any = "r") -> File:
    """The reference's ``open(path, mode)`` (``"r"``, ``"w"``, ``"a"``): a file, or a
    runtime error naming the path."""
    path = _path("open", p)
    m = {"r": "rb", "w": "wb", "a": "ab"}.get(text(mode))
    if m is None:
        raise RuchyRuntimeError(f"open(): unknown mode {text(mode)!r} (r, w or a)")
    try:
        return File(path, _unbuffered(path, m))
    except OSError as e:
        raise RuchyRuntimeError(f"cannot open file '{path}': {e.strerror or e}") from None


class OpenOptions:
    """``OpenOptions::new().append(true).create(true).open(path)``."""

    __slots__ = ("read", "write", "append", "create", "truncate")
    _display = staticmethod(lambda v: "OpenOptions")

    def __init__(self) -> None:
        self.read = self.write = self.append = self.create = self.truncate = False


def _option(name: str) -> Any:
    def set_(o: OpenOptions, on: Any) -> OpenOptions:
        setattr(o, name, on is True)
        return o
    return set_


def _open_with(o: OpenOptions, p: Any) -> Any:
    path = _path("open", p)
    if o.append:
        mode = "ab" if o.create else "ab" if os.path.exists(path) else None
    elif o.write:
        mode = "wb" if o.truncate else "r+b" if os.path.exists(path) or not o.create else "wb"
    else:
        mode = "rb"
    if mode is None:  # append without create to a missing file: NotFound, as Rust
        return _open(path, "rb", "open")
    return _open(path, mode, "open")


register(OpenOptions, {**{n: _option(n) for n in OpenOptions.__slots__},
                       "open": _open_with})


# ---- directories and metadata ---------------------------------------------------

class Metadata:
    """``fs::metadata(path)`` / ``entry.metadata()``."""

    __slots__ = ("path",)
    _display = staticmethod(lambda v: f'Metadata {{ path: "{v.path}" }}')

    def __init__(self, path: str) -> None:
        os.stat(path)  # a missing path is an error now, as in Rust
        self.path = path


def _modified(m: Metadata) -> Any:
    from .clock import SystemTime
    return _io(lambda: SystemTime(os.stat(m.path).st_mtime_ns))


register(Metadata, {
    "is_dir": lambda m: os.path.isdir(m.path),
    "is_file": lambda m: os.path.isfile(m.path),
    "is_symlink": lambda m: os.path.islink(m.path),
    "len": lambda m: os.path.getsize(m.path),
    "modified": _modified,
    "file_type": lambda m: m,
})


class DirEntry:
    """One entry of ``fs::read_dir``: ``path()``, ``file_name()``, ``metadata()``."""

    __slots__ = ("dir", "name")
    _display = staticmethod(lambda v: f'DirEntry("{_join(v.dir, v.name)}")')

    def __init__(self, dir: str, name: str) -> None:
        self.dir, self.name = dir, name


register(DirEntry, {
    "path": lambda e: _join(e.dir, e.name),
    "file_name": lambda e: e.name,
    "metadata": lambda e: _io(lambda: Metadata(_join(e.dir, e.name))),
    "file_type": lambda e: _io(lambda: Metadata(_join(e.dir, e.name))),
})


def read_dir(p: Any) -> Any:
    """``fs::read_dir(path)``: ``Ok`` of the entries (each ``Ok(entry)``), by name."""
    path = _path("read_dir", p)
    return _io(lambda: Arr([Ok(DirEntry(path, n)) for n in sorted(os.listdir(path))]))


def _unit(f: Any, *args: Any) -> Any:
    return _io(lambda: f(*args) and None)


def create_dir_all(p: Any) -> Any:
    return _unit(os.makedirs, _path("create_dir_all", p), 0o777, True)


def create_dir(p: Any) -> Any:
    return _unit(os.mkdir, _path("create_dir", p))


def remove_dir(p: Any) -> Any:
    return _unit(os.rmdir, _path("remove_dir", p))


def remove_dir_all(p: Any) -> Any:
    import shutil  # (here, not at start-up)
    return _unit(shutil.rmtree, _path("remove_dir_all", p))


def rename(a: Any, b: Any) -> Any:
    return _unit(os.replace, _path("rename", a), _path("rename", b))


def copy(a: Any, b: Any) -> Any:
    """``fs::copy(from, to)``: ``Ok(bytes copied)``."""
    src, dst = _path("copy", a), _path("copy", b)
    import shutil  # (here, not at start-up)
    return _io(lambda: (shutil.copyfile(src, dst), os.path.getsize(dst))[1])


def metadata(p: Any) -> Any:
    path = _path("metadata", p)
    return _io(lambda: Metadata(path))


def read_bytes(p: Any) -> Any:
    """``fs::read(path)``: ``Ok`` of the file's bytes (an array of ints)."""
    path = _path("read", p)

    def read() -> Arr:
        with open(path, "rb") as f:
            return Arr(list(f.read()))
    return _io(read)


def fs_exists(p: Any) -> Any:
    """``fs::exists(path)``: ``Ok(bool)``."""
    return Ok(os.path.exists(_path("exists", p)))


# ---- the reference's plain file functions ----------------------------------------

def _plain(what: str, p: Any, f: Any) -> Any:
    path = _path(what, p)
    try:
        return f(path)
    except OSError as e:
        raise RuchyRuntimeError(f"{what}: cannot use '{path}': {e.strerror or e}") from None


def append_file(p: Any, data: Any) -> None:
    def append(path: str) -> None:
        with open(path, "ab") as f:
            f.write(_bytes(data if isinstance(data, str) else text(data)))
    _plain("append_file", p, append)


def delete_file(p: Any) -> None:
    _plain("delete_file", p, os.remove)


def plain_read_dir(p: Any) -> Arr:
    """The reference's ``fs_read_dir(path)``: the entries' paths, by name."""
    return _plain("fs_read_dir", p,
                  lambda path: Arr([_join(path, n) for n in sorted(os.listdir(path))]))


def plain_create_dir(p: Any) -> None:
    _plain("fs_create_dir", p, lambda path: os.makedirs(path, exist_ok=True))


# ---- paths (a path is its string) -----------------------------------------------

def _join(a: str, b: str) -> str:
    if b.startswith("/") or not a:
        return b
    return a + b if a.endswith("/") else a + "/" + b


def path_join(a: Any, b: Any) -> str:
    """``Path::join``: ``b`` if it is absolute, else ``a/b``."""
    return _join(str.__str__(a), _path("join", b))


def _parent(s: str) -> Any:
    t = s.rstrip("/")
    if not t:
        return NONE  # "" and "/" have no parent
    head = t.rpartition("/")[0]
    return Some(head if head or not t.startswith("/") else "/")


def _file_stem(s: str) -> Any:
    base = os.path.basename(s.rstrip("/"))
    if not base or base == "..":
        return NONE
    stem, ext = os.path.splitext(base)
    return Some(stem if stem else base)


def _with_extension(s: str, ext: Any) -> str:
    stem = os.path.splitext(s)[0] if os.path.basename(s).strip(".") else s
    e = _path("with_extension", ext)
    return stem + "." + e if e else stem


def _components(s: str) -> Arr:
    parts = [c for c in s.split("/") if c and c != "."]
    return Arr((["/"] if s.startswith("/") else []) + parts)


register(str, {
    "join": path_join, "parent": _parent, "file_stem": _file_stem,
    "with_extension": _with_extension, "is_absolute": lambda s: s.startswith("/"),
    "is_relative": lambda s: not s.startswith("/"), "to_path_buf": lambda s: s,
    "as_path": lambda s: s, "as_os_str": lambda s: s, "components": _components,
    "canonicalize": lambda s: _io(lambda: os.path.realpath(s, strict=True)),
    "metadata": lambda s: _io(lambda: Metadata(s)),
    "read_dir": lambda s: read_dir(s),
})


def buffered(inner: Any) -> Any:
    """``BufReader::new(r)`` / ``BufWriter::new(w)``: the file (or stdin) itself, which
    already reads by line and writes through Python's buffer."""
    return inner

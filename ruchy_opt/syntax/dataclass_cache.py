"""Start-up: the compiled code of the methods that ``dataclasses`` writes, kept on disk.

Every run defines ~100 dataclasses (syntax/ast.py's nodes, the resolver's and the
translator's records). For each, the standard library writes the source text of its
``__init__``, ``__repr__``, ``__eq__``... and compiles it: ~300 ``compile`` calls, about
20 ms of an empty program's start-up. A text depends only on the class's fields, so
the code compiled from it can be kept: :func:`install` gives the ``dataclasses`` module
an ``exec`` of its own (a module global, which its code finds before the builtin) that
looks the text up in a marshal file of the cache directory and compiles only the texts
it has not seen, saving them when the process exits. Each code object is kept
marshalled, and unmarshalled only when its text comes (~7 us, against ~150 us to
compile it), so texts that other programs' classes left in the file cost little more
than their bytes. The methods made are the same:
the same text compiled as ``exec`` compiles it (no inherited ``__future__`` flags, file
name ``<string>``), run in the same namespaces. The file is per Python version
(``sys.implementation.cache_tag``), as code objects are; a missing or damaged file only
costs the compiles.
"""
from __future__ import annotations

import builtins
import os
import sys
from typing import Any, Optional

#: A file holding more texts than this (stale ones accumulate as classes change) is
#: rewritten with the texts of this process only.
MAX_ENTRIES = 2000

_codes: dict[str, bytes] = {}  # text -> its code object, marshalled
_used: set[str] = set()
_new: dict[str, bytes] = {}
_path: Optional[str] = None


def cache_file() -> str:
    """The marshal file of compiled dataclass methods (beside the parser's tables)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ruchy-opt", f"dataclass-code-2-{sys.implementation.cache_tag}")


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    """``exec`` for the dataclasses module: a source text's code comes from the cache."""
    if type(source) is str:
        import marshal
        blob = _codes.get(source)
        if blob is None:
            code = compile(source, "<string>", "exec", dont_inherit=True)
            _codes[source] = _new[source] = marshal.dumps(code)
        else:
            code = marshal.loads(blob)
        _used.add(source)
        source = code
    if globals is None:  # exec's default: the calling code's globals (dataclasses')
        globals = vars(sys.modules["dataclasses"])
        if locals is None:
            locals = globals
    builtins.exec(source, globals, locals)


def install() -> None:
    """Route the ``exec`` calls of the dataclasses module through the cache (once)."""
    global _path
    import dataclasses
    if _path is not None or getattr(dataclasses, "exec", None) is not None:
        return  # installed already, or the module has an exec of its own
    _path = cache_file()
    try:
        import marshal
        from ..codegen import cachefile
        # sealed (codegen/cachefile.py): marshal trusts its input (a damaged file can
        # crash the interpreter), so only a file of this user's, with its digest, is read
        blob = cachefile.read(_path, os.path.basename(_path)[-64:])
        loaded = marshal.loads(blob) if blob is not None else None
        if type(loaded) is dict:
            _codes.update((k, v) for k, v in loaded.items()
                          if type(k) is str and type(v) is bytes)
    except Exception:  # missing or damaged: the texts are compiled as usual
        pass
    dataclasses.exec = _exec  # type: ignore[attr-defined]
    import atexit
    atexit.register(_save)


def _save() -> None:
    """Write the cache again if this process compiled a text it did not hold."""
    if not _new or _path is None:
        return
    keep = _codes if len(_codes) <= MAX_ENTRIES else {k: _codes[k] for k in _used}
    try:
        import marshal
        from ..codegen import cachefile
        cachefile.write(_path, marshal.dumps(keep), os.path.basename(_path)[-64:])
    except Exception:  # an unwritable cache only costs time
        pass

"""The methods of strings that read them (LANGUAGE.md, Level 3), with Rust's meaning.

A Ruchy string is an immutable Python ``str``; indices and lengths are UTF-8 byte
offsets, as in Rust (``len``, ``find``, ``&s[a..b]``, ``char_indices``). A pattern
(``split(p)``, ``contains(p)``, ``trim_matches(p)``...) is a string, a char, an array of
chars or a predicate on chars (a closure or function value).

Methods that split or walk a string (``split``, ``lines``, ``chars``, ``bytes``,
``char_indices``, ``matches``...) return an array for now: ``for x in s.split(',')``,
``.len()`` and indexing work on it; lazy iterators may replace it later.

The methods that change a string and the registration into ``methods.METHODS`` are in
strings_mut.py.
"""
from __future__ import annotations

import os.path
from typing import Any, Callable, Optional

from ..errors import RuchyRuntimeError
from .aggregates import NONE, Cell, Char, Some
from .chars import _WHITESPACE
from .values import Arr, debug, kind, text

_WS = "".join(sorted(_WHITESPACE))


def _err(msg: str) -> RuchyRuntimeError:
    return RuchyRuntimeError(msg)


# ---- byte offsets ----------------------------------------------------------------

def byte_len(s: str) -> int:
    """The UTF-8 length of ``s`` (Rust's ``len``)."""
    return len(s) if s.isascii() else len(s.encode("utf-8"))


def to_bytes(s: str, i: int) -> int:
    """The byte offset of character index ``i``."""
    return i if s.isascii() else len(s[:i].encode("utf-8"))


def to_chars(s: str, b: Any, what: str = "byte index") -> int:
    """The character index at byte offset ``b``; an offset past the end or inside a
    character is Rust's panic."""
    if type(b) is not int:
        raise _err(f"type error: string index must be int, found {kind(b)}")
    if s.isascii():
        if 0 <= b <= len(s):
            return b
        raise _err(f"{what} {b} is out of bounds of {debug(s)}")
    enc = s.encode("utf-8")
    if not 0 <= b <= len(enc):
        raise _err(f"{what} {b} is out of bounds of {debug(s)}")
    if b < len(enc) and enc[b] & 0xC0 == 0x80:
        i = len(enc[:b].decode("utf-8", "ignore"))
        raise _err(f"byte index {b} is not a char boundary; it is inside "
                   f"{debug(Char(s[i]))} of {debug(s)}")
    return len(enc[:b].decode("utf-8"))


def slice_str(s: str, a: Any, b: Any) -> str:
    """``&s[a..b]`` by byte offsets (None: that end is open)."""
    i = 0 if a is None else to_chars(s, a)
    j = len(s) if b is None else to_chars(s, b)
    if i > j:
        raise _err(f"begin <= end ({a} <= {b}) when slicing {debug(s)}")
    return s[i:j]


def is_char_boundary(s: str, b: Any) -> bool:
    if type(b) is not int:
        raise _err(f"type error: string index must be int, found {kind(b)}")
    if s.isascii():
        return 0 <= b <= len(s)
    enc = s.encode("utf-8")
    return 0 <= b <= len(enc) and (b == len(enc) or enc[b] & 0xC0 != 0x80)


# ---- patterns --------------------------------------------------------------------

def _pattern(name: str, p: Any) -> Any:
    """A pattern argument as a str (substring) or a predicate on one character."""
    t = type(p)
    if t is str or t is Char:
        return p
    if t is Cell:
        return _pattern(name, p.v)
    if t is Arr:
        chars = frozenset(p.d)
        return lambda c: c in chars
    if callable(p):
        return lambda c: p(Char(c)) is True
    raise _err(f"type error: {name}() expects a string, char or closure pattern, "
               f"found {kind(p)}")


def _spans(s: str, p: Any) -> list[tuple[int, int]]:
    """The non-overlapping matches of pattern ``p`` in ``s``, left to right, as
    character index ranges."""
    out = []
    if isinstance(p, str):
        n, i = len(p), 0
        if n == 0:
            return [(k, k) for k in range(len(s) + 1)]
        while True:
            i = s.find(p, i)
            if i < 0:
                return out
            out.append((i, i + n))
            i += n
    return [(k, k + 1) for k, c in enumerate(s) if p(c)]


def _pieces(s: str, p: Any) -> list[str]:
    """``s`` split at every match of ``p`` (Rust's ``split``)."""
    if isinstance(p, str) and p:
        return s.split(p)
    out, start = [], 0
    for i, j in _spans(s, p):
        out.append(s[start:i])
        start = j
    out.append(s[start:])
    return out


def _first(s: str, p: Any) -> Optional[tuple[int, int]]:
    if isinstance(p, str):
        i = s.find(p)
        return None if i < 0 else (i, i + len(p))
    for k, c in enumerate(s):
        if p(c):
            return (k, k + 1)
    return None


def _last(s: str, p: Any) -> Optional[tuple[int, int]]:
    if isinstance(p, str):
        i = s.rfind(p)
        return None if i < 0 else (i, i + len(p))
    for k in range(len(s) - 1, -1, -1):
        if p(s[k]):
            return (k, k + 1)
    return None


# ---- the methods -----------------------------------------------------------------

def split(s: str, p: Any) -> Arr:
    return Arr(_pieces(s, _pattern("split", p)))


def rsplit(s: str, p: Any) -> Arr:
    return Arr(_pieces(s, _pattern("rsplit", p))[::-1])


def split_terminator(s: str, p: Any) -> Arr:
    parts = _pieces(s, _pattern("split_terminator", p))
    if parts and parts[-1] == "":
        parts.pop()
    return Arr(parts)


def _count(name: str, n: Any) -> int:
    if type(n) is not int or n < 0:
        raise _err(f"type error: {name}() expects a count >= 0, found {debug(n)}")
    return n


def splitn(s: str, n: Any, p: Any) -> Arr:
    n, pat = _count("splitn", n), _pattern("splitn", p)
    if n == 0:
        return Arr([])
    parts, start = [], 0
    for i, j in _spans(s, pat):
        if len(parts) == n - 1:
            break
        parts.append(s[start:i])
        start = j
    parts.append(s[start:])
    return Arr(parts)


def rsplitn(s: str, n: Any, p: Any) -> Arr:
    n, pat = _count("rsplitn", n), _pattern("rsplitn", p)
    if n == 0:
        return Arr([])
    parts, end = [], len(s)
    for i, j in reversed(_spans(s, pat)):
        if len(parts) == n - 1:
            break
        parts.append(s[j:end])
        end = i
    parts.append(s[:end])
    return Arr(parts)


def split_once(s: str, p: Any) -> Any:
    m = _first(s, _pattern("split_once", p))
    return NONE if m is None else Some((s[:m[0]], s[m[1]:]))


def rsplit_once(s: str, p: Any) -> Any:
    m = _last(s, _pattern("rsplit_once", p))
    return NONE if m is None else Some((s[:m[0]], s[m[1]:]))


def split_at(s: str, b: Any) -> tuple[str, str]:
    i = to_chars(s, b)
    return (s[:i], s[i:])


def split_whitespace(s: str) -> Arr:
    if not _PY_ONLY_SPACE.intersection(s):  # (str.split: the same white space but these)
        return Arr(s.split())
    return Arr([w for w in _pieces(s, lambda c: c in _WHITESPACE) if w])


#: The characters Python's ``str.split()`` splits at but Rust's white space is not
#: (the ASCII information separators); every other is white space to both.
_PY_ONLY_SPACE = frozenset("\x1c\x1d\x1e\x1f")


def split_ascii_whitespace(s: str) -> Arr:
    return Arr([w for w in _pieces(s, lambda c: c in " \t\n\x0c\r") if w])


def lines(s: str) -> Arr:
    """Rust's ``lines``: split at ``\\n``, a ``\\r`` before it dropped, no empty last line."""
    parts = s.split("\n")
    if parts[-1] == "":
        parts.pop()
    return Arr([x[:-1] if x.endswith("\r") else x for x in parts])


def chars(s: str) -> Arr:
    return Arr([Char(c) for c in s])


def char_indices(s: str) -> Arr:
    if s.isascii():
        return Arr([(i, Char(c)) for i, c in enumerate(s)])
    out, b = [], 0
    for c in s:
        out.append((b, Char(c)))
        b += len(c.encode("utf-8"))
    return Arr(out)


def bytes_(s: str) -> Arr:
    return Arr(list(s.encode("utf-8")))


def _trim_pred(s: str, p: Any, start: bool, end: bool) -> str:
    i, j = 0, len(s)
    if isinstance(p, str):
        n = len(p)
        if n:
            while start and s.startswith(p, i, j):
                i += n
            while end and j - n >= i and s.endswith(p, i, j):
                j -= n
        return s[i:j]
    while start and i < j and p(s[i]):
        i += 1
    while end and j > i and p(s[j - 1]):
        j -= 1
    return s[i:j]


def trim_matches(s: str, p: Any) -> str:
    return _trim_pred(s, _pattern("trim_matches", p), True, True)


def trim_start_matches(s: str, p: Any) -> str:
    return _trim_pred(s, _pattern("trim_start_matches", p), True, False)


def trim_end_matches(s: str, p: Any) -> str:
    return _trim_pred(s, _pattern("trim_end_matches", p), False, True)


def strip_prefix(s: str, p: Any) -> Any:
    pat = _pattern("strip_prefix", p)
    if isinstance(pat, str):
        return Some(s[len(pat):]) if s.startswith(pat) else NONE
    return Some(s[1:]) if s and pat(s[0]) else NONE


def strip_suffix(s: str, p: Any) -> Any:
    pat = _pattern("strip_suffix", p)
    if isinstance(pat, str):
        return Some(s[:len(s) - len(pat)]) if s.endswith(pat) else NONE
    return Some(s[:-1]) if s and pat(s[-1]) else NONE


def contains(s: str, p: Any) -> bool:
    pat = _pattern("contains", p)
    return pat in s if isinstance(pat, str) else any(pat(c) for c in s)


def starts_with(s: str, p: Any) -> bool:
    pat = _pattern("starts_with", p)
    return s.startswith(pat) if isinstance(pat, str) else bool(s) and pat(s[0])


def ends_with(s: str, p: Any) -> bool:
    pat = _pattern("ends_with", p)
    return s.endswith(pat) if isinstance(pat, str) else bool(s) and pat(s[-1])


def find(s: str, p: Any) -> Any:
    m = _first(s, _pattern("find", p))
    return NONE if m is None else Some(to_bytes(s, m[0]))


def rfind(s: str, p: Any) -> Any:
    m = _last(s, _pattern("rfind", p))
    return NONE if m is None else Some(to_bytes(s, m[0]))


def matches(s: str, p: Any) -> Arr:
    return Arr([s[i:j] for i, j in _spans(s, _pattern("matches", p))])


def match_indices(s: str, p: Any) -> Arr:
    return Arr([(to_bytes(s, i), s[i:j]) for i, j in _spans(s, _pattern("match_indices", p))])


def _text_arg(name: str, v: Any) -> str:
    if isinstance(v, str):
        return str.__str__(v)
    if type(v) is Cell and isinstance(v.v, str):
        return str.__str__(v.v)
    raise _err(f"type error: {name}() expects a string, found {kind(v)}")


def replace(s: str, p: Any, to: Any) -> str:
    pat, to = _pattern("replace", p), _text_arg("replace", to)
    if isinstance(pat, str):
        return s.replace(pat, to)
    return "".join(to if pat(c) else c for c in s)


def replacen(s: str, p: Any, to: Any, n: Any) -> str:
    pat, to, n = _pattern("replacen", p), _text_arg("replacen", to), _count("replacen", n)
    if isinstance(pat, str):
        return s.replace(pat, to, n)
    out, left = [], n
    for c in s:
        if left and pat(c):
            out.append(to)
            left -= 1
        else:
            out.append(c)
    return "".join(out)


def repeat(s: str, n: Any) -> str:
    return s * _count("repeat", n)


def eq_ignore_ascii_case(s: str, other: Any) -> bool:
    o = _text_arg("eq_ignore_ascii_case", other)
    return len(s) == len(o) and all(a == b or (a.isascii() and b.isascii()
                                               and a.lower() == b.lower())
                                    for a, b in zip(s, o))


def trim(s: str) -> str:
    return s.strip(_WS)


def trim_start(s: str) -> str:
    return s.lstrip(_WS)


def trim_end(s: str) -> str:
    return s.rstrip(_WS)


def char_count(s: str) -> int:
    return len(s)


def same(s: str) -> str:
    return s


def to_int(s: str) -> int:
    """The reference's ``"42".to_int()``: the integer the text spells, else an error."""
    from .parsing import parse
    r = parse(s, "i64")
    if type(r).__name__.endswith("Err"):
        raise _err(f"cannot parse {debug(s)} as an int: {text(r.f_0)}")
    return r.f_0


def to_float(s: str) -> float:
    """The reference's ``"2.5".to_float()``."""
    from .parsing import parse
    r = parse(s, "f64")
    if type(r).__name__.endswith("Err"):
        raise _err(f"cannot parse {debug(s)} as a float: {text(r.f_0)}")
    return r.f_0


def _file_name(s: str) -> Any:
    name = os.path.basename(s.rstrip("/"))
    return Some(name) if name and name != ".." else NONE


def _extension(s: str) -> Any:
    base = os.path.basename(s)
    stem, ext = os.path.splitext(base)
    return Some(ext[1:]) if ext and stem else NONE


#: name -> the method on a str receiver (a Cell holding a str is unwrapped first).
STR_METHODS: dict[str, Callable[..., Any]] = {
    "len": byte_len, "is_empty": lambda s: not s, "to_string": same, "to_owned": same,
    "as_str": same, "as_mut_str": same, "into": same, "clone": same,
    "into_string": same, "as_ref": same, "borrow": same,
    "split": split, "rsplit": rsplit, "split_terminator": split_terminator,
    "splitn": splitn, "rsplitn": rsplitn, "split_once": split_once,
    "rsplit_once": rsplit_once, "split_at": split_at,
    "split_whitespace": split_whitespace, "split_ascii_whitespace": split_ascii_whitespace,
    "lines": lines, "chars": chars, "char_indices": char_indices, "bytes": bytes_,
    "as_bytes": bytes_, "into_bytes": bytes_,
    "trim": trim, "trim_start": trim_start, "trim_end": trim_end, "trim_left": trim_start,
    "trim_right": trim_end, "trim_matches": trim_matches,
    "trim_start_matches": trim_start_matches, "trim_end_matches": trim_end_matches,
    "trim_left_matches": trim_start_matches, "trim_right_matches": trim_end_matches,
    "strip_prefix": strip_prefix, "strip_suffix": strip_suffix,
    "to_uppercase": str.upper, "to_lowercase": str.lower, "upper": str.upper,
    "lower": str.lower, "contains": contains, "starts_with": starts_with,
    "ends_with": ends_with, "find": find, "rfind": rfind, "matches": matches,
    "match_indices": match_indices, "replace": replace, "replacen": replacen,
    "repeat": repeat, "eq_ignore_ascii_case": eq_ignore_ascii_case,
    "is_char_boundary": is_char_boundary, "to_int": to_int, "to_float": to_float,
    "length": byte_len,
    # A path is its string (``Path::new(p)``, ``PathBuf::from(p)``): std::path's methods.
    "exists": os.path.exists, "is_file": os.path.isfile, "is_dir": os.path.isdir,
    "display": same, "to_string_lossy": same,
    "to_str": lambda s: Some(s), "file_name": _file_name, "extension": _extension,
}

#: The kind each method returns whatever its receiver (what the translator may rely
#: on: "str" means an exact Python str).
RESULT_KINDS: dict[str, str] = {
    "split_whitespace": "arr", "split_ascii_whitespace": "arr", "char_indices": "arr",
    "split_terminator": "arr", "splitn": "arr", "rsplitn": "arr", "rsplit": "arr",
    "match_indices": "arr", "trim_start": "str", "trim_end": "str",
    "trim_matches": "str", "trim_start_matches": "str", "trim_end_matches": "str",
    "replace": "str", "replacen": "str", "upper": "str", "lower": "str",
    "is_char_boundary": "bool", "starts_with": "bool", "ends_with": "bool",
}


def to_text(v: Any) -> str:
    """``String::from(v)``: the text of a string or char (other values' text form)."""
    if isinstance(v, str):
        return str.__str__(v)
    if type(v) is Cell:
        return to_text(v.v)
    return text(v)

"""Associated functions called on a generic type parameter (``T::default()``,
``T::new()``, ``T::name()`` in ``fn make<T: Default>() -> T``): what they mean, decided
once for tier 0 (interp/generics.py) and the SSA lowering (lower/generics.py).

Types are hints, so the type ``T`` stands for is found at run time, as Rust's
monomorphisation would have it at the call:

- from a parameter declared ``T``, ``&T`` or ``&mut T`` (:func:`param_binding`): the
  runtime type of the value passed;
- else from the caller, which states it before the call (:func:`stated_type_args`,
  from the call's turbofish ``make::<Point>()`` or the ``let`` annotation it
  initialises, ``let p: Point = make();``) in a place the callee reads where it uses
  ``T``: one per function and type parameter, so a later call of the same function
  with another type is what is seen (not for recursion), and a call that states
  nothing sees the last one stated.

The call itself tests that type against the types that can answer it
(:func:`candidates`: user types with an associated function of that name, and for
``default`` every struct, the derived ``Default``), then the built-in types'
``default()``/``new()`` (:data:`BUILTIN_NEW`); no match is ``undefined name 'T::f'``.

A type is a :data:`TypeArg`: ``("builtin", "int")`` (the runtime's class of the values
of a primitive type: ``int``, ``float``, ``bool``, ``str``, ``Char``, ``Arr``) or
``("item", "Point")`` (a program's struct or enum, by qualified name).

A struct without its own ``default`` answers ``T::default()`` with the derived one
(:func:`derived_default`), as ``Point::default()`` does.
"""
from __future__ import annotations

import re
from typing import Any, Optional, Sequence

from ..runtime.numeric import FLOAT_TYPES, INT_TYPES
from ..syntax import ast as A
from .declared import Default
from .items import EnumInfo, FnInfo, StructInfo
from .paths import lookup

TypeArg = tuple[str, str]

#: The built-in types a type argument may name, as the runtime's classes of their values.
BUILTIN = {**{t: "int" for t in ("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16",
                                 "u32", "u64", "u128", "usize")},
           "f32": "float", "f64": "float", "bool": "bool", "String": "str", "str": "str",
           "&str": "str", "char": "Char", "Vec": "Arr"}
#: Their ``default()`` / ``new()``, in the order the call tests them.
BUILTIN_NEW: dict[str, Default] = {"int": Default("scalar", 0), "float": Default("scalar", 0.0),
                                   "bool": Default("scalar", False), "str": Default("scalar", ""),
                                   "Arr": Default("array"), "Char": Default("char")}
#: The primitive types whose associated functions ``T::f(..)`` are the library's.
PRIMITIVES = frozenset(INT_TYPES) | frozenset(FLOAT_TYPES) | {"char", "bool"}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")
#: Standard types and modules whose paths other code handles (``HashMap::new``...).
_STD = frozenset({"Vec", "String", "Box", "Rc", "Arc", "RefCell", "Cell", "HashMap",
                  "HashSet", "BTreeMap", "BTreeSet", "VecDeque", "BinaryHeap", "std", "core",
                  "io", "fs", "env", "process", "mem", "cmp", "fmt", "iter", "char", "str"})


def is_type_var(info: Any, owner: str, module: str = "",
                self_type: Optional[str] = None) -> bool:
    """Whether ``owner`` of a path ``owner::name`` is a generic type parameter (a plain
    name that is no type, module, trait or built-in the program knows)."""
    if not _IDENT.match(owner) or owner in BUILTIN or owner in _STD or owner == "Self" \
            or owner in PRIMITIVES or info is None:
        return False
    if lookup(info, owner, module, self_type) is not None:
        return False
    return owner not in info.modules and owner not in info.traits


def type_arg(info: Any, text: str, module: str = "",
             self_type: Optional[str] = None) -> Optional[TypeArg]:
    """The type a type written ``text`` names (``Point``, ``&mut Vec<i64>``), or None."""
    head = text.strip().lstrip("&").strip()
    if head.startswith("mut "):
        head = head[4:].strip()
    head = head.split("<", 1)[0].strip()
    if head in BUILTIN:
        return ("builtin", BUILTIN[head])
    item = lookup(info, head, module, self_type) if info is not None else None
    if isinstance(item, (StructInfo, EnumInfo)):
        return ("item", item.name)
    return None


def param_binding(params: Sequence[A.Param], var: str) -> Optional[str]:
    """The parameter declared ``var``, ``&var`` or ``&mut var``, if any."""
    for p in params:
        t = p.type
        while t is not None and t.kind == "ref" and t.inner is not None:
            t = t.inner
        if t is not None and t.text.strip() == var:
            return p.name
    return None


def candidates(info: Any, name: str) -> list[str]:
    """The user types (qualified) that answer ``T::name(..)``, in the order they are
    tested."""
    out = []
    for t in info.type_names():
        fn = info.method(t, name)
        derived = name == "default" and t in info.structs and info.structs[t].node is not None
        if (fn is not None and fn.node.body is not None) or derived:
            out.append(t)
    return out


def builtin_new(name: str, nargs: int) -> dict[str, Default]:
    """The built-in types whose ``T::name()`` the call tests after the user types."""
    return BUILTIN_NEW if name in ("default", "new") and not nargs else {}


def hidden_vars(info: Any, fn: FnInfo) -> list[str]:
    """The type parameters ``fn``'s body calls through (``T::f``) that none of its
    parameters binds, in order of first use."""
    params = set()
    for p in fn.node.params:
        t = p.type
        while t is not None and t.kind == "ref" and t.inner is not None:
            t = t.inner
        if t is not None:
            params.add(t.text.strip())
    out: list[str] = []
    stack: list[A.Node] = [fn.node.body]
    while stack:
        n = stack.pop()
        if isinstance(n, A.Path) and _IDENT.match(n.owner) and n.owner not in params \
                and n.owner not in out and _maybe_var(info, fn, n.owner):
            out.append(n.owner)
        stack.extend(reversed(list(A.children(n))))
    return out


def _maybe_var(info: Any, fn: FnInfo, owner: str) -> bool:
    if owner in BUILTIN or owner in _STD or owner == "Self" or \
            lookup(info, owner, fn.module, fn.owner):
        return False
    return owner not in PRIMITIVES and owner not in info.modules and owner not in info.traits


def stated_type_args(node: A.Call, fn: FnInfo, vars_: list[str],
                     stmt: Optional[A.Node]) -> list[Optional[str]]:
    """The type written for each of ``vars_`` (:func:`hidden_vars`) at call ``node``
    of ``fn``: the call's turbofish (``make::<Point>()``), else the annotation of the
    ``let`` statement ``stmt`` the call initialises (``let p: Point = make();``), for
    the type parameter that is the declared return type. None: not stated."""
    targs = getattr(node.callee, "type_args", ())
    if targs:
        return [t.text for t in targs][:len(vars_)]
    ret = fn.node.ret
    if not isinstance(stmt, A.Let) or stmt.value is not node or stmt.type is None \
            or ret is None or ret.text.strip() not in vars_:
        return []
    return [stmt.type.text if v == ret.text.strip() else None for v in vars_]


#: How a field of a struct gets its value in the derived ``T::default()``: ``("expr",
#: node)`` its own default (Ruchy's ``port: i32 = 8080``), ``("value", Default)`` its
#: type's default, ``("call", A.Call)`` its type's ``default()`` (or ``new()``).
FieldDefault = tuple[str, Any]


def derived_default(info: Any, item: StructInfo, span: A.Span, module: str = "",
                    self_type: Optional[str] = None) -> list[FieldDefault]:
    """The fields' values of ``T::default()`` of a struct without its own ``default``
    (``#[derive(Default)]``), in declaration order (none for a unit struct): from the
    declaration's annotations; a field whose type says nothing is ``0``."""
    from .declared import default_of
    decl = item.node
    if decl is None or decl.shape == "unit":
        return []
    out: list[FieldDefault] = []
    for f in decl.fields:
        if f.default is not None:
            out.append(("expr", f.default))
            continue
        t = f.type
        while t is not None and t.kind == "ref" and t.inner is not None:
            t = t.inner
        d = default_of(t)
        if d is None and t is not None and t.kind == "other":
            name = t.text.split("<", 1)[0].strip()
            known = lookup(info, name, module, self_type) if info is not None else None
            out.append(("call", A.Call(A.Path(name, "default" if known else "new", span=span),
                                       [], span=span)))
            continue
        out.append(("value", d if d is not None else Default("scalar", 0)))
    return out


def state_key(fn: FnInfo, var: str) -> str:
    """The name of the place a caller of ``fn`` states type parameter ``var`` in."""
    return f"{fn.name}::{var}"


__all__ = ["BUILTIN", "BUILTIN_NEW", "FieldDefault", "PRIMITIVES", "TypeArg", "builtin_new",
           "candidates", "derived_default",
           "hidden_vars", "is_type_var", "param_binding", "state_key", "stated_type_args",
           "type_arg"]

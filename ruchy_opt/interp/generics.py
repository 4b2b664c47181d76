"""Tier 0: associated functions called on a generic type parameter: ``T::default()``,
``T::new()``, ``T::name()`` in ``fn make<T: Default>() -> T`` or ``fn build<T: Shape>()``.

Types are hints, so the type ``T`` stands for is found at run time, as Rust's
monomorphisation would have it at the call:

- from a parameter declared ``T``, ``&T`` or ``&mut T``: the class of the value passed;
- else from the caller, which states it before the call (``_TA['make::T'] = T_Point``)
  from the call's turbofish (``make::<Point>()``) or the ``let`` it initialises
  (``let p: Point = make();``); the callee reads it where it uses ``T`` (a call of the
  same function in between with another type would be seen: not for recursion).

The call itself is a chain of class tests over the types that can answer it: user types
with an associated function of that name (or, for ``default``, every struct: the derived
``Default``), and the built-in types' ``default``/``new`` (0, 0.0, "", false, an empty Vec).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from ..resolve import EnumInfo, FnInfo, StructInfo
from ..syntax import ast as A
from .names import type_py

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]

#: The built-in types a type argument may name, as Python classes of their values.
_BUILTIN = {**{t: "int" for t in ("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16",
                                  "u32", "u64", "u128", "usize")},
            "f32": "float", "f64": "float", "bool": "bool", "String": "str", "str": "str",
            "&str": "str", "char": "Char", "Vec": "Arr"}
#: Their ``default()`` / ``new()``.
_BUILTIN_NEW = {"int": "0", "float": "0.0", "bool": "False", "str": "''", "Arr": "Arr([])",
                "Char": "_CH['\\x00']"}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")
#: Standard types and modules whose paths other code handles (``HashMap::new``...).
_STD = frozenset({"Vec", "String", "Box", "Rc", "Arc", "RefCell", "Cell", "HashMap",
                  "HashSet", "BTreeMap", "BTreeSet", "VecDeque", "BinaryHeap", "std", "core",
                  "io", "fs", "env", "process", "mem", "cmp", "fmt", "iter", "char", "str"})


def is_type_var(tr: "FunctionTranslator", owner: str) -> bool:
    """Whether ``owner`` of a path ``owner::name`` is a generic type parameter (a plain
    name that is no type, module, trait or built-in the program knows)."""
    if not _IDENT.match(owner) or owner in _BUILTIN or owner in _STD or owner == "Self":
        return False
    from .items import PRIMITIVES, resolve
    if owner in PRIMITIVES or resolve(tr, owner) is not None:
        return False
    info = tr.ctx.info
    return info is not None and owner not in info.modules and owner not in info.traits


def _class_code(tr: "FunctionTranslator", t: Optional[A.TypeRef]) -> Optional[str]:
    """The Python class of the values of annotated type ``t`` (None: not known)."""
    if t is None:
        return None
    return class_of_text(tr, t.text)


def class_of_text(tr: "FunctionTranslator", text: str) -> Optional[str]:
    head = text.strip().lstrip("&").strip()
    if head.startswith("mut "):
        head = head[4:].strip()
    head = head.split("<", 1)[0].strip()
    if head in _BUILTIN:
        return _BUILTIN[head]
    from .items import resolve
    item = resolve(tr, head)
    if isinstance(item, (StructInfo, EnumInfo)):
        return type_py(item.name)
    return None


def _bound_by_param(tr: "FunctionTranslator", var: str) -> Optional[str]:
    """The local of a parameter declared ``var``, ``&var`` or ``&mut var``, if any."""
    for p in tr.params:
        t = p.type
        while t is not None and t.kind == "ref" and t.inner is not None:
            t = t.inner
        if t is not None and t.text.strip() == var:
            return tr.lookup(p.name)
    return None


def type_arg(tr: "FunctionTranslator", var: str, node: A.Node) -> str:
    """Code of the class ``var`` stands for in the function being translated."""
    py = _bound_by_param(tr, var)
    if py is not None:
        return tr.value_line(f"type({py}.v if type({py}) is Cell else {py})", "any", node)[0]
    fn = tr.fn.name if tr.fn is not None else ""
    return tr.value_line(f"_TA.get({f'{fn}::{var}'!r})", "any", node)[0]


def _candidates(tr: "FunctionTranslator", name: str) -> list[tuple[str, str]]:
    """(class, type path) of the user types that answer ``T::name(..)``."""
    info = tr.ctx.info
    out = []
    for t in info.type_names():
        fn = info.method(t, name)
        derived = name == "default" and t in info.structs and info.structs[t].node is not None
        if (fn is not None and fn.node.body is not None) or derived:
            out.append((type_py(t), t))
    return out


def assoc_call(tr: "FunctionTranslator", node: A.Call, p: A.Path) -> Value:
    """``T::name(args)`` for a type parameter ``T``: a test per candidate type."""
    cls = type_arg(tr, p.owner, node)
    res = tr.tmp()
    first = True
    for py_cls, t in _candidates(tr, p.name):
        tr.emit(f"{'if' if first else 'elif'} {cls} is {py_cls}:", node)
        first = False
        with tr.out.indented():
            call = A.Call(A.Path(t, p.name, span=p.span), node.args, span=node.span)
            code, kind = tr.expr(call)
            tr.emit(f"{res} = {code}", node)
    if p.name in ("default", "new") and not node.args:
        for py_cls, code in _BUILTIN_NEW.items():
            tr.emit(f"{'if' if first else 'elif'} {cls} is {py_cls}:", node)
            first = False
            tr.emit(f"    {res} = {code}", node)
    key = f"{p.owner}::{p.name}"
    if first:
        tr.emit(f"{res} = _undef({key!r})", node)
    else:
        tr.emit(f"else: {res} = _undef({key!r})", node)
    tr.fresh_nodes.add(id(node))
    return res, "any"


def state_type_args(tr: "FunctionTranslator", node: A.Call, fn: FnInfo) -> None:
    """Before a call of ``fn``: the classes of its type parameters that no parameter
    binds, from the call's turbofish or the ``let`` annotation it initialises."""
    vars_ = _hidden_vars(tr, fn)
    if not vars_:
        return
    args = _turbofish(tr, node)
    if args is None:
        args = _let_type(tr, node, fn, vars_)
    for var, text in zip(vars_, args or []):
        cls = class_of_text(tr, text) if text is not None else None
        if cls is not None:
            tr.emit(f"_TA[{f'{fn.name}::{var}'!r}] = {cls}", node)


def _hidden_vars(tr: "FunctionTranslator", fn: FnInfo) -> list[str]:
    """The type parameters ``fn``'s body calls through (``T::f``) that none of its
    parameters binds, in order of first use (cached per function)."""
    cache = tr.ctx.__dict__.setdefault("type_vars", {})
    out = cache.get(fn.name)
    if out is not None:
        return out
    params = set()
    for p in fn.node.params:
        t = p.type
        while t is not None and t.kind == "ref" and t.inner is not None:
            t = t.inner
        if t is not None:
            params.add(t.text.strip())
    out, stack = [], [fn.node.body]
    while stack:
        n = stack.pop()
        if isinstance(n, A.Path) and _IDENT.match(n.owner) and n.owner not in params \
                and n.owner not in out and _maybe_var(tr, fn, n.owner):
            out.append(n.owner)
        stack.extend(reversed(list(A.children(n))))
    cache[fn.name] = out
    return out


def _maybe_var(tr: "FunctionTranslator", fn: FnInfo, owner: str) -> bool:
    from ..resolve import lookup
    info = tr.ctx.info
    if owner in _BUILTIN or owner in _STD or owner == "Self" or \
            lookup(info, owner, fn.module, fn.owner):
        return False
    from .items import PRIMITIVES
    return owner not in PRIMITIVES and owner not in info.modules and owner not in info.traits


def _turbofish(tr: "FunctionTranslator", node: A.Call) -> Optional[list[str]]:
    """The type arguments written after the callee (``make::<Point>()``)."""
    targs = getattr(node.callee, "type_args", ())
    return [t.text for t in targs] if targs else None


def _let_type(tr: "FunctionTranslator", node: A.Call, fn: FnInfo,
              vars_: list[str]) -> Optional[list[Optional[str]]]:
    """``let p: Point = make();``: the annotation, for the type parameter that is the
    function's declared return type."""
    stmts, i = tr.stmt_at
    stmt = stmts[i] if 0 <= i < len(stmts) else None
    ret = fn.node.ret
    if not isinstance(stmt, A.Let) or stmt.value is not node or stmt.type is None \
            or ret is None or ret.text.strip() not in vars_:
        return None
    return [stmt.type.text if v == ret.text.strip() else None for v in vars_]

"""Tier 0: what program-level names mean in a function body, and calls of them.

A name that is not a local is looked up in the resolution layer (resolve/paths.lookup)
from the scope of the function being translated (its module, or its own scope when its
body declares items: nested ``fn`` and ``const``): a function (``f()``, ``m::f()``,
``use m::f`` then ``f()``), a const or static, a top-level ``let`` shared with functions
(LANGUAGE.md: "top-level ``let mut`` read and assigned by functions"), or a constant of
the standard library (``i64::MAX``, ``std::f64::consts::PI``, ``use ...::PI`` then
``PI``). Calls of primitive types' associated functions (``i64::from(x)``,
``f64::sqrt(x)``, ``char::from_u32(n)``) are here too.

Program-level variables are closure cells of the module factory: ``g_<name>`` for a
top-level ``let`` that some function uses, ``k_<qualified>`` for every const and static.
Every function that uses one declares it ``nonlocal``; the top level keeps plain fast
locals for the names no function uses.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Optional

from ..errors import RuchySyntaxError
from ..resolve import ConstInfo, FnInfo, lookup
from ..resolve.items import STD_FUNCTIONS
from ..resolve.paths import expand
from ..runtime import methods as M, numeric
from ..runtime.constants import PATH_CONSTANTS
from ..runtime.numeric import FLOAT_TYPES, INT_TYPES
from ..syntax import ast as A
from .names import py_ident, py_literal

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]

#: The primitive types whose associated functions ``T::f(..)`` tier 0 knows.
PRIMITIVES = frozenset(INT_TYPES) | frozenset(FLOAT_TYPES) | {"char", "bool"}
_LITERALS = (A.IntLit, A.FloatLit, A.BoolLit, A.StrLit)


def const_cell(q: str) -> str:
    """The factory cell that holds const or static ``q`` (its qualified name)."""
    return "k_" + py_ident(q)


def global_cell(name: str) -> str:
    """The factory cell of a top-level ``let`` that functions use."""
    return "g_" + name


def scope_of(tr: "FunctionTranslator") -> tuple[str, Optional[str]]:
    """Where names in ``tr``'s body are looked up: (scope, ``Self`` type)."""
    fn = tr.fn
    return (fn.module, fn.owner) if fn is not None else ("", None)


def resolve(tr: "FunctionTranslator", path: str):
    """The item ``path`` names from ``tr``'s body (resolve/paths.lookup), or None."""
    info = tr.ctx.info
    if info is None:
        return None
    module, self_type = scope_of(tr)
    return lookup(info, path, module, self_type)


def std_path(tr: "FunctionTranslator", path: str) -> Optional[str]:
    """The standard-library constant or function ``path`` stands for (through ``use``
    aliases: ``PI`` after ``use std::f64::consts::PI``), or None."""
    if path in PATH_CONSTANTS or path in STD_FUNCTIONS:
        return path
    info = tr.ctx.info
    if info is None:
        return None
    module, self_type = scope_of(tr)
    for cand in expand(info, path, module, self_type):
        if cand in PATH_CONSTANTS or cand in STD_FUNCTIONS:
            return cand
    return None


# ---- names ----------------------------------------------------------------------------

def is_toplevel(tr: "FunctionTranslator") -> bool:
    from .program import TOPLEVEL
    return tr.pyname == TOPLEVEL


def binding(tr: "FunctionTranslator", name: str) -> Optional[str]:
    """The cell a top-level ``let name`` stores into when functions use ``name`` (the
    top level's own statements only, not its inner blocks), else None (a local)."""
    if len(tr.scopes) == 2 and name in tr.ctx.cells and is_toplevel(tr):
        cell = tr.ctx.cells[name]
        tr.nonlocals.add(cell)
        return cell
    return None


def program_variable(tr: "FunctionTranslator", name: str) -> Optional[str]:
    """The cell of the program-level variable ``name`` seen from a function body (a
    top-level ``let`` that functions use, or a static), declared ``nonlocal``; None if
    ``name`` is neither. Called when no local has the name."""
    cell = None
    if tr.fn is not None and name in tr.ctx.cells:
        cell = tr.ctx.cells[name]
    else:
        item = resolve(tr, name)
        if isinstance(item, ConstInfo) and item.node.static:
            cell = const_cell(item.name)
    if cell is not None:
        tr.nonlocals.add(cell)
    return cell


def path_variable(tr: "FunctionTranslator", node: A.Path) -> Optional[str]:
    """The cell of the static a path names (``crate::HITS``, ``self::N``, ``m::X``) as
    the root of an assignment, declared ``nonlocal``; None if it names no static."""
    item = resolve(tr, f"{node.owner}::{node.name}")
    if isinstance(item, ConstInfo) and item.node.static:
        cell = const_cell(item.name)
        tr.nonlocals.add(cell)
        return cell
    return None


def is_cell(py: str) -> bool:
    """Whether a Python name is a program-level cell (its kind is never assumed: other
    functions assign it)."""
    return py[:2] in ("g_", "k_")


def literal(node: A.Node) -> Optional[Value]:
    """A const's value as inline code, when it is a literal (``const N: i64 = 10``)."""
    if isinstance(node, _LITERALS):
        kind = {A.IntLit: "int", A.FloatLit: "float", A.BoolLit: "bool", A.StrLit: "str"}
        return py_literal(node.value), kind[type(node)]
    if isinstance(node, A.Unary) and node.op == "-" and isinstance(node.operand,
                                                                   (A.IntLit, A.FloatLit)):
        v = -node.operand.value
        if isinstance(v, int) and v < -(2**63):
            return None
        return py_literal(v), "int" if isinstance(v, int) else "float"
    return None


_FOLD_OPS = ("+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^")


def fold(tr: "FunctionTranslator", c: ConstInfo, seen: frozenset = frozenset()) -> object:
    """The value of const ``c`` when it is computed from literals and other such consts
    by arithmetic and casts (``const AREA: i64 = W * H``), else None."""
    cache = tr.ctx.__dict__.setdefault("folded_consts", {})
    if c.name not in cache:
        if c.name in seen or c.node.static:
            return None
        cache[c.name] = _fold(tr, c, c.node.value, seen | {c.name})
    return cache[c.name]


def _fold(tr: "FunctionTranslator", c: ConstInfo, node: A.Node, seen: frozenset) -> object:
    from ..errors import RuchyRuntimeError
    from ..runtime import ops
    from .opcode import cast_target
    if isinstance(node, _LITERALS):
        return node.value
    if isinstance(node, (A.Name, A.Path)):
        path = node.id if isinstance(node, A.Name) else f"{node.owner}::{node.name}"
        info = tr.ctx.info
        dep = lookup(info, path, c.module, c.owner) if info is not None else None
        if isinstance(dep, ConstInfo):
            return fold(tr, dep, seen)
        key = path if path in PATH_CONSTANTS else None
        return PATH_CONSTANTS[key] if key else None
    try:
        if isinstance(node, A.Unary) and node.op == "-":
            v = _fold(tr, c, node.operand, seen)
            return None if v is None or type(v) is bool else ops.neg(v)
        if isinstance(node, A.Binary) and node.op in _FOLD_OPS:
            a, b = _fold(tr, c, node.left, seen), _fold(tr, c, node.right, seen)
            if a is None or b is None or type(a) is str or type(b) is str:
                return None
            return ops.BINARY[node.op](a, b)
        if isinstance(node, A.Cast):
            v = _fold(tr, c, node.value, seen)
            target = cast_target(node.type.text)
            if v is None or type(v) is str or target in (None, "char", "bool"):
                return None
            if target in numeric.INT_TYPES:
                return numeric.cast_int(v, target)
            return numeric.cast_int(v, "i64") if target == "int" else \
                numeric.cast_float(v, "f32" if target == "f32" else "f64")
    except RuchyRuntimeError:
        return None  # reported when the const is evaluated at run time
    return None


def const_value(tr: "FunctionTranslator", c: ConstInfo) -> Value:
    """A const's value: the literal itself (also one computed from literal consts), or
    the cell (every use sees a copy: a caller that stores it copies, as for any value)."""
    if not (c.node.static and c.node.mutable):
        lit = literal(c.node.value)
        if lit is not None:
            return lit
        v = fold(tr, c)
        t = type(v)
        if t is int or t is bool or t is str or (t is float and v == v and abs(v) != math.inf):
            return repr(v), {int: "int", bool: "bool", str: "str", float: "float"}[t]
    cell = const_cell(c.name)
    tr.nonlocals.add(cell)
    return cell, "any"


def constant(tr: "FunctionTranslator", key: str, node: A.Node) -> Value:
    """The standard-library constant ``key`` (PATH_CONSTANTS)."""
    v = PATH_CONSTANTS[key]
    if isinstance(v, int):
        return repr(v), "int"
    if v == v and v not in (float("inf"), float("-inf")):
        return repr(v), "float"
    return tr.value_line(f"float({repr(v)!r})", "float", node)


def name_value(tr: "FunctionTranslator", node: A.Name) -> Optional[Value]:
    """The value of a name that is not a local: a const or a standard constant
    (None: not one of these; the caller goes on)."""
    item = resolve(tr, node.id)
    if isinstance(item, ConstInfo):
        return const_value(tr, item)
    if item is None:
        key = std_path(tr, node.id)
        if key is not None and key in PATH_CONSTANTS:
            return constant(tr, key, node)
    return None


def path_value(tr: "FunctionTranslator", node: A.Path) -> Optional[Value]:
    """``m::K``, ``Self::K``, ``i64::MAX``, ``consts::PI``: a const or a standard
    constant (None: something else, such as a unit variant)."""
    key = f"{node.owner}::{node.name}"
    if key in PATH_CONSTANTS:
        return constant(tr, key, node)
    item = resolve(tr, key)
    if isinstance(item, ConstInfo):
        if item.node.static:
            cell = const_cell(item.name)
            tr.nonlocals.add(cell)
            return cell, "any"
        return const_value(tr, item)
    if item is None:
        std = std_path(tr, key)
        if std is not None and std in PATH_CONSTANTS:
            return constant(tr, std, node)
    return None


# ---- calls ----------------------------------------------------------------------------

def function_named(tr: "FunctionTranslator", name: str) -> Optional[str]:
    """The qualified name of the function a bare call ``name(..)`` calls (a nested
    ``fn``, one of the module, one imported by ``use``), or None."""
    item = resolve(tr, name)
    if isinstance(item, FnInfo) and item.owner is None and item.node.body is not None:
        return item.name
    return None


def std_name_call(tr: "FunctionTranslator", node: A.Call, name: str) -> Optional[Value]:
    """A bare call of a standard function imported by ``use`` (``max(a, b)`` after
    ``use std::cmp::max;``); None if ``name`` is not one."""
    std = std_path(tr, name)
    return std_call(tr, node, std) if std in STD_FUNCTIONS else None


def path_call(tr: "FunctionTranslator", node: A.Call, p: A.Path) -> Optional[Value]:
    """``m::f(..)``, ``super::f(..)``, ``i64::from(x)``, ``f64::sqrt(x)``,
    ``char::from_u32(n)``, ``std::cmp::max(a, b)``; None if the path names something
    else (a constructor, an associated function: interp/calls.py)."""
    key = f"{p.owner}::{p.name}" if p.owner else p.name
    item = resolve(tr, key)
    if isinstance(item, FnInfo) and item.owner is None and item.node.body is not None:
        from .calls import call_user
        return call_user(tr, node, item.name)
    if item is not None:
        return None
    owner = p.owner
    for prefix in ("std::", "core::"):
        owner = owner[len(prefix):] if owner.startswith(prefix) else owner
    if owner in PRIMITIVES:
        return primitive_call(tr, node, owner, p.name)
    std = std_path(tr, key)
    if std in STD_FUNCTIONS:
        return std_call(tr, node, std)
    return None


def _operands(tr: "FunctionTranslator", node: A.Call) -> list[str]:
    return [tr.simple(c, k, a) for (c, k), a in zip(tr.operands(node.args), node.args)]


def primitive_call(tr: "FunctionTranslator", node: A.Call, owner: str, name: str) -> Value:
    """``T::f(args)`` for a primitive type ``T``: conversions, ``char::from_u32`` and
    ``char::from_digit``, and every method called as a function (``f64::sqrt(x)``,
    ``i64::max(a, b)``)."""
    n = len(node.args)
    if name == "from" and n == 1:
        (a,) = _operands(tr, node)
        if owner in INT_TYPES:
            return tr.value_line(f"_prim_from_int({a}, {owner!r})", "int", node)
        if owner in FLOAT_TYPES:
            return tr.value_line(f"_cast_float({a})", "float", node)
        if owner == "char":
            return tr.value_line(f"_cast_char({a})", "any", node)
    if name == "try_from" and n == 1 and owner in INT_TYPES:
        (a,) = _operands(tr, node)
        return tr.value_line(f"_prim_try_from({a}, {owner!r})", "any", node)
    if name == "from_str_radix" and n == 2 and owner in INT_TYPES:
        a, b = _operands(tr, node)
        return tr.value_line(f"_from_str_radix({a}, {b})", "any", node)
    if owner == "char" and name in ("from_u32", "from_digit") and n == (1 if name == "from_u32"
                                                                        else 2):
        args = ", ".join(_operands(tr, node))
        return tr.value_line(f"_char_{name}({args})", "any", node)
    if name in M.METHODS and n >= 1:
        args = _operands(tr, node)
        from .calls import _method_arity
        arity = _method_arity(name)
        if arity is not None and not arity[0] <= n - 1 <= arity[1]:
            tr.emit(f"_arity({owner + '::' + name!r}, {arity[1] + 1}, {n})", node)
            return "None", "any"
        kind = M.result_kind(name, "float" if owner in FLOAT_TYPES else
                             "int" if owner in INT_TYPES else "any")
        return tr.value_line(f"_M_{name}({', '.join(args)})", kind, node)
    tr.emit(f"_undef({owner + '::' + name!r})", node)
    return "None", "any"


def std_call(tr: "FunctionTranslator", node: A.Call, std: str) -> Value:
    """A standard-library function: ``std::cmp::max``/``min``, ``std::process::exit``,
    ``std::mem::swap(&mut a, &mut b)``."""
    name = std.rpartition("::")[2]
    want = 1 if name == "exit" else 2
    if len(node.args) != want:
        tr.emit(f"_arity({std!r}, {want}, {len(node.args)})", node)
        return "None", "any"
    if name == "swap":
        return _swap(tr, node)
    args = _operands(tr, node)
    if name == "exit":
        tr.emit(f"_exit({args[0]})", node)
        return "None", "unit"
    return tr.value_line(f"_M_{name}({', '.join(args)})", "any", node)


def _swap(tr: "FunctionTranslator", node: A.Call) -> Value:
    """``std::mem::swap(&mut a, &mut b)`` of two variables: exchange their values."""
    names = []
    for a in node.args:
        target = a.operand if isinstance(a, A.Ref) else a
        py = tr.lookup(target.id) if isinstance(target, A.Name) else None
        if py is None:
            raise RuchySyntaxError("std::mem::swap needs two variables (tier 0)", a.span)
        names.append(py)
    tr.emit(f"{names[0]}, {names[1]} = {names[1]}, {names[0]}", node)
    return "None", "unit"

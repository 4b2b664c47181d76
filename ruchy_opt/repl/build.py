"""The program that runs one REPL input: the session's items, its variables, the input.

Tier 0 translates whole programs, so each input becomes one: every item the session
has defined (with this input's definitions replacing those of the same name), then a
top level made of

    let [mut] x = __repl_v_x;      for each session variable (its value, copied in)
    <the input's statements>
    __repl_result__ = <last expr>  when the input ends with an expression
    __repl_v_x = x;                for each session variable and new top-level binding

where each ``__repl_v_x`` is a ``static mut`` whose cell the session fills before the
top level runs and reads after it (session.py). The variables are thus ordinary
top-level ``let``s: functions that use them share them as in a file (interp/items.py),
and a value is copied in and out as any stored value is (value semantics).

The statements of earlier inputs are kept in a function that nothing calls
(``__repl_history__``): tier 0 never translates it, but its whole-program analyses
see them (interp/fieldkinds.py: a field is read as a float only if *every* store to it
in the program, earlier inputs' included, is one).
"""
from __future__ import annotations

import dataclasses
from typing import Iterator

from ..resolve.items import ITEM_NODES
from ..syntax import ast as A
from .source import REPL_NAME

RESULT = "__repl_result__"
HISTORY = "__repl_history__"
_STATIC = "__repl_v_"
#: Statements whose value is unit by their nature: never printed, never captured (a
#: loop stays a statement, so on-stack replacement may resume it).
_UNIT_STATEMENTS = (A.Let, A.LetPat, A.Assign, A.While, A.For, A.ForRange, A.WhileLet)


def static_name(var: str) -> str:
    """The static that carries session variable ``var`` in and out of an input."""
    return _STATIC + var


def split(prog: A.Program) -> tuple[list[A.Node], list[A.Node]]:
    """An input's items (definitions) and its statements, each in order."""
    items = [n for n in prog.items if isinstance(n, ITEM_NODES)]
    stmts = [n for n in prog.items if not isinstance(n, ITEM_NODES)]
    return items, stmts


def _key(item: A.Node) -> tuple:
    """What an item replaces: an earlier item with the same key."""
    if isinstance(item, (A.StructDef, A.EnumDef)):
        return ("type", item.name)
    if isinstance(item, A.ImplDef):
        return ("impl", item.type_name, item.trait)
    if isinstance(item, A.UseDecl):
        return ("use", tuple(item.path), item.alias, item.glob)
    return (type(item).__name__, getattr(item, "name", None))


def function_names(item: A.Node, module: str = "") -> Iterator[str]:
    """The qualified names of the functions an item defines (``f``, ``T::m``,
    ``m::f``): what a redefinition invalidates."""
    def q(name: str) -> str:
        return f"{module}::{name}" if module else name
    if isinstance(item, A.FunDef):
        yield q(item.name)
    elif isinstance(item, A.ImplDef):
        for it in item.items:
            if isinstance(it, A.FunDef):
                yield q(f"{item.type_name}::{it.name}")
    elif isinstance(item, A.ModDef):
        for it in item.items:
            yield from function_names(it, q(item.name))


def merge_items(old: list[A.Node], new: list[A.Node]) -> tuple[list[A.Node], set[str]]:
    """The session's items after an input's definitions: an item replaces the earlier
    one it redefines (a function, a type, a trait, a const, a module, an ``impl
    Trait for T``); an inherent ``impl T`` adds its methods, replacing the earlier
    methods of the same names. Also the names of the functions that were redefined."""
    items = list(old)
    redefined: set[str] = set()
    defined = {f for it in old for f in function_names(it)}
    for item in new:
        key = _key(item)
        if isinstance(item, A.ImplDef) and item.trait is None:
            names = {it.name for it in item.items if isinstance(it, (A.FunDef, A.ConstDef))}
            kept = []
            for it in items:
                if _key(it) == key:
                    rest = [m for m in it.items if getattr(m, "name", None) not in names]
                    if not rest:
                        continue
                    it = dataclasses.replace(it, items=rest)
                kept.append(it)
            items = kept
        else:
            items = [it for it in items if _key(it) != key]
        items.append(item)
        redefined |= set(function_names(item)) & defined
    return items, redefined


def bound_names(stmts: list[A.Node]) -> list[tuple[str, bool]]:
    """The names the statements bind at the top level, with whether each is ``mut``
    (the last binding of a name wins)."""
    out: dict[str, bool] = {}
    for s in stmts:
        if isinstance(s, A.Let):
            out.pop(s.name, None)
            out[s.name] = s.mutable
        elif isinstance(s, A.LetPat):
            for name, mutable in _pattern_names(s.pattern):
                out.pop(name, None)
                out[name] = mutable
    return list(out.items())


def _pattern_names(p: A.Node) -> Iterator[tuple[str, bool]]:
    if isinstance(p, A.Pattern) and p.kind == "bind":
        yield str(p.value), bool(p.mutable)
    elif isinstance(p, A.RestPat) and p.name:
        yield p.name, False
    for child in A.children(p):
        yield from _pattern_names(child)


def result_statement(stmts: list[A.Node]) -> bool:
    """Whether the input ends with an expression whose value is shown."""
    return bool(stmts) and not isinstance(stmts[-1], _UNIT_STATEMENTS)


def program(items: list[A.Node], variables: dict[str, bool], history: list[A.Node],
            stmts: list[A.Node]) -> tuple[A.Program, A.Program]:
    """The program of one input (see the module docstring), and the same program
    without the history function (what the tiered runtime lowers and compiles).
    ``variables`` maps each session variable to whether it is ``mut``."""
    new = dict(variables)
    for name, mutable in bound_names(stmts):
        new[name] = mutable
    statics = [A.ConstDef(static_name(v), None, A.UnitLit(), static=True, mutable=True)
               for v in new]
    statics.append(A.ConstDef(RESULT, None, A.UnitLit(), static=True, mutable=True))
    top: list[A.Node] = [A.Let(v, mutable, None, A.Name(static_name(v)))
                         for v, mutable in variables.items()]
    body = list(stmts)
    if result_statement(body):
        body[-1] = A.Assign(A.Name(RESULT), "=", body[-1])
    top += body
    top += [A.Assign(A.Name(static_name(v)), "=", A.Name(v)) for v in new]
    compiled = A.Program(items + statics + top, filename=REPL_NAME)
    hist = A.FunDef(HISTORY, [], None, A.Block(list(history)))
    whole = A.Program(items + [hist] + statics + top, filename=REPL_NAME)
    return whole, compiled


__all__ = ["HISTORY", "RESULT", "bound_names", "function_names", "merge_items", "program",
           "result_statement", "split", "static_name"]

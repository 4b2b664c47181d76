"""Ruchy's ``module.item`` spelling of a module path, made ``module::item`` in the AST.

The reference implementation lets a program call a function of its own module with a dot
(``mod math { pub fun add(a, b) { a + b } }`` then ``math.add(2, 3)``, the book's
listing 8-6) and read a constant the same way (``math.PI``). After parsing, a method call
or field read whose receiver is the bare name of a module the file declares becomes the
path call ``math::add(2, 3)`` or the path ``math::PI``, so every tier sees the path. A
name that the program also binds (a variable, parameter or pattern named like the
module) is left alone: there the dot may mean a method of that value.
"""
from __future__ import annotations

from dataclasses import fields

from . import ast as A


def module_paths(prog: A.Program) -> None:
    """Rewrite, in place, ``m.f(..)`` and ``m.x`` for every module ``m`` of ``prog``."""
    modules: set[str] = set()
    _modules(prog.items, modules)
    if not modules:
        return
    bound: set[str] = set()
    _bound_names(prog, bound)
    modules -= bound
    if modules:
        _rewrite(prog, frozenset(modules))


def _modules(items: list, out: set[str]) -> None:
    for it in items:
        if type(it) is A.ModDef:
            out.add(it.name)
            _modules(it.items, out)


def _bound_names(node: A.Node, out: set[str]) -> None:
    stack = [node]
    while stack:
        n = stack.pop()
        t = type(n)
        if t is A.Let or t is A.Param:
            out.add(n.name)
        elif t is A.Pattern and n.kind == "bind":
            out.add(n.value)
        elif t is A.For or t is A.ForRange:
            out.add(n.var)
        stack.extend(A.children(n))


def _replacement(n: A.Node, modules: frozenset[str]) -> A.Node:
    """``n`` itself, or the path it spells (see the module's docstring)."""
    t = type(n)
    if t is A.MethodCall and type(n.receiver) is A.Name and n.receiver.id in modules \
            and not n.type_args:
        callee = A.Path(n.receiver.id, n.method, span=n.receiver.span)
        return A.Call(callee, n.args, span=n.span)
    if t is A.Field and type(n.target) is A.Name and n.target.id in modules \
            and not n.name.isdigit():
        return A.Path(n.target.id, n.name, span=n.span)
    return n


def _rewrite(root: A.Node, modules: frozenset[str]) -> None:
    stack = [root]
    while stack:
        n = stack.pop()
        for f in fields(n):
            if f.name in ("span", "op_span"):
                continue
            v = getattr(n, f.name)
            if isinstance(v, A.Node):
                r = _replacement(v, modules)
                if r is not v:
                    setattr(n, f.name, r)
                stack.append(r)
            elif type(v) is list:
                for i, x in enumerate(v):
                    if isinstance(x, A.Node):
                        r = _replacement(x, modules)
                        if r is not x:
                            v[i] = r
                        stack.append(r)

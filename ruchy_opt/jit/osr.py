"""On-stack replacement: the compiled continuation of a loop that is hot inside an
interpreted frame.

Tier 0 offers a loop for OSR when it is a statement of its function's outermost block
(the top level included; translate.py/control.py emit the check). The continuation is
a new function, built from the AST, that starts at the head of the current iteration and
runs the rest of the body::

    fun osr.N(a, b, ...) { LOOP'; <statements after the loop> }

Its parameters are the variables the continuation names, passed with their current
values (the live values); ``LOOP'`` is the loop itself for ``while`` and ``loop`` (the
interpreter offers it before the condition), and ``for i in #cur..#end { ... }`` for a
range, resumed at the current index with the end as first evaluated. The continuation
returns what the function returns, so the interpreted frame just returns its result.
At the top level it also calls ``main()`` when the top level has not, exactly as the
program's start does (it is refused if ``main`` takes parameters or the rest calls it).
"""
from __future__ import annotations

import dataclasses
from typing import Iterator, Optional

from ..syntax import ast as A
from .native import CannotCompile

CUR, END = "#cur", "#end"


def names_in(node: object) -> Iterator[str]:
    """Every identifier a subtree reads (an over-approximation of the free names)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, A.Name):
            yield n.id
        if isinstance(n, list):
            stack.extend(n)
        elif dataclasses.is_dataclass(n) and not isinstance(n, (A.Span, type)):
            stack.extend(getattr(n, f.name) for f in dataclasses.fields(n)
                         if f.name != "span")


def top_statements(prog: A.Program) -> list[A.Node]:
    """The top level's statements, as tier 0 and lowering see them."""
    return [it for it in prog.items if not isinstance(it, (A.FunDef, A.ConstDef))]


def continuation(name: str, stmts: list[A.Node], index: int, scope: list[str],
                 toplevel: bool, main: Optional[A.FunDef],
                 main_called: bool) -> tuple[A.FunDef, list[str]]:
    """The continuation function of the loop ``stmts[index]`` and the Ruchy names of its
    parameters (``scope``'s names it uses, then #cur/#end for a range loop). At the
    ``toplevel``, ``main`` is the program's main function, if any."""
    loop = stmts[index]
    rest = list(stmts[index + 1:])
    if isinstance(loop, A.ForRange):
        loop = A.ForRange(loop.var, A.Name(CUR, span=loop.start.span),
                          A.Name(END, span=loop.end.span), loop.inclusive, loop.body,
                          span=loop.span)
    body = [loop] + rest
    if toplevel:
        if main is not None and not main_called:
            if main.params:
                raise CannotCompile("main() takes parameters")
            if "main" in set(names_in(rest)):
                raise CannotCompile("the rest of the top level calls main()")
            body.append(A.Call(A.Name("main", span=loop.span), [], span=loop.span))
        body.append(A.UnitLit(span=loop.span))
    used = set(names_in(body))
    params = [n for n in scope if n in used]
    if isinstance(loop, A.ForRange):
        params += [CUR, END]
    fn = A.FunDef(name, [A.Param(n, True, span=loop.span) for n in params], None,
                  A.Block(body, span=loop.span), span=loop.span)
    return fn, params


def osr_points(prog: A.Program) -> set[A.Span]:
    """Spans of the loops tier 0 offers for OSR: statements of a function's outermost
    block or of the top level (``for x in array`` loops excepted)."""
    kinds = (A.While, A.Loop, A.ForRange)
    bodies = [top_statements(prog)] + [f.body.stmts for f in prog.items
                                        if isinstance(f, A.FunDef)]
    return {st.span for stmts in bodies for st in stmts if isinstance(st, kinds)}

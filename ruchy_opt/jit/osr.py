"""On-stack replacement: the compiled continuation of a loop that is hot inside an
interpreted frame.

Tier 0 offers a loop for OSR (translate.py/control.py emit the check) when it is a
statement of a block that is itself in statement position, at any depth: the function's
outermost block (the top level included), an arm of an ``if`` or a block that is a
statement, or the body of an enclosing ``while``, ``loop``, integer ``for`` range or
``for`` over an array that is itself offered. The loop's place is a *path* from the
function's body: one step ``(index, arm)`` per enclosing construct (the statement's
index in its block, and which block of the construct holds the loop: the body of a loop
or a block statement is arm 0, the arms of an ``if``/``else if``/``else`` chain are 0,
1, ...), then ``(index, None)`` for the loop itself.

The continuation is a new function, built from the AST, that starts at the head of the
loop's current iteration and runs the rest of the frame: the loop ``L'``, then the rest of
each enclosing construct, innermost first::

    fun osr.N(live...) {
        {                       // the block of an enclosing if arm / block statement
            { L'; <rest of the inner block> }
            <rest of the block that holds the if>
        }
        let mut #first1 = true  // an enclosing loop: finish its current iteration,
        while #first1 || cond { //   then run the remaining ones
            if #first1 { #first1 = false; { L'...; <rest of the iteration> }; () }
            else { <the whole body>; () }
        }
        <rest of the outermost block>
    }

so ``break`` and ``continue`` in the rest of an iteration still target their loop (there
are no labels), ``break value`` of a ``loop`` is the new loop's value, ``return`` returns
from the continuation, and the interpreted frame returns what the continuation returned.
``L'`` is the loop itself for ``while`` and ``loop`` (the interpreter offers it before the
condition), ``for i in #cur..#end { ... }`` for a range, resumed at the current index
with the end as first evaluated, and for ``for x in a``::

    for #k in #cur..#snap.len() { let x = #snap[#k]; { <body> } }

resumed at the current index of the snapshot the loop iterates over (the array as it
was when the loop started, or a string's characters: the interpreter passes it, so
writes to the array in the body do not change what the loop visits, and ``x`` is a copy
of the element, as the loop binds it). An enclosing range or array loop is resumed the
same way with its own ``#curK``/``#endK`` or ``#curK``/``#snapK``.

Names: the parameters are the bindings in scope at the loop that the continuation uses,
with their current values (the live values). A binding of the outermost block keeps its
name; one made inside an enclosing block (a ``let``, a ``for`` variable) is passed as
``name#K`` and bound to its name again (``let mut name = name#K``) at the start of the
continuation's copy of that block, so that after the block the name means what it meant
there (an outer binding it shadowed, a ``const``, or nothing) exactly as in the source.
At the top level the continuation also calls ``main()`` when the top level has not,
exactly as the program's start does (refused if ``main`` takes parameters or the
continuation names it).

Loops in an expression (the value of a ``let``, of a block expression, a ``match`` arm,
a condition, an argument) are not resumable: tier 0 still offers them, and the runtime
logs why they are refused.
"""
from __future__ import annotations

import dataclasses
from typing import Iterator, Optional

from ..syntax import ast as A
from .errors import CannotCompile

CUR, END, SNAP, IDX = "#cur", "#end", "#snap", "#k"
RESUMABLE = (A.While, A.Loop, A.ForRange, A.For)
#: the loops resumed at an index: a range, or an array's snapshot
COUNTED = (A.ForRange, A.For)

#: one step of a path: (index of the statement in its block, arm of that construct);
#: the last step's arm is None (the loop itself)
Path = tuple[tuple[int, Optional[int]], ...]


@dataclasses.dataclass(frozen=True)
class Site:
    """Where a loop offered for OSR is. ``path`` is None when it cannot be resumed, and
    ``why`` says why."""

    path: Optional[Path]
    why: Optional[str] = None


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


# ---- where loops are ----------------------------------------------------------------

_WHAT = {A.Let: "the value of a `let`", A.Assign: "an assignment",
         A.Return: "a `return` value", A.Match: "a `match`", A.Call: "a call's arguments",
         A.MethodCall: "a method call", A.Break: "a `break` value", A.If: "a condition",
         A.While: "a loop condition", A.ForRange: "a range's bounds",
         A.For: "an iterated expression"}


def _expression_why(node: A.Node) -> str:
    what = _WHAT.get(type(node), "an expression")
    return f"it is inside {what}, not a statement of a block (only those are resumed)"


def loop_sites(stmts: list[A.Node]) -> dict[int, Site]:
    """Every loop (``while``, ``loop``, ``for`` range, ``for x in array``) of a function
    body (``stmts``), by ``id``, with its path or why it cannot be resumed."""
    out: dict[int, Site] = {}

    def block(body: list[A.Node], prefix: Path, why: Optional[str]) -> None:
        for i, st in enumerate(body):
            stmt(st, prefix, i, why)

    def stmt(st: A.Node, prefix: Path, i: int, why: Optional[str]) -> None:
        if isinstance(st, RESUMABLE):
            out[id(st)] = Site(prefix + ((i, None),) if why is None else None, why)
            heads = [st.cond] if isinstance(st, A.While) else \
                [st.start, st.end] if isinstance(st, A.ForRange) else \
                [st.iterable] if isinstance(st, A.For) else []
            for h in heads:
                expr(h, why or _expression_why(st))
            block(st.body.stmts, prefix + ((i, 0),), why)
        elif isinstance(st, A.If):
            cur: Optional[A.Node] = st
            arm = 0
            while isinstance(cur, A.If):
                expr(cur.cond, why or _expression_why(cur))
                block(cur.then.stmts, prefix + ((i, arm),), why)
                arm += 1
                cur = cur.orelse
            if isinstance(cur, A.Block):
                block(cur.stmts, prefix + ((i, arm),), why)
            elif cur is not None:
                expr(cur, why or _expression_why(st))
        elif isinstance(st, A.Block):
            block(st.stmts, prefix + ((i, 0),), why)
        else:
            expr(st, why or _expression_why(st))

    def expr(node: object, why: str) -> None:
        stack = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, RESUMABLE):
                out[id(n)] = Site(None, why)
            if isinstance(n, list):
                stack.extend(n)
            elif dataclasses.is_dataclass(n) and not isinstance(n, (A.Span, type)):
                stack.extend(getattr(n, f.name) for f in dataclasses.fields(n)
                             if f.name != "span")

    block(stmts, (), None)
    return out


def arm_block(construct: A.Node, arm: int) -> A.Block:
    """The block ``arm`` of an enclosing construct (see the module docstring)."""
    if isinstance(construct, A.If):
        cur: Optional[A.Node] = construct
        for _ in range(arm):
            cur = cur.orelse  # type: ignore[union-attr]
        return cur.then if isinstance(cur, A.If) else cur  # type: ignore[return-value]
    if isinstance(construct, A.Block):
        return construct
    return construct.body  # type: ignore[attr-defined]


def levels(stmts: list[A.Node], path: Path) -> list[list[A.Node]]:
    """The statement lists along ``path``: the body's, then each enclosing arm's."""
    out = [stmts]
    for index, arm in path[:-1]:
        out.append(arm_block(out[-1][index], arm).stmts)  # type: ignore[arg-type]
    return out


def loop_at(stmts: list[A.Node], path: Path) -> A.Node:
    return levels(stmts, path)[-1][path[-1][0]]


def ranges_on(stmts: list[A.Node], path: Path) -> list[A.Node]:
    """The ``for`` loops (ranges and arrays) of a path, outermost first (the loop itself
    last, if one)."""
    lv = levels(stmts, path)
    return [lv[j][i] for j, (i, _) in enumerate(path) if isinstance(lv[j][i], COUNTED)]


def range_names(ranges: list[A.Node], loop: A.Node) -> list[str]:
    """Parameter names of the ``for`` loops' positions, as ``ranges_on``: a range's
    current index and end as first evaluated (``#curK``, ``#endK``), an array loop's
    current index and snapshot (``#curK``, ``#snapK``); no ``K`` for the loop itself."""
    names = []
    for k, r in enumerate(ranges):
        suffix = "" if r is loop else str(k + 1)
        names += [CUR + suffix, (SNAP if isinstance(r, A.For) else END) + suffix]
    return names


def _over_snapshot(loop: A.For, cur: str, snap: str, body: list[A.Node]) -> A.ForRange:
    """``for #k in #cur..#snap.len() { let x = #snap[#k]; body }``: an array loop resumed
    at index ``#cur`` of its snapshot (the elements it visits, taken when it started;
    writes to the array in the body do not change them). The variable is bound as the
    loop binds it, a copy of the element."""
    sp = loop.span
    k = IDX + cur[len(CUR):]
    elem = A.Let(loop.var, True, None,
                 A.Index(A.Name(snap, span=sp), A.Name(k, span=sp), span=sp), span=sp)
    n = A.MethodCall(A.Name(snap, span=sp), "len", [], span=sp)
    return A.ForRange(k, A.Name(cur, span=sp), n, False,
                      A.Block([elem] + body, span=sp), span=sp)


# ---- the continuation ---------------------------------------------------------------

def binding_names(scopes: list[list[tuple[str, str]]],
                  depths: list[int]) -> list[tuple[str, str]]:
    """(Ruchy name, parameter name) of every binding in ``scopes`` (the tier-0 scopes
    at the loop, outermost first; ``depths[0]`` of them belong to the outermost block):
    the outermost block's bindings keep their names, the others are ``name#K``."""
    out = []
    k = 0
    for d, scope in enumerate(scopes):
        for name, _ in scope:
            k += 1
            out.append((name, name if d < depths[0] else f"{name}#{k}"))
    return out


def _env(scopes: list[list[tuple[str, str]]], params: list[tuple[str, str]],
         depth: int) -> dict[str, str]:
    """Name -> parameter name of the bindings visible in the first ``depth`` scopes."""
    env: dict[str, str] = {}
    k = 0
    for d, scope in enumerate(scopes):
        for _ in scope:
            if d < depth:
                name, pname = params[k]
                env[name] = pname
            k += 1
    return env


def _resume(loop: A.Node, piece: A.Block, k: int, cur: str, end: str) -> list[A.Node]:
    """An enclosing loop whose current iteration is ``piece``, then its remaining
    iterations."""
    sp = loop.span
    first = f"#first{k}"
    flag = A.Name(first, span=sp)
    unit = A.UnitLit(span=sp)
    body = A.Block([A.If(flag, A.Block([A.Assign(A.Name(first, span=sp), "=",
                                                 A.BoolLit(False, span=sp), span=sp),
                                        piece, unit], span=sp),
                         A.Block([loop.body, unit], span=sp),  # type: ignore[attr-defined]
                         span=sp)], span=sp)
    if isinstance(loop, A.While):
        new: A.Node = A.While(A.Binary("||", flag, loop.cond, span=sp), body, span=sp)
    elif isinstance(loop, A.Loop):
        new = A.Loop(body, span=sp)
    elif isinstance(loop, A.ForRange):
        new = A.ForRange(loop.var, A.Name(cur, span=sp), A.Name(end, span=sp),
                         loop.inclusive, body, span=sp)
    elif isinstance(loop, A.For):
        new = _over_snapshot(loop, cur, end, body.stmts)
    else:  # pragma: no cover - paths only go through resumable loops
        raise CannotCompile("an enclosing loop cannot be resumed")
    return [A.Let(first, True, None, A.BoolLit(True, span=sp), span=sp), new]


def continuation(name: str, stmts: list[A.Node], path: Path,
                 scopes: list[list[tuple[str, str]]], depths: list[int], toplevel: bool,
                 main: Optional[A.FunDef], main_called: bool) -> tuple[A.FunDef, list[str]]:
    """The continuation function of the loop at ``path`` in the body ``stmts`` and the
    names of its parameters (the parameter names of ``binding_names(scopes, depths)``
    that it uses, sorted, then the ranges' current indices and ends, see
    ``range_names``).
    ``scopes`` are the tier-0 scopes at the loop (names only matter), ``depths[j]`` how
    many of them are visible in the block of level ``j`` of the path. At the
    ``toplevel``, ``main`` is the program's main function, if any."""
    lv = levels(stmts, path)
    loop = lv[-1][path[-1][0]]
    ranges = ranges_on(stmts, path)
    rnames = range_names(ranges, loop)
    for r in ranges:
        if r is not loop and isinstance(r, A.ForRange) and any(
                isinstance(a, A.Assign) and isinstance(a.target, A.Name)
                and a.target.id == r.var for a in _nodes(r.body)):
            raise CannotCompile(f"the enclosing loop assigns its variable '{r.var}'")
    params = binding_names(scopes, depths)
    envs = [_env(scopes, params, d) for d in depths]
    if isinstance(loop, A.ForRange):
        loop = A.ForRange(loop.var, A.Name(CUR, span=loop.start.span),
                          A.Name(END, span=loop.end.span), loop.inclusive, loop.body,
                          span=loop.span)
    elif isinstance(loop, A.For):
        loop = _over_snapshot(loop, CUR, SNAP, [loop.body])
    cont: list[A.Node] = [loop] + list(lv[-1][path[-1][0] + 1:])
    for j in range(len(path) - 1, 0, -1):
        used = set(names_in(cont))
        rebind = [A.Let(n, True, None, A.Name(p, span=loop.span), span=loop.span)
                  for n, p in sorted(envs[j].items())
                  if n in used and envs[j - 1].get(n) != p and p != n]
        piece = A.Block(rebind + cont, span=loop.span)
        index, _ = path[j - 1]
        construct = lv[j - 1][index]
        if isinstance(construct, RESUMABLE):
            k = [i for i, r in enumerate(ranges) if r is construct]
            cur, end = (rnames[2 * k[0]], rnames[2 * k[0] + 1]) if k else ("", "")
            head = _resume(construct, piece, j, cur, end)
        else:
            head = [piece]
        cont = head + list(lv[j - 1][index + 1:])
    body = cont
    if toplevel:
        if main is not None and not main_called:
            if main.params:
                raise CannotCompile("main() takes parameters")
            if "main" in set(names_in(body)):
                raise CannotCompile("the continuation calls main()")
            body.append(A.Call(A.Name("main", span=loop.span), [], span=loop.span))
        body.append(A.UnitLit(span=loop.span))
    used = set(names_in(body))
    pnames = [p for _, p in params]
    seen: set[str] = set()
    out = []
    for p in pnames:
        if p in used and p not in seen:
            seen.add(p)
            out.append(p)
    out = sorted(out) + rnames
    fn = A.FunDef(name, [A.Param(n, True, span=loop.span) for n in out], None,
                  A.Block(body, span=loop.span), span=loop.span)
    return fn, out


def _nodes(node: object) -> Iterator[object]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, list):
            stack.extend(n)
        elif dataclasses.is_dataclass(n) and not isinstance(n, (A.Span, type)):
            stack.extend(getattr(n, f.name) for f in dataclasses.fields(n)
                         if f.name != "span")


def osr_points(prog: A.Program) -> set[A.Span]:
    """Spans of the loops tier 0 offers for OSR that can be resumed (loops in
    expressions excepted)."""
    bodies = [top_statements(prog)] + [f.body.stmts for f in prog.items
                                        if isinstance(f, A.FunDef)]
    out = set()
    for stmts in bodies:
        for site in loop_sites(stmts).values():
            if site.path is not None:
                out.add(loop_at(stmts, site.path).span)
    return out

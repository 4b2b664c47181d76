"""On-stack replacement: the compiled continuation of a loop that is hot inside an
interpreted frame.

Tier 0 offers every loop for OSR (translate.py/control.py emit the check) and the loop
is *resumable* when everything between the function's body and the loop can be finished
from the live variables alone: nothing evaluated before the loop is held in a temporary
that the continuation would need. The loop's place is a *path* from the function's
body: one step ``(field, index)`` per node on the way, the field of the node that holds
the next one (and its index when the field is a list), ending at the loop. The steps a
resumable loop may take (``loop_sites``):

- into a block's statements (``("stmts", i)``; the body is one too), a loop's ``body``
  (the loop itself resumable), an ``if``'s ``then`` or ``orelse`` (the arm taken: its
  conditions are done), a ``match``'s arm and the arm's ``body`` (the pattern bound);
- into the first thing an expression evaluates, with nothing of it evaluated yet: the
  ``value`` of a ``let``, an assignment, a ``return`` or a ``break``; the ``cond`` of an
  ``if``, the ``scrutinee`` of a ``match``, the ``start`` of a range and the
  ``iterable`` of a ``for`` (the loop not started yet); the ``left`` operand of a binary
  operator, the ``operand`` of a unary one and the ``value`` of a cast.

Anything else (a call's arguments, the right operand of an operator, a loop condition,
a range's end, a ``match`` guard, an index, an array literal, ...) would have to be
resumed halfway through evaluating its operands: the loop is not resumable there, tier 0
still offers it, and the runtime logs why it stays interpreted.

The continuation is a new function, built from the AST, that starts at the head of the
loop's current iteration and runs the rest of the frame: the *rest* of each node on the
path, innermost first::

    fun osr.N(live...) {
        let v = {               // a `let`: bind the rest of its value
            { L'; <rest of the inner block> }   // a block: its remaining statements
        }
        let mut #first1 = true  // an enclosing loop: finish its current iteration,
        while #first1 || cond { //   then run the remaining ones
            if #first1 { #first1 = false; { L'...; <rest of the iteration> }; () }
            else { <the whole body>; () }
        }
        <rest of the outermost block>
    }

The rest of a block is its remaining statements, of an ``if``/``match`` whose arm holds
the loop that arm, of an expression whose first operand holds the loop the expression
with that operand replaced by its rest (``let v = <rest>``, ``<rest> + x``, ``match
<rest> { ... }``), so every value flows where it flowed in the interpreter. ``break``
and ``continue`` in the rest of an iteration still target their loop (there are no
labels), ``break value`` of a ``loop`` is the new loop's value, ``return`` returns from
the continuation, and the interpreted frame returns what the continuation returned.
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
name; one made inside an enclosing block or ``match`` arm (a ``let``, a ``for``
variable, a pattern's binding) is passed as ``name#K`` and bound to its name again
(``let mut name = name#K``) at the start of the continuation's copy of that block (a
``match`` arm's body becomes ``{ let name = name#K; <rest of the body> }``), so that
after the block the name means what it meant there (an outer binding it shadowed, a
``const``, or nothing) exactly as in the source. At the top level the continuation also
calls ``main()`` when the top level has not, exactly as the program's start does
(refused if ``main`` takes parameters or the continuation names it).
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
#: the nodes on a path that open a tier-0 scope: their copies rebind the names they add
HOLDERS = (A.Block, A.MatchArm)

#: one step of a path: (field of the node, index when that field is a list)
Step = tuple[str, Optional[int]]
Path = tuple[Step, ...]


@dataclasses.dataclass(frozen=True)
class Site:
    """Where a loop offered for OSR is. ``path`` is None when it cannot be resumed, and
    ``why`` says why."""

    path: Optional[Path]
    why: Optional[str] = None


def _fields(n: object) -> Iterator[tuple[str, object]]:
    return ((name, getattr(n, name)) for name in _field_names(type(n)))


def names_in(node: object) -> Iterator[str]:
    """Every identifier a subtree reads (an over-approximation of the free names)."""
    for n in _nodes(node):
        if isinstance(n, A.Name):
            yield n.id


def _nodes(node: object) -> Iterator[object]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, list):
            stack.extend(n)
        elif dataclasses.is_dataclass(n) and not isinstance(n, (A.Span, type)):
            stack.extend(v for _, v in _fields(n))


def top_statements(prog: A.Program) -> list[A.Node]:
    """The top level's statements, as tier 0 and lowering see them (items are not
    statements)."""
    from ..lower.level3 import ITEMS
    return [it for it in prog.items if not isinstance(it, (A.FunDef, A.ConstDef, *ITEMS))]


# ---- where loops are ----------------------------------------------------------------

#: the fields of each node that a resumable loop may sit in (module docstring)
_RESUMES: dict[type, tuple[str, ...]] = {
    A.Block: ("stmts",), A.Let: ("value",), A.Assign: ("value",), A.Return: ("value",),
    A.Break: ("value",), A.If: ("cond", "then", "orelse"), A.Match: ("scrutinee", "arms"),
    A.MatchArm: ("body",), A.While: ("body",), A.Loop: ("body",),
    A.ForRange: ("start", "body"), A.For: ("iterable", "body"), A.Binary: ("left",),
    A.Unary: ("operand",), A.Cast: ("value",)}

_WHAT = {A.Call: "a call's arguments", A.MethodCall: "a method call",
         A.Index: "an index expression", A.ArrayLit: "an array literal",
         A.ArrayRepeat: "an array literal", A.FStr: "an f-string",
         A.FmtArg: "an f-string", A.Ref: "a reference", A.Field: "a field access"}


def _why_not(node: object, field: str) -> str:
    """Why a loop in ``field`` of ``node`` is not resumable."""
    if isinstance(node, A.While):
        what = "a loop condition (evaluated again at every iteration)"
    elif isinstance(node, A.ForRange):
        what = "a range's end (its start was evaluated before the loop)"
    elif isinstance(node, A.MatchArm):
        what = "a `match` guard"
    elif isinstance(node, A.Binary):
        what = f"the right operand of `{node.op}` (its left was evaluated before the loop)"
    else:
        what = _WHAT.get(type(node), "an expression")
    return (f"it is inside {what}, which OSR does not resume in the middle (only the "
            "first operand evaluated, a statement or an arm is)")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """The fields of an AST class but its span (looked up once per class: tier 0 walks
    every function body with :func:`loop_sites`)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls)
                                          if f.name != "span")
    return names


def loop_sites(stmts: list[A.Node]) -> dict[int, Site]:
    """Every loop (``while``, ``loop``, ``for`` range, ``for x in array``) of a function
    body (``stmts``), by ``id``, with its path or why it cannot be resumed."""
    out: dict[int, Site] = {}
    path: list[Step] = []

    # ``why`` is None (resumable so far), the reason, or (node, field) to word it from
    # only if a loop is found below (most subtrees hold none).
    def visit(node: A.Node, why: object) -> None:
        if isinstance(node, RESUMABLE):
            if why is None:
                out[id(node)] = Site(tuple(path))
            else:
                if not isinstance(why, str):
                    why = _why_not(*why)  # type: ignore[misc]
                out[id(node)] = Site(None, why)  # type: ignore[arg-type]
        resumes = _RESUMES.get(type(node), ())
        for name in _field_names(type(node)):
            value = getattr(node, name)
            sub = why if why is not None or name in resumes else (node, name)
            if type(value) is list:
                for i, v in enumerate(value):
                    if isinstance(v, A.Node):
                        path.append((name, i))
                        visit(v, sub)
                        path.pop()
            elif isinstance(value, A.Node):
                path.append((name, None))
                visit(value, sub)
                path.pop()

    visit(A.Block(stmts), None)
    return out


def child(node: object, step: Step) -> A.Node:
    name, index = step
    value = getattr(node, name)
    return value if index is None else value[index]


def walk(stmts: list[A.Node], path: Path) -> list[A.Node]:
    """The nodes along ``path``: the body (a block of ``stmts``), ..., the loop."""
    out: list[A.Node] = [A.Block(stmts)]
    for step in path:
        out.append(child(out[-1], step))
    return out


def holders(stmts: list[A.Node], path: Path) -> list[A.Node]:
    """The blocks and ``match`` arms on ``path`` below the body, outermost first: each
    opens a tier-0 scope, whose bindings its copy in the continuation binds again."""
    return [n for n in walk(stmts, path)[1:-1] if isinstance(n, HOLDERS)]


def loop_at(stmts: list[A.Node], path: Path) -> A.Node:
    return walk(stmts, path)[-1]


def ranges_on(stmts: list[A.Node], path: Path) -> list[A.Node]:
    """The ``for`` loops (ranges and arrays) that enclose the loop at ``path`` (their
    body holds it), outermost first, then the loop itself if it is one."""
    nodes = walk(stmts, path)
    out = [n for n, (name, _) in zip(nodes, path) if isinstance(n, COUNTED) and name == "body"]
    return out + ([nodes[-1]] if isinstance(nodes[-1], COUNTED) else [])


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


def _resume(loop: A.Node, piece: A.Block, k: int, cur: str, end: str) -> A.Block:
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
    return A.Block([A.Let(first, True, None, A.BoolLit(True, span=sp), span=sp), new],
                   span=sp)


def continuation(name: str, stmts: list[A.Node], path: Path,
                 scopes: list[list[tuple[str, str]]], depths: list[int], toplevel: bool,
                 main: Optional[A.FunDef], main_called: bool) -> tuple[A.FunDef, list[str]]:
    """The continuation function of the loop at ``path`` in the body ``stmts`` and the
    names of its parameters (the parameter names of ``binding_names(scopes, depths)``
    that it uses, sorted, then the ranges' current indices and ends, see
    ``range_names``).
    ``scopes`` are the tier-0 scopes at the loop (names only matter), ``depths[j]`` how
    many of them are visible in the body (``j = 0``) and in each of ``holders(stmts,
    path)``. At the ``toplevel``, ``main`` is the program's main function, if any."""
    nodes = walk(stmts, path)
    loop = nodes[-1]
    ranges = ranges_on(stmts, path)
    rnames = range_names(ranges, loop)
    for r in ranges:
        if r is not loop and isinstance(r, A.ForRange) and any(
                isinstance(a, A.Assign) and isinstance(a.target, A.Name)
                and a.target.id == r.var for a in _nodes(r.body)):
            raise CannotCompile(f"the enclosing loop assigns its variable '{r.var}'")
    params = binding_names(scopes, depths)
    envs = [_env(scopes, params, d) for d in depths]
    level = [0] * len(nodes)  # the holder (index into depths) each node's scope is
    for j in range(1, len(nodes)):
        level[j] = level[j - 1] + (isinstance(nodes[j], HOLDERS) and j < len(nodes) - 1)
    sp = loop.span

    def rebind(j: int, body: list[A.Node]) -> list[A.Node]:
        """The ``let``s that bind the names holder ``nodes[j]`` added, which ``body``
        uses, to their live values."""
        if j == 0:  # the body: its bindings are parameters under their own names
            return []
        h, used = level[j], set(names_in(body))
        return [A.Let(n, True, None, A.Name(p, span=sp), span=sp)
                for n, p in sorted(envs[h].items())
                if n in used and envs[h - 1].get(n) != p and p != n]

    def rest(j: int) -> A.Node:
        """What is left to evaluate of ``nodes[j]`` while the loop runs (module
        docstring)."""
        node = nodes[j]
        if j == len(path):
            return _resumed_loop(node)
        inner = rest(j + 1)
        name, index = path[j]
        if isinstance(node, A.Block):
            tail = [inner] + node.stmts[index + 1:]  # type: ignore[operator]
            return A.Block(rebind(j, tail) + tail, span=node.span)
        if isinstance(node, A.MatchArm):
            lets = rebind(j, [inner])
            return A.Block(lets + [inner], span=node.span) if lets else inner
        if isinstance(node, RESUMABLE) and name == "body":
            k = [i for i, r in enumerate(ranges) if r is node]
            cur, end = (rnames[2 * k[0]], rnames[2 * k[0] + 1]) if k else ("", "")
            return _resume(node, inner, j, cur, end)  # type: ignore[arg-type]
        if isinstance(node, (A.If, A.Match)) and name in ("then", "orelse", "arms"):
            return inner  # the arm taken
        return dataclasses.replace(node, **{name: inner})  # its first operand

    body = rest(0).stmts  # type: ignore[attr-defined]
    if toplevel:
        if main is not None and not main_called:
            if main.params:
                raise CannotCompile("main() takes parameters")
            if "main" in set(names_in(body)):
                raise CannotCompile("the continuation calls main()")
            body.append(A.Call(A.Name("main", span=sp), [], span=sp))
        body.append(A.UnitLit(span=sp))
    used = set(names_in(body))
    out = []
    for _, p in params:
        if p in used and p not in out:
            out.append(p)
    out = sorted(out) + rnames
    fn = A.FunDef(name, [A.Param(n, True, span=sp) for n in out], None,
                  A.Block(body, span=sp), span=sp)
    return fn, out


def _resumed_loop(loop: A.Node) -> A.Node:
    """``L'``: the loop itself, a range resumed at ``#cur..#end``, an array loop at
    ``#cur`` of ``#snap``."""
    if isinstance(loop, A.ForRange):
        return A.ForRange(loop.var, A.Name(CUR, span=loop.start.span),
                          A.Name(END, span=loop.end.span), loop.inclusive, loop.body,
                          span=loop.span)
    if isinstance(loop, A.For):
        return _over_snapshot(loop, CUR, SNAP, [loop.body])
    return loop


def osr_points(prog: A.Program) -> set[A.Span]:
    """Spans of the loops tier 0 offers for OSR that can be resumed."""
    bodies = [top_statements(prog)] + [f.body.stmts for f in prog.items
                                        if isinstance(f, A.FunDef)]
    out = set()
    for stmts in bodies:
        for site in loop_sites(stmts).values():
            if site.path is not None:
                out.add(loop_at(stmts, site.path).span)
    return out

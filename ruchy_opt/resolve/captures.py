"""What each closure captures: the variables of enclosing functions and closures that
its body reads and those it may change, decided once for every back end.

Tier 0 turns a closure into a nested Python function (captured variables are shared
through Python's cells, which is Rust's capture by reference; a variable the closure
changes is declared ``nonlocal``; ``move`` copies the captured values at creation).
The SSA lowering will build the closure's environment from the same decision.

A capture names the variable and the binding it refers to: the node that introduced it
(a ``let``, a parameter, a pattern, a ``for`` loop), found with Rust's scoping (a
``let`` is visible after itself to the end of its block, shadowing included).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..syntax import ast as A
from .items import ITEM_NODES


@dataclass(frozen=True)
class Capture:
    """A captured variable: its name and the node that binds it."""

    name: str
    binding: A.Node


@dataclass
class Captures:
    """The captures of one closure, in order of first use: ``reads`` every captured
    variable, ``changes`` those the body may change (assigned, ``&mut`` taken, a method
    called on it, which may change it)."""

    reads: list[Capture] = field(default_factory=list)
    changes: list[Capture] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.reads]

    @property
    def changed_names(self) -> list[str]:
        return [c.name for c in self.changes]


#: A format string's inline holes (``println!("{x}")`` reads ``x``).
_HOLE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[}:]")


def pattern_names(p: Optional[A.Node]) -> list[str]:
    """The names a pattern binds (a bare name is a binding; the resolution layer may
    later decide it is a unit variant, which only makes this an over-approximation)."""
    out: list[str] = []
    stack = [p] if p is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, A.Pattern):
            if n.kind == "bind" and isinstance(n.value, str):
                out.append(n.value)
            if n.sub is not None:
                stack.append(n.sub)
        elif isinstance(n, A.RestPat):
            if n.name:
                out.append(n.name)
        elif isinstance(n, A.FieldPat):
            stack.append(n.pat)
        elif n is not None:
            stack.extend(A.children(n))
    return out


def _root(n: A.Node) -> Optional[str]:
    while isinstance(n, (A.Index, A.Field, A.Deref, A.Ref)):
        n = n.target if isinstance(n, (A.Index, A.Field)) else n.operand
    return n.id if isinstance(n, A.Name) else None


class _Walker:
    """One walk of a function body with its scopes (name -> binding node)."""

    def __init__(self) -> None:
        self.scopes: list[dict[str, A.Node]] = [{}]
        #: the closures being walked, innermost last: (node, scope depth at its start)
        self.open: list[tuple[A.Closure, int]] = []
        self.out: dict[int, Captures] = {}

    def lookup(self, name: str) -> Optional[tuple[int, A.Node]]:
        for depth in range(len(self.scopes) - 1, -1, -1):
            b = self.scopes[depth].get(name)
            if b is not None:
                return depth, b
        return None

    def use(self, name: str, changed: bool) -> None:
        hit = self.lookup(name)
        if hit is None:
            return
        depth, binding = hit
        for clo, start in self.open:
            if depth < start:  # bound outside this closure: a capture of it
                caps = self.out[id(clo)]
                cap = Capture(name, binding)
                if cap not in caps.reads:
                    caps.reads.append(cap)
                if changed and cap not in caps.changes:
                    caps.changes.append(cap)

    def bind_all(self, names: list[str], node: A.Node) -> None:
        for n in names:
            self.scopes[-1][n] = node

    # ---- the walk ---------------------------------------------------------------------

    def visit(self, n: Optional[A.Node]) -> None:
        if n is None or isinstance(n, ITEM_NODES):
            return  # a nested fn or item captures nothing
        m = getattr(self, "v_" + type(n).__name__, None)
        if m is not None:
            m(n)
        else:
            for c in A.children(n):
                self.visit(c)

    def scoped(self, binds: list[tuple[list[str], A.Node]], *nodes: Optional[A.Node]) -> None:
        self.scopes.append({})
        for names, b in binds:
            self.bind_all(names, b)
        for x in nodes:
            self.visit(x)
        self.scopes.pop()

    def v_Block(self, n: A.Block) -> None:
        self.scoped([], *n.stmts)

    def v_Let(self, n: A.Let) -> None:
        self.visit(n.value)
        self.bind_all([n.name], n)

    def v_LetPat(self, n: A.LetPat) -> None:
        self.visit(n.value)
        if n.orelse is not None:
            self.visit(n.orelse)
        self.bind_all(pattern_names(n.pattern), n)

    def v_Name(self, n: A.Name) -> None:
        self.use(n.id, False)

    def v_Assign(self, n: A.Assign) -> None:
        self.visit(n.value)
        r = _root(n.target)
        if r is not None:
            self.use(r, True)
        self.visit(n.target)

    def v_Ref(self, n: A.Ref) -> None:
        if n.mutable:
            r = _root(n.operand)
            if r is not None:
                self.use(r, True)
        self.visit(n.operand)

    def v_MethodCall(self, n: A.MethodCall) -> None:
        r = _root(n.receiver)
        if r is not None:
            self.use(r, True)  # the method may change its receiver (push, next...)
        self.visit(n.receiver)
        for a in n.args:
            self.visit(a)

    def v_Call(self, n: A.Call) -> None:
        if n.macro:
            for a in n.args:
                if isinstance(a, A.StrLit):
                    for name in _HOLE.findall(a.value):
                        self.use(name, False)
        for c in A.children(n):
            self.visit(c)

    def v_For(self, n: A.For) -> None:
        self.visit(n.iterable)
        names = pattern_names(n.pattern) if n.pattern is not None else [n.var]
        self.scoped([(names + [n.var], n)], n.body)

    def v_ForRange(self, n: A.ForRange) -> None:
        self.visit(n.start)
        self.visit(n.end)
        names = pattern_names(n.pattern) if n.pattern is not None else [n.var]
        self.scoped([(names + [n.var], n)], n.body)

    def v_MatchArm(self, n: A.MatchArm) -> None:
        names = [x for p in n.patterns for x in pattern_names(p)]
        self.scoped([(names, n)], n.guard, n.body)

    def v_IfLet(self, n: A.IfLet) -> None:
        self.visit(n.value)
        self.scoped([(pattern_names(n.pattern), n)], n.then)
        self.visit(n.orelse)

    def v_WhileLet(self, n: A.WhileLet) -> None:
        self.visit(n.value)
        self.scoped([(pattern_names(n.pattern), n)], n.body)

    def v_MacroPat(self, n: A.MacroPat) -> None:
        self.visit(n.value)
        names = [x for p in n.patterns for x in pattern_names(p)]
        self.scoped([(names, n)], n.guard)

    def v_Closure(self, n: A.Closure) -> None:
        self.out[id(n)] = Captures()
        self.scopes.append({})
        self.open.append((n, len(self.scopes) - 1))
        for p in n.params:
            self.bind_all([p.name] + pattern_names(p.pattern), p)
        self.visit(n.body)
        self.open.pop()
        self.scopes.pop()

    def v_Pattern(self, n: A.Pattern) -> None:
        return  # patterns are bound by their holders above


def function_captures(params: list[A.Param], body: Optional[A.Node]) -> dict[int, Captures]:
    """The captures of every closure in a function (or the top level: no parameters),
    by ``id`` of its Closure node."""
    w = _Walker()
    for p in params:
        w.bind_all([p.name] + pattern_names(p.pattern), p)
    w.visit(body)
    return w.out


def changed_roots(node: A.Node) -> set[str]:
    """The variables that code under ``node`` may change: assigned (at any depth of
    field or index), given as ``&mut``, the receiver of a method call (which may change
    it), or named at all inside a closure (which may change it when called)."""
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, A.Assign):
            r = _root(n.target)
        elif isinstance(n, A.Ref) and n.mutable:
            r = _root(n.operand)
        elif isinstance(n, A.MethodCall):
            r = _root(n.receiver)
        else:
            r = None
        if r is not None:
            out.add(r)
        if isinstance(n, A.Closure):
            out.update(x.id for x in _names_under(n))
        stack.extend(A.children(n))
    return out


def _names_under(node: A.Node) -> list[A.Name]:
    found, stack = [], [node]
    while stack:
        n = stack.pop()
        if isinstance(n, A.Name):
            found.append(n)
        stack.extend(A.children(n))
    return found


def has_closure(node: Optional[A.Node]) -> bool:
    """Whether a function body contains a closure (not counting nested items)."""
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, A.Closure):
            return True
        if not isinstance(n, ITEM_NODES):
            stack.extend(A.children(n))
    return False


# ---- capture by value: when a copy at creation is exact --------------------------------

#: Built-in methods that never change their receiver (a call of one is a read).
READ_ONLY_METHODS = frozenset({
    "len", "is_empty", "to_string", "clone", "abs", "sqrt", "min", "max", "pow", "powi",
    "powf", "floor", "ceil", "round", "trunc", "sin", "cos", "tan", "atan", "exp", "ln",
    "log10", "log2", "is_nan", "contains", "join", "to_uppercase", "to_lowercase", "trim",
    "starts_with", "ends_with"})
_LOOPS = (A.While, A.Loop, A.For, A.ForRange, A.WhileLet)


@dataclass
class _Site:
    """Where a variable is changed: the walk's position and the loops around it."""

    pos: int
    loops: tuple[int, ...]


class _ValueWalker(_Walker):
    """The walk of :func:`function_captures`, also noting where every binding is bound
    and changed (in walk order, with the loops around), and where each closure starts
    and ends."""

    def __init__(self) -> None:
        super().__init__()
        self.pos = 0
        self.loops: list[int] = []
        self.changes: dict[int, list[_Site]] = {}    # binding id -> sites
        self.bound_in: dict[int, tuple[int, ...]] = {}  # binding id -> loops around it
        self.span: dict[int, tuple[int, int, tuple[int, ...]]] = {}  # closure id -> ...

    def use(self, name: str, changed: bool) -> None:
        super().use(name, changed)
        self.pos += 1
        if changed:
            hit = self.lookup(name)
            if hit is not None:
                self.changes.setdefault(id(hit[1]), []).append(
                    _Site(self.pos, tuple(self.loops)))

    def bind_all(self, names: list[str], node: A.Node) -> None:
        super().bind_all(names, node)
        self.bound_in.setdefault(id(node), tuple(self.loops))

    def visit(self, n: Optional[A.Node]) -> None:
        if isinstance(n, _LOOPS):
            self.loops.append(id(n))
            super().visit(n)
            self.loops.pop()
        else:
            super().visit(n)

    def v_MethodCall(self, n: A.MethodCall) -> None:
        if n.method in READ_ONLY_METHODS:
            self.visit(n.receiver)  # a read of its receiver
            for a in n.args:
                self.visit(a)
        else:
            super().v_MethodCall(n)

    def v_Closure(self, n: A.Closure) -> None:
        start = self.pos
        super().v_Closure(n)
        self.span[id(n)] = (start, self.pos, tuple(self.loops))


@dataclass
class ClosurePlan:
    """How a back end that copies values can build one closure exactly.

    ``refused`` says why it cannot (None: it can). Otherwise the closure gets, per
    captured variable in ``captures.reads`` order: the variable's *cell* if its name is
    in ``cells`` (a variable shared with its function, which some closure changes or
    which changes while a closure lives: its binding is in :attr:`Plans.celled`, and
    every read and write of it goes through the cell); a *fresh cell* holding the
    current value if the name is in ``own`` (a ``move`` closure that changes its own
    copy, which must last from one call to the next); else the current value."""

    captures: Captures
    refused: Optional[str] = None
    cells: list[str] = field(default_factory=list)
    own: list[str] = field(default_factory=list)


@dataclass
class Plans:
    """The closures of one function (by ``id`` of the Closure node), and the variables
    that live in cells (``id`` of their ``let`` or parameter, and name)."""

    closures: dict[int, ClosurePlan]
    celled: set[tuple[int, str]]


#: Bindings a cell can hold: those made by a ``let`` or a parameter (not by a
#: pattern, a loop or a match arm).
_CELL_BINDINGS = (A.Let, A.Param)


def closure_plans(params: list[A.Param], body: Optional[A.Node]) -> Plans:
    """Decide, for each closure of a function, how copying values builds it exactly
    (:class:`ClosurePlan`). A captured variable lives in a cell when a closure changes
    it, or when it changes while a closure that captures it lives (later in the
    function, or in a loop around the closure); a ``move`` closure copies values
    instead, into fresh cells for those it changes. A closure is refused when it
    captures a variable bound inside a loop around it (tier 0's closures share such a
    variable across iterations) or a variable a cell cannot hold (bound by a pattern)."""
    w = _ValueWalker()
    for p in params:
        w.bind_all([p.name] + pattern_names(p.pattern), p)
    w.visit(body)
    nodes: dict[int, A.Closure] = {}
    stack = [body] if body is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, A.Closure):
            nodes[id(n)] = n
        if n is not None and not isinstance(n, ITEM_NODES):
            stack.extend(A.children(n))
    changed_inside = {(id(c.binding), c.name) for caps in w.out.values() for c in caps.changes}
    plans: dict[int, ClosurePlan] = {}
    celled: set[tuple[int, str]] = set()
    for key, caps in w.out.items():
        clo = nodes[key]
        plan = plans[key] = ClosurePlan(caps)
        if clo.move:
            plan.own = [c.name for c in caps.changes]
            continue
        start, end, loops = w.span[key]
        for cap in caps.reads:
            b = id(cap.binding)
            if set(w.bound_in.get(b, ())) & set(loops):
                plan.refused = (f"a closure that captures '{cap.name}', a variable of the "
                                "loop it is in,")
                break
            later = any(not start < site.pos <= end
                        and (site.pos > end or set(site.loops) & set(loops))
                        for site in w.changes.get(b, ()))
            if (b, cap.name) in changed_inside or later:
                celled.add((b, cap.name))
    for key, plan in plans.items():
        if plan.refused is not None or nodes[key].move:
            continue
        for cap in plan.captures.reads:
            if (id(cap.binding), cap.name) not in celled:
                continue
            if not isinstance(cap.binding, _CELL_BINDINGS):
                plan.refused = (f"a closure that shares '{cap.name}', which a pattern or a "
                                "loop binds and which changes,")
                break
            plan.cells.append(cap.name)
    return Plans(plans, celled)


__all__ = ["Capture", "Captures", "ClosurePlan", "Plans", "changed_roots", "closure_plans",
           "function_captures", "has_closure", "pattern_names"]

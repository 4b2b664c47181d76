"""Rust's implicit reborrow of ``&mut`` parameters, made explicit in the AST.

In Rust, a function that holds ``a: &mut Vec<i64>`` and calls ``g(a)`` where ``g`` takes
``&mut Vec<i64>`` passes the same array on: the reference is reborrowed, nothing is
copied. Ruchy passes arrays by value unless the call says ``&mut``, so without this
rewrite a recursive ``qsort(a, lo, j)`` would sort a copy and the caller would never see
it (a Rust programmer's quicksort silently not sorting).

The rewrite turns such an argument into ``&mut a`` before any tier sees the program, so
the interpreter, the compiled tiers and the JIT agree by construction. It applies only
when both sides say ``&mut``: the argument is a plain name that, at the call, is a
``&mut`` reference, and the callee is a user function whose parameter at that position
is declared ``&mut``. A name is a ``&mut`` reference where it refers to a parameter of
the enclosing function declared ``&mut``, to a pattern's binding that is one (``ref mut
x``, or a plain binding of a pattern matched against ``&mut e`` or against such a
parameter: Rust's default binding mode, as resolve/patterns.py binds it), to the
variable of ``for x in v.iter_mut()`` / ``for x in &mut v``, or to ``r`` of ``let r =
&mut e``; a ``let``, loop variable or other binding of the same name hides it. Everything else keeps value semantics
(LANGUAGE.md).
"""
from __future__ import annotations

from typing import Optional

from . import ast as A


def _mut_ref(t: Optional[A.TypeRef]) -> bool:
    return t is not None and t.kind == "ref" and t.mutable


def reborrow(prog: A.Program) -> None:
    """Rewrite, in place, every argument of ``prog`` that Rust would reborrow."""
    table = _Callees()
    table.collect(prog.items, "", None)
    if not table.any_mut:
        return
    for f, module, owner in table.bodies:
        refs = frozenset(p.name for p in f.params if _mut_ref(p.type) and p.name != "self")
        _Rewriter(table, module, owner).node(f.body, refs)


class _Callees:
    """Which parameters of each user function are declared ``&mut``: by the path a call
    names it with (``f``, ``m::f``, ``Type::f``), and, for methods, by method name."""

    def __init__(self) -> None:
        self.paths: dict[str, list[bool]] = {}
        self.methods: dict[str, list[list[bool]]] = {}
        self.bodies: list[tuple[A.FunDef, str, Optional[str]]] = []
        self.any_mut = False

    def collect(self, items: list[A.Node], module: str, owner: Optional[str]) -> None:
        for it in items:
            if isinstance(it, A.FunDef):
                flags = [_mut_ref(p.type) for p in it.params]
                self.any_mut = self.any_mut or any(flags)
                prefix = f"{owner}::" if owner else f"{module}::" if module else ""
                self.paths[prefix + it.name] = flags
                if owner and it.params and it.params[0].name == "self":
                    self.methods.setdefault(it.name, []).append(flags[1:])
                if it.body is not None:
                    self.bodies.append((it, module, owner))
            elif isinstance(it, A.ImplDef):
                self.collect(it.items, module, it.type_name)
            elif isinstance(it, A.TraitDef):
                self.collect(it.items, module, it.name)
            elif isinstance(it, A.ModDef):
                self.collect(it.items, f"{module}::{it.name}" if module else it.name, None)

    def of_call(self, callee: A.Node, module: str, owner: Optional[str]) -> Optional[list[bool]]:
        """The flags of the function a call's callee names (None: not a user function)."""
        if isinstance(callee, A.Name):
            if module and f"{module}::{callee.id}" in self.paths:
                return self.paths[f"{module}::{callee.id}"]
            return self.paths.get(callee.id)
        if isinstance(callee, A.Path):
            head = owner if callee.owner == "Self" and owner else callee.owner
            for key in (f"{head}::{callee.name}", f"{module}::{head}::{callee.name}"):
                if key in self.paths:
                    return self.paths[key]
        return None

    def of_method(self, name: str) -> Optional[list[bool]]:
        """The flags of the arguments of user method ``name`` if every type that defines
        it agrees on them."""
        found = self.methods.get(name)
        if not found or any(f != found[0] for f in found):
            return None
        return found[0]


def pattern_names(pat: A.Node, through_mut: bool) -> tuple[set[str], set[str]]:
    """(references, others): the names pattern ``pat`` binds that are ``&mut``
    references (``ref mut x``; a plain ``x`` when ``through_mut``: the matched value is
    a ``&mut``, outside any ``&pat``) and the names it binds otherwise."""
    refs: set[str] = set()
    others: set[str] = set()
    stack = [(pat, through_mut)]
    while stack:
        p, mut = stack.pop()
        if isinstance(p, A.Pattern):
            if p.kind == "bind":
                is_ref = (p.by_ref and p.mutable) or (mut and not p.by_ref and not p.mutable)
                (refs if is_ref else others).add(p.value)
                if p.sub is not None:
                    stack.append((p.sub, mut))
        elif isinstance(p, (A.TuplePat, A.SlicePat, A.TupleStructPat)):
            stack.extend((e, mut) for e in p.elems)
        elif isinstance(p, A.StructPat):
            stack.extend((f.pat, mut) for f in p.fields)
        elif isinstance(p, A.OrPat):
            stack.extend((a, mut) for a in p.alts)
        elif isinstance(p, A.RefPat):
            stack.append((p.pat, False))
        elif isinstance(p, A.RestPat) and p.name:
            (refs if mut else others).add(p.name)
    return refs, others - refs


#: Methods whose result is a ``&mut`` (or an Option of one) into their receiver.
_MUT_ACCESSORS = frozenset({"as_mut", "get_mut", "last_mut", "first_mut", "as_deref_mut",
                            "peek_mut", "front_mut", "back_mut"})


def _through_mut(value: A.Node, refs: frozenset[str]) -> bool:
    """Whether the names a pattern matching ``value`` binds are ``&mut`` references
    (Rust's default binding mode under ``&mut``, or a ``&mut`` that the value holds:
    ``if let Some(n) = node.left.as_mut()``)."""
    return (isinstance(value, A.Ref) and value.mutable) or (
        isinstance(value, A.Name) and value.id in refs) or (
        isinstance(value, A.MethodCall) and value.method in _MUT_ACCESSORS)


def _with(refs: frozenset[str], pat: A.Node, value: Optional[A.Node]) -> frozenset[str]:
    """``refs`` in the scope of the bindings of ``pat`` (matched against ``value``)."""
    new, hidden = pattern_names(pat, value is not None and _through_mut(value, refs))
    return (refs - hidden) | new


def _iter_mut(it: A.Node) -> bool:
    """Whether a ``for`` loop over ``it`` binds ``&mut`` elements (``&mut v``,
    ``v.iter_mut()``, ``m.values_mut()``, and those through ``enumerate()``/``rev()``...:
    a tuple's other parts are plain values, never passed as ``&mut``)."""
    while isinstance(it, A.MethodCall) and it.method in ("enumerate", "rev", "skip",
                                                         "take", "zip", "step_by"):
        it = it.receiver
    return (isinstance(it, A.Ref) and it.mutable) or (
        isinstance(it, A.MethodCall) and it.method in ("iter_mut", "values_mut")
        and not it.args)


class _Rewriter:
    """Walks one function body (of ``module``, in an impl or trait of ``owner``),
    tracking which names denote ``&mut`` references (a binding of the same name hides
    one for its scope)."""

    def __init__(self, table: _Callees, module: str, owner: Optional[str]) -> None:
        self.table = table
        self.module = module
        self.owner = owner

    def node(self, n: A.Node, refs: frozenset[str]) -> None:
        if isinstance(n, A.Block):
            self.block(n, refs)
        elif isinstance(n, (A.For, A.ForRange)):
            for c in A.children(n):
                if c is not n.body:
                    self.node(c, refs)
            if isinstance(n, A.For) and n.pattern is not None:
                new, hidden = pattern_names(n.pattern, _iter_mut(n.iterable))
                inner = (refs - hidden) | new
            elif isinstance(n, A.For) and _iter_mut(n.iterable):
                inner = refs | {n.var}
            else:
                inner = refs - {n.var}
            self.node(n.body, inner)
        elif isinstance(n, A.Match):
            self.node(n.scrutinee, refs)
            for arm in n.arms:
                inner = refs
                for p in arm.patterns:
                    inner = _with(inner, p, n.scrutinee) if inner is refs else \
                        inner & _with(refs, p, n.scrutinee)
                if arm.guard is not None:
                    self.node(arm.guard, inner)
                self.node(arm.body, inner)
        elif isinstance(n, (A.IfLet, A.WhileLet)):
            self.node(n.value, refs)
            self.node(n.then if isinstance(n, A.IfLet) else n.body,
                      _with(refs, n.pattern, n.value))
            if isinstance(n, A.IfLet) and n.orelse is not None:
                self.node(n.orelse, refs)
        else:
            if isinstance(n, (A.Call, A.MethodCall)):
                self.call(n, refs)
            for c in A.children(n):
                self.node(c, refs)

    def block(self, b: A.Block, refs: frozenset[str]) -> None:
        for s in b.stmts:
            self.node(s, refs)
            if isinstance(s, A.Let) and isinstance(s.value, A.Ref) and s.value.mutable:
                refs = refs | {s.name}  # `let r = &mut x;` for the rest of this block
            elif isinstance(s, A.Let) and s.name in refs:
                refs = refs - {s.name}  # hidden for the rest of this block only
            elif isinstance(s, A.LetPat):
                refs = _with(refs, s.pattern, s.value)

    def call(self, c: A.Node, refs: frozenset[str]) -> None:
        if isinstance(c, A.MethodCall):
            flags = self.table.of_method(c.method)
        elif c.macro:
            return
        else:
            flags = self.table.of_call(c.callee, self.module, self.owner)
        if flags is None or len(flags) != len(c.args):
            return
        for i, (arg, want) in enumerate(zip(c.args, flags)):
            if want and isinstance(arg, A.Name) and arg.id in refs:
                c.args[i] = A.Ref(True, arg, span=arg.span)

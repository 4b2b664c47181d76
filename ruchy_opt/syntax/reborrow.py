"""Rust's implicit reborrow of ``&mut`` parameters, made explicit in the AST.

In Rust, a function that holds ``a: &mut Vec<i64>`` and calls ``g(a)`` where ``g`` takes
``&mut Vec<i64>`` passes the same array on: the reference is reborrowed, nothing is
copied. Ruchy passes arrays by value unless the call says ``&mut``, so without this
rewrite a recursive ``qsort(a, lo, j)`` would sort a copy and the caller would never see
it (a Rust programmer's quicksort silently not sorting).

The rewrite turns such an argument into ``&mut a`` before any tier sees the program, so
the interpreter, the compiled tiers and the JIT agree by construction. It applies only
when both sides say ``&mut``: the argument is a plain name that, at the call, refers to a
parameter of the enclosing function declared ``&mut`` (not shadowed by a ``let``, a loop
variable or a match binding), and the callee is a user function whose parameter at that
position is declared ``&mut``. Everything else keeps value semantics (LANGUAGE.md).
"""
from __future__ import annotations

from typing import Optional

from . import ast as A


def _mut_ref(t: Optional[A.TypeRef]) -> bool:
    return t is not None and t.kind == "ref" and t.mutable


def reborrow(prog: A.Program) -> None:
    """Rewrite, in place, every argument of ``prog`` that Rust would reborrow."""
    takes_mut = {f.name: [_mut_ref(p.type) for p in f.params]
                 for f in prog.items if isinstance(f, A.FunDef)}
    if not any(any(flags) for flags in takes_mut.values()):
        return
    for f in prog.items:
        if isinstance(f, A.FunDef):
            refs = frozenset(p.name for p in f.params if _mut_ref(p.type))
            if refs:
                _Rewriter(takes_mut).node(f.body, refs)


class _Rewriter:
    """Walks one function body, tracking which names still denote its ``&mut``
    parameters (a binding of the same name hides the parameter for its scope)."""

    def __init__(self, takes_mut: dict[str, list[bool]]) -> None:
        self.takes_mut = takes_mut

    def node(self, n: A.Node, refs: frozenset[str]) -> None:
        if isinstance(n, A.Block):
            self.block(n, refs)
        elif isinstance(n, (A.For, A.ForRange)):
            for c in A.children(n):
                if c is not n.body:
                    self.node(c, refs)
            self.node(n.body, refs - {n.var})
        elif isinstance(n, A.Match):
            self.node(n.scrutinee, refs)
            for arm in n.arms:
                hidden = {p.value for p in arm.patterns if p.kind == "bind"}
                inner = refs - hidden
                if arm.guard is not None:
                    self.node(arm.guard, inner)
                self.node(arm.body, inner)
        else:
            if isinstance(n, A.Call):
                self.call(n, refs)
            for c in A.children(n):
                self.node(c, refs)

    def block(self, b: A.Block, refs: frozenset[str]) -> None:
        for s in b.stmts:
            self.node(s, refs)
            if isinstance(s, A.Let) and s.name in refs:
                refs = refs - {s.name}  # hidden for the rest of this block only
            if not refs:
                return

    def call(self, c: A.Call, refs: frozenset[str]) -> None:
        if c.macro or not isinstance(c.callee, A.Name):
            return
        flags = self.takes_mut.get(c.callee.id)
        if flags is None or len(flags) != len(c.args):
            return
        for i, (arg, want) in enumerate(zip(c.args, flags)):
            if want and isinstance(arg, A.Name) and arg.id in refs:
                c.args[i] = A.Ref(True, arg, span=arg.span)

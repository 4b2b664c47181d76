"""References re-pointed by assignment: refused, decided once for tier 0 and the IR.

Both back ends keep a ``&mut`` reference as a value of its own written back into the
place it was made from (resolve/writes.py), a place fixed where the reference is
made. A variable holding a ``&mut`` reference that is later assigned another one
(``let mut cur = &mut head; while let Some(n) = cur { cur = &mut n.next; }``,
``cur = n.next.as_mut()``, ``let mut r = &mut a; r = &mut b;``) would need the place
decided at run time; until the back ends do that, such an assignment is an error at
the assignment (it used to run with the writes going to the first place).
"""
from __future__ import annotations

from typing import Iterable, Optional

from ..errors import RuchySyntaxError
from ..syntax import ast as A
from .writes import VIEWS

#: The message of the error.
MESSAGE = ("a reference re-pointed by assignment is not supported yet "
           "('{}' holds a '&mut' reference)")

#: Reference variables in scope: name -> whether it may be assigned (``mut``).
Refs = dict


def _is_mut_ref_type(t: Optional[A.TypeRef]) -> bool:
    return t is not None and t.kind == "ref" and t.mutable


def _makes_mut_ref(value: Optional[A.Node], type_: Optional[A.TypeRef],
                   refs: Refs) -> bool:
    """Whether a ``let`` of ``value`` (annotated ``type_``) holds a ``&mut``
    reference, or an Option of one (``place.as_mut()``): made there, or copied from a
    variable that holds one (``let mut cur = head;`` of a ``head: &mut T``)."""
    if _is_mut_ref_type(type_):
        return True
    if isinstance(value, A.Ref) and value.mutable:
        return True
    if isinstance(value, A.Name) and value.id in refs:
        return True
    return isinstance(value, A.MethodCall) and bool(VIEWS.get(value.method)) \
        and not value.args


def _repoints(value: A.Node, name: str, refs: Refs) -> bool:
    """Whether assigning ``value`` to the reference variable ``name`` points it at
    another place: a ``&mut`` made there (``&mut node.next``, ``n.next.as_mut()``)
    or another reference variable (not ``name`` itself: ``r = r`` changes nothing;
    another value is Ruchy's copy into the variable, as before)."""
    if isinstance(value, A.Name):
        return value.id != name and value.id in refs
    return _makes_mut_ref(value, None, {})


def check(prog: A.Program) -> None:
    """RuchySyntaxError at the first assignment (``=``) of another reference
    (:func:`_repoints`) to a variable that holds a ``&mut`` reference: one bound by ``let mut r = &mut ..`` (or ``.as_mut()``, or a
    copy of a reference, or annotated ``&mut T``), or a parameter ``mut r: &mut T``."""
    _walk(prog.items, {})


def _walk(nodes: Iterable[Optional[A.Node]], refs: Refs) -> None:
    """Check ``nodes`` with ``refs`` the reference variables in scope."""
    for n in nodes:
        if n is None:
            continue
        if isinstance(n, A.Block):
            _block(n.stmts, refs)
            continue
        if isinstance(n, (A.FunDef, A.Closure)):
            inner: Refs = dict(refs) if isinstance(n, A.Closure) else {}
            for p in getattr(n, "params", None) or []:
                if isinstance(p, A.Param):
                    inner.pop(p.name, None)
                    if _is_mut_ref_type(p.type):
                        inner[p.name] = p.mutable
            _walk([c for c in A.children(n) if not isinstance(c, A.Param)], inner)
            continue
        if isinstance(n, A.Assign) and n.op == "=" and isinstance(n.target, A.Name) and \
                refs.get(n.target.id) and _repoints(n.value, n.target.id, refs):
            raise RuchySyntaxError(MESSAGE.format(n.target.id), A.error_span(n))
        _walk(A.children(n), refs)


def _block(stmts: list, refs: Refs) -> None:
    """A block's statements in order: a ``let`` starts (or, shadowing, ends) a
    reference variable's scope for the statements after it."""
    for s in stmts:
        if isinstance(s, A.Let):
            _walk([s.value], refs)
            refs = dict(refs)
            if _makes_mut_ref(s.value, s.type, refs):
                refs[s.name] = s.mutable
            else:
                refs.pop(s.name, None)
            continue
        _walk([s], refs)


__all__ = ["MESSAGE", "check"]

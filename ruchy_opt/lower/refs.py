"""References in the IR: ``ref mut`` bindings written back into the matched place, and
the places a ``*r = v`` may write.

Structs, tuples, variants and scalars are SSA values, so a binding is a value of its
own, not an alias of the part of the matched value it came from. A ``ref mut``
binding (written, or by Rust's default binding mode when matching ``&mut e``: the
resolution layer's plan says which) that its scope changes is therefore *written
back*: at the end of the arm, ``if let`` or ``while let`` body, and after each later
statement of a ``let``'s block that changes it, the matched value is rebuilt with
the binding's value at its access path (``insert`` into a tuple or struct, a new
``variant`` with that payload field replaced, ``set_index`` into an array element)
and stored into the matched place (places.locate). That is what tier 0 does
(interp/bindings.write_back), and what Rust's aliasing makes visible: the place has
the new value once the binding's scope is over. A plain binding assigned through
``*x = ..`` is written back too, as tier 0 does.

``*r = v`` and ``*r op= v`` assign ``r`` itself, which is right where ``r`` is one of
those bindings or an in-out parameter (lower/methods.inout_params: the caller stores
its final value back). Anything else (a reference made by ``let r = &mut x``) is
refused, as is what the write-back cannot do yet (alternatives binding the name, a
tuple literal matched). An edge that leaves the scope early (``break``, ``continue``,
``return``, ``?``) writes the bindings back first (:func:`on_exits`, exits.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Collection, Optional, Sequence

from ..ir.core import Value
from ..resolve import overwrites, writes
from ..resolve.plans import Access, Binding, PatternPlan, Row
from ..syntax import ast as A
from .level3 import NotInIR

if TYPE_CHECKING:
    from .function import FunctionLowerer

Store = Optional[Callable[[Value], None]]


def deref_assigned(nodes: Sequence[Optional[A.Node]]) -> set[str]:
    """The names assigned through ``*name = ..`` / ``*name op= ..`` in ``nodes``."""
    return writes.deref_assigned(nodes)


def passed_on(nodes: Sequence[Optional[A.Node]]) -> set[str]:
    """The names passed as a whole to a call (``inc(n)``, ``inc(&mut n)``): a
    ``&mut`` parameter passed on, which the callee may change."""
    out: set[str] = set()
    stack = [n for n in nodes if n is not None]
    while stack:
        n = stack.pop()
        if isinstance(n, A.MethodCall) or (isinstance(n, A.Call) and not n.macro):
            for a in n.args:  # (`inc(n)` of a `&mut` parameter parses as `inc(&mut n)`)
                while isinstance(a, A.Ref) and a.mutable:
                    a = a.operand
                if isinstance(a, A.Name):
                    out.add(a.id)
        stack.extend(c for c in A.children(n) if c is not None)
    return out


def changed(nodes: Sequence[Optional[A.Node]], info: object) -> set[str]:
    """The names the code of ``nodes`` may change (assigned, ``&mut``, a method that
    may change its receiver): resolve/writes.changed_names, as tier 0."""
    return writes.changed_names(nodes, info)[1]


def written_back(plan: PatternPlan, scope: Sequence[Optional[A.Node]], info: object,
                 value: Optional[A.Node], also: Collection[str] = ()) -> list[Binding]:
    """The bindings of ``plan`` that are written back after ``scope`` (see the module
    docstring), at its end and on each edge that leaves it early (:func:`on_exits`),
    and the ``ref mut`` ones named in ``also`` (changed another way: through a
    reference made from them); NotInIR for one the IR cannot write back."""
    out: list[Binding] = []
    back = writes.written_back(plan, scope, info, also)
    on = passed_on(scope)  # (a `ref mut` binding passed on: maybe to a `&mut`)
    if on:
        back += [b for r in plan.rows for b in r.binds
                 if b.mode == "ref_mut" and b.name in on and b not in back]
    for b in back:
        if len(plan.rows) > 1:
            raise NotInIR(f"the 'ref mut' binding '{b.name}' changed in its scope "
                          "(a pattern with alternatives)", b.span)
        if any(s[0] == "slice" for s in b.access):
            continue  # a new array: nothing to write back to (as tier 0)
        if any(s[0] == "elem" for s in b.access[1:]) or any(
                s[0] == "tup" and s[1] < 0 for s in b.access):
            raise NotInIR(f"the 'ref mut' binding '{b.name}' changed in its scope "
                          "(inside an array element or after '..')", b.span)
        if isinstance(value, A.TupleLit) or (isinstance(value, A.Ref) and
                                             isinstance(value.operand, A.TupleLit)):
            raise NotInIR(f"the 'ref mut' binding '{b.name}' changed in its scope "
                          "(of a tuple literal)", b.span)
        out.append(b)
    return out


def overwritten(lw: "FunctionLowerer", plan: PatternPlan, value: Optional[A.Node],
                scope: Sequence[Optional[A.Node]], per_statement: bool = False
                ) -> list[overwrites.Overwrite]:
    """The statements of ``scope`` after which the bindings of ``plan`` are not
    written back (the matched place is overwritten: resolve/overwrites.py, as tier
    0). ``per_statement``: a ``let``'s, whose scope is the rest of its block."""
    stmts = scope if per_statement else overwrites.scope_statements(*scope)
    return overwrites.decide_for(plan, value, scope, stmts, lw.ctx.info, per_statement)


def after_overwrite(lw: "FunctionLowerer", ows: Sequence[overwrites.Overwrite],
                    done: Callable[[], None], again: Callable[[], None]) -> None:
    """Run ``done`` once each statement of ``ows`` is lowered (FunctionLowerer.block),
    and ``again`` once its ``resume`` is (the write-backs are back)."""
    for ow in ows:
        lw.overwrites.setdefault(id(ow.stmt), []).append(done)
        if ow.resume is not None:
            lw.overwrites.setdefault(id(ow.resume), []).append(again)


def let_borrow(lw: "FunctionLowerer", node: A.Let) -> bool:
    """``let r = &mut place;`` as the binding of ``let ref mut r = place;``
    (resolve/writes.borrowed_place: a value of its own, written back into ``place``
    after each statement that changes it and on the edges that leave its block early,
    as tier 0 does); False for another ``let``. NotInIR where the rest of the block
    uses ``r`` as a value of its own (resolve/writes.moved_use: a copy would not write
    back)."""
    place = writes.borrowed_place(node)
    if place is None:
        return False
    stmts, i = lw.stmt_at
    if not (i < len(stmts) and stmts[i] is node):
        return False  # (not a statement of a block: the rest of its scope is not known)
    used = writes.moved_use(node.name, stmts[i + 1:])
    if used is not None:
        raise NotInIR(f"a use of '{node.name}', a reference made by 'let', as a value of "
                      "its own", used.span)
    from .matching import let_pattern
    pat = A.Pattern("bind", node.name, mutable=True, by_ref=True, span=node.span)
    let_pattern(lw, A.LetPat(pat, None, node.value, span=node.span), stmt=node)
    return True


def matched_place(lw: "FunctionLowerer", value: A.Node) -> tuple[Value, Store]:
    """The matched value of a pattern whose bindings are written back, and the store
    into its place (None: it is not a place, so nothing sees the bindings' changes)."""
    from .places import locate
    node = value.operand if isinstance(value, A.Ref) else value
    while isinstance(node, A.Deref):
        node = node.operand
    if not _is_place(node):
        return lw.expr(value.operand if isinstance(value, A.Ref) else value), None
    return locate(lw, node, any_element=True)


def _is_place(node: A.Node) -> bool:
    while isinstance(node, (A.Field, A.Index)):
        node = node.target
    if isinstance(node, A.Deref):
        node = node.operand
    return isinstance(node, A.Name)


def allow(lw: "FunctionLowerer", names: Sequence[str]) -> None:
    """Let ``*name = ..`` assign the current variables of ``names`` (bindings that are
    references: a ``ref mut``, or one whose changes are written back)."""
    for n in names:
        var = lw.lookup(n)
        if var is not None:
            lw.ref_vars.add(var)


def reference_bindings(plan: PatternPlan) -> list[str]:
    """The names ``plan`` binds as ``ref mut`` (in every row)."""
    return [n for n in plan.names
            if all(b.mode == "ref_mut" for r in plan.rows for b in r.binds if b.name == n)]


def write_back(lw: "FunctionLowerer", binds: Sequence[Binding], row: Row, subject: Value,
               store: Store, node: A.Node, variables: Optional[dict] = None) -> Value:
    """Store the current values of ``binds`` (of the plan row ``row``) into the matched
    value ``subject`` and that into its place; the matched value as stored (what a
    later write-back of the same bindings starts from). ``variables``: the bindings'
    variables by name (else looked up in the current scopes)."""
    if store is None or not binds:
        return subject
    shapes = {t.access: t.value for t in row.tests if t.op == "variant"}
    root = subject
    for b in binds:
        var = variables.get(b.name) if variables is not None else lw.lookup(b.name)
        if var is None:
            continue
        root = _set_path(lw, root, b.access, lw.read(var), shapes, node)
    store(root)
    return root


def on_exits(lw: "FunctionLowerer", binds: Sequence[Binding], row: Row, subject: Value,
             store: Store, node: A.Node) -> Optional[Callable[[], object]]:
    """What an edge leaving the bindings' scope early emits (exits.py): the
    :func:`write_back` of ``binds``, with the variables bound now (a name the scope
    shadows later still means the binding); None if nothing is written back."""
    if store is None or not binds:
        return None
    variables = {b.name: lw.lookup(b.name) for b in binds}
    return lambda: write_back(lw, binds, row, subject, store, node, variables)


def _read_path(lw: "FunctionLowerer", agg: Value, acc: Access, shapes: dict,
               node: A.Node) -> Value:
    v = agg
    for k, step in enumerate(acc):
        parent = acc[:k]
        if step[0] == "field" and parent in shapes:
            from .enums import sum_type
            item = shapes[parent]
            v = lw.emit("payload", [v], imms=(sum_type(lw, item.enum, node.span), item.name,
                                              step[1]), node=node)
        elif step[0] == "elem":
            v = lw.emit("elem_at", [v], imms=(step[1],), node=node)
        else:
            v = lw.emit("extract", [v], imms=(str(step[1]),), node=node)
    return v


def _set_path(lw: "FunctionLowerer", agg: Value, acc: Access, new: Value, shapes: dict,
              node: A.Node) -> Value:
    """``agg`` with the part at ``acc`` replaced by ``new``: values rebuilt up to the
    root; an array element (only as the first step) is written in place."""
    while acc:
        parent_acc, step = acc[:-1], acc[-1]
        parent = _read_path(lw, agg, parent_acc, shapes, node)
        if step[0] == "elem":  # the matched array itself (written_back allows no other)
            i = lw.const(step[1])
            if step[1] < 0:
                i = lw.emit("add", [lw.emit("len", [parent], node=node), i], node=node)
            lw.emit("set_index", [parent, i, new], node=node)
            return agg
        if step[0] == "field" and parent_acc in shapes:
            from .enums import sum_type
            item = shapes[parent_acc]
            t = sum_type(lw, item.enum, node.span)
            fields = [new if f == step[1] else
                      lw.emit("payload", [parent], imms=(t, item.name, f), node=node)
                      for f in item.fields]
            new = lw.emit("variant", fields, imms=(t, item.name), node=node)
        else:
            new = lw.emit("insert", [parent, new], imms=(str(step[1]),), node=node)
        acc = parent_acc
    return new


def check_deref_assign(lw: "FunctionLowerer", target: A.Node) -> None:
    """Refuse ``*r = v`` unless ``r`` is an in-out parameter or a binding whose changes
    reach the matched place (the only references the IR keeps)."""
    node = target
    through = False
    while isinstance(node, (A.Field, A.Index, A.Deref)):
        through = through or isinstance(node, A.Deref)
        node = node.operand if isinstance(node, A.Deref) else node.target
    if not isinstance(node, A.Name):
        return
    var = lw.lookup(node.id)
    if var is None:
        return
    if var in lw.let_refs and target is not node:
        raise NotInIR(f"a write through '{node.id}', a reference made by 'let'",
                      A.error_span(target))
    if through and var not in lw.inout and var not in lw.ref_vars:
        raise NotInIR(f"an assignment through '*{node.id}' (not a '&mut' parameter or a "
                      "'ref mut' binding)", A.error_span(target))


__all__ = ["after_overwrite", "overwritten", "allow", "changed", "let_borrow", "on_exits", "passed_on", "check_deref_assign", "deref_assigned", "matched_place",
           "reference_bindings", "write_back", "written_back"]

"""Lowering of places (``x``, ``a[i]``, ``a[i][j]``, ``p.x``, ``a[i].pos.x``, ``t.1.0``)
and of assignment to them.

An assignment to a variable is a new SSA definition. A write into an array goes
through the array object the variable refers to: ``elem_mut`` makes each inner array
private on the way down and ``set_index`` writes (copy on write keeps other holders of
the same storage unchanged), exactly as tier 0 does.

Structs and tuples are SSA values (ir/ops_aggregate.py), so a write to a field is a
new value of its aggregate: ``p.pos.x = v`` is ``insert "x"`` into ``p.pos``, then
``insert "pos"`` of that into ``p``, and a new definition of ``p``. Where the path
passes through an array element (``a[i].pos.x = v``), the rebuilt element is stored
back with ``set_index``. A place that is written *through* (the receiver of ``push``,
``&mut p.items``) is the array object itself, reached with ``extract`` (an aggregate
holds its own arrays) and ``elem_own`` (an element made private, as tier 0's ``own``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from ..ir.core import Value
from ..ir.ops_arith import OP_OF_OPERATOR
from ..syntax import ast as A

if TYPE_CHECKING:
    from .function import FunctionLowerer


def place_steps(node: A.Node) -> tuple[A.Node, list[A.Node]]:
    """Split a place into its root and its Index and Field steps, outermost first."""
    steps: list[A.Node] = []
    while isinstance(node, (A.Index, A.Field)):
        steps.append(node)
        node = node.target
    if isinstance(node, A.Deref):
        node = node.operand
    return node, steps[::-1]


def _step_span(lw: "FunctionLowerer", step: A.Node) -> A.Span:
    if isinstance(step, A.Field):
        from .aggregates import field_span
        return field_span(step)
    return A.error_span(step)


def place(lw: "FunctionLowerer", node: A.Node) -> Value:
    """The object a place holds, made private for writing through it (``&mut a``, the
    receiver of ``a.push(v)``, ``&mut p.items``); any other expression is just
    evaluated."""
    return locate(lw, node, any_element=False)[0]


def locate(lw: "FunctionLowerer", node: A.Node, any_element: bool = True
           ) -> tuple[Value, Optional[Callable[[Value], None]]]:
    """The value at a place, private for writing through it, and a function that stores
    a new value there (None: ``node`` is not a place, only a value). The last element
    of a path that ends in ``[i]`` must be an array unless ``any_element`` (a ``&mut
    self`` receiver may be a struct). Index expressions are evaluated once, here: the
    store writes to the element that was read. The store reads the holders of the
    place again (the variable as it is then, and down the path): a write-back of
    another reference into the same variable may have changed them since
    (``let b = &mut a.x; let l = &mut a.y;``, each stored back in turn)."""
    root, steps = place_steps(node)
    var = lw.lookup(root.id) if isinstance(root, A.Name) else None
    if var is None:
        return lw.expr(node), None
    idx: list[Optional[Value]] = []

    def step_into(v: Value, k: int) -> Value:
        step = steps[k]
        if isinstance(step, A.Field):
            return lw.emit("extract", [v], imms=(step.name,), span=_step_span(lw, step))
        # an element that a field is read from next need not be an array
        then_field = k + 1 < len(steps) and isinstance(steps[k + 1], A.Field)
        last_any = k + 1 == len(steps) and any_element
        return lw.emit("elem_own" if then_field or last_any else "elem_mut", [v, idx[k]],
                       node=step)
    v = lw.read(var)
    for k, step in enumerate(steps):  # (each index evaluated before its element is read)
        idx.append(lw.expr(step.index) if isinstance(step, A.Index) else None)
        v = step_into(v, k)

    def store(new: Value) -> None:
        holders = [lw.read(var)]
        for k in range(len(steps) - 1):
            holders.append(step_into(holders[-1], k))
        for k in range(len(steps) - 1, -1, -1):
            step = steps[k]
            if isinstance(step, A.Index):
                lw.emit("set_index", [holders[k], idx[k], new], node=node)
                return
            new = lw.emit("insert", [holders[k], new], imms=(step.name,),
                          span=_step_span(lw, step))
        lw.write(var, new)
    return v, store


def gives_place(lw: "FunctionLowerer", node: A.Node) -> bool:
    """Whether ``node`` is a call of a built-in method whose value is a reference into
    its receiver (``m.get_mut(&k).unwrap()``, ``e.or_insert(0)``: resolve/iterators)."""
    from ..resolve.iterators import place_call
    return place_call(lw.ctx.info, node) is not None


def runtime_value(lw: "FunctionLowerer", node: A.Node) -> bool:
    """Whether ``node`` is a call of a built-in method (its value is the runtime's: a
    vacant entry's ``insert`` gives a reference into the map)."""
    from .level3 import user_methods
    return isinstance(node, A.MethodCall) and (
        lw.ctx.names is None or user_methods(lw.ctx.names, node.method) is None)


def may_be_reference(lw: "FunctionLowerer", node: A.Node) -> bool:
    """Whether the value of ``node`` may be a reference into a collection (a cell whose
    ``*`` is its value): a place method's value, or a variable that may hold one."""
    while isinstance(node, A.Deref):
        node = node.operand
    if isinstance(node, A.Name):
        var = lw.lookup(node.id)
        return var is not None and var in lw.place_vars
    return gives_place(lw, node)


def assign_through(lw: "FunctionLowerer", node: A.Assign) -> bool:
    """``*r = v`` / ``*r op= v`` through a reference into a collection, tier 0's way
    (interp/places.store, collections.assign_through): ``r`` a place method's value
    (``*e.get_mut() += 1``) or a variable that may hold one; the value first, then
    ``r``, then ``deref`` (for ``op=``) and ``deref_set``, which writes into the cell or
    the element. False if ``node`` is no such assignment.

    Refused: ``*r = v`` of a value that may be a struct or enum (``deref_set`` would
    change the element object in place, which the IR's values, merged by gvn when
    equal, must never see), and ``*r op= v`` in a program with operator traits."""
    t = node.target
    if not isinstance(t, A.Deref):
        return False
    inner = t.operand
    while isinstance(inner, A.Deref):
        inner = inner.operand
    var = None
    if isinstance(inner, A.Name):
        var = lw.lookup(inner.id)
        if var is None or var not in lw.place_vars or var in lw.inout \
                or var in lw.ref_vars or var in lw.let_refs:
            return False
    elif not gives_place(lw, inner):
        return False
    op = node.op[:-1]
    from .level3 import NotInIR
    if op and _has_operator_traits(lw):
        raise NotInIR("an assignment 'op=' through a reference into a collection in a "
                      "program with operator traits", A.error_span(node))
    v = lw.expr(node.value)
    if not op:
        arith = isinstance(node.value, A.Binary) and node.value.op in OP_OF_OPERATOR \
            and not _has_operator_traits(lw)  # (without them `+` never makes a struct)
        if v.type not in ("i64", "f64", "bool", "str", "unit") and not arith:
            raise NotInIR("an assignment through a reference into a collection of a value "
                          "that may be a struct", A.error_span(node))
    r = lw.read(var) if var is not None else lw.expr(inner)
    if op:
        cur = lw.emit("deref", [r], node=t)
        v = lw.emit(OP_OF_OPERATOR[op], [cur, v], node=node)
    r2 = lw.emit("deref_set", [r, v], node=node)
    if var is not None:
        lw.write(var, r2)
    return True


def _has_operator_traits(lw: "FunctionLowerer") -> bool:
    from ..ir.traits import RUNTIME_TRAITS
    info = lw.ctx.info
    ops = {t for t, ms in RUNTIME_TRAITS.items() if any(a.startswith("_op_")
                                                       for a, _ in ms.values())}
    return info is not None and any(ops & set(ts) for ts in getattr(info, "impls", {}).values())


def assign(lw: "FunctionLowerer", node: A.Assign) -> None:
    """``place = value`` and ``place op= value``. As in Rust, the value is evaluated
    before the place's index expressions, and the variable is read after both."""
    from .iterators import entry_assign
    if entry_assign(lw, node):  # `*m.entry(k).or_insert(0) += 1`
        return
    from . import elemrefs
    if elemrefs.assign_through(lw, node):  # `*m.get_mut(&k).unwrap() += 1`: ref.elem
        return
    if assign_through(lw, node):  # `*e.get_mut() += 1`, `*r = 5` after `let r = v.insert(1)`
        return
    from .refs import check_deref_assign
    check_deref_assign(lw, node.target)
    root, steps = place_steps(node.target)
    idx_nodes = [s.index for s in steps if isinstance(s, A.Index)]
    op = node.op[:-1]
    vals = lw.operands([node.value] + idx_nodes)
    v, ivals = vals[0], iter(vals[1:])
    idx: list[Optional[Value]] = [next(ivals) if isinstance(s, A.Index) else None
                                  for s in steps]
    if op == "":
        v = lw.copied(v, node.value)
    if not isinstance(root, A.Name):
        raise AssertionError("the parser admits only named places")
    var = lw.lookup(root.id)
    if var is None:
        lw.fail(f"undefined name '{root.id}'", root)
        return
    if not steps:
        if op:
            v = lw.emit(OP_OF_OPERATOR[op], [lw.read(var), v], node=node)
        lw.write(var, v)
        return
    last_index = max((k for k, s in enumerate(steps) if isinstance(s, A.Index)), default=-1)
    if last_index < 0:  # fields only: rebuild the aggregate in the variable
        new = _update(lw, lw.read(var), steps, v, op, node)
        lw.write(var, new)
        return
    container = lw.read(var)  # the array the last index is into, private for writing
    for k in range(last_index):
        step = steps[k]
        if isinstance(step, A.Field):
            container = lw.emit("extract", [container], imms=(step.name,),
                                span=_step_span(lw, step))
        else:
            then_field = isinstance(steps[k + 1], A.Field)
            container = lw.emit("elem_own" if then_field else "elem_mut",
                                [container, idx[k]], node=step)
    i, at = idx[last_index], steps[last_index]
    rest = steps[last_index + 1:]
    if not rest:
        if op:  # the read fails where its `[..]` is; the store at the `=`
            cur = lw.emit("index", [container, i], node=at)
            v = lw.emit(OP_OF_OPERATOR[op], [cur, v], node=node)
        lw.emit("set_index", [container, i, v], node=node)
        return
    elem = lw.emit("index", [container, i], node=at)
    lw.emit("set_index", [container, i, _update(lw, elem, rest, v, op, node)], node=node)


def _update(lw: "FunctionLowerer", agg: Value, fields: list[A.Node], v: Value, op: str,
            node: A.Assign) -> Value:
    """``agg`` with the field path ``fields`` set to ``v`` (or combined with it by
    ``op``): extracts down, inserts back up."""
    chain_vals = [agg]
    for f in fields[:-1]:
        chain_vals.append(lw.emit("extract", [chain_vals[-1]], imms=(f.name,),
                                  span=_step_span(lw, f)))
    last = fields[-1]
    if op:
        cur = lw.emit("extract", [chain_vals[-1]], imms=(last.name,),
                      span=_step_span(lw, last))
        v = lw.emit(OP_OF_OPERATOR[op], [cur, v], node=node)
    for f, holder in zip(reversed(fields), reversed(chain_vals)):
        v = lw.emit("insert", [holder, v], imms=(f.name,), span=_step_span(lw, f))
    return v


"""Lowering of ranges, iterators and collections through the runtime (ir/ops_iter.py).

This is tier 0's translation (interp/iterators.py, interp/collections.py) rebuilt from
IR ops, so that every value is the runtime object tier 0 would have made and every
method the function tier 0 would have called:

- ``a..b`` as a value is ``range`` (a RangeIter);
- an adapter (``map``, ``filter``, ``take``...) whose receiver is syntactically an
  iterator (a range, ``v.iter()``, ``s.chars()``, an adapter: interp/iterators
  .is_iterator) gets ``iter.lazy`` of the receiver first, as tier 0's ``_lazy``, and is
  then the runtime's adapter (``method``): lazy, so a closure runs when a consumer
  pulls its item. An adapter on an array value stays the eager array method;
- ``collect`` is ``iter.collect`` into the target tier 0 reads from the turbofish
  (syntax/turbofish.py fills it from the annotation Rust would infer from); ``sum`` and
  ``product`` start from a float when the turbofish says ``f64``;
- ``HashMap::new()``, ``BTreeSet::from(..)``, ``VecDeque::with_capacity(n)``... are
  ``coll.new``/``coll.from`` of the collection's handle type (ir/handles.py);
- ``*m.entry(k).or_insert(d) op= x`` on a local map is ``map.entry_op``;
- ``for x in it`` over an iterator pulls ``iter.next`` from ``iter.items`` (tier 0's
  ``_iter``) until ``None``.

Chains whose shape is known (a range or ``v.iter()`` then adapters then a consumer)
are not sent through the runtime: lower/chains.py makes them one loop.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..ir.core import Value
from ..ir.enums import OPTION
from ..ir.handles import HandleType, handle_of
from ..resolve.iterators import SOURCES, collect_target, entry_update_parts, type_head
from ..resolve import iterators as _shared
from ..runtime.iterators import ADAPTERS
from ..syntax import ast as A
from .ssa import Var

if TYPE_CHECKING:
    from .function import FunctionLowerer

_FLOAT_TYPES = frozenset({"f64", "f32"})
#: ``T::new()``-like constructors of a collection, and those that take the items.
_NEW = frozenset({"new", "with_capacity", "default", "with_hasher", "with_capacity_and_hasher"})
_FROM = frozenset({"from", "from_iter"})
from ..resolve.iterators import PLACE_METHODS  # noqa: E402  (references into a collection)


def user_defines(lw_or_info: object, method: str) -> bool:
    """Whether a type of the program defines ``method`` (it then wins, as at tier 0)."""
    info = getattr(lw_or_info, "ctx", None)
    info = info.info if info is not None else lw_or_info
    return bool(info is not None and info.types_with_method(method))  # type: ignore


def is_iterator(info: object, node: A.Node) -> bool:
    """tier 0's test (resolve/iterators.is_iterator)."""
    return _shared.is_iterator(info, node)


def range_value(lw: "FunctionLowerer", node: A.Range, want: bool = True) -> Value:
    """``a..b``, ``a..=b``, ``a..``, ``..b`` as a value (an open end is unit)."""
    ends = lw.operands([e for e in (node.start, node.end) if e is not None])
    vals = iter(ends)
    a = next(vals) if node.start is not None else lw.unit()
    b = next(vals) if node.end is not None else lw.unit()
    return lw.emit("range", [a, b], imms=(node.inclusive,), node=node)


def method_call(lw: "FunctionLowerer", node: A.MethodCall) -> Optional[Value]:
    """The IR of an iterator method tier 0 translates itself (interp/iterators
    .method_call), or None for the usual ``method`` op."""
    name = node.method
    if user_defines(lw, name):
        return None
    from .chains import CONSUMERS, lower_chain
    if name in CONSUMERS:  # a chain known statically: one loop
        done = lower_chain(lw, node)
        if done is not None:
            return done
    if name == "collect" and not node.args:
        r = lw.expr(node.receiver)
        return lw.emit("iter.collect", [r], imms=collect_target(node), node=node)
    if name in ("sum", "product") and not node.args:
        r = lw.expr(node.receiver)
        floats = bool(node.type_args) and type_head(node.type_args[0]) in _FLOAT_TYPES
        zero = (-0.0 if name == "sum" else 1.0) if floats else (0 if name == "sum" else 1)
        return lw.emit("method", [r, lw.const(zero)], imms=(name,), node=node)
    if name == "parse" and not node.args:
        r = lw.expr(node.receiver)
        target = node.type_args[0].text if node.type_args else None
        return lw.emit("parse", [r], imms=(target,), node=node)
    if name in ADAPTERS and is_iterator(lw.ctx.info, node.receiver):
        r = lw.emit("iter.lazy", [lw.expr(node.receiver)], node=node)
        from .closures import runtime_called
        runtime_called(lw, node.args)
        vals = lw.operands(node.args)
        n = ADAPTERS[name][1]
        if len(vals) != n:
            from .calls import arity_message
            return lw.fail(arity_message("." + name, n, len(vals)), node)
        return lw.emit("iter.adapt", [r, *vals], imms=(name,), node=node)
    return None


def path_call(lw: "FunctionLowerer", node: A.Call, p: A.Path) -> Optional[Value]:
    """``HashMap::new()``, ``BTreeSet::from([..])``, ``Vec::from(x)``...: a fresh
    collection (tier 0's interp/collections.path_call), or None."""
    owner = p.owner.rsplit("::", 1)[-1]
    t = handle_of(owner)
    if (t is None and not (owner == "Vec" and p.name in _FROM)) or \
            (p.name not in _NEW and p.name not in _FROM):
        return None
    vals = lw.operands(node.args)
    if p.name in _FROM:
        if len(vals) != 1:
            from .calls import arity_message
            return lw.fail(arity_message(f"{owner}::{p.name}", 1, len(vals)), node)
        if owner == "Vec":
            return lw.emit("iter.collect", vals, imms=("Vec", "Vec"), node=node)
        return lw.emit("coll.from", vals, imms=(t,), node=node)
    return lw.emit("coll.new", imms=(t,), node=node)


def constructor_name(p: A.Path) -> bool:
    """Whether ``p`` names a collection constructor :func:`path_call` lowers."""
    owner = p.owner.rsplit("::", 1)[-1]
    return (handle_of(owner) is not None or (owner == "Vec" and p.name in _FROM)) and \
        (p.name in _NEW or p.name in _FROM)


def entry_target(node: A.Assign) -> Optional[tuple[A.MethodCall, A.MethodCall]]:
    """``(entry, or_insert)`` of ``*m.entry(k).or_insert(d) op= x`` on a variable
    ``m`` (tier 0's interp/collections.entry_update shape), else None."""
    from ..interp.rt import BINOP_HELPER
    parts = entry_update_parts(node)
    if node.op[:-1] not in BINOP_HELPER or parts is None:
        return None
    entry, call = parts
    if not ((call.method == "or_insert" and len(call.args) == 1) or
            (call.method == "or_default" and not call.args)):
        return None
    return entry, call


def _zero_of(value: A.Node) -> Optional[A.Node]:
    """The default ``or_default()`` gets in ``*m.entry(k).or_default() op= x`` when ``x``
    is an int, float or string literal (tier 0 takes it from ``x``'s kind:
    interp/collections.entry_update), else None."""
    lit = value.operand if isinstance(value, A.Unary) and value.op == "-" else value
    if isinstance(lit, A.IntLit) and not isinstance(lit, A.BoolLit):
        return A.IntLit(0, span=value.span)
    if isinstance(lit, A.FloatLit):
        return A.FloatLit(0.0, span=value.span)
    if isinstance(lit, A.StrLit) and lit is value:
        return A.StrLit("", span=value.span)
    return None


def entry_assign(lw: "FunctionLowerer", node: A.Assign) -> bool:
    """``*m.entry(k).or_insert(d) op= x``: the value first (Rust evaluates it first),
    then the key and the default, then one ``map.entry_op``. False if ``node`` has
    another shape."""
    found = entry_target(node)
    if found is None:
        return False
    entry, call = found
    var = lw.lookup(entry.receiver.id)  # type: ignore[attr-defined]
    if var is None:
        return False
    x = lw.expr(node.value)
    m = lw.read(var)
    k = lw.expr(entry.args[0])
    if call.method == "or_default":
        d = _zero_for(lw, node, call)
        if d is None:
            from .level3 import NotInIR
            raise NotInIR("'*m.entry(k).or_default() op= x' where neither the map's type "
                          "nor the value says the default", A.error_span(node))
    else:
        d = lw.expr(call.args[0])
    lw.emit("map.entry_op", [m, k, d, x], imms=(node.op[:-1],), node=node)
    return True


def _zero_for(lw: "FunctionLowerer", node: A.Assign, call: A.MethodCall) -> Optional[Value]:
    """The default of ``*m.entry(k).or_default() op= x``: the zero of the literal
    ``x``'s kind, else the declared value type's (resolve/declared.entry_default)."""
    zero = _zero_of(node.value)
    if zero is not None:
        return lw.expr(zero)
    from .defaults import or_default_of
    return or_default_of(lw, call)


def pulls(lw: "FunctionLowerer", node: A.For, value: Optional[Value] = None) -> bool:
    """Whether ``for x in node.iterable`` must pull from an iterator rather than
    iterate over a snapshot: the iterable is syntactically an iterator or an adapter's
    value; or (given ``value``, the iterable's value) its type is a handle. Pulling is
    tier 0's ``_iter`` whatever the value is; the snapshot is kept for what is most
    likely an array (a counted loop, which passes read better)."""
    it = node.iterable
    if value is not None:
        return isinstance(value.type, HandleType)
    if is_iterator(lw.ctx.info, it) or (isinstance(it, A.MethodCall) and it.method in ADAPTERS
                                        and not user_defines(lw, it.method)):
        return True  # (an adapter on a variable: an iterator, or an eager array)
    return False


def for_pull(lw: "FunctionLowerer", node: A.For, iterable: Value) -> Value:
    """``for x in it`` over an iterator: ``iter.items``, then ``iter.next`` until it
    gives ``None``; the body sees each item as the loop variable (or pattern)."""
    from .control import _finish_join
    items = lw.emit("iter.items", [iterable], node=node)
    head, body = lw.new_block("for.head"), lw.new_block("for.body")
    end = lw.new_block("for.end")
    lw.jump(head)
    lw.start(head)
    for_body(lw, node, next_item(lw, items, body, end, node), head, end)
    lw.ssa.seal(head)
    return _finish_join(lw, end, False)


def next_item(lw: "FunctionLowerer", items: Value, more: "object", done: "object",
              node: A.Node) -> Value:
    """Pull from ``items``: branch to ``done`` on ``None``, else to ``more``; the
    item, to be read in ``more`` (which must be entered next)."""
    o = lw.emit("iter.next", [items], node=node)
    tag = lw.emit("tag", [o], imms=(OPTION,), node=node)
    lw.branch(lw.emit("eq.i64", [tag, lw.const(1)], node=node), more, done,  # type: ignore
              node=node)
    lw.ssa.seal(more)  # type: ignore[arg-type]
    lw.start(more)  # type: ignore[arg-type]
    return lw.emit("payload", [o], imms=(OPTION, "Some", "0"), node=node)


def for_body(lw: "FunctionLowerer", node: A.Node, item: Value, head: "object",
             end: "object") -> None:
    """A ``for`` loop's body for one ``item`` (its pattern bound in a scope of its own),
    then the jump back to ``head``; ``break`` goes to ``end``."""
    from .control import LoopTarget, _loop_body
    lw.scopes.append({})
    bind_item(lw, node, item)
    _loop_body(lw, node.body, LoopTarget(head, end, False, False,  # type: ignore[arg-type]
                                         getattr(node, "label", None)))
    lw.scopes.pop()
    lw.jump(head)  # type: ignore[arg-type]


def bind_item(lw: "FunctionLowerer", node: A.Node, item: Value) -> None:
    """Bind a ``for`` loop's variable or pattern to ``item``."""
    pattern = getattr(node, "pattern", None)
    if pattern is not None:
        from .matching import param_or_for
        param_or_for(lw, pattern, item, node, "a 'for' loop")
    else:
        lw.write(lw.bind(node.var), item)  # type: ignore[attr-defined]


def hidden(name: str) -> Var:
    """A variable no Ruchy name can reach (a chain's counter, its accumulator)."""
    return Var(name)


__all__ = ["PLACE_METHODS", "bind_item", "constructor_name", "entry_assign", "entry_target",
           "for_pull", "hidden", "is_iterator", "method_call", "next_item", "path_call",
           "pulls", "range_value", "type_head", "user_defines"]

"""Lowering of the references into a collection's elements that ``get_mut``,
``first_mut``, ``last_mut``, ``front_mut`` and ``back_mut`` give, where the IR can keep
them: as the matched value of ``if let``, ``while let``, ``match`` and ``matches!``
(``if let Some(it) = items.last_mut() { it.qty += 100 }``), and as the root of an
assignment or a mutating call through ``.unwrap()``/``.expect(..)``
(``*m.get_mut(&k).unwrap() += 1``, ``stats.get_mut(k).unwrap().hits += 1``,
``items.first_mut().unwrap().name.push('!')``).

Structs are SSA values in the IR, so a reference cannot alias the element. Instead
``ref.elem`` (ir/ops_iter.py) reads the element and a reference to it (its collection
and key: the runtime's own rules and errors, runtime/element_refs.py) once, the code
changes its own copy, and ``deref_set`` stores it back through the reference, as any
write through a reference: for a pattern, the bindings are ``ref mut``
(Rust's default binding mode through ``Option<&mut T>``) and written back at the end
of their scope as any ``ref mut`` binding is (refs.py, with the store made here); for
an assignment, right after it. Rust's borrow rules guarantee nothing else reads the
element in between, so the collection ends with tier 0's contents (tier 0 hands out
the element object itself, or a Cell read back at the collection's next use).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from ..ir.core import Value
from ..ir.enums import OPTION
from ..runtime.element_refs import ELEMENT_REFS
from ..syntax import ast as A

if TYPE_CHECKING:
    from .function import FunctionLowerer

#: What unwraps an ``Option<&mut T>`` into the reference (an assignment's root).
UNWRAPS = frozenset({"unwrap", "expect"})


def is_element_ref(info: object, node: A.Node) -> bool:
    """Whether ``node`` is ``place.m(args)`` with ``m`` among the element references and
    no type of the program defining ``m`` (tier 0's rule: collections.gives_place)."""
    from .mutators import place_root
    return isinstance(node, A.MethodCall) and node.method in ELEMENT_REFS and \
        not node.type_args and place_root(node.receiver) is not None and \
        not (info is not None and info.types_with_method(node.method))  # type: ignore


def unwrapped_root(info: object, node: A.Node) -> Optional[tuple[A.MethodCall, A.MethodCall]]:
    """``(unwrap call, element reference)`` if the place ``node`` (an assignment's
    target, a mutating method's receiver) starts at ``c.m(..).unwrap()`` or
    ``.expect(msg)`` of an element reference, through ``*``, fields and elements."""
    while isinstance(node, (A.Field, A.Index, A.Deref)):
        node = node.operand if isinstance(node, A.Deref) else node.target
    if isinstance(node, A.MethodCall) and node.method in UNWRAPS and \
            len(node.args) == (node.method == "expect") and not node.type_args and \
            is_element_ref(info, node.receiver):
        if info is not None and info.types_with_method(node.method):  # type: ignore
            return None
        return node, node.receiver  # type: ignore[return-value]
    return None


def element(lw: "FunctionLowerer", call: A.MethodCall
            ) -> tuple[Value, Callable[[Value], None]]:
    """The ``Option`` of the element ``call`` refers to, and what stores a new element
    through the reference to it (into the collection object of the receiver's place)."""
    from .places import place
    c = place(lw, call.receiver)
    vals = lw.operands(call.args)
    pair = lw.emit("ref.elem", [c] + vals, imms=(call.method,), node=call)
    opt = lw.emit("extract", [pair], imms=("0",), node=call)
    ref = lw.emit("extract", [pair], imms=("1",), node=call)

    def put(new: Value) -> None:
        lw.emit("deref_set", [ref, new], node=call)
    return opt, put


def element_subject(lw: "FunctionLowerer", value: A.Node
                    ) -> Optional[tuple[Value, Callable[[Value], None]]]:
    """The matched ``Option`` of a pattern whose value is an element reference, and the
    store of its written-back value (a ``Some``) through the reference; None if
    ``value`` is no element reference."""
    if not is_element_ref(lw.ctx.info, value):
        return None
    opt, put = element(lw, value)  # type: ignore[arg-type]

    def store(new: Value) -> None:
        put(lw.emit("payload", [new], imms=(OPTION, "Some", "0"), node=value))
    return opt, store


def unwrapped(lw: "FunctionLowerer", unwrap: A.MethodCall, call: A.MethodCall
              ) -> tuple[Value, Callable[[Value], None]]:
    """``c.m(..).unwrap()`` as a place: the element (failing as ``unwrap`` of None
    fails) and the store of a new one through the reference to it."""
    opt, put = element(lw, call)
    from .calls import method_call_on
    v = method_call_on(lw, unwrap, opt)
    return v, put


def rerooted(lw: "FunctionLowerer", node: A.Node,
             found: tuple[A.MethodCall, A.MethodCall],
             run: Callable[[A.Node], Value]) -> Value:
    """``run`` of the place ``node`` with its root ``c.m(..).unwrap()`` (``found``)
    replaced by a hidden variable holding the element; the element is then stored
    back through its reference (tier 0's interp/collections.through_call, with the
    store)."""
    from ..interp.collections import _reroot
    from .ssa import Var
    unwrap, call = found
    elem, put = unwrapped(lw, unwrap, call)
    name = f"elem.{len(lw.scopes)}"
    var = Var(name)
    lw.scopes.append({name: var})
    lw.ref_vars.add(var)  # (`*m.get_mut(&k).unwrap() += 1` assigns through it)
    try:
        lw.write(var, elem)
        out = run(_reroot(node, unwrap, A.Name(name, span=unwrap.span)))
        put(lw.read(var))
    finally:
        lw.scopes.pop()
    return out


def assign_through(lw: "FunctionLowerer", node: A.Assign) -> bool:
    """``*c.m(..).unwrap() op= v`` and ``c.m(..).unwrap().f = v``: the value first (as
    Rust, and tier 0), then the element, the assignment to it, and the store back.
    False if ``node``'s place is not rooted at an element reference."""
    found = unwrapped_root(lw.ctx.info, node.target)
    if found is None:
        return False
    import dataclasses
    from .places import assign
    from .ssa import Var
    name = f"value.{len(lw.scopes)}"
    var = Var(name)
    lw.scopes.append({name: var})
    try:
        lw.write(var, lw.expr(node.value))
        value = A.Name(name, span=node.value.span)
        rerooted(lw, node.target, found, lambda target: assign(
            lw, dataclasses.replace(node, target=target, value=value)) or lw.unit())
    finally:
        lw.scopes.pop()
    return True


#: The entry methods whose value is a reference to the (possibly new) value.
ENTRY_REFS = frozenset({"or_insert", "or_insert_with", "or_default"})


def let_reference(info: object, value: A.Node) -> Optional[A.MethodCall]:
    """The call that gives the reference ``let r = value;`` binds, if ``value`` is one
    the IR keeps: ``m.entry(k).or_insert(d)`` (``or_insert_with``, ``or_default``) of
    a map ``m`` that is a place, or ``c.m(..).unwrap()`` of an element reference; else
    None."""
    from .mutators import place_root
    if not isinstance(value, A.MethodCall) or value.type_args:
        return None
    if value.method in ENTRY_REFS:
        entry = value.receiver
        if isinstance(entry, A.MethodCall) and entry.method == "entry" and \
                len(entry.args) == 1 and place_root(entry.receiver) is not None and not (
                    info is not None and any(info.types_with_method(n)  # type: ignore
                                             for n in (value.method, "entry"))):
            return value
        return None
    found = unwrapped_root(info, value)
    return found[1] if found is not None and found[0] is value else None


def let_ref(lw: "FunctionLowerer", node: A.Let) -> bool:
    """``let r = m.entry(k).or_insert(d);`` (and the other :func:`let_reference`
    shapes): ``r`` holds the value (inserted first for an entry), and each later
    statement of the block that changes ``r`` stores it back at its key (the way a
    ``let``'s ``ref mut`` binding is written back: matching.let_pattern). False if
    ``node`` binds no such reference."""
    call = let_reference(lw.ctx.info, node.value)
    if call is None:
        return False
    if call.method in ENTRY_REFS:
        from .calls import method_call_on
        from .places import place
        entry = call.receiver
        assert isinstance(entry, A.MethodCall)
        m = place(lw, entry.receiver)
        k = lw.expr(entry.args[0])
        e = lw.emit("method", [m, k], imms=("entry",), node=entry)
        method_call_on(lw, call, e)  # (inserts the default if the key is missing)
        pair = lw.emit("ref.elem", [m, k], imms=("get_mut",), node=call)
        elem = lw.emit("payload", [lw.emit("extract", [pair], imms=("0",), node=call)],
                       imms=(OPTION, "Some", "0"), node=call)
        ref = lw.emit("extract", [pair], imms=("1",), node=call)

        def put(new: Value) -> None:
            lw.emit("deref_set", [ref, new], node=call)
    else:
        unwrap = node.value
        assert isinstance(unwrap, A.MethodCall)
        elem, put = unwrapped(lw, unwrap, call)
    var = lw.bind(node.name, node)
    lw.write(var, elem)
    lw.ref_vars.add(var)
    name = node.name

    from . import exits, refs

    def changes(code: list) -> bool:
        return name in refs.changed(code, lw.ctx.info) | refs.deref_assigned(code) | \
            refs.passed_on(code)

    def after(stmt: A.Node) -> None:
        if changes([stmt]) or lw.written_since(var, lw.stmt_mark):
            put(lw.read(var))
    lw.stmt_hooks.append((len(lw.scopes), after))
    # An edge leaving the block early stores it too, if the rest of the block changes
    # it (as a `let`'s `ref mut` binding: matching.let_pattern).
    stmts, i = lw.stmt_at
    if not (i < len(stmts) and stmts[i] is node) or changes(stmts[i + 1:]):
        exits.add(lw, lambda: put(lw.read(var)), len(lw.scopes))
    return True


__all__ = ["ENTRY_REFS", "UNWRAPS", "assign_through", "let_ref", "let_reference", "rerooted", "element", "element_subject", "is_element_ref", "unwrapped",
           "unwrapped_root"]

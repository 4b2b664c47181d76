"""Lowering of control flow: if, &&/||, loops, break, continue, return (``match`` and
the other pattern constructs: matching.py).

Values of ``if``/``match``/``loop`` and of ``&&``/``||`` reach their join block as an
explicit block parameter, created before any branch into the block; the parameters
that SSA construction adds for variables come after it. A block is sealed as soon as
its last predecessor exists (a loop header once its body has been lowered).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

from ..errors import RuchySyntaxError
from ..ir.core import Block, Value
from ..syntax import ast as A
from ..resolve.refchains import mut_iterable, ref_chain
from . import exits
from .ssa import Var

if TYPE_CHECKING:
    from .function import FunctionLowerer


@dataclass
class LoopTarget:
    """Where ``continue`` and ``break`` go in the innermost loop."""

    continue_to: Block
    exit: Block
    is_loop: bool      # `loop` (break may carry a value) rather than while/for
    has_value: bool    # the exit block has a parameter for the value
    label: Optional[str] = None  # `'outer: for ..` (without the quote)


def _target(lw: "FunctionLowerer", node: A.Node) -> LoopTarget:
    """The loop a ``break``/``continue`` leaves: the innermost, or the one its label
    names (tier 0's message for a label no enclosing loop has)."""
    label = getattr(node, "label", None)
    if label is None:
        return lw.loops[-1]
    for t in reversed(lw.loops):
        if t.label == label:
            return t
    raise RuchySyntaxError(f"use of undeclared label '{label}", node.span)


def _join(lw: "FunctionLowerer", hint: str, want: bool, type_: str = "any") -> Block:
    block = lw.new_block(hint)
    if want:
        block.add_param(lw.f.fresh_value_name(), type_)
    return block


def _finish_join(lw: "FunctionLowerer", block: Block, want: bool) -> Value:
    lw.ssa.seal(block)
    lw.start(block)
    return block.params[0] if want else lw.unit()


def _enter(lw: "FunctionLowerer", block: Block) -> None:
    """Start a block whose only predecessor has just branched to it."""
    lw.ssa.seal(block)
    lw.start(block)


def if_expr(lw: "FunctionLowerer", node: A.If, want: bool) -> Value:
    """``if``/``else if``/``else`` as an expression."""
    c = lw.cond(node.cond)
    then_b, else_b = lw.new_block("if.then"), lw.new_block("if.else")
    end = _join(lw, "if.end", want)
    lw.branch(c, then_b, else_b, node=node)
    _enter(lw, then_b)
    v = lw.block(node.then, want)
    lw.jump(end, [v] if want else [])
    _enter(lw, else_b)
    return else_arm(lw, node.orelse, end, want)


def else_arm(lw: "FunctionLowerer", orelse: Optional[A.Node], end: Block,
             want: bool) -> Value:
    """The ``else`` of an ``if`` or ``if let`` (none, a block or an ``else if``), lowered
    where building is, then the join at ``end``: the whole expression's value."""
    if orelse is None:
        v = lw.unit()
    elif isinstance(orelse, A.Block):
        v = lw.block(orelse, want)
    else:
        v = lw.expr(orelse, want)
    lw.jump(end, [v] if want else [])
    return _finish_join(lw, end, want)


def short_circuit(lw: "FunctionLowerer", node: A.Binary) -> Value:
    """``a && b`` and ``a || b``: the right side runs only when needed."""
    left = lw.cond(node.left)
    rhs = lw.new_block("and.rhs" if node.op == "&&" else "or.rhs")
    end = _join(lw, "and.end" if node.op == "&&" else "or.end", True, "bool")
    if node.op == "&&":
        lw.branch(left, rhs, end, false_args=[left], node=node)
    else:
        lw.branch(left, end, rhs, true_args=[left], node=node)
    _enter(lw, rhs)
    lw.jump(end, [lw.cond(node.right)])
    return _finish_join(lw, end, True)


# ---- loops ------------------------------------------------------------------------------

def _loop_body(lw: "FunctionLowerer", body: A.Block, target: LoopTarget,
               on_exit: Optional[Callable[[], None]] = None,
               overwrite: object = None) -> None:
    """The body of a loop; ``on_exit``: what an edge leaving the body early emits first
    (exits.py: a ``continue`` and a ``break`` of this loop too), up to the statement
    ``overwrite`` (resolve/overwrites.Overwrite) if given."""
    from . import refs
    lw.loops.append(target)
    with exits.on_exit(lw, on_exit) as entry:
        refs.after_overwrite(lw, overwrite or [], lambda: exits.drop(lw, entry),
                             lambda: exits.restore(lw, entry))  # type: ignore
        lw.block(body, False)
    lw.loops.pop()


def while_loop(lw: "FunctionLowerer", node: A.While, want: bool) -> Value:
    """``while cond { body }``."""
    head, body, end = lw.new_block("while.head"), lw.new_block("while.body"), \
        lw.new_block("while.end")
    lw.jump(head)
    lw.start(head)
    lw.branch(lw.cond(node.cond), body, end, node=node)
    _enter(lw, body)
    _loop_body(lw, node.body, LoopTarget(head, end, False, False, node.label))
    lw.jump(head)
    lw.ssa.seal(head)
    return _finish_join(lw, end, False)


def loop(lw: "FunctionLowerer", node: A.Loop, want: bool) -> Value:
    """``loop { body }``, whose value is that of the ``break`` that leaves it."""
    head = lw.new_block("loop")
    end = _join(lw, "loop.end", want)
    lw.jump(head)
    lw.start(head)
    _loop_body(lw, node.body, LoopTarget(head, end, True, want, node.label))
    lw.jump(head)
    lw.ssa.seal(head)
    return _finish_join(lw, end, want)


def _counted(lw: "FunctionLowerer", node: A.Node, var_name: str, start: Value, bound: Value,
             inclusive: bool, elements: Optional[Value], with_index: bool = False) -> Value:
    """``for var in start..bound`` (or ``..=``); with ``elements``, the loop variable is
    ``elements[i]`` rather than the counter ``i`` itself (``with_index``: the tuple
    ``(i, elements[i])``, as ``enumerate`` yields)."""
    counter = Var(var_name if elements is None else "i")
    lw.ssa.write(counter, lw.cur, start)
    head, body = lw.new_block("for.head"), lw.new_block("for.body")
    latch, end = lw.new_block("for.next"), lw.new_block("for.end")
    lw.jump(head)
    lw.start(head)
    i = lw.read(counter)
    more = lw.emit("le" if inclusive else "lt", [i, bound], node=node)
    lw.branch(more, body, end, node=node)
    _enter(lw, body)
    lw.scopes.append({})
    i = lw.read(counter)
    item = i if elements is None else lw.emit("index", [elements, i], node=node)
    if with_index:
        from ..ir.types import tuple_of
        item = lw.emit("make", [i, item], imms=(tuple_of([i.type, item.type]),), node=node)
    pattern = getattr(node, "pattern", None)
    if pattern is not None:  # `for (i, x) in ..`: the snapshot's elements are copies
        from .matching import param_or_for
        param_or_for(lw, pattern, item, node, "a 'for' loop")
    else:
        lw.write(lw.bind(var_name), item)
    _loop_body(lw, node.body, LoopTarget(latch, end, False, False,
                                         getattr(node, "label", None)))
    lw.scopes.pop()
    lw.jump(latch)
    _enter(lw, latch)
    i = lw.read(counter)
    if inclusive:  # stop at the bound itself: bound + 1 may not exist (i64::MAX)
        step = lw.new_block("for.step")
        lw.branch(lw.emit("eq", [i, bound], node=node), end, step, node=node)
        _enter(lw, step)
    lw.ssa.write(counter, lw.cur, lw.emit("add", [i, lw.const(1)], node=node))
    lw.jump(head)
    lw.ssa.seal(head)
    return _finish_join(lw, end, False)


def for_range(lw: "FunctionLowerer", node: A.ForRange, want: bool) -> Value:
    """``for i in a..b`` / ``a..=b``: the bounds are evaluated once."""
    start, bound = lw.operands([node.start, node.end])
    if not (start.type == bound.type == "i64"):
        lw.emit("check_range", [start, bound], node=node)
    return _counted(lw, node, node.var, start, bound, node.inclusive, None)


def plain_iterable(info: object, it: A.Node) -> Optional[A.Node]:
    """``v`` of ``for x in v.iter()`` / ``v.into_iter()`` (tier 0 iterates over ``&v``
    and ``v``: interp/control._plain_iterable), unless a user type defines the method;
    None if ``it`` is no such call."""
    if isinstance(it, A.MethodCall) and not it.args and it.method in ("iter", "into_iter") \
            and not (info is not None and info.types_with_method(it.method)):  # type: ignore
        return it.receiver
    return None


def enumerated(info: object, node: A.For) -> Optional[A.Node]:
    """``v`` of ``for (i, x) in v.iter().enumerate()`` (or ``into_iter``, or ``v`` an
    array expression), when the loop body leaves ``v`` alone, so that a snapshot of it
    is what tier 0's lazy iterator yields; None otherwise."""
    it = node.iterable
    if not (isinstance(it, A.MethodCall) and it.method == "enumerate" and not it.args
            and not it.type_args and isinstance(node.pattern, A.TuplePat)
            and len(node.pattern.elems) == 2
            and not (info is not None and info.types_with_method("enumerate"))):  # type: ignore
        return None
    source = plain_iterable(info, it.receiver)
    if source is None:
        return None
    root = source
    while isinstance(root, (A.Field, A.Index)):
        root = root.target
    if not isinstance(root, A.Name) or _changes(node.body, root.id):
        return None
    return source


def _changes(body: A.Node, name: str) -> bool:
    """Whether ``body`` may change variable ``name`` (assigns it, calls a method on
    it, takes ``&mut`` of it, or mentions it in a closure)."""
    from ..resolve.captures import changed_roots
    return name in changed_roots(body)


def enumerated_mut(info: object, node: A.For) -> Optional[A.Node]:
    """``v`` of ``for (i, x) in v.iter_mut().enumerate()`` whose pattern is two plain
    bindings (or ``_``), unless a user type defines ``enumerate`` or ``iter_mut``;
    None otherwise."""
    it = node.iterable
    pat = node.pattern
    if not (isinstance(it, A.MethodCall) and it.method == "enumerate" and not it.args
            and not it.type_args and isinstance(it.receiver, A.MethodCall)
            and isinstance(pat, A.TuplePat) and len(pat.elems) == 2
            and all(_plain_binding(e) for e in pat.elems)
            and not (info is not None and info.types_with_method("enumerate"))):  # type: ignore
        return None
    return mut_iterable(info, it.receiver)


def for_each_mut(info: object, node: A.MethodCall) -> Optional[A.For]:
    """``v.iter_mut().for_each(|x| body)`` as the loop ``for x in v.iter_mut() { body }``
    (``v.iter_mut().rev().for_each(..)``, ``m.values_mut().for_each(..)``: any chain of
    mutloops.ref_chain)
    it means (the closure literal run on each element in turn, its changes through
    ``x`` stored back: :func:`_for_mut`), or None: another shape, a user type's
    ``for_each``, or a body that may ``return`` or ``?`` out of the closure (out of
    the function, once a loop)."""
    if not (node.method == "for_each" and len(node.args) == 1 and not node.type_args
            and isinstance(node.args[0], A.Closure) and len(node.args[0].params) == 1
            and isinstance(node.receiver, A.MethodCall)
            and ref_chain(info, node.receiver) is not None
            and not (info is not None and info.types_with_method("for_each"))):  # type: ignore
        return None
    f = node.args[0]
    p = f.params[0]
    if p.default is not None or p.self_mode is not None:
        return None
    body = f.body if isinstance(f.body, A.Block) else A.Block([f.body], span=f.body.span)
    stack: list = [body]
    while stack:
        n = stack.pop()
        if isinstance(n, (A.Return, A.Try)):
            return None
        if not isinstance(n, (A.Closure, A.FunDef)):
            stack.extend(c for c in A.children(n) if c is not None)
    return A.For(p.name, node.receiver, body, pattern=p.pattern, span=node.span)


def _pattern_changed(lw: "FunctionLowerer", node: A.For) -> bool:
    """Whether the body of ``for pat in ..`` changes a binding of ``pat``."""
    from . import refs
    names = set(_pattern_names(node.pattern))  # type: ignore[arg-type]
    return bool(names & (refs.changed([node.body], lw.ctx.info) |
                         refs.deref_assigned([node.body]) | refs.passed_on([node.body])))


def _plain_binding(p: A.Node) -> bool:
    return isinstance(p, A.Pattern) and (p.kind == "wild" or (
        p.kind == "bind" and p.sub is None and not p.by_ref))


def _for_mut(lw: "FunctionLowerer", node: A.For, source: A.Node,
             enumerate_: bool = False) -> Optional[Value]:
    """``for x in &mut v`` whose body changes ``x`` (and ``for (i, x) in
    v.iter_mut().enumerate()``): ``x`` is each element of ``v``'s own array in turn,
    stored back at the end of each iteration and on each edge out of it (exits.py), as
    tier 0's loop over the elements themselves (runtime/matching.iter_mut) leaves them.
    None when the body leaves ``x`` alone (the plain loop over a snapshot does)."""
    from . import refs
    from .level3 import NotInIR
    if not lw.ctx.aggregates:
        return None  # (compiled tiers: an array element changed in place, as before)
    index_name: Optional[str] = None
    if enumerate_:
        first, second = node.pattern.elems  # type: ignore[union-attr]
        index_name = str(first.value) if first.kind == "bind" else None
        name = str(second.value) if second.kind == "bind" else None
        if name is None:
            return None  # (only the counters are read)
    elif node.pattern is not None:
        plan_names = [n for n in _pattern_names(node.pattern)]
        hit = set(plan_names) & (refs.changed([node.body], lw.ctx.info) |
                                 refs.deref_assigned([node.body]))
        if hit:
            raise NotInIR(f"a pattern binding '{sorted(hit)[0]}' changed in a 'for' over "
                          "'&mut'", node.pattern.span)
        return None
    else:
        name = node.var
    if not enumerate_ and name not in refs.changed([node.body], lw.ctx.info) | \
            refs.deref_assigned([node.body]) | _matched_roots(node.body):
        return None
    from .places import place
    arr = place(lw, source)
    n = lw.emit("len", [arr], node=node)
    counter = Var("i")
    lw.ssa.write(counter, lw.cur, lw.const(0))
    head, body = lw.new_block("for.head"), lw.new_block("for.body")
    latch, end = lw.new_block("for.next"), lw.new_block("for.end")
    lw.jump(head)
    lw.start(head)
    lw.branch(lw.emit("lt", [lw.read(counter), n], node=node), body, end, node=node)
    _enter(lw, body)
    lw.scopes.append({})
    item = lw.emit("elem_own", [arr, lw.read(counter)], node=node)
    if index_name is not None:
        lw.write(lw.bind(index_name), lw.read(counter))
    var = lw.bind(name)
    lw.write(var, item)
    lw.ref_vars.add(var)

    def store_back() -> None:
        lw.emit("set_index", [arr, lw.read(counter), lw.read(var)], node=node)
    # (the end of an iteration stores the element; an edge out of it stores first)
    _loop_body(lw, node.body, LoopTarget(latch, end, False, False, node.label), store_back)
    store_back()
    lw.scopes.pop()
    lw.jump(latch)
    _enter(lw, latch)
    i = lw.read(counter)
    lw.ssa.write(counter, lw.cur, lw.emit("add", [i, lw.const(1)], node=node))
    lw.jump(head)
    lw.ssa.seal(head)
    return _finish_join(lw, end, False)


def _matched_roots(body: A.Node) -> set[str]:
    """The variables whose value (or part) ``body`` matches with a pattern: bindings
    written back may change them (refs.py)."""
    from ..resolve.writes import place_root
    out: set[str] = set()
    stack = [body]
    while stack:
        n = stack.pop()
        value = n.scrutinee if isinstance(n, A.Match) else n.value \
            if isinstance(n, (A.IfLet, A.WhileLet, A.LetPat)) else None
        if value is not None:
            root = place_root(value)
            if root:
                out.add(root)
        stack.extend(c for c in A.children(n) if c is not None)
    return out


def _pattern_names(pat: A.Node) -> list[str]:
    stack, out = [pat], []
    while stack:
        p = stack.pop()
        if isinstance(p, A.Pattern) and p.kind == "bind":
            out.append(str(p.value))
        elif isinstance(p, A.RestPat) and p.name:
            out.append(p.name)
        stack.extend(c for c in A.children(p))
    return out


def for_array(lw: "FunctionLowerer", node: A.For, want: bool) -> Value:
    """``for x in a``: over a snapshot of ``a``. ``for (i, x) in a.iter().enumerate()``
    is the same loop, its pattern given the tuple of the counter and the element.
    ``for x in &mut a`` whose body changes ``x``: :func:`_for_mut`."""
    enum_source = enumerated_mut(lw.ctx.info, node)
    if enum_source is not None:  # `for (i, x) in v.iter_mut().enumerate()`
        done = _for_mut(lw, node, enum_source, enumerate_=True)
        if done is not None:
            return done
        node = _with_iterable(node, A.MethodCall(
            A.MethodCall(enum_source, "iter", [], span=node.iterable.span), "enumerate", [],
            span=node.iterable.span))
    from .mutloops import for_refs
    chain = ref_chain(lw.ctx.info, node.iterable) if lw.ctx.aggregates else None
    if chain is not None and (chain.adapters or chain.method == "values_mut" or (
            node.pattern is not None and _pattern_changed(lw, node))):
        return for_refs(lw, node, chain)  # `for c in v.iter_mut().rev()`, `m.values_mut()`
    mut_source = mut_iterable(lw.ctx.info, node.iterable)
    if mut_source is not None:
        done = _for_mut(lw, node, mut_source)
        if done is not None:
            return done
        if isinstance(node.iterable, A.MethodCall):  # `v.iter_mut()` only read: `&mut v`
            node = _with_iterable(node, A.Ref(True, mut_source, span=node.iterable.span))
    source = enumerated(lw.ctx.info, node)
    iterable = source or plain_iterable(lw.ctx.info, node.iterable) or node.iterable
    from . import iterators
    if iterable is node.iterable:
        from .chains import for_chain  # `for x in (0..n).filter(..)`: one loop
        done = for_chain(lw, node)
        if done is not None:
            return done
        if iterators.pulls(lw, node):
            return iterators.for_pull(lw, node, lw.expr(iterable))
    value = lw.expr(iterable)
    if iterators.pulls(lw, node, value):  # an iterator held in a variable
        return iterators.for_pull(lw, node, value)
    items = lw.emit("snapshot", [value], node=node)
    n = lw.emit("len", [items], node=node)
    return _counted(lw, node, node.var, lw.const(0), n, False, items,
                    with_index=source is not None)


def break_(lw: "FunctionLowerer", node: A.Break, want: bool) -> Value:
    """``break [value]`` to the innermost loop's exit."""
    if not lw.loops:
        raise RuchySyntaxError("'break' outside of a loop", node.span)
    target = _target(lw, node)
    args: list[Value] = []
    if node.value is not None:
        if not target.is_loop:
            raise RuchySyntaxError("'break' with a value is only allowed inside 'loop'",
                                   node.span)
        v = lw.copied(lw.expr(node.value), node.value)
        args = [v] if target.has_value else []
    elif target.has_value:
        args = [lw.unit()]
    exits.leave_loop(lw, target)  # (the write-backs of the scopes it leaves)
    lw.jump(target.exit, args, node=node)
    lw.dead()
    return lw.unit()


def continue_(lw: "FunctionLowerer", node: A.Continue, want: bool) -> Value:
    """``continue`` to the innermost loop's next iteration."""
    if not lw.loops:
        raise RuchySyntaxError("'continue' outside of a loop", node.span)
    target = _target(lw, node)
    exits.leave_loop(lw, target)
    lw.jump(target.continue_to, node=node)
    lw.dead()
    return lw.unit()


def return_(lw: "FunctionLowerer", node: A.Return, want: bool) -> Value:
    """``return [value]``."""
    # No copy: the callee's variables die here; a caller that stores the result copies.
    v = lw.expr(node.value) if node.value is not None else lw.unit()
    from .methods import returned
    lw.emit("ret", [returned(lw, v, node)], node=node)
    lw.dead()
    return lw.unit()


def _with_iterable(node: A.For, it: A.Node) -> A.For:
    import dataclasses
    return dataclasses.replace(node, iterable=it)

"""Tier 0: the other places a pattern goes (``if let``, ``while let``, ``let pat = e``,
``let ... else``, ``for pat in``, parameters, ``matches!``) and the ``?`` operator.

Each compiles its pattern once (resolve/patterns.py) and emits its tests and bindings
with interp/patterns.py, as ``match`` does.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Optional

from ..errors import RuchySyntaxError
from ..syntax import ast as A
from ..resolve.overwrites import decide_for
from .bindings import (UNKNOWN_CODE, _plan_of, add_exit_write_back, after_overwrite,
                       after_statement, bind, drop_exit, overwritten, restore_exit, write_back,
                       written_back_on_exit)
from .patterns import (Subject, cache_type, compiler, default_mode, plan_code, prelude,
                       subject)
from .translate import join

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]


def _pattern(tr: "FunctionTranslator", pat: A.Node, value: Optional[A.Node]):
    pats = pat.alts if isinstance(pat, A.OrPat) else [pat]
    return compiler(tr).compile(pats, default_mode(value, tr) if value is not None else "value")


def if_let(tr: "FunctionTranslator", node: A.IfLet, want: bool) -> Value:
    """``if let pat = e { } else { }``: an ``else`` that is another ``if``/``if let``
    nests in the ``else`` branch."""
    plan = _pattern(tr, node.pattern, node.value)
    subj = subject(tr, node.value, [plan])
    consts = prelude(tr, [plan])
    t = tr.tmp() if want else None
    tr.emit(f"if {plan_code(subj, plan, consts)}:", node)
    with tr.out.indented():
        tr.scopes.append({})
        # a fresh subject (a function's result, a reference m.get_mut(&k) gives) is bound
        # without a copy
        bound = bind(tr, subj, plan, node, [node.then], id(node.value) not in tr.fresh_nodes)
        with written_back_on_exit(tr, subj, bound, [node.then], node):
            code, kind = tr.block(node.then, want)
        if t is not None:
            tr.emit(f"{t} = {code}", node.then)
        if not overwritten(tr, subj, bound, [node.then]):
            write_back(tr, subj, bound, [node.then], node)
        tr.scopes.pop()
    if node.orelse is not None or t is not None:
        tr.emit("else:", node)
        with tr.out.indented():
            if node.orelse is not None:
                code, k = tr.block(node.orelse, want) if isinstance(node.orelse, A.Block) \
                    else tr.expr(node.orelse, want)
            else:
                code, k = "None", "unit"
            if t is not None:
                tr.emit(f"{t} = {code}", node)
            kind = join(kind, k)
    return (t, kind) if t else ("None", "unit")


def while_let(tr: "FunctionTranslator", node: A.WhileLet) -> Value:
    """``while let pat = e { }``: the value is evaluated again at each iteration."""
    from .control import _count, _end_loop, _new_loop
    plan = _pattern(tr, node.pattern, node.value)
    loop = _new_loop(tr, node, None)
    tr.emit("while True:", node)
    with tr.out.indented():
        subj = subject(tr, node.value, [plan])
        consts = prelude(tr, [plan])
        tr.emit(f"if not ({plan_code(subj, plan, consts)}): break", node)
        _count(tr, loop, node)
        tr.scopes.append({})
        bound = bind(tr, subj, plan, node, [node.body], id(node.value) not in tr.fresh_nodes)
        with written_back_on_exit(tr, subj, bound, [node.body], node):
            tr.block(node.body, False)
        if not overwritten(tr, subj, bound, [node.body]):
            write_back(tr, subj, bound, [node.body], node)
        tr.scopes.pop()
    _end_loop(tr, loop, node)
    return "None", "unit"


def let_borrow(tr: "FunctionTranslator", node: A.Let) -> bool:
    """``let r = &mut place;`` (resolve/writes.borrowed_place) as the binding of ``let
    ref mut r = place;``, unless the rest of the block uses ``r`` as a value of its own
    (resolve/writes.moved_use); False for another ``let``."""
    from ..resolve.writes import borrowed_place, moved_use
    place = borrowed_place(node)
    stmts, i = tr.stmt_at
    if place is None or not (i < len(stmts) and stmts[i] is node) or \
            moved_use(node.name, stmts[i + 1:]) is not None:
        return False
    pat = A.Pattern("bind", node.name, mutable=True, by_ref=True, span=node.span)
    let_pattern(tr, A.LetPat(pat, None, node.value, span=node.span), stmt=node)
    return True


def let_pattern(tr: "FunctionTranslator", node: A.LetPat,
                stmt: Optional[A.Node] = None) -> Value:
    """``let pat = e;`` (an irrefutable pattern: a refutable one is a syntax error, as
    in Rust) and ``let pat = e else { diverge };``. The bindings live in the current
    scope. ``stmt``: the statement of the block ``node`` stands for (``let r = &mut
    x``: let_borrow)."""
    plan = _pattern(tr, node.pattern, node.value)
    if node.orelse is None and plan.refutable:
        raise RuchySyntaxError("refutable pattern in 'let': use 'let ... else' or 'if let'",
                               node.pattern.span)
    if node.orelse is not None and not diverges(node.orelse):
        raise RuchySyntaxError("the 'else' block of 'let ... else' must diverge (end with "
                               "return, break, continue or panic!)", node.orelse.span)
    stmts, i = tr.stmt_at
    scope = stmts[i + 1:] if i < len(stmts) and stmts[i] is (stmt or node) else [_EVERYTHING]
    subj = subject(tr, node.value, [plan])
    _destructure(tr, subj, plan, node, node.orelse, scope)
    return "None", "unit"


def _destructure(tr: "FunctionTranslator", subj: Subject, plan, node: A.Node,
                 orelse: Optional[A.Block], scope: Optional[list[A.Node]]) -> None:
    """Test ``subj`` against ``plan`` (failing: ``orelse``, or the error that the
    value does not match) and bind its names in the current scope. ``scope`` is the
    code that sees the bindings (None: the value is fresh, nobody else holds it)."""
    consts = prelude(tr, [plan])
    test = plan_code(subj, plan, consts)
    if test != "True":
        tr.emit(f"if not ({test}):", node)
        with tr.out.indented():
            if orelse is not None:
                tr.block(orelse, False)
            tr.emit(f"_letfail({subj.whole()})", node)
    bound = bind(tr, subj, plan, node, scope or [], scope is not None)
    if scope and any(b.binds[0].mode == "ref_mut" for b in bound):
        # A ``let``'s ``ref mut`` binding lives to the end of its block: each later
        # statement of the block that assigns it writes it back.
        hooks = tr.stmt_hooks.setdefault(id(tr.scopes[-1]), [])
        hook = lambda stmt: after_statement(tr, subj, bound, stmt, node)  # noqa: E731
        hooks.append(hook)
        entry = add_exit_write_back(tr, subj, bound, scope, node, id(tr.scopes[-1]))

        def overwritten() -> None:
            """The matched place is overwritten: nothing is written back after it."""
            if hook in hooks:
                hooks.remove(hook)
            drop_exit(tr, entry)

        def again() -> None:
            if hook not in hooks:
                hooks.append(hook)
            restore_exit(tr, entry)
        after_overwrite(tr, decide_for(_plan_of(bound), subj.place, scope, scope,
                                       tr.ctx.info, per_statement=True), overwritten, again)


_EVERYTHING = UNKNOWN_CODE


def diverges(node: Optional[A.Node]) -> bool:
    """Whether a block surely does not finish normally (Rust's ``!`` type, roughly)."""
    if isinstance(node, (A.Return, A.Break, A.Continue)):
        return True
    if isinstance(node, A.Block):
        return any(diverges(s) for s in node.stmts)
    if isinstance(node, A.Call) and isinstance(node.callee, A.Name):
        return node.callee.id in ("panic", "unreachable", "todo", "unimplemented")
    if isinstance(node, A.Call) and isinstance(node.callee, A.Path):
        return node.callee.name == "exit"
    if isinstance(node, A.If):
        return node.orelse is not None and diverges(node.then) and diverges(node.orelse)
    if isinstance(node, A.Loop):
        return not any(isinstance(n, A.Break) for n in _walk(node.body))
    if isinstance(node, A.Match):
        return all(diverges(a.body) for a in node.arms)
    return False


def _walk(node: A.Node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if not isinstance(n, (A.Loop, A.While, A.For, A.ForRange, A.WhileLet, A.Closure)) \
                or n is node:
            stack.extend(A.children(n))


def param_pattern(tr: "FunctionTranslator", p: A.Param) -> None:
    """Destructure a parameter written as a pattern (``(a, b): (i64, i64)``) at the
    function's entry: the caller passed a copy, so nothing is copied again."""
    plan = _pattern(tr, p.pattern, None)
    if plan.refutable:
        raise RuchySyntaxError("refutable pattern in a function parameter", p.pattern.span)
    py = tr.lookup(p.name)
    subj = Subject(py, tr.kind_of_var(py), root=None)
    _destructure(tr, subj, plan, p, None, None)


def for_pattern(tr: "FunctionTranslator", pat: A.Node, var: str, kind: Optional[str],
                node: A.Node) -> None:
    """Destructure the element of ``for pat in ...`` (in the loop's scope; each element
    is already the loop's own copy)."""
    plan = _pattern(tr, pat, None)
    if plan.refutable:
        raise RuchySyntaxError("refutable pattern in a 'for' loop", pat.span)
    _destructure(tr, Subject(var, kind, root=None), plan, node, None, None)


@contextmanager
def for_ref_pattern(tr: "FunctionTranslator", pat: A.Node, var: str,
                    node: A.For) -> Iterator[None]:
    """``for pat in v.iter_mut()`` (any chain of resolve/refchains.py), for the body
    lowered inside the ``with``: the pattern takes apart the item with its references
    opened (``_uncell``) and binds ``ref mut`` (Rust's default binding mode through
    ``&mut T``); what the body changes is written back into the opened item and from
    it into the references (``_recell``) at the end of each iteration and on each edge
    that leaves it early."""
    plan = compiler(tr).compile(pat.alts if isinstance(pat, A.OrPat) else [pat], "ref_mut")
    if plan.refutable:
        raise RuchySyntaxError("refutable pattern in a 'for' loop", pat.span)
    t = tr.value_line(f"_uncell({var})", None, node)[0]
    subj = Subject(t, None, root=None)
    consts = prelude(tr, [plan])
    test = plan_code(subj, plan, consts)
    if test != "True":
        tr.emit(f"if not ({test}): _letfail({t})", node)
    scope = [node.body]
    bound = bind(tr, subj, plan, node, scope, False)

    def store() -> None:
        write_back(tr, subj, bound, scope, node)
        tr.emit(f"_recell({var}, {t})", node)
    entry = (len(tr.loops), store, None)
    tr.exits.append(entry)
    try:
        yield
    finally:
        tr.exits.remove(entry)
    store()


def matches(tr: "FunctionTranslator", node: A.MacroPat) -> Value:
    """``matches!(e, pat if guard)``: a bool."""
    plan = compiler(tr).compile(node.patterns, default_mode(node.value, tr))
    subj = subject(tr, node.value, [plan])
    consts = prelude(tr, [plan])
    cache_type(tr, subj, [plan], node)
    test = plan_code(subj, plan, consts)
    if node.guard is None:
        return tr.value_line(f"({test})", "bool", node) if test != "True" else ("True", "bool")
    t = tr.tmp()
    tr.emit(f"{t} = False", node)
    tr.emit(f"if {test}:", node)
    with tr.out.indented():
        tr.scopes.append({})
        bind(tr, subj, plan, node, [node.guard])
        g, _ = tr.cond(node.guard)
        tr.emit(f"{t} = {g}", node)
        tr.scopes.pop()
    return t, "bool"


def try_(tr: "FunctionTranslator", node: A.Try) -> Value:
    """``e?``: the payload of ``Some``/``Ok``; ``None``/``Err`` return from the function
    (from ``main`` or the top level: a runtime error naming it)."""
    from .control import flush_loop_counters
    from .program import TOPLEVEL
    code, kind = tr.expr(node.operand)
    v = tr.simple(code, kind, node.operand)
    k = tr.value_line(f"type({v})", None, node)[0]
    t = tr.tmp()
    tr.emit(f"if {k} is V_Option_S_Some or {k} is V_Result_S_Ok: {t} = {v}.f_0", node)
    tr.emit("else:", node)
    with tr.out.indented():
        if tr.pyname == TOPLEVEL or tr.pyname.startswith("r_main__"):
            tr.emit(f"_try_main({v})", node)
        else:
            tr.emit(f"_try_check({v})", node)
            if tr.exits:
                from .bindings import exit_write_backs
                exit_write_backs(tr, len(tr.loops) + 1)
            flush_loop_counters(tr, node, len(tr.loops))
            tr.emit(f"return {v}", node)
            tr.ret_kind = join(tr.ret_kind, "any")
    return t, "any"

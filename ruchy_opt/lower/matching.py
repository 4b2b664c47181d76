"""Lowering of the places a pattern goes: ``match``, ``if let``, ``while let``,
``let pat = e [else { .. }]``, ``for pat in ..``, parameters and ``matches!``.

Each compiles its pattern once with the resolution layer (resolve/patterns.py) and
emits the plan with lower/patterns.py, in tier 0's order (interp/control.match_expr,
interp/conditional.py): the matched value is evaluated once, consts in patterns are
read before any test, arms are tried in order, a row that passes binds its names and
then the guard decides (false: the next arm). A ``match`` that no arm matches stops
with ``match_fail`` (tier 0's ``no match arm matched value ..``, at the ``match``); a
``let``/``for``/parameter pattern that does not match with ``let_fail`` or
``check_tuple`` (``pattern does not match value ..``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..errors import RuchySyntaxError
from ..ir.core import Value
from ..syntax import ast as A
from .control import LoopTarget, _enter, _finish_join, _join, _loop_body, else_arm
from . import exits, refs
from ..resolve import overwrites
from ..resolve import writes
from .level3 import NotInIR
from .patterns import (Matcher, alternatives, check_tuple_literal, compile_plan, declare,
                       default_mode, match_rows)

if TYPE_CHECKING:
    from .function import FunctionLowerer


def _fresh(node: A.Node) -> bool:
    """Whether a matched value has no other holder (its parts need no copy)."""
    from .function import NEVER_SHARED
    return isinstance(node, NEVER_SHARED)


def match_expr(lw: "FunctionLowerer", node: A.Match, want: bool) -> Value:
    """``match``: the arms' plans tested in order on the scrutinee."""
    scrutinee = matched(lw, node.scrutinee)
    mode = default_mode(lw, scrutinee)
    arms = [compile_plan(lw, arm.patterns, mode) for arm in node.arms]
    backs = [refs.written_back(plan, [arm.guard, arm.body], lw.ctx.info, scrutinee)
             for arm, plan in zip(node.arms, arms)]
    tuple_len = check_tuple_literal(scrutinee, arms)
    s, store = _subject_for(lw, scrutinee, any(backs))
    m = Matcher(lw, s, node, tuple_len)
    m.prelude(arms)
    copy_from = None if _fresh(scrutinee) else scrutinee
    end = _join(lw, "match.end", want)
    exhaustive = False
    for arm, plan, back in zip(node.arms, arms, backs):
        body, next_arm = lw.new_block("arm"), lw.new_block("arm.next")
        lw.scopes.append({})
        declare(lw, plan)
        refs.allow(lw, refs.reference_bindings(plan) + [b.name for b in back])
        match_rows(lw, m, plan, body, next_arm, copy_from)
        _enter(lw, body)
        if arm.guard is not None:
            g = lw.cond(arm.guard)
            taken = lw.new_block("arm.guarded")
            lw.branch(g, taken, next_arm, node=arm.guard)
            _enter(lw, taken)
        ow = refs.overwritten(lw, plan, scrutinee, [arm.guard, arm.body])
        with exits.on_exit(lw, refs.on_exits(lw, back, plan.rows[0], s, store, arm)) as e:
            refs.after_overwrite(lw, ow, lambda e=e: exits.drop(lw, e),
                                 lambda e=e: exits.restore(lw, e))
            v = lw.expr(arm.body, want)
        if not overwrites.for_good(ow):  # (the place overwritten: resolve/overwrites.py)
            refs.write_back(lw, back, plan.rows[0], s, store, arm)
        lw.jump(end, [v] if want else [])
        lw.scopes.pop()
        _enter(lw, next_arm)
        if _always(plan, tuple_len) and arm.guard is None:
            exhaustive = True
            break
    if not exhaustive:
        lw.emit("match_fail", [s], node=node)
        lw.jump(end, [lw.unit()] if want else [])
    return _finish_join(lw, end, want)


def matched(lw: "FunctionLowerer", value: A.Node) -> A.Node:
    """The matched value as its pattern sees it: ``place.as_mut()`` is ``&mut place``
    (resolve/writes.viewed_place), else ``value`` itself."""
    return writes.viewed_place(value, lw.ctx.info) or value


def _always(plan, tuple_len: Optional[int]) -> bool:
    """Whether some row of ``plan`` has no test left (tier 0's "True" condition)."""
    return any(all(t.access == () and t.op == "tuple" and tuple_len is not None
                   for t in r.tests) for r in plan.rows)


def _subject_for(lw: "FunctionLowerer", value: A.Node, written_back: bool
                 ) -> tuple[Value, refs.Store]:
    """The matched value, and where bindings written back go (refs.py), if any is."""
    from .elemrefs import element_subject
    found = element_subject(lw, value)  # `if let Some(x) = v.last_mut()`
    if found is not None:
        return found
    if written_back:
        return refs.matched_place(lw, value)
    return _subject(lw, value), None


def _subject(lw: "FunctionLowerer", value: A.Node) -> Value:
    """The matched value, evaluated once (``&e`` and ``&mut e`` match ``e`` itself)."""
    from .elemrefs import element_subject
    found = element_subject(lw, value)  # (the element, not the runtime's place for it)
    if found is not None:
        return found[0]
    if isinstance(value, A.Ref):
        return lw.expr(value.operand)
    return lw.expr(value)


def if_let(lw: "FunctionLowerer", node: A.IfLet, want: bool) -> Value:
    """``if let pat = e { } else { }``."""
    value = matched(lw, node.value)
    plan = compile_plan(lw, alternatives(node.pattern), default_mode(lw, value))
    back = refs.written_back(plan, [node.then], lw.ctx.info, value)
    tuple_len = check_tuple_literal(value, [plan])
    s, store = _subject_for(lw, value, bool(back))
    m = Matcher(lw, s, node, tuple_len)
    m.prelude([plan])
    then_b, else_b = lw.new_block("iflet.then"), lw.new_block("iflet.else")
    end = _join(lw, "iflet.end", want)
    lw.scopes.append({})
    declare(lw, plan)
    refs.allow(lw, refs.reference_bindings(plan) + [b.name for b in back])
    match_rows(lw, m, plan, then_b, else_b, None if _fresh(value) else value)
    _enter(lw, then_b)
    ow = refs.overwritten(lw, plan, value, [node.then])
    with exits.on_exit(lw, refs.on_exits(lw, back, plan.rows[0], s, store, node)) as e:
        refs.after_overwrite(lw, ow, lambda: exits.drop(lw, e),
                             lambda: exits.restore(lw, e))
        v = lw.block(node.then, want)
    if not overwrites.for_good(ow):  # (the place overwritten: resolve/overwrites.py)
        refs.write_back(lw, back, plan.rows[0], s, store, node)
    lw.jump(end, [v] if want else [])
    lw.scopes.pop()
    _enter(lw, else_b)
    return else_arm(lw, node.orelse, end, want)


def while_let(lw: "FunctionLowerer", node: A.WhileLet, want: bool) -> Value:
    """``while let pat = e { }``: ``e`` is evaluated again at each iteration."""
    value = matched(lw, node.value)
    plan = compile_plan(lw, alternatives(node.pattern), default_mode(lw, value))
    back = refs.written_back(plan, [node.body], lw.ctx.info, value)
    head, body, end = lw.new_block("whilelet.head"), lw.new_block("whilelet.body"), \
        lw.new_block("whilelet.end")
    lw.jump(head)
    lw.start(head)
    tuple_len = check_tuple_literal(value, [plan])
    s, store = _subject_for(lw, value, True) if back else \
        (_subject_pop(lw, value, plan), None)
    m = Matcher(lw, s, node, tuple_len)
    m.prelude([plan])
    lw.scopes.append({})
    declare(lw, plan)
    refs.allow(lw, refs.reference_bindings(plan) + [b.name for b in back])
    match_rows(lw, m, plan, body, end, None if _fresh(value) else value)
    _enter(lw, body)
    ow = refs.overwritten(lw, plan, value, [node.body])
    _loop_body(lw, node.body, LoopTarget(head, end, False, False, node.label),
               refs.on_exits(lw, back, plan.rows[0], s, store, node), ow)
    if not overwrites.for_good(ow):  # (the place overwritten: resolve/overwrites.py)
        refs.write_back(lw, back, plan.rows[0], s, store, node)
    lw.scopes.pop()
    lw.jump(head)
    lw.ssa.seal(head)
    return _finish_join(lw, end, False)


def _subject_pop(lw: "FunctionLowerer", value: A.Node, plan) -> Value:
    """``while let Some(x) = v.pop()``: an array's ``pop`` gives Rust's Option when it
    is matched against Option patterns (tier 0's rule, interp/patterns._option_pop)."""
    if isinstance(value, A.MethodCall) and value.method == "pop" and not value.args \
            and not lw.ctx.info.types_with_method("pop") and any(
                t.access == () and t.op == "variant" and t.value.enum == "Option"
                for r in plan.rows for t in r.tests):
        from .places import place
        return lw.emit("pop_option", [place(lw, value.receiver)], node=value)
    return _subject(lw, value)


def matches_macro(lw: "FunctionLowerer", node: A.MacroPat, want: bool) -> Value:
    """``matches!(e, pat if guard)``: a bool."""
    value = matched(lw, node.value)
    plan = compile_plan(lw, node.patterns, default_mode(lw, value))
    if refs.written_back(plan, [node.guard], lw.ctx.info, value):
        raise NotInIR("a binding changed in the guard of 'matches!'", node.span)
    s = _subject(lw, value)
    m = Matcher(lw, s, node, check_tuple_literal(value, [plan]))
    m.prelude([plan])
    yes, no = lw.new_block("matches.yes"), lw.new_block("matches.no")
    end = _join(lw, "matches.end", True, "bool")
    lw.scopes.append({})
    declare(lw, plan)
    match_rows(lw, m, plan, yes, no, None)
    _enter(lw, yes)
    lw.jump(end, [lw.cond(node.guard) if node.guard is not None else lw.const(True)])
    lw.scopes.pop()
    _enter(lw, no)
    lw.jump(end, [lw.const(False)])
    return _finish_join(lw, end, True)


def let_pattern(lw: "FunctionLowerer", node: A.LetPat, stmt: Optional[A.Node] = None) -> None:
    """``let pat = e;`` (irrefutable, else tier 0's syntax error) and ``let pat = e else
    { diverge };``: the bindings live in the current scope. ``stmt``: the statement of
    the block ``node`` stands for (``let r = &mut x``: refs.let_borrow)."""
    value = matched(lw, node.value)
    from ..interp.conditional import diverges
    plan = compile_plan(lw, alternatives(node.pattern), default_mode(lw, value))
    if node.orelse is None and plan.refutable:
        raise RuchySyntaxError("refutable pattern in 'let': use 'let ... else' or 'if let'",
                               node.pattern.span)
    if node.orelse is not None and not diverges(node.orelse):
        raise RuchySyntaxError("the 'else' block of 'let ... else' must diverge (end with "
                               "return, break, continue or panic!)", node.orelse.span)
    if isinstance(value, A.TupleLit) and isinstance(node.pattern, A.TuplePat) \
            and len(node.pattern.elems) != len(value.elems):  # tier 0's static check
        raise RuchySyntaxError(f"this tuple pattern has {len(node.pattern.elems)} elements, "
                               f"but the value has {len(value.elems)}", node.pattern.span)
    referring = refs.reference_bindings(plan)
    s, store = _subject_for(lw, value, bool(referring))
    destructure(lw, plan, s, node, fresh=_fresh(value), orelse=node.orelse)
    if not referring:
        return
    refs.allow(lw, referring)

    last = [s]  # the matched value as last stored (two bindings into one tuple)
    variables = {n: lw.lookup(n) for n in referring}
    bound_at = lw.write_seq

    def written(mark: int) -> set[str]:
        """The bindings written since ``mark`` (also by the write-back of a reference
        made from one: ``let r = &mut t.1; let d = &mut r.0; *d += 1;``)."""
        return {n for n, var in variables.items() if lw.written_since(var, mark)}

    def after(stmt: A.Node) -> None:
        """A ``let``'s ``ref mut`` binding lives to the end of its block: each later
        statement that changes it writes it back (tier 0's stmt_hooks)."""
        back = refs.written_back(plan, [stmt], lw.ctx.info, value, written(lw.stmt_mark))
        last[0] = refs.write_back(lw, back, plan.rows[0], last[0], store, node, variables)
    hook = (len(lw.scopes), after)
    lw.stmt_hooks.append(hook)
    # An edge leaving the block early writes back what the rest of the block changes
    # (tier 0's add_exit_write_back), into the matched value as last stored.
    stmts, i = lw.stmt_at
    scope = stmts[i + 1:] if i < len(stmts) and stmts[i] is (stmt or node) \
        else [writes.UNKNOWN_CODE]
    entry = None
    if store is not None:
        def on_exit() -> None:
            back = refs.written_back(plan, scope, lw.ctx.info, value, written(bound_at))
            refs.write_back(lw, back, plan.rows[0], last[0], store, node, variables)
        entry = exits.add(lw, on_exit, len(lw.scopes))
    # After a statement that overwrites the matched place, nothing is written back.
    ow = refs.overwritten(lw, plan, value, scope, per_statement=True)

    def overwritten() -> None:
        if hook in lw.stmt_hooks:
            lw.stmt_hooks.remove(hook)
        exits.drop(lw, entry)

    def again() -> None:
        if hook not in lw.stmt_hooks:
            lw.stmt_hooks.append(hook)
        exits.restore(lw, entry)
    refs.after_overwrite(lw, ow, overwritten, again)


def destructure(lw: "FunctionLowerer", plan, s: Value, node: A.Node, fresh: bool,
                orelse: Optional[A.Block] = None) -> None:
    """Test ``s`` against ``plan`` and bind its names in the current scope; a value
    that does not match runs ``orelse`` (which diverges), else stops the program."""
    m = Matcher(lw, s, node, strict=True)
    m.prelude([plan])
    done, fail = lw.new_block("let.ok"), lw.new_block("let.fail")
    lw.scopes.append({})  # (the `else` block does not see the new bindings)
    declare(lw, plan)
    match_rows(lw, m, plan, done, fail, None if fresh else node)
    bound = lw.scopes.pop()
    if lw.ssa.preds.get(fail):
        _enter(lw, fail)
        if orelse is not None:
            lw.block(orelse, False)
        lw.emit("let_fail", [s], node=node)
        lw.jump(done)
    _enter(lw, done)
    for name in plan.names:
        lw.write(lw.bind(name), lw.read(bound[name]))


def param_or_for(lw: "FunctionLowerer", pat: A.Node, value: Value, node: A.Node,
                 what: str) -> None:
    """A parameter or ``for`` pattern (the value is already the receiver's own copy);
    a refutable one is tier 0's syntax error."""
    plan = compile_plan(lw, alternatives(pat))
    if plan.refutable:
        raise RuchySyntaxError(f"refutable pattern in {what}", pat.span)
    destructure(lw, plan, value, node, fresh=True)


__all__ = ["destructure", "if_let", "let_pattern", "match_expr", "matches_macro",
           "param_or_for", "while_let"]

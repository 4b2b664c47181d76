"""Tier 0: control flow (if, match, loops, break) as Python statements.

Python's indentation is bounded (100 levels), so chains (``else if``, match arms) are
emitted flat (``elif``, or one ``if`` per arm guarded by a "not matched yet" flag) rather
than nested.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Optional

from ..errors import RuchySyntaxError
from ..syntax import ast as A
from .opcode import is_temp
from .translate import _Loop, join

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]


def _branch(tr: "FunctionTranslator", body: A.Node, t: Optional[str]) -> Optional[str]:
    with tr.out.indented():
        code, kind = tr.block(body, t is not None) if isinstance(body, A.Block) \
            else tr.expr(body, t is not None)
        if t is not None:
            tr.emit(f"{t} = {code}", body)
    return kind


def _cond_lines(tr: "FunctionTranslator", cond: A.Node):
    """Translate a condition one level deeper into a side buffer: (code, lines)."""
    tr.out.depth += 1
    try:
        with tr.out.capture() as side:
            code, _ = tr.cond(cond)
    finally:
        tr.out.depth -= 1
    return code, side


def if_expr(tr: "FunctionTranslator", node: A.If, want: bool) -> Value:
    t = tr.tmp() if want else None
    c, _ = tr.cond(node.cond)
    tr.emit(f"if {c}:", node)
    kind = _branch(tr, node.then, t)
    cur, opened = node.orelse, 0
    while isinstance(cur, A.If):
        c2, side = _cond_lines(tr, cur.cond)
        if side.lines:
            tr.emit("else:", cur)
            tr.out.depth += 1
            opened += 1
            tr.out.splice(side)
            tr.emit(f"if {c2}:", cur)
        else:
            tr.emit(f"elif {c2}:", cur)
        kind = join(kind, _branch(tr, cur.then, t))
        cur = cur.orelse
    if cur is not None:
        tr.emit("else:", cur)
        kind = join(kind, _branch(tr, cur, t))
    elif t is not None:
        tr.emit("else:", node)
        with tr.out.indented():
            tr.emit(f"{t} = None", node)
        kind = join(kind, "unit")
    tr.out.depth -= opened
    return (t, kind) if t else ("None", "unit")


def match_expr(tr: "FunctionTranslator", node: A.Match, want: bool) -> Value:
    """``match``: the arms' plans (resolve/patterns.py) as a chain of inline tests on
    the scrutinee, evaluated once (a tuple literal's elements stay separate temps)."""
    from .bindings import bind, overwritten, write_back, written_back_on_exit
    from .patterns import cache_type, compiler, default_mode, plan_code, prelude, subject
    plans = compiler(tr).compile_match(node, default_mode(node.scrutinee, tr)).arms
    subj = subject(tr, node.scrutinee, [a.plan for a in plans])
    consts = prelude(tr, [a.plan for a in plans])
    cache_type(tr, subj, [a.plan for a in plans], node)
    t = tr.tmp() if want else None
    guarded = any(arm.guard is not None for arm in node.arms)
    flag = tr.tmp() if guarded else None
    if flag:
        tr.emit(f"{flag} = True", node)
    kind: Optional[str] = None
    exhaustive = False
    for i, (arm, ap) in enumerate(zip(node.arms, plans)):
        test = plan_code(subj, ap.plan, consts)
        if flag:
            tr.emit(f"if {flag} and ({test}):" if test != "True" else f"if {flag}:", arm)
        elif test == "True" and i > 0:
            tr.emit("else:", arm)
        else:
            tr.emit(f"{'if' if i == 0 else 'elif'} {test}:", arm)
        with tr.out.indented():
            tr.scopes.append({})
            bound = bind(tr, subj, ap.plan, arm, [arm.guard, arm.body],  # fresh: no copy
                         id(node.scrutinee) not in tr.fresh_nodes)
            if tr.osr_loops:  # an arm's scope, as a block's (jit/osr.holders)
                tr.block_depths[id(arm)] = len(tr.scopes)
            if arm.guard is not None:
                g, _ = tr.cond(arm.guard)
                tr.emit(f"if {g}:", arm.guard)
                tr.out.depth += 1
            if flag:
                tr.emit(f"{flag} = False", arm)
            with written_back_on_exit(tr, subj, bound, [arm.guard, arm.body], arm):
                code, k = tr.expr(arm.body, want)
            if t is not None:
                tr.emit(f"{t} = {code}", arm.body)
            if not overwritten(tr, subj, bound, [arm.guard, arm.body]):
                write_back(tr, subj, bound, [arm.guard, arm.body], arm)
            kind = join(kind, k)
            if arm.guard is not None:
                tr.out.depth -= 1
            tr.scopes.pop()
        if test == "True" and arm.guard is None:
            exhaustive = True
            break
    if not exhaustive:
        if flag:
            tr.emit(f"if {flag}: _nomatch({subj.whole()})", node)
        else:
            tr.emit("else:", node)
            with tr.out.indented():
                tr.emit(f"_nomatch({subj.whole()})", node)
    return (t, kind) if t else ("None", "unit")


def _new_loop(tr: "FunctionTranslator", node: A.Node, result: Optional[str],
              site: Optional[int] = None) -> _Loop:
    loop = _Loop(result, None)
    if tr.ctx.profile:
        tr.ctx.loops.append(node.span)
        loop.index = len(tr.ctx.loops) - 1
        tr.loop_ids.append(loop.index)
        loop.counter = f"_n{loop.index}"
        tr.nonlocals.add(f"l_{loop.index}")
        tr.emit(f"{loop.counter} = 0", node)
    if site is not None:
        point = tr.ctx.osr_sites[site]
        loop.osr_why = None if point.site.path is not None else point.site.why
        if not tr.loops:
            loop.osr_heat = "_h"
            tr.emit(f"{loop.osr_heat} = 0", node)
    loop.label = getattr(node, "label", None)
    if loop.label is not None:
        loop.flag = tr.tmp()
        tr.emit(f"{loop.flag} = 0", node)
    tr.loops.append(loop)
    return loop


def _count(tr: "FunctionTranslator", loop: _Loop, node: A.Node) -> None:
    if loop.counter:
        tr.emit(f"{loop.counter} += 1", node)
    # The outermost loop of a nest that holds OSR points carries the heat: the
    # iterations of every loop of the nest, so that an outer loop with few iterations
    # of long inner loops, or an inner loop that runs long, is entered in time.
    if tr.loops and tr.loops[0].osr_heat:
        tr.emit(f"{tr.loops[0].osr_heat} += 1", node)


def _end_loop(tr: "FunctionTranslator", loop: _Loop, node: A.Node) -> None:
    tr.loops.pop()
    if loop.counter:
        tr.emit(f"l_{loop.index} += {loop.counter}", node)
    # A labeled break/continue inside this loop that targets an outer loop left it
    # by Python's break with the target's flag set: go on leaving, or act at the target.
    for target in loop.exits:
        if tr.loops and tr.loops[-1] is target:
            tr.emit(f"if {target.flag}:", node)
            with tr.out.indented():
                tr.emit(f"if {target.flag} == 1: break", node)
                tr.emit(f"{target.flag} = 0", node)
                tr.emit("continue", node)
        else:
            tr.emit(f"if {target.flag}: break", node)
            if tr.loops and target not in tr.loops[-1].exits:
                tr.loops[-1].exits.append(target)


def _target(tr: "FunctionTranslator", node: A.Node, what: str) -> _Loop:
    """The loop a ``break``/``continue`` (with or without a label) leaves."""
    if not tr.loops:
        raise RuchySyntaxError(f"'{what}' outside of a loop", node.span)
    label = getattr(node, "label", None)
    if label is None:
        return tr.loops[-1]
    for lp in reversed(tr.loops):
        if lp.label == label:
            return lp
    raise RuchySyntaxError(f"use of undeclared label '{label}", node.span)


def _write_backs(tr: "FunctionTranslator", target: _Loop) -> None:
    """Before leaving the loops up to ``target``: the write-backs of the scopes left."""
    if tr.exits:
        from .bindings import exit_write_backs
        exit_write_backs(tr, len(tr.loops) - next(
            i for i, lp in enumerate(tr.loops) if lp is target))


def _leave(tr: "FunctionTranslator", target: _Loop, code: int, node: A.Node) -> None:
    """Leave the innermost loop towards outer loop ``target`` (code 1: break it, 2:
    continue it): set its flag; each loop on the way checks it (_end_loop)."""
    tr.emit(f"{target.flag} = {code}", node)
    tr.emit("break", node)
    if target not in tr.loops[-1].exits:
        tr.loops[-1].exits.append(target)


def continue_(tr: "FunctionTranslator", node: A.Continue) -> Value:
    target = _target(tr, node, "continue")
    _write_backs(tr, target)
    if target is tr.loops[-1]:
        tr.emit("continue", node)
    else:
        _leave(tr, target, 2, node)
    return "None", "unit"


def flush_loop_counters(tr: "FunctionTranslator", node: A.Node, n: int) -> None:
    """Before a ``return`` from inside loops, add their iteration counts to the profile."""
    for loop in tr.loops[:n]:
        if loop.counter:
            tr.emit(f"l_{loop.index} += {loop.counter}", node)


def _label_why(node: A.Node) -> Optional[str]:
    """Why OSR does not resume a labeled loop or one holding a labeled exit (the
    continuation would have to carry the exit's flag)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if getattr(n, "label", None) is not None and isinstance(
                n, (A.Break, A.Continue, A.While, A.Loop, A.For, A.ForRange, A.WhileLet)):
            return "it is labeled or holds a labeled 'break'/'continue'"
        if not isinstance(n, A.Closure):
            stack.extend(A.children(n))
    return None


def _osr_site(tr: "FunctionTranslator", node: A.Node,
              why: Optional[str] = None) -> Optional[int]:
    """Register ``node`` as an on-stack-replacement point if the tiered runtime is on
    and jit/osr.loop_sites found the loop (any ``while``, ``loop``, ``for`` range or
    ``for`` over an array). It is resumable when every node between the body and the
    loop can be finished from the live variables (a block, an arm, the first operand of
    an expression: jit/osr.py) and every enclosing loop is resumable; otherwise the
    runtime is still asked, once hot, and logs ``why`` it stays in the interpreter."""
    from ..jit.osr import Site, holders
    from .translate import OsrPoint
    if tr.ctx.jit is None:
        return None
    site = tr.osr_loops.get(id(node))
    if site is None:
        return None
    why = why or site.why or _label_why(node)
    if why is None:
        for lp in tr.loops:  # the enclosing loops: all on the path
            if lp.osr_why is not None:
                why = f"an enclosing loop cannot be resumed ({lp.osr_why})"
                break
    if why is not None:
        point = OsrPoint(tr.pyname, Site(None, why), node.span)
    else:
        scoped = [tr.body] + holders(tr.body.stmts, site.path)
        point = OsrPoint(tr.pyname, site, node.span,
                         tuple(tuple(s.items()) for s in tr.scopes),
                         tuple(tr.block_depths[id(b)] for b in scoped))
    tr.ctx.osr_sites.append(point)
    return len(tr.ctx.osr_sites) - 1


#: an OSR point's threshold once the runtime refused it (``_rN``: see _osr_check)
OSR_NEVER = 1 << 62


def _osr_check(tr: "FunctionTranslator", loop: _Loop, site: Optional[int], node: A.Node,
               extra: str = "") -> None:
    """At the head of an iteration: once the loop nest has run ``osr`` iterations, offer
    the runtime the live values (the site's locals, then the position of each
    enclosing ``for`` loop and then of this one, ``extra``: a range's current index
    and end, an array loop's current index and snapshot); if it ran the rest of
    the function compiled, return what that returned. A refusal is not asked again in
    this frame: ``_rN``, the heat at which the site asks next, set to the policy's
    threshold at the function's start, becomes OSR_NEVER; the runtime may also answer
    with a number of iterations after which to ask again."""
    if site is None or not tr.loops or tr.loops[0].osr_heat is None:
        return
    assert tr.ctx.jit is not None
    point = tr.ctx.osr_sites[site]
    live = [py for scope in point.scopes for _, py in scope]
    if point.site.path is not None:
        live += [f"{lp.resume[0]}, {lp.resume[1]}" for lp in tr.loops[:-1] if lp.resume]
        live += [extra] if extra else []
    flag = f"_r{site}"
    tr.osr_flags.append(flag)
    heat = tr.loops[0].osr_heat
    tr.emit(f"if {heat} >= {flag}:", node)
    with tr.out.indented():
        tr.emit(f"_o = _osr({site}, ({''.join(v + ', ' for v in live)}))", node)
        tr.emit("if _o.__class__ is tuple:", node)
        with tr.out.indented():
            flush_loop_counters(tr, node, len(tr.loops))
            tr.emit("return _o[0]", node)
        # refused (None): never ask again in this frame; a number: ask again after
        # that many more iterations of the nest (jit/background.py, while it compiles)
        tr.emit(f"{flag} = {heat} + _o if _o is not None else {OSR_NEVER}", node)


def while_loop(tr: "FunctionTranslator", node: A.While) -> Value:
    site = _osr_site(tr, node)
    loop = _new_loop(tr, node, None, site)
    c, side = _cond_lines(tr, node.cond)
    if site is not None:
        # The check comes before the condition, so that the compiled continuation
        # evaluates it (and any effects it has) exactly once per iteration.
        tr.emit("while True:", node)
        with tr.out.indented():
            _osr_check(tr, loop, site, node)
            tr.out.splice(side)
            tr.emit(f"if not {c}: break", node)
            _count(tr, loop, node)
            tr.block(node.body, False)
    elif side.lines:
        tr.emit("while True:", node)
        with tr.out.indented():
            tr.out.splice(side)
            tr.emit(f"if not {c}: break", node)
            _count(tr, loop, node)
            tr.block(node.body, False)
    else:
        tr.emit(f"while {c}:", node)
        with tr.out.indented():
            _count(tr, loop, node)
            tr.block(node.body, False)
    _end_loop(tr, loop, node)
    return "None", "unit"


def loop(tr: "FunctionTranslator", node: A.Loop) -> Value:
    t = tr.tmp()
    tr.emit(f"{t} = None", node)
    site = _osr_site(tr, node)
    lp = _new_loop(tr, node, t, site)
    tr.emit("while True:", node)
    with tr.out.indented():
        _osr_check(tr, lp, site, node)
        _count(tr, lp, node)
        tr.block(node.body, False)
    _end_loop(tr, lp, node)
    return t, lp.kind or "unit"


def for_range(tr: "FunctionTranslator", node: A.ForRange) -> Value:
    (s, ks), (e, ke) = tr.operands([node.start, node.end])
    if ks == "int" and ke == "int":
        site = _osr_site(tr, node, _pattern_why(node))
        if site is not None and not is_temp(e):
            e = tr.value_line(e, "int", node)[0]  # the end as evaluated, for OSR
        e = tr.simple(e, ke, node.end)
        it = f"range({s}, {e} + 1)" if node.inclusive else f"range({s}, {e})"
    else:
        site = _osr_site(tr, node, "its bounds are not known to be integers")
        it = tr.value_line(f"_range({s}, {e}, {node.inclusive})", None, node)[0]
    return _for(tr, node, it, "int", site, lambda var: (var, e))


#: ``for x in v.iter()`` and friends loop over ``v`` itself (``&v``, ``&mut v``, ``v``).
_ITER_METHODS = {"iter": False, "into_iter": False, "iter_mut": True}


def _plain_iterable(tr: "FunctionTranslator", it: A.Node) -> A.Node:
    """The iterable of a ``for`` with ``.iter()``/``.iter_mut()``/``.into_iter()`` on
    an array taken off (as ``&v``/``&mut v``/``v``), unless a user type defines it."""
    if isinstance(it, A.MethodCall) and not it.args and it.method in _ITER_METHODS and \
            not (tr.ctx.info and tr.ctx.info.types_with_method(it.method)):
        return A.Ref(_ITER_METHODS[it.method], it.receiver, span=it.span)
    return it


def for_array(tr: "FunctionTranslator", node: A.For) -> Value:
    iterable = _plain_iterable(tr, node.iterable)
    start = tr.out.mark
    a, _ = tr.expr(iterable)
    # ``for x in &mut v`` visits v's own elements (a write to x lands in v; a number
    # comes in a cell stored back when the next one is pulled: runtime/iterators.py).
    mut = isinstance(iterable, A.Ref) and iterable.mutable
    from .iterators import is_iterator
    lazy = is_iterator(tr, iterable)
    why = "it iterates with '&mut'" if mut else \
        "it iterates over a lazy iterator" if lazy else None
    site = _osr_site(tr, node, why or _pattern_why(node))
    snap = tr.value_line(f"{'_for_iter_mut' if mut else '_iter'}({a})", None, node)[0]
    if site is None or why:
        out = _for(tr, node, snap, "any", site)
        if mut or lazy:  # let go of the iterator: an iter_mut's last write-back is now
            from .iterators import temps_in
            tr.emit(" = ".join(temps_in(tr.out.lines[start:], snap)) + " = None", node)
        return out
    # An OSR point iterates over the snapshot with an iterator of its own, which says
    # where the loop stands only when asked (the snapshot's length minus the iterator's
    # length hint): nothing more per iteration than the plain loop.
    it = tr.value_line(f"iter({snap})", None, node)[0]
    return _for(tr, node, it, "any", site, lambda var: (  # (a lazy iterator: no snapshot)
        f"_for_pos({snap}, {it})", f"_for_snap({snap})"))


def _pattern_why(node: A.Node) -> Optional[str]:
    """Why OSR cannot resume a ``for`` loop over a pattern (its bindings are not live
    values the continuation knows)."""
    return "its variable is a pattern" if getattr(node, "pattern", None) is not None else None


def _for(tr: "FunctionTranslator", node: A.Node, it: str, kind: str,
         site: Optional[int] = None,
         position: Optional[Callable[[str], tuple[str, str]]] = None) -> Value:
    """``for var in it``; ``position(var)``, for an OSR point, is the code of the loop's
    position passed to the runtime (see _osr_check)."""
    lp = _new_loop(tr, node, None, site)
    tr.scopes.append({})
    var = tr.bind(node.var, kind)
    if lp.osr_why is None and position is not None:
        lp.resume = position(var)
    tr.emit(f"for {var} in {it}:", node)
    with tr.out.indented():
        _count(tr, lp, node)
        _osr_check(tr, lp, site, node, ", ".join(lp.resume) if lp.resume else "")
        pattern = getattr(node, "pattern", None)  # For/ForRange.pattern (syntax/ast.py)
        from ..resolve.refchains import ref_chain
        if pattern is not None and isinstance(node, A.For) and \
                ref_chain(tr.ctx.info, node.iterable) is not None:
            from .conditional import for_ref_pattern  # `for (a, b) in v.iter_mut()`
            with for_ref_pattern(tr, pattern, var, node):
                tr.block(node.body, False)
        else:
            if pattern is not None:
                from .conditional import for_pattern
                for_pattern(tr, pattern, var, kind, node)
            tr.block(node.body, False)
    tr.scopes.pop()
    _end_loop(tr, lp, node)
    return "None", "unit"


def break_(tr: "FunctionTranslator", node: A.Break) -> Value:
    loop = _target(tr, node, "break")
    if node.value is not None:
        if loop.result is None:
            raise RuchySyntaxError("'break' with a value is only allowed inside 'loop'",
                                   node.span)
        code, kind = tr.expr(node.value)
        tr.emit(f"{loop.result} = {tr.copied(code, kind, node.value)}", node)
        loop.kind = join(loop.kind, kind)
    elif loop.result is not None:
        tr.emit(f"{loop.result} = None", node)
        loop.kind = join(loop.kind, "unit")
    _write_backs(tr, loop)
    if loop is tr.loops[-1]:
        tr.emit("break", node)
    else:
        _leave(tr, loop, 1, node)
    return "None", "unit"

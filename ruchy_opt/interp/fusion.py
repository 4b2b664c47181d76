"""Tier 0: a lazy chain of ``filter``/``map`` closures over a range, fused into one
Python generator.

``(0..n).filter(|x| x % 3 != 0).map(|x| x * 2).sum()`` is otherwise a ``filter`` and a
``map`` object each calling a closure per item: two Python calls per item on top of
the work. Fused, the closures' bodies are translated inline, in order, into the body
of one generator function over the range::

    def _g7(_src):
        for v_x in _src:
            ...filter body...
            if not (_t5): continue
            v_x_1 = v_x
            ...map body...
            yield _t9

and the chain's value is ``_fuse(range, _g7, exact)`` (runtime/iterators.fuse): an
``Iter`` pulling from ``_g7(range)``, with the reversed range for ``rev()`` while
nothing was pulled. Nothing changes for the program: the closures run for the same
items in the same order, as lazily (an item at a time, when the consumer asks), with
the same captured variables (the generator is a nested function, as a closure is);
the parameter of the first closure is an int when both ends of the range are ints, so
its body needs no type tests. Only chains whose every closure is plain are fused: one
parameter (a name or ``&name``), not ``move``, and a body without ``return``, ``?``,
loops or closures (which would need the closure's own frame).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..syntax import ast as A

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]

#: The adapters a fused chain may hold.
FUSED = ("filter", "map")
#: Nodes that a fused closure body may not hold (see the module docstring).
_REFUSED = (A.Return, A.Try, A.Closure, A.While, A.Loop, A.For, A.ForRange, A.WhileLet,
            A.Break, A.Continue)


def fused_chain(tr: "FunctionTranslator", node: A.MethodCall) -> Optional[Value]:
    """The fused generator of the chain ending at adapter ``node``, or None when the
    chain is not a range followed by plain ``filter``/``map`` closures."""
    steps: list[A.MethodCall] = []
    root: A.Node = node
    info = tr.ctx.info
    while isinstance(root, A.MethodCall) and root.method in FUSED:
        pname = _param(root.args[0]) if len(root.args) == 1 else None
        if pname is None or (root.method == "filter" and _assigns(root.args[0].body, pname)):
            return None  # (a filter passes its item on, not what its parameter became)
        if info is not None and info.types_with_method(root.method):
            return None
        steps.append(root)
        root = root.receiver
    if not isinstance(root, A.Range) or root.start is None or root.end is None:
        return None
    steps.reverse()
    (a, ka), (b, kb) = tr.operands([root.start, root.end])
    a, b = tr.simple(a, ka, root.start), tr.simple(b, kb, root.end)
    rng = tr.value_line(f"_rng({a}, {b}, {root.inclusive})", "any", root)[0]
    kind = "int" if ka == kb == "int" else "any"
    name = "_g" + tr.tmp()[2:]
    items = _generator(tr, name, steps, kind, node)
    exact = all(s.method == "map" for s in steps)
    value = tr.value_line(f"_fuse({rng}, {name}, {exact})", "any", node)
    if items == "int":  # (a sum of it needs no test per item: int_sum)
        tr.__dict__.setdefault("fused_int_chains", set()).add(value[0])
    return value


def int_items(tr: "FunctionTranslator", code: str) -> bool:
    """Whether ``code`` is a fused chain that yields ints only."""
    return code in tr.__dict__.get("fused_int_chains", ())


def _param(c: A.Node) -> Optional[str]:
    """The name a plain closure (see the module docstring) binds, else None."""
    if not isinstance(c, A.Closure) or c.move or len(c.params) != 1:
        return None
    p = c.params[0]
    name = p.name
    if p.pattern is not None:
        inner = p.pattern.pat if isinstance(p.pattern, A.RefPat) else None
        if not isinstance(inner, A.Pattern) or inner.kind != "bind" or inner.by_ref \
                or inner.sub is not None or not isinstance(inner.value, str):
            return None
        name = inner.value
        if not (name[:1].islower() or name[:1] == "_"):  # maybe a const or a variant
            return None
    stack = [c.body]
    while stack:
        n = stack.pop()
        if isinstance(n, _REFUSED):
            return None
        stack.extend(A.children(n))
    return name


def _assigns(body: A.Node, name: str) -> bool:
    """Whether ``body`` assigns the name ``name`` (its kind is then not the item's)."""
    stack = [body]
    while stack:
        n = stack.pop()
        if isinstance(n, A.Assign) and isinstance(n.target, A.Name) and n.target.id == name:
            return True
        stack.extend(A.children(n))
    return False


def _generator(tr: "FunctionTranslator", name: str, steps: list[A.MethodCall],
               kind: str, node: A.Node) -> str:
    """Emit ``def name(_src)``: the closures of ``steps`` inline in a loop over _src;
    the kind of the items it yields."""
    from .closures import captures, declare_nonlocals, nested_function
    changed: set[str] = set()
    for s in steps:
        caps = captures(tr, s.args[0])
        changed |= {py for n in caps.changed_names if (py := tr.lookup(n)) is not None}
    params: list[str] = []
    depth = tr.out.depth
    with nested_function(tr, name) as before:
        try:
            src = name + "s"
            tr.emit(f"def {name}({src}):", node)
            start = tr.out.mark
            with tr.out.indented():
                cur = None
                for i, s in enumerate(steps):
                    clo = s.args[0]
                    pname = _param(clo)
                    k = kind if not _assigns(clo.body, pname) else "any"
                    tr.scopes.append({})  # the closure's own scope: its parameter
                    try:
                        py = tr.bind(pname, k)
                        params.append(py)
                        if i == 0:
                            tr.emit(f"for {py} in {src}:", s)
                            tr.out.depth += 1
                        else:
                            tr.emit(f"{py} = {cur}", s)
                        code, ck = tr.expr(clo.body)
                    finally:
                        tr.scopes.pop()
                    if s.method == "filter":
                        tr.emit(f"if not ({code}): continue", clo.body)
                        cur = py
                    else:
                        cur, kind = tr.simple(code, ck, clo.body), ck or "any"
                tr.emit(f"yield {cur}", node)
                tr.out.depth -= 1  # (the loop's body)
                items = kind
            declare_nonlocals(tr, start, before, changed, params, A.error_span(node))
        finally:
            tr.out.depth = depth
    return items

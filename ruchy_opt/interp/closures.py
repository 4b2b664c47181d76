"""Tier 0: closures, functions as values, and calls of them.

A closure becomes a Python function defined where the closure is (a nested ``def`` in
the generated function): its parameters are fresh locals, and the variables it
captures (resolve/captures.py) are the enclosing function's own locals, shared
through Python's cells: Rust's capture by reference, so a ``let mut`` changed inside
is changed outside, and a closure returned from its function keeps them alive. A
captured variable the closure may change is declared ``nonlocal``. A ``move``
closure is made by a small factory that receives the captured values, copied at
creation (Rust's capture by value).

The body is translated by the enclosing function's translator, so the flow-insensitive
kind inference sees the closure's assignments to captured variables together with the
function's own (a variable both assign keeps a kind only if every assignment agrees).
Loops inside a closure are not offered for on-stack replacement, and neither are the
loops of a function that has closures (jit/osr.py: compiled code would hold captured
variables in its own locals, which the closures no longer see).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Optional

from ..resolve.captures import Captures, function_captures, has_closure
from ..syntax import ast as A

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]

#: Why OSR does not resume the loops of a function that has closures.
OSR_WHY = ("its function has closures, which share the function's variables "
           "(compiled code would hold them in locals the closures do not see)")

#: A line of generated code that assigns a local (the safety net for ``nonlocal``).
_ASSIGNS = re.compile(r"^\s*(?:for\s+)?((?:[vg]_\w+)(?:\s*,\s*[vg]_\w+)*)\s*(?:[-+*/%&|^]?=(?!=)|\bin\b)")


def captures(tr: "FunctionTranslator", node: A.Closure) -> Captures:
    """The captures of ``node`` (one walk of the enclosing function per translation)."""
    table = getattr(tr, "closure_captures", None)
    if table is None or id(node) not in table:
        body = getattr(tr, "source_body", None)
        table = function_captures(tr.params, body) if body is not None else {}
        if id(node) not in table:  # e.g. a const's initializer: walk the closure alone
            table.update(function_captures([], node))
        tr.closure_captures = table
    return table[id(node)]


def osr_sites(body: A.Block, sites: dict) -> dict:
    """The OSR sites of a function body: refused for all its loops if it has closures."""
    if not sites or not has_closure(body):
        return sites
    from ..jit.osr import Site
    return {k: Site(None, OSR_WHY) for k in sites}


def closure(tr: "FunctionTranslator", node: A.Closure) -> Value:
    """Define the closure's Python function here; its value is that function."""
    caps = captures(tr, node)
    outer = {}
    for name in caps.names:
        py = tr.lookup(name)
        if py is not None:
            outer[name] = py
    changed = {outer[n] for n in caps.changed_names if n in outer}
    name = "_f" + tr.tmp()[2:]
    moved = [py for py in dict.fromkeys(outer.values()) if py[:2] not in ("g_", "k_")] \
        if node.move else []
    if moved:
        factory = name + "m"
        tr.emit(f"def {factory}({', '.join(moved)}):", node)
        tr.out.depth += 1
    with nested_function(tr, name) as before:
        params = [tr.bind(p.name, "any") for p in node.params]
        tr.emit(f"def {name}({', '.join(params)}):", node)
        start = tr.out.mark
        with tr.out.indented():
            for p in node.params:
                if p.pattern is not None:
                    from .conditional import param_pattern
                    param_pattern(tr, p)
            code, kind = tr.expr(node.body)
            tr.emit(f"return {code}", node.body)
        declare_nonlocals(tr, start, before, changed, params, node.span)
    if moved:
        tr.emit(f"return {name}", node)
        tr.out.depth -= 1
        args = ", ".join(f"_cp({py})" for py in moved)
        return tr.value_line(f"{factory}({args})", "any", node)
    return name, "any"


@contextmanager
def nested_function(tr: "FunctionTranslator", name: str) -> Iterator[set[str]]:
    """Translate a Python function nested in the current one (a closure, a fused
    iterator chain's generator): the per-function state of the translator (loops, OSR
    sites, return kind, nonlocals, name, post-call work, the write-backs of exits, a
    scope) is fresh inside and restored after. Yields the variables observed before,
    for :func:`declare_nonlocals`."""
    saved = (tr.loops, tr.osr_loops, tr.ret_kind, tr.nonlocals, tr.pyname,
             getattr(tr, "post_call", None), tr.exits)
    before = set(tr.observed)
    tr.loops, tr.osr_loops, tr.ret_kind, tr.nonlocals, tr.pyname = [], {}, None, set(), name
    tr.exits = []
    tr.post_call = []
    tr.scopes.append({})
    try:
        yield before
    finally:
        tr.scopes.pop()
        tr.loops, tr.osr_loops, tr.ret_kind, tr.nonlocals, tr.pyname, post, tr.exits = saved
        tr.post_call = post if post is not None else []


def declare_nonlocals(tr: "FunctionTranslator", start: int, before: set[str],
                      changed: set[str], params: list[str], span: A.Span) -> None:
    """Put ``nonlocal`` at the top of the nested function whose code starts at line
    ``start``: for the enclosing variables it assigns (its own ``nonlocals``, the
    captures it changes, and the enclosing names its generated code stores to)."""
    own = set(tr.observed) - before
    names = tr.nonlocals | changed | _assigned(tr.out.lines[start:], own, params)
    if names:
        tr.out.insert(start, "nonlocal " + ", ".join(sorted(names)), span, tr.out.depth + 1)


def _assigned(lines: list[str], own: set[str], params: list[str]) -> set[str]:
    """Variables of enclosing functions that the closure's code assigns (a ``&mut``
    write-back, a string method storing back, a swap...): they need ``nonlocal``."""
    out: set[str] = set()
    mine = own | set(params)
    for ln in lines:
        m = _ASSIGNS.match(ln)
        if m:
            for v in m.group(1).split(","):
                v = v.strip()
                if v not in mine:
                    out.add(v)
    return out


def call_value(tr: "FunctionTranslator", node: A.Call) -> Value:
    """``f(x)`` where ``f`` is a variable (a closure or a function value) or any other
    expression (``(self.op)(a, b)``, ``make_adder(1)(2)``): a Python call; a wrong
    number of arguments or a value that is not a function is a located runtime error
    (interp/runner.py maps Python's TypeError)."""
    from .calls import _args, flush_post
    f, fk = tr.expr(node.callee)
    f = tr.simple(f, fk, node.callee)
    mark, depth = tr.out.mark, tr.out.depth
    args, _ = _args(tr, node.args)
    if tr.out.mark > mark:
        codes = [f]
        tr.save_operands(codes, [fk], mark, depth, node)
        f = codes[0]
    out = tr.value_line(f"{f}({', '.join(args)})", "any", node)
    flush_post(tr)
    return out


def function_value(tr: "FunctionTranslator", qname: str) -> Value:
    """A named function used as a value: its generic (unspecialised) version."""
    from .translate import spec_name
    fn = tr.ctx.functions[qname]
    key = (qname, ("any",) * len(fn.params))
    tr.ctx.request(key)
    tr.callees.add(key)
    return spec_name(*key), "any"


#: Standard functions used as values (``.map(String::from)``).
STD_VALUES = {"String::from": "_text", "ToString::to_string": "_text",
              "str::to_string": "_text", "String::to_string": "_text",
              "str::len": "_M_len", "String::len": "_M_len", "Some": "V_Option_S_Some",
              "Option::Some": "V_Option_S_Some", "Ok": "V_Result_S_Ok",
              "Err": "V_Result_S_Err", "Result::Ok": "V_Result_S_Ok",
              "Result::Err": "V_Result_S_Err"}


def path_function(tr: "FunctionTranslator", node: A.Path) -> Optional[Value]:
    """``m::f``, ``Self::helper``, ``Point::new`` or ``i64::abs`` as a value."""
    from .items import resolve
    from ..resolve import FnInfo
    key = f"{node.owner}::{node.name}"
    item = resolve(tr, key)
    if isinstance(item, FnInfo) and item.node.body is not None \
            and item.name in tr.ctx.functions:
        return function_value(tr, item.name)
    if key in STD_VALUES:
        return STD_VALUES[key], "any"
    from ..resolve.paths import library_function
    hit = library_function(node.owner, node.name, item)
    if hit is None:
        return None
    if hit[0] == "method":  # `i64::abs`, `char::is_alphabetic`
        return f"_M_{node.name}", "any"
    from .collections import constructor_value  # `or_insert_with(Vec::new)`
    return constructor_value(node)

"""Builder callbacks for Ruchy's own forms (docs/level3.md "Ruchy dialect forms"), each
desugared here to nodes the later stages already know, so that every tier gets them:

- ``var x = e`` is ``let mut x = e``; ``~x`` is ``!x`` (bitwise not of an int);
- ``x => e`` and ``(a, b) => e`` as arguments are closures; ``fun(a) { .. }`` too;
- ``'text'`` (two or more characters, or none) is a string (lexed as a CHAR token:
  builder.char_lit, build_patterns.pat_char);
- ``{ key: value, "k": v }`` is the call ``__object!("key", value, "k", v)`` (an object,
  runtime/objects.py);
- ``try { B } catch p { C }`` is ``match __try!(|| { B }) { Ok(v) => v, Err(p) => C,
  Err(e) => __throw!(e) }`` and ``throw e`` is ``__throw!(e)`` (interp/dialect.py);
- ``requires c`` / ``ensures c`` on a function check ``c`` on entry / on the body's value
  (``result``), panicking when it is false;
- ``x |> f(a)`` is ``__pipe!(x, f(a))``: ``f(x, a)`` if ``f`` is a function, else the
  method call ``x.f(a)`` (interp/dialect.py);
- decorators (``@test("..")``) are dropped, as attributes are;
- ``[e for p in it if c]`` is the block ``{ let mut acc = []; for p in it { if c {
  acc.push(e) } }; acc }`` (the accumulator's name cannot clash with a program's).

Imported only when a parser is built (it imports lark)."""
from __future__ import annotations

from typing import Any, Optional

from lark import Token

from ..errors import RuchySyntaxError
from . import ast as A
from .builder import _let, tok_span
from .build_items import make_param, name_params
from .strings import decode_string


class Contract:
    """A ``requires`` or ``ensures`` clause, until fun_def applies it (with_contracts)."""

    __slots__ = ("kind", "cond", "span")

    def __init__(self, kind: str, cond: A.Node, span: A.Span) -> None:
        self.kind, self.cond, self.span = kind, cond, span


def _macro(name: str, args: list, span: A.Span) -> A.Call:
    """A call of the dialect macro ``name!`` (handled by interp/dialect.py)."""
    return A.Call(A.Name(name, span=span), args, True, span=span)


def _failed(what: str, span: A.Span) -> A.If:
    """``if !cond { panic!("<what> failed") }`` without the condition (filled in by the caller)."""
    msg = A.StrLit(f"{what} failed", span=span)
    panic = A.Call(A.Name("panic", span=span), [msg], True, span=span)
    return A.If(A.UnitLit(span=span), A.Block([panic], span=span), None, span=span)


def with_contracts(body: Optional[A.Block], contracts: list[Contract]) -> Optional[A.Block]:
    """``body`` checking the ``requires`` clauses first and the ``ensures`` clauses on its
    value, bound to ``result`` (a ``return`` inside the body skips the ``ensures`` check)."""
    if body is None or not contracts:
        return body
    pre, post = [], []
    for c in contracts:
        check = _failed("precondition" if c.kind == "requires" else "postcondition", c.span)
        check.cond = A.Unary("!", c.cond, span=c.span)
        (pre if c.kind == "requires" else post).append(check)
    sp = body.span
    if post:
        inner = A.Block(body.stmts, span=sp)
        stmts = pre + [A.Let("result", False, None, inner, span=sp)] + post \
            + [A.Name("result", span=sp)]
    else:
        stmts = pre + body.stmts
    return A.Block(stmts, span=sp)


def _lambda_params(left: A.Node) -> list[A.Param]:
    """The parameters of an arrow lambda from what stands left of its ``=>``."""
    if isinstance(left, A.Name):
        names = [left]
    elif isinstance(left, A.TupleLit) and all(isinstance(e, A.Name) for e in left.elems):
        names = left.elems
    elif isinstance(left, A.UnitLit):
        names = []
    else:
        raise RuchySyntaxError("the parameters of `=>` must be a name or names in parentheses",
                               left.span)
    return name_params([make_param(A.Pattern("bind", n.id, span=n.span), None) for n in names])


class DialectRules:
    """One callback per dialect rule of ruchy.lark (see builder.py for the protocol)."""

    def requires(self, meta, cond):
        return Contract("requires", cond, meta)

    def ensures(self, meta, cond):
        return Contract("ensures", cond, meta)

    def var_stmt(self, meta, pats, *ch):
        ty = next((c for c in ch if isinstance(c, A.TypeRef)), None)
        value = ch[-1]
        for p in pats:
            if type(p) is A.Pattern and p.kind == "bind":
                p.mutable = True
        return _let(meta, pats, ty, value, None)

    def decorator(self, meta, *ch):
        return None

    def bitnot(self, meta, operand):
        return A.Unary("!", operand, span=meta)

    def arrow_lambda(self, meta, left, body):
        return A.Closure(_lambda_params(left), body, span=meta)

    def anon_fun(self, meta, *ch):
        params = next(c for c in ch if type(c) is list)
        ret = next((c for c in ch if isinstance(c, A.TypeRef)), None)
        return A.Closure(params, ch[-1], ret, span=meta)

    def pat_byte(self, meta, tok):
        from .build_patterns import char_value
        return A.Pattern("int", ord(char_value(Token("CHAR", tok.value[1:], tok.start_pos + 1,
                                                     tok.line, tok.column + 1, tok.end_line,
                                                     tok.end_column, tok.end_pos))), span=meta)

    def ref_name(self, meta, tok):  # `ref` is a name in Ruchy (`fn f(ref: str)`)
        return A.Name("ref", span=meta)

    def pat_ref_name(self, meta, tok):
        return A.Pattern("bind", "ref", span=meta)

    # object literals
    def obj_field(self, meta, key, value):
        name = decode_string(key.value[1:-1], key) if key.type == "STRING" else key.value
        return (A.StrLit(name, span=tok_span(key)), value)

    def object_lit(self, meta, *fields):
        args: list = []
        for k, v in fields:
            args += [k, v]
        return _macro("__object", args, meta)

    def list_comp(self, meta, element, _for, pat, iterable, *cond):
        cond = [c for c in cond if isinstance(c, A.Node)]  # (the IF token, if kept)
        acc = f"__comp{meta.line}_{meta.col}"  # `__` + position: no Ruchy name clashes
        push = A.MethodCall(A.Name(acc, span=meta), "push", [element], element.span,
                            span=element.span)
        body = push if not cond else A.If(cond[-1], A.Block([push], span=meta), None,
                                          span=cond[-1].span)
        loop = self.for_expr([_for, pat, iterable, A.Block([body], span=meta)])  # (lark form)
        start = A.Let(acc, True, None, A.ArrayLit([], span=meta), span=meta)
        return A.Block([start, loop, A.Name(acc, span=meta)], span=meta)

    def pipeline(self, meta, value, stage):
        return _macro("__pipe", [value, stage], meta)

    # try / catch / throw
    def catch_clause(self, meta, pat, block):
        return (pat, block)

    def throw_expr(self, meta, value):
        return _macro("__throw", [value], meta)

    def try_catch(self, meta, body, *rest):
        sp = meta
        arms = [A.MatchArm([A.TupleStructPat("Ok", [A.Pattern("bind", "__try_v", span=sp)],
                                             span=sp)], None, A.Name("__try_v", span=sp),
                           span=sp)]
        finally_block = None
        for r in rest:
            if type(r) is tuple:
                pat, block = r
                arms.append(A.MatchArm([A.TupleStructPat("Err", [pat], span=pat.span)], None,
                                       block, span=block.span))
            else:
                finally_block = r
        rethrow = _macro("__throw", [A.Name("__try_e", span=sp)], sp)
        arms.append(A.MatchArm([A.TupleStructPat("Err", [A.Pattern("bind", "__try_e", span=sp)],
                                                 span=sp)], None, rethrow, span=sp))
        tried = _macro("__try", [A.Closure([], body, span=body.span)], sp)
        match = A.Match(tried, arms, span=sp)
        if finally_block is None:
            return match
        # the finally block runs after the try (or the catch that handled its error)
        return A.Block([A.Let("__try_r", False, None, match, span=sp), finally_block,
                        A.Name("__try_r", span=sp)], span=sp)

    # types
    def option_type(self, meta, ty):
        return A.TypeRef("other", f"Option<{ty.text}>", ty, args=[ty], span=meta)

    def slice_type(self, meta, ty):
        return A.TypeRef("array", f"[{ty.text}]", ty, span=meta)


__all__ = ["DialectRules", "Contract", "with_contracts"]

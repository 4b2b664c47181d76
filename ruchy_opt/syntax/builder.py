"""The AST builder: one callback per grammar rule of ruchy.lark, run by lark's LALR
parser as it reduces (so no parse tree is built and nothing recurses on the input).

lark is run with ``keep_all_tokens`` so that every node's span can be computed from all
of its tokens, punctuation included; callbacks then see only the tokens in ``_KEEP``,
except the ``@_raw`` ones (the rules reduced most often), which take lark's children
list as it is and compute their span themselves.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from ..errors import RuchySyntaxError
from . import ast as A
from .strings import decode_string, split_fstring

#: lark's Token class, set by build_transformer: lark is imported only when a parser is
#: built, so that importing this module (runs served from a cache) does not pay for it.
Token: Any = None

def _span(meta: Any) -> A.Span:
    return meta


#: Terminals the AST builder looks at; every other token (punctuation, keywords
#: such as `let`) is dropped after it has contributed to the node's span.
_ASSIGN_OPS = frozenset("""ASSIGN ADD_ASSIGN SUB_ASSIGN MUL_ASSIGN DIV_ASSIGN REM_ASSIGN AND_ASSIGN
    OR_ASSIGN XOR_ASSIGN SHL_ASSIGN SHR_ASSIGN""".split())
_KEEP = _ASSIGN_OPS | frozenset("""NAME INT FLOAT STRING FSTRING TRUE FALSE MUT PUB OROR ANDAND
    BAR CARET AMP EQ NE LE GE LT GT SHL SHR PLUS MINUS STAR SLASH PERCENT POW BANG DOTDOT
    DOTDOTEQ IF WHILE LOOP FOR MATCH BREAK CONTINUE RETURN AS CHAR LIFETIME REF MOVE STATIC
    ARROW IMPL DYN GTJ TYPE RAW_STRING BYTE_CHAR""".split())


def _children_span(children: list) -> A.Span:
    """The span from the first to the last positioned child: a token, a node with a
    span, or a non-empty list of them. (Other values, such as the int of a
    `range_bound`, have no position.) This runs for every node built, so it looks
    only as far in from either end as it has to."""
    start = _first_pos(children)
    if start is None:
        return A.NO_SPAN
    end = _last_pos(reversed(children))
    return A.Span(start[0], start[1], end[0], end[1])


def _first_pos(children: Any) -> Optional[tuple[int, int]]:
    """(line, column) where the first positioned child starts."""
    for c in children:
        t = type(c)
        if t is Token:
            return c.line, c.column
        if t is list:
            if c:
                # A list with nothing positioned in it counts as at 0:0, as it always has.
                return _first_pos(c) or (0, 0)
        elif isinstance(c, A.Node):
            sp = c.span
            if sp.line:
                return sp.line, sp.col
    return None


def _last_pos(children: Any) -> tuple[int, int]:
    """(end line, end column) of the last positioned child (children reversed)."""
    for c in children:
        t = type(c)
        if t is Token:
            return c.end_line, c.end_column
        if t is list:
            if c:
                return _last_pos(reversed(c)) if _first_pos(c) else (0, 0)
        elif isinstance(c, A.Node):
            sp = c.span
            if sp.line:
                return sp.end_line, sp.end_col
    return (0, 0)  # not reached: the caller found a positioned child


Node, Span = A.Node, A.Span


def tok_span(tok: Any) -> A.Span:
    return A.Span(tok.line, tok.column, tok.end_line, tok.end_column)


#: A Rust type suffix on a number literal (`0u32`, `1.5f64`): accepted and dropped.
_SUFFIX = re.compile(r"(?:[iu](?:8|16|32|64|128|size)|f32|f64)$")
_INT_SUFFIX = re.compile(r"[iu](?:8|16|32|64|128|size)$")


#: the error of an integer literal an i64 cannot hold (parser.py checks 2**63 too)
OUT_OF_RANGE = "integer literal out of range (an i64 holds at most 9223372036854775807)"


def _parse_int(text: str, tok: Any) -> int:
    t = text.replace("_", "")
    if "u" in t or "i" in t:  # a suffix (no digit of any base is an i or u)
        t = _INT_SUFFIX.sub("", t)
    base = {"0x": 16, "0o": 8, "0b": 2}.get(t[:2], 10)
    digits = t[2:] if base != 10 else t
    # more significant digits than any i64 has (64 in binary, 19 in decimal) is out of
    # range before converting: int() refuses decimal strings of over 4,300 digits
    if len(digits.lstrip("0")) > 64 or (base == 10 and len(digits.lstrip("0")) > 20):
        raise RuchySyntaxError(OUT_OF_RANGE, tok_span(tok))
    v = int(digits, base)
    if v > 2**63:  # 2**63 itself is allowed only under unary minus (checked there)
        raise RuchySyntaxError(OUT_OF_RANGE, tok_span(tok))
    return v


def parse_float(text: str) -> float:
    """The value of a FLOAT token (underscores and an `f32`/`f64` suffix dropped)."""
    return float(_SUFFIX.sub("", text.replace("_", "")))


#: Methods whose type argument syntax/turbofish.py may fill in when a call has none ...
_TURBOFISH_METHODS = frozenset(("parse", "collect", "sum", "product"))
#: ... and how many such calls (no arguments, no turbofish) the builder has built so far:
#: parse_program runs that pass only when a program has one.
_turbofish_sites = [0]


def turbofish_sites() -> int:
    """How many ``parse``/``collect``/``sum``/``product`` calls without arguments or
    turbofish have been built (by this process, so far)."""
    return _turbofish_sites[0]


def build_transformer():  # noqa: C901 - one callback per grammar rule
    global Token
    from lark import Token, Transformer

    def toks(children, *types):
        return [c for c in children if isinstance(c, Token) and c.type in types]

    def nodes(children):
        return [c for c in children if isinstance(c, A.Node)]

    from .build_items import ItemRules, flatten, name_params
    from .build_patterns import PatternRules, char_value, is_char
    from .build_types import TypeRules
    from .build_dialect import DialectRules

    class Builder(Transformer, ItemRules, PatternRules, TypeRules, DialectRules):
        """Turns each reduced grammar rule into an AST node (see ruchy.lark)."""

        # items (the others are in build_items.py)
        def start(self, meta, *ch):
            return A.Program(flatten([c for c in ch if isinstance(c, (A.Node, list))]), span=meta)

        # statements
        def let_stmt(self, meta, pats, *ch):
            ty = next((c for c in ch if isinstance(c, A.TypeRef)), None)
            vals = [c for c in ch if isinstance(c, A.Node) and not isinstance(c, A.TypeRef)]
            return _let(meta, pats, ty, vals[0], vals[1] if len(vals) > 1 else None)

        def let_decl(self, meta, pats, *ch):
            ty = next((c for c in ch if isinstance(c, A.TypeRef)), None)
            return _let(meta, pats, ty, A.UnitLit(span=meta), None)

        def let_in(self, meta, pats, *ch):
            ty = next((c for c in ch if isinstance(c, A.TypeRef)), None)
            value, body = [c for c in ch if isinstance(c, A.Node) and not isinstance(c, A.TypeRef)]
            vs = value.span
            let = _let(Span(meta.line, meta.col, vs.end_line, vs.end_col), pats, ty, value, None)
            return A.Block([let, body], span=meta)

        def assign_stmt(self, meta, target, op, value):
            if not _is_place(target):
                raise RuchySyntaxError("cannot assign to this expression", target.span)
            return A.Assign(target, str(op), value, tok_span(op), span=_span(meta))

        @_raw
        def block(self, ch):  # "{" (stmt | ";")* "}"
            first, last = ch[0], ch[-1]
            stmts = [c for c in ch if isinstance(c, Node)]
            if len(stmts) + 2 < len(ch) and any(type(c) is list for c in ch):
                stmts = flatten([c for c in ch if isinstance(c, (Node, list))])  # `use` groups
            return A.Block(stmts, span=Span(first.line, first.column, last.end_line, last.end_column))

        # operators: `operands` and `binary` are the module's _operands and _binary

        def unop(self, meta, op, operand):
            if str(op) == "-" and isinstance(operand, A.IntLit):
                # Fold `-LIT` so that -9223372036854775808 is a valid literal.
                return A.IntLit(-operand.value, span=_span(meta))
            if str(op) == "-" and isinstance(operand, A.Cast) and isinstance(operand.value, A.IntLit):
                # `-LIT as T`: negating before an int cast is the same value, and it lets
                # the most negative literal be cast.
                lit = A.IntLit(-operand.value.value, span=_span(meta))
                return A.Cast(lit, operand.type, operand.op_span, span=_span(meta))
            return A.Unary(str(op), operand, span=_span(meta))

        def ref(self, meta, *ch):
            return A.Ref(bool(toks(ch, "MUT")), ch[-1], span=_span(meta))

        def ref_ref(self, meta, *ch):
            inner = A.Ref(bool(toks(ch, "MUT")), ch[-1], span=_span(meta))
            return A.Ref(False, inner, span=_span(meta))

        @_raw
        def shr(self, ch):  # GT GTJ: the layout split `>>` so that types can close on each
            a, b = ch
            return Token("SHR", ">>", a.start_pos, a.line, a.column, b.end_line, b.end_column,
                         b.end_pos)

        def closure(self, meta, *ch):
            params = name_params([c for c in ch if isinstance(c, A.Param)])
            ret = next((c for c in ch if isinstance(c, A.TypeRef)), None)
            return A.Closure(params, ch[-1], ret, bool(toks(ch, "MOVE")), span=_span(meta))

        # ranges
        def range(self, meta, lo, op, hi):
            return A.Range(lo, hi, str(op) == "..=", span=_span(meta))

        def range_from(self, meta, lo, op):
            return A.Range(lo, None, False, span=_span(meta))

        def range_to(self, meta, op, hi):
            return A.Range(None, hi, str(op) == "..=", span=_span(meta))

        def range_full(self, meta, op):
            return A.Range(None, None, False, span=_span(meta))

        def deref(self, meta, *ch):
            return A.Deref(ch[-1], span=_span(meta))

        def deref2(self, meta, *ch):  # `**r` (lexed as the power operator)
            return A.Deref(A.Deref(ch[-1], span=_span(meta)), span=_span(meta))

        # postfix
        @_raw
        def call(self, ch):  # postfix "(" args ")"
            callee, _, args, rpar = ch
            if isinstance(callee, _LITERALS):
                raise RuchySyntaxError("only functions can be called", callee.span)
            sp = callee.span
            return A.Call(callee, args,
                          span=Span(sp.line, sp.col, rpar.end_line, rpar.end_column))

        def index(self, meta, target, idx):
            return A.Index(target, idx, A.Span(target.span.end_line, target.span.end_col,
                                               meta.end_line, meta.end_col), span=_span(meta))

        def method_call(self, meta, recv, name, args):
            if not args and name.value in _TURBOFISH_METHODS:
                _turbofish_sites[0] += 1
            return A.MethodCall(recv, str(name), args, tok_span(name), span=_span(meta))

        def method_call_tf(self, meta, recv, name, type_args, args):
            type_args = [t for t in type_args if isinstance(t, A.TypeRef)]
            return A.MethodCall(recv, str(name), args, tok_span(name), type_args, span=_span(meta))

        def field(self, meta, target, name):
            return A.Field(target, str(name), tok_span(name), span=_span(meta))

        def tuple_field_expr(self, meta, target, index):
            return A.Field(target, str(int(index.value)), tok_span(index), span=_span(meta))

        def try_expr(self, meta, operand):
            return A.Try(operand, span=_span(meta))

        def cast(self, meta, value, as_tok, ty):
            return A.Cast(value, ty, tok_span(as_tok), span=_span(meta))

        @_raw
        def paren(self, ch):  # "(" expr ")"
            return ch[1]

        @_raw
        def args(self, ch):  # (expr ("," expr)* ","?)?: the expressions
            return [c for c in ch if type(c) is not Token]

        @_raw
        def macro_args(self, ch):  # as args, some of them named_arg
            return [c for c in ch if type(c) is not Token]

        @_raw
        def named_arg(self, ch):  # NAME "=" expr: what interp/formatting.py reads
            name, op, value = ch
            vs = value.span
            return A.Assign(A.Name(name.value, span=tok_span(name)), "=", value, tok_span(op),
                            span=Span(name.line, name.column, vs.end_line, vs.end_col))

        @_raw
        def unsafe_block(self, ch):  # UNSAFE block: a plain block (no checks to switch off)
            return ch[1]

        # atoms
        # (one token each: the node's span is the token's)
        @_raw
        def int_lit(self, ch):
            tok = ch[0]
            # 2**63 is kept for now: `-9223372036854775808` folds it in unop, and
            # check_depth rejects any that is left.
            return A.IntLit(_parse_int(tok.value, tok), span=tok_span(tok))

        @_raw
        def float_lit(self, ch):
            tok = ch[0]
            return A.FloatLit(parse_float(tok.value), span=tok_span(tok))

        @_raw
        def true_lit(self, ch):
            return A.BoolLit(True, span=tok_span(ch[0]))

        @_raw
        def false_lit(self, ch):
            return A.BoolLit(False, span=tok_span(ch[0]))

        @_raw
        def str_lit(self, ch):
            tok = ch[0]
            return A.StrLit(decode_string(tok.value[1:-1], tok), span=tok_span(tok))

        @_raw
        def raw_str_lit(self, ch):
            tok = ch[0]
            hashes = len(tok.value) - len(tok.value.lstrip("r#")) - 1
            return A.StrLit(tok.value[2 + hashes:len(tok.value) - 1 - hashes], span=tok_span(tok))

        @_raw
        def byte_lit(self, ch):
            tok = ch[0]
            return A.IntLit(ord(char_value(Token("CHAR", tok.value[1:], tok.start_pos + 1,
                                                 tok.line, tok.column + 1, tok.end_line,
                                                 tok.end_column, tok.end_pos))),
                            span=tok_span(tok))

        @_raw
        def byte_str_lit(self, ch):  # b"..": the array of its bytes (Rust's &[u8; N])
            tok = ch[0]
            sp = tok_span(tok)
            data = decode_string(tok.value[2:-1], tok).encode("utf-8")
            return A.ArrayLit([A.IntLit(b, span=sp) for b in data], span=sp)

        @_raw
        def fstr_lit(self, ch):
            return _parse_fstring(ch[0])

        @_raw
        def char_lit(self, ch):
            tok = ch[0]
            if not is_char(tok):  # Ruchy's single-quoted string: 'ab', ''
                return A.StrLit(decode_string(tok.value[1:-1], tok), span=tok_span(tok))
            return A.CharLit(char_value(tok), span=tok_span(tok))

        @_raw
        def name(self, ch):
            tok = ch[0]
            return A.Name(tok.value,
                          span=Span(tok.line, tok.column, tok.end_line, tok.end_column))

        def path(self, meta, *ch):
            # `Vec::<i64>::new`: turbofish arguments (lists) inside the path are dropped;
            # those after its last name are kept (`make::<Point>()`: interp/generics.py)
            names = [str(c) for c in ch if type(c) is Token]
            targs = tuple(t for t in ch[-1] if isinstance(t, A.TypeRef)) \
                if type(ch[-1]) is list else ()
            if len(names) == 1:
                return A.Name(names[0], targs, span=_span(meta))
            return A.Path("::".join(names[:-1]), names[-1], targs, span=_span(meta))

        def struct_lit(self, meta, head, *ch):
            path = head.id if isinstance(head, A.Name) else \
                (f"{head.owner}::{head.name}" if isinstance(head, A.Path) else str(head))
            fields = [c for c in ch if isinstance(c, A.FieldInit)]
            base = ch[-1] if toks(ch, "DOTDOT") else None
            return A.StructLit(path, fields, base, span=_span(meta))

        def field_init(self, meta, name, value):
            return A.FieldInit(str(name), value, span=_span(meta))

        def field_init_short(self, meta, name):
            return A.FieldInit(str(name), A.Name(str(name), span=tok_span(name)), span=_span(meta))

        def tuple_lit(self, meta, *ch):
            return A.TupleLit(nodes(ch), span=_span(meta))

        def macro_pat(self, meta, value, pats, *ch):
            guard = ch[-1] if toks(ch, "IF") else None
            return A.MacroPat(value, pats, guard, span=_span(meta))

        def unit_lit(self, meta, *ch):
            return A.UnitLit(span=_span(meta))

        def array_lit(self, meta, *ch):
            return A.ArrayLit(ch[-1], span=_span(meta))

        def array_repeat(self, meta, *ch):
            value, count = nodes(ch)
            return A.ArrayRepeat(value, count, span=_span(meta))

        def macro(self, meta, *ch):
            name = ch[0]
            args = next(c for c in ch if isinstance(c, list))
            if str(name) == "vec":
                return A.ArrayLit(args, span=_span(meta))
            return A.Call(A.Name(str(name), span=tok_span(name)), args, True, span=_span(meta))

        def vec_repeat(self, meta, *ch):
            name = ch[0]
            if str(name) != "vec":
                raise RuchySyntaxError(f"`{name}!` does not take `[value; count]`", tok_span(name))
            value, count = nodes(ch)
            return A.ArrayRepeat(value, count, span=_span(meta))

        def if_expr(self, meta, *ch):
            n = nodes(ch)
            return A.If(n[0], n[1], n[2] if len(n) > 2 else None, span=_span(meta))

        def if_let(self, meta, _if, pats, *ch):
            n = nodes(ch)
            return A.IfLet(_one(pats, meta), n[0], n[1], n[2] if len(n) > 2 else None,
                           span=_span(meta))

        def while_let(self, meta, _while, pats, *ch):
            value, body = nodes(ch)
            return A.WhileLet(_one(pats, meta), value, body, span=_span(meta))

        def labelled(self, meta, label, loop):
            if not isinstance(loop, (A.Loop, A.While, A.WhileLet, A.For, A.ForRange)):
                raise RuchySyntaxError("only a loop can have a label", loop.span)
            loop.label = label.value[1:]
            loop.span = _span(meta)
            return loop

        def while_expr(self, meta, *ch):
            return A.While(ch[1], ch[2], span=_span(meta))

        def loop_expr(self, meta, *ch):
            return A.Loop(ch[1], span=_span(meta))

        def for_expr(self, meta, _for, pat, iterable, body):
            if type(pat) is A.Pattern and pat.kind == "bind" and pat.sub is None \
                    and not pat.by_ref and not pat.mutable:
                var, pattern = pat.value, None
            elif type(pat) is A.Pattern and pat.kind == "wild":
                var, pattern = "_", None
            else:
                var, pattern = f"_for{pat.span.line}_{pat.span.col}", pat
            if type(iterable) is A.Range and iterable.start is not None and iterable.end is not None:
                return A.ForRange(var, iterable.start, iterable.end, iterable.inclusive, body,
                                  pattern, span=_span(meta))
            return A.For(var, iterable, body, pattern, span=_span(meta))

        def match_expr(self, meta, *ch):
            arms = [c for c in ch if isinstance(c, A.MatchArm)]
            return A.Match(ch[1], arms, span=_span(meta))

        def match_arm(self, meta, pats, *ch):
            n = nodes(ch)
            guard = n[0] if toks(ch, "IF") else None
            return A.MatchArm(pats, guard, n[-1], span=_span(meta))

        def break_expr(self, meta, *ch):
            label = toks(ch, "LIFETIME")
            value = ch[-1] if isinstance(ch[-1], A.Node) else None
            return A.Break(value, label[0].value[1:] if label else None, span=_span(meta))

        def continue_expr(self, meta, *ch):
            label = toks(ch, "LIFETIME")
            return A.Continue(label[0].value[1:] if label else None, span=_span(meta))

        def return_expr(self, meta, *ch):
            return A.Return(ch[1] if len(ch) > 1 else None, span=_span(meta))

    builder = Builder()
    for rule in [n for n in dir(Builder) if not n.startswith("_") and n not in dir(Transformer)]:
        method = getattr(builder, rule)
        if not getattr(method, "raw", False):
            setattr(builder, rule, _with_span(method))
    builder.operands = _operands
    builder.binary = _binary
    return builder


#: Binding strength of the binary operators, by token type (C's table, as the reference
#: implementation's): a larger number binds tighter. All are left-associative but `**`.
_PREC = {"OROR": 1, "ANDAND": 2, "BAR": 3, "CARET": 4, "AMP": 5, "EQ": 6, "NE": 6,
         "LE": 7, "GE": 7, "LT": 7, "GT": 7, "SHL": 8, "SHR": 8, "PLUS": 9, "MINUS": 9,
         "STAR": 10, "SLASH": 10, "PERCENT": 10, "POW": 11}
_POW = _PREC["POW"]


def _operands(children: list) -> list:
    """`operands: (unary | operands) OP unary`: collect ``[e0, op1, e1, op2, e2, ...]``
    in one list, extended in place as the left-recursive rule reduces."""
    first, op, right = children
    if type(first) is list:
        first.append(op)
        first.append(right)
        return first
    return [first, op, right]


def _binary(children: list) -> A.Binary:
    """Group a flat operand/operator list by precedence (operator-precedence parsing).
    Each Binary spans from its left operand's start to its right operand's end and has
    its operator's span, as when each precedence level was a grammar rule."""
    items = children[0]
    prec = _PREC
    values = [items[0]]
    ops: list = []

    def reduce() -> None:
        op = ops.pop()
        right = values.pop()
        left = values.pop()
        ls, rs = left.span, right.span
        values.append(A.Binary(op.value, left, right,
                               A.Span(op.line, op.column, op.end_line, op.end_column),
                               span=A.Span(ls.line, ls.col, rs.end_line, rs.end_col)))

    for i in range(1, len(items), 2):
        op = items[i]
        p = prec[op.type]
        while ops and (prec[ops[-1].type] > p or (prec[ops[-1].type] == p and p != _POW)):
            reduce()
        ops.append(op)
        values.append(items[i + 1])
    while ops:
        reduce()
    return values[0]


def _raw(method):
    """Mark a Builder method as taking lark's children list itself (every token
    included) and computing its span itself: done for the rules reduced most often,
    where the generic adapter (_with_span) cost as much as building the node."""
    method.raw = True
    return method


def _with_span(callback):
    """Adapt ``callback(meta, *children)`` to lark's ``callback(children)``."""
    def rule(children):
        kept = [c for c in children if type(c) is not Token or c.type in _KEEP]
        return callback(_children_span(children), *kept)
    rule.__name__ = callback.__name__
    return rule


def _is_place(node: A.Node) -> bool:
    """A Name or Path under any chain of Index and Field (``a[i].pos.x``), possibly
    under a Deref (``*r``, ``*self.count``)."""
    stepped = isinstance(node, (A.Index, A.Field))
    while isinstance(node, (A.Index, A.Field)):
        node = node.target
    # `*r = v`, `*self.count += 1`, `*m.entry(k).or_insert(0) += 1`: a deref writes through
    # whatever reference its operand gives; so does a field or element of what a call
    # returns (`m.get_mut(&k).unwrap().hits += 1`, `v.last_mut().unwrap().x = 0`)
    # (a Path root: a static named by its path, `crate::HITS += 1`, `m::X = 0`)
    return isinstance(node, (A.Name, A.Deref, A.Path)) or \
        (stepped and isinstance(node, (A.MethodCall, A.Call)))


#: Expressions that cannot be called.
_LITERALS = (A.IntLit, A.FloatLit, A.BoolLit, A.StrLit, A.FStr, A.CharLit, A.UnitLit,
             A.ArrayLit, A.TupleLit)


def _one(pats: list, meta: A.Span) -> A.Node:
    """The pattern of `|`-separated alternatives where one pattern goes."""
    return pats[0] if len(pats) == 1 else A.OrPat(pats, span=meta)


def _let(meta: A.Span, pats: list, ty: Optional[A.TypeRef], value: A.Node,
         orelse: Optional[A.Block]) -> A.Node:
    """``let pat = value``: a Let for a plain (or ``mut``) name or ``_``, else a LetPat."""
    pat = _one(pats, meta)
    if orelse is None and type(pat) is A.Pattern and pat.sub is None and not pat.by_ref:
        if pat.kind == "bind":
            return A.Let(pat.value, pat.mutable, ty, value, span=meta)
        if pat.kind == "wild":
            return A.Let("_", False, ty, value, span=meta)
    return A.LetPat(pat, ty, value, orelse, span=meta)


def _parse_fstring(tok: Any) -> A.FStr:
    """Split ``f"..."`` into text and holes, parsing each hole as an expression."""
    from .parser import parse_expr
    parts: list = []
    for piece in split_fstring(str(tok)[2:-1], tok):
        if isinstance(piece, str):
            parts.append(piece)
            continue
        src, line, col, spec = piece
        # Pad so that lark reports positions in the file's coordinates.
        padded = "\n" * (line - 1) + " " * (col - 1) + src
        parts.append(A.FmtArg(parse_expr(padded), spec,
                              span=A.Span(line, col, line, col + len(src))))
    return A.FStr(parts, span=tok_span(tok))

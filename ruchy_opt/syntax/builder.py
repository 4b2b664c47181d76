"""The AST builder: one callback per grammar rule of ruchy.lark, run by lark's LALR
parser as it reduces (so no parse tree is built and nothing recurses on the input).

lark is run with ``keep_all_tokens`` so that every node's span can be computed from all
of its tokens, punctuation included; callbacks then see only the tokens in ``_KEEP``,
except the ``@_raw`` ones (the rules reduced most often), which take lark's children
list as it is and compute their span themselves.
"""
from __future__ import annotations

from typing import Any, Optional

from ..errors import RuchySyntaxError
from . import ast as A
from .strings import decode_string, split_fstring

#: lark's Token class, set by build_transformer: lark is imported only when a parser is
#: built, so that importing this module (runs served from a cache) does not pay for it.
Token: Any = None

_TYPE_KINDS = {
    **{t: "int" for t in ("i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64",
                          "u128", "usize", "isize", "int")},
    "f32": "float", "f64": "float", "float": "float", "bool": "bool",
    "String": "string", "str": "string", "string": "string", "Vec": "array",
}


def _span(meta: Any) -> A.Span:
    return meta


#: Terminals the AST builder looks at; every other token (punctuation, keywords
#: such as `let`) is dropped after it has contributed to the node's span.
_ASSIGN_OPS = frozenset("""ASSIGN ADD_ASSIGN SUB_ASSIGN MUL_ASSIGN DIV_ASSIGN REM_ASSIGN AND_ASSIGN
    OR_ASSIGN XOR_ASSIGN SHL_ASSIGN SHR_ASSIGN""".split())
_KEEP = _ASSIGN_OPS | frozenset("""NAME INT FLOAT STRING FSTRING TRUE FALSE MUT PUB OROR ANDAND
    BAR CARET AMP EQ NE LE GE LT GT SHL SHR PLUS MINUS STAR SLASH PERCENT POW BANG DOTDOT
    DOTDOTEQ IF WHILE LOOP FOR MATCH BREAK CONTINUE RETURN AS""".split())


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


def _parse_int(text: str, tok: Any) -> int:
    t = text.replace("_", "")
    base = {"0x": 16, "0o": 8, "0b": 2}.get(t[:2], 10)
    v = int(t[2:] if base != 10 else t, base)
    if v > 2**63:  # 2**63 itself is allowed only under unary minus (checked there)
        raise RuchySyntaxError("integer literal is too large for 64 bits", tok_span(tok))
    return v


def build_transformer():  # noqa: C901 - one callback per grammar rule
    global Token
    from lark import Token, Transformer

    def toks(children, *types):
        return [c for c in children if isinstance(c, Token) and c.type in types]

    def nodes(children):
        return [c for c in children if isinstance(c, A.Node)]

    class Builder(Transformer):
        """Turns each reduced grammar rule into an AST node (see ruchy.lark)."""

        # items
        def start(self, meta, *ch):
            return A.Program(nodes(ch), span=meta)

        def fun_def(self, meta, *ch):
            name = toks(ch, "NAME")[0]
            params = next(c for c in ch if isinstance(c, list))
            ret = next((c for c in ch if isinstance(c, A.TypeRef)), None)
            body = ch[-1]
            return A.FunDef(str(name), params, ret, body, span=tok_span(name))

        def params(self, meta, *ch):
            return [c for c in ch if isinstance(c, A.Param)]

        def param(self, meta, *ch):
            name = toks(ch, "NAME")[0]
            ty = next((c for c in ch if isinstance(c, A.TypeRef)), None)
            return A.Param(str(name), bool(toks(ch, "MUT")), ty, span=tok_span(name))

        def ret_type(self, meta, *ch):
            return ch[0]

        def const_def(self, meta, *ch):
            name = toks(ch, "NAME")[0]
            ty = next((c for c in ch if isinstance(c, A.TypeRef)), None)
            return A.ConstDef(str(name), ty, ch[-1], span=_span(meta))

        # types
        def ref_type(self, meta, *ch):
            inner = ch[-1]
            mut = bool(toks(ch, "MUT"))
            return A.TypeRef("ref", ("&mut " if mut else "&") + inner.text, inner, mut,
                             span=_span(meta))

        def named_type(self, meta, *ch):
            name = str(ch[0])
            args = [c for c in ch[1:] if isinstance(c, A.TypeRef)]
            text = name + (f"<{', '.join(a.text for a in args)}>" if args else "")
            return A.TypeRef(_TYPE_KINDS.get(name, "other"), text, args[0] if args else None,
                             span=_span(meta))

        def nested_type(self, meta, outer, _lt, inner, _lt2, *rest):
            args = [c for c in rest if isinstance(c, A.TypeRef)]
            t = Builder.named_type(self, meta, inner, *args)
            return Builder.named_type(self, meta, outer, t)

        def array_type(self, meta, *ch):
            inner = ch[0]
            n = toks(ch, "INT")
            text = f"[{inner.text}; {n[0]}]" if n else f"[{inner.text}]"
            return A.TypeRef("array", text, inner, span=_span(meta))

        def unit_type(self, meta, *ch):
            return A.TypeRef("unit", "()", span=_span(meta))

        # statements
        def let_stmt(self, meta, *ch):
            name = toks(ch, "NAME")[0]
            ty = next((c for c in ch if isinstance(c, A.TypeRef)), None)
            return A.Let(str(name), bool(toks(ch, "MUT")), ty, ch[-1], span=_span(meta))

        def assign_stmt(self, meta, target, op, value):
            if not _is_place(target):
                raise RuchySyntaxError("cannot assign to this expression", target.span)
            return A.Assign(target, str(op), value, tok_span(op), span=_span(meta))

        @_raw
        def block(self, ch):  # "{" (stmt | ";")* "}"
            first, last = ch[0], ch[-1]
            return A.Block([c for c in ch if isinstance(c, Node)],
                           span=Span(first.line, first.column, last.end_line, last.end_column))

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

        def deref(self, meta, *ch):
            return A.Deref(ch[-1], span=_span(meta))

        # postfix
        @_raw
        def call(self, ch):  # postfix "(" args ")"
            callee, _, args, rpar = ch
            if not isinstance(callee, (A.Name, A.Path)):
                raise RuchySyntaxError("only named functions can be called", callee.span)
            sp = callee.span
            return A.Call(callee, args,
                          span=Span(sp.line, sp.col, rpar.end_line, rpar.end_column))

        def index(self, meta, target, idx):
            return A.Index(target, idx, A.Span(target.span.end_line, target.span.end_col,
                                               meta.end_line, meta.end_col), span=_span(meta))

        def method_call(self, meta, recv, name, args):
            return A.MethodCall(recv, str(name), args, tok_span(name), span=_span(meta))

        def field(self, meta, target, name):
            return A.Field(target, str(name), tok_span(name), span=_span(meta))

        def cast(self, meta, value, as_tok, ty):
            return A.Cast(value, ty, tok_span(as_tok), span=_span(meta))

        @_raw
        def paren(self, ch):  # "(" expr ")"
            return ch[1]

        @_raw
        def args(self, ch):  # (expr ("," expr)* ","?)?: the expressions
            return [c for c in ch if type(c) is not Token]

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
            return A.FloatLit(float(tok.value.replace("_", "")), span=tok_span(tok))

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
        def fstr_lit(self, ch):
            return _parse_fstring(ch[0])

        @_raw
        def name(self, ch):
            tok = ch[0]
            return A.Name(tok.value,
                          span=Span(tok.line, tok.column, tok.end_line, tok.end_column))

        def path(self, meta, owner, name):
            return A.Path(str(owner), str(name), span=_span(meta))

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

        def while_expr(self, meta, *ch):
            return A.While(ch[1], ch[2], span=_span(meta))

        def loop_expr(self, meta, *ch):
            return A.Loop(ch[1], span=_span(meta))

        def for_expr(self, meta, *ch):
            return A.For(str(ch[1]), ch[2], ch[3], span=_span(meta))

        def for_range(self, meta, *ch):
            _, var, start, op, end, body = ch
            return A.ForRange(str(var), start, end, str(op) == "..=", body, span=_span(meta))

        def match_expr(self, meta, *ch):
            arms = [c for c in ch if isinstance(c, A.MatchArm)]
            return A.Match(ch[1], arms, span=_span(meta))

        def match_arm(self, meta, *ch):
            pats = [c for c in ch if isinstance(c, A.Pattern)]
            exprs = [c for c in ch if isinstance(c, A.Node) and not isinstance(c, A.Pattern)]
            guard = exprs[0] if toks(ch, "IF") else None
            return A.MatchArm(pats, guard, exprs[-1], span=_span(meta))

        def pat_int(self, meta, tok):
            return A.Pattern("int", _parse_int(str(tok), tok), span=_span(meta))

        def pat_neg_int(self, meta, _m, tok):
            return A.Pattern("int", -_parse_int(str(tok), tok), span=_span(meta))

        def pat_float(self, meta, tok):
            return A.Pattern("float", float(str(tok).replace("_", "")), span=_span(meta))

        def pat_neg_float(self, meta, _m, tok):
            return A.Pattern("float", -float(str(tok).replace("_", "")), span=_span(meta))

        def pat_str(self, meta, tok):
            return A.Pattern("str", decode_string(str(tok)[1:-1], tok), span=_span(meta))

        def pat_true(self, meta, tok):
            return A.Pattern("bool", True, span=_span(meta))

        def pat_false(self, meta, tok):
            return A.Pattern("bool", False, span=_span(meta))

        def pat_name(self, meta, tok):
            kind = "wild" if str(tok) == "_" else "bind"
            return A.Pattern(kind, None if kind == "wild" else str(tok), span=_span(meta))

        def range_bound(self, meta, *ch):
            return -_parse_int(str(ch[1]), ch[1]) if len(ch) == 2 else _parse_int(str(ch[0]), ch[0])

        def pat_range(self, meta, lo, op, hi):
            return A.Pattern("range", lo, hi, str(op) == "..=", span=_span(meta))

        def break_expr(self, meta, *ch):
            return A.Break(ch[1] if len(ch) > 1 else None, span=_span(meta))

        def continue_expr(self, meta, *ch):
            return A.Continue(span=_span(meta))

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
    while isinstance(node, A.Index):
        node = node.target
    if isinstance(node, A.Deref):
        node = node.operand
    return isinstance(node, A.Name)


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

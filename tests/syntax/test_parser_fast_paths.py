"""The parser's fast paths against what the grammar used to spell out.

Binary operators are parsed flat and grouped by precedence in the builder
(builder.py ``_binary``), hot rules build their nodes from lark's children directly, and
lexer.py runs lark's scanner in its own loop. These tests pin down what each of them must
keep: C's precedence table (``**`` right-associative, the rest left), the spans of every
node, and the tokens' lines and columns (errors are reported at them).
"""
from __future__ import annotations

import itertools

import pytest

from ruchy_opt.errors import RuchySyntaxError
from ruchy_opt.syntax import ast as A
from ruchy_opt.syntax.parser import parse_expr, parse_program

#: Loosest first, as in LANGUAGE.md (C's table): each inner list binds equally.
LEVELS = [["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<", "<=", ">", ">="],
          ["<<", ">>"], ["+", "-"], ["*", "/", "%"], ["**"]]
PREC = {op: i for i, ops in enumerate(LEVELS) for op in ops}


def shape(node: A.Node) -> str:
    """Fully parenthesised text of an expression of names and binary operators."""
    if isinstance(node, A.Binary):
        return f"({shape(node.left)} {node.op} {shape(node.right)})"
    assert isinstance(node, A.Name), node
    return node.id


@pytest.mark.parametrize("op1,op2", list(itertools.product(PREC, repeat=2)))
def test_two_operators_group_by_precedence(op1: str, op2: str) -> None:
    got = shape(parse_expr(f"a {op1} b {op2} c"))
    left_first = PREC[op1] > PREC[op2] or (PREC[op1] == PREC[op2] and op1 != "**")
    assert got == (f"((a {op1} b) {op2} c)" if left_first else f"(a {op1} (b {op2} c))")


def test_long_chain_matches_precedence_climbing() -> None:
    src = "a || b && c | d ^ e & f == g < h << i + j * k ** l ** m - n / o >= p != q"
    assert shape(parse_expr(src)) == (
        "(a || (b && (c | (d ^ (e & ((f == ((g < (h << ((i + (j * (k ** (l ** m))))"
        " - (n / o)))) >= p)) != q))))))")


def test_binary_spans_run_from_left_operand_to_right_operand() -> None:
    e = parse_expr("(a + b) * -c")
    assert isinstance(e, A.Binary) and e.op == "*"
    # The parentheses are not part of the span (a parenthesised expression is its inside).
    assert (e.span.line, e.span.col, e.span.end_line, e.span.end_col) == (1, 2, 1, 13)
    assert (e.op_span.col, e.op_span.end_col) == (9, 10)
    assert (e.left.span.col, e.left.span.end_col) == (2, 7)


def test_spans_across_lines_and_of_hot_rules() -> None:
    prog = parse_program("fun f(x) {\n  g(x,\n    2.5) + [1, 2][0]\n}\n")
    body = prog.items[0].body
    assert (body.span.line, body.span.col, body.span.end_line, body.span.end_col) == (1, 10, 4, 2)
    add = body.stmts[0]
    assert isinstance(add, A.Binary)
    call = add.left
    assert isinstance(call, A.Call) and [type(a) for a in call.args] == [A.Name, A.FloatLit]
    assert (call.span.line, call.span.col, call.span.end_line, call.span.end_col) == (2, 3, 3, 9)
    assert (add.span.line, add.span.col, add.span.end_line, add.span.end_col) == (2, 3, 3, 21)


def test_fstring_holes_have_file_positions() -> None:
    call = parse_program('println(f"{x + 1:>4} and {y}")').items[0]
    hole = call.args[0].parts[0]
    assert hole.spec == ">4" and isinstance(hole.expr, A.Binary)
    assert (hole.expr.op_span.line, hole.expr.op_span.col) == (1, 14)


def test_negative_literals_fold_inside_operands() -> None:
    e = parse_expr("-9223372036854775808 + -1 ** 2")
    assert isinstance(e.left, A.IntLit) and e.left.value == -2**63
    assert isinstance(e.right, A.Binary) and e.right.op == "**"
    assert e.right.left.value == -1   # (-1) ** 2: unary minus binds tighter than `**`


def test_long_chains_do_not_recurse() -> None:
    e = parse_expr(" + ".join(["a"] * 500))
    depth = 0
    while isinstance(e, A.Binary):
        e, depth = e.left, depth + 1
    assert depth == 499
    with pytest.raises(RuchySyntaxError, match="nested too deeply"):
        parse_program("let x = " + " ** ".join(["a"] * 1500))


@pytest.mark.parametrize("src,msg,pos", [
    ("let x = 1\r\nlet y = $\r\n", "unexpected character '$'", (2, 9)),
    ("\tlet\tx = 1\f\n\t\t`", "unexpected character '`'", (2, 3)),  # (`~` is Ruchy's bitwise not)
    ('let s = "a\nb"\nlet t = `', "unexpected character '`'", (3, 9)),
    ("/* a\n b */ let x = 1\n  $", "unexpected character '$'", (3, 3)),
    ("let x = 1 /* open\n\n", "unterminated block comment", (1, 11)),
    ('let x = 1\n\n   "open', "unterminated string", (3, 4)),
    ("let x = 12abc", "invalid number literal", (1, 9)),
    ("let x = 1 // c\n\n   let y = (2 3)", "unexpected '3', expected ')' or ','", (3, 15)),
    ("f(a, b c)", "unexpected 'c', expected ')' or ',' or ']'", (1, 8)),
    # f-string holes are parsed from the `expr` start of the same parser
    ('let x = f"a\n{ 1 + ` }"', "unexpected character '`'", (2, 7)),
    ('let x = f"{a b}"', "unexpected 'b'", (1, 14)),
])
def test_lexer_positions_and_errors(src: str, msg: str, pos: tuple[int, int]) -> None:
    with pytest.raises(RuchySyntaxError) as e:
        parse_program(src)
    assert e.value.message == msg
    assert (e.value.span.line, e.value.span.col) == pos

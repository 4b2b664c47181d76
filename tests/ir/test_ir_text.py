"""The textual form: print(parse(text)) == text, literals of every kind, comments,
hints and typed values, locations; and an op defined by a plugin prints, parses,
verifies and runs with no change to the printer, parser, verifier or interpreter."""
from __future__ import annotations

import io
import math

import pytest

from ruchy_opt.errors import RuchyRuntimeError
from ruchy_opt.ir import NO_FOLD, OPS, OpDef, register_op
from ruchy_opt.ir.opdef import PURE, Sym, define
from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.printer import format_literal, print_module
from ruchy_opt.ir.verify import verify_module
from ruchy_opt.irinterp import Interpreter

TEXT = """\
source "prog.ruchy"

global @k = ()
global @flag = false

func @typed(%n: i64 hint i64, %s hint str) -> i64 hint i64 {
^entry:
  %one = const 1
  %m = add.i64 %n, %one                      loc(3:5-6)
  %b = lt.i64 %m, %n                         loc(3:5-4:7)
  cond_br %b, ^yes(%m), ^no
^yes(%v: i64):
  ret %v
^no:
  ret %n
}

func @lits() {
^entry:
  %0 = const -9223372036854775808
  %1 = const 1.5
  %2 = const -0.0
  %3 = const 1e+300
  %4 = const inf
  %5 = const -inf
  %6 = const nan
  %7 = const "tab\\t quote\\" back\\\\ nl\\n é ✓ {}"
  %8 = const ()
  %9 = const true
  %10 = matches "x", %7
  %11 = in_range -3, 3, %0
  %12 = format "{:>8.3} {:?}\\n", %1, %7
  store_global @k, %8
  ret
}
"""


def test_print_of_parse_is_the_identity() -> None:
    m = parse_module(TEXT)
    verify_module(m)
    assert print_module(m) == TEXT


def test_parsed_values_keep_their_meaning() -> None:
    m = parse_module(TEXT)
    f = m.functions["typed"]
    assert [p.type for p in f.params] == ["i64", "any"]
    assert [p.hint for p in f.params] == ["i64", "str"]
    assert (f.ret_type, f.ret_hint) == ("i64", "i64")
    consts = [i.imms[0] for i in m.functions["lits"].instructions() if i.opname == "const"]
    assert consts[0] == -(2**63) and type(consts[1]) is float and math.copysign(1, consts[2]) < 0
    assert consts[4] == math.inf and consts[5] == -math.inf and math.isnan(consts[6])
    assert consts[7] == 'tab\t quote" back\\ nl\n é ✓ {}'
    assert consts[8:] == [None, True]
    add = next(i for i in f.instructions() if i.opname == "add.i64")
    assert add.type == "i64" and (add.span.line, add.span.col, add.span.end_col) == (3, 5, 6)


def test_comments_and_spacing_are_not_significant() -> None:
    messy = """
; a comment line
func @f(%a) {   ; trailing comment
^entry:
      %r = add   %a,%a    ; twice
  ret %r
}
"""
    assert print_module(parse_module(messy)) == \
        "func @f(%a) {\n^entry:\n  %r = add %a, %a\n  ret %r\n}\n"


def test_forward_references_across_blocks() -> None:
    text = """\
func @f() {
^entry:
  %z = const 0
  br ^head(%z)
^head(%i):
  %n = const 3
  %c = lt %i, %n
  cond_br %c, ^body, ^done
^body:
  %one = const 1
  %j = add %i, %one
  br ^head(%j)
^done:
  ret %i
}
"""
    m = parse_module(text)
    verify_module(m)
    assert print_module(m) == text
    assert Interpreter(m).call("f", []) == 3


@pytest.mark.parametrize("value", [0, -1, 2**63 - 1, 0.1, -2.5e-300, 1e22, "", "\x00\x7f", None,
                                   True, False, Sym("a.b")])
def test_literals_round_trip(value: object) -> None:
    text = f"func @f() {{\n^entry:\n  %0 = const {format_literal(value)}\n  ret %0\n}}\n"
    if isinstance(value, Sym):
        text = text.replace("const", "load_global")
        with pytest.raises(Exception):
            verify_module(parse_module(text))  # no such global: still parses
        assert print_module(parse_module(text)) == text
        return
    m = parse_module(text)
    got = next(m.functions["f"].instructions()).imms[0]
    assert got == value and type(got) is type(value)
    assert print_module(m) == text


def test_a_plugin_op_needs_no_changes_elsewhere() -> None:
    @register_op
    class Clamp(OpDef):
        """``clamp lo, hi, %v``: an example plugin op."""
        name = "test.clamp"
        traits = frozenset({PURE})
        imms = ("int", "int")
        operands = 1
        result_type_name = "i64"

        @staticmethod
        def impl(lo: int, hi: int, v: int) -> int:
            return max(lo, min(hi, v))

    try:
        text = ("func @main() {\n^entry:\n  %0 = const 42\n  %1 = test.clamp 0, 10, %0\n"
                "  ret %1\n}\n")
        m = parse_module(text)
        verify_module(m)
        assert print_module(m) == text
        assert Interpreter(m).call("main", []) == 10
        assert Clamp.fold((0, 10), [-5]) == 0 and Clamp.removable_if_unused()
        with pytest.raises(Exception, match="takes immediates: int, int"):
            parse_module(text.replace("test.clamp 0, 10,", "test.clamp 0,"))
    finally:
        del OPS["test.clamp"]


def test_fold_rules_come_from_the_op_definitions() -> None:
    assert OPS["add"].fold((), [2, 3]) == 5
    assert OPS["add"].fold((), ["a", 1]) == "a1"
    assert OPS["div"].fold((), [1, 0]) is NO_FOLD  # would fail: left for run time
    assert OPS["add"].fold((), [2**63 - 1, 1]) is NO_FOLD
    assert OPS["format"].fold(("{} and {:.2}",), [1, 2.0]) == "1 and 2.00"
    assert OPS["print"].fold((), ["x"]) is NO_FOLD
    assert OPS["add.i64"].has("commutative") and not OPS["add"].has("commutative")
    assert OPS["const"].removable_if_unused() and not OPS["div"].removable_if_unused()
    assert not OPS["copy"].has("pure") and OPS["copy"].removable_if_unused()


def test_define_makes_a_runnable_op() -> None:
    define("test.twice", lambda v: v * 2, traits=(PURE,), operands=1)
    try:
        m = parse_module("func @main() {\n^entry:\n  %0 = const 21\n  %1 = test.twice %0\n"
                         "  ret %1\n}\n")
        assert Interpreter(m).call("main", []) == 42
    finally:
        del OPS["test.twice"]


def test_typed_ops_and_guards_run() -> None:
    text = """\
func @f(%a, %b) {
^entry:
  %x = guard.i64 %a
  %y = guard.i64 %b
  %s = mul.i64 %x, %y
  %c = gt.i64 %s, %x
  cond_br %c, ^big, ^small
^big:
  ret %s
^small:
  %z = neg.i64 %s
  ret %z
}
"""
    m = parse_module(text)
    verify_module(m)
    it = Interpreter(m, io.StringIO())
    assert it.call("f", [3, 4]) == 12 and it.call("f", [3, -4]) == 12
    with pytest.raises(RuchyRuntimeError, match="type guard failed: expected i64, found float"):
        it.call("f", [3, 1.5])
    with pytest.raises(RuchyRuntimeError, match="integer overflow"):
        it.call("f", [2**62, 4])

"""Sum types in the IR (ruchy_opt/ir/enums.py, ops_enum.py): enum declarations, option
and result types and the variant/tag/payload ops print, parse and verify generically,
run in the IR interpreter with tier 0's values, and fold in sccp and constfold."""
from __future__ import annotations

import io

import pytest

from ruchy_opt.errors import RuchySyntaxError
from ruchy_opt.ir.enums import OPTION, RESULT, OptionType, ResultType
from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.types import ANY, I64
from ruchy_opt.ir.verify import VerifyError, verify_module
from ruchy_opt.irinterp import Interpreter
from ruchy_opt.passmgr.driver import run_passes

MODULE = """\
enum !Shape { Circle(any), Rect { w, h: f64 }, Dot }
enum !Level { Low = 1, Mid = 5, High }

func @main() {
^entry:
  %1 = const 2.5
  %c = variant !Shape, "Circle", %1
  %d = variant !Shape, "Dot"
  %o = variant option<any>, "Some", %c
  %n = variant option<any>, "None"
  %r = variant result<any, any>, "Err", %1
  %l = variant !Level, "Mid"
  %t = tag !Shape, %c
  %u = tag option<any>, %c
  %x = payload !Shape, "Circle", "0", %c
  %2 = format "{:?} {:?} {:?} {:?} {:?} {} {} {}\\n", %c, %d, %o, %n, %r, %t, %u, %x
  print %2
  %3 = to_int %l
  %4 = format "{} {:?} {:#?}\\n", %3, %l, %o
  print %4
  ret
}
"""


def _run(text: str) -> str:
    out = io.StringIO()
    m = parse_module(text)
    verify_module(m)
    Interpreter(m, out).run_program()
    return out.getvalue()


def test_enums_and_their_ops_round_trip_and_verify() -> None:
    m = parse_module(MODULE)
    verify_module(m)
    assert print_module(m) == MODULE
    assert print_module(parse_module(print_module(m))) == MODULE


def test_values_are_tier_0_values() -> None:
    assert _run(MODULE) == ("Circle(2.5) Dot Some(Circle(2.5)) None Err(2.5) 0 -1 2.5\n"
                            "5 Mid Some(\n    Circle(\n        2.5,\n    ),\n)\n")


def test_option_and_result_are_parametric_types() -> None:
    assert OPTION == "option<any>" and RESULT == "result<any, any>"
    assert OptionType(I64) == "option<i64>" and ResultType(I64, ANY) == "result<i64, any>"
    assert [v.name for v in OPTION.variants(None)] == ["None", "Some"]
    assert OptionType(I64).variants(None)[1].field_type("0") == "i64"
    assert OptionType(I64, I64).verify(None) == "option<..> takes 1 type, got 2"


@pytest.mark.parametrize("body,why", [
    ('%e = variant !Shape, "Square", %1', "type !Shape has no variant 'Square'"),
    ('%e = variant !Shape, "Circle"', "variant Circle of !Shape has 1 fields but variant has 0"),
    ('%e = variant !Nope, "A"', "type !Nope is not declared in the module"),
    ('%e = payload !Shape, "Rect", "z", %1', "variant Rect of !Shape has no field 'z'"),
    ('%e = tag tuple<any>, %1', "type tuple<any> is not a sum type"),
    ('%e = variant !Shape, "Rect", %1, %1', "field 'h' of Rect has type f64, operand %1 has i64"),
])
def test_verifier_rejects_bad_enum_ops(body: str, why: str) -> None:
    text = ("enum !Shape { Circle(any), Rect { w, h: f64 }, Dot }\n\nfunc @main() {\n"
            f"^entry:\n  %1 = const 1\n  {body}\n  ret\n}}\n")
    with pytest.raises(VerifyError) as e:
        verify_module(parse_module(text))
    assert why in str(e.value)


@pytest.mark.parametrize("text,where,msg", [
    ("enum !E { A, A }\n", (1, 14), "variant 'A' is declared twice"),
    ("enum !E { A(any }\n", (1, 17), "expected ',' or ')'"),
    ("enum !E { A = x }\n", (1, 15), "expected a literal"),
])
def test_malformed_declarations_are_errors_at_their_position(text, where, msg) -> None:
    with pytest.raises(RuchySyntaxError) as e:
        parse_module(text)
    assert (e.value.span.line, e.value.span.col) == where and msg in e.value.message


FOLDS = """\
enum !E { A, B(any) }

func @f(%x) {
^entry:
  %b = variant !E, "B", %x
  %t = tag !E, %b
  %o = tag option<any>, %b
  %one = const 1
  %c = eq.i64 %t, %one
  cond_br %c, ^yes, ^no
^yes:
  %p = payload !E, "B", "0", %b
  ret %p
^no:
  ret %o
}
"""


@pytest.mark.parametrize("pipeline", ["sccp,constfold,simplifycfg,dce", "constfold,simplifycfg,dce",
                                      "gvn,constfold,simplifycfg,adce"])
def test_tag_of_a_variant_in_view_folds_and_the_match_goes(pipeline: str) -> None:
    m = parse_module(FOLDS)
    run_passes(m, pipeline)
    verify_module(m)
    f = m.functions["f"]
    assert [i.opname for i in f.instructions()] == ["ret"]
    assert f.blocks[-1].terminator.operands[0] is f.params[0]


def test_payload_of_another_variant_fails_as_tier_0_reads_a_missing_field() -> None:
    text = FOLDS.replace('%p = payload !E, "B", "0", %b', '%p = payload !E, "B", "0", %a') \
        .replace('%b = variant !E, "B", %x', '%b = variant !E, "B", %x\n  %a = variant !E, "A"')
    m = parse_module(text)
    verify_module(m)
    from ruchy_opt.errors import RuchyRuntimeError
    with pytest.raises(RuchyRuntimeError, match="no field '0' on type E"):
        Interpreter(m, io.StringIO()).call("f", [1])

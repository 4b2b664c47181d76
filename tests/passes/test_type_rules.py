"""The one rule table (ruchy_opt/typerules): what type specialisation's intraprocedural
inference gets from it, Level 3 types included, and that whole-program inference asks
the same table and refuses what compiled code lacks, saying why."""
from __future__ import annotations

from ruchy_opt.codegen.infer import explain, infer_program
from ruchy_opt.errors import SourceFile
from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.enums import OptionType, ResultType
from ruchy_opt.ir.types import ANY, F64, I64, TupleType
from ruchy_opt.lower import lower_source
from ruchy_opt.typerules import table
from ruchy_opt.typerules.local import LocalContext, Types, join, refines, result_type
from ruchy_opt.typerules.rtypes import ArrT, Cell, of_ir


def _func(text: str, name: str = "f"):
    return parse_module(text).functions[name]


def _instr(f, opname: str):
    return next(i for i in f.instructions() if i.op.name == opname)


def test_one_rule_answers_both_kinds_of_operand_types():
    f = _func("func @f(%a, %b) {\n^entry:\n  %1 = add %a, %b\n  %2 = len %a\n  ret %1\n}\n")
    add, length = _instr(f, "add"), _instr(f, "len")
    ctx = LocalContext(f.module, {})
    assert table.result(ctx, add, ["i64", "f64"]) == "f64"
    assert isinstance(table.result(ctx, add, ["bool", "i64"]), table.Fails)
    # an operand the rules are not for: the type the IR declares
    assert result_type(ctx, add, ["any", "i64"]) == "any"
    assert result_type(ctx, length, ["any"]) == "i64"
    assert result_type(ctx, length, ["top"]) == "top"
    assert table.result(ctx, length, [of_ir("arr")]) == "i64"


def test_level3_ops_have_the_types_of_their_parts():
    f = _func("func @f(%a, %b) {\n^entry:\n"
              "  %1 = make tuple<any, any>, %a, %b\n"
              "  %2 = extract \"1\", %1\n"
              "  %3 = insert \"0\", %1, %2\n"
              "  %4 = variant result<any, any>, \"Err\", %a\n"
              "  %5 = payload result<any, any>, \"Err\", \"0\", %4\n"
              "  ret %5\n}\n")
    t = Types(f, ["i64", "str"], {})
    v = {i.op.name: i for i in f.instructions()}
    assert t.of(v["make"]) == "tuple<i64, str>"
    assert t.of(v["extract"]) == "str"
    assert t.of(v["insert"]) == "tuple<str, str>"
    assert t.of(v["variant"]) == "result<any, i64>"
    assert t.of(v["payload"]) == "i64"
    assert t.ret == "i64"
    # unknown parts: what the IR declares
    t = Types(f, ["any", "any"], {})
    assert (t.of(v["make"]), t.of(v["extract"])) == ("tuple<any, any>", "any")


def test_an_array_pops_an_option_of_its_elements():
    f = _func("func @f(%a) {\n^entry:\n  %1 = pop_option %a\n  ret %1\n}\n")
    ctx = LocalContext(f.module, {})
    assert table.result(ctx, _instr(f, "pop_option"), [ArrT(Cell("f64"))]) == "option<f64>"
    assert Types(f, ["arr"], {}).ret == "option<any>"


def test_level3_types_join_part_by_part():
    a, b = TupleType(I64, I64), TupleType(I64, F64)
    assert join(a, b) == "tuple<i64, any>"
    assert join("top", a) == a and join(a, a) == a
    assert join(OptionType(I64), ResultType(I64, I64)) == ANY
    assert join(TupleType(I64), a) == ANY
    assert refines(a, TupleType(I64, ANY)) and not refines(TupleType(I64, ANY), a)


def test_a_loop_that_nests_tuples_converges():
    """`t = (t, 1)` each turn has no finite type: the join and the depth bound stop it."""
    f = _func("func @f(%n) {\n^entry:\n  %0 = const 0\n  br ^h(%0)\n"
              "^h(%t):\n  %1 = const 1\n  %2 = make tuple<any, any>, %t, %1\n"
              "  %3 = is_true %n\n  cond_br %3, ^h(%2), ^x\n^x:\n  ret %t\n}\n")
    t = Types(f, ["bool"], {})
    assert t.ret == "any"
    assert t.of(_instr(f, "make")) == "tuple<any, i64>"


def test_calls_take_the_callees_return_types():
    f = _func("func @f() {\n^entry:\n  %1 = call @g\n  %2 = extract \"0\", %1\n  ret %2\n}\n"
              "func @g() {\n^entry:\n  %1 = const 1\n  %2 = make tuple<any>, %1\n  ret %2\n}\n")
    assert Types(f, [], {"g": TupleType(I64)}).ret == "i64"
    assert Types(f, [], {"g": "top"}).ret == "top"
    assert Types(f, [], {}).ret == "any"


def test_compiled_tiers_type_level3_values_of_scalars_and_refuse_others_naming_them():
    m = lower_source(SourceFile("t.ruchy", "fun main() { let t = (1, 2.5)\n"
                                           " println(\"{}\", t.0) }\n"), aggregates=True)
    prog = infer_program(m)
    assert prog.ok and explain(prog) == []
    main = next(s for s in prog.reachable if s.func.name == "main")
    assert "tuple<i64, f64>" in {str(t) for t in main.types.values()}
    m = lower_source(SourceFile("t.ruchy", "fun main() { let t = (1, \"a\")\n"
                                           " println(\"{}\", t.0) }\n"), aggregates=True)
    lines = explain(infer_program(m))
    assert any("a tuple holding a string is not compiled yet" in line for line in lines), lines


def test_compiled_tiers_refuse_ops_they_lack():
    m = parse_module("func @ruchy.start() {\n^entry:\n  %0 = const 1\n"
                     "  %1 = cell.new %0\n  ret\n}\n")
    prog = infer_program(m)
    assert not prog.ok
    assert prog.failures[0].failure[0] == "the op 'cell.new' is not compiled"

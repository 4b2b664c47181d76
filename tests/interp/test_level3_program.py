"""Level 3 at tier 0, program level: modules, use, nested fn, consts and statics, shared
top-level variables, casts, numeric constants and methods, char methods.

The programs in level3_program/ that are valid Rust have rustc's output as their
expected output; globals.ruchy (not Rust) was derived by hand from LANGUAGE.md;
block_items.ruchy (top-level statements, not Rust) has rustc's output for the same
statements as the body of ``fn main``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ruchy_opt.errors import RuchyError, RuchySyntaxError
from ruchy_opt.runtime import numeric
from ruchy_opt.runtime.aggregates import NONE, Char
from tier0_support import compile_, error, run

HERE = Path(__file__).parent / "level3_program"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.ruchy"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program(name: str) -> None:
    text = (HERE / f"{name}.ruchy").read_text()
    assert run(text) == (HERE / f"{name}.expected").read_text()


def test_a_block_fn_declared_in_two_top_level_blocks_is_not_guessed() -> None:
    # Each block's `helper` is its own (Rust); one file-wide scope cannot hold both, so
    # neither is hoisted and the call is the error it was, not the other block's function.
    text = ("let a = || { fn helper() -> i64 { 1 } helper() };\n"
            "let b = || { fn helper() -> i64 { 2 } helper() };\n"
            "println!(\"{}\", a() + b());\n")
    message, line, _, _ = error(text)
    assert message == "undefined name 'helper'" and line == 1


# ---- casts ------------------------------------------------------------------------------

def test_narrow_cast_of_a_known_int_is_an_inline_mask() -> None:
    code = compile_("fun f(x: i64) -> i64 { (x as u8) + (x as i8) }\nprintln(f(300))"
                    ).module.source
    body = code.split("def r_f__i")[1]
    assert "& 255" in body and "_cast_int" not in body


@pytest.mark.parametrize("value, type_name, want", [
    (300, "u8", 44), (-1, "u32", 4294967295), (-1, "u8", 255), (200, "i8", -56),
    (-129, "i8", 127), (70000, "i16", 4464), (5_000_000_000, "i32", 705032704),
    (3.9, "u8", 3), (-3.9, "u8", 0), (1e20, "i32", 2147483647), (-1e20, "i64", -2**63),
    (float("nan"), "i32", 0), (True, "u8", 1), (Char("é"), "u8", 233),
    (Char("😀"), "u32", 0x1F600), (-1, "u64", -1), (2**62, "usize", 2**62)])
def test_cast_int(value, type_name, want) -> None:
    assert numeric.cast_int(value, type_name) == want


def test_cast_to_char_and_f32() -> None:
    assert numeric.cast_char(97) == "a" and type(numeric.cast_char(97)) is Char
    assert numeric.cast_float(0.1, "f32") == 0.10000000149011612
    assert numeric.cast_float(1e300, "f32") == float("inf")


def test_invalid_char_cast_is_a_located_runtime_error() -> None:
    with pytest.raises(RuchyError) as e:
        run("let n = 55296\nprintln(n as char)")
    assert "cannot cast 55296 to char" in e.value.message and e.value.span.line == 2


def test_cast_to_a_non_primitive_type_is_a_syntax_error() -> None:
    with pytest.raises(RuchySyntaxError, match="cannot cast to String"):
        compile_("let x = 1\nprintln(x as String)")


# ---- numeric constants and methods ----------------------------------------------------

def test_u64_max_is_clamped_to_i64_max() -> None:
    assert run("println(u64::MAX, usize::MAX == i64::MAX, u32::MAX)") == \
        "9223372036854775807 true 4294967295\n"


def test_constants_through_use() -> None:
    text = ("use std::f64::consts;\nuse std::f64::consts::E as EULER;\nuse std::i32;\n"
            "println(consts::PI, EULER, i32::MAX, std::i64::MIN, f64::NEG_INFINITY)")
    assert run(text) == ("3.141592653589793 2.718281828459045 2147483647 "
                         "-9223372036854775808 -inf\n")


def test_checked_arithmetic_gives_options() -> None:
    checked_add = numeric.METHODS["checked_add"]
    assert checked_add(2**63 - 1, 1) is NONE
    assert checked_add(2, 3).f_0 == 5
    assert numeric.METHODS["checked_div"](-2**63, -1) is NONE


def test_rem_euclid_by_zero_is_an_error() -> None:
    with pytest.raises(RuchyError, match="division by zero"):
        run("let m = 0\nprintln(7.rem_euclid(m))")


def test_primitive_conversions() -> None:
    text = ("println(i64::from(true), u32::from('a'), u8::try_from(300).is_err(), "
            "i32::try_from(5).unwrap(), i64::from_str_radix(\"ff\", 16).unwrap(), "
            "i64::from_str_radix(\"zz\", 10).is_err())")
    assert run(text) == "1 97 true 5 255 true\n"


# ---- program structure ----------------------------------------------------------------

def test_nested_fn_is_visible_before_its_definition_and_hoisted() -> None:
    text = """
fn outer(n: i64) -> i64 {
    let r = inner(n) + K
    fn inner(k: i64) -> i64 { k * 2 }
    const K: i64 = 100
    r
}
fn inner(k: i64) -> i64 { k }
println(outer(4), inner(4))
"""
    assert run(text) == "108 4\n"


def test_nested_fn_in_a_method_does_not_see_methods_by_bare_name() -> None:
    text = """
struct P { x: i64 }
impl P {
    fn get(&self) -> i64 {
        fn double(v: i64) -> i64 { v * 2 }
        double(self.x)
    }
    fn double(&self) -> i64 { 0 }
}
let p = P { x: 21 }
println(p.get())
"""
    assert run(text) == "42\n"


def test_modules_super_crate_and_globs() -> None:
    text = """
mod a {
    pub fn f() -> i64 { 1 }
    pub mod b {
        pub fn g() -> i64 { super::f() + crate::top() + self::h() }
        fn h() -> i64 { 100 }
    }
}
fn top() -> i64 { 10 }
use a::b::*;
use a::f as first;
println(g(), first(), a::b::g())
"""
    assert run(text) == "111 1 111\n"


def test_consts_in_dependency_order_and_cycles() -> None:
    assert run("const A: i64 = B + 1\nconst B: i64 = C * 2\nconst C: i64 = 4\n"
               "println(A, B, C)") == "9 8 4\n"
    with pytest.raises(RuchySyntaxError, match="depends on itself"):
        compile_("const A: i64 = B\nconst B: i64 = A\nprintln(A)")


def test_literal_consts_are_inlined() -> None:
    code = compile_("const N: i64 = 10\nfun f() -> i64 { N * 2 }\nprintln(f())").module.source
    assert "return 20" in code or "10 * 2" in code


def test_function_sees_top_level_let_mut_and_top_level_keeps_other_locals() -> None:
    code = compile_("let mut n = 1\nlet m = 2\nfun bump() { n += 1 }\nbump()\nprintln(n, m)"
                    ).module
    assert "g_n" in code.source and "v_m" in code.source and "g_m" not in code.source
    assert run("let mut n = 1\nfun bump() { n += 1 }\nbump()\nbump()\nprintln(n)") == "3\n"


def test_std_functions_through_use() -> None:
    text = ("use std::cmp::{max, min};\nuse std::mem;\nlet mut a = 1\nlet mut b = 2\n"
            "mem::swap(&mut a, &mut b)\nprintln(max(a, 7), min(a, b), a, b)")
    assert run(text) == "7 1 2 1\n"


def test_generic_function_with_turbofish() -> None:
    assert run("fn id<T: Clone>(x: T) -> T { x }\nprintln(id::<i64>(5), id(2.5))") == "5 2.5\n"

"""Strings, formatting, input and files at tier 0 (LANGUAGE.md Level 3).

Expected texts of programs that are also Rust come from rustc (compiled once by hand);
the rest (the one-argument rule, read_file/write_file, errors) from LANGUAGE.md.
Whole programs with rustc outputs are tests/programs/l3s_*.ruchy.
"""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from ruchy_opt.errors import RuchyError
from ruchy_opt.runtime import fmt, parsing, strings
from ruchy_opt.runtime.aggregates import NONE, Some
from ruchy_opt.runtime.values import Arr, display
from tier0_support import compile_, run

REPO = Path(__file__).resolve().parents[2]


def run_error(text: str) -> tuple[str, str]:
    """(stdout, the error's message with its position) of a program that fails."""
    out = io.StringIO()
    with pytest.raises(RuchyError) as e:
        compile_(text).run(out)
    return out.getvalue(), f"{e.value.span.line}:{e.value.span.col}: {e.value}"


def cli(args: list[str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruchy_opt.cli", *args], cwd=REPO,
                          input=stdin, capture_output=True, text=True, timeout=60)


# ---- runtime: byte offsets, patterns, specs -----------------------------------------

def test_byte_offsets_and_char_boundaries():
    assert strings.byte_len("héllo") == 6
    assert strings.slice_str("héllo", 0, 3) == "hé"
    assert strings.find("héllo", "l") == Some(3)
    with pytest.raises(RuchyError, match="not a char boundary"):
        strings.slice_str("héllo", 0, 2)
    with pytest.raises(RuchyError, match="out of bounds"):
        strings.slice_str("abc", 1, 9)


def test_split_family_matches_rust():
    assert strings.split("a,b,,c", ",").d == ["a", "b", "", "c"]
    assert strings.split("abc", "").d == ["", "a", "b", "c", ""]
    assert strings.splitn("a-b-c", 2, "-").d == ["a", "b-c"]
    assert strings.rsplitn("a-b-c", 2, "-").d == ["c", "a-b"]
    assert strings.lines("a\r\nb\n\nc\n").d == ["a", "b", "", "c"]
    assert strings.split_whitespace("  a \t b\n").d == ["a", "b"]
    assert strings.split_once("k=v=w", "=") == Some(("k", "v=w"))
    assert strings.rsplit_once("kv", "=") is NONE
    assert strings.trim_matches("xxaxx", "x") == "a"
    assert strings.split("a1b22c", Arr(["1", "2"])).d == ["a", "b", "", "c"]
    assert strings.split("a b", lambda c: c == " ").d == ["a", "b"]


@pytest.mark.parametrize("spec, value, text", [
    ("5", 42, "   42"), ("<5", "hi", "hi   "), ("*^9", "hi", "***hi****"),
    ("+", 0, "+0"), ("05", -42, "-0042"), ("08.3", -3.14159, "-003.142"),
    ("#010x", 255, "0x000000ff"), ("#b", 5, "0b101"), ("x", -1, "ffffffffffffffff"),
    ("e", 1234.5, "1.2345e3"), (".2e", 1234.5, "1.23e3"), ("e", 1500, "1.5e3"),
    ("?", 1e15, "1000000000000000.0"),
    (".0", 2.5, "2"), (".3", "abcdef", "abc"), ("^6", "é", "  é   "),
    ("10?", "ab", '"ab"'), ("4?", Some(1), "Some(   1)"), (".1?", (0.25, 1), "(0.2, 1)"),
    ("+", float("inf"), "+inf"), ("5", float("nan"), "  NaN"),
])
def test_format_specs_as_rustc_prints_them(spec: str, value: object, text: str):
    assert fmt.format_value(value, fmt.parse_spec(spec)) == text


def test_debug_of_a_float_never_takes_an_exponent():
    """LANGUAGE.md: the debug form of a float is its display form, and floats never print
    with an exponent (Rust's {:?} would print 1e20 and 1e-5: a deliberate difference)."""
    assert fmt.format_value(1e20, fmt.parse_spec("?")) == "100000000000000000000.0"
    assert fmt.format_value(1e-5, fmt.parse_spec("?")) == "0.00001"


def test_width_and_precision_arguments_in_specs():
    s = fmt.parse_spec(">w$.p$")
    assert (s.width_arg, s.prec_arg) == ("w", "p")
    pieces = fmt.parse_format("{:.*} {}")
    assert [p[0] for p in pieces if not isinstance(p, str)] == [1, 2]
    assert pieces[0][1].prec_arg == 0


def test_parse_errors_display_and_debug_like_rust():
    r = parsing.parse("12a", "i64")
    assert display(r.f_0) == "invalid digit found in string"
    assert repr(r) == "Err(ParseIntError { kind: InvalidDigit })"
    assert parsing.parse("300", "u8").f_0.f_kind._name == "PosOverflow"
    assert parsing.parse("1e3", "f64").f_0 == 1000.0
    assert parsing.parse("7").f_0 == 7 and parsing.parse("7.5").f_0 == 7.5


# ---- translated programs --------------------------------------------------------------

def test_push_on_a_string_local_extends_in_place():
    code = compile_('let mut s = String::new()\nfor i in 0..3 { s.push(\'a\') }\n'
                    'println(s)').module.source
    assert "+=" in code and "_SM_push" not in code


def test_string_mutation_through_fields_elements_and_mut_refs():
    out = run("""
struct W { name: String }
fn add(s: &mut String, t: &str) { s.push_str(t); }
fn main() {
    let mut w = W { name: String::from("a") };
    w.name.push('b');
    let mut v = vec![String::new(), String::from("x")];
    v[1].push_str("yz");
    let mut s = String::from("1");
    add(&mut s, "2");
    let c = s.pop();
    println!("{} {:?} {} {:?}", w.name, v, s, c);
}
""")
    assert out == 'ab ["", "xyz"] 1 Some(\'2\')\n'


def test_one_argument_rule_prints_text_with_braces_as_is():
    out = run('println("fn f() { }")\nprintln("{}")\nprintln("{ x }")\nlet x = 5\n'
              'println("{x}")\nprintln("a {{b}}")\nprintln("{y}")\n')
    assert out == "fn f() { }\n{}\n{ x }\n5\na {b}\n{y}\n"


def test_format_arguments_by_position_name_and_capture():
    out = run('let w = 6\nlet p = 2\nlet x = 3.14159\n'
              'println("[{:>w$.p$}] [{0}-{0}] [{x:.1}] [{:.*}]", x, 3, x)\n')
    assert out == "[  3.14] [3.14159-3.14159] [3.1] [3.142]\n"


def test_format_argument_errors_are_syntax_errors():
    with pytest.raises(RuchyError, match="needs argument 2"):
        compile_('println("{} {}", 1)')
    with pytest.raises(RuchyError, match="uses 1 of 2"):
        compile_('println("{}", 1, 2)')


def test_string_repeat_operator_and_slices():
    out = run('println("=" * 5)\nlet v = [1, 2, 3, 4]\nprintln(&v[1..3])\n'
              'println(&v[..=1])\nlet s = "héllo"\nprintln(&s[1..])\n')
    assert out == "=====\n[2, 3]\n[1, 2]\néllo\n"


def test_slice_errors_are_located():
    out, err = run_error('let s = "héllo"\nprintln("a")\nlet t = &s[0..2]\n')
    assert out == "a\n"
    assert err.startswith("3:11: byte index 2 is not a char boundary")
    _, err = run_error("let v = [1, 2]\nlet w = &v[1..5]\n")
    assert "range end index 5 out of range for slice of length 2" in err


def test_method_errors_name_the_method():
    _, err = run_error('let s = "abc"\ns.split()\n')
    assert "'.split' takes 1 argument" in err
    _, err = run_error('let mut s = String::new()\ns.push(5)\n')
    assert "push() expects a char" in err


def test_files_read_write_and_errors(tmp_path: Path):
    path = tmp_path / "f.txt"
    out = run(f'write_file("{path}", "one\\ntwo")\nlet t = read_file("{path}")\n'
              f'println(t.lines().len())\n'
              f'println(std::fs::read_to_string("{tmp_path}/none.txt").is_err())\n'
              f'std::fs::write("{path}", "x").unwrap()\nprintln(read_file("{path}"))\n')
    assert out == "2\ntrue\nx\n"
    _, err = run_error(f'let t = read_file("{tmp_path}/missing.txt")\n')
    assert f"cannot read file '{tmp_path}/missing.txt'" in err


def test_stdin_and_args_through_the_cli(tmp_path: Path):
    prog = tmp_path / "p.ruchy"
    prog.write_text("""use std::io;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    println!("{} {:?}", args.len(), &args[1..]);
    let name = input("name? ");
    let mut line = String::new();
    let n = io::stdin().read_line(&mut line).unwrap();
    println!("[{}] {} {:?}", name, n, line);
    println!("{:?}", read_line());
}
""")
    p = cli(["run", "--tier=0", str(prog), "--", "a", "-b"], stdin="Ann\nrest\n")
    assert p.returncode == 0, p.stderr
    assert p.stdout == '3 ["a", "-b"]\nname? [Ann] 5 "rest\\n"\n""\n'

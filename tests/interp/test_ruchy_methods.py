"""The reference's own string methods, string indexing and digit grouping at tier 0.

Expected texts are hand-derived from paiml/ruchy's interpreter (eval_string_methods:
``upper``/``to_upper``, ``slice`` as ``substring``, ``is_numeric`` and friends over
every char; eval_index: ``s[i]`` is a one-character string, negative from the end;
eval_literal: a char literal is a one-character string, so a string and a char
compare as texts) and from Python's grouping option for ``{:,}``.
"""
from __future__ import annotations

from ruchy_opt.runtime import fmt
from tier0_support import error, run


def test_digit_grouping_spec() -> None:
    def f(spec: str, v: object) -> str:
        return fmt.format_value(v, fmt.parse_spec(spec))
    assert f(",", 1234567) == "1,234,567"
    assert f(",", -1234567) == "-1,234,567"
    assert f(",", 999) == "999"
    assert f("_", 1000000) == "1_000_000"
    assert f(",.2", 1234.5) == "1,234.50"
    assert f(">12,", 1234567) == "   1,234,567"
    assert f(",", 0) == "0"
    assert f("+,", 1234) == "+1,234"
    assert f("+", -5) == "-5"


def test_digit_grouping_in_programs() -> None:
    src = ('fun main() {\n    let n = 1234567\n    println(f"{n:,}")\n'
           '    println("{:,} {:_}", -9876543210, 65536)\n}\n')
    assert run(src) == "1,234,567\n-9,876,543,210 65_536\n"


def test_string_index_is_a_one_char_string() -> None:
    src = ('fun main() {\n    let s = "hello"\n    let c = s[0]\n'
           '    println(c)\n    println(s[-1])\n    println("{:?}", s[1])\n'
           '    println(s[0].upper() + s[1..].to_string())\n}\n')
    assert run(src) == 'h\no\n"e"\nHello\n'


def test_string_index_out_of_bounds() -> None:
    msg, line, col, out = error('fun main() {\n    let s = "ab"\n    println(s[5])\n}\n')
    assert "out of bounds" in msg and line == 3


def test_string_compares_with_char() -> None:
    src = ('fun is_letter(ch) {\n    (ch >= \'a\' && ch <= \'z\') || ch == \'_\'\n}\n'
           'fun main() {\n    let s = "a_Z"\n'
           '    println(is_letter(s[0]), is_letter(s[1]), is_letter(s[2]))\n'
           '    println(\'q\' == s[0], "b" > \'a\')\n}\n')
    assert run(src) == "true true false\nfalse true\n"


def test_reference_string_methods() -> None:
    src = ('fun main() {\n    let s = "Hello"\n'
           '    println(s.to_upper(), s.to_lower(), s.upper(), s.lower())\n'
           '    println(s.slice(1, 3), s.slice(3, 99))\n'
           '    println("123".is_numeric(), "12a".is_numeric(), "".is_numeric())\n'
           '    println("abc".is_alphabetic(), "ab1".is_alphabetic())\n'
           '    println("ab1".is_alphanumeric(), "a b".is_alphanumeric())\n'
           '    println("41".to_integer() + 1)\n'
           "    println('x'.is_alphabetic())\n}\n")
    assert run(src) == ("HELLO hello HELLO hello\nel lo\ntrue false true\n"
                        "true false\ntrue false\n42\ntrue\n")


def test_reference_array_methods() -> None:
    # paiml/ruchy's eval_array (STDLIB-004, STDLIB-010): slice(start, end) skips `start`
    # elements and takes end - start (bounds clamped), unique keeps the first of each
    # value, each calls the closure on every element and gives unit.
    src = ('let v = [1, 2, 2, 3]\nprintln(v.slice(1, 3), v.slice(-2, 99), v.slice(3, 1))\n'
           'println(v.unique(), [(1, "a"), (1, "a")].unique())\n'
           'let mut n = 0\nv.each(|x| { n += x })\nprintln(n)\n')
    assert run(src) == '[2, 2] [1, 2, 2, 3] []\n[1, 2, 3] [(1, "a")]\n8\n'


def test_reference_array_methods_give_copies() -> None:
    src = ('struct P { x: i64 }\nlet v = [P { x: 1 }]\nlet mut w = v.slice(0, 1)\n'
           'w[0].x = 7\nlet mut u = v.unique()\nu[0].x = 8\nprintln(v[0].x, w[0].x, u[0].x)\n')
    assert run(src) == "1 7 8\n"
    assert error('println([1].slice("a", 2))')[0] == \
        "type error: slice() expects two int arguments, found string and int"

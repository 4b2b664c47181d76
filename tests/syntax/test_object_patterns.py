"""Ruchy's object patterns ``{ name: "Bob", age, .. }`` (docs/level3.md "Ruchy dialect
forms") and an ``if``/``match`` written inside a control header.

The reference implementation (paiml/ruchy: its parser's anonymous struct pattern, its
interpreter's object pattern match) matches an object that has every field the pattern
names, extra keys or not, with or without ``..``; each field's value is matched against
its sub-pattern, a bare ``name`` binds it. The expected outputs below follow from that
rule by hand. The header cases (``while let x = if c { a } else { b } { .. }``) are
valid Rust; their outputs are what rustc's build of the same code printed."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "interp"))
from tier0_support import error, run  # noqa: E402


@pytest.mark.parametrize("src,out", [
    # the first arm whose fields are all there and match; extra keys are allowed
    ('let p = { name: "Alice", age: 30, city: "NYC" }\n'
     'match p {\n    { name: "Bob", .. } => println("bob"),\n'
     '    { age: 30, name, .. } => println(f"30: {name}"),\n    _ => println("other")\n}',
     "30: Alice\n"),
    # without `..`, other keys may still be there (the reference's rule)
    ('let { name, age } = { name: "Bob", age: 25, city: "SF" }\nprintln(name, age)',
     "Bob 25\n"),
    # nested object patterns; `type` is a field name in literals and patterns
    ('let m = { type: "user", payload: { action: "login", id: 7 } }\n'
     'match m {\n'
     '    { type: "user", payload: { action: "logout", id, .. } } => println("out", id),\n'
     '    { type: "user", payload: { action: "login", id, .. } } => println("in", id),\n'
     '    _ => println("?")\n}', "in 7\n"),
    # a missing key fails the arm; a value that is not an object fails it too
    ('fn f(v) -> i64 { match v { { n } => n, _ => -1 } }\n'
     'println(f({ n: 3 }), f({ m: 3 }), f(5), f("s"))', "3 -1 -1 -1\n"),
    # a struct's fields answer an object pattern too
    ("struct P { x: i64, y: i64 }\nlet p = P { x: 1, y: 2 }\n"
     "match p { { x: 0, .. } => println(0), { x, y } => println(x + y) }", "3\n"),
    # first in an `if let` or `for` header
    ('let o = { city: "NYC" }\nif let { city } = o { println(city) }\n'
     'for { name, .. } in [{ name: "a" }, { name: "b", k: 1 }] { println(name) }', "NYC\na\nb\n"),
])
def test_object_patterns(src: str, out: str) -> None:
    assert run(src) == out


def test_object_pattern_let_that_does_not_match_is_an_error() -> None:
    assert error('let { a } = { b: 1 }\nprintln(a)')[:3] == \
        ("pattern does not match value {b: 1}", 1, 1)
    assert error("let { a } = 5")[0] == "pattern does not match value 5"


@pytest.mark.parametrize("src,out", [
    # an `if` as the scrutinee of `while let`: its blocks are not the loop's body
    ("let v = [1, 2, 3, 4, 5];\nlet mut i = 0;\n"
     "while let Some(x) = if i < v.len() { Some(v[i]) } else { None } {\n"
     "    println!(\"{}\", x);\n    i += 1;\n    if i >= 3 { break; }\n}\nprintln!(\"end\");",
     "1\n2\n3\nend\n"),
    # a `match` as the scrutinee of `while let`, and an `if` in an `if let` header
    ("let n = 4;\nwhile let Some(v) = match n { 4 => Some(1), _ => None } {\n"
     "    println!(\"{}\", v);\n    break;\n}\n"
     "if let Some(k) = if n > 2 { Some(n) } else { None } { println!(\"{}\", k); }\n"
     "if n > 1 { println!(\"a\"); } else { println!(\"b\"); }",
     "1\n4\na\n"),
    # an `if` in a closure in a `while` condition, and as a `for` iterable
    ("let mut v = vec![3, -1, 2];\n"
     "while v.iter().any(|x| if *x > 0 { true } else { false }) {\n"
     "    let n = v.len();\n    v[n - 1] -= 1;\n    if v[n - 1] <= 0 { v.pop(); }\n"
     "    println!(\"{:?}\", v);\n}\n"
     "for k in if v.is_empty() { 0..2 } else { 0..1 } {\n    println!(\"{}\", k);\n}",
     "[3, -1, 1]\n[3, -1]\n[3]\n[2]\n[1]\n[]\n0\n1\n"),
])
def test_if_and_match_inside_a_header(src: str, out: str) -> None:
    assert run(src) == out

"""Ruchy's own forms (docs/level3.md "Ruchy dialect forms"), parsed and run at tier 0.

Expected outputs are derived by hand from the reference implementation's rules (paiml/ruchy),
stated next to each case: its lexer (single-quoted strings, escapes), its parser
(object literals, arrow lambdas, `var`) and its interpreter (object display, try/catch)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "interp"))
from tier0_support import error, run  # noqa: E402

from ruchy_opt.errors import RuchySyntaxError  # noqa: E402
from ruchy_opt.syntax import ast as A  # noqa: E402
from ruchy_opt.syntax.parser import parse_program  # noqa: E402


@pytest.mark.parametrize("src,out", [
    # `var` is a mutable binding; `var` stays a name elsewhere
    ("var n = 1\nn += 2\nprintln(n)\nlet var = 5\nprintln(var)", "3\n5\n"),
    # '..' with two or more characters (or none) is a string; 'a' stays a char
    ("let s = 'ab'\nprintln(s + '' + \"!\", 'x')", "ab! x\n"),
    # unknown escapes stay as written; \u{..} decodes
    ('println("a\\\\qb \\x \\u{41}")', "a\\qb \\x A\n"),
    # \xHH up to 7F is Rust's ASCII escape; \q (unknown) stays as written, as in Ruchy
    ('println("\\x41\\x7a \\q \\x9")', "Az \\q \\x9\n"),
    # ~ is bitwise not
    ("println(~5, ~0 & 7)", "-6 7\n"),
    # arrow lambdas and anonymous fun
    ("let v = [1, 2, 3]\nprintln(v.iter().map(x => x * 10).collect::<Vec<i64>>())\n"
     "println(v.iter().fold(0, (a, x) => a + x))\nlet f = fun(x) -> i64 { x * 2 }\nprintln(f(4))",
     "[10, 20, 30]\n6\n8\n"),
    # `module`, methods inside a struct body, decorators, T? and T[] field types
    ("module m {\n    pub fun two() -> i64 { 2 }\n}\n"
     "struct P {\n    x: i64,\n    tags: String[],\n    next: P?,\n\n"
     "    fun new(x: i64) -> P { P { x: x, tags: vec![], next: None } }\n"
     "    fun get(&self) -> i64 { self.x }\n}\n"
     "@test(\"never run\")\nfun t() { println(\"no\") }\n"
     "println(m::two() + P::new(40).get())", "42\n"),
    # pipelines: a function gets the value first, anything else is a method
    ("fn inc(x) { x + 1 }\nprintln(3 |> inc |> inc)\n"
     "println([1, 2, 3, 4] |> filter(x => x % 2 == 0))\nprintln(\" hi \" |> trim)", "5\n[2, 4]\nhi\n"),
    # b'x' patterns, `ref` as a name
    ("fn f(ref: &str) -> usize { ref.len() }\n"
     "match b'\"' { b'\"' => println(f(\"abc\")), _ => println(0) }", "3\n"),
])
def test_dialect_forms_run(src: str, out: str) -> None:
    assert run(src) == out


def test_contextual_words_stay_names() -> None:
    # var, try, catch, throw, requires, module... are keywords only where their form begins.
    src = """fn catch_unwind(f) { f }
let requires = 1
let module = 2
let mut throw = 3
throw += 1
for var in [4] { println(var + requires + module + throw + catch_unwind(0)) }"""
    assert run(src) == "11\n"


def test_module_dot_paths() -> None:
    # The book's listing 8-6: `math.add(2, 3)` calls the module's function; a variable
    # named like a module keeps its methods.
    src = """mod math {
    pub const TWO: i64 = 2
    pub fun add(a, b) { a + b }
}
println(math.add(2, 3), f"{math.add(1, math.TWO)}")
fn f() { let strings = vec![1]; println(strings.len()) }
mod strings { pub fun len() -> i64 { 99 } }
f()"""
    assert run(src) == "5 3\n1\n"


def test_object_literals() -> None:
    # The reference's format_object: keys sorted and bare, values in debug form.
    src = """
let p = { x: 3.0, y: 4.0 }
println(f"({p.x}, {p.y})")
let o = { "name": "Bob", "n": { b: 1, a: [1, 2] } }
println(o)
println(o["name"], o.n.a, o.len())
var acct = { owner: "Ann", balance: 10 }
acct.balance = acct.balance + 5
println(acct)
let copy = acct
acct.balance = 0
println(copy.balance)
"""
    assert run(src) == ('(3.0, 4.0)\n{n: {a: [1, 2], b: 1}, name: "Bob"}\nBob [1, 2] 2\n'
                        '{balance: 15, owner: "Ann"}\n15\n')


def test_object_missing_field_is_an_error() -> None:
    msg, line, _, _ = error("let p = { x: 1 }\nprintln(p.y)")
    assert msg == "no field 'y' on object {x: 1}" and line == 2


def test_try_catch_throw() -> None:
    # A throw is caught with its value; a runtime error as the object {message, type}.
    src = """
fn risky(x) {
    if x < 0 {
        throw "negative"
    }
    x * 2
}
try {
    println(risky(5))
} catch e {
    println(f"caught {e}")
}
try {
    println(risky(-1))
} catch e {
    println(f"caught {e}")
}
let v = try { 10 / 0 } catch (err) { println(err.message); -1 } finally { println("done") }
println(v)
"""
    assert run(src) == "10\ncaught negative\ndivision by zero\ndone\n-1\n"


def test_uncaught_throw_is_a_located_error() -> None:
    msg, line, col, _ = error('println(1)\nthrow "bad"')
    assert (msg, line, col) == ('uncaught exception: "bad"', 2, 1)


def test_contracts() -> None:
    src = "fun r(x: f64) -> f64 requires x >= 0.0 ensures result < 10.0 {\n    x.sqrt()\n}\n" \
          "println(r(4.0))\nprintln(r(-1.0))"
    msg, line, _, out = error(src)
    assert out == "2.0\n" and msg == "panic: precondition failed" and line == 1
    msg, _, _, _ = error(src.replace("r(-1.0)", "r(400.0)"))
    assert msg == "panic: postcondition failed"


def test_desugared_shapes() -> None:
    prog = parse_program("var x = 1\nlet o = { k: 1 }\n")
    let, obj = prog.items
    assert isinstance(let, A.Let) and let.mutable
    assert isinstance(obj.value, A.Call) and obj.value.macro and obj.value.callee.id == "__object"


@pytest.mark.parametrize("src,pos", [
    ("let x = 5 @ 3", (1, 11)),            # `@` with a space is not a decorator
    ("let f = g(1 + 2 => 3)", (1, 11)),     # an arrow lambda's parameters are names
    ("'a b'", (1, 4)),                      # a space ends a single-quoted string
])
def test_dialect_errors(src: str, pos: tuple[int, int]) -> None:
    with pytest.raises(RuchySyntaxError) as e:
        parse_program(src)
    assert (e.value.span.line, e.value.span.col) == pos


def test_default_parameter_values() -> None:
    # paiml/ruchy's parser (utils_helpers/params.rs): `name [: T] = expr` after any
    # parameter; a call may leave out trailing defaulted arguments, evaluated per call.
    src = """fun f(x: i64, y: i64 = 5) -> i64 { x + y }
struct C { n: i64 }
impl C {
    fun add(&self, k: i64 = 10) -> i64 { self.n + k }
}
fn g(a, v = [1]) { v.len() + a }
let c = C { n: 1 }
println(f(1), f(1, 2), c.add(), c.add(2), g(1), g(1, [1, 2, 3]))
println(f())"""
    msg, line, _, out = error(src)
    assert out == "6 3 11 3 2 4\n"
    assert (msg, line) == ("wrong number of arguments: 'f' takes 2 arguments, got 0", 9)


def test_struct_field_defaults() -> None:
    # A field `name: T = expr` may be left out of a literal; a derived default() uses it.
    src = """#[derive(Debug, Default)]
struct Config { host: String = "0.0.0.0", port: i32 = 8080, debug: bool }
println("{:?}", Config { debug: true })
println("{:?}", Config { port: 1, debug: false })
let c = Config::default()
println("{} {} {}", c.host, c.port, c.debug)"""
    assert run(src) == ('Config { host: "0.0.0.0", port: 8080, debug: true }\n'
                        'Config { host: "0.0.0.0", port: 1, debug: false }\n0.0.0.0 8080 false\n')
    with pytest.raises(RuchySyntaxError, match="missing field 'debug'"):
        run(src + "\nlet d = Config { port: 2 }")

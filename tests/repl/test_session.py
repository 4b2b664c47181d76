"""The REPL session in-process: definitions and variables across inputs, values,
errors, multi-line inputs. Expected values are worked out by hand from LANGUAGE.md."""
from __future__ import annotations

import pytest

from ruchy_opt.repl.reader import needs_more

from repl_support import Driven


@pytest.fixture
def repl() -> Driven:
    return Driven()


def test_definitions_and_variables_persist(repl: Driven) -> None:
    out, err = repl.feed("fn add(a, b) { a + b }\n"
                         "let mut x = add(2, 3)\n"
                         "x += 10\n"
                         "x\n"
                         "let name = \"Ruchy\"\n"
                         "name\n"
                         "println(\"{} {}\", name, x)\n"
                         "vec![1, 2] + vec![x]\n"
                         "(x, 'c', 2.0)\n")
    assert err == ""
    # a value is printed in its debug form; println's unit is not printed
    assert out == '15\n"Ruchy"\nRuchy 15\n[1, 2, 15]\n(15, \'c\', 2.0)\n'


def test_error_is_located_and_state_kept(repl: Driven) -> None:
    repl.feed("let mut n = 7\nfn div(a, b) { a / b }\n")
    out, err = repl.feed("n = 100; div(n, 0)\n")
    assert out == ""
    # the error is in div, defined at line 2: its line and a caret under the `/`
    assert err == ("<repl>:2:18: error: division by zero\n"
                   "fn div(a, b) { a / b }\n" + " " * 17 + "^\n")
    # the failed input changed no variable; the function is still there
    out, err = repl.feed("n\ndiv(n, 2)\n")
    assert (out, err) == ("7\n3\n", "")


def test_syntax_error_points_into_the_line_typed(repl: Driven) -> None:
    repl.feed("let a = 1\n\n")
    out, err = repl.feed("let = a\n")
    assert err.startswith("<repl>:3:5: error: unexpected '='")
    assert err.splitlines()[1:] == ["let = a", "    ^"]
    assert repl.feed("a\n") == ("1\n", "")


def test_multi_line_inputs(repl: Driven) -> None:
    out, err = repl.feed("fn f(s) {\n"
                         "    // a } in a comment, a { in a string\n"
                         "    let t = \"{\" + s\n"
                         "    /* } */ t\n"
                         "}\n"
                         "f(\"x\")\n"
                         "let v = [\n1,\n2]\nv.len()\n")
    assert (out, err) == ('"{x"\n2\n', "")


def test_needs_more_asks_the_lexer() -> None:
    assert needs_more("fn f() {")
    assert needs_more("let v = [1,")
    assert needs_more("let s = \"abc")
    assert needs_more("x /* still a comment")
    assert not needs_more("let s = \"{\"")
    assert not needs_more("let c = '('")
    assert not needs_more("f(1) // (")
    assert not needs_more(":type (")
    assert not needs_more("let x = )")  # the parser reports it


def test_functions_share_top_level_variables(repl: Driven) -> None:
    out, err = repl.feed("let mut count = 0\nfn bump() { count += 1 }\nbump(); bump()\n"
                         "count\nbump()\ncount\n")
    assert (out, err) == ("2\n3\n", "")


def test_level3_values_across_inputs(repl: Driven) -> None:
    out, err = repl.feed(
        "struct P { x: i64, y: i64 }\n"
        "impl P { fn sum(&self) -> i64 { self.x + self.y } }\n"
        "let p = P { x: 1, y: 2 }\n"
        "p\n"
        "enum Shape { Dot, Circle(f64) }\n"
        "let s = Shape::Circle(1.5)\n"
        "match s { Shape::Dot => 0.0, Shape::Circle(r) => r * 2.0 }\n"
        "impl P { fn scaled(&self, k: i64) -> P { P { x: self.x * k, y: self.y * k } } }\n"
        "p.scaled(3).sum()\n"
        "Some(p.sum())\n")
    assert err == ""
    assert out == "P { x: 1, y: 2 }\n3.0\n9\nSome(3)\n"


def test_redefinition_replaces(repl: Driven) -> None:
    repl.feed("fn g(x) { x + 1 }\nfn h(x) { g(x) * 10 }\n")
    assert repl.feed("h(1)\n") == ("20\n", "")
    repl.feed("fn g(x) { x + 2 }\n")
    assert repl.feed("h(1)\n") == ("30\n", "")


def test_unit_and_statements_print_nothing(repl: Driven) -> None:
    assert repl.feed("let a = 5\n()\nfor i in 0..2 { }\nif a > 9 { 1 }\n") == ("", "")


def test_interrupt_keeps_state() -> None:
    import ctypes
    import threading
    # interpreted (no OSR): in-process, compiled code that is stopped would call exit()
    # (test_terminal.py stops a compiled loop in a session of its own)
    repl = Driven(osr=1e12)
    repl.feed("let mut k = 1\n")

    def interrupt_soon() -> None:
        # the input runs on its own thread (execute.py): interrupt it as Ctrl-C does
        import time
        time.sleep(0.3)
        for t in threading.enumerate():
            if t.name == "ruchy-repl":
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(t.ident), ctypes.py_object(KeyboardInterrupt))
    threading.Thread(target=interrupt_soon).start()
    out, err = repl.feed("k = 2; loop { }\n")
    assert err == "interrupted\n"
    assert repl.feed("k\n") == ("1\n", "")

"""Named macro arguments (`println!("{a}", a = 5)`), `unsafe` blocks and functions, and
assignment through a path to a static (`crate::HITS += 1`): their ASTs, and a program
using all three run at tier 0 (expected output from rustc)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ruchy_opt.errors import RuchySyntaxError
from ruchy_opt.syntax import ast as A
from ruchy_opt.syntax.parser import parse_program


def body(src: str) -> list[A.Node]:
    """The statements of ``fn main`` in ``src``."""
    fn = parse_program(src).items[0]
    assert isinstance(fn, A.FunDef)
    return fn.body.stmts


def test_named_macro_arguments_are_assignments() -> None:
    call = body('fn main() { println!("{a} {b:>4}", a = 5, b = x); }')[0]
    assert isinstance(call, A.Call) and call.macro
    fmt, a, b = call.args
    assert isinstance(fmt, A.StrLit)
    assert isinstance(a, A.Assign) and a.op == "=" and a.target.id == "a"
    assert a.value.value == 5 and b.value.id == "x"
    assert (a.span.line, a.span.col, a.span.end_col) == (1, 36, 41)


def test_named_arguments_in_write_and_format() -> None:
    w = body('fn main() { write!(f, "{v}", v = self.x,) }')[0]
    assert isinstance(w.args[2], A.Assign) and isinstance(w.args[2].value, A.Field)
    s = body('fn main() { let s = format!("{n}", n = 3); }')[0]
    assert isinstance(s.value.args[1], A.Assign)


def test_ordinary_calls_take_no_named_arguments() -> None:
    with pytest.raises(RuchySyntaxError):
        parse_program("fn main() { f(a = 1) }")


def test_unsafe_block_is_a_plain_block() -> None:
    stmts = body("fn main() {\n    unsafe {\n        X += 1;\n    }\n    *p = 2\n}\n")
    assert isinstance(stmts[0], A.Block) and isinstance(stmts[0].stmts[0], A.Assign)
    assert isinstance(stmts[1], A.Assign)  # the block ended the statement at its `}`
    let = body("fn main() { let y = unsafe { X }; }")[0]
    assert isinstance(let.value, A.Block)


def test_unsafe_fn_impl_and_trait() -> None:
    prog = parse_program("unsafe fn f() {}\nunsafe trait T {}\nunsafe impl T for i64 {}\n")
    assert [type(i) for i in prog.items] == [A.FunDef, A.TraitDef, A.ImplDef]


def test_unsafe_is_a_keyword() -> None:
    with pytest.raises(RuchySyntaxError):
        parse_program("fn main() { let unsafe = 1; }")


@pytest.mark.parametrize("src", ["crate::HITS += 1", "self::COUNT = 0", "m::X = 1",
                                 "m::P.x = 2"])
def test_assignment_through_a_path(src: str) -> None:
    a = body(f"fn main() {{ {src}; }}")[0]
    assert isinstance(a, A.Assign)


def test_byte_string_is_an_array_of_its_bytes() -> None:
    v = body('fn main() { let b = b"a\\n\\"é"; }')[0].value
    assert isinstance(v, A.ArrayLit)
    assert [e.value for e in v.elems] == [97, 10, 34, 0xC3, 0xA9]


def test_raw_pointer_types() -> None:
    f = parse_program("fn f(p: *const u8, q: *mut Vec<i64>) {}").items[0]
    assert [p.type.text for p in f.params] == ["*const u8", "*mut Vec<i64>"]
    assert f.params[1].type.mutable and f.params[1].type.inner.kind == "array"


PROGRAM = """use std::fmt;
static mut HITS: i64 = 0;
mod m {
    pub static mut X: i64 = 0;
}
struct P {
    x: i64,
}
impl fmt::Display for P {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "<{v}>", v = self.x)
    }
}
unsafe fn bump() {
    HITS += 10;
}
fn main() {
    let x = 7;
    println!("{a} {b:>4}|{a}", a = 5, b = x);
    let s = format!("{n}-{w:<3}|", n = 3, w = "ab");
    println!("{}", s);
    unsafe {
        crate::HITS += 1;
        self::HITS += 2;
        m::X = 5;
        m::X *= 3;
    }
    unsafe { bump() }
    let h = unsafe { HITS };
    let y = unsafe { m::X };
    println!("{} {}", h, y);
    println!("{}", P { x: 4 });
}
"""

#: rustc's output for PROGRAM.
EXPECTED = "5    7|5\n3-ab |\n13 15\n<4>\n"


def test_program_runs_at_tier0(tmp_path) -> None:
    f = tmp_path / "p.rs"
    f.write_text(PROGRAM)
    exe = Path(sys.executable).parent / "ruchy-opt"  # as pip installed it
    r = subprocess.run([str(exe), "run", str(f)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == EXPECTED

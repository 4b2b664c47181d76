"""interp/fieldkinds.int_fields: struct fields that provably hold ints (reads get kind
"int", so an LCG's ``(self.state / 65536) % n`` needs no type tests), and fields an
annotation calls i64 that may hold something else keep the generic path. Expected
outputs are Rust's (each program here is also valid Rust; computed by hand from it)."""
from __future__ import annotations

import io

import pytest

from ruchy_opt.errors import RuchyRuntimeError, SourceFile
from ruchy_opt.interp.fieldkinds import int_fields
from ruchy_opt.interp.runner import Tier0Program
from ruchy_opt.syntax.parser import parse_program


def _fields(src: str) -> frozenset[str]:
    return int_fields(parse_program(src))


def _run(src: str) -> str:
    out = io.StringIO()
    Tier0Program(parse_program(src), SourceFile("t.ruchy", src)).run(out=out)
    return out.getvalue()


_RNG = """struct Rng { state: i64, calls: i64 }
impl Rng {
    fn below(&mut self, n: i64) -> i64 {
        self.state = (self.state * 1103515245 + 12345) % 2147483648;
        self.calls += 1;
        (self.state / 65536) % n
    }
}
"""


def test_int_stores_prove_the_field() -> None:
    src = _RNG + """fn main() {
    let mut r = Rng { state: 42, calls: 0 };
    for i in 0..3 { r.state ^= i << 2; }
    let k = r.below(10) as i64;
    r.calls = -k;
}"""
    assert _fields(src) == {"state", "calls"}


def test_unproven_stores_keep_the_generic_path() -> None:
    src = _RNG + """fn f() -> i64 { 3 }
fn main() {
    let mut r = Rng { state: f(), calls: 0 };
    r.calls += 0.5;
    let m = &mut r.state;
}"""
    assert _fields(src) == frozenset()
    # a float stored into an i64 field (the annotation is a hint): the reads see it
    assert _run("struct C { n: i64 }\nfn main() { let mut c = C { n: 1 };\n"
                "c.n = c.n * 3 / 2;\n let x = 2.5; c.n = x as i64;\n"
                "let mut d = C { n: 1 }; d.n += 1;\n"
                "println!(\"{} {}\", c.n, d.n); }") == "2 2\n"


def test_lcg_runs_as_before() -> None:
    src = _RNG + """fn main() {
    let mut r = Rng { state: 7, calls: 0 };
    let mut s = 0;
    for _ in 0..5 { s = s * 10 + r.below(10); }
    println!("{} {} {}", s, r.calls, r.state);
}"""
    assert _fields(src) == {"state", "calls"}
    state, digits = 7, 0
    for _ in range(5):
        state = (state * 1103515245 + 12345) % 2147483648
        digits = digits * 10 + (state // 65536) % 10
    assert _run(src) == f"{digits} 5 {state}\n"


def test_overflow_is_still_an_error() -> None:
    src = """struct A { v: i64 }
fn main() { let mut a = A { v: 9223372036854775807 }; a.v = a.v + 1; }"""
    assert _fields(src) == {"v"}
    with pytest.raises(RuchyRuntimeError, match="integer overflow"):
        _run(src)

"""interp/fusion.py: a range followed by plain filter/map closures is one generator (no
filter/map objects, no call per closure and item), with Rust's lazy order of calls,
captures by reference, rev() and errors at the closure's position. Expected outputs
are Rust's, derived by hand from the programs (each is valid Rust)."""
from __future__ import annotations

import io

import pytest

from ruchy_opt.errors import RuchyRuntimeError, SourceFile
from ruchy_opt.interp.program import translate_program
from ruchy_opt.interp.runner import Tier0Program
from ruchy_opt.syntax.parser import parse_program


def _py(src: str) -> str:
    return translate_program(parse_program(src), SourceFile("t.ruchy", src)).source


def _run(src: str) -> str:
    out = io.StringIO()
    Tier0Program(parse_program(src), SourceFile("t.ruchy", src)).run(out=out)
    return out.getvalue()


def test_chain_is_one_generator_without_intermediate_arrays() -> None:
    src = """fn main() {
    let r = 2;
    let s: i64 = (0..10).filter(|x| (x + r) % 3 != 0).map(|x| x * 2 + r).sum();
    println!("{}", s);
}"""
    py = _py(src)
    assert "_fuse(" in py and "yield" in py
    assert "_it_filter" not in py and "_it_map" not in py and "Arr(" not in py
    # x in 0..10 with (x + 2) % 3 != 0: 0 2 3 5 6 8 9 -> sum of 2x+2 = 66 + 14
    assert _run(src) == "80\n"


def test_lazy_order_captures_and_rev() -> None:
    src = """fn main() {
    let mut log: Vec<i64> = Vec::new();
    let mut calls = 0;
    let k = 3;
    {
        let mut it = (1..=10).filter(|&x| { calls += 1; x % k == 0 }).map(|x| x * x);
        log.push(it.next().unwrap());
        log.push(it.next().unwrap());
    }
    println!("{:?} {}", log, calls);
    let r: Vec<i64> = (0..5).map(|x| x + 1).rev().collect();
    let x = 100;
    let t: i64 = (0..4).map(|x| x + 1).filter(|y| *y > 1).map(|z| z * x).sum();
    let c: String = ('a'..='e').filter(|c| *c != 'c').map(|c| c.to_ascii_uppercase()).collect();
    println!("{:?} {} {}", r, t, c);
}"""
    assert "_it_filter" not in _py(src)
    assert _run(src) == "[9, 36] 6\n[5, 4, 3, 2, 1] 900 ABDE\n"


def test_error_in_a_fused_closure_is_located() -> None:
    src = "fn main() {\n    let s: i64 = (0..3).map(|x| x + 9223372036854775806).sum();\n}"
    with pytest.raises(RuchyRuntimeError, match="integer overflow") as e:
        _run(src)
    assert (e.value.span.line, e.value.span.col) == (2, 35)


def test_closures_that_need_their_frame_are_not_fused() -> None:
    src = """fn main() {
    let a: Vec<i64> = (0..4).map(|x| { if x > 1 { return 0; } x }).collect();
    let b: Vec<i64> = (0..4).filter(|mut x| { x = &0; *x == 0 }).collect();
    println!("{:?} {:?}", a, b);
}"""
    assert "_fuse(" not in _py(src)
    assert _run(src) == "[0, 1, 0, 0] [0, 1, 2, 3]\n"

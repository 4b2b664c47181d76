"""runtime/values.own: copy on write skips the copy when nothing else references the
array's storage any more (CPython's reference count), and still copies whenever a
clone, a snapshot being iterated or a borrowed copy holds it. Each program is valid
Rust; the expected outputs follow from Rust's value semantics (by hand)."""
from __future__ import annotations

import io

from ruchy_opt.errors import SourceFile
from ruchy_opt.interp.runner import Tier0Program
from ruchy_opt.runtime.values import Arr, cp, own
from ruchy_opt.syntax.parser import parse_program


def _run(src: str) -> str:
    out = io.StringIO()
    Tier0Program(parse_program(src), SourceFile("t.ruchy", src)).run(out=out)
    return out.getvalue()


def test_storage_kept_once_the_other_holder_is_gone() -> None:
    a = Arr([1, 2])
    b = cp(a)
    storage = id(a.d)  # (an id: holding the list itself would count as a holder)
    own(b)
    assert id(b.d) != storage and id(a.d) == storage  # a clone held the list: b copied
    del b
    assert a.shared
    own(a)
    assert id(a.d) == storage and not a.shared  # nothing else holds it: no copy


def test_clones_loops_and_borrows_keep_their_values() -> None:
    src = """#[derive(Clone)]
struct P { x: i64 }
fn total(ps: &Vec<P>) -> i64 {
    let mut s = 0;
    for p in ps.iter() { s += p.x; }
    s
}
fn main() {
    let mut a = vec![P { x: 1 }, P { x: 2 }];
    let b = a.clone();
    a[0].x = 5;
    println!("{} {}", a[0].x, b[0].x);
    let mut s = 0;
    for p in a.iter() { s += p.x; }
    a[1].x = 7;
    let c = a.clone();
    a[1].x = 8;
    println!("{} {} {} {}", s, total(&a), c[1].x, a[1].x);
    let mut g = vec![vec![1, 2], vec![3]];
    let h = g.clone();
    g[0][0] = 9;
    for row in g.iter() { s += row[0]; }
    g[1][0] = 4;
    println!("{} {} {:?} {:?}", h[0][0], s, g, h);
}"""
    assert _run(src) == "5 1\n7 13 7 8\n1 19 [[9, 2], [4]] [[1, 2], [3]]\n"

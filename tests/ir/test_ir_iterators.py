"""Iterator chains, ranges and collections in the IR (lower/chains.py, lower/iterators.py,
ir/ops_iter.py, ir/handles.py): a chain known statically is one loop pulling one item
through every stage before the next (Rust's lazy order); the rest, and collections, go
through the runtime's own functions. Expected outputs are Rust's order, written by hand
(LANGUAGE.md: iterators are lazy; hash maps iterate in insertion order)."""
from __future__ import annotations

import re

import pytest

from ruchy_opt.errors import RuchySyntaxError
from ruchy_opt.ir.opdef import OPS
from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.verify import VerifyError, verify_module
from ruchy_opt.lower import NotInIR

from ir_helpers import lower_text, run_ir, run_tier0

LAZY = """\
let v: Vec<i64> = (1..10).map(|x| { println!("m {}", x); x * 2 })
    .filter(|x| x % 3 == 0).take(2).collect()
println!("{:?}", v)
"""
#: map runs for 1..=6 only: take(2) has its two items after 6, and asks no more
LAZY_OUT = "".join(f"m {i}\n" for i in range(1, 7)) + "[6, 12]\n"


def _ir(text: str) -> str:
    return print_module(lower_text(text))


def test_a_static_chain_is_one_loop_in_rusts_order() -> None:
    assert run_ir(LAZY) == (LAZY_OUT, None) == run_tier0(LAZY)
    ir = _ir(LAZY)
    assert "^chain.head" in ir and "iter.adapt" not in ir and "iter.collect" not in ir


def test_for_over_a_chain_interleaves_the_body() -> None:
    text = ('for x in [3, 4, 5].iter().map(|x| { println!("map {}", x); x + 1 }).skip(1) {\n'
            '    println!("body {}", x)\n}\n')
    want = "map 3\nmap 4\nbody 5\nmap 5\nbody 6\n"
    assert run_ir(text) == (want, None) == run_tier0(text)
    assert "iter.adapt" not in _ir(text)


@pytest.mark.parametrize("text,want", [
    ("println!(\"{}\", (1..5).fold(0, |a, x| a * 10 + x))", "1234\n"),
    ("println!(\"{} {}\", [1, 2].iter().any(|x| *x > 1), [1, 2].iter().all(|x| *x > 1))",
     "true false\n"),
    ("println!(\"{:?} {:?}\", (5..9).find(|x| x % 4 == 0), (5..9).position(|x| x == 7))",
     "Some(8) Some(2)\n"),
    ("println!(\"{:?}\", (0..3).zip([7, 8, 9, 10].iter().map(|x| x * 2)).collect::<Vec<_>>())",
     "[(0, 14), (1, 16), (2, 18)]\n"),
    ("println!(\"{:?}\", (0..10).step_by(4).enumerate().collect::<Vec<_>>())",
     "[(0, 0), (1, 4), (2, 8)]\n"),
    ("println!(\"{} {}\", (1..=5).product::<i64>(), (0..7).filter(|x| x % 2 == 0).count())",
     "120 4\n"),
    ("let s: f64 = [0.5, 0.25].iter().sum()\nprintln!(\"{}\", s)", "0.75\n"),
])
def test_consumers(text: str, want: str) -> None:
    assert run_ir(text) == (want, None) == run_tier0(text)


def test_an_iterator_in_a_variable_goes_through_the_runtime_lazily() -> None:
    text = ('let mut it = (0..4).map(|x| { println!("p {}", x); x * 10 })\n'
            'println!("{:?}", it.next())\nfor y in it { println!("y {}", y) }\n')
    want = "p 0\nSome(0)\np 1\ny 10\np 2\ny 20\np 3\ny 30\n"
    assert run_ir(text) == (want, None) == run_tier0(text)
    ir = _ir(text)
    assert 'iter.adapt "map"' in ir and "iter.next" in ir


def test_hash_map_counts_in_insertion_order() -> None:
    text = ("use std::collections::HashMap\nlet mut m: HashMap<String, i64> = HashMap::new()\n"
            "for w in \"b a b c b a\".split(' ') { *m.entry(w.to_string()).or_insert(0) += 1 }\n"
            "println!(\"{:?} {} {:?}\", m, m.len(), m.get(\"c\"))\n")
    want = '{"b": 3, "a": 2, "c": 1} 3 Some(1)\n'
    assert run_ir(text) == (want, None) == run_tier0(text)
    ir = _ir(text)
    assert "coll.new hashmap<any, any>" in ir and 'map.entry_op "+"' in ir


def test_range_values() -> None:
    text = "let r = 2..=4\nprintln!(\"{:?} {} {}\", r, r.contains(&4), r.contains(&5))\n"
    assert run_ir(text) == ("2..=4 true false\n", None) == run_tier0(text)
    assert "range true" in _ir(text)


@pytest.mark.parametrize("text", [
    "println!(\"{}\", (0..5).take(-1).count())",
    "let v: Vec<i64> = (0..3).map(|x| 10 / (x - 1)).collect()",
    "println!(\"{}\", [1, 2].iter().step_by(0).count())",
    "println!(\"{}\", (0..3).map(|a, b| a).count())",  # at the consumer, where pulled
    "for x in (0..3).filter(|a, b| a) { println!(\"{}\", x) }",
])
def test_failures_are_tier0s(text: str) -> None:
    got = run_ir(text)
    assert got[1] is not None and got == run_tier0(text)


def test_a_for_over_values_mut_is_tier0s() -> None:
    """``for x in m.values_mut()`` (lower/mutloops.for_refs) runs as tier 0 runs it."""
    text = ("use std::collections::HashMap\nlet mut m = HashMap::new()\nm.insert(1, 2)\n"
            "for x in m.values_mut() { *x += 1; println!(\"{}\", x) }\n"
            "println!(\"{:?}\", m)")
    assert run_ir(text) == run_tier0(text) == ("3\n{1: 3}\n", None)


@pytest.mark.parametrize("text,what", [
    ("use std::collections::HashMap\nlet mut m = HashMap::new()\nm.insert(1, 2)\n"
     "let it = m.values_mut()\nprintln!(\"{}\", it.count())", "'.values_mut()'"),
])
def test_what_is_not_in_the_ir_is_refused(text: str, what: str) -> None:
    with pytest.raises(NotInIR, match=re.escape(f"the method {what} is not in the IR yet")):
        lower_text(text)


SSA = """\
func @main(%s: hashset<i64>) {
^entry:
  %m = coll.new btreemap<str, any>
  %k = const "k"
  %one = const 1
  %r = method "insert", %m, %k, %one
  %i = iter.items %s
  %o = iter.next %i
  ret
}
"""


def test_handle_types_print_parse_and_verify() -> None:
    m = parse_module(SSA)
    verify_module(m)
    assert print_module(parse_module(print_module(m))) == print_module(m)
    assert "%s: hashset<i64>" in print_module(m)


@pytest.mark.parametrize("bad,why", [
    ("coll.new btreemap<str, any>", "coll.new range<any>"),
    ("coll.new btreemap<str, any>", "coll.new hashmap<any>"),
])
def test_handle_types_are_checked(bad: str, why: str) -> None:
    with pytest.raises((VerifyError, RuchySyntaxError)):
        verify_module(parse_module(SSA.replace(bad, why)))


def test_effects_are_declared() -> None:
    """A collection nobody uses may go; pulling an iterator (which runs closures) and
    writing a map may not."""
    assert OPS["coll.new"].removable_if_unused()
    for name in ("iter.next", "iter.items", "iter.collect", "map.entry_op", "coll.from",
                 "iter.adapt"):
        assert not OPS[name].removable_if_unused(), name
    assert OPS["truthy"].has("pure") and OPS["sum.add"].has("pure")

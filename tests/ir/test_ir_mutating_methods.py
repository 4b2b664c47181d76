"""Methods that change their receiver's place in the IR (issue 14): the string and
Option mutators stored back (``method.mut``), slices changed in place (``slice.put``),
references into a collection's elements (``ref.elem``, ``deref_set``), ``for`` loops over
``iter_mut``/``values_mut`` (``ref.items``, ``deref``, ``deref_set``), ``entry``
references, closures the runtime passes a reference to (``deref``/``ref.set``) and
library functions used as values.

Each program is valid Rust; its expected output is rustc's (checked in here). The IR
interpreter must print it, after a trip through the textual form and after -O2 with
the module verified, and tier 0 too. Constructs the IR cannot keep stay refusals, and
Level 2's methods stay compiled."""
from __future__ import annotations

import io

import pytest

from ruchy_opt.errors import SourceFile
from ruchy_opt.ir.verify import verify_module
from ruchy_opt.irinterp import Interpreter
from ruchy_opt.lower import NotInIR, lower_program
from ruchy_opt.passmgr.driver import run_passes
from ruchy_opt.passmgr.registry import NAMED_PIPELINES
from ruchy_opt.syntax.parser import parse_program

from ir_helpers import lower_text, run_ir, run_tier0

STRINGS = """\
struct Buf { text: String, n: i64 }
impl Buf {
    fn add(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\\n');
        self.n += 1;
    }
}
fn shout(s: &mut String) {
    s.push_str("!");
    s.insert(0, '>');
}
fn main() {
    let mut s = String::new();
    for c in "abc".chars() {
        s.push(c);
    }
    s.push_str("def");
    s.truncate(4);
    s.insert_str(1, "XY");
    let p = s.pop();
    println!("{} {:?}", s, p);
    let mut t = String::from("hey");
    shout(&mut t);
    println!("{}", t);
    let mut b = Buf { text: String::new(), n: 0 };
    b.add("one");
    b.add("two");
    print!("{}", b.text);
    println!("{}", b.n);
    let mut names = vec![String::from("a"), String::from("b")];
    names[1].push_str("cd");
    names[0].clear();
    println!("{:?}", names);
}
"""

STRINGS_OUT = """\
aXYbc Some('d')
>hey!
one
two
2
["", "bcd"]
"""

OPTIONS = """\
struct Slot { o: Option<i64> }
fn take_it(o: &mut Option<i64>) -> Option<i64> {
    o.take()
}
fn main() {
    let mut o: Option<i64> = Some(3);
    let y = o.take();
    println!("{:?} {:?}", o, y);
    let old = o.replace(7);
    println!("{:?} {:?}", o, old);
    let r = *o.get_or_insert(9);
    println!("{} {:?}", r, o);
    let t = take_it(&mut o);
    println!("{:?} {:?}", o, t);
    let mut c: Option<String> = None;
    let h = c.get_or_insert_with(|| String::from("hi")).clone();
    println!("{} {:?}", h, c);
    let mut s = Slot { o: Some(1) };
    let got = s.o.take();
    println!("{:?} {:?}", got, s.o);
}
"""

OPTIONS_OUT = """\
None Some(3)
Some(7) None
7 Some(7)
None Some(7)
hi Some("hi")
Some(1) None
"""

SLICES = """\
fn qsort(v: &mut [i64]) {
    if v.len() <= 1 { return; }
    let p = v[v.len() - 1];
    let mut i = 0;
    for j in 0..v.len() - 1 {
        if v[j] < p { v.swap(i, j); i += 1; }
    }
    let n = v.len() - 1;
    v.swap(i, n);
    qsort(&mut v[..i]);
    qsort(&mut v[i + 1..]);
}
fn main() {
    let mut v = vec![9, 3, 7, 1, 8, 2, 5];
    qsort(&mut v);
    println!("{:?}", v);
    v[..3].fill(0);
    v[4..].reverse();
    println!("{:?}", v);
    let mut w = vec![5, 1, 4, 2, 3];
    w[1..4].sort();
    w[3..].swap(0, 1);
    println!("{:?}", w);
    let mut z = vec![3, 1, 2, 2];
    z.retain(|&x| x != 1);
    z.extend(vec![7, 7]);
    z.dedup();
    z.extend_from_slice(&[1]);
    let d: Vec<i64> = z.drain(1..3).collect();
    println!("{:?} {:?}", z, d);
}
"""

SLICES_OUT = """\
[1, 2, 3, 5, 7, 8, 9]
[0, 0, 0, 5, 9, 8, 7]
[5, 1, 2, 3, 4]
[3, 1] [2, 7]
"""

ELEMENTS = """\
use std::collections::{HashMap, VecDeque};
#[derive(Debug, Clone)]
struct Item { name: String, qty: i64 }
fn main() {
    let mut items = vec![Item { name: "a".to_string(), qty: 1 }, Item { name: "b".to_string(), qty: 2 }];
    if let Some(it) = items.last_mut() {
        it.qty += 100;
    }
    if let Some(it) = items.get_mut(0) {
        it.qty = 0;
        it.name.push('!');
    }
    items.first_mut().unwrap().name.push('?');
    items.last_mut().unwrap().qty -= 1;
    println!("{:?}", items);
    let mut q: VecDeque<i64> = VecDeque::from(vec![1, 2, 3]);
    if let Some(x) = q.back_mut() {
        *x *= 10;
    }
    println!("{:?}", q);
    let mut m: HashMap<i64, i64> = HashMap::new();
    m.insert(2, 20);
    if let Some(v) = m.get_mut(&2) {
        *v += 1;
    }
    match m.get_mut(&3) {
        Some(v) => *v += 1,
        None => println!("none"),
    }
    *m.get_mut(&2).unwrap() *= 2;
    println!("{:?}", m);
}
"""

ELEMENTS_OUT = """\
[Item { name: "a!?", qty: 0 }, Item { name: "b", qty: 101 }]
[1, 2, 30]
none
{2: 42}
"""

LOOPS = """\
use std::collections::BTreeMap;
fn main() {
    let mut grid = vec![vec![0; 3]; 2];
    for (i, row) in grid.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = i * 3 + j;
        }
    }
    println!("{:?}", grid);
    let mut m = vec![1, 2, 3];
    for (i, x) in m.iter_mut().enumerate() {
        *x += i as i64;
        if i == 1 { break; }
    }
    m.iter_mut().for_each(|x| *x *= 2);
    println!("{:?}", m);
    let mut scores: BTreeMap<&str, i64> = BTreeMap::new();
    scores.insert("bob", 3);
    scores.insert("amy", 7);
    for v in scores.values_mut() {
        *v *= 2;
    }
    for (k, v) in scores.iter_mut() {
        if *k == "bob" { *v = 0; break; }
        *v += 100;
    }
    scores.entry("bob").and_modify(|v| *v += 5).or_insert(0);
    let total: Vec<i64> = (1..=4).scan(0, |acc, x| { *acc += x; Some(*acc) }).collect();
    println!("{:?} {:?}", scores, total);
    let mut groups: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for w in ["aa", "b", "cc"] {
        groups.entry(w.len()).or_insert_with(Vec::new).push(w);
        groups.entry(w.len() + 10).or_default();
    }
    let e = groups.entry(1).or_default();
    e.push("z");
    println!("{:?}", groups);
    let best = vec![1.5, 3.5, 2.0].into_iter().fold(f64::MIN, f64::max);
    println!("{}", best);
}
"""

LOOPS_OUT = """\
[[0, 1, 2], [3, 4, 5]]
[2, 6, 6]
{"amy": 114, "bob": 5} [1, 3, 6, 10]
{1: ["b", "z"], 2: ["aa", "cc"], 11: [], 12: []}
3.5
"""

CASES = [
    pytest.param(STRINGS, STRINGS_OUT, id="strings"),
    pytest.param(OPTIONS, OPTIONS_OUT, id="options"),
    pytest.param(SLICES, SLICES_OUT, id="slices"),
    pytest.param(ELEMENTS, ELEMENTS_OUT, id="elements"),
    pytest.param(LOOPS, LOOPS_OUT, id="loops"),
    # a reference made by `let` and changed through: written back (lower/refs.let_borrow)
    pytest.param("fn main() {\n    let mut s = String::new();\n    let r = &mut s;\n"
                 "    r.push_str(\"x\");\n    println!(\"{}\", s);\n}\n", "x\n",
                 id="let-reference"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_ir_prints_rustcs_output(text: str, expected: str) -> None:
    assert run_ir(text, roundtrip=True) == (expected, None)
    assert run_tier0(text) == (expected, None)


@pytest.mark.parametrize("text,expected", CASES)
def test_after_o2(text: str, expected: str) -> None:
    m = lower_text(text)
    run_passes(m, NAMED_PIPELINES["O2"], verify_each=True)
    out = io.StringIO()
    Interpreter(m, out).run_program()
    assert out.getvalue() == expected


@pytest.mark.parametrize("text,what", [
    # a reference made by `let` and moved to another variable: not kept
    ("fn main() {\n    let mut s = String::new();\n    let r = &mut s;\n    let w = r;\n"
     "    w.push_str(\"x\");\n    println!(\"{}\", s);\n}\n", "'r'"),
    # a closure taking `&mut` called by the program itself (not the runtime)
    ("fn main() {\n    let mut n = 1;\n    let f = |x: &mut i64| *x += 1;\n"
     "    f(&mut n);\n    println!(\"{}\", n);\n}\n", "'&mut' parameter"),
    # a string mutator on a field of what a call gives
    ("fn name(v: &mut Vec<String>) -> &mut String { &mut v[0] }\nfn main() {\n"
     "    let mut v = vec![String::new()];\n    name(&mut v).push_str(\"x\");\n"
     "    println!(\"{:?}\", v);\n}\n", "push_str"),
])
def test_what_the_ir_cannot_keep_is_refused(text: str, what: str) -> None:
    with pytest.raises(NotInIR) as e:
        lower_text(text)
    assert what in e.value.message and e.value.span.line > 0


def test_level2_methods_stay_compiled() -> None:
    """``v.push(x)``, ``s.len()``, ``x.to_string()`` in a Level 2 function are lowered
    for the compiled tiers as before (no Level 3 op, no refusal)."""
    text = ("fn f(n) {\n    let mut v = [];\n    for i in 0..n {\n        v.push(i);\n"
            "    }\n    let t = n.to_string();\n    v.len() + t.len()\n}\n"
            "println(f(3))\n")
    m = lower_program(parse_program(text, "t.ruchy"), SourceFile("t.ruchy", text),
                      aggregates=False)
    ops = {i.op.name for i in m.functions["f"].instructions()}
    assert "method.mut" not in ops and "method" in ops
    verify_module(m)

"""Four Level 3 constructs the IR used to refuse (issue 14): the format specs of
compiled code's gaps (``{:e}``, widths and precisions from arguments: ``format.dyn``),
``btree_map::Entry`` patterns, ``T::name()`` through a type parameter, and
``BinaryHeap``. Expected outputs are rustc's (the programs are valid Rust), checked in."""
from __future__ import annotations

from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.verify import verify_module
from ruchy_opt.passmgr.driver import run_passes
from ruchy_opt.passmgr.registry import NAMED_PIPELINES

from ir_helpers import lower_text, run_ir, run_tier0


def _agrees(text: str, expected: str) -> None:
    """tier 0 and the IR (also after its text round trip and -O2) print ``expected``."""
    assert run_tier0(text) == (expected, None)
    assert run_ir(text) == (expected, None)
    assert run_ir(text, roundtrip=True) == (expected, None)
    m = lower_text(text)
    printed = print_module(m)
    assert print_module(parse_module(printed)) == printed
    run_passes(m, NAMED_PIPELINES["O2"], verify_each=True)
    verify_module(m)


def _ops(text: str, pipeline: str = "") -> list[str]:
    m = lower_text(text)
    if pipeline:
        run_passes(m, pipeline, verify_each=True)
    return [i.op.name for f in m.functions.values() for i in f.instructions()]


# ---- format specs ----------------------------------------------------------------------

FORMAT = """fn main() {
    let w = 6;
    let p = 3;
    let v = 2.0 / 3.0;
    println!("[{:e}] [{:E}] [{:.2e}] [{:>w$.p$}]", 1234.5, 0.00012, v, v);
    println!("[{:<1$}] [{:.*}] [{:>+12.3e}]", 7, 3, v, -987654.0);
    let n = 1500;
    println!("[{n:e}] [{:^w$}] [{:0w$}] [{:e}]", "ab", -3, 0.0);
}
"""
FORMAT_RUSTC = ("[1.2345e3] [1.2E-4] [6.67e-1] [ 0.667]\n"
                "[7  ] [0.667] [    -9.877e5]\n"
                "[1.5e3] [  ab  ] [-00003] [0e0]\n")


def test_exponent_and_argument_widths_run_as_rustc_prints() -> None:
    _agrees(FORMAT, FORMAT_RUSTC)


def test_argument_widths_are_format_dyn_naming_operands_by_index() -> None:
    m = lower_text(FORMAT)
    texts = [i.imms[0] for f in m.functions.values() for i in f.instructions()
             if i.op.name == "format.dyn"]
    assert texts[0] == "[{0:e}] [{1:E}] [{2:.2e}] [{3: >4$.5$}]\n"
    # the width of the first hole and the precision of `{:.*}` are the same argument
    assert texts[1] == "[{0: <1$}] [{2:.1$}] [{3: >+12.3e}]\n"


def test_format_dyn_of_constants_folds_but_a_bad_width_fails_where_tier0_does() -> None:
    assert "format.dyn" not in _ops('fn main() { println!("[{:>1$}]", 5, 3); }\n',
                                    "sccp,constfold,dce")
    bad = 'fn main() {\n    let w = 3 - 5;\n    println!("a");\n    println!("[{:>w$}]", 1);\n}\n'
    expected = ("a\n", ("RuchyRuntimeError",
                        "type error: format width must be an int >= 0, found -2", 4, 5))
    assert run_tier0(bad) == expected
    assert run_ir(bad) == expected
    m = lower_text(bad)
    run_passes(m, NAMED_PIPELINES["O2"], verify_each=True)
    assert "format.dyn" in [i.op.name for f in m.functions.values() for i in f.instructions()]


def test_digit_grouping_is_kept_in_the_ir_text() -> None:
    text = 'fn main() {\n    let n = 1234567;\n    println(f"{n:,} {n:_}");\n}\n'
    assert run_ir(text) == run_tier0(text) == ("1,234,567 1_234_567\n", None)


# ---- BinaryHeap, Reverse, a user Ord ---------------------------------------------------

HEAP = """use std::cmp::Ordering;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Debug, PartialEq, Eq)]
struct Job { cost: i64, id: i64 }
impl Ord for Job {
    fn cmp(&self, other: &Self) -> Ordering {
        other.cost.cmp(&self.cost).then_with(|| self.id.cmp(&other.id))
    }
}
impl PartialOrd for Job {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> { Some(self.cmp(other)) }
}

fn main() {
    let mut h = BinaryHeap::new();
    for x in [5, 1, 8, 3, 9, 2] { h.push(x); }
    let mut seen = Vec::new();
    for x in h.iter() { seen.push(*x); }
    println!("{:?} {:?} {}", seen, h.peek(), h.len());
    let mut total = 0;
    while let Some(top) = h.pop() {
        total = total * 10 + top;
        if total > 1000 { break; }
    }
    println!("{} {} {:?}", total, h.is_empty(), h.into_sorted_vec());
    let mut mins = BinaryHeap::new();
    for x in [4, 1, 6] { mins.push(Reverse(x)); }
    let Reverse(first) = mins.pop().unwrap();
    let next = mins.peek().unwrap().0;
    println!("{} {} {:?}", first, next, mins.into_vec());
    let mut jobs = BinaryHeap::new();
    jobs.push(Job { cost: 3, id: 1 });
    jobs.push(Job { cost: 1, id: 2 });
    jobs.push(Job { cost: 1, id: 0 });
    jobs.push(Job { cost: 2, id: 5 });
    while let Some(j) = jobs.pop() { print!("{}:{} ", j.id, j.cost); }
    println!();
    let mut pairs = vec![(2, "b"), (1, "z"), (2, "a")];
    pairs.sort_by_key(|p| Reverse(p.0));
    println!("{:?} {}", pairs, Reverse(1) < Reverse(2));
}
"""
HEAP_RUSTC = (
    "[9, 8, 5, 1, 3, 2] Some(9) 6\n"
    "9853 false [1, 2]\n"
    "1 4 [Reverse(4), Reverse(6)]\n"
    "2:1 0:1 5:2 1:3 \n"
    '[(2, "b"), (2, "a"), (1, "z")] false\n'
)


def test_binary_heap_reverse_and_a_user_ord_run_as_rustc_prints() -> None:
    _agrees(HEAP, "".join(HEAP_RUSTC))


def test_heap_and_reverse_are_types_of_their_own_in_the_text() -> None:
    m = lower_text(HEAP)
    text = print_module(m)
    assert "coll.new binaryheap<any>" in text and "make reverse<any>, " in text
    assert "is_type reverse<any>" in text or "extract \"0\"" in text
    assert "struct !Reverse" not in text  # the runtime's Reverse, not a class of its own


# ---- T::f() on a type parameter, the derived Default -------------------------------------

GENERIC = """trait Named {
    fn name() -> String;
    fn make(n: i64) -> Self;
    fn size(&self) -> i64;
}
#[derive(Debug, Default)]
struct Inner { a: i64, b: f64 }
#[derive(Debug, Default)]
struct Outer { inner: Inner, tag: String, flags: Vec<bool>, c: char, on: bool }
#[derive(Debug)]
struct Ant { legs: i64 }
#[derive(Debug)]
struct Bee { wings: i64 }
impl Named for Ant {
    fn name() -> String { String::from("ant") }
    fn make(n: i64) -> Self { Ant { legs: n * 6 } }
    fn size(&self) -> i64 { self.legs }
}
impl Named for Bee {
    fn name() -> String { String::from("bee") }
    fn make(n: i64) -> Self { Bee { wings: n * 4 } }
    fn size(&self) -> i64 { self.wings + 1 }
}
fn spawn<T: Named>(n: i64) -> T { println!("spawning {} x{}", T::name(), n); T::make(n) }
fn label<T: Named>(t: &T) -> String { format!("{}:{}", T::name(), t.size()) }
fn pair<T: Named>(t: &T) -> String { format!("{} and {}", label(t), T::name()) }
fn zero<T: Default>() -> T { T::default() }

fn main() {
    let a: Ant = spawn(2);
    let b = spawn::<Bee>(3);
    println!("{} {}", label(&a), label(&b));
    println!("{} | {}", pair(&b), pair(&a));
    let x: Ant = spawn(1);
    let y = spawn::<Ant>(2);
    println!("{:?} {:?}", x, y);
    let o: Outer = zero();
    println!("{:?}", o);
    let c = zero::<char>();
    let f: f64 = zero();
    let s = zero::<String>();
    println!("{:?} {:?} {:?} {:?}", c, f, s, Inner::default());
}
"""
GENERIC_RUSTC = (
    'spawning ant x2\n'
    'spawning bee x3\n'
    'ant:12 bee:13\n'
    'bee:13 and bee | ant:12 and ant\n'
    'spawning ant x1\n'
    'spawning ant x2\n'
    'Ant { legs: 6 } Ant { legs: 12 }\n'
    'Outer { inner: Inner { a: 0, b: 0.0 }, tag: "", flags: [], c: \'\\0\', on: false }\n'
    '\'\\0\' 0.0 "" Inner { a: 0, b: 0.0 }\n'
)


def test_type_parameter_calls_and_derived_default_run_as_rustc_prints() -> None:
    _agrees(GENERIC, "".join(GENERIC_RUSTC))


def test_a_type_parameter_nothing_states_fails_as_tier0_does() -> None:
    text = ("trait N { fn name() -> String; }\nstruct A { x: i64 }\n"
            "impl N for A { fn name() -> String { \"a\".to_string() } }\n"
            "fn show<T: N>() -> i64 { println!(\"{}\", T::name()); 1 }\n"
            "fn main() {\n    show::<A>();\n    let n = show();\n    println!(\"{}\", n);\n}\n")
    # (not Rust: the second call states no type, so it sees the one stated last, as at
    # tier 0; a program whose first call states none fails)
    assert run_ir(text) == run_tier0(text) == ("a\na\n1\n", None)
    first = text.replace("    show::<A>();\n", "")
    expected = ("", ("RuchyRuntimeError", "undefined name 'T::name'", 4, 41))
    assert run_tier0(first) == expected
    assert run_ir(first) == expected


def test_the_stated_type_is_a_global_the_callee_reads() -> None:
    text = print_module(lower_text(GENERIC))
    assert "global @typearg.spawn::T = ()" in text
    assert "type_token !Bee" in text and "store_global @typearg.spawn::T, " in text
    assert "type_token char<>" in text  # zero::<char>()


# ---- map entries as an enum, references into a map ---------------------------------------

ENTRY = """use std::collections::btree_map;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

fn bump(m: &mut BTreeMap<String, i64>, k: &str, by: i64) -> i64 {
    match m.entry(k.to_string()) {
        btree_map::Entry::Occupied(mut o) => {
            *o.get_mut() += by;
            *o.get()
        }
        btree_map::Entry::Vacant(v) => {
            let r = v.insert(by * 100);
            *r += 1;
            *r
        }
    }
}

fn main() {
    let mut m: BTreeMap<String, i64> = BTreeMap::new();
    let a = bump(&mut m, "x", 2);
    let b = bump(&mut m, "x", 3);
    let c = bump(&mut m, "y", 1);
    println!("{} {} {} {:?}", a, b, c, m);
    let mut h: HashMap<i64, i64> = HashMap::new();
    for k in [3, 1, 3, 3, 2] {
        h.entry(k).and_modify(|n| *n *= 2).or_insert(1);
        *h.entry(k * 10).or_default() += 7;
    }
    *h.get_mut(&1).unwrap() -= 5;
    let c2 = h.get_mut(&2).unwrap();
    *c2 += 40;
    let seen = *h.get_mut(&3).unwrap();
    let mut keys: Vec<_> = h.iter().collect();
    keys.sort();
    println!("{:?} {}", keys, seen);
    if let Entry::Occupied(o) = h.entry(30) {
        let (k, v) = o.remove_entry();
        println!("removed {} {} {}", k, v, h.contains_key(&30));
    }
    match h.entry(99) {
        Entry::Occupied(_) => println!("no"),
        Entry::Vacant(v) => println!("vacant {}", v.key()),
    }
}
"""
ENTRY_RUSTC = (
    '201 204 101 {"x": 204, "y": 101}\n'
    '[(1, -4), (2, 41), (3, 4), (10, 7), (20, 7), (30, 21)] 4\n'
    'removed 30 21 false\n'
    'vacant 99\n'
)


def test_entry_patterns_and_references_into_a_map_run_as_rustc_prints() -> None:
    _agrees(ENTRY, "".join(ENTRY_RUSTC))


def test_entry_is_a_sum_type_and_writes_through_a_reference_are_deref_set() -> None:
    text = print_module(lower_text(ENTRY))
    assert "tag entry<>, " in text and 'payload entry<>, "Occupied", "0", ' in text
    assert "deref_set " in text and "map.entry_op " in text  # (`or_default() += 7`)


def test_a_struct_written_through_get_mut_and_an_if_let_on_get_mut_run_in_the_ir() -> None:
    # the element is read (ref.elem), changed as a value and stored back at its key
    # (deref_set of a KeyRef: lower/elemrefs.py), not changed in place
    text = ("use std::collections::HashMap;\n#[derive(Debug, Clone)]\nstruct P { x: i64 }\n"
            "fn main() {\n    let mut m: HashMap<i64, P> = HashMap::new();\n"
            "    m.insert(1, P { x: 1 });\n    *m.get_mut(&1).unwrap() = P { x: 2 };\n"
            "    println!(\"{:?}\", m.get(&1));\n}\n")
    assert run_ir(text) == run_tier0(text) == ("Some(P { x: 2 })\n", None)
    # a binding of a pattern on a reference: `ref mut`, written back at its key
    text = ("use std::collections::HashMap;\nfn main() {\n"
            "    let mut m: HashMap<i64, i64> = HashMap::new();\n    m.insert(1, 5);\n"
            "    if let Some(x) = m.get_mut(&1) {\n        *x += 1;\n    }\n"
            "    println!(\"{:?}\", m.get(&1));\n}\n")
    assert run_ir(text) == run_tier0(text) == ("Some(6)\n", None)

"""Tier 0 collections (runtime/collections.py, collection_methods.py, deque_methods.py,
vec_methods.py, interp/collections.py) -- what the l3m_* programs cannot check against
rustc: the insertion order of HashMap/HashSet (Rust leaves it unspecified), value
semantics in Ruchy's own corners, located errors, the copy-on-write storage and the
places handed out as cells. Outputs of programs that are valid Rust with a deterministic
order were checked with rustc."""
from __future__ import annotations

import io

import pytest

from ruchy_opt.errors import RuchyError, SourceFile
from ruchy_opt.interp.runner import Tier0Program
from ruchy_opt.runtime import collections as C
from ruchy_opt.runtime.methods import METHODS
from ruchy_opt.runtime.values import Arr, cp, debug
from ruchy_opt.syntax.parser import parse_program

USE = "use std::collections::{HashMap, HashSet, BTreeMap, BTreeSet, VecDeque};\n"


def run(body: str, items: str = "") -> str:
    text = USE + items + "fn main() {\n" + body + "\n}\n"
    out = io.StringIO()
    Tier0Program(parse_program(text, "t.ruchy"), SourceFile("t.ruchy", text)).run(out)
    return out.getvalue()


def error(body: str) -> tuple[str, int, str]:
    """(message, line in the body, stdout so far) of a program that must fail."""
    text = USE + "fn main() {\n" + body + "\n}\n"
    out = io.StringIO()
    with pytest.raises(RuchyError) as e:
        Tier0Program(parse_program(text, "t.ruchy"), SourceFile("t.ruchy", text)).run(out)
    return str(e.value.message), e.value.span.line - 2, out.getvalue()


# ---- order -------------------------------------------------------------------------------

def test_hash_collections_iterate_in_insertion_order():
    out = run('let mut m = HashMap::new();\n'
              'for k in ["pear", "apple", "fig", "apple"] { *m.entry(k).or_insert(0) += 1; }\n'
              'm.remove("pear"); m.insert("kiwi", 9); m.insert("pear", 1);\n'
              'println!("{:?}", m);\n'
              'let ks: Vec<_> = m.keys().collect(); println!("{:?}", ks);\n'
              'let s: HashSet<i64> = [5, 1, 5, 3].iter().cloned().collect();\n'
              'println!("{:?} {:?}", s, s.iter().rev().collect::<Vec<_>>());')
    assert out == ('{"apple": 2, "fig": 1, "kiwi": 9, "pear": 1}\n'
                   '["apple", "fig", "kiwi", "pear"]\n{5, 1, 3} [3, 1, 5]\n')


def test_btree_collections_iterate_in_key_order_for_every_key_type():
    out = run('let mut t = BTreeMap::new();\n'
              'for k in [(2, "b"), (1, "z"), (2, "a")] { t.insert(k, k.0); }\n'
              'println!("{:?}", t);\n'
              'let c: BTreeSet<char> = "banana".chars().collect(); println!("{:?}", c);\n'
              'let mut v = BTreeSet::new(); v.insert(vec![2]); v.insert(vec![1, 5]); '
              'v.insert(vec![1]);\nprintln!("{:?}", v);\n'
              'let e: BTreeSet<Option<i64>> = [Some(2), None, Some(1)].into_iter().collect();\n'
              'println!("{:?} {:?}", e, e.first());')
    assert out == ('{(1, "z"): 1, (2, "a"): 2, (2, "b"): 2}\n'
                   "{'a', 'b', 'n'}\n{[1], [1, 5], [2]}\n{None, Some(1), Some(2)} Some(None)\n")


def test_struct_keys_order_by_their_derived_order():
    out = run('let mut s = BTreeSet::new();\n'
              's.insert(P { x: 2, y: 0 }); s.insert(P { x: 1, y: 9 }); s.insert(P { x: 1, y: 3 });\n'
              's.insert(P { x: 2, y: 0 });\nprintln!("{:?} {}", s, s.contains(&P { x: 1, y: 9 }));',
              "#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]\nstruct P { x: i64, y: i64 }\n")
    assert out == "{P { x: 1, y: 3 }, P { x: 1, y: 9 }, P { x: 2, y: 0 }} true\n"


# ---- value semantics ---------------------------------------------------------------------

def test_collections_are_values_copied_on_store():
    out = run('let mut a = HashMap::new(); a.insert(1, vec![1]);\n'
              'let b = a.clone();\nlet c = a;\n'
              'let mut a = c.clone(); a.get_mut(&1).unwrap().push(2); a.insert(2, vec![]);\n'
              'println!("{:?} {:?} {:?}", a, b, c);')
    assert out == "{1: [1, 2], 2: []} {1: [1]} {1: [1]}\n"


def test_keys_are_copies_of_the_values_inserted():
    out = run('let mut key = vec![1];\nlet mut m = HashMap::new();\n'
              'm.insert(key.clone(), "one"); key.push(2); m.insert(key.clone(), "two");\n'
              'key.clear();\nprintln!("{:?} {:?} {}", m.get(&vec![1]), m.get(&key), m.len());')
    assert out == 'Some("one") None 2\n'


def test_a_collection_passed_by_value_is_a_copy_and_by_mut_ref_the_same():
    out = run('let mut m = HashMap::new(); m.insert("a", 1);\n'
              'grow(m.clone()); bump(&mut m); println!("{:?}", m);\n'
              'reset(&mut m); println!("{:?} {}", m, m.is_empty());',
              'fn grow(mut m: HashMap<&str, i64>) { m.insert("z", 0); }\n'
              'fn bump(m: &mut HashMap<&str, i64>) { *m.entry("a").or_insert(0) += 10; '
              'm.insert("b", 2); }\n'
              'fn reset(m: &mut HashMap<&str, i64>) { *m = HashMap::new(); }\n')
    assert out == '{"a": 11, "b": 2}\n{} true\n'


def test_iterating_sees_a_snapshot_when_the_body_changes_the_collection():
    # (not valid Rust; Ruchy lets it happen: the loop visits what was there at its start)
    out = run('let mut m = BTreeMap::new(); m.insert(1, 1);\n'
              'for (k, v) in &m { m.insert(k + 1, v + 1); }\nprintln!("{:?}", m);\n'
              'let mut s = HashSet::new(); s.insert(1);\n'
              'for x in s.iter() { s.insert(x * 10); }\nprintln!("{:?}", s);')
    assert out == "{1: 1, 2: 2}\n{1, 10}\n"


def test_copy_on_write_shares_storage_until_a_change():
    m = C.HashMap([(1, Arr([1]))])
    c = cp(m)
    assert c.d is m.d and c.shared and m.shared
    METHODS["insert"](c, 2, 2)
    assert c.d is not m.d and debug(m) == "{1: [1]}" and debug(c) == "{1: [1], 2: 2}"
    b = C.BTreeMap([(3, 0), (1, 0)])
    b2 = cp(b)
    METHODS["insert"](b2, 2, 0)
    assert debug(b) == "{1: 0, 3: 0}" and debug(b2) == "{1: 0, 2: 0, 3: 0}"


# ---- places -----------------------------------------------------------------------------

def test_scalar_places_are_read_back_at_the_next_use():
    m = C.HashMap([("a", 1)])
    cell = METHODS["get_mut"](m, "a").f_0
    cell.v += 41
    assert METHODS["get"](m, "a").f_0 == 42 and not m.pending


def test_places_through_get_mut_entry_values_mut_and_iter_mut():
    out = run('let mut m: BTreeMap<&str, Vec<i64>> = BTreeMap::new();\n'
              'm.entry("a").or_insert_with(Vec::new).push(1);\n'
              'm.entry("a").or_default().push(2);\n'
              'if let Some(v) = m.get_mut("a") { v.push(3); }\n'
              'let mut n: HashMap<char, i64> = HashMap::new();\n'
              'for c in "abca".chars() { *n.entry(c).or_default() += 1; }\n'
              'for v in n.values_mut() { *v *= 10; }\n'
              'for (_, v) in &mut n { *v += 1; }\n'
              'let c = n.entry(\'z\').or_insert(5); *c -= 1;\n'
              'n.entry(\'a\').and_modify(|v| *v = 0);\n'
              'match n.get_mut(&\'b\') { Some(v) => *v = -1, None => {} }\n'
              'println!("{:?} {:?}", m, n);')
    assert out == "{\"a\": [1, 2, 3]} {'a': 0, 'b': -1, 'c': 11, 'z': 4}\n"


def test_or_default_without_an_annotation_takes_the_values_type():
    out = run('let mut m = HashMap::new(); m.insert(1, 2.5);\n'
              '*m.entry(2).or_default() += 1.0;\n'
              'let mut w = HashMap::new();\n'
              'for x in [1, 1, 2] { *w.entry(x).or_default() += 1; }\n'
              'println!("{:?} {:?}", m, w);')
    assert out == "{1: 2.5, 2: 1.0} {1: 2, 2: 1}\n"


def test_fields_of_collection_values_and_collections_in_fields():
    out = run('let mut c = Counter { m: HashMap::new() };\n'
              'c.add("x"); c.add("x");\n'
              'let mut s: HashMap<i64, Stat> = HashMap::new();\n'
              's.entry(1).or_insert(Stat { n: 0 }).n += 5;\n'
              's.get_mut(&1).unwrap().n *= 2;\n'
              'let mut vs = vec![HashSet::new(), HashSet::new()];\n'
              'for s in vs.iter_mut() { s.insert(7); }\nvs[1].insert(8);\n'
              'println!("{:?} {:?} {:?}", c.m, s, vs);',
              "#[derive(Debug)]\nstruct Stat { n: i64 }\n"
              "struct Counter { m: HashMap<String, i64> }\n"
              "impl Counter { fn add(&mut self, w: &str) { "
              "*self.m.entry(w.to_string()).or_insert(0) += 1; } }\n")
    assert out == '{"x": 2} {1: Stat { n: 10 }} [{7}, {7, 8}]\n'


# ---- display ------------------------------------------------------------------------------

def test_display_and_pretty_forms():
    out = run('let mut m = HashMap::new(); m.insert("k", vec![1]);\n'
              'let e: HashSet<i64> = HashSet::new();\n'
              'let q: VecDeque<char> = "ab".chars().collect();\n'
              'println!("{:?} {:?} {:?} {:?}", m, e, q, HashMap::<i64, i64>::new());\n'
              'println!("{:#?}", m);\nprintln!("{:#?}", BTreeSet::from([1]));')
    assert out == ('{"k": [1]} {} [\'a\', \'b\'] {}\n'
                   '{\n    "k": [\n        1,\n    ],\n}\n{\n    1,\n}\n')


# ---- collect, from ------------------------------------------------------------------------

def test_collect_and_from_build_every_collection():
    out = run('let names = vec!["a", "b"];\n'
              'let m: HashMap<_, _> = names.iter().zip(1..).collect();\n'
              'let b = BTreeMap::from([(2, "x"), (1, "y")]);\n'
              'let s = HashSet::from([3, 3, 4]);\n'
              'let q: VecDeque<i64> = VecDeque::from(vec![1, 2]);\n'
              'let v = Vec::from(q.clone());\n'
              'let t: BTreeSet<i64> = HashSet::<i64>::from_iter(vec![9, 8]).into_iter().collect();\n'
              'println!("{:?} {:?} {:?} {:?} {:?} {:?}", m, b, s, q, v, t);')
    assert out == '{"a": 1, "b": 2} {1: "y", 2: "x"} {3, 4} [1, 2] [1, 2] {8, 9}\n'


# ---- errors -----------------------------------------------------------------------------

def test_missing_key_is_a_located_error_after_earlier_output():
    msg, line, out = error('let m: HashMap<i64, i64> = HashMap::new();\nprintln!("start");\n'
                           'let x = m[&3];')
    assert (msg, line, out) == ("key not found in HashMap: 3", 3, "start\n")


def test_deque_index_out_of_bounds_is_located():
    msg, line, _ = error('let mut q = VecDeque::new();\nq.push_back(1);\nq[2] = 5;')
    assert (msg, line) == ("index out of bounds", 3)


def test_wrong_argument_count_to_a_set_method():
    msg, line, _ = error('let mut s = HashSet::new();\ns.insert(1, 2);')
    assert (msg, line) == ("wrong number of arguments to method 'insert': takes 1, got 2", 2)


def test_set_operation_with_a_non_set():
    msg, _, _ = error('let s: HashSet<i64> = HashSet::new();\nlet u = s.union(&5);')
    assert msg == "type error: union() expects a set, found int"


def test_get_mut_of_a_number_element_of_a_vec_says_what_works():
    msg, _, _ = error('let mut v = vec![1, 2];\nif let Some(x) = v.get_mut(0) { *x += 1; }')
    assert "index the Vec instead" in msg


def test_map_from_items_that_are_not_pairs():
    msg, _, _ = error('let m = HashMap::from([(1, 2), (3, 4, 5)]);')
    assert msg == "type error: HashMap::from needs (key, value) pairs, found tuple"


def test_btree_keys_that_do_not_compare():
    msg, _, _ = error('let mut m = BTreeMap::new();\nm.insert(1, 1);\nm.insert("a", 2);\n'
                      'println!("{:?}", m);')
    assert msg.startswith("type error")


def test_or_default_of_an_empty_unannotated_map_takes_the_type_its_use_says():
    # (Ruchy scripts; rustc would ask for an annotation here)
    out = run('let mut g = HashMap::new();\n'
              'for (a, b) in [(1, 2), (1, 3)] { g.entry(a).or_default().push(b); }\n'
              'let mut f = HashMap::new(); *f.entry("x").or_default() += 0.5;\n'
              'let mut s = HashMap::new(); s.entry(1).or_default().push_str("ab");\n'
              'let mut n = HashMap::new(); n.entry("a").or_default().insert("b", 1);\n'
              'println!("{:?} {:?} {:?} {:?}", g, f, s, n);')
    assert out == '{1: [2, 3]} {"x": 0.5} {1: "ab"} {"a": {"b": 1}}\n'


def test_set_operators_build_new_sets():  # (output checked with rustc)
    out = run('let a: BTreeSet<i64> = [1, 2, 3].into_iter().collect();\n'
              'let b: BTreeSet<i64> = [2, 3, 4].into_iter().collect();\n'
              'println!("{:?} {:?} {:?} {:?}", &a | &b, &a & &b, &a - &b, &a ^ &b);\n'
              'let h: HashSet<i64> = [1, 2].into_iter().collect();\n'
              'let g: HashSet<i64> = [2].into_iter().collect();\n'
              'println!("{:?} {} {}", &h - &g, (&h & &g).len(), 6 & 3);')
    assert out == "{1, 2, 3, 4} {2, 3} {1} {1, 4}\n{1} 1 2\n"

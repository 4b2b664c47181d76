"""References made by patterns at tier 0 (issue 13): ``ref mut`` bindings and plain ones
under ``&mut`` (Rust's default binding mode) written back into the matched place, also
when a ``break``, ``continue``, ``return`` or ``?`` leaves their scope; ``*r = None``
through such a binding; ``match &mut v[i]`` on the value itself; and references passed
on to a ``&mut`` parameter (syntax/reborrow.py).

The programs in refs_program/ are valid Rust; their expected outputs are rustc's.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from ruchy_opt.resolve.writes import changed_names, may_change
from ruchy_opt.syntax.parser import parse_program
from ruchy_opt.syntax.reborrow import pattern_names
from tier0_support import run

HERE = Path(__file__).parent / "refs_program"
PROGRAMS = sorted(p.stem for p in HERE.glob("*.ruchy"))


@pytest.mark.parametrize("name", PROGRAMS)
def test_program(name: str) -> None:
    text = (HERE / f"{name}.ruchy").read_text()
    assert run(text) == (HERE / f"{name}.expected").read_text()


def test_string_and_option_mutators_change_their_receiver() -> None:
    assert may_change("push_str", None) and may_change("take", None)
    assert not may_change("len", None)
    prog = parse_program("fn f(s: String) { let mut t = s; t.push_str(\"a\"); }", "t.ruchy")
    assigned, changed = changed_names([prog.items[0].body])
    assert "t" in changed and "t" not in assigned


@pytest.mark.parametrize("pattern, through_mut, refs, others", [
    ("Some(x)", True, {"x"}, set()),
    ("Some(x)", False, set(), {"x"}),
    ("(ref mut a, b)", False, {"a"}, {"b"}),
    ("(&a, b)", True, {"b"}, {"a"}),
    ("P { x, y: ref y2 }", True, {"x"}, {"y2"}),
])
def test_pattern_names(pattern: str, through_mut: bool, refs: set, others: set) -> None:
    prog = parse_program(f"match v {{ {pattern} => 0, _ => 1 }}", "t.ruchy")
    match = prog.items[0] if not hasattr(prog.items[0], "expr") else prog.items[0].expr
    pat = match.arms[0].patterns[0]
    assert pattern_names(pat, through_mut) == (refs, others)


def test_a_ref_mut_binding_changed_by_a_call_is_written_back() -> None:
    text = ("fn inc(x: &mut i64) { *x += 1; }\n"
            "fn main() {\n"
            "    let mut t = (1, 2);\n"
            "    match &mut t { (a, _) => inc(a) }\n"
            "    let mut o = Some(5);\n"
            "    if let Some(ref mut n) = o { inc(n); inc(n); }\n"
            "    println!(\"{:?} {:?}\", t, o);\n"
            "}\n")
    assert run(text) == "(2, 2) Some(7)\n"


def _expr(text: str):
    """The expression of a one-statement program."""
    item = parse_program(text, "t.ruchy").items[0]
    return getattr(item, "expr", item)


@pytest.mark.parametrize("iterable, sources, adapters", [
    ("v.iter_mut()", 1, 0),
    ("m.values_mut()", 1, 0),
    ("v.iter_mut().rev().skip(1).enumerate()", 1, 3),
    ("a.iter_mut().zip(b.iter_mut().rev())", 2, 1),
    ("v.iter_mut().zip(w.iter())", 1, 1),
    ("v.iter_mut().filter(|x| **x > 0)", 0, 0),   # looks at the items: not one
    ("v.iter().rev()", 0, 0),
])
def test_reference_chains(iterable: str, sources: int, adapters: int) -> None:
    from ruchy_opt.resolve.refchains import chain_sources, ref_chain
    it = _expr(iterable)
    chain = ref_chain(None, it)
    assert len(chain_sources(None, it)) == sources
    assert (chain is not None) == (sources > 0)
    assert chain is None or len(chain.adapters) == adapters


def test_views_and_let_references() -> None:
    from ruchy_opt.resolve.writes import borrowed_place, moved_use, viewed_place
    view = viewed_place(_expr("n.right.as_mut()"))
    assert view is not None and view.mutable
    assert viewed_place(_expr("o.as_ref()")).mutable is False
    assert viewed_place(_expr("f().as_mut()")) is None  # (not a place)
    prog = parse_program("let r = &mut t.1;\nlet mut s = &mut t;\nlet w = r;\n*r += 1;\n",
                         "t.ruchy")
    first, second, third, fourth = prog.items
    assert borrowed_place(first) is not None and borrowed_place(second) is None
    assert moved_use("r", [third, fourth]) is third.value
    assert moved_use("r", [fourth]) is None

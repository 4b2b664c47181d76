"""A ``&mut`` reference re-pointed by assignment (resolve/repointed.py): refused at
the assignment, by tier 0 and the IR alike, until the back ends decide a
reference's place at run time (both used to write through the first place)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tier0_support import error

sys.path.insert(0, str(Path(__file__).parent.parent / "ir"))
from ir_helpers import run_ir  # noqa: E402

LIST = """struct Node { val: i64, next: Option<Box<Node>> }
fn push_back(head: &mut Option<Box<Node>>, v: i64) {
    let mut cur = head;
    while let Some(node) = cur {
        cur = &mut node.next;
    }
    *cur = Some(Box::new(Node { val: v, next: None }));
}
fn main() { let mut h = None; push_back(&mut h, 1); }
"""

AS_MUT = """struct Node { val: i64, next: Option<Box<Node>> }
fn main() {
    let mut h = Some(Box::new(Node { val: 1, next: None }));
    let mut cur = h.as_mut();
    while let Some(n) = cur {
        n.val += 1;
        cur = n.next.as_mut();
    }
}
"""

SWAP = """fn main() {
    let mut a = 1;
    let mut b = 2;
    let mut r = &mut a;
    *r += 1;
    r = &mut b;
    *r += 10;
    println!("{} {}", a, b);
}
"""

PARAM = """fn f(mut r: &mut i64, s: &mut i64) { *r += 1; r = s; *r += 1; }
fn main() { let mut a = 1; let mut b = 2; f(&mut a, &mut b); println!("{} {}", a, b); }
"""


@pytest.mark.parametrize("text, at, name", [
    (LIST, (5, 13), "cur"), (AS_MUT, (7, 13), "cur"), (SWAP, (6, 7), "r"),
    (PARAM, (1, 49), "r")])
def test_refused_at_the_assignment_by_both_tiers(text: str, at: tuple, name: str) -> None:
    message, line, col, out = error(text)
    assert "re-pointed by assignment" in message and f"'{name}'" in message
    assert (line, col) == at and out == ""
    ir_out, err = run_ir(text)
    assert err is not None and err[1] == message and (err[2], err[3]) == at


def test_shared_references_and_shadowing_are_not_refused() -> None:
    text = ("fn main() {\n"
            "    let a = 1; let b = 2;\n"
            "    let mut r = &a;\n"
            "    r = &b;\n"
            "    let mut x = 5;\n"
            "    let mut m = &mut x;\n"
            "    *m += 1;\n"
            "    let mut m = 3;\n"
            "    m = 4;\n"
            "    println!(\"{} {} {}\", r, m, x);\n"
            "}\n")
    from tier0_support import run
    assert run(text) == "2 4 6\n"


STALE = [
    # read of the place after the last change through the binding, before its
    # write-back at the end of the pattern's scope
    ("fn main() {\n    let mut t = (1, 2);\n"
     "    if let (x, _) = &mut t { *x += 1; println!(\"{:?}\", t); }\n}\n", (3, 56)),
    # a part of the matched value written directly: the write-back rebuilds the rest
    ("fn main() {\n    let mut w = (1, 2);\n"
     "    if let (x, _) = &mut w { *x += 1; w.1 = 5; }\n    println!(\"{:?}\", w);\n}\n",
     (3, 41)),
    # an overwrite nested in a loop of the scope: later iterations would write back
    ("fn main() {\n    let mut o = Some(1);\n    let mut k = 0;\n"
     "    if let Some(x) = &mut o {\n        *x += 1;\n"
     "        while k < 2 { k += 1; if k == 2 { o = None; break; } }\n    }\n"
     "    println!(\"{:?}\", o);\n}\n", (6, 43)),
]


@pytest.mark.parametrize("text, at", STALE)
def test_a_direct_use_of_a_place_with_a_pending_write_back_is_refused(
        text: str, at: tuple) -> None:
    """resolve/overwrites.py: both tiers used to print a stale value."""
    message, line, col, out = error(text)
    assert "a reference into it, is written back is not supported yet" in message
    assert (line, col) == at and out == ""
    _, err = run_ir(text)
    assert err is not None and err[1] == message and (err[2], err[3]) == at

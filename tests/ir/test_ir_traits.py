"""Traits in the IR (ruchy_opt/lower/traits.py, ruchy_opt/ir/traits.py): how trait
methods lower (a direct call where the receiver's type is known, ``call_method``
otherwise), the method tables and runtime trait impls of the module and their text,
and the programs of tests/ir/programs/traits_*.ruchy (valid Rust: their .expected
files are rustc's output) after the pipelines that change their calls."""
from __future__ import annotations

import os

import pytest

from ruchy_opt.errors import RuchySyntaxError
from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.verify import VerifyError, verify_module
from ruchy_opt.lower import NotInIR

from ir_helpers import ROOT, lower_text, run_cli, run_ir, run_tier0

PROGRAMS = [os.path.join(ROOT, "tests", "ir", "programs", f"traits_{n}.ruchy")
            for n in ("dyn", "display", "ops")]

SHAPES = """\
trait Shape {
    fn area(&self) -> i64;
    fn twice(&self) -> i64 { self.area() * 2 }
}
struct Sq { s: i64 }
struct Rect { w: i64, h: i64 }
impl Shape for Sq { fn area(&self) -> i64 { self.s * self.s } }
impl Shape for Rect { fn area(&self) -> i64 { self.w * self.h } }
fn total(x: &dyn Shape) -> i64 { x.twice() }
fn main() {
    println!("{} {}", total(&Sq { s: 3 }), total(&Rect { w: 2, h: 5 }));
    println!("{}", Sq { s: 4 }.twice());
}
"""


def _function(text: str, name: str) -> str:
    """The printed IR function ``@name`` of ``text``."""
    printed = print_module(lower_text(text))
    start = printed.index(f"func @{name}(")
    return printed[start:printed.index("\n}\n", start)]


def test_a_trait_object_call_dispatches_through_the_method_tables() -> None:
    printed = print_module(lower_text(SHAPES))
    assert "impl !Sq { twice = @Sq::twice }\nimpl !Rect { twice = @Rect::twice }\n" in printed
    assert 'call_method "twice", "&self", %x.0' in _function(SHAPES, "total")
    assert run_ir(SHAPES) == run_tier0(SHAPES) == ("18 20\n32\n", None)


def test_known_receivers_are_called_directly() -> None:
    # `self.area()` in Sq's (default) twice, and a receiver made in view
    assert "call @Sq::area, %self.0" in _function(SHAPES, "Sq::twice")
    main = _function(SHAPES, "main")
    assert "call @Sq::twice" in main and "call_method" not in main


def test_the_method_tables_list_only_what_is_dispatched() -> None:
    printed = print_module(lower_text(SHAPES))
    assert "area = " not in printed  # area is only called directly


def test_display_is_a_runtime_trait_impl() -> None:
    text = ("use std::fmt;\nstruct P { x: i64 }\nimpl fmt::Display for P {\n"
            "    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, \"<{}>\", "
            "self.x) }\n}\nfn main() { let v = vec![P { x: 1 }]; println!(\"{} {}\", v[0], "
            "v[0].to_string().len()); }\n")
    printed = print_module(lower_text(text))
    assert "impl Display for !P { fmt = @P::fmt }\n" in printed
    assert "func @P::fmt(%self.0, %f.1)" in printed  # f is not in-out: one result
    assert "fmt_write %f.1" in printed
    assert run_ir(text) == run_tier0(text) == ("<1> 3\n", None)


def test_a_mut_self_trait_call_stores_the_receiver_back() -> None:
    text = ("trait C { fn bump(&mut self); fn get(&self) -> i64; }\nstruct K { n: i64 }\n"
            "struct L { n: i64 }\n"
            "impl C for K { fn bump(&mut self) { self.n += 1; } fn get(&self) -> i64 { self.n } }\n"
            "impl C for L { fn bump(&mut self) { self.n += 10; } fn get(&self) -> i64 { self.n } }\n"
            "fn go(c: &mut dyn C) { c.bump(); c.bump(); }\n"
            "fn main() { let mut v: Vec<Box<dyn C>> = vec![Box::new(K { n: 0 }), "
            "Box::new(L { n: 0 })];\n for i in 0..2 { v[i].bump(); }\n let mut k = K { n: 5 };\n"
            " go(&mut k);\n println!(\"{} {} {}\", v[0].get(), v[1].get(), k.get()); }\n")
    assert 'call_method "bump", "&mut self"' in _function(text, "go")
    assert run_ir(text) == run_tier0(text) == ("1 10 7\n", None)


def test_a_type_without_the_method_gets_the_builtin_or_the_error() -> None:
    text = ("trait Sz { fn len(&self) -> i64; }\nstruct W { }\n"
            "impl Sz for W { fn len(&self) -> i64 { 42 } }\n"
            "fn n<T: Sz>(x: &T) -> i64 { x.len() }\n"
            "fn main() {\n println!(\"{} {}\", n(&W {}), n(&vec![1, 2]));\n n(&3);\n}\n")
    got = run_ir(text)
    assert got == run_tier0(text)
    assert got[0] == "42 2\n" and got[1] is not None and got[1][1:] == (
        "type error: int has no length", 4, 31)  # (the built-in len's error)


@pytest.mark.parametrize("text,what", [
    ("struct P { x: i64 }\nimpl std::ops::AddAssign for P { fn add_assign(&mut self, o: P) "
     "{ self.x += o.x; } }\nfn main() { let p = P { x: 1 }; println!(\"{}\", p.x); }\n",
     "the struct literal 'P { .. }' (a struct that implements AddAssign)"),
    ("trait T { fn f(&self) -> i64; }\nimpl T for i64 { fn f(&self) -> i64 { 1 } }\n"
     "fn main() { println!(\"{}\", 5.f()); }\n", "the method '.f()'"),
    ("trait T { fn f(&mut self, o: &mut (i64, i64)); }\nstruct A { }\nstruct B { }\n"
     "impl T for A { fn f(&mut self, o: &mut (i64, i64)) { o.0 += 1; } }\n"
     "impl T for B { fn f(&mut self, o: &mut (i64, i64)) { o.1 += 1; } }\n"
     "fn g(x: &mut dyn T) { let mut t = (0, 0); x.f(&mut t); println!(\"{:?}\", t); }\n"
     "fn main() { g(&mut A {}); }\n",
     "the method '.f()' (a '&mut' parameter of a method called through a trait)"),
])
def test_what_the_ir_does_not_have_is_refused_with_the_reason(text: str, what: str) -> None:
    with pytest.raises(NotInIR) as e:
        lower_text(text)
    assert e.value.message == f"{what} is not in the IR yet"
    assert e.value.span.line > 0


def test_impl_declarations_round_trip_and_verify() -> None:
    m = lower_text(SHAPES)
    printed = print_module(m)
    again = parse_module(printed)
    verify_module(again)
    assert print_module(again) == printed


@pytest.mark.parametrize("decl,why", [
    ("impl !P { area = @nowhere }", "method 'area' is the unknown function @nowhere"),
    ("impl !Q { area = @f }", "type !Q is not declared in the module"),
    ("impl Display for !P { fmt = @f }", "Display's 'fmt' takes 2 arguments, @f takes 1"),
])
def test_the_verifier_checks_impl_declarations(decl: str, why: str) -> None:
    text = f"struct !P {{ x }}\n{decl}\nfunc @f(%a) {{\n^entry:\n  ret %a\n}}\n"
    with pytest.raises(VerifyError) as e:
        verify_module(parse_module(text))
    assert why in str(e.value)


def test_call_method_arity_and_mode_are_verified() -> None:
    base = "struct !P { x }\nimpl !P { m = @f }\nfunc @f(%a) {\n^entry:\n  ret %a\n}\n"
    for call, why in (('call_method "m", "&self", %a, %a', "call_method passes 2 arguments"),
                      ('call_method "m", "&me", %a', "receiver mode '&me'")):
        text = base + f"func @g(%a) {{\n^entry:\n  %1 = {call}\n  ret %1\n}}\n"
        with pytest.raises(VerifyError) as e:
            verify_module(parse_module(text))
        assert why in str(e.value)


def test_an_impl_declared_twice_is_a_parse_error() -> None:
    text = "struct !P { x }\nimpl !P { }\nimpl !P { }\n"
    with pytest.raises(RuchySyntaxError) as e:
        parse_module(text)
    assert "impl !P is declared twice" in e.value.message and e.value.span.line == 3


@pytest.mark.parametrize("path", PROGRAMS, ids=os.path.basename)
@pytest.mark.parametrize("passes", ["-O2", "--passes=sroa,devirt,inline,sccp,dce",
                                    "--passes=inline,devirt,inline,sroa,sccp,dce"])
def test_trait_programs_print_rustcs_output_after_the_pipelines(path: str, passes: str) -> None:
    want = open(path[:-len(".ruchy")] + ".expected", encoding="utf-8").read()
    status, out, err = run_cli(["run", "--tier=ir", passes, "--verify-each", path])
    assert (status, out, err) == (0, want, "")


def test_copies_of_a_module_run_their_impls_in_their_own_interpreter() -> None:
    """Copies of a module share the runtime's classes of its types (a deep copy keeps
    classes), so an installed Display must call the interpreter running now, not the
    one made last."""
    import copy
    import io
    from ruchy_opt.irinterp import Interpreter
    text = ("use std::fmt;\nstruct P { x: i64 }\nimpl fmt::Display for P {\n"
            "    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {\n"
            "        println!(\"fmt {}\", self.x);\n        write!(f, \"P{}\", self.x)\n"
            "    }\n}\nfn main() { println!(\"{}\", P { x: 7 }); }\n")
    m = lower_text(text)
    first, second = io.StringIO(), io.StringIO()
    runs = [Interpreter(m, first), Interpreter(copy.deepcopy(m), second)]
    runs[0].run_program()
    assert (first.getvalue(), second.getvalue()) == ("fmt 7\nP7\n", "")
    assert run_tier0(text)[0] == "fmt 7\nP7\n"

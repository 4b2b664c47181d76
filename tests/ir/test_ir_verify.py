"""The verifier rejects hand-broken IR, each time with a message that names the
function, block and instruction and says what is wrong."""
from __future__ import annotations

import pytest

from ruchy_opt.errors import RuchySyntaxError, SourceFile
from ruchy_opt.ir import Builder, Function, Module
from ruchy_opt.ir.load import parse_ssa
from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.verify import VerifyError, verify_module

GOOD = """\
global @g = 0

func @f(%x) {
^entry:
  %c = const 1
  %t = lt %x, %c
  cond_br %t, ^small, ^big
^small:
  %a = add %x, %c
  br ^join(%a)
^big:
  br ^join(%x)
^join(%r):
  ret %r
}

func @main() {
^entry:
  %one = const 1
  %v = call @f, %one
  ret %v
}
"""


def problems(text: str) -> str:
    with pytest.raises(VerifyError) as info:
        verify_module(parse_module(text))
    return str(info.value)


def test_the_good_module_verifies() -> None:
    verify_module(parse_module(GOOD))


@pytest.mark.parametrize("old,new,expected", [
    ("  br ^join(%x)\n", "", "in function @f, block ^big: block does not end with a terminator"),
    ("  %a = add %x, %c\n", "  ret %x\n  %a = add %x, %c\n",
     "in function @f, block ^small, instruction 'ret %x': terminator in the middle of a block"),
    ("  ret %r\n", "  ret %a\n",
     "in function @f, block ^join, instruction 'ret %a': %a is used where its definition "
     "does not dominate the use"),
    ("  %c = const 1\n  %t = lt %x, %c\n", "  %t = lt %x, %c\n  %c = const 1\n",
     "instruction '%t = lt %x, %c': %c is used where its definition does not dominate"),
    ("  br ^join(%x)\n", "  br ^join(%x, %x)\n",
     "instruction 'br ^join(%x, %x)': passes 2 arguments to ^join, which has 1 parameters"),
    ("  br ^join(%x)\n", "  br ^entry\n",
     "in function @f, block ^big, instruction 'br ^entry': branches to the entry block"),
    ("  %a = add %x, %c\n", "  %a = add.i64 %x, %c\n",
     "instruction '%a = add.i64 %x, %c': operand 1 (%x) of 'add.i64' has type any, "
     "expected i64"),
    ("  cond_br %t, ^small, ^big\n", "  cond_br %x, ^small, ^big\n",
     "operand 1 (%x) of 'cond_br' has type any, expected bool"),
    ("  %v = call @f, %one\n", "  %v = call @nowhere, %one\n",
     "in function @main, block ^entry, instruction '%v = call @nowhere, %one': call to "
     "unknown function @nowhere"),
    ("  %v = call @f, %one\n", "  %v = call @f, %one, %one\n",
     "call passes 2 arguments but @f takes 1"),
    ("  ret %v\n", "  %w = load_global @h\n  ret %v\n", "unknown global @h"),
    ("^join(%r):\n", "^join(%r: i64):\n",
     "instruction 'br ^join(%a)': argument %a has type any but parameter %r of ^join has "
     "type i64"),
    ("  %a = add %x, %c\n", "  %a = format \"{} {}\", %x\n",
     "format string has 2 holes but 1 operands"),
])
def test_broken_text_is_rejected(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    assert expected in problems(GOOD.replace(old, new, 1))


@pytest.mark.parametrize("old,new,expected", [
    ("  %a = add %x, %c\n", "  %a = add %x, %c\n  %a = sub %x, %c\n",
     "value %a is defined twice in function @f"),
    ("  ret %r\n", "  ret %nope\n", "use of undefined value %nope in function @f"),
    ("  br ^join(%x)\n", "  br ^nowhere(%x)\n", "branch to undefined block ^nowhere"),
    ("  %a = add %x, %c\n", "  %a = add %x\n", "op 'add' takes 2 operands, got 1"),
    ("  %a = add %x, %c\n", "  %a = frob %x\n", "unknown op 'frob'"),
    ("  %a = add %x, %c\n", "  add %x, %c\n", "op 'add' defines a value"),
    ("  %c = const 1\n", "  %c = const\n", "op 'const' takes immediates: lit"),
    ("  %a = add %x, %c\n", "  %a = add %x, 1\n", "immediates must come before operands"),
    ("  ret %r\n", "  ret %r loc(1:2-)\n", "unexpected character"),
])
def test_malformed_text_is_a_positioned_syntax_error(old: str, new: str, expected: str) -> None:
    text = GOOD.replace(old, new, 1)
    with pytest.raises(RuchySyntaxError) as info:
        parse_module(text)
    assert expected in info.value.message
    assert info.value.span.line >= 1


def test_verifier_problem_in_a_file_points_at_its_line() -> None:
    text = GOOD.replace("  ret %r\n", "  ret %a\n")
    with pytest.raises(RuchySyntaxError) as info:
        parse_ssa(SourceFile("bad.ssa", text))
    line = text.split("\n").index("  ret %a") + 1
    assert info.value.span.line == line and info.value.span.col == 3
    assert info.value.message.startswith("invalid IR: in function @f, block ^join")


def _tiny() -> tuple[Module, Function, Builder]:
    m = Module()
    f = m.add_function(Function("t"))
    b = Builder(f, f.new_block())
    f.entry.name = "entry"
    return m, f, b


def test_use_of_an_erased_instruction_is_caught() -> None:
    m, f, b = _tiny()
    one = b.const(1)
    two = b.emit("add", [one, one])
    b.ret(two)
    one.block.instrs.remove(one)  # deleted behind the IR's back
    one.block = None
    with pytest.raises(VerifyError, match="uses %0, which is not a value of this function"):
        verify_module(m)


def test_wrong_operand_count_built_through_the_api() -> None:
    m, f, b = _tiny()
    one = b.const(1)
    b.emit("neg", [one, one])
    b.ret()
    with pytest.raises(VerifyError, match="op 'neg' takes 1 operands, got 2"):
        verify_module(m)


def test_hint_on_a_non_entry_parameter() -> None:
    m, f, b = _tiny()
    other = f.new_block()
    p = other.add_param("p")
    p.hint = "i64"
    b.br(other, [b.const(1)])
    Builder(f, other).ret(p)
    with pytest.raises(VerifyError, match=r"only function parameters have hints \(%p\)"):
        verify_module(m)


def test_all_problems_are_listed() -> None:
    text = GOOD.replace("  br ^join(%a)", "  br ^join(%a, %a)") \
        .replace("  br ^join(%x)", "  br ^join(%x, %x)")
    with pytest.raises(VerifyError) as info:
        verify_module(parse_module(text))
    assert len(info.value.problems) == 2
    lines = str(info.value).splitlines()  # every problem, each on a line of its own
    assert lines[0].startswith("invalid IR (2 problems): in function @")
    assert len(lines) == 2 and lines[1].startswith("  in function @")
    assert all(str(p) in str(info.value) for p in info.value.problems)

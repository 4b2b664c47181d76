"""IR types as values (ruchy_opt/ir/types.py): printed, parsed and verified generically,
struct declarations in the module's text, and a plugin type added as an op is."""
from __future__ import annotations

import copy
import io
import pickle

import pytest

from ruchy_opt.errors import RuchySyntaxError
from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.types import (ANY, I64, NamedType, ParamType, TupleType, register_type,
                                tuple_of)
from ruchy_opt.ir.verify import VerifyError, verify_module
from ruchy_opt.irinterp import Interpreter


@register_type
class _Pair(ParamType):
    """A plugin's type: ``my.pair<T>``, two values of T (a tuple at run time)."""

    keyword = "my.pair"
    kind = "pair"

    def fields(self, module):
        return ["0", "1"]

    def field_type(self, module, name):
        return self.params[0]

    def constructor(self, env):
        return lambda a, b: (a, b)

    def verify(self, module):
        if len(self.params) != 1:
            return f"my.pair takes 1 type, got {len(self.params)}"
        return super().verify(module)


PLUGIN = """\
struct !P { x, y: i64 }

func @main() {
^entry:
  %1 = const 1
  %2 = const 2
  %p = make my.pair<i64>, %1, %2
  %q = make !P, %1, %2
  %t = make tuple<my.pair<i64>, !P>, %p, %q
  %3 = format "{:?}", %t
  print %3
  ret
}
"""


def test_types_are_values_equal_as_their_text() -> None:
    t = tuple_of(["i64", "any"])
    assert t == "tuple<i64, any>" and t == TupleType(I64, ANY) and hash(t) == hash(str(t))
    assert t.fields(None) == ["0", "1"] and t.field_type(None, "0") == "i64"
    assert NamedType("m::P") == "!m::P"
    for v in (t, NamedType("P"), _Pair(I64)):
        assert pickle.loads(pickle.dumps(v)) == v and copy.deepcopy(v) == v


def test_a_plugin_type_prints_parses_verifies_and_runs() -> None:
    m = parse_module(PLUGIN)
    verify_module(m)
    assert print_module(m) == PLUGIN
    out = io.StringIO()
    Interpreter(m, out).run_program()
    assert out.getvalue() == "((1, 2), P { x: 1, y: 2 })"


@pytest.mark.parametrize("text,message", [
    (PLUGIN.replace("my.pair<i64>,", "my.pair<i64, f64>,", 1), "my.pair takes 1 type"),
    (PLUGIN.replace("tuple<my.pair<i64>, !P>", "tuple<!Q, !P>"), "!Q is not declared"),
    (PLUGIN.replace("make !P, %1, %2", "make !P, %1"), "has 2 fields but make has 1"),
    (PLUGIN.replace("%q = make !P, %1, %2", "%x = const 1.5\n  %q = make !P, %1, %x"),
     "field 'y' of !P has type i64"),
])
def test_the_verifier_checks_types(text: str, message: str) -> None:
    with pytest.raises(VerifyError, match=message):
        verify_module(parse_module(text))


@pytest.mark.parametrize("text,message,where", [
    ("struct !P { x, x }\n", "field 'x' is declared twice", (1, 16)),
    ("struct !P\nstruct !P\n", "type !P is declared twice", (2, 8)),
    ("func @f(%a: wat) {\n^entry:\n  ret\n}\n", "unknown type 'wat'", (1, 13)),
    ("func @f(%a: tuple(i64)) {\n^entry:\n  ret\n}\n", "expected '<' after 'tuple'",
     (1, 18)),
])
def test_malformed_types_are_errors_at_their_position(text: str, message: str,
                                                      where: tuple[int, int]) -> None:
    with pytest.raises(RuchySyntaxError, match=message) as e:
        parse_module(text)
    assert (e.value.span.line, e.value.span.col) == where

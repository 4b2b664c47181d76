"""Property tests of the arithmetic and formatting rules of LANGUAGE.md against an
independent reference written here in Python.

Each hypothesis example is one Ruchy program holding a batch of checks, each printing one
line, written in one of three forms so that different code paths of a tier are exercised:
literal operands, operands in variables, and operands passed to a function. A check whose
reference result is a runtime error (overflow, division by zero) ends the batch: the
program must print every earlier line, then fail with that error at that line.

The reference deliberately leaves out what LANGUAGE.md does not fix: the display of -0.0,
`i64::MIN % -1`, shifts whose result leaves 64 bits, min/max with NaN, int/float
comparisons beyond 2**53.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Optional, Union

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ruchy_harness import TIERS, run_source

MIN, MAX = -2 ** 63, 2 ** 63 - 1
EXAMPLES = 40

SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])


# --- the reference ---------------------------------------------------------------------

class RefError(Exception):
    """A runtime error the reference expects, with its LANGUAGE.md message."""


class Unspecified(Exception):
    """LANGUAGE.md leaves this case open: the check is dropped."""


Value = Union[bool, int, float, str, list]


def chk(n: int) -> int:
    if not MIN <= n <= MAX:
        raise RefError("integer overflow")
    return n


def tdiv(a: int, b: int) -> int:
    """Integer division truncating toward zero (unchecked)."""
    if b == 0:
        raise RefError("division by zero")
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def trem(a: int, b: int) -> int:
    if b == 0:
        raise RefError("division by zero")
    if a == MIN and b == -1:
        raise Unspecified
    return a - b * tdiv(a, b)


def ipow(a: int, e: int) -> int:
    if e < 0:
        raise Unspecified
    if abs(a) > 1 and e > 64:
        raise RefError("integer overflow")
    return chk(a ** e)


def shl(a: int, s: int) -> int:
    r = a << s
    if not MIN <= r <= MAX:
        raise Unspecified
    return r


def float_digits(x: float) -> str:
    """The shortest round-trip decimal of a finite float, positional (no exponent)."""
    if x == 0 and math.copysign(1.0, x) < 0:
        raise Unspecified  # -0.0
    s = format(Decimal(repr(x)), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def display(v: Value, debug: bool = False) -> str:
    """The display form (debug: strings quoted) of LANGUAGE.md."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        s = float_digits(v)
        return s if "." in s else s + ".0"
    if isinstance(v, str):
        return f'"{v}"' if debug else v
    if isinstance(v, list):
        return "[" + ", ".join(display(x, True) for x in v) + "]"
    raise TypeError(v)


def text(v: Value) -> str:
    """The text form (to_string, string +): whole floats without a decimal point."""
    if isinstance(v, float) and math.isfinite(v):
        return float_digits(v)
    return display(v)


def fixed(v: float, n: int) -> str:
    """`{:.N}`: N decimals, correctly rounded from the exact binary value."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return "%.*f" % (n, v)


def fdiv(x: float, y: float) -> float:
    if y == 0:
        if x == 0 or math.isnan(x):
            return math.nan
        return math.copysign(math.inf, x) * math.copysign(1.0, y)
    return x / y


def frem(x: float, y: float) -> float:
    if math.isnan(x) or math.isnan(y) or math.isinf(x) or y == 0:
        return math.nan
    if math.isinf(y):
        return x
    return math.fmod(x, y)


def fsqrt(x: float) -> float:
    if math.isnan(x) or x < 0:
        return math.nan
    return math.sqrt(x)


def to_i64(x: float) -> int:
    if math.isnan(x):
        return 0
    if x >= 2.0 ** 63:
        return MAX
    if x <= -2.0 ** 63:
        return MIN
    return int(x)


def num(v: Union[int, float]) -> float:
    return float(v)


def arith(op: str, a: Union[int, float], b: Union[int, float]) -> Union[int, float]:
    """A binary arithmetic operator on ints and floats (mixing converts to float)."""
    if isinstance(a, int) and isinstance(b, int):
        return {"+": lambda: chk(a + b), "-": lambda: chk(a - b), "*": lambda: chk(a * b),
                "/": lambda: chk(tdiv(a, b)), "%": lambda: trem(a, b)}[op]()
    x, y = num(a), num(b)
    return {"+": lambda: x + y, "-": lambda: x - y, "*": lambda: x * y,
            "/": lambda: fdiv(x, y), "%": lambda: frem(x, y)}[op]()


def compare(op: str, a: Union[int, float], b: Union[int, float]) -> bool:
    if isinstance(a, int) != isinstance(b, int):
        if max(abs(a), abs(b)) > 2 ** 53 and all(map(math.isfinite, (num(a), num(b)))):
            raise Unspecified  # exact or after conversion? LANGUAGE.md says "values"
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b,
            "!=": a != b}[op]


# --- Ruchy source for values -------------------------------------------------------------

def lit(v: Value) -> str:
    """A Ruchy expression that evaluates to ``v``."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        if v == MIN:
            return "(-9223372036854775807 - 1)"
        return f"({v})" if v < 0 else str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "(0.0 / 0.0)"
        if math.isinf(v):
            return "(1.0 / 0.0)" if v > 0 else "(-1.0 / 0.0)"
        r = repr(v).replace("e+", "e")
        return f"({r})" if v < 0 else r
    if isinstance(v, str):
        return str_lit(v)
    if isinstance(v, list):
        return "[" + ", ".join(lit(x) for x in v) + "]"
    raise TypeError(v)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "{": "\\{"}


def str_lit(s: str) -> str:
    return '"' + "".join(_ESCAPES.get(c, c) for c in s) + '"'


# --- programs of checks ------------------------------------------------------------------

@dataclass
class Check:
    """One printed line: ``template`` is a Ruchy expression over {0}, {1}, ... standing for
    the operands, and ``ref`` computes the expected line (or raises RefError)."""

    template: str
    operands: tuple
    ref: Callable[[], str]
    form: int = 0  # 0 literal operands, 1 variables, 2 through a function


@dataclass
class Batch:
    """A program built from checks, with the stdout and error the reference expects.
    Helper functions (for checks in function form) go first, one per line."""

    lines: list[str] = field(default_factory=list)
    functions: dict[str, tuple[str, int]] = field(default_factory=dict)  # template -> name, arity
    expected: list[str] = field(default_factory=list)
    #: the expected error: message, and the function it happens in or the body line
    error: Optional[tuple[str, Union[str, int]]] = None

    def add(self, c: Check) -> bool:
        """Add a check; False once the batch has ended with an expected error."""
        if self.error:
            return False
        try:
            want = c.ref()
        except Unspecified:
            return True
        except RefError as e:
            want = e
        if c.form == 2:
            fname = self.functions.setdefault(
                c.template, (f"f{len(self.functions)}", len(c.operands)))[0]
            expr = f"{fname}({', '.join(lit(o) for o in c.operands)})"
        elif c.form == 1:
            names = [f"v{i}" for i in range(len(c.operands))]
            for n, o in zip(names, c.operands):
                self.lines.append(f"let {n} = {lit(o)}")
            expr = c.template.format(*names)
        else:
            expr = c.template.format(*(lit(o) for o in c.operands))
        self.lines.append(f"println({expr})")
        if isinstance(want, RefError):
            self.error = (str(want), fname if c.form == 2 else len(self.lines))
            return False
        self.expected.append(want + "\n")
        return True

    def source(self) -> str:
        head = []
        for template, (fname, arity) in self.functions.items():
            params = [f"p{i}" for i in range(arity)]
            head.append(f"fun {fname}({', '.join(params)}) {{ {template.format(*params)} }}")
        return "\n".join(head + self.lines) + "\n"

    def error_line(self) -> int:
        """The source line the expected error must be reported at."""
        assert self.error is not None
        where = self.error[1]
        if isinstance(where, str):
            return [f for f, _ in self.functions.values()].index(where) + 1
        return len(self.functions) + where


def make_batch(checks: list[Check]) -> Batch:
    b = Batch()
    for c in checks:
        if not b.add(c):
            break
    return b


def run_batch(batch: Batch, tmp_path: Path, tier: str) -> None:
    src = batch.source()
    res = run_source(src, tmp_path, tier)
    if res.not_implemented:
        pytest.skip(f"tier {tier} is not implemented yet")
    assert "Traceback" not in res.stderr, res.stderr
    want = "".join(batch.expected)
    if res.stdout != want:
        got, exp = res.stdout.split("\n"), want.split("\n")
        i = next((i for i, (g, e) in enumerate(zip(got, exp)) if g != e),
                 min(len(got), len(exp)) - 1)
        pytest.fail(f"line {i + 1} of output differs: got {got[i]!r}, reference {exp[i]!r}\n"
                    f"stderr: {res.stderr}\nprogram:\n{src}")
    if batch.error is None:
        assert (res.status, res.stderr) == (0, ""), f"{res.stderr}\nprogram:\n{src}"
        return
    msg, line = batch.error[0], batch.error_line()
    first = res.stderr.split("\n")[0]
    assert res.status == 1, f"status {res.status}\n{res.stderr}\nprogram:\n{src}"
    assert first.endswith(f"error: {msg}"), f"{first!r}, wanted {msg!r}\nprogram:\n{src}"
    loc = first[len(str(tmp_path / "prog.ruchy")) + 1:].split(":")
    assert loc[0] == str(line), f"{first!r}: wanted line {line}\nprogram:\n{src}"


# --- strategies --------------------------------------------------------------------------

SPECIAL_INTS = [MIN, MIN + 1, MAX, MAX - 1, 0, 1, -1, 2, -2, 7, -7, 10, 2 ** 31, -2 ** 31,
                2 ** 32, 3037000499, 3037000500, -3037000500, 2 ** 62, -2 ** 62]
ints = st.one_of(st.integers(MIN, MAX), st.integers(-300, 300), st.sampled_from(SPECIAL_INTS))
small_ints = st.integers(-2 ** 53, 2 ** 53)
SPECIAL_FLOATS = [0.1, 0.2, 0.3, 1 / 3, 2.5, 0.5, 1e16, 1e21, 1e22, 1e-7, 5e-324,
                  1.7976931348623157e308, 123456.789, 1e15 + 0.3, 9007199254740993.0,
                  2.0 ** 63, -2.0 ** 63, 100.0, 4.35, 0.125]
finite_floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from(SPECIAL_FLOATS),
    st.integers(-10 ** 6, 10 ** 6).map(float),
    st.builds(lambda a, b: a / b, st.integers(-1000, 1000), st.integers(1, 1000)),
).filter(lambda x: not (x == 0 and math.copysign(1.0, x) < 0))
floats = st.one_of(finite_floats, st.sampled_from([math.inf, -math.inf, math.nan]))
forms = st.integers(0, 2)


def checks_of(*strategies) -> st.SearchStrategy:
    return st.lists(st.one_of(*strategies), min_size=10, max_size=30)


def int_binop() -> st.SearchStrategy:
    return st.builds(
        lambda op, a, b, f: Check("{0} %s {1}" % op, (a, b),
                                  lambda: display(arith(op, a, b)), f),
        st.sampled_from("+-*/%"), ints, ints, forms)


def int_misc() -> st.SearchStrategy:
    def bit(op, a, b, f):
        ref = {"&": lambda: a & b, "|": lambda: a | b, "^": lambda: a ^ b}[op]
        return Check("{0} %s {1}" % op, (a, b), lambda: display(ref()), f)

    def shift(op, a, s, f):
        ref = (lambda: shl(a, s)) if op == "<<" else (lambda: a >> s)
        return Check("{0} %s {1}" % op, (a, s), lambda: display(ref()), f)

    def power(a, e, method, f):
        t = "{0}.pow({1})" if method else "{0} ** {1}"
        return Check(t, (a, e), lambda: display(ipow(a, e)), f)

    def unary(kind, a, f):
        ref = {"-{0}": lambda: chk(-a), "{0}.abs()": lambda: chk(abs(a))}[kind]
        return Check(kind, (a,), lambda: display(ref()), f)

    def minmax(kind, a, b, f):
        return Check("{0}.%s({1})" % kind, (a, b),
                     lambda: display(min(a, b) if kind == "min" else max(a, b)), f)

    def cmp(op, a, b, f):
        return Check("{0} %s {1}" % op, (a, b), lambda: display(compare(op, a, b)), f)

    return st.one_of(
        st.builds(bit, st.sampled_from("&|^"), ints, ints, forms),
        st.builds(shift, st.sampled_from(["<<", ">>"]), ints, st.integers(0, 63), forms),
        st.builds(power, st.one_of(st.integers(-12, 12), ints), st.integers(0, 70),
                  st.booleans(), forms),
        st.builds(unary, st.sampled_from(["-{0}", "{0}.abs()"]), ints, forms),
        st.builds(minmax, st.sampled_from(["min", "max"]), ints, ints, forms),
        st.builds(cmp, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), ints, ints, forms),
    )


def float_ops() -> st.SearchStrategy:
    def binop(op, a, b, f):
        return Check("{0} %s {1}" % op, (a, b), lambda: display(arith(op, a, b)), f)

    def cmp(op, a, b, f):
        return Check("{0} %s {1}" % op, (a, b), lambda: display(compare(op, a, b)), f)

    def method(kind, a, f):
        ref = {"sqrt": lambda: fsqrt(a), "abs": lambda: abs(a)}[kind]
        return Check("{0}.%s()" % kind, (a,), lambda: display(ref()), f)

    def minmax(kind, a, b, f):
        return Check("{0}.%s({1})" % kind, (a, b),
                     lambda: display(min(a, b) if kind == "min" else max(a, b)), f)

    def cast(a, f):
        return Check("{0} as i64", (a,), lambda: display(to_i64(a)), f)

    def widen(n, f):
        return Check("{0} as f64", (n,), lambda: display(float(n)), f)

    def show(a, f):
        return Check("{0}", (a,), lambda: display(a), f)

    def neg(a, f):
        return Check("-{0}", (a,), lambda: display(-a), f)

    mixed = st.one_of(floats, small_ints)
    return st.one_of(
        st.builds(binop, st.sampled_from("+-*/%"), floats, floats, forms),
        st.builds(binop, st.sampled_from("+-*/%"), mixed, mixed, forms),
        st.builds(cmp, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), mixed, mixed, forms),
        st.builds(method, st.sampled_from(["sqrt", "abs"]), floats, forms),
        st.builds(minmax, st.sampled_from(["min", "max"]), finite_floats, finite_floats, forms),
        st.builds(cast, floats, forms),
        st.builds(widen, ints, forms),
        st.builds(show, floats, forms),
        st.builds(neg, finite_floats.filter(lambda x: x != 0), forms),
    )


def text_ops() -> st.SearchStrategy:
    def to_string(a, f):
        return Check("{0}.to_string()", (a,), lambda: text(a), f)

    def concat(prefix, a, f):
        return Check("{0} + {1}", (prefix, a), lambda: prefix + text(a), f)

    def concat_expr(a, b, f):
        return Check('"=" + ({0} * {1})', (a, b), lambda: "=" + text(arith("*", a, b)), f)

    def fmt(n, a, f):
        return Check('format!("{{:.%d}}", {0})' % n, (a,), lambda: fixed(num(a), n), f)

    def debug(a, f):
        return Check('format!("{{:?}}", {0})', (a,), lambda: display(a, True), f)

    values = st.one_of(floats, ints, st.booleans())
    prefixes = st.sampled_from(["", "x", "n = ", "é"])
    return st.one_of(
        st.builds(to_string, values, forms),
        st.builds(concat, prefixes, values, forms),
        st.builds(concat_expr, finite_floats, st.one_of(finite_floats, small_ints), forms),
        st.builds(fmt, st.integers(0, 17), st.one_of(floats, st.floats(-1e3, 1e3)), forms),
        st.builds(debug, values, forms),
    )


# --- properties ----------------------------------------------------------------------------

@pytest.mark.parametrize("tier", TIERS)
@SETTINGS
@given(checks=checks_of(int_binop()))
def test_integer_arithmetic(tmp_path, tier, checks):
    """+ - * / % on 64-bit ints: checked, truncating, remainder sign of the dividend."""
    run_batch(make_batch(checks), tmp_path, tier)


@pytest.mark.parametrize("tier", TIERS)
@SETTINGS
@given(checks=checks_of(int_misc()))
def test_integer_bits_powers_and_methods(tmp_path, tier, checks):
    """& | ^ << >> ** pow, unary minus, abs, min, max and comparisons on ints."""
    run_batch(make_batch(checks), tmp_path, tier)


@pytest.mark.parametrize("tier", TIERS)
@SETTINGS
@given(checks=checks_of(float_ops()))
def test_float_arithmetic_mixing_and_display(tmp_path, tier, checks):
    """IEEE float arithmetic, int/float mixing, casts, and the display of the results."""
    run_batch(make_batch(checks), tmp_path, tier)


@pytest.mark.parametrize("tier", TIERS)
@SETTINGS
@given(checks=checks_of(text_ops()))
def test_text_form_and_precision(tmp_path, tier, checks):
    """to_string and string + (text form), {:.N} and {:?} through format!."""
    run_batch(make_batch(checks), tmp_path, tier)


# --- printing: joins, placeholders, strings ------------------------------------------------

# Characters outside the BMP are left to tests/programs/strings_unicode until tier 0 stops
# turning them into surrogate pairs (a known bug); then raise max_codepoint and add 😀.
plain_chars = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                            exclude_characters="{}", max_codepoint=0xFFFF)
strings = st.one_of(st.text(plain_chars, max_size=8),
                    st.text(st.sampled_from('ab "\\\t\n{}é€'), max_size=8))
simple_strings = st.text(st.sampled_from("abcXYZ 019_-é€"), max_size=6)
scalars = st.one_of(ints, floats, st.booleans(), simple_strings)
arrays = st.lists(st.one_of(ints, finite_floats, st.booleans(), simple_strings), max_size=4)
printable = st.one_of(scalars, arrays, st.lists(arrays, max_size=3))


@st.composite
def print_statement(draw) -> tuple[str, str]:
    """A println/print statement and the text the reference expects from it."""
    kind = draw(st.sampled_from(["join", "format", "string", "print"]))
    if kind == "join":
        vals = draw(st.lists(printable, min_size=1, max_size=5).filter(
            lambda vs: not isinstance(vs[0], str)))
        return (f"println({', '.join(lit(v) for v in vals)})",
                " ".join(display(v) for v in vals) + "\n")
    if kind == "string":
        s, t = draw(strings), draw(strings)
        return (f'println("{{}}|{{}}|{{}}|{{}}", {str_lit(s)}, {str_lit(s)}.len(), '
                f'{str_lit(s)} + {str_lit(t)}, {str_lit(s)} < {str_lit(t)})',
                f"{s}|{len(s.encode())}|{s + t}|{display(s.encode() < t.encode())}\n")
    # a format string: literal pieces, escaped braces and placeholders
    pieces, args, out = [], [], []
    for _ in range(draw(st.integers(0, 5))):
        what = draw(st.sampled_from(["text", "brace", "{}", "{:?}", "{:.N}"]))
        if what == "text":
            t = draw(st.text(st.sampled_from("ab =:,-é"), min_size=1, max_size=4))
            pieces.append(t)
            out.append(t)
        elif what == "brace":
            b = draw(st.sampled_from(["{{", "}}"]))
            pieces.append(b)
            out.append(b[0])
        elif what == "{:.N}":
            n = draw(st.integers(0, 6))
            v = draw(st.one_of(finite_floats, st.floats(-1e4, 1e4)))
            pieces.append(f"{{:.{n}}}")
            args.append(v)
            out.append(fixed(v, n))
        else:
            v = draw(printable)
            pieces.append(what)
            args.append(v)
            out.append(display(v, debug=what == "{:?}"))
    if not args:  # without a placeholder the string would be printed as it is
        pieces.append("{}")
        args.append(7)
        out.append("7")
    fmt = str_lit("".join(pieces)).replace("\\{", "{")
    call = "print" if kind == "print" else "println"
    return (f"{call}({fmt}, {', '.join(lit(a) for a in args)})",
            "".join(out) + ("" if kind == "print" else "\n"))


@pytest.mark.parametrize("tier", TIERS)
@SETTINGS
@given(stmts=st.lists(print_statement(), min_size=5, max_size=20))
def test_printing(tmp_path, tier, stmts):
    """Space-joined arguments, placeholders ({}, {:?}, {:.N}, {{, }}), string escapes,
    byte lengths, concatenation and comparison; display of arrays."""
    try:
        src = "\n".join(s for s, _ in stmts) + "\n"
        want = "".join(w for _, w in stmts)
    except Unspecified:
        assume(False)
    res = run_source(src, tmp_path, tier)
    if res.not_implemented:
        pytest.skip(f"tier {tier} is not implemented yet")
    assert (res.status, res.stderr) == (0, ""), f"{res.stderr}\nprogram:\n{src}"
    if res.stdout != want:
        for (s, w) in stmts:
            one = run_source(s + "\n", tmp_path, tier).stdout
            if one != w:
                pytest.fail(f"{s}\nprinted {one!r}\nreference {w!r}")
        pytest.fail(f"output differs\nprogram:\n{src}")


def test_reference_sanity():
    """The reference itself agrees with the examples in LANGUAGE.md."""
    assert tdiv(-7, 2) == -3 and trem(-7, 3) == -1
    assert display(0.1 + 0.2) == "0.30000000000000004"
    assert display(3.0) == "3.0" and text(3.0) == "3" and text(2.0) == "2"
    assert display(-10.0) == "-10.0" and display(1e21) == "1000000000000000000000.0"
    assert display(math.inf) == "inf" and display(-math.inf) == "-inf"
    assert display(math.nan) == "NaN"
    assert display(["a", 1, [2.0]]) == '["a", 1, [2.0]]'
    assert fixed(2.0 / 3.0, 2) == "0.67"
    with pytest.raises(RefError):
        chk(MAX + 1)
    with pytest.raises(RefError):
        ipow(2, 63)
    assert ipow(-2, 63) == MIN

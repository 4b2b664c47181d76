"""Python code templates for Ruchy operators, specialised on statically known kinds.

Each template gets operand code that is a Python name or literal (so it may be repeated
without re-evaluation) and the operands' *kinds* as far as the translator knows them
(``int``, ``float``, ``bool``, ``str``, ``arr``, ``unit`` or ``any``). Where the kinds are
known the template is plain Python arithmetic plus the one check Ruchy needs (64-bit
overflow); where they are not, an inline type test selects the int fast path and
everything else goes to the reference semantics in ruchy_opt.runtime.ops.

A template returns ``(code, kind, needs_line)``: ``code`` is an expression; when
``needs_line`` is true the expression may raise and must be assigned on its own line
(so the error is reported at this operation), otherwise it is safe to inline.
"""
from __future__ import annotations

from typing import Optional

from .rt import BINOP_HELPER

MIN, MAX = "-9223372036854775808", "9223372036854775807"
NUM = ("int", "float")
CHECK_RANGE = f"{MIN} <= {{t}} <= {MAX}"

Template = tuple[str, str, bool, Optional[str]]  # code, kind, needs own line, check line


def _int_guard(a: str, ka: str, b: str, kb: str) -> str:
    """Condition that both operands are ints, given what is known."""
    if ka == "int":
        return f"type({b}) is int"
    if kb == "int":
        return f"type({a}) is int"
    return f"int is type({a}) is type({b})"


def _float_guard(a: str, ka: str, b: str, kb: str) -> str:
    if ka == "float":
        return f"type({b}) is float"
    if kb == "float":
        return f"type({a}) is float"
    return f"float is type({a}) is type({b})"


def _float_side(a: str, ka: str, b: str, kb: str) -> str:
    """With one operand a known float and the other unknown, the test that the other
    is a float too (then Python's operator is Ruchy's); "" otherwise."""
    if ka == "float" and kb == "any":
        return f"type({b}) is float"
    if kb == "float" and ka == "any":
        return f"type({a}) is float"
    return ""


def _overflow_check(op: str, a: str, b: str) -> str:
    """The cheapest test that ``t = a op b`` fits in 64 bits: adding or subtracting a
    positive literal can only leave the range on one side."""
    if op == "+" and (_pos_int_literal(b) or _pos_int_literal(a)):
        return f"{{t}} <= {MAX}"
    if op == "-" and _pos_int_literal(b):
        return f"{{t}} >= {MIN}"
    return CHECK_RANGE


def _pos_int_literal(code: str) -> bool:
    return code.isdigit() and int(code) > 0


def binary(op: str, a: str, ka: str, b: str, kb: str) -> Template:
    """Code for ``a op b`` (not ``&&``/``||``, which short-circuit)."""
    helper = f"{BINOP_HELPER[op]}({a}, {b})"
    both_int = ka == "int" and kb == "int"
    numeric = ka in NUM and kb in NUM
    if op in ("+", "-", "*"):
        if both_int:
            return f"{a} {op} {b}", "int", True, _overflow_check(op, a, b)
        if numeric:
            return f"({a} {op} {b})", "float", False, None
        if op == "+" and ka == "str" and kb == "str":
            return f"({a} + {b})", "str", False, None
        if op == "+" and ka == "str" and kb in ("int", "float", "bool", "str"):
            return f"({a} + _text({b}))", "str", False, None
        if op == "+" and kb == "str" and ka in ("int", "float", "bool"):
            return f"(_text({a}) + {b})", "str", False, None
        kind = "str" if op == "+" and "str" in (ka, kb) else "any"
        guard = _float_side(a, ka, b, kb)
        if guard:  # a struct's float field and a float (Level 3: fields are "any")
            return (f"{a} {op} {b} if {guard} else {helper}", "any" if op == "+" else "float",
                    True, None)
        if ka in ("any", "int") and kb in ("any", "int"):
            fast = (f"_t if {_int_guard(a, ka, b, kb)} and {MIN} <= (_t := {a} {op} {b}) <= {MAX}"
                    f" else {a} {op} {b} if {_float_guard(a, ka, b, kb)} else {helper}"
                    if ka == kb == "any" else
                    f"_t if {_int_guard(a, ka, b, kb)} and {MIN} <= (_t := {a} {op} {b}) <= {MAX}"
                    f" else {helper}")
            return fast, kind, True, None
        return helper, kind, True, None
    if op == "/":
        if both_int:
            if _pos_int_literal(b):
                return f"{a} // {b} if {a} >= 0 else -(-{a} // {b})", "int", False, None
            return f"{a} // {b} if {a} >= 0 and {b} > 0 else _idiv({a}, {b})", "int", True, None
        if numeric:
            return f"({a} / {b} if {b} else _fdiv({a}, {b}))", "float", False, None
        guard = _float_side(a, ka, b, kb)
        if guard:
            return f"{a} / {b} if {guard} and {b} else {helper}", "float", True, None
        return helper, "any", True, None
    if op == "%":
        if both_int:
            if _pos_int_literal(b):
                return f"{a} % {b} if {a} >= 0 else -(-{a} % {b})", "int", False, None
            return f"{a} % {b} if {a} >= 0 and {b} > 0 else _irem({a}, {b})", "int", True, None
        if ka == "any" and _pos_int_literal(b):
            return (f"{a} % {b} if type({a}) is int and {a} >= 0 else {helper}", "any", True,
                    None)
        return helper, "float" if numeric else "any", True, None
    if op == "**":
        return helper, "int" if both_int else "float" if numeric else "any", True, None
    if op in ("<<", ">>"):
        if both_int and op == ">>" and b.isdigit() and int(b) < 64:
            return f"({a} >> {b})", "int", False, None
        return helper, "int" if both_int else "any", True, None
    if op in ("&", "|", "^"):
        if both_int or (ka == "bool" and kb == "bool"):
            return f"({a} {op} {b})", ka, False, None
        return helper, "any", True, None
    if op in ("<", "<=", ">", ">="):
        if numeric or (ka == kb == "str"):
            return f"({a} {op} {b})", "bool", False, None
        if ka in ("any", "int") and kb in ("any", "int"):
            return f"{a} {op} {b} if {_int_guard(a, ka, b, kb)} else {helper}", "bool", True, None
        guard = _float_side(a, ka, b, kb)
        if guard:
            return f"{a} {op} {b} if {guard} else {helper}", "bool", True, None
        return helper, "bool", True, None
    if op in ("==", "!="):
        if numeric or (ka == kb and ka in ("str", "bool", "unit")):
            return f"({a} {op} {b})", "bool", False, None
        return f"{a} {op} {b} if type({a}) is type({b}) else {helper}", "bool", True, None
    raise AssertionError(f"unknown operator {op}")


def unary(op: str, a: str, ka: str) -> Template:
    """Code for ``-a`` or ``!a``."""
    if op == "-":
        if ka == "int":
            return f"-{a}", "int", True, f"{{t}} != {-int(MIN)}"
        if ka == "float":
            return f"(-{a})", "float", False, None
        return (f"-{a} if type({a}) is float or type({a}) is int and {a} != {MIN} "
                f"else _neg({a})"), "any", True, None
    if ka == "bool":
        return f"(not {a})", "bool", False, None
    if ka == "int":
        return f"(~{a})", "int", False, None
    return f"_not({a})", "any", True, None


#: Integer cast targets narrower than 64 bits: (bits, signed) (runtime/numeric.INT_TYPES).
_NARROW = {"i8": (8, True), "i16": (16, True), "i32": (32, True), "u8": (8, False),
           "u16": (16, False), "u32": (32, False)}
#: The other names ``as`` accepts, and what they cast to.
_WIDE = {"i64": "int", "isize": "int", "u64": "int", "usize": "int", "i128": "int",
         "u128": "int", "int": "int", "f64": "float", "float": "float", "f32": "f32",
         "bool": "bool", "char": "char"}


def cast_target(type_text: str) -> Optional[str]:
    """What ``as <type_text>`` casts to (an integer type name, ``int``, ``float``,
    ``f32``, ``bool`` or ``char``), or None if ``as`` cannot cast to that type."""
    if type_text in _NARROW:
        return type_text
    return _WIDE.get(type_text)


def cast(target: str, a: str, ka: str) -> Template:
    """Code for ``a as T`` where ``target`` is what :func:`cast_target` gave for T.
    Narrower integer types wrap as in Rust (``300 as u8`` is 44); the result of every
    integer cast is an int."""
    if target in _NARROW:
        bits, signed = _NARROW[target]
        mask = (1 << bits) - 1
        if ka == "int":
            if signed:
                half = 1 << (bits - 1)
                return f"((({a} + {half}) & {mask}) - {half})", "int", False, None
            return f"({a} & {mask})", "int", False, None
        return f"_cast_int({a}, {target!r})", "int", True, None
    if target == "int":
        if ka == "int":
            return a, "int", False, None
        if ka in ("float", "bool"):
            return f"_to_int({a})", "int", True, None
        return f"{a} if type({a}) is int else _cast_int({a}, 'i64')", "int", True, None
    if target == "float":
        if ka in NUM:
            return f"float({a})", "float", False, None
        return f"_to_float({a})", "float", True, None
    if target == "f32":
        return f"_cast_float({a}, 'f32')", "float", True, None
    if target == "char":
        return f"_cast_char({a})", "any", True, None
    if ka == "bool":
        return a, "bool", False, None
    return f"_to_bool({a})", "bool", True, None


def is_temp(code: str) -> bool:
    """Temps are assigned once (or only inside the construct that yields them)."""
    return code.startswith("_t") and code[2:].isdigit()


def is_literal(code: str) -> bool:
    return code in ("None", "True", "False") or code.lstrip("-").replace(".", "", 1).isdigit() \
        or (code[:1] in "'\"" and code[-1:] == code[:1] and len(code) >= 2 and "\n" not in code
            and code.count(code[0]) == 2 and "\\" not in code)


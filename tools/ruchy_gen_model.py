"""The data model of tools/ruchy_gen.py, shared with its Level 3 part (ruchy_gen_l3.py):
the types the generator knows, its budgets, the precedence table, and the records of an
expression, a variable, a function, a loop and the function being generated."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

SCALARS = ("int", "float", "bool", "str")
ARRAYS = ("arr:int", "arr:float", "arr:str")
TYPES = SCALARS + ARRAYS + ("grid",)
ANNOTATION = {"int": "i64", "float": "f64", "bool": "bool", "str": "String",
              "arr:int": "Vec<i64>", "arr:float": "Vec<f64>", "arr:str": "Vec<String>",
              "grid": "Vec<Vec<i64>>"}

MAX_LEN = 12          # no array gets longer: every push is guarded by a length test
MAX_MULT = 96         # product of the trip counts of loops nested in one function
CALL_BUDGET = 3000    # estimated statements one call site may cost (times its loops)
TOTAL_BUDGET = 40000  # estimated statements of the whole run
MAX_BLOCK_DEPTH = 8
MAX_EXPR_DEPTH = 4
MAX_REC_DEPTH = 3     # depth argument of calls to recursive functions from outside
OPAQUE = "opaque_"    # identity function that hides literals (see generate_program)

# Precedence of what an expression text is, loosest first (see LANGUAGE.md).
P_CTRL, P_OR, P_AND, P_BOR, P_XOR, P_BAND, P_EQ, P_CMP, P_SHIFT, P_ADD, P_MUL, P_POW, \
    P_UNARY, P_POSTFIX, P_ATOM = range(15)
BINARY_PREC = {"||": P_OR, "&&": P_AND, "|": P_BOR, "^": P_XOR, "&": P_BAND, "==": P_EQ,
               "!=": P_EQ, "<": P_CMP, "<=": P_CMP, ">": P_CMP, ">=": P_CMP, "<<": P_SHIFT,
               ">>": P_SHIFT, "+": P_ADD, "-": P_ADD, "*": P_MUL, "/": P_MUL, "%": P_MUL,
               "**": P_POW}


@dataclass
class Expr:
    """Generated expression text with its precedence (and length bounds for arrays)."""

    text: str
    prec: int = P_ATOM
    minlen: int = 0
    maxlen: int = 0
    rows: int = 0
    cols: int = 0

    def at(self, prec: int, strict: bool = False) -> str:
        """The text, parenthesized if it binds more loosely than ``prec``."""
        if self.prec < prec or (strict and self.prec == prec):
            return f"({self.text})"
        return self.text


@dataclass
class Var:
    name: str
    ty: str
    mutable: bool = True
    assignable: bool = True
    minlen: int = 0
    maxlen: int = 0
    rows: int = 0
    cols: int = 0
    param: bool = False  # parameters: arrays only written element-wise, never passed on


@dataclass
class Fn:
    name: str
    params: list[tuple[str, str, bool]]  # name, type, passed as &mut
    ret: str
    recursive: bool = False
    cost: int = 1


@dataclass
class Loop:
    value_type: Optional[str]  # type of `break value` for a `loop` used as an expression


@dataclass
class FnContext:
    """State of the function (or top level) being generated."""

    fn: Optional[Fn]
    scopes: list[list[Var]] = field(default_factory=lambda: [[]])
    loops: list[Loop] = field(default_factory=list)
    mult: int = 1
    cost: int = 0
    self_calls: int = 0
    depth_param: Optional[str] = None
    in_base_case: bool = False


# --- Level 3 (ruchy_gen_l3.py) ----------------------------------------------------------

RUST = dict(ANNOTATION, tup="(i64, f64)", en="Shape", opt="Option<i64>")
ENUM = "Shape"
#: the enum's variants and their payloads, in declaration order
VARIANTS = (("Nil", ()), ("One", ("int",)), ("Two", ("int", "float")), ("Txt", ("str",)))


@dataclass
class Method:
    """A method (or associated function when ``mode`` is empty) of a struct."""

    name: str
    mode: str                      # "&self", "&mut self", "self" or ""
    params: list[tuple[str, str]]  # name, scalar type
    ret: Optional[str]             # a type, or None for unit
    cost: int = 1


@dataclass
class StructInfo:
    """A generated struct: its fields (scalars, or a struct declared before) and methods."""

    name: str
    fields: list[tuple[str, str]]
    methods: list[Method] = field(default_factory=list)


@dataclass
class L3Fn:
    """A free function of Level 3: kind ``opt`` (int -> Option), ``val`` (takes a struct
    by value and returns it), ``mut`` (changes a struct through ``&mut``), ``enum``."""

    name: str
    kind: str
    struct: str = ""
    cost: int = 1


def rust_type(ty: str) -> str:
    """The annotation of a generator type (``st:P0``, ``vst:P0``, ``tup``, ...)."""
    if ty.startswith("st:"):
        return ty[3:]
    if ty.startswith("vst:"):
        return f"Vec<{ty[4:]}>"
    return RUST[ty]

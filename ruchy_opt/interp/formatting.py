"""Tier 0: the text of println/print/format!/panic!/write! and f-strings, as Python f-strings.

A literal first argument with ``{}`` placeholders is a format string, parsed here at
translation time (errors in it are syntax errors); otherwise the arguments' display
forms are joined with spaces (LANGUAGE.md, Level 2 output).

Holes name their value by position (``{}``, ``{0}``), by a ``name = value`` argument or
by a variable in scope (``{x}``, Rust 2021's captured identifiers); a width or
precision may come from an argument too (``{:>w$}``, ``{:.1$}``, ``{:.*}``).

The one-argument rule (LANGUAGE.md): ``println("...{...")`` with no argument after the
text prints it as it is, unless it is a well-formed format string all of whose holes
name variables in scope (``println!("{x}")``) or that only escapes braces (``{{``).
"""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional, Union

from ..errors import RuchySyntaxError
from ..runtime.fmt import PLAIN, FormatError, Spec, parse_format, parse_spec
from ..syntax import ast as A
from .opcode import is_literal

if TYPE_CHECKING:
    from .translate import FunctionTranslator

#: A hole after resolution: (value index, spec index or None, width index, precision
#: index), the indices into the evaluated arguments.
Hole = tuple[int, Optional[int], Optional[int], Optional[int]]


def spec_index(tr: "FunctionTranslator", spec: str, node: A.Node) -> Optional[int]:
    """Index of a parsed ``{:spec}`` in the module's spec table (None for plain ``{}``)."""
    try:
        parsed = parse_spec(spec)
    except FormatError as e:
        raise RuchySyntaxError(str(e), node.span) from None
    if parsed.width_arg is not None or parsed.prec_arg is not None:
        raise RuchySyntaxError("a width or precision from an argument is not supported in "
                               "f-strings", node.span)
    return _spec_obj(tr, parsed)


def _fstring_text(text: str) -> str:
    """``text`` as literal text inside a double-quoted Python f-string. Characters
    outside the BMP stay themselves (json's ASCII escapes would split them into
    surrogate pairs, which cannot be printed)."""
    return text.translate(_JSON_ESCAPES).replace("{", "{{").replace("}", "}}")


#: json.dumps(text, ensure_ascii=False)'s escapes (its encode_basestring), without
#: importing json at every start-up: quote, backslash and the control characters.
_JSON_ESCAPES = {i: f"\\u{i:04x}" for i in range(0x20)}
_JSON_ESCAPES.update({ord(c): e for c, e in (('"', '\\"'), ("\\", "\\\\"), ("\n", "\\n"),
                                             ("\r", "\\r"), ("\t", "\\t"), ("\b", "\\b"),
                                             ("\f", "\\f"))})


def format_code(tr: "FunctionTranslator", pieces: list,
                vals: list[tuple[str, Optional[str]]], node: A.Node) -> str:
    """A Python f-string producing the text of ``pieces`` (text, and holes: (value
    index, spec index) or a :data:`Hole`)."""
    body = []
    for p in pieces:
        if isinstance(p, str):
            body.append(_fstring_text(p))
            continue
        idx, spec = p[0], p[1]
        width, prec = (p[2], p[3]) if len(p) > 2 else (None, None)
        code, kind = vals[idx]
        if spec is None and kind == "str" and is_literal(code):
            body.append(_fstring_text(ast.literal_eval(code)))
            continue
        code = _plain(tr, code, kind, node)
        if width is not None or prec is not None:
            w = _plain(tr, *vals[width], node) if width is not None else "None"
            pr = _plain(tr, *vals[prec], node) if prec is not None else "None"
            body.append(f"{{_fmtd({code}, _SP[{spec}], {w}, {pr})}}")
        elif spec is not None:
            body.append(f"{{_fmt({code}, _SP[{spec}])}}")
        elif kind in ("int", "str"):
            body.append(f"{{{code}}}")
        elif kind == "float":
            body.append(f"{{_ff({code})}}")
        else:
            body.append(f"{{_disp({code})}}")
    return 'f"' + "".join(body) + '"'


def _plain(tr: "FunctionTranslator", code: str, kind: Optional[str], node: A.Node) -> str:
    if not (code.isidentifier() or code.lstrip("-").isdigit()):
        code = tr.value_line(code, kind, node)[0]  # keep quotes out of the f-string
    return code


def format_args(tr: "FunctionTranslator", args: list[A.Node], node: A.Node) -> str:
    """The text that println/print/format!/panic! make of their arguments."""
    if args and isinstance(args[0], A.StrLit) and ("{" in args[0].value or "}" in args[0].value):
        fmt = args[0]
        try:
            pieces = parse_format(fmt.value)
        except FormatError as e:
            if len(args) == 1:
                return format_code(tr, [fmt.value], [], node)  # the one-argument rule
            raise RuchySyntaxError(str(e), fmt.span) from None
        if len(args) == 1 and not _all_captured(tr, pieces):
            return format_code(tr, [fmt.value], [], node)
        return _formatted(tr, fmt, pieces, args[1:], node)
    vals = tr.operands(args)
    out: list = []
    for i in range(len(args)):
        if i:
            out.append(" ")
        out.append((i, None))
    return format_code(tr, out, vals, node)


def _all_captured(tr: "FunctionTranslator", pieces: list) -> bool:
    """Whether every hole of a one-argument format string names a variable in scope
    (so it is Rust's ``println!("{x}")``, not text with braces in it)."""
    for p in pieces:
        if isinstance(p, str):
            continue
        ref, spec = p
        for r in (ref, spec.width_arg, spec.prec_arg):
            if r is not None and not (isinstance(r, str) and _in_scope(tr, r)):
                return False
    return True


def _in_scope(tr: "FunctionTranslator", name: str) -> bool:
    if tr.lookup(name) is not None or name in tr.ctx.consts:
        return True
    info = tr.ctx.info
    return info is not None and (name in info.globals or name in info.consts)


def _formatted(tr: "FunctionTranslator", fmt: A.StrLit, pieces: list,
               rest: list[A.Node], node: A.Node) -> str:
    """A format string with its arguments: positional ones first, then ``name = value``
    ones; names not given as arguments are variables in scope."""
    positional: list[A.Node] = []
    named: dict[str, int] = {}
    nodes: list[A.Node] = []
    for a in rest:
        if isinstance(a, A.Assign) and a.op == "=" and isinstance(a.target, A.Name):
            named[a.target.id] = len(nodes)
            nodes.append(a.value)
        elif named:
            raise RuchySyntaxError("positional arguments cannot follow named arguments",
                                   a.span)
        else:
            positional.append(a)
            nodes.append(a)
    used: set[int] = set()

    def arg(ref: Union[int, str]) -> int:
        if isinstance(ref, int):
            if ref >= len(positional):
                raise RuchySyntaxError(
                    f"format string needs argument {ref + 1} but "
                    f"{len(positional)} were given", fmt.span)
            used.add(ref)
            return ref
        if ref in named:
            used.add(named[ref])
            return named[ref]
        nodes.append(A.Name(ref, span=fmt.span))  # {x}: the variable x
        used.add(len(nodes) - 1)
        return len(nodes) - 1

    holes: list = []
    for p in pieces:
        if isinstance(p, str):
            holes.append(p)
            continue
        ref, spec = p
        value = arg(ref)
        width = arg(spec.width_arg) if spec.width_arg is not None else None
        prec = arg(spec.prec_arg) if spec.prec_arg is not None else None
        holes.append((value, _spec_obj(tr, spec), width, prec))
    if not set(range(len(rest))) <= used:
        unused = sorted(set(range(len(rest))) - used)
        raise RuchySyntaxError(f"format string uses {len(rest) - len(unused)} of "
                               f"{len(rest)} arguments", fmt.span)
    return format_code(tr, holes, tr.operands(nodes), node)


def _spec_obj(tr: "FunctionTranslator", spec: Spec) -> Optional[int]:
    if spec == PLAIN:
        return None
    tr.ctx.specs.append(spec)
    return len(tr.ctx.specs) - 1

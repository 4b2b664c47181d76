"""Tier 0: the text of println/print/format!/panic! and f-strings, as Python f-strings.

A literal first argument with ``{}`` placeholders is a format string, parsed here at
translation time (errors in it are syntax errors); otherwise the arguments' display
forms are joined with spaces (LANGUAGE.md, Level 2 output).
"""
from __future__ import annotations

import ast
import json
from typing import TYPE_CHECKING, Optional

from ..errors import RuchySyntaxError
from ..runtime.fmt import PLAIN, FormatError, parse_format, parse_spec
from ..syntax import ast as A
from .opcode import is_literal

if TYPE_CHECKING:
    from .translate import FunctionTranslator


def spec_index(tr: "FunctionTranslator", spec: str, node: A.Node) -> Optional[int]:
    """Index of a parsed ``{:spec}`` in the module's spec table (None for plain ``{}``)."""
    try:
        return _spec_obj(tr, parse_spec(spec))
    except FormatError as e:
        raise RuchySyntaxError(str(e), node.span) from None


def _fstring_text(text: str) -> str:
    """``text`` as literal text inside a double-quoted Python f-string. Characters
    outside the BMP stay themselves (json's ASCII escapes would split them into
    surrogate pairs, which cannot be printed)."""
    return json.dumps(text, ensure_ascii=False)[1:-1].replace("{", "{{").replace("}", "}}")


def format_code(tr: "FunctionTranslator", pieces: list,
                vals: list[tuple[str, Optional[str]]], node: A.Node) -> str:
    """A Python f-string producing the text of ``pieces`` (text and (arg, spec))."""
    body = []
    for p in pieces:
        if isinstance(p, str):
            body.append(_fstring_text(p))
            continue
        idx, spec = p
        code, kind = vals[idx]
        if spec is None and kind == "str" and is_literal(code):
            body.append(_fstring_text(ast.literal_eval(code)))
            continue
        if not (code.isidentifier() or code.lstrip("-").isdigit()):
            code = tr.value_line(code, kind, node)[0]  # keep quotes out of the f-string
        if spec is not None:
            body.append(f"{{_fmt({code}, _SP[{spec}])}}")
        elif kind in ("int", "str"):
            body.append(f"{{{code}}}")
        elif kind == "float":
            body.append(f"{{_ff({code})}}")
        else:
            body.append(f"{{_disp({code})}}")
    return 'f"' + "".join(body) + '"'


def format_args(tr: "FunctionTranslator", args: list[A.Node], node: A.Node) -> str:
    """The text that println/print/format!/panic! make of their arguments."""
    if args and isinstance(args[0], A.StrLit) and ("{" in args[0].value or "}" in args[0].value):
        fmt = args[0]
        try:
            pieces = parse_format(fmt.value)
        except FormatError as e:
            raise RuchySyntaxError(str(e), fmt.span) from None
        rest = list(args[1:])
        resolved = []
        for p in pieces:
            if isinstance(p, str):
                resolved.append(p)
                continue
            ref, spec = p
            spec_idx = _spec_obj(tr, spec)
            if isinstance(ref, str):  # {name}: a variable in scope
                rest.append(A.Name(ref, span=fmt.span))
                ref = len(rest) - 1
            elif ref >= len(args) - 1:
                raise RuchySyntaxError(
                    f"format string needs argument {ref + 1} but "
                    f"{len(args) - 1} were given", fmt.span)
            resolved.append((ref, spec_idx))
        used = {r for p in resolved if not isinstance(p, str) for r in [p[0]]}
        if len(args) > 1 and not set(range(len(args) - 1)) <= used:
            raise RuchySyntaxError(f"format string uses {len(used)} of {len(args) - 1} "
                                   "arguments", fmt.span)
        return format_code(tr, resolved, tr.operands(rest), node)
    vals = tr.operands(args)
    pieces: list = []
    for i in range(len(args)):
        if i:
            pieces.append(" ")
        pieces.append((i, None))
    return format_code(tr, pieces, vals, node)


def _spec_obj(tr: "FunctionTranslator", spec) -> Optional[int]:
    if spec == PLAIN:
        return None
    tr.ctx.specs.append(spec)
    return len(tr.ctx.specs) - 1

"""Source text to AST: the lark LALR parser (nodes are built by builder.py as it
reduces), syntax errors with positions, and the nesting-depth bound. The parser tables
are cached on disk by lark, so only the first run pays for building them."""
from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
from functools import lru_cache
from typing import Any

from ..errors import RuchySyntaxError
from . import ast as A
from .builder import tok_span, build_transformer, turbofish_sites
from .modpaths import module_paths
from .reborrow import reborrow
from .turbofish import annotate as annotate_turbofish

MAX_DEPTH = 1000   # deepest AST accepted; deeper input is a syntax error, not a crash
MAX_BLOCK_DEPTH = 60  # nested blocks (bodies of if/while/fn ...), bounded by the tiers


def _cache_path() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    d = os.path.join(base, "ruchy-opt")
    try:
        os.makedirs(d, exist_ok=True)
    except OSError:
        d = tempfile.gettempdir()
    return os.path.join(d, "parser-tables")


#: lark options (besides the transformer, callbacks and cache; the lexer is added by
#: _parser). They are part of the table cache's file name, with the grammar text, so that
#: changing either gets new tables. The lexer is lark's "basic" one (one scanner for the
#: whole grammar; the default contextual lexer compiles a scanner regex per parser state
#: on every run, ~25 ms of a cold start, and the grammar needs no context to tell its
#: tokens apart) with a faster token loop (lexer.py).
_OPTIONS: dict[str, Any] = dict(parser="lalr", keep_all_tokens=True, maybe_placeholders=False)


#: The grammar's start symbols: whole programs, and single expressions (f-string holes).
#: One parser serves both, so that a program with an f-string loads one set of tables
#: and builds one scanner, not two.
_STARTS = ["start", "expr"]


@lru_cache(maxsize=None)
def _parser():
    from lark import Lark, __version__ as lark_version
    from .fastload import install, load_parser
    from .lalr_loop import install as install_loop
    from .lexer import RuchyLexer

    install()  # lark's tables load several times faster (fastload.py)

    grammar = os.path.join(os.path.dirname(__file__), "ruchy.lark")
    with open(grammar, encoding="utf-8") as f:
        text = f.read()
    options = dict(_OPTIONS, lexer=RuchyLexer)
    key = text + repr(_STARTS) + repr(sorted(options.items()))
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    live = dict(lexer=RuchyLexer, transformer=build_transformer(),
                lexer_callbacks={"BLOCK_COMMENT": _check_block_comment})
    lark_cache = f"{_cache_path()}-{digest}.lark"
    lark = load_parser(f"{_cache_path()}-{digest}-{lark_version}.pickle",
                       lambda: Lark(text, start=_STARTS, transformer=live["transformer"],
                                    lexer_callbacks=live["lexer_callbacks"],
                                    # lark unpickles its cache unchecked: used only when
                                    # it is this user's and nobody else may write it
                                    cache=lark_cache if _trusted(lark_cache) else False,
                                    **options),
                       live)
    install_loop(lark)  # the LALR loop with its per-token work inlined (lalr_loop.py)
    return lark


def _trusted(path: str) -> bool:
    from ..codegen.cachefile import trusted
    return trusted(path)


def _check_block_comment(tok: Any) -> Any:
    """The grammar lets a block comment run to the end of the file so that this can
    reject it with its position (otherwise `/*` would lex as two operators)."""
    if not tok.value.endswith("*/") or len(tok.value) < 4:
        raise RuchySyntaxError("unterminated block comment",
                               A.Span(tok.line, tok.column, tok.line, tok.column + 2))
    return tok


def parse_program(text: str, filename: str = "<input>") -> A.Program:
    """Parse a whole Ruchy file. Raises RuchySyntaxError with a position on bad input."""
    if text.startswith("\ufeff"):  # a byte-order mark is not part of the program
        text = text[1:]
    if text.startswith("#!") and not text.startswith("#!["):
        # A `#!` first line is ignored; its newline stays, so that positions stay right.
        end = text.find("\n")
        text = "" if end < 0 else " " * end + text[end:]
    sites = turbofish_sites()
    prog = _parse(text, "start")
    prog.filename = filename
    check_depth(prog)
    reborrow(prog)  # `g(a)` of a `&mut` parameter `a` is `g(&mut a)`, as in Rust
    if any(type(it) is A.ModDef for it in prog.items):
        module_paths(prog)  # Ruchy's `math.add(2, 3)` for `math::add(2, 3)`
    if turbofish_sites() != sites:  # (only a program with such a call needs the walk)
        annotate_turbofish(prog)  # `let n: i32 = s.parse().unwrap()` parses an i32
    return prog


def parse_expr(text: str) -> A.Node:
    """Parse one expression (used for f-string holes; positions are absolute in ``text``)."""
    return _parse(text, "expr")


def _parse(text: str, start: str):
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, \
        UnexpectedToken, VisitError

    try:
        return _parser().parse(text, start=start)
    except UnexpectedToken as e:
        tok = e.token
        if tok.type == "$END":
            raise RuchySyntaxError("unexpected end of input", _eof_span(text)) from None
        what = f"'{tok}'" if tok.type != "STRING" else "string"
        raise RuchySyntaxError(f"unexpected {what}{_expected(e.expected)}",
                               tok_span(tok)) from None
    except UnexpectedCharacters as e:
        ch = text[e.pos_in_stream] if e.pos_in_stream < len(text) else "?"
        if ch == '"':
            msg = "unterminated string"
        elif ch.isdigit():
            msg = "invalid number literal"
        elif ch == "'":
            msg = "a char literal holds one character (a string is in double quotes)"
        else:
            msg = f"unexpected character '{ch}'"
        raise RuchySyntaxError(msg, A.Span(e.line, e.column, e.line, e.column + 1)) from None
    except UnexpectedEOF:
        raise RuchySyntaxError("unexpected end of input", _eof_span(text)) from None
    except UnexpectedInput as e:  # pragma: no cover - other lark errors
        raise RuchySyntaxError("syntax error", A.Span(e.line, e.column, e.line, e.column)) from None
    except VisitError as e:
        if isinstance(e.orig_exc, RuchySyntaxError):
            raise e.orig_exc from None
        raise
    except RuchySyntaxError:
        raise
    except (TypeError, ValueError, AttributeError, StopIteration, IndexError) as e:
        # A builder callback met a shape it does not expect: a bug, but the user still
        # gets a located diagnostic rather than a traceback.
        raise RuchySyntaxError(f"cannot parse this construct (internal error: {type(e).__name__})",
                               _eof_span(text)) from None


_NICE = {"RBRACE": "'}'", "RPAR": "')'", "RSQB": "']'", "NAME": "a name", "LBRACE": "'{'",
         "EQUAL": "'='", "COMMA": "','", "COLON": "':'", "SEMICOLON": "';'", "LPAR": "'('"}


def _expected(expected: set[str]) -> str:
    names = sorted(_NICE[e] for e in expected if e in _NICE)
    if not names or len(expected) > 8:
        return ""
    return ", expected " + " or ".join(names)


def _eof_span(text: str) -> A.Span:
    lines = text.split("\n")
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return A.Span(len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 1)


def check_depth(root: A.Node) -> None:
    """Reject ASTs nested deeper than the later stages can handle, iteratively.

    Visits children in the order of :func:`ast.children` (so the error reported, when
    there are several, is the same), with the field names looked up once per class
    instead of through ``dataclasses.fields`` at every node."""
    stack: list[tuple[A.Node, int, int]] = [(root, 0, 0)]
    names = _FIELD_NAMES
    Node, Block, IntLit = A.Node, A.Block, A.IntLit
    while stack:
        node, depth, blocks = stack.pop()
        if depth > MAX_DEPTH:
            raise RuchySyntaxError(f"expression nested too deeply (more than {MAX_DEPTH} levels)",
                                   node.span)
        cls = type(node)
        if cls is IntLit and node.value == 2**63:
            from .builder import OUT_OF_RANGE
            raise RuchySyntaxError(OUT_OF_RANGE, node.span)
        if cls is Block:
            blocks += 1
            if blocks > MAX_BLOCK_DEPTH:
                raise RuchySyntaxError(
                    f"blocks nested too deeply (more than {MAX_BLOCK_DEPTH} levels)", node.span)
        fnames = names.get(cls)
        if fnames is None:
            # spans are never nodes: skip them
            fnames = names[cls] = tuple(f.name for f in dataclasses.fields(cls)
                                        if f.name not in ("span", "op_span"))
        depth += 1
        for name in fnames:
            v = getattr(node, name)
            if isinstance(v, Node):
                stack.append((v, depth, blocks))
            elif type(v) is list:
                for x in v:
                    if isinstance(x, Node):
                        stack.append((x, depth, blocks))


#: Field names of each AST class met by check_depth.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}

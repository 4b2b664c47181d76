"""What the token loop tells the LALR parser that newlines and braces alone cannot.

The grammar (ruchy.lark) treats newlines as white space and lets an expression extend
as far as it can. LANGUAGE.md's statement ends need three more facts, which only a
left-to-right look at the tokens can supply; this pass adds them to the token stream:

* A statement that is a block-like expression (``if``, ``match``, ``while``, ``for``,
  ``loop``, ``{ }``, ``if let``, ``while let``) ends at its closing brace, as in Rust:
  after it, a virtual ``;`` is inserted unless the next token is ``else`` (the ``if``
  goes on), ``.`` or ``?`` (a method call on its value), or a ``;``/``}``. In a match
  body, an arm whose body is block-like likewise ends at its ``}``: a virtual ``,``.
* A line that begins with ``(`` or ``[`` starts a new statement when the line before
  ended a complete expression: a virtual ``;`` (``,`` between match arms).
* A ``{`` right after a name on the same line opens a struct literal or pattern body
  (type SLBRACE) unless it is in the expression part of a header (the condition of
  ``if``/``while``, a ``match`` scrutinee, a ``for`` iterable, a signature): there, as
  in Rust, it opens the block (``if x == P { .. }`` compares with ``P``).
* An ``if`` or ``match`` that is an operand inside such a header (``while let Some(x) =
  if i < n { Some(v[i]) } else { None } { .. }``) has its own header and body: the outer
  header is suspended until the inner body's ``}`` (an ``else { }`` after it is then a
  block inside the outer header). A ``{`` right after ``let``/``for`` in a header opens
  Ruchy's object pattern (``if let { name, .. } = v {``).

It also splits ``>>`` into ``>`` and a joined ``>`` (GTJ: the grammar reads GT GTJ as a
shift, and each as the end of a type argument list, so ``Vec<Vec<i64>>`` parses), and
``t.1.0``'s FLOAT ``1.0`` into ``1``, ``.``, ``0``.

Brackets are tracked on a stack of frames; each frame knows what its body holds
(statements, match arms, fields, or a parenthesised list) and whether a header is open
in it (a keyword seen whose body brace has not come yet).
"""
from __future__ import annotations

import re
from typing import Any, Iterator, Optional

from lark.lexer import Token

#: Tokens that can end a complete expression (a `(` after one on a new line starts a
#: new statement; a block-like keyword after one must start a new statement).
EXPR_END = frozenset("""NAME INT FLOAT STRING FSTRING CHAR TRUE FALSE RPAR RSQB RBRACE
    QUESTION BREAK CONTINUE RETURN LIFETIME""".split())
#: ... of those, the ones after which a block-like keyword starts a new statement
#: (`return if c { 1 } else { 2 }` is one statement).
_STMT_BEFORE = EXPR_END - {"BREAK", "CONTINUE", "RETURN", "LIFETIME"}
#: ... and the ones after which a line that begins with `(` or `[` is a new statement
#: (`return` and `break` take a value from the next line, as in Rust).
_LINE_END = EXPR_END - {"BREAK", "RETURN", "LIFETIME"}
#: Keywords whose body brace (at the same depth) opens a block or match body:
#: (mode of the header: 'x' expression, 'p' pattern first; kind of the body frame).
_CONTROL = {"IF": ("x", "B"), "WHILE": ("x", "B"), "MATCH": ("x", "M"), "FOR": ("p", "B")}
#: Item keywords: their header runs to the body `{` or a `;` (kind of the body frame).
_ITEMS = {"IMPL": "B", "TRAIT": "B", "MOD": "B", "MODULE": "B", "STRUCT": "S", "ENUM": "S"}
_BLOCK_LIKE = frozenset(("IF", "MATCH", "WHILE", "FOR", "LOOP", "UNSAFE", "TRY"))
#: Keywords after a `}` that continue the block-like statement it closed (`} else {`,
#: Ruchy's `} catch e {` and `} finally {`).
_GOES_ON = frozenset(("_ELSE", "CATCH", "FINALLY"))
_TUPLE_INDEX = re.compile(r"[0-9]+\.[0-9]+")
#: Token types that the loop below looks at (all others pass straight through).
_SPECIAL = frozenset(("LBRACE", "RBRACE", "LPAR", "LSQB", "RPAR", "RSQB", "SEMICOLON",
                      "LET", "ASSIGN", "IN", "ARROW", "FATARROW", "SHR", "FLOAT", "CATCH")
                     + tuple(_CONTROL) + tuple(_BLOCK_LIKE) + tuple(_ITEMS))

# A frame is a list: [kind, header mode, header body kind, block-like pending, ends stmt]
#   kind: 'B' statements (a block, an item body, the file), 'M' match arms, 'S' fields
#         (struct literal or pattern, struct or enum body), 'P' inside ( ) or [ ]
#   header mode: None, 'x' (a control header's expression: no struct literal at this
#         depth), 'i' (an item or closure signature up to its body) or 'p' (a pattern first)
#   block-like pending: a block-like statement started here; its next body brace ends it
#   ends stmt: this brace frame is the last body of a block-like statement
KIND, MODE, BODY, PENDING, ENDS = range(5)
# Optional, for an `if`/`match` written inside a control header: a frame's SUSPENDED
# holds the headers it interrupted (a stack); the inner body's frame has RESUMES set.
SUSPENDED, RESUMES = 5, 6


def _virtual(type_: str, value: str, after: Any) -> Token:
    """A zero-width token just after ``after`` (so it never widens a node's span)."""
    return Token(type_, value, after.end_pos, after.end_line, after.end_column,
                 after.end_line, after.end_column, after.end_pos)


def _piece(tok: Any, type_: str, value: str, offset: int) -> Token:
    """A token for ``value`` found ``offset`` characters into ``tok`` (one line)."""
    start = tok.start_pos + offset
    col = tok.column + offset
    return Token(type_, value, start, tok.line, col, tok.line, col + len(value),
                 start + len(value))


def layout(tokens: Iterator[Any]) -> Iterator[Any]:
    """``tokens`` with virtual separators, SLBRACE and split ``>>``/tuple indices."""
    stack: list[list] = [["B", None, None, False, False]]
    prev: Optional[Any] = None
    prev2: Optional[Any] = None
    after: Optional[str] = None  # kind of the frame whose block-like statement just ended
    for t in tokens:
        typ = t.type
        if after is None and typ not in _SPECIAL:
            # Most tokens change nothing here (a NAME only after `fn`).
            if typ == "NAME" and prev is not None and (prev.type == "FN" or prev.type == "FUN"):
                top = stack[-1]
                top[MODE], top[BODY] = "i", "B"
            yield t
            prev2, prev = prev, t
            continue
        top = stack[-1]
        if after is not None:
            if typ in _GOES_ON:
                top[PENDING] = True  # `} else {`: the statement goes on to the next body
            elif typ not in ("DOT", "QUESTION", "SEMICOLON", "RBRACE", "COMMA"):
                v = _virtual("SEMICOLON", ";", prev) if after == "B" else _virtual("COMMA", ",", prev)
                yield v
                prev2, prev = prev, v
            after = None
        elif (typ == "LPAR" or typ == "LSQB") and prev is not None and prev.type in _LINE_END \
                and t.line > prev.end_line and top[MODE] is None and top[KIND] in "BM":
            v = _virtual("SEMICOLON", ";", prev) if top[KIND] == "B" else _virtual("COMMA", ",", prev)
            yield v
            prev2, prev = prev, v

        if typ == "LBRACE":
            mode = top[MODE]
            if prev is not None and prev.type == "NAME" and prev.end_line == t.line \
                    and mode != "x" and mode != "i":
                t.type = "SLBRACE"
                stack.append(["S", None, None, False, False])
            elif mode == "p" and prev is not None and (prev.type == "LET" or prev.type == "FOR"):
                # Ruchy's object pattern first in a header: `if let { name, .. } = v {`
                stack.append(["S", None, None, False, False])
            elif mode == "x" and prev is not None and prev.type not in EXPR_END:
                # A block inside a control header (`while { ..; c } { }`, `for i in
                # { .. }..n { }`): the body brace comes after a complete expression.
                stack.append(["B", None, None, False, False])
            elif mode is not None:
                if len(top) > SUSPENDED and top[SUSPENDED]:
                    # the body of an `if`/`match` inside a header: the statement does
                    # not end with it (see RBRACE: the outer header resumes after it)
                    stack.append([top[BODY], None, None, False, False, None, True])
                    top[MODE] = top[BODY] = None
                else:
                    stack.append([top[BODY], None, None, False, top[PENDING]])
                    top[MODE] = top[BODY] = None
                    top[PENDING] = False
            else:
                ends = top[PENDING] or _starts_stmt(top, prev, prev2)
                top[PENDING] = False
                stack.append(["B", None, None, False, ends])
        elif typ == "RBRACE":
            if len(stack) > 1:
                f = stack.pop()
                if f[ENDS]:
                    after = stack[-1][KIND]
                if len(f) > RESUMES and f[RESUMES]:
                    # the first body of an `if`/`match` inside a header has closed: the
                    # header it interrupted goes on (`while let x = if c { a } else { b }
                    # { .. }`; an `else {` is then a block inside that header)
                    outer = stack[-1]
                    outer[MODE], outer[BODY] = outer[SUSPENDED].pop()
        elif typ == "LPAR" or typ == "LSQB":
            if prev is not None and prev.type == "FUN" and typ == "LPAR":
                top[MODE], top[BODY] = "i", "B"  # Ruchy's anonymous `fun(x) -> T { .. }`
            stack.append(["P", None, None, False, False])
        elif typ == "RPAR" or typ == "RSQB":
            if len(stack) > 1 and top[KIND] == "P":
                stack.pop()
        elif typ == "SEMICOLON":
            top[MODE] = top[BODY] = None
        elif typ in _BLOCK_LIKE:
            if top[MODE] == "x" and (typ == "IF" or typ == "MATCH") and prev is not None \
                    and prev.type not in EXPR_END:
                # an `if`/`match` operand inside a control header: its own header and
                # body come first, then the outer header resumes (RBRACE)
                while len(top) <= SUSPENDED:
                    top.append(None)
                if top[SUSPENDED] is None:
                    top[SUSPENDED] = []
                top[SUSPENDED].append((top[MODE], top[BODY]))
                top[MODE], top[BODY] = _CONTROL[typ]
            elif top[MODE] is None:
                if typ == "IF" and top[KIND] == "M" and prev is not None and prev.type in EXPR_END:
                    pass  # a match guard, not an `if` expression
                else:
                    if _starts_stmt(top, prev, prev2):
                        top[PENDING] = True
                    if typ in _CONTROL:  # (`loop`/`unsafe`: no header)
                        top[MODE], top[BODY] = _CONTROL[typ]
        elif typ == "NAME":
            if prev is not None and (prev.type == "FN" or prev.type == "FUN"):
                top[MODE], top[BODY] = "i", "B"  # (after a virtual separator)
        elif typ in _ITEMS:
            top[MODE], top[BODY] = "i", _ITEMS[typ]
        elif typ == "CATCH":
            top[MODE], top[BODY] = "i", "B"  # `catch e {`: the brace after the name is the body
        elif typ == "LET":
            if top[MODE] == "x" and prev is not None and (prev.type == "IF" or prev.type == "WHILE"):
                top[MODE] = "p"
            elif top[MODE] is not None:
                top[MODE] = top[BODY] = None  # an item header left open (`struct U` alone)
        elif typ == "ASSIGN" or typ == "IN":
            if top[MODE] == "p":
                top[MODE] = "x"
        elif typ == "ARROW":
            if prev is not None and (prev.type == "BAR" or prev.type == "OROR") and top[MODE] is None:
                top[MODE], top[BODY] = "i", "B"  # a closure's `-> T { body }`
        elif typ == "FATARROW":
            if top[KIND] == "M":
                top[MODE] = top[BODY] = None
        elif typ == "SHR":
            a, b = _piece(t, "GT", ">", 0), _piece(t, "GTJ", ">", 1)
            yield a
            yield b
            prev2, prev = a, b
            continue
        elif typ == "FLOAT" and prev is not None and prev.type == "DOT" \
                and _TUPLE_INDEX.fullmatch(t.value):
            i = t.value.index(".")
            pieces = (_piece(t, "INT", t.value[:i], 0), _piece(t, "DOT", ".", i),
                      _piece(t, "INT", t.value[i + 1:], i + 1))
            yield from pieces
            prev2, prev = pieces[1], pieces[2]
            continue
        yield t
        prev2, prev = prev, t


def _starts_stmt(top: list, prev: Optional[Any], prev2: Optional[Any]) -> bool:
    """Whether a token at the top of ``top`` after ``prev`` begins a statement (or, in a
    match body, an arm's body)."""
    if top[KIND] == "B":
        if prev is None:
            return True
        p = prev.type
        return (p == "SEMICOLON" or p == "LBRACE" or p in _STMT_BEFORE
                or (p == "COLON" and prev2 is not None and prev2.type == "LIFETIME"))
    return top[KIND] == "M" and prev is not None and prev.type == "FATARROW"

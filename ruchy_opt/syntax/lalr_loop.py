"""lark's LALR driver loop with the per-token work inlined.

lark runs ``ParserState.feed_token`` once per token: a method call that looks up the
parse table, the callbacks and the stacks on the state object, and asserts on every
action ``arg != end_state`` (for a reduce, ``Rule.__eq__`` of an int). That call was
about a third of a parse. This loop does the same shifts and reductions, in the same
order, with the same callbacks, from the same tables — only with local variables and
without the assertion — so the ASTs and errors are lark's own. The end of input (one
token) still goes through lark's ``feed_token``.

Installed on the parser by parser._parser; this module imports lark.
"""
from __future__ import annotations

from typing import Any, Optional

from lark.exceptions import UnexpectedToken
from lark.lexer import Token
from lark.parse_tree_builder import ExpandSingleChild
from lark.parsers.lalr_analysis import Shift


def install(lark: Any) -> None:
    """Use :func:`parse_from_state` for ``lark``'s LALR parser (a lark whose parser is
    laid out otherwise keeps its own loop)."""
    inner = getattr(getattr(getattr(lark, "parser", None), "parser", None), "parser", None)
    if inner is None or not hasattr(inner, "parse_from_state"):  # pragma: no cover
        return
    inner.parse_from_state = parse_from_state


#: Per rule (by id: the parser holds its rules for good): the length of its expansion,
#: its nonterminal and its callback, or None as the callback for a rule that only
#: passes its one child on (`?unary: postfix`: lark's ExpandSingleChild), whose reduce
#: leaves the value where it is and only changes the state.
_RULES: dict[int, tuple[int, str, Any]] = {}


def _rule(rule: Any, callbacks: dict) -> tuple[int, str, Any]:
    cb = callbacks[rule]
    size = len(rule.expansion)
    if size == 1 and type(cb) is ExpandSingleChild:
        cb = None
    info = _RULES[id(rule)] = (size, rule.origin.name, cb)
    return info


def parse_from_state(state: Any, last_token: Optional[Token] = None) -> Any:
    """lark's ``_Parser.parse_from_state`` (without its debug dump): feed every token
    of ``state``'s lexer to the LALR automaton, then the end of input."""
    conf = state.parse_conf
    states = conf.states
    callbacks = conf.callbacks
    state_stack = state.state_stack
    value_stack = state.value_stack
    rules = _RULES
    token = last_token
    for token in state.lexer.lex(state):
        typ = token.type
        while True:
            try:
                action, arg = states[state_stack[-1]][typ]
            except KeyError:
                expected = {s for s in states[state_stack[-1]].keys() if s.isupper()}
                raise UnexpectedToken(token, expected, state=state,
                                      interactive_parser=None) from None
            if action is Shift:
                state_stack.append(arg)
                value_stack.append(callbacks[typ](token) if typ in callbacks else token)
                break
            # reduce by rule `arg`, then shift its nonterminal; the token is looked at again
            info = rules.get(id(arg))
            if info is None:
                info = _rule(arg, callbacks)
            size, name, cb = info
            if cb is None:  # the child is the value
                state_stack[-1] = states[state_stack[-2]][name][1]
                continue
            if size:
                s = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                s = []
            value = cb(s)
            state_stack.append(states[state_stack[-1]][name][1])
            value_stack.append(value)
    end = Token.new_borrow_pos("$END", "", token) if token else Token("$END", "", 0, 1, 1)
    return state.feed_token(end, True)

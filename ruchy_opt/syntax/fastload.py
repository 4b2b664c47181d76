"""A faster load of lark's cached LALR tables (start-up of every run).

lark rebuilds its parse table from the cache with ``Rule.deserialize`` for every reduce
action: ~39,000 generic calls for Ruchy's ~1,300 states, about half of lark's load time
and a sixth of an empty program's run. Every rule in the cache is memoised (lark saves
with ``memo_serialize([TerminalDef, Rule])``), so a reduce action is ``{'@': id}`` and
its rule is ``memo[id]``; this builds the same table with a dictionary lookup (lark's
own code for anything else), and only for the states the parser reaches. Installed
once, before the first ``Lark(...)``, by parser._parser.
"""
from __future__ import annotations

import os
import pickle
from typing import Any, Callable

from ..codegen import cachefile

_installed = False
#: lark options that hold objects (given again at each load, not stored)
_LIVE_OPTIONS = ("lexer", "transformer", "lexer_callbacks")
#: the layout of load_parser's file (part of its name: a new layout gets a new file)
_FORMAT = 3
#: array typecode of a state's packed actions (load_parser's file): unsigned 32 bits
_PACKED = "I"


def install() -> None:
    """Replace ``ParseTableBase.deserialize`` with the equivalent fast version."""
    global _installed
    if _installed:
        return
    _installed = True
    try:
        from lark.grammar import Rule
        from lark.parsers import lalr_analysis as la
    except ImportError:  # pragma: no cover - a lark without these keeps its own code
        return
    base = getattr(la, "ParseTableBase", None)
    if base is None or not hasattr(la, "Shift") or not hasattr(la, "Reduce"):
        return  # pragma: no cover - another lark version: leave it alone
    shift, reduce = la.Shift, la.Reduce

    class LazyStates(dict):
        """The parse table's states, each converted from the cache's form when the
        parser first reaches it (a program meets a few hundred of ~1,300 states). Any
        whole-table use (iteration, len, membership) converts all of them first."""

        def __init__(self, raw: dict[Any, Any], tokens: list[str], memo: dict[Any, Any]):
            super().__init__()
            self._raw, self._tokens, self._memo = raw, tokens, memo
            self._rules: dict[Any, Any] = {}

        def __missing__(self, state: Any) -> dict[str, Any]:
            actions = self._raw[state]  # a KeyError here is lark's own for a bad state
            tokens, memo, rules = self._tokens, self._memo, self._rules
            table = {}
            if type(actions) is bytes:  # load_parser's file: (token, action, arg) triples
                from array import array
                flat = array(_PACKED, actions)
                for i in range(0, len(flat), 3):
                    token, action, arg = flat[i], flat[i + 1], flat[i + 2]
                    if action == 1:
                        entry = rules.get(arg)
                        if entry is None:
                            entry = rules[arg] = (reduce, memo[arg])
                        table[tokens[token]] = entry
                    else:
                        table[tokens[token]] = (shift, arg)
                self[state] = table
                return table
            for token, (action, arg) in actions.items():
                if action == 1:
                    key = arg if type(arg) is int else \
                        arg.get("@") if type(arg) is dict and len(arg) == 1 else None
                    if key is None:
                        table[tokens[token]] = (reduce, Rule.deserialize(arg, memo))
                        continue
                    entry = rules.get(key)
                    if entry is None:
                        entry = rules[key] = (reduce, memo[key])
                    table[tokens[token]] = entry
                else:
                    table[tokens[token]] = (shift, arg)
            self[state] = table
            return table

        def _all(self) -> None:
            for state in self._raw:
                if not dict.__contains__(self, state):
                    self.__missing__(state)

        def __iter__(self):  # type: ignore[override]
            self._all()
            return dict.__iter__(self)

        def __len__(self) -> int:
            return len(self._raw)

        def __contains__(self, state: object) -> bool:
            return state in self._raw

        def keys(self):  # type: ignore[override]
            self._all()
            return dict.keys(self)

        def values(self):  # type: ignore[override]
            self._all()
            return dict.values(self)

        def items(self):  # type: ignore[override]
            self._all()
            return dict.items(self)

        def get(self, state: Any, default: Any = None) -> Any:  # type: ignore[override]
            return self[state] if state in self._raw else default

    def deserialize(cls: type, data: dict[str, Any], memo: dict[Any, Any]) -> Any:
        """The parse table of ``data``: lark's own, with states converted lazily."""
        return cls(LazyStates(data["states"], data["tokens"], memo),
                   data["start_states"], data["end_states"])

    base.deserialize = classmethod(deserialize)


def load_parser(path: str, build: Callable[[], Any], live: dict[str, Any]) -> Any:
    """The parser whose tables are cached at ``path`` (its name is a digest of the
    grammar and options), else ``build()``'s, whose tables are then stored there.

    The file holds lark's own serialised form with each state's actions packed into
    one bytes object of (token, action, argument) triples, a reduce action's rule as
    its memo id (lark's own cache builds ~57,000 action tuples and ~39,000 small
    ``{'@': id}`` dicts on every load; unpickling even the tuples was ~40% of a load),
    unpacked when the parser first reaches the state. ``live`` are the options
    that are objects (the lexer class, transformer, callbacks), given at each load.
    Any problem with the file falls back to ``build()``."""
    from lark import Lark
    install()
    path = f"{path}.{_FORMAT}"
    try:
        # sealed (codegen/cachefile.py): unpickled only when this user wrote it, nobody
        # else may write it, and its digest matches; else discarded and rebuilt
        blob = cachefile.read(path, _key(path))
        if blob is None:
            raise FileNotFoundError(path)
        data, memo = pickle.loads(blob)
        data["options"].update(lexer=live["lexer"])
        data["parser"]["lexer_conf"]["lexer_type"] = live["lexer"]
        return Lark._load_from_dict(data, memo, transformer=live["transformer"],
                                    lexer_callbacks=live["lexer_callbacks"])
    except Exception:  # a missing, stale or damaged file: build (lark's cache helps)
        pass
    parser = build()
    try:
        _save(parser, path, live["lexer"])
    except Exception:  # pragma: no cover - an unwritable cache only costs time
        pass
    return parser


def _save(parser: Any, path: str, live_lexer: type) -> None:
    """Write ``parser``'s tables to ``path`` (atomically: a temporary file renamed)."""
    from lark.grammar import Rule
    from lark.lexer import TerminalDef
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["options"] = {k: v for k, v in data["options"].items() if k not in _LIVE_OPTIONS}
    if data["parser"]["lexer_conf"].get("lexer_type") is not live_lexer:
        return  # pragma: no cover - not the parser load_parser restores
    del data["parser"]["lexer_conf"]["lexer_type"]
    table = data["parser"]["parser"]
    from array import array
    table["states"] = {state: array(_PACKED, [x for tok, (act, arg) in actions.items()
                                              for x in (tok, act, arg["@"] if act == 1 else arg)]
                                    ).tobytes()
                       for state, actions in table["states"].items()}
    # The memo (rules, terminals) is stored as the objects themselves: lark's load
    # passes objects through, where it would rebuild each from its serialised form.
    from lark.utils import SerializeMemoizer
    memo = SerializeMemoizer.deserialize(memo, {"Rule": Rule, "TerminalDef": TerminalDef}, {})
    blob = pickle.dumps((data, memo), protocol=pickle.HIGHEST_PROTOCOL)
    cachefile.write(path, blob, _key(path))


def _key(path: str) -> str:
    """The key a tables file is sealed for: its name (which holds the grammar's digest)."""
    return os.path.basename(path)[-64:]

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

from typing import Any

_installed = False


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
            for token, (action, arg) in actions.items():
                if action == 1:
                    key = arg.get("@") if type(arg) is dict and len(arg) == 1 else None
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

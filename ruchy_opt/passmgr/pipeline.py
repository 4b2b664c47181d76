"""Pipelines: parsed from text in LLVM new-pass-manager syntax, kept as immutable values.

::

    pipeline  := element (',' element)*
    element   := NAME ['<' param (';' param)* '>'] ['(' pipeline ')']
    param     := KEY '=' VALUE | FLAG | 'no-' FLAG | VALUE

Besides pass names, an element may be ``repeat<N>(...)`` (run the inner pipeline N
times), ``fixpoint(...)`` or ``fixpoint<max=N>(...)`` (run it until no pass changes
anything, at most N rounds, 20 by default), ``default<O1>`` / ``default<O2>`` (a named
pipeline), and ``module(...)`` / ``function(...)`` (accepted for LLVM users; they only
group). ``str(pipeline)`` gives canonical text that parses back to an equal pipeline.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Union

from .api import Pass
from .params import ParamError, instantiate
from .registry import NAMED_PIPELINES, PluginError, Registry, UnknownPassError

FIXPOINT_MAX = 20


class PipelineError(ValueError):
    """A pipeline that does not parse, names an unknown pass, or has bad parameters.
    The message points into the pipeline text."""


@dataclass(frozen=True)
class Repeat:
    """Run ``body`` ``count`` times."""

    count: int
    body: tuple["Element", ...]

    def __str__(self) -> str:
        return f"repeat<{self.count}>({format_pipeline(self.body)})"


@dataclass(frozen=True)
class Fixpoint:
    """Run ``body`` until a round changes nothing, at most ``max_rounds`` rounds."""

    body: tuple["Element", ...]
    max_rounds: int = FIXPOINT_MAX

    def __str__(self) -> str:
        limit = f"<max={self.max_rounds}>" if self.max_rounds != FIXPOINT_MAX else ""
        return f"fixpoint{limit}({format_pipeline(self.body)})"


Element = Union[Pass, Repeat, Fixpoint]
Pipeline = tuple[Element, ...]


def format_pipeline(p: Pipeline) -> str:
    """Canonical text of a pipeline."""
    return ",".join(str(e) for e in p)


def pass_count(p: Pipeline) -> int:
    """Number of passes written in the pipeline (nested ones included, once each)."""
    return sum(pass_count(e.body) if isinstance(e, (Repeat, Fixpoint)) else 1 for e in p)


_TOKEN = re.compile(r"\s*(?:(?P<word>[A-Za-z0-9_.:+\-]+)|(?P<punct>[<>(),;=]))")


class _Parser:
    def __init__(self, text: str, registry: Registry, depth: int = 0) -> None:
        self.text = text
        self.registry = registry
        self.toks: list[tuple[str, str, int]] = []  # (kind, text, offset)
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                raise self.error(f"unexpected character '{text[pos]}'", pos)
            kind = "word" if m.group("word") is not None else "punct"
            self.toks.append((kind, m.group(kind), m.start(kind)))
            pos = m.end()
        self.i = 0
        self.depth = depth

    def error(self, msg: str, offset: Optional[int] = None) -> PipelineError:
        if offset is None:
            offset = self.toks[self.i][2] if self.i < len(self.toks) else len(self.text)
        return PipelineError(f"{msg}\n  {self.text}\n  {' ' * offset}^")

    def peek(self) -> Optional[str]:
        return self.toks[self.i][1] if self.i < len(self.toks) else None

    def take(self, what: str) -> tuple[str, str, int]:
        if self.i >= len(self.toks):
            raise self.error(f"expected {what}, found the end of the pipeline")
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, punct: str) -> None:
        kind, text, off = self.take(f"'{punct}'")
        if text != punct:
            raise self.error(f"expected '{punct}', found '{text}'", off)

    def pipeline(self, closing: Optional[str] = None) -> Pipeline:
        out: list[Element] = []
        while True:
            if self.peek() == closing and closing is not None and not out:
                raise self.error("empty nested pipeline")
            out.extend(self.element())
            if self.peek() == ",":
                self.i += 1
                continue
            if self.peek() == closing:
                return tuple(out)
            what = f"',' or '{closing}'" if closing else "','"
            found = "the end of the pipeline" if self.peek() is None else f"'{self.peek()}'"
            raise self.error(f"expected {what} after a pass, found {found}")

    def params(self) -> list[tuple[str, Optional[str], int]]:
        """The items of ``<...>``: (key, value or None, offset); a bare value is a key."""
        items: list[tuple[str, Optional[str], int]] = []
        if self.peek() != "<":
            return items
        self.i += 1
        while True:
            kind, key, off = self.take("a parameter")
            if kind != "word":
                raise self.error(f"expected a parameter, found '{key}'", off)
            value = None
            if self.peek() == "=":
                self.i += 1
                kind, value, voff = self.take("a value")
                if kind != "word":
                    raise self.error(f"expected a value, found '{value}'", voff)
            items.append((key, value, off))
            sep = self.peek()
            if sep in (";", ","):
                self.i += 1
            elif sep == ">":
                self.i += 1
                return items
            else:
                raise self.error("expected ';' or '>' in parameters"
                                 if sep is not None else "unclosed '<'")

    def nested(self, name: str, off: int) -> Pipeline:
        if self.peek() != "(":
            raise self.error(f"'{name}' needs a nested pipeline: {name}(...)")
        self.i += 1
        body = self.pipeline(")")
        self.expect(")")
        return body

    def element(self) -> list[Element]:
        kind, name, off = self.take("a pass name")
        if kind != "word":
            raise self.error(f"expected a pass name, found '{name}'", off)
        params = self.params()
        if name == "repeat":
            if len(params) != 1 or params[0][1] is not None or not params[0][0].isdigit():
                raise self.error("repeat takes a count: repeat<N>(passes)", off)
            return [Repeat(int(params[0][0]), self.nested(name, off))]
        if name == "fixpoint":
            limit = FIXPOINT_MAX
            for key, value, poff in params:
                if key not in ("max", "max-rounds") or not (value or "").isdigit() \
                        or int(value or 0) < 1:
                    raise self.error("fixpoint takes at most one parameter: "
                                     "fixpoint<max=N>(passes) with N >= 1", poff)
                limit = int(value or FIXPOINT_MAX)
            return [Fixpoint(self.nested(name, off), limit)]
        if name in ("module", "function", "cgscc"):
            if params:
                raise self.error(f"'{name}' takes no parameters", off)
            return list(self.nested(name, off))
        if name == "default":
            level = params[0][0] if len(params) == 1 and params[0][1] is None else None
            if level not in NAMED_PIPELINES:
                raise self.error(f"default takes an optimization level: "
                                 f"{', '.join(f'default<{k}>' for k in NAMED_PIPELINES)}", off)
            return list(parse_pipeline(NAMED_PIPELINES[level], self.registry))
        try:
            info = self.registry.get(name)
        except UnknownPassError as e:
            raise self.error(str(e), off) from None
        except PluginError as e:
            raise self.error(str(e), off) from None
        if self.peek() == "(":
            raise self.error(f"pass '{name}' does not take a nested pipeline")
        try:
            return [instantiate(info.cls, [(k, v) for k, v, _ in params])]
        except ParamError as e:
            raise self.error(str(e), params[0][2] if params else off) from None


def parse_pipeline(text: str, registry: Registry) -> Pipeline:
    """Parse pipeline text into pass objects (importing only the passes named)."""
    p = _Parser(text, registry)
    if not p.toks:
        return ()
    result = p.pipeline()
    if p.i < len(p.toks):
        raise p.error(f"unexpected '{p.peek()}'")
    return result

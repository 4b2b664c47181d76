"""Patterns compiled once into plans (resolve/plans.py) that every back end walks.

Name resolution follows Rust: a bare name that resolves (paths.lookup, from the module
and ``Self`` type of the code) to a unit variant, unit struct or const is a path
pattern; anything else is a binding. Unknown variants and structs, a wrong number of
fields in a tuple-struct pattern and unknown fields in a struct pattern are syntax
errors, found before the program runs. Nested ``|`` alternatives are expanded into
rows (at most MAX_ROWS).
"""
from __future__ import annotations

from typing import Optional

from ..errors import RuchySyntaxError
from ..runtime.constants import PATH_CONSTANTS
from ..syntax import ast as A
from .items import ConstInfo, ProgramInfo, StructInfo, VariantInfo
from .paths import lookup
from .plans import (MAX_ROWS, Access, ArmPlan, Binding, MatchPlan, PatternPlan, Row,
                    Test)

__all__ = ["ArmPlan", "Binding", "MatchPlan", "PatternCompiler", "PatternPlan", "Row",
           "Test", "compile_match", "compile_pattern"]


class PatternCompiler:
    """Compiles patterns written in ``module`` (inside an impl of ``self_type``)."""

    def __init__(self, info: ProgramInfo, module: str = "",
                 self_type: Optional[str] = None) -> None:
        self.info = info
        self.module = module
        self.self_type = self_type

    # ---- entry points -------------------------------------------------------------

    def compile(self, pats: list[A.Node], default_mode: str = "value") -> PatternPlan:
        """The plan of alternatives ``pats`` (a match arm's top-level ``|``).
        ``default_mode`` is how plain bindings bind (``ref_mut`` when matching
        ``&mut place``: Rust's default binding mode)."""
        rows: list[Row] = []
        for p in pats:
            rows.extend(self._rows(p, (), default_mode))
            if len(rows) > MAX_ROWS:
                raise RuchySyntaxError("pattern has too many alternatives", p.span)
        span = pats[0].span if pats else A.NO_SPAN
        return PatternPlan(rows, _check_names(rows, pats), span, self.info)

    def compile_match(self, node: A.Match, default_mode: str = "value") -> MatchPlan:
        return MatchPlan([ArmPlan(self.compile(arm.patterns, default_mode), arm.guard,
                                  arm.body, arm) for arm in node.arms])

    # ---- patterns -----------------------------------------------------------------

    def _rows(self, p: A.Node, acc: Access, mode: str) -> list[Row]:
        if isinstance(p, A.Pattern):
            return self._scalar(p, acc, mode)
        if isinstance(p, A.TuplePat):
            return self._sequence(p.elems, acc, mode, "tuple", "tup", p)
        if isinstance(p, A.SlicePat):
            return self._sequence(p.elems, acc, mode, "len", "elem", p)
        if isinstance(p, A.OrPat):
            out: list[Row] = []
            for alt in p.alts:
                out.extend(self._rows(alt, acc, mode))
            return out
        if isinstance(p, A.RefPat):
            # ``&pat`` matches the value itself; bindings under it are by value.
            return self._rows(p.pat, acc, "value")
        if isinstance(p, A.PathPat):
            return [Row([self._path_test(p.path, acc, p)])]
        if isinstance(p, A.TupleStructPat):
            return self._tuple_struct(p, acc, mode)
        if isinstance(p, A.StructPat):
            return self._struct(p, acc, mode)
        if isinstance(p, A.RestPat):
            raise RuchySyntaxError("'..' can only be used in a tuple, tuple struct or "
                                   "slice pattern", p.span)
        raise RuchySyntaxError(f"unsupported pattern {type(p).__name__}", p.span)

    def _scalar(self, p: A.Pattern, acc: Access, mode: str) -> list[Row]:
        if p.kind == "wild":
            return [Row()]
        if p.kind == "bind":
            name = p.value
            if p.sub is None and not p.by_ref and not p.mutable:
                test = self._name_test(name, acc, p)
                if test is not None:
                    return [Row([test])]
            bmode = ("ref_mut" if p.mutable else "ref") if p.by_ref else \
                ("value" if p.mutable else mode)
            bind = Row([], [Binding(name, acc, bmode, p.mutable and not p.by_ref, p.span)])
            if p.sub is None:
                return [bind]
            return [bind + r for r in self._rows(p.sub, acc, mode)]
        if p.kind == "range":
            lo, hi = self._bound(p.value, p), self._bound(p.high, p)
            kind = _bound_kind(lo, hi, p)
            return [Row([Test(acc, "range", (lo, hi, p.inclusive), kind, p.span)])]
        if p.kind in ("int", "float", "str", "char", "bool"):
            value = p.value
            if isinstance(value, A.Node):
                value = self._bound(value, p)
                if isinstance(value, A.Node):
                    return [Row([Test(acc, "const", value, "", p.span)])]
            return [Row([Test(acc, "lit", value, p.kind, p.span)])]
        raise RuchySyntaxError(f"unsupported pattern kind '{p.kind}'", p.span)

    def _bound(self, v: object, p: A.Node) -> object:
        """A range bound or literal: a Python value, None (open) or, for a const, the
        AST node that names it (evaluated by the back end)."""
        if isinstance(v, A.Path):
            key = f"{v.owner}::{v.name}"
            if key in PATH_CONSTANTS:
                return PATH_CONSTANTS[key]
            return self._const_node(key, v)
        if isinstance(v, A.Name):
            return self._const_node(v.id, v)
        if isinstance(v, A.Unary) and v.op == "-":
            inner = self._bound(v.operand, p)
            if isinstance(inner, (int, float)) and not isinstance(inner, bool):
                return -inner
            raise RuchySyntaxError("unsupported range bound", v.span)
        if isinstance(v, (A.IntLit, A.FloatLit, A.CharLit, A.StrLit, A.BoolLit)):
            return v.value
        return v

    def _const_node(self, path: str, node: A.Node) -> A.Node:
        item = lookup(self.info, path, self.module, self.self_type)
        if not isinstance(item, ConstInfo):
            raise RuchySyntaxError(f"'{path}' is not a constant", node.span)
        return node

    def _name_test(self, name: str, acc: Access, p: A.Node) -> Optional[Test]:
        """The test a bare name stands for if it names a unit variant, unit struct or
        const in scope (Rust's rule); None if it is a binding."""
        item = lookup(self.info, name, self.module, self.self_type)
        if isinstance(item, VariantInfo):
            if item.shape != "unit":
                raise RuchySyntaxError(f"'{name}' is a {_shape_word(item.shape)} variant: "
                                       f"write {name}{'(..)' if item.shape == 'tuple' else ' { .. }'}",
                                       p.span)
            return Test(acc, "variant", item, "", p.span)
        if isinstance(item, StructInfo) and item.shape == "unit":
            return Test(acc, "struct", item, "", p.span)
        if isinstance(item, ConstInfo):
            return Test(acc, "const", A.Name(name, span=p.span), "", p.span)
        return None

    def _path_test(self, path: str, acc: Access, p: A.Node) -> Test:
        if path in PATH_CONSTANTS:
            v = PATH_CONSTANTS[path]
            return Test(acc, "lit", v, "int" if isinstance(v, int) else "float", p.span)
        item = lookup(self.info, path, self.module, self.self_type)
        if isinstance(item, VariantInfo):
            if item.shape != "unit":
                raise RuchySyntaxError(f"'{path}' is a {_shape_word(item.shape)} variant: "
                                       f"write {path}{'(..)' if item.shape == 'tuple' else ' { .. }'}",
                                       p.span)
            return Test(acc, "variant", item, "", p.span)
        if isinstance(item, StructInfo):
            if item.shape != "unit":
                raise RuchySyntaxError(f"'{path}' is not a unit struct", p.span)
            return Test(acc, "struct", item, "", p.span)
        if isinstance(item, ConstInfo):
            owner, _, name = path.rpartition("::")
            node = A.Path(owner, name, span=p.span) if owner else A.Name(name, span=p.span)
            return Test(acc, "const", node, "", p.span)
        raise RuchySyntaxError(f"unknown variant, struct or constant '{path}' in pattern",
                               p.span)

    def _sequence(self, elems: list[A.Node], acc: Access, mode: str, op: str, step: str,
                  p: A.Node) -> list[Row]:
        """A tuple (``op`` tuple, steps ``tup``) or slice (``len``, ``elem``) pattern."""
        rests = [i for i, e in enumerate(elems) if isinstance(e, A.RestPat)]
        if len(rests) > 1:
            raise RuchySyntaxError("'..' can be used at most once in a pattern",
                                   elems[rests[1]].span)
        n = len(elems) - len(rests)
        rows = [Row([Test(acc, op, (n, not rests), "", p.span)])]
        cut = rests[0] if rests else len(elems)
        for i, e in enumerate(elems):
            if i == cut:
                if isinstance(e, A.RestPat) and e.name and step == "elem":
                    after = len(elems) - cut - 1
                    b = Binding(e.name, acc + (("slice", cut, after),), mode, False, e.span)
                    rows = [r + Row([], [b]) for r in rows]
                elif isinstance(e, A.RestPat) and e.name:
                    raise RuchySyntaxError("'name @ ..' is only allowed in a slice pattern",
                                           e.span)
                continue
            index = i if i < cut else i - len(elems)
            sub = self._rows(e, acc + ((step, index),), mode)
            rows = [r + s for r in rows for s in sub]
            if len(rows) > MAX_ROWS:
                raise RuchySyntaxError("pattern has too many alternatives", p.span)
        return rows

    def _resolve_type(self, path: str, p: A.Node, want: str) -> object:
        item = lookup(self.info, path, self.module, self.self_type)
        if isinstance(item, (VariantInfo, StructInfo)):
            return item
        what = "tuple struct or tuple variant" if want == "tuple" else "struct or variant"
        raise RuchySyntaxError(f"unknown {what} '{path}' in pattern", p.span)

    def _tuple_struct(self, p: A.TupleStructPat, acc: Access, mode: str) -> list[Row]:
        item = self._resolve_type(p.path, p, "tuple")
        if item.shape != "tuple":
            raise RuchySyntaxError(f"'{p.path}' is not a tuple struct or tuple variant "
                                   f"(it is a {_shape_word(item.shape)} "
                                   f"{'variant' if isinstance(item, VariantInfo) else 'struct'})",
                                   p.span)
        rests = [i for i, e in enumerate(p.elems) if isinstance(e, A.RestPat)]
        n, have = len(p.elems) - len(rests), len(item.fields)
        if (n != have and not rests) or n > have or len(rests) > 1:
            what = "variant" if isinstance(item, VariantInfo) else "struct"
            raise RuchySyntaxError(f"this pattern has {n} field{'s' * (n != 1)}, but the "
                                   f"tuple {what} '{p.path}' has {have} field"
                                   f"{'s' * (have != 1)}", p.span)
        rows = [Row([self._type_test(item, acc, p)])]
        cut = rests[0] if rests else len(p.elems)
        for i, e in enumerate(p.elems):
            if i == cut:
                if e.name:
                    raise RuchySyntaxError("'name @ ..' is only allowed in a slice pattern",
                                           e.span)
                continue
            index = i if i < cut else have - (len(p.elems) - i)
            sub = self._rows(e, acc + (("field", item.fields[index]),), mode)
            rows = [r + s for r in rows for s in sub]
        return rows

    def _struct(self, p: A.StructPat, acc: Access, mode: str) -> list[Row]:
        if not p.path:
            return self._object(p, acc, mode)
        item = self._resolve_type(p.path, p, "named")
        if item.shape == "unit" and p.fields:
            raise RuchySyntaxError(f"'{p.path}' has no fields", p.span)
        rows = [Row([self._type_test(item, acc, p)])]
        seen = set()
        for fp in p.fields:
            if fp.name not in item.fields:
                what = "variant" if isinstance(item, VariantInfo) else "struct"
                raise RuchySyntaxError(f"{what} '{p.path}' does not have a field named "
                                       f"'{fp.name}'", fp.span)
            if fp.name in seen:
                raise RuchySyntaxError(f"field '{fp.name}' is bound twice in the pattern",
                                       fp.span)
            seen.add(fp.name)
            sub = self._rows(fp.pat, acc + (("field", fp.name),), mode)
            rows = [r + s for r in rows for s in sub]
            if len(rows) > MAX_ROWS:
                raise RuchySyntaxError("pattern has too many alternatives", p.span)
        return rows

    def _object(self, p: A.StructPat, acc: Access, mode: str) -> list[Row]:
        """Ruchy's ``{ name: "Bob", age, .. }``: each field must be there (a ``field``
        test: an object's key, a struct's or variant's field), then match its pattern.
        Other keys may be there, with ``..`` or without (the reference's rule)."""
        rows = [Row()]
        seen: list[str] = []
        for fp in p.fields:
            if fp.name in seen:
                raise RuchySyntaxError(f"field '{fp.name}' is bound twice in the pattern",
                                       fp.span)
            seen.append(fp.name)
            has = Row([Test(acc, "field", fp.name, "", fp.span)])
            sub = self._rows(fp.pat, acc + (("field", fp.name),), mode)
            rows = [r + has + s for r in rows for s in sub]
            if len(rows) > MAX_ROWS:
                raise RuchySyntaxError("pattern has too many alternatives", p.span)
        return rows

    def _type_test(self, item: object, acc: Access, p: A.Node) -> Test:
        if isinstance(item, VariantInfo):
            return Test(acc, "variant", item, "", p.span)
        return Test(acc, "struct", item, "", p.span)


def _shape_word(shape: str) -> str:
    return {"named": "struct", "tuple": "tuple", "unit": "unit"}.get(shape, shape)


def _bound_kind(lo: object, hi: object, p: A.Node) -> str:
    kinds = set()
    for b in (lo, hi):
        if b is None:
            continue
        if isinstance(b, bool):
            raise RuchySyntaxError("a range pattern needs number or char bounds", p.span)
        if isinstance(b, int):
            kinds.add("int")
        elif isinstance(b, float):
            kinds.add("float")
        elif isinstance(b, str):
            kinds.add("char")
        elif isinstance(b, A.Node):
            kinds.add("const")
        else:
            raise RuchySyntaxError("a range pattern needs number or char bounds", p.span)
    if not kinds:
        raise RuchySyntaxError("a range pattern needs a bound", p.span)
    if "const" in kinds:
        return "const"
    if len(kinds) > 1:
        raise RuchySyntaxError("the bounds of a range pattern have different types", p.span)
    return kinds.pop()


def _check_names(rows: list[Row], pats: list[A.Node]) -> list[str]:
    """The names the rows bind; every row must bind the same names, each once."""
    names: list[str] = []
    for i, r in enumerate(rows):
        seen: list[str] = []
        for b in r.binds:
            if b.name in seen:
                raise RuchySyntaxError(f"identifier '{b.name}' is bound more than once in "
                                       "the same pattern", b.span)
            seen.append(b.name)
        if i == 0:
            names = seen
        elif set(seen) != set(names):
            missing = sorted(set(names) ^ set(seen))[0]
            span = next((b.span for rr in rows for b in rr.binds if b.name == missing),
                        pats[0].span if pats else A.NO_SPAN)
            raise RuchySyntaxError(f"variable '{missing}' is not bound in all patterns", span)
    return names


def compile_pattern(info: ProgramInfo, pats: list[A.Node], module: str = "",
                    self_type: Optional[str] = None,
                    default_mode: str = "value") -> PatternPlan:
    """The plan of a pattern (``pats``: its top-level alternatives)."""
    return PatternCompiler(info, module, self_type).compile(pats, default_mode)


def compile_match(info: ProgramInfo, node: A.Match, module: str = "",
                  self_type: Optional[str] = None, default_mode: str = "value") -> MatchPlan:
    """The plan of every arm of ``node``."""
    return PatternCompiler(info, module, self_type).compile_match(node, default_mode)

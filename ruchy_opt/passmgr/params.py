"""Pass parameters: the fields of a pass dataclass, read from and written to pipeline text.

``unroll<count=4>`` sets ``count``; a bool field is set by its bare name (``verbose``) or
cleared with ``no-`` (``no-verbose``), as in LLVM; ``-`` and ``_`` are interchangeable in
names. Only int, float, bool and str fields are parameters.
"""
from __future__ import annotations

import dataclasses
import typing
from typing import Any, Optional

from .api import Pass

_KINDS = {int: "int", float: "float", bool: "bool", str: "str"}


class ParamError(ValueError):
    """A parameter the pass does not have, or a value of the wrong kind."""


@dataclasses.dataclass(frozen=True)
class ParamSpec:
    """One parameter of a pass: its name, Python type and default (None if required)."""

    name: str
    type: type
    default: Any
    required: bool

    @property
    def spelled(self) -> str:
        return self.name.replace("_", "-")

    def describe(self) -> str:
        kind = _KINDS[self.type]
        if self.required:
            return f"{self.spelled}: {kind} (required)"
        return f"{self.spelled}={format_value(self.default)} ({kind})"


#: pass class -> its parameters. ``typing.get_type_hints`` evaluates every annotation of
#: the class and its bases: about 1.3 ms a call, and a pipeline asked it for each pass it
#: names, on every compile (78 calls, 0.1 s, in one ``-O2`` run); classes do not change.
_SPECS: dict[type, list[ParamSpec]] = {}


def param_specs(cls: type[Pass]) -> list[ParamSpec]:
    """The parameters of a pass class, in field order."""
    specs = _SPECS.get(cls)
    if specs is None:
        specs = _SPECS[cls] = _param_specs(cls)
    return list(specs)


def _param_specs(cls: type[Pass]) -> list[ParamSpec]:
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # an unresolvable annotation: fall back to the raw field types
        hints = {}
    specs = []
    for f in dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ():
        t = hints.get(f.name, f.type)
        if t not in _KINDS:
            raise ParamError(f"field '{f.name}' of pass {cls.name} has type {t!r}; pass "
                             "parameters must be int, float, bool or str")
        has_default = f.default is not dataclasses.MISSING
        if not has_default and f.default_factory is not dataclasses.MISSING:  # type: ignore
            raise ParamError(f"field '{f.name}' of pass {cls.name}: use a plain default")
        specs.append(ParamSpec(f.name, t, f.default if has_default else None, not has_default))
    return specs


def format_value(v: Any) -> str:
    if type(v) is bool:
        return "true" if v else "false"
    return str(v)


def convert(spec: ParamSpec, text: str, pass_name: str) -> Any:
    """The value of parameter ``spec`` written as ``text``."""
    t = spec.type
    try:
        if t is bool:
            low = text.lower()
            if low in ("true", "1", "yes", "on"):
                return True
            if low in ("false", "0", "no", "off"):
                return False
            raise ValueError
        if t is int:
            return int(text, 0)
        if t is float:
            return float(text)
        return text
    except ValueError:
        article = "an" if t is int else "a"
        raise ParamError(f"parameter '{spec.spelled}' of pass '{pass_name}' takes "
                         f"{article} {_KINDS[t]}, not '{text}'") from None


def instantiate(cls: type[Pass], items: list[tuple[str, Optional[str]]]) -> Pass:
    """Make a pass from its parameters: (name, value) pairs, value None for a bare flag."""
    specs = {s.name: s for s in param_specs(cls)}
    values: dict[str, Any] = {}
    for key, text in items:
        flag_value = True
        name = key.replace("-", "_")
        if text is None and name not in specs and name.startswith("no_") \
                and name[3:] in specs:
            name, flag_value = name[3:], False
        spec = specs.get(name)
        if spec is None:
            valid = ", ".join(s.describe() for s in specs.values()) or "none"
            raise ParamError(f"pass '{cls.name}' has no parameter '{key}' "
                             f"(its parameters: {valid})")
        if name in values:
            raise ParamError(f"parameter '{spec.spelled}' of pass '{cls.name}' given twice")
        if text is None:
            if spec.type is not bool:
                raise ParamError(f"parameter '{spec.spelled}' of pass '{cls.name}' needs a "
                                 f"value: {spec.spelled}=...")
            values[name] = flag_value
        else:
            values[name] = convert(spec, text, cls.name)
    missing = [s.spelled for s in specs.values() if s.required and s.name not in values]
    if missing:
        raise ParamError(f"pass '{cls.name}' needs parameter(s) {', '.join(missing)}")
    try:
        p = cls(**values)
        check = getattr(p, "check_params", None)
        msg = check() if callable(check) else None
    except ParamError:
        raise
    except (TypeError, ValueError) as e:
        raise ParamError(f"pass '{cls.name}': {e}") from None
    if msg:
        raise ParamError(f"pass '{cls.name}': {msg}")
    return p


def format_pass(p: Pass) -> str:
    """Pipeline text for a pass object: its name and the parameters that differ from
    their defaults, so ``parse(format(p)) == p``."""
    items = []
    for s in param_specs(type(p)):
        v = getattr(p, s.name)
        if not s.required and v == s.default and type(v) is type(s.default):
            continue
        if s.type is bool:
            items.append(s.spelled if v else "no-" + s.spelled)
        else:
            items.append(f"{s.spelled}={format_value(v)}")
    return p.name + (f"<{';'.join(items)}>" if items else "")

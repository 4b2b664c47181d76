"""Python names of the things a tier-0 module defines for a program's items."""
from __future__ import annotations


def py_ident(qualified: str) -> str:
    """A qualified Ruchy name (``m::f``, ``Point::new``) as part of a Python identifier."""
    return qualified.replace("::", "_S_")


def type_py(qualified: str) -> str:
    """The Python name of the class of struct or enum ``qualified`` in a tier-0 module."""
    return "T_" + py_ident(qualified)


def variant_py(enum: str, variant: str) -> str:
    """The Python name of a variant's class (unit variant: its one instance)."""
    return f"V_{py_ident(enum)}_S_{variant}"


def py_literal(value: object) -> str:
    """Python source for a literal's value: its repr, except for a float beyond the
    float range (``1e309`` is infinite), whose repr ``inf`` is no Python literal."""
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "1e999" if value > 0 else "(-1e999)"
    return repr(value)

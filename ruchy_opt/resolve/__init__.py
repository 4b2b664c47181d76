"""The resolution layer: what names, paths, methods and patterns mean, decided once
for every back end (tier 0 and the SSA lowering). See docs/level3.md."""
from __future__ import annotations

from ..syntax import ast as A
from .items import (ConstInfo, EnumInfo, FnInfo, ProgramInfo, StructInfo, TraitInfo,
                    VariantInfo, collect)
from .paths import lookup
from .repointed import check as check_repointed

__all__ = ["ConstInfo", "EnumInfo", "FnInfo", "ProgramInfo", "StructInfo", "TraitInfo",
           "VariantInfo", "check_repointed", "lookup", "resolve_program"]


def resolve_program(prog: A.Program) -> ProgramInfo:
    """The item tables and name resolution of ``prog`` (RuchySyntaxError for items
    defined twice)."""
    return collect(prog)

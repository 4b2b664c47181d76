"""AST -> SSA lowering (see module.py for the program-level shape)."""
from __future__ import annotations

from .module import lower_program, lower_source

__all__ = ["lower_program", "lower_source"]

"""AST -> SSA lowering (see module.py for the program-level shape; level3.py for what
the IR does not have yet)."""
from __future__ import annotations

from .level3 import NotInIR
from .module import Lowered, lower_partial, lower_program, lower_source

__all__ = ["Lowered", "NotInIR", "lower_partial", "lower_program", "lower_source"]

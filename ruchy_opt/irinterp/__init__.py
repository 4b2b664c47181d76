"""The reference interpreter for the SSA IR (the oracle for testing passes)."""
from __future__ import annotations

from .machine import Interpreter, run_module

__all__ = ["Interpreter", "run_module"]

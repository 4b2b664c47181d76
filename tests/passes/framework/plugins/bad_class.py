"""A test plugin with a pass class missing its run method."""
from dataclasses import dataclass

from ruchy_opt.passmgr import FunctionPass


@dataclass(frozen=True)
class Lazy(FunctionPass):
    """Does nothing at all."""

    name = "lazy"

"""Runtime errors in compiled code: the same diagnostic text as tier 0, rendered at
compile time where the message is static, and split around the message where it is
built at run time (``no match arm matched value 7``)."""
from __future__ import annotations

from . import llir as ir

from ..errors import RuchyRuntimeError, SourceFile, render
from ..syntax.ast import Span
from .lltypes import I8

_HOLE = "\x00"


class Diagnostics:
    """Interned C strings of diagnostics for one LLVM module."""

    def __init__(self, module: ir.Module, src: SourceFile) -> None:
        self.module = module
        self.src = src
        self._strings: dict[str, ir.GlobalVariable] = {}

    def cstring(self, text: str) -> ir.Constant:
        """A pointer to a NUL-terminated constant string."""
        g = self._strings.get(text)
        if g is None:
            data = bytearray(text.encode("utf-8")) + b"\0"
            ty = ir.ArrayType(I8, len(data))
            g = ir.GlobalVariable(self.module, ty, name=f".diag.{len(self._strings)}")
            g.global_constant = True
            g.linkage = "private"
            g.unnamed_addr = True
            g.initializer = ir.Constant(ty, data)
            self._strings[text] = g
        return g.bitcast(ir.PointerType())

    def static(self, message: str, span: Span) -> ir.Constant:
        """The whole diagnostic for ``message`` at ``span``."""
        return self.cstring(render(RuchyRuntimeError(message, span), self.src))

    def around(self, span: Span, prefix: str = "") -> tuple[ir.Constant, ir.Constant]:
        """The text before and after a message built at run time (``prefix`` is the
        message's static beginning)."""
        full = render(RuchyRuntimeError(_HOLE, span), self.src)
        pre, post = full.split(_HOLE, 1)
        return self.cstring(pre + prefix), self.cstring(post)

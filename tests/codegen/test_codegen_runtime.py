"""The runtime library (rt/*.ll) against the reference semantics in runtime/values.py:
float display and text forms, called directly through ctypes."""
from __future__ import annotations

import ctypes
import math
import random
import struct

import pytest

from ruchy_opt.runtime.values import float_text, fmt_float


@pytest.fixture(scope="module")
def rt():
    """The runtime's IR compiled on its own, so its functions can be called directly."""
    import llvmlite.binding as llvm
    from ruchy_opt.codegen import engine
    from ruchy_opt.codegen.runtime import runtime_module
    tm = engine.target_machine(jit=True)
    e = llvm.create_mcjit_compiler(runtime_module(tm.triple, str(tm.target_data)), tm)
    e.finalize_object()
    return e


def _symbol(rt, name: str) -> int:
    return rt.get_function_address(name)


def _floats(n: int) -> list[float]:
    rng = random.Random(5)
    vals = [0.0, -0.0, 1.0, 0.1, 0.30000000000000004, 1e16, 1e22, 1.5e-7, 5e-324,
            1.7976931348623157e308, 123.456, -2.5, math.inf, -math.inf, math.nan, 1e15,
            123456789012345678.0, 2.0 ** 52, 2.0 ** 53 + 2]
    for _ in range(n):
        vals.append(struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0])
        vals.append(rng.uniform(-1e6, 1e6))
        vals.append(round(rng.uniform(-1000, 1000), rng.randint(0, 5)))
    return vals


def test_float_display_and_text_forms_match_python(rt):
    display = ctypes.CFUNCTYPE(None, ctypes.c_double)(_symbol(rt, "rt_buf_f64"))
    text = ctypes.CFUNCTYPE(None, ctypes.c_double)(_symbol(rt, "rt_buf_f64_text"))
    take = ctypes.CFUNCTYPE(ctypes.c_void_p)(_symbol(rt, "rt_buf_take"))

    def s() -> str:
        p = take()
        return ctypes.string_at(p + 8, ctypes.c_int64.from_address(p).value).decode()
    for x in _floats(1500):
        display(x)
        assert s() == fmt_float(x), repr(x)
        text(x)
        assert s() == float_text(x), repr(x)

"""Ahead-of-time compilation: the optimised module (program and runtime) as an object
file, linked into a native executable by the system C compiler. The executable needs
only the C library and libm: no Python, no LLVM."""
from __future__ import annotations

import os
import subprocess
import tempfile

from . import linker
from .compiler import Compiled
from .engine import emit_object
from .linker import LINKERS
from .rtcache import runtime_object


def find_linker() -> str:
    """The C compiler that links executables: $CC, else cc, gcc or clang on PATH."""
    from .commands import BuildError
    path = linker.find_linker()
    if path is None:
        env = os.environ.get("CC")
        raise BuildError("no C compiler found to link the executable (looked for "
                         + ("$CC, " if env else "") + ", ".join(LINKERS)
                         + "); install one (e.g. gcc) or set CC")
    return path


def link_executable(c: Compiled, output: str) -> None:
    """Write the executable ``output`` for a compiled program (raises BuildError)."""
    from .commands import BuildError
    cc = find_linker()
    obj = emit_object(c.module, c.codegen_level)
    with tempfile.TemporaryDirectory(prefix="ruchy-opt-") as tmp:
        obj_path = os.path.join(tmp, "program.o")
        with open(obj_path, "wb") as f:
            f.write(obj)
        rt_path = os.path.join(tmp, "ruchy-runtime.o")
        with open(rt_path, "wb") as f:
            f.write(runtime_object(jit=False))
        cmd = [cc, "-o", output, obj_path, rt_path, "-lm", "-lpthread"]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True)
        except OSError as e:
            raise BuildError(f"cannot run the linker {cc}: {e.strerror}") from None
        if r.returncode != 0:
            raise BuildError(f"linking failed ({' '.join(cmd)}):\n{r.stderr.strip()}")

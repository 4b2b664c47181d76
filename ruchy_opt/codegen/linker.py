"""The system C compiler as our linker: native executables (``build``) and the shared
objects that the code caches keep (a whole program, or one JIT specialisation, linked
with the runtime library). Standard library only: it runs no LLVM, so the JIT may link
on a background thread."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import Optional

LINKERS = ("cc", "gcc", "clang")


def find_linker() -> Optional[str]:
    """The C compiler to link with: $CC, else cc, gcc or clang on PATH; None if none."""
    env = os.environ.get("CC")
    for name in ([env] if env else []) + list(LINKERS):
        path = shutil.which(name)
        if path:
            return path
    return None


def link_shared(objects: list[bytes]) -> Optional[bytes]:
    """``objects`` (position-independent object files) linked into one shared object, or
    None when there is no C compiler or it fails (callers then load the code with
    MCJIT instead). ``-Bsymbolic`` binds the runtime's own calls inside the object."""
    linker = find_linker()
    if linker is None:
        return None
    with tempfile.TemporaryDirectory(prefix="ruchy-opt-") as tmp:
        paths = []
        for i, data in enumerate(objects):
            paths.append(os.path.join(tmp, f"part{i}.o"))
            with open(paths[-1], "wb") as f:
                f.write(data)
        out = os.path.join(tmp, "linked.so")
        cmd = [linker, "-shared", "-Wl,-Bsymbolic", "-o", out, *paths, "-lm", "-lpthread"]
        try:
            r = subprocess.run(cmd, capture_output=True)
        except OSError:
            return None
        if r.returncode != 0:
            return None
        with open(out, "rb") as f:
            return f.read()

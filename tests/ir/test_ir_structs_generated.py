"""Generated programs of structs and tuples (tools/ruchy_gen_structs.py): the IR
interpreter prints what tier 0 prints, also after -O2 and after sroa (with
--verify-each's check that each pass leaves valid IR). A bounded run of
``tools/difftest.py --structs``; RUCHY_STRUCT_SEEDS=N runs more."""
from __future__ import annotations

import os
import random
import sys

import pytest

from ir_helpers import ROOT, run_tier0

sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "passes"))


@pytest.mark.parametrize("seed", range(int(os.environ.get("RUCHY_STRUCT_SEEDS", "4"))))
def test_generated_struct_program(seed: int) -> None:
    import ruchy_gen_structs
    from pass_diff import check_pipeline, fresh_copy, run_ir
    from ruchy_opt.errors import SourceFile
    from ruchy_opt.ir.load import load_module
    text = ruchy_gen_structs.generate_program(random.Random(seed))
    name = f"structs{seed}.ruchy"
    m = load_module(SourceFile(name, text))
    got = run_ir(fresh_copy(m))
    want = run_tier0(text, name)  # (stdout, error or None)
    assert (got[0], got[2] is None) == (want[0], want[1] is None), text
    for pipeline in ("default<O2>", "inline,sroa,sccp,constfold,dce"):
        check_pipeline(m, pipeline, got)

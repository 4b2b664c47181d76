"""Differential testing campaign: random programs from ruchy_gen.py run at tier 0 (the
oracle) and under other configurations, which must print the same bytes, fail with the
same message at the same place and exit with the same status.

The test suite runs a few seeds of this on every change (tests/codegen/
test_codegen_generated.py, tests/jit/test_jit_programs.py); this runs as many as you
like, in parallel, and keeps every program that disagrees:

    .venv/bin/python tools/difftest.py --seeds 0:200
    .venv/bin/python tools/difftest.py --seeds 500:600 --size 30 --configs t2,jit0
    .venv/bin/python tools/difftest.py --seeds 0:50 --opaque   # literals' kinds hidden
    .venv/bin/python tools/difftest.py --seeds 4000:4080 --configs jitosr --value-loops
                                            # loops in expressions, entered by OSR
    .venv/bin/python tools/difftest.py --seeds 0:100 --level3
                                            # structs, tuples, enums, Options
    .venv/bin/python tools/difftest.py --seeds 0:60 --level3 --closures
                                            # and closures, iterator chains, maps
    .venv/bin/python tools/difftest.py --seeds 0:200 --structs --configs ir,ir-O2,ir-sroa,ir-pipe
                                            # structs and tuples only (the IR has them)

Configurations: ``t1``, ``t2`` (``run --tier=1|2``), ``jit0`` (auto with
``--jit-scale=0``: everything compiled at once), ``jitosr`` (auto with small
thresholds, so hot loops are entered by OSR mid-run), ``auto`` (auto with the default
policy), and the IR interpreter as the oracle of passes: ``ir`` (``run --tier=ir``),
``ir-O2`` (after ``-O2``), ``ir-sroa`` (inline, sroa, sccp, constfold, dce) and
``ir-pipe`` (a random pipeline of every built-in pass, drawn from the seed), the three
with ``--verify-each``. ``--level3`` adds the IR configurations to the default ones.
A program the IR does not have yet (``... is not in the IR yet``) is not a
disagreement for them: it is counted apart. A disagreement is written to ``--out``
with both outputs, and the command that shrinks it (tools/reduce.py) is printed. The
exit status is 1 if any disagreed.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from ruchy_gen import generate_program  # noqa: E402
import ruchy_gen_structs  # noqa: E402

#: name -> the ``ruchy-opt run`` options of a configuration
CONFIGS: dict[str, list[str]] = {
    "t1": ["--tier=1"],
    "t2": ["--tier=2"],
    "jit0": ["--tier=auto", "--jit-scale=0"],
    "jitosr": ["--tier=auto", "--jit-tier1=50", "--jit-tier2=400", "--jit-osr=30"],
    "auto": ["--tier=auto"],
    "ir": ["--tier=ir"],
    "ir-O2": ["--tier=ir", "-O2", "--verify-each"],
    "ir-sroa": ["--tier=ir", "--passes=inline,sroa,sccp,constfold,dce", "--verify-each"],
    "ir-pipe": ["--tier=ir", "--verify-each"],  # and --passes drawn from the seed
}
IR_CONFIGS = ["ir", "ir-O2", "ir-sroa", "ir-pipe"]
#: what ``ir-pipe`` draws its pipelines from
PIPE_PIECES = ["typespec", "constfold", "sccp", "dce", "adce", "inline", "unroll",
               "unroll<count=2>", "simplifycfg", "gvn", "licm", "sroa"]
#: the first line of a refusal by the IR (lower/level3.py), not a disagreement
NOT_IN_IR = "is not in the IR yet"


def pipeline_for(seed: int) -> str:
    """The random pipeline ``ir-pipe`` runs on the program of ``seed``."""
    rng = random.Random(f"pipe{seed}")
    return ",".join(rng.choice(PIPE_PIECES) for _ in range(rng.randint(3, 8)))


def refused_by_ir(result: tuple) -> bool:
    """Whether a run stopped at a construct the IR does not have yet."""
    return result[0] == 1 and NOT_IN_IR in result[2].split("\n", 1)[0]


def run(options: list[str], path: Path, cache: str, timeout: float) -> tuple:
    """(status, stdout, stderr) of ``ruchy-opt run OPTIONS PATH``."""
    env = dict(os.environ, RUCHY_OPT_CACHE_DIR=cache, RUCHY_OPT_JIT_REMEMBER="0")
    cmd = [sys.executable, "-m", "ruchy_opt.launch", "run", *options, str(path)]
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return ("timeout", "", "")
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def check(seed: int, size: int, opaque: bool, configs: list[str], work: Path,
          cache: str, timeout: float, value_loops: bool = False,
          level3: bool = False, closures: bool = False, structs: bool = False) -> list[str]:
    """The configurations that disagree with tier 0 on the program of ``seed``."""
    if structs:
        text = ruchy_gen_structs.generate_program(random.Random(seed))
    else:
        text = generate_program(random.Random(seed), size, opaque_literals=opaque,
                                value_loops=value_loops, level3=level3, closures=closures)
    path = work / f"gen{seed}.ruchy"
    path.write_text(text, encoding="utf-8")
    want = run(["--tier=0"], path, cache, timeout)
    bad = []
    for name in configs:
        options = CONFIGS[name] + ([f"--passes={pipeline_for(seed)}"] if name == "ir-pipe"
                                   else [])
        got = run(options, path, cache, timeout)
        if name in IR_CONFIGS and refused_by_ir(got):
            bad.append(f"{name}:refused")
            continue
        if got != want:
            bad.append(name)
            report = work / f"gen{seed}.{name}.diff.txt"
            report.write_text(f"tier 0: status {want[0]}\n--- stdout\n{want[1]}--- stderr\n"
                              f"{want[2]}\n{name}: status {got[0]}\n--- stdout\n{got[1]}"
                              f"--- stderr\n{got[2]}", encoding="utf-8")
    if not [b for b in bad if not b.endswith(":refused")]:
        path.unlink()
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="0:100", help="A:B, the seeds A..B-1 (default 0:100)")
    ap.add_argument("--size", type=int, default=20, help="top-level statements (about)")
    ap.add_argument("--configs", default=None,
                    help=f"comma-separated, of {', '.join(CONFIGS)} (default t1,t2,jit0,"
                         "jitosr, and the ir ones with --level3)")
    ap.add_argument("--opaque", action="store_true",
                    help="pass every literal through an identity function")
    ap.add_argument("--value-loops", action="store_true",
                    help="also loops in expression position (ruchy_gen.py --value-loops)")
    ap.add_argument("--level3", action="store_true",
                    help="also structs, tuples, enums and Options (ruchy_gen.py --level3)")
    ap.add_argument("--closures", action="store_true",
                    help="also closures, iterator chains and maps (ruchy_gen.py --closures)")
    ap.add_argument("--structs", action="store_true",
                    help="programs of structs and tuples only (ruchy_gen_structs.py)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per run")
    ap.add_argument("--out", default="difftest-failures",
                    help="where disagreeing programs are kept")
    a = ap.parse_args(argv)
    lo, _, hi = a.seeds.partition(":")
    seeds = range(int(lo), int(hi)) if hi else range(int(lo), int(lo) + 1)
    default = "t1,t2,jit0,jitosr" + (",ir,ir-O2,ir-sroa,ir-pipe" if a.level3 or a.structs
                                     else "")
    configs = [c for c in (a.configs or default).split(",") if c]
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        ap.error(f"unknown configuration {', '.join(unknown)} (known: {', '.join(CONFIGS)})")
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    failures = refused = 0
    with tempfile.TemporaryDirectory(prefix="ruchy-difftest-") as cache, \
            ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        jobs = {s: pool.submit(check, s, a.size, a.opaque, configs, out, cache, a.timeout,
                               a.value_loops, a.level3, a.closures, a.structs)
                for s in seeds}
        for seed, job in jobs.items():
            bad = job.result()
            refused += any(b.endswith(":refused") for b in bad)
            bad = [b for b in bad if not b.endswith(":refused")]
            if bad:
                failures += 1
                prog = out / f"gen{seed}.ruchy"
                hint = (f"shrink with: .venv/bin/python tools/reduce.py {prog} --tiers 0,"
                        f"{bad[0][1]}" if bad[0] in ("t1", "t2") else
                        f"outputs in {out}/gen{seed}.{bad[0]}.diff.txt")
                print(f"seed {seed}: {', '.join(bad)} disagree with tier 0; {hint}")
    ir = [c for c in configs if c in IR_CONFIGS]
    print(f"{len(seeds)} programs, {failures} disagreed"
          + (f" (kept in {out}/)" if failures else "")
          + (f"; {refused} not in the IR yet (not run through {', '.join(ir)})"
             if ir else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Compile time of the LLVM tiers as the program grows: per phase and per function.

Issue 5 asks for at most 5 ms per small function at tier 1 and 30 ms at tier 2, tried on
programs that are not in the repository. This script makes such programs: ``N`` small
functions of varied shape (a loop with a branch, a ``match``, float math, arrays, calls
to another function; the ``mixed`` kind), or what ``tools/ruchy_gen.py`` generates
(``gen``: its ``size`` top-level statements and the functions they use), or functions
that are each a loop with a branch, called with a large trip count (``loops``), and compiles
each at tier 1 and tier 2 in a fresh Python process, with a fresh cache directory, so
nothing is cached but the runtime library (which a user compiles once per host, and
which a compile of the program never reads: it joins at link time).

A child process times the phases of ``ruchy_opt.codegen.compiler.compile_source`` (what
``run --tier=N --verbose`` prints), plus the machine code (``emit_object``); the parent
prints a table of milliseconds and, per phase, the cost per function: the difference
between the largest and the smallest program divided by the difference in their number
of functions (so the fixed cost of start-up and of the top level cancels out). Phases
are wall-clock times; ``total`` is their sum, and ``compile`` the same without ``parse``:
every tier pays for parsing (tier 0 included), while the tiered JIT compiles a function
from the program tier 0 already parsed, so its cost per function is ``compile`` (from
``lower`` to ``machine-code``). ``cpu`` is the processor time of the whole compile,
parsing included, which other jobs on a shared machine disturb less.

    .venv/bin/python bench/compile_time.py                     # mixed, N = 1, 25, 100
    .venv/bin/python bench/compile_time.py --sizes 1,10,50 --tiers 2 --repeat 3
    .venv/bin/python bench/compile_time.py --kind gen --sizes 10,40
    .venv/bin/python bench/compile_time.py --show 5            # print the program
    .venv/bin/python bench/compile_time.py --profile 2:100     # cProfile of one compile

Times are medians over ``--repeat`` runs (the machine is shared: single runs vary), or
with ``--stat min`` the least of them, phase by phase: what other jobs disturb least,
so two compilers measured one after the other compare best that way.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Optional

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: the phases in the order they run (``ruchy-O2`` and ``retype`` only at tier 2)
PHASES = ("parse", "lower", "verify", "types", "ruchy-O2", "retype", "codegen", "llvm-parse", "llvm-opt",
          "machine-code")

# --- programs -----------------------------------------------------------------------

#: small function templates; ``{i}`` is the function's number, ``{p}`` the number of
#: a function defined before it (for calls between functions)
TEMPLATES = (
    # a loop with a branch
    """fun f{i}(n) {{
    let mut s = 0
    for j in 0..n {{
        if j % 3 == {k} {{ s += j * {c} }} else {{ s -= 1 }}
    }}
    s
}}""",
    # a match
    """fun f{i}(x) {{
    match x % 4 {{
        0 => x * {c},
        1 | 2 => x + {k},
        _ => x - 1,
    }}
}}""",
    # float math in a while loop
    """fun f{i}(x: f64) -> f64 {{
    let mut y = x
    let mut k = 0
    while k < {c} {{
        y = y * 0.5 + (x + {k}.0).sqrt() / 3.0
        k += 1
    }}
    y
}}""",
    # arrays: fill, then sum the even elements
    """fun f{i}(n) {{
    let mut a = [0; n]
    for j in 0..n {{ a[j] = j * {c} + {k} }}
    let mut t = 0
    for v in a {{
        if v % 2 == 0 {{ t += v }}
    }}
    t
}}""",
    # a call to an earlier function, in a loop
    """fun f{i}(n) {{
    let mut acc = 0
    let mut j = 0
    while j < n {{
        acc += f{p}(j % 7) % 1000
        j += 1
    }}
    if acc > {c} {{ acc - {k} }} else {{ acc }}
}}""",
)


def _call(i: int, template: int) -> str:
    return f"f{i}(2.5)" if template == 2 else f"f{i}({5 + i % 7})"


def mixed_program(n: int, seed: int = 1) -> str:
    """``n`` small functions of varied shape and a top level that calls each once."""
    rng = random.Random(seed)
    out: list[str] = []
    calls: list[str] = []
    kinds: list[int] = []
    for i in range(n):
        t = i % len(TEMPLATES)
        # a call needs an earlier int function (kinds 0, 1, 3, 4); the first falls back
        earlier = [j for j in range(i) if kinds[j] != 2]
        if t == 4 and not earlier:
            t = 0
        p = rng.choice(earlier[-8:]) if t == 4 else 0
        kinds.append(t)
        out.append(TEMPLATES[t].format(i=i, p=p, c=rng.randint(2, 9), k=rng.randint(0, 2)))
        calls.append(f"println({_call(i, t)})")
    return "\n\n".join(out) + "\n\n" + "\n".join(calls) + "\n"


def loops_program(n: int, seed: int = 1) -> str:
    """``n`` functions that are each a loop with a branch, called with a large trip count
    (the shape that first showed tier 2 growing superlinearly)."""
    out = [TEMPLATES[0].format(i=i, p=0, c=2 + i % 7, k=i % 3) for i in range(n)]
    calls = [f"println(f{i}({100 + i}))" for i in range(n)]
    return "\n\n".join(out) + "\n\n" + "\n".join(calls) + "\n"


def chain_program(n: int, seed: int = 1) -> str:
    """``n`` functions each calling the one before it (``f{i}(x) = f{i-1}(x) + ...``),
    the top level calling the last: the shape that showed tier 2's compile time growing
    quadratically (issue 19)."""
    out = ["fun f0(x: i64) -> i64 {\n    x + 1\n}"]
    for i in range(1, n):
        out.append(f"fun f{i}(x: i64) -> i64 {{\n    f{i - 1}(x) % 1000003 + {i % 7 + 1}\n}}")
    return "\n\n".join(out) + f"\n\nprintln(f{n - 1}(1))\n"


def gen_program(size: int, seed: int) -> str:
    """What tools/ruchy_gen.py generates for ``size``."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    from ruchy_gen import generate_program
    return generate_program(random.Random(seed), size)


def program(kind: str, n: int, seed: int) -> str:
    if kind == "mixed":
        return mixed_program(n, seed)
    if kind == "chain":
        return chain_program(n, seed)
    return loops_program(n, seed) if kind == "loops" else gen_program(n, seed)


# --- the child: one compile, timed -----------------------------------------------------

def child(kind: str, n: int, seed: int, tier: int, profile: Optional[str]) -> dict:
    """Compile one program in this (fresh) process; its phase times in seconds."""
    t_start = time.perf_counter()
    sys.path.insert(0, ROOT)
    from ruchy_opt.errors import SourceFile
    from ruchy_opt.codegen.compiler import CompileOptions, NotCompilable, compile_source
    from ruchy_opt.codegen import engine
    engine.init()
    t_imports = time.perf_counter() - t_start
    text = program(kind, n, seed)
    src = SourceFile(f"bench_{kind}_{n}.ruchy", text)
    opts = CompileOptions(tier=tier)
    prof = None
    if profile:
        import cProfile
        prof = cProfile.Profile()
        prof.enable()
    cpu0 = time.process_time()
    try:
        c = compile_source(src, opts)
    except NotCompilable as e:
        return {"error": "not compilable: " + "; ".join(e.reasons)[:200]}
    t0 = time.perf_counter()
    engine.emit_object(c.module, opt=c.codegen_level)  # as run --tier=N
    times = dict(c.times)
    times["machine-code"] = time.perf_counter() - t0
    # the processor time of the whole compile: what a loaded machine disturbs least
    times["cpu"] = time.process_time() - cpu0
    if prof is not None:
        prof.disable()
        prof.dump_stats(profile)
    # functions of the source (after inlining at tier 2 fewer are left to count)
    functions = len(re.findall(r"^\s*(?:fun|fn)\s", text, re.M))
    return {"times": times, "imports": t_imports, "functions": functions,
            "specialisations": len(c.program.reachable), "lines": text.count("\n")}


def run_child(kind: str, n: int, seed: int, tier: int, profile: Optional[str] = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="ruchy-ct-") as cache:
        env = dict(os.environ, RUCHY_OPT_CACHE_DIR=cache)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cmd = [sys.executable, os.path.abspath(__file__), "--child", kind, str(n), str(seed),
               str(tier)] + (["--profile-out", profile] if profile else [])
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if r.returncode != 0:
        return {"error": (r.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(r.stdout.strip().splitlines()[-1])


# --- the parent: the table -------------------------------------------------------------

def median_result(results: list[dict], stat=statistics.median) -> dict:
    """The runs of one point summed up by ``stat`` (the median, or min), phase by phase."""
    ok = [r for r in results if "times" in r]
    if not ok:
        return results[0]
    times = {ph: stat(r["times"].get(ph, 0.0) for r in ok) for ph in PHASES}
    times["total"] = stat(sum(v for k, v in r["times"].items() if k != "cpu") for r in ok)
    # what the tiered JIT pays per compile: it starts from the program already parsed
    times["compile"] = stat(
        sum(v for k, v in r["times"].items() if k not in ("cpu", "parse")) for r in ok)
    times["cpu"] = stat(r["times"].get("cpu", 0.0) for r in ok)
    return {**ok[0], "times": times, "imports": stat(r["imports"] for r in ok)}


def table(tier: int, kind: str, rows: list[tuple[int, dict]]) -> str:
    cols = [ph for ph in PHASES if any(r.get("times", {}).get(ph) for _, r in rows)]
    cols += ["total", "compile", "cpu"]
    head = f"{'N':>5} {'funcs':>5} " + " ".join(f"{c:>12}" for c in cols)
    lines = [f"tier {tier}, {kind} programs (ms; imports excluded)", head, "-" * len(head)]
    for n, r in rows:
        if "times" not in r:
            lines.append(f"{n:>5}  {r['error']}")
            continue
        lines.append(f"{n:>5} {r['functions']:>5} "
                     + " ".join(f"{r['times'][c] * 1000:>12.1f}" for c in cols))
    ok = [(n, r) for n, r in rows if "times" in r]
    if len(ok) >= 2 and ok[-1][1]["functions"] > ok[0][1]["functions"]:
        (_, a), (_, b) = ok[0], ok[-1]
        df = b["functions"] - a["functions"]
        lines.append(f"{'per function':>11} "
                     + " ".join(f"{(b['times'][c] - a['times'][c]) * 1000 / df:>12.2f}"
                                for c in cols))
        imports = statistics.median(r["imports"] for _, r in ok)
        lines.append(f"(imports and LLVM initialisation: {imports * 1000:.0f} ms per process)")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tiers", default="1,2")
    p.add_argument("--sizes", default="1,25,100",
                   help="numbers of functions (mixed) or of top-level statements (gen)")
    p.add_argument("--kind", choices=["mixed", "loops", "chain", "gen"], default="mixed")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=1, help="runs per point")
    p.add_argument("--stat", choices=["median", "min"], default="median",
                   help="how the runs of a point are summed up")
    p.add_argument("--show", type=int, metavar="N", help="print the program of size N")
    p.add_argument("--profile", metavar="TIER:N",
                   help="cProfile one compile and print the top functions")
    p.add_argument("--json", metavar="FILE", help="also write the table's times as JSON")
    p.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    p.add_argument("--profile-out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        kind, n, seed, tier = args.child
        print(json.dumps(child(kind, int(n), int(seed), int(tier), args.profile_out)))
        return 0
    if args.show is not None:
        sys.stdout.write(program(args.kind, args.show, args.seed))
        return 0
    if args.profile:
        import pstats
        tier, n = (int(x) for x in args.profile.split(":"))
        out = os.path.join(tempfile.gettempdir(), f"ruchy-ct-{os.getpid()}.prof")
        r = run_child(args.kind, n, args.seed, tier, out)
        if "error" in r:
            print(r["error"])
            return 1
        pstats.Stats(out).sort_stats("cumulative").print_stats(40)
        pstats.Stats(out).sort_stats("tottime").print_stats(25)
        os.unlink(out)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    report: dict = {}
    stat = min if args.stat == "min" else statistics.median
    for tier in (int(t) for t in args.tiers.split(",")):
        rows = []
        for n in sizes:
            r = median_result([run_child(args.kind, n, args.seed, tier)
                               for _ in range(args.repeat)], stat)
            rows.append((n, r))
        print(table(tier, args.kind, rows), flush=True)
        print()
        report[f"tier{tier}"] = {str(n): r for n, r in rows}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

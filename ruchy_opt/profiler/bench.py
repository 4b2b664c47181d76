"""``ruchy-opt bench``: whole-process runs of one program at several tiers, alternating
between tiers so that machine noise spreads evenly, with min/median/max and ratios."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time


def _command(tier: str, path: str) -> list[str]:
    exe = os.path.join(os.path.dirname(sys.executable), "ruchy-opt")
    base = [exe] if os.path.exists(exe) else [sys.executable, "-m", "ruchy_opt.cli"]
    return base + ["run", f"--tier={tier}", path]


def run_bench(path: str, tiers: list[str], runs: int) -> int:
    """Print a table of wall times per tier; ratios are to the first tier."""
    times: dict[str, list[float]] = {t: [] for t in tiers}
    outputs: dict[str, bytes] = {}
    for _ in range(runs):
        for t in tiers:
            start = time.perf_counter()
            proc = subprocess.run(_command(t, path), stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL)
            times[t].append(time.perf_counter() - start)
            outputs.setdefault(t, proc.stdout)
            if proc.stdout != outputs[t]:
                print(f"warning: tier {t} printed different output across runs",
                      file=sys.stderr)
    first = statistics.median(times[tiers[0]])
    print(f"{'tier':<6}{'min (s)':>10}{'median (s)':>12}{'max (s)':>10}{'ratio':>8}")
    for t in tiers:
        med = statistics.median(times[t])
        print(f"{t:<6}{min(times[t]):>10.3f}{med:>12.3f}{max(times[t]):>10.3f}"
              f"{med / first:>7.2f}x")
    if len(set(outputs.values())) > 1:
        print("warning: the tiers printed different output", file=sys.stderr)
        return 1
    return 0

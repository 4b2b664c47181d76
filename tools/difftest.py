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
    .venv/bin/python tools/difftest.py --seeds 0:200 --structs \
        --configs ir,ir-O2,ir-sroa,ir-pipe,ir-each
                                            # the Level 3 the IR has: structs, enums,
                                            # closures, through the IR and its passes
    .venv/bin/python tools/difftest.py --seeds 0:100 --sums
                                            # and recursions that add what they return

Configurations: ``t1``, ``t2`` (``run --tier=1|2``), ``jit0`` (auto with
``--jit-scale=0``: everything compiled at once), ``jitosr`` (auto with small
thresholds, so hot loops are entered by OSR mid-run), ``auto`` (auto with the default
policy), and the IR interpreter as the oracle of passes: ``ir`` (``run --tier=ir``),
``ir-O2`` (after ``-O2``), ``ir-sroa`` (inline, sroa, sccp, constfold, dce) and
``ir-pipe`` (a random pipeline of every built-in pass, drawn from the seed), the three
with ``--verify-each``, and ``ir-each``: every built-in pass of the registry alone (but
``verify`` and ``print``, which preserve everything), one run each on the module
lowered afresh, verified after it; it disagrees if any of them does, and its record and
report name those passes. ``--level3`` and ``--structs`` add the IR configurations to
the default ones.
A program the IR does not have yet (``... is not in the IR yet``) is not a
disagreement for them: it is counted apart. A disagreement is written to ``--out``
with both outputs, and the command that shrinks it (tools/reduce.py) is printed. A run
that times out where tier 0 did not (or tier 0's own timeout) is counted as a timeout,
not as a disagreement, and its program is kept too. The exit status is 1 if any
disagreed, 130 after Ctrl-C.

Tier 0 and the IR interpreter run in worker processes (tools/difftest_inproc.py), each
serving run after run in-process through the same entry point as ``ruchy-opt run``
(output, messages and exit status captured as a process's, global state restored
after each run, a program lowered once for all its IR runs); a run past ``--timeout``
has its worker killed and replaced. ``--subprocess`` runs them in a process per run
instead, as the compiled tiers always are. On the 20 programs of ``--structs --seeds
900000:900020 --configs ir,ir-O2,ir-sroa,ir-pipe,ir-each --jobs 1``, on a machine with
a load of ~11 on 2 cores: 8.2 programs a minute (147 s; 1.6 s of CPU a program), where a
process per run did 0.9 (``--subprocess --limit 3``: 3 programs in 202 s; 14 s of CPU a
program). tests/tools/test_difftest_inproc.py checks that both print the same bytes.

A long campaign (the programs run ``--jobs`` at a time, a worker each):

    .venv/bin/python tools/difftest.py --seeds 0:5000 --state camp.jsonl --reduce

``--state FILE`` records every program x configuration done and its outcome; the same
command run again (after Ctrl-C, a kill, a reboot) does only what is left and reports
the totals of the whole campaign. ``--limit N`` does at most N programs per command.
``--reduce`` shrinks each disagreement with tools/reduce.py (while tier 0 and that
configuration still disagree in the same way) and writes it to ``tests/regressions/``
with tier 0's output, where tests/test_regressions.py checks it: a failing test until
the bug is fixed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from functools import lru_cache
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
if str(ROOT) not in sys.path:  # the registry ir-each asks: this checkout's, as the runs'
    sys.path.insert(1, str(ROOT))
from ruchy_gen import generate_program  # noqa: E402
import ruchy_gen_structs  # noqa: E402
from difftest_inproc import Interrupted, WorkerPool, in_process_tier  # noqa: E402

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
    "ir-each": ["--tier=ir", "--verify-each"],  # and --passes=P, for each pass P alone
}
IR_CONFIGS = ["ir", "ir-O2", "ir-sroa", "ir-pipe", "ir-each"]
#: what ``ir-pipe`` draws its pipelines from
PIPE_PIECES = ["typespec", "constfold", "sccp", "dce", "adce", "inline", "unroll",
               "unroll<count=2>", "simplifycfg", "gvn", "licm", "sroa", "devirt"]
#: the oracle every configuration is compared with: tier 0, for the IR ones too
ORACLE = ["--tier=0"]
#: where ``--reduce`` writes its tests by default (tests/test_regressions.py runs them)
REGRESSIONS = ROOT / "tests" / "regressions"
#: the outcomes of one program under one configuration
AGREE, MISMATCH, TIMEOUT, REFUSED = "agree", "mismatch", "timeout", "refused"
#: the first line of a refusal by the IR (lower/level3.py), not a disagreement
NOT_IN_IR = "is not in the IR yet"


def pipeline_for(seed: int) -> str:
    """The random pipeline ``ir-pipe`` runs on the program of ``seed``."""
    rng = random.Random(f"pipe{seed}")
    return ",".join(rng.choice(PIPE_PIECES) for _ in range(rng.randint(3, 8)))


@lru_cache(maxsize=None)
def each_passes() -> tuple[str, ...]:
    """The passes ``ir-each`` runs one at a time: every built-in pass of the registry
    but those that preserve everything (``verify``, ``print``: they do not transform)."""
    from ruchy_opt.passmgr.api import PRESERVES_ALL
    from ruchy_opt.passmgr.registry import Registry
    return tuple(i.name for i in Registry(use_entry_points=False).all()
                 if i.origin == "built-in" and i.cls.preserves != PRESERVES_ALL)


def runs_of(name: str, seed: int) -> list[tuple[str, list[str]]]:
    """The runs configuration ``name`` makes of the program of ``seed``: (what each is,
    its ``ruchy-opt run`` options). One, but for ``ir-each``: one per pass, each on the
    module lowered afresh, verified after the pass."""
    if name == "ir-each":
        return [(p, CONFIGS[name] + [f"--passes={p}"]) for p in each_passes()]
    return [("", options_for(name, seed))]


def refused_by_ir(result: tuple) -> bool:
    """Whether a run stopped at a construct the IR does not have yet."""
    return result[0] == 1 and NOT_IN_IR in result[2].split("\n", 1)[0]


#: (status, stdout, stderr) of one run; status is "timeout" when it took too long
Result = tuple


# Interrupted (from difftest_inproc): the campaign is stopping (Ctrl-C); the run in
# progress was killed, its outcome means nothing and must not be recorded.


class Runner:
    """Runs ``ruchy-opt run`` in child processes and can kill all of them at once.

    Each child gets a session of its own, so a Ctrl-C at the terminal reaches only the
    campaign, which then kills the children's whole process groups (their own children
    too) and waits for them: nothing is left running, and no run half-killed by the
    signal is mistaken for an outcome.

    With a ``pool`` (difftest_inproc.WorkerPool, see use_workers), the runs of tier 0
    and the IR go to its worker processes instead, many runs per process: the same
    outcomes without a Python start-up per run."""

    def __init__(self, cache: str, timeout: float) -> None:
        self.cache = cache
        self.timeout = timeout
        self.pool: Optional[WorkerPool] = None
        self._lock = threading.Lock()
        self._live: set[subprocess.Popen] = set()
        self._stopping = False

    def env(self) -> dict[str, str]:
        """The environment of every run (and worker)."""
        env = dict(os.environ, RUCHY_OPT_CACHE_DIR=self.cache, RUCHY_OPT_JIT_REMEMBER="0")
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        return env

    def use_workers(self, label: str = "") -> None:
        """Run tier 0 and the IR in worker processes (``label`` on their command
        lines, to tell whose they are)."""
        self.pool = WorkerPool(self.env(), self.timeout, Path(self.cache), label)

    def __call__(self, options: list[str], path: Path, cwd: Optional[Path] = None,
                 timeout: Optional[float] = None) -> Result:
        """(status, stdout, stderr) of ``ruchy-opt run OPTIONS PATH`` in ``cwd`` (the
        repository by default), within ``timeout`` seconds (at most the runner's);
        raises Interrupted once stop() was called."""
        if self.pool is not None and in_process_tier(options):
            return self.pool(options, path, cwd, timeout)
        return self.in_child(options, path, cwd, timeout)

    def in_child(self, options: list[str], path: Path, cwd: Optional[Path] = None,
                 timeout: Optional[float] = None) -> Result:
        """The run of __call__ in a child process of its own (always, with or without a
        pool)."""
        env = self.env()
        cmd = [sys.executable, "-m", "ruchy_opt.launch", "run", *options, str(path)]
        # checking the flag and registering the child under one lock: stop() cannot
        # run between them and miss a child that starts just after it
        with self._lock:
            if self._stopping:
                raise Interrupted
            p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=env, cwd=cwd or ROOT,
                                 start_new_session=True)
            self._live.add(p)
        try:
            try:
                out, err = p.communicate(timeout=min(timeout or self.timeout, self.timeout))
            except subprocess.TimeoutExpired:
                _kill_group(p)
                p.communicate()
                return ("timeout", "", "")
        finally:
            with self._lock:
                self._live.discard(p)
        if self._stopping:
            raise Interrupted
        return (p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))

    def stop(self) -> None:
        """Kill every run in progress; later calls raise Interrupted."""
        with self._lock:
            self._stopping = True
            live = list(self._live)
        for p in live:
            _kill_group(p)
        if self.pool is not None:
            self.pool.stop()

    def close(self) -> None:
        """End the workers, if any (the campaign is over)."""
        if self.pool is not None:
            self.pool.close()


def _kill_group(p: subprocess.Popen) -> None:
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # it ended already


def run(options: list[str], path: Path, cache: str, timeout: float) -> Result:
    """(status, stdout, stderr) of ``ruchy-opt run OPTIONS PATH``."""
    return Runner(cache, timeout)(options, path)


@dataclass(frozen=True)
class Generator:
    """How the programs are drawn from their seeds (what a campaign's state is tied to)."""

    size: int = 20
    opaque: bool = False
    value_loops: bool = False
    level3: bool = False
    closures: bool = False
    structs: bool = False
    sums: bool = False

    def program(self, seed: int) -> str:
        """The program of ``seed``."""
        if self.structs:
            return ruchy_gen_structs.generate_program(random.Random(seed))
        return generate_program(random.Random(seed), self.size, opaque_literals=self.opaque,
                                value_loops=self.value_loops, level3=self.level3,
                                closures=self.closures, sums=self.sums)

    def params(self) -> dict:
        """What a campaign's state records of it (``sums`` only when on, so that states
        recorded before it existed still resume)."""
        return {k: v for k, v in asdict(self).items() if k != "sums" or v}


def options_for(name: str, seed: int) -> list[str]:
    """The ``ruchy-opt run`` options of configuration ``name`` on the program of ``seed``."""
    return CONFIGS[name] + ([f"--passes={pipeline_for(seed)}"] if name == "ir-pipe" else [])


def classify(name: str, want: Result, got: Result) -> str:
    """The outcome of configuration ``name`` printing ``got`` where tier 0 printed ``want``."""
    if name in IR_CONFIGS and refused_by_ir(got):
        return REFUSED
    if want[0] == "timeout" or got[0] == "timeout":
        return TIMEOUT
    return AGREE if got == want else MISMATCH


def signature(want: Result, got: Result) -> tuple:
    """What a disagreement is, for the reducer to keep: both statuses, and which of stdout
    and stderr differ (so that shrinking a wrong output does not drift to a crash)."""
    return (want[0], got[0], want[1] == got[1], want[2] == got[2])


#: rejected candidates after which reduce_mismatch checks that the disagreement remains
RECHECK_EVERY = 40


def reduce_mismatch(text: str, name: str, seed: int, want: Result, got: Result,
                    runner: Callable[..., Result], work: Path,
                    timeout: Optional[float] = None,
                    options: Optional[list[str]] = None) -> str:
    """``text`` shrunk by tools/reduce.py while tier 0 and configuration ``name`` (run
    with ``options``, by default its own) still disagree on it as they did (same
    signature()), each run within ``timeout`` seconds. ValueError if they no longer
    do, at the start or while it reduces."""
    import reduce as R  # the parser it needs is only loaded when there is work for it
    path = work / f"gen{seed}.{name}.reducing.ruchy"
    options = options if options is not None else options_for(name, seed)
    wanted = signature(want, got)

    def disagree(candidate: str) -> bool:
        path.write_text(candidate, encoding="utf-8")
        w, g = runner(ORACLE, path, timeout=timeout), runner(options, path, timeout=timeout)
        return classify(name, w, g) == MISMATCH and signature(w, g) == wanted

    # reduce_text takes the first interesting candidate: the last one is its current text
    best, misses = [text], [0]

    def interesting(candidate: str) -> bool:
        if disagree(candidate):
            best[0], misses[0] = candidate, 0
            return True
        misses[0] += 1
        # a flaky disagreement (or a compiler changed under the campaign) would have the
        # reducer try every edit in vain: check now and then that it still happens
        if misses[0] % RECHECK_EVERY == 0 and not disagree(best[0]):
            raise ValueError("the disagreement went away while reducing")
        return False

    try:
        return R.reduce_text(text, interesting)
    finally:
        path.unlink(missing_ok=True)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_regression(text: str, name: str, seed: int, gen: Generator,
                     runner: Callable[..., Result], into: Path,
                     options: Optional[list[str]] = None) -> Path:
    """Write ``text`` (a program configuration ``name`` runs differently from tier 0,
    with ``options``: by default its own) into ``into`` as a test for
    tests/test_regressions.py: ``STEM.ruchy`` and ``STEM.json`` with the options to
    run it with and tier 0's output, the expected one. The stem (configuration, seed,
    hash of the text) keeps two disagreements apart. Returns the ``.json`` path."""
    into.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    stem = f"{name}-seed{seed}-{digest}"
    prog = into / f"{stem}.ruchy"
    _write_atomically(prog, text)
    # run as the test will, from the directory and by file name: the messages name it so
    options = options if options is not None else options_for(name, seed)
    want = runner(ORACLE, Path(prog.name), cwd=into)
    got = runner(options, Path(prog.name), cwd=into)
    meta = {
        "program": prog.name,
        "oracle": ORACLE,
        "expected": {"status": want[0], "stdout": want[1], "stderr": want[2]},
        "runs": [{"config": name, "options": options}],
        "found": {"by": "tools/difftest.py --reduce", "seed": seed, "generator": gen.params(),
                  "config_printed": {"status": got[0], "stdout": got[1], "stderr": got[2]}},
    }
    meta_path = into / f"{stem}.json"
    _write_atomically(meta_path, json.dumps(meta, indent=1, sort_keys=True) + "\n")
    return meta_path


def check_regression(meta_path: Path, runner: Callable[..., Result]) -> Optional[str]:
    """None if the program of a regression test (written by write_regression) runs under
    every configuration recorded for it as the oracle ran it; otherwise what differs."""
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    exp = meta["expected"]
    want = (exp["status"], exp["stdout"], exp["stderr"])
    problems = []
    for r in meta["runs"]:
        got = runner(r["options"], Path(meta["program"]), cwd=meta_path.parent)
        if got != want:
            problems.append(f"{r['config']} ({' '.join(r['options'])}): status {got[0]} "
                            f"(expected {want[0]})\n--- stdout\n{got[1]}--- expected stdout\n"
                            f"{want[1]}--- stderr\n{got[2]}--- expected stderr\n{want[2]}")
    return "\n".join(problems) or None


def run_config(name: str, seed: int, path: Path, want: Result,
               runner: Callable[..., Result]) -> tuple[str, Result, list[str], list[str]]:
    """Run configuration ``name`` on the program at ``path`` (of ``seed``), which printed
    ``want`` at tier 0: its outcome, what it printed, the options of that run, and for
    ``ir-each`` the passes after which it disagreed or timed out. Of several runs, the
    outcome is the worst (a mismatch, else a timeout), what it printed that of the first
    run with that outcome; a refusal (the IR does not have the program: lowering, before
    any pass) ends them."""
    found: dict[str, list[tuple[str, Result, list[str]]]] = {MISMATCH: [], TIMEOUT: []}
    first: Optional[tuple[Result, list[str]]] = None
    for label, options in runs_of(name, seed):
        got = runner(options, path)
        outcome = classify(name, want, got)
        if outcome == REFUSED:
            return REFUSED, got, options, []
        first = first or (got, options)
        if outcome in found:
            found[outcome].append((label, got, options))
    for outcome in (MISMATCH, TIMEOUT):
        if found[outcome]:
            _, got, options = found[outcome][0]
            return outcome, got, options, [label for label, _, _ in found[outcome] if label]
    assert first is not None
    return AGREE, first[0], first[1], []


def check(seed: int, gen: Generator, configs: list[str], work: Path,
          runner: Callable[..., Result], regressions: Optional[Path] = None) -> list[dict]:
    """Run the program of ``seed`` at tier 0 and under ``configs``: one record per
    configuration (its outcome, and where the program and the diff were kept). With
    ``regressions``, each disagreement is reduced and written there as a test."""
    text = gen.program(seed)
    path = work / f"gen{seed}.ruchy"
    path.write_text(text, encoding="utf-8")
    records = []
    try:
        started = time.monotonic()
        want = runner(ORACLE, path)
        oracle_secs = time.monotonic() - started
        for name in configs:
            started = time.monotonic()
            outcome, got, options, passes = run_config(name, seed, path, want, runner)
            rec = {"seed": seed, "config": name, "outcome": outcome,
                   "secs": round(time.monotonic() - started, 3)}
            if passes:
                rec["passes"] = passes
            if outcome in (MISMATCH, TIMEOUT):
                report = work / f"gen{seed}.{name}.diff.txt"
                report.write_text(f"tier 0: status {want[0]}\n--- stdout\n{want[1]}--- stderr"
                                  f"\n{want[2]}\n{name}: status {got[0]}"
                                  f" ({' '.join(options)})\n--- stdout\n"
                                  f"{got[1]}--- stderr\n{got[2]}", encoding="utf-8")
                rec["kept"] = str(path)
            if outcome == MISMATCH and regressions is not None:
                try:
                    # the reducer makes endless loops (`while true`): a candidate may
                    # take a few times what the whole program took, not the full timeout
                    secs = oracle_secs + rec["secs"]
                    small = reduce_mismatch(text, name, seed, want, got, runner, work,
                                            timeout=max(10.0, 5 * secs), options=options)
                except ValueError:  # it did not happen again: nothing to write a test of
                    rec["regression"] = None
                else:
                    rec["regression"] = str(write_regression(small, name, seed, gen, runner,
                                                             regressions, options))
            records.append(rec)
    except BaseException:  # stopped half-way: leave no trace of this program
        path.unlink(missing_ok=True)
        for name in configs:
            (work / f"gen{seed}.{name}.diff.txt").unlink(missing_ok=True)
        raise
    if not any("kept" in r for r in records):
        path.unlink()
    return records


class State:
    """The record of a campaign: which programs x configurations are done, and how.

    A JSON-lines file: a header with the generator's parameters, then one line per
    program x configuration. A finished program's lines are appended in one write() and
    synced, so an interruption at any moment (even of the machine) leaves whole records
    followed at worst by a torn last line, which loading drops (that program runs
    again). Without a file the record is kept in memory only."""

    def __init__(self, path: Optional[Path], gen: Generator) -> None:
        self.path = path
        self.params = gen.params()
        self.records: dict[tuple[int, str], dict] = {}
        if path is not None:
            self._load()

    def _load(self) -> None:
        assert self.path is not None
        header = {"campaign": "tools/difftest.py", "generator": self.params}
        if not self.path.exists():
            _write_atomically(self.path, json.dumps(header) + "\n")
            return
        lines = self.path.read_text(encoding="utf-8").split("\n")
        good: list[str] = []
        for line in lines:
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                break  # a torn last record (or the empty string after the last newline)
            good.append(line)
            if "seed" in item:
                self.records[(item["seed"], item["config"])] = item
            elif item.get("generator") != self.params:
                raise ValueError(f"{self.path} is the state of a campaign over other programs "
                                 f"({item.get('generator')}); use another --state file")
        if not good:
            good = [json.dumps(header)]
        if len(good) != len([ln for ln in lines if ln]):  # drop the torn tail for good
            _write_atomically(self.path, "\n".join(good) + "\n")

    def add(self, records: list[dict]) -> None:
        """Record ``records`` (one program's), durably when there is a file."""
        if self.path is not None and records:
            data = "".join(json.dumps(r, sort_keys=True) + "\n" for r in records).encode()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
        for r in records:
            self.records[(r["seed"], r["config"])] = r


@dataclass
class Totals:
    """What a campaign over some seeds and configurations has found so far."""

    programs: int
    configs: list[str]
    runs: int
    done: int
    agreements: int
    mismatches: int
    timeouts: int
    refused: int
    disagreeing: list[int]  # seeds with a mismatch
    refused_programs: int

    @classmethod
    def of(cls, state: State, seeds: range, configs: list[str]) -> "Totals":
        """The totals of ``state`` over ``seeds`` x ``configs``."""
        recs = [state.records[(s, c)] for s in seeds for c in configs
                if (s, c) in state.records]
        count = {o: sum(r["outcome"] == o for r in recs)
                 for o in (AGREE, MISMATCH, TIMEOUT, REFUSED)}
        return cls(programs=len(seeds), configs=configs, runs=len(seeds) * len(configs),
                   done=len(recs), agreements=count[AGREE], mismatches=count[MISMATCH],
                   timeouts=count[TIMEOUT], refused=count[REFUSED],
                   disagreeing=sorted({r["seed"] for r in recs if r["outcome"] == MISMATCH}),
                   refused_programs=len({r["seed"] for r in recs if r["outcome"] == REFUSED}))

    def table(self, elapsed: float, resumed: int, state: Optional[Path]) -> str:
        """The summary printed at the end."""
        left = self.runs - self.done
        rows = [
            ("programs", self.programs, ""),
            ("configurations", len(self.configs), ", ".join(self.configs)),
            ("runs", self.done, f"of {self.runs}" + (f", {left} left" if left else "")
             + " (program x configuration, besides tier 0's)"),
            ("agreements", self.agreements, ""),
            ("mismatches", self.mismatches,
             f"in {len(self.disagreeing)} programs" if self.mismatches else ""),
            ("timeouts", self.timeouts, ""),
            ("not in the IR", self.refused, "") if self.refused else None,
            ("time", f"{elapsed:.1f} s", "this command"
             + (f"; {resumed} runs were done before, read from {state}" if resumed else "")),
        ]
        lines = ["campaign summary"]
        for row in rows:
            if row is not None:
                lines.append(f"  {row[0]:<16}{str(row[1]):>8}  {row[2]}".rstrip())
        return "\n".join(lines)


def _hint(seed: int, bad: list[str], out: Path) -> str:
    if bad[0] in ("t1", "t2"):
        return (f"shrink with: .venv/bin/python tools/reduce.py {out / f'gen{seed}.ruchy'} "
                f"--tiers 0,{bad[0][1]}")
    return f"outputs in {out}/gen{seed}.{bad[0]}.diff.txt"


def _report(records: list[dict], out: Path) -> None:
    """The lines printed as a program's outcomes come in."""
    seed = records[0]["seed"]
    bad = [r["config"] for r in records if r["outcome"] == MISMATCH]
    if bad:
        regs = [r["regression"] for r in records if r.get("regression")]
        hint = (f"reduced: {', '.join(regs)}" if regs else _hint(seed, bad, out))
        which = [r["config"] + (f" (after {', '.join(r['passes'])})" if r.get("passes")
                                else "") for r in records if r["outcome"] == MISMATCH]
        print(f"seed {seed}: {', '.join(which)} disagree with tier 0; {hint}", flush=True)
    slow = [r["config"] for r in records if r["outcome"] == TIMEOUT]
    if slow:
        print(f"seed {seed}: {', '.join(slow)} timed out (see {out}/gen{seed}.*.diff.txt)",
              flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="0:100", help="A:B, the seeds A..B-1 (default 0:100)")
    ap.add_argument("--size", type=int, default=20, help="top-level statements (about)")
    ap.add_argument("--configs", default=None,
                    help=f"comma-separated, of {', '.join(CONFIGS)} (default t1,t2,jit0,"
                         "jitosr, and the ir ones with --level3 or --structs)")
    ap.add_argument("--opaque", action="store_true",
                    help="pass every literal through an identity function")
    ap.add_argument("--value-loops", action="store_true",
                    help="also loops in expression position (ruchy_gen.py --value-loops)")
    ap.add_argument("--level3", action="store_true",
                    help="also structs, tuples, enums and Options (ruchy_gen.py --level3)")
    ap.add_argument("--closures", action="store_true",
                    help="also closures, iterator chains and maps (ruchy_gen.py --closures)")
    ap.add_argument("--sums", action="store_true",
                    help="also a recursion that adds what it returns (ruchy_gen.py --sums)")
    ap.add_argument("--structs", action="store_true",
                    help="programs of what the IR has of Level 3: structs, tuples, enums, "
                    "closures (ruchy_gen_structs.py)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                    help="programs run at the same time (default: the number of CPUs)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per run")
    ap.add_argument("--subprocess", action="store_true",
                    help="run tier 0 and the IR in a process per run, as the compiled "
                         "tiers (by default worker processes run many each: faster, "
                         "the same outcomes)")
    ap.add_argument("--out", default="difftest-failures",
                    help="where disagreeing programs are kept")
    ap.add_argument("--state", default=None, metavar="FILE",
                    help="record what is done in FILE (JSON lines); the same command again "
                         "resumes the campaign where it stopped")
    ap.add_argument("--limit", type=int, default=None, metavar="N",
                    help="run at most N programs this time (with --state: a campaign in "
                         "slices)")
    ap.add_argument("--reduce", action="store_true",
                    help="shrink each disagreement (tools/reduce.py) and write it as a "
                         "test into --regressions")
    ap.add_argument("--regressions", default=str(REGRESSIONS), metavar="DIR",
                    help="where --reduce writes its tests (default tests/regressions)")
    a = ap.parse_args(argv)
    lo, _, hi = a.seeds.partition(":")
    seeds = range(int(lo), int(hi)) if hi else range(int(lo), int(lo) + 1)
    default = "t1,t2,jit0,jitosr" + ("," + ",".join(IR_CONFIGS) if a.level3 or a.structs
                                     else "")
    configs = [c for c in (a.configs or default).split(",") if c]
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        ap.error(f"unknown configuration {', '.join(unknown)} (known: {', '.join(CONFIGS)})")
    gen = Generator(a.size, a.opaque, a.value_loops, a.level3, a.closures, a.structs,
                    a.sums)
    state_path = Path(a.state) if a.state else None
    try:
        state = State(state_path, gen)
    except (ValueError, OSError) as e:
        ap.error(str(e))
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    regressions = Path(a.regressions) if a.reduce else None
    resumed = Totals.of(state, seeds, configs).done
    todo = {s: [c for c in configs if (s, c) not in state.records] for s in seeds}
    todo = {s: cs for s, cs in todo.items() if cs}
    if a.limit is not None:
        todo = dict(list(todo.items())[:max(0, a.limit)])
    started = time.monotonic()
    interrupted = False
    # SIGTERM (kill, a machine shutting down) stops the campaign as Ctrl-C does
    in_main = threading.current_thread() is threading.main_thread()
    old_term = signal.signal(signal.SIGTERM, signal.default_int_handler) if in_main else None
    old_int = signal.getsignal(signal.SIGINT) if in_main else None
    try:
        with tempfile.TemporaryDirectory(prefix="ruchy-difftest-") as cache:
            runner = Runner(cache, a.timeout)
            if not a.subprocess and hasattr(runner, "use_workers"):  # (not a test's fake)
                runner.use_workers(label=str(out.resolve()))
            pool = ThreadPoolExecutor(max_workers=max(1, a.jobs))
            try:
                jobs = {pool.submit(check, s, gen, cs, out, runner, regressions): s
                        for s, cs in todo.items()}
                for job in as_completed(jobs):
                    try:
                        records = job.result()
                    except Interrupted:  # stopped: no outcome to record
                        continue
                    state.add(records)
                    _report(records, out)
            except BaseException as e:
                if in_main:  # a second Ctrl-C must not break the clean-up
                    signal.signal(signal.SIGINT, signal.SIG_IGN)
                # kill the runs now: shutting the pool down waits for its workers
                runner.stop()
                if not isinstance(e, KeyboardInterrupt):
                    raise
                interrupted = True
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
                if hasattr(runner, "close"):
                    runner.close()
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, old_term)
            signal.signal(signal.SIGINT, old_int)
    if state_path is not None:  # the totals of what is on disk, what a resume will see
        state = State(state_path, gen)
    t = Totals.of(state, seeds, configs)
    ir = [c for c in configs if c in IR_CONFIGS]
    if interrupted or (t.done < t.runs and state_path is not None):
        print(("interrupted" if interrupted else f"{t.runs - t.done} runs left")
              + (f"; run the same command again to resume from {state_path}"
                 if state_path else ""))
    print(t.table(time.monotonic() - started, resumed, state_path))
    print(f"{t.programs} programs, {len(t.disagreeing)} disagreed"
          + (f" (kept in {out}/)" if t.disagreeing else "")
          + (f"; {t.refused_programs} not in the IR yet (not run through {', '.join(ir)})"
             if ir else ""))
    if interrupted:
        return 130
    return 1 if t.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

"""The in-process runner of tools/difftest.py: ``ruchy-opt run --tier=0|ir ...`` without
a process per run.

A campaign of the IR configurations is mostly Python start-up: each run of ``ruchy-opt
run`` as a process of its own costs ~0.4 s of interpreter start and imports before the
program is even read, more than the run itself. Here a long-lived *worker* process
(this file with ``--worker``) imports the compiler once and serves runs one after
another: each is ``ruchy_opt.launch.main(["run", *options, path])`` - the very entry
point the process would run, so the CLI's own error rendering, exit statuses and
internal-error paths are what is compared - with the standard streams captured as the
process's pipes would have received them, and every piece of global state the run can
change restored afterwards (run_in_process).

The campaign side (:class:`WorkerPool`) hands a run to an idle worker over a pipe and
waits at most the run's timeout for the answer; a worker that does not answer in time
(a generated program may loop forever) is killed with its whole process group and a
fresh one takes the next run. Like difftest.Runner's children, workers live in sessions
of their own: Ctrl-C reaches only the campaign, which kills them (:meth:`stop`).

Only tier 0 and the IR interpreter run here (:func:`in_process_tier`): the compiled
tiers keep a process per run (their native code, caches and crashes are a process's).

Differences from a process, none of which a generated program can see: the worker's
``sys.path[0]`` is the repository (as ``python -m`` from there); a Python traceback
(a crash of the compiler itself, exit status 1) shows the worker's frames instead of
the launcher's, so its text differs, but it disagrees with tier 0 either way; a worker
that dies mid-run (a segfault) reports the signal as a negative status, as
``subprocess`` does, with the output lost.
"""
from __future__ import annotations

import io
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import traceback
import warnings
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
#: the tiers a worker runs (``--tier=T``); every other run keeps its own process
IN_PROCESS_TIERS = ("0", "ir")
#: runs after which a worker is replaced by a fresh one: a bound on what any state a run
#: could leave behind (a cache that grows) can do, at the cost of one start-up per many
RUNS_PER_WORKER = 400

Result = tuple  # (status, stdout, stderr), as difftest.Runner returns


def in_process_tier(options: list[str]) -> bool:
    """Whether ``ruchy-opt run OPTIONS`` is run by a worker: tier 0 and the IR."""
    tiers = [o.split("=", 1)[1] for o in options if o.startswith("--tier=")]
    return len(tiers) == 1 and tiers[0] in IN_PROCESS_TIERS


# --- the worker's side ------------------------------------------------------------------

class LoweringMemo:
    """Parse and lower a program once for all its IR runs: installed in a worker, it
    stands in for ``ruchy_opt.ir.load.lower_ruchy`` (which the CLI's load_module
    calls) and gives each run a deep copy of the module lowered from the same file name
    and text, the first time; the lowered module itself is never handed out, so no run
    sees what a pass did in another. A deep copy costs about half a lowering (parse,
    resolve, lower, verify), and ``ir-each`` lowers a program a dozen times. Only the
    last program is kept; a lowering that fails is not kept (it raises afresh)."""

    def __init__(self) -> None:
        self._key: Optional[tuple[str, str]] = None
        self._module: Any = None
        self._real: Any = None
        self.lowered = 0  # lowerings done (for the tests)

    def install(self) -> None:
        """Stand in for load.lower_ruchy from now on."""
        from ruchy_opt.ir import load
        self._real = load.lower_ruchy
        load.lower_ruchy = self.lower_ruchy

    def lower_ruchy(self, src: Any) -> Any:
        """What load.lower_ruchy returns for ``src``: a copy of the kept lowering."""
        import copy
        key = (src.name, src.text)
        if key != self._key:
            self._key, self._module = None, None  # (if lowering raises: nothing kept)
            self._module = self._real(src)
            self._key = key
            self.lowered += 1
        try:
            return copy.deepcopy(self._module)
        except RecursionError:  # a module too deep to copy so: lower it again instead
            return self._real(src)


def _capture(like: Any) -> io.TextIOWrapper:
    """A stream that encodes as ``like`` (the worker's real stdout or stderr, a pipe as
    the process's would be) into memory."""
    return io.TextIOWrapper(io.BytesIO(), encoding=like.encoding, errors=like.errors)


def _captured(stream: io.TextIOWrapper) -> str:
    """What was written to a _capture() stream, decoded as difftest.Runner decodes a
    child's output."""
    try:
        stream.flush()
    except (ValueError, OSError):
        pass  # closed by the run: its buffer still holds what reached it
    raw = stream.buffer.getvalue() if not stream.buffer.closed else b""  # type: ignore
    return raw.decode("utf-8", "replace")


def _exit_status(code: Any) -> int:
    """The status a process exiting with ``sys.exit(code)`` has (as CPython does it)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)  # sys.exit("message"): printed, status 1
    return 1


def run_in_process(options: list[str], path: str, cwd: Optional[str] = None) -> Result:
    """(status, stdout, stderr) of ``ruchy-opt run OPTIONS PATH`` in ``cwd`` (the
    repository by default), run in this process. Whatever global state the run changes
    (standard streams, recursion limit, working directory, environment, the program's
    arguments, the IR loader's cache) is put back as it was, so that the next run
    starts as a fresh process would."""
    from ruchy_opt import launch
    from ruchy_opt.ir import load
    from ruchy_opt.runtime import io as program_io
    saved_streams = sys.stdout, sys.stderr, sys.stdin
    saved_limit = sys.getrecursionlimit()
    saved_cwd = os.getcwd()
    saved_env = dict(os.environ)
    saved_args = list(program_io.ARGS)
    saved_argv = list(sys.argv)
    out, err = _capture(sys.__stdout__), _capture(sys.__stderr__)
    # catch_warnings puts back any filter a run sets, and (entering it marks the filters
    # changed) makes Python forget which warnings it already showed: each run shows
    # its warnings as a fresh process would
    caught = warnings.catch_warnings()
    caught.__enter__()
    try:
        os.chdir(cwd or ROOT)
        sys.stdout, sys.stderr = out, err
        sys.argv = [sys.argv[0], "run", *options, path]
        try:
            status = _exit_status(launch.main(["run", *options, path]))
        except SystemExit as e:
            status = _exit_status(e.code)
        except BaseException:  # noqa: BLE001 - an uncaught exception ends a process so
            traceback.print_exc()  # (a KeyboardInterrupt cannot reach a worker: its
            status = 1             # own session)
        return (status, _captured(out), _captured(err))
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved_streams
        sys.setrecursionlimit(saved_limit)
        os.chdir(saved_cwd)
        if dict(os.environ) != saved_env:
            os.environ.clear()
            os.environ.update(saved_env)
        program_io.ARGS[:] = saved_args
        sys.argv = saved_argv
        load._cache.clear()  # the module of every file it lowered: memory, not meaning
        caught.__exit__(None, None, None)


def worker_main() -> int:
    """Serve runs: one JSON request a line on stdin (``options``, ``path``, ``cwd``),
    one JSON answer a line on stdout (``status``, ``stdout``, ``stderr``), until EOF."""
    sys.path[0] = str(ROOT)  # as `python -m ruchy_opt.launch` run from the repository
    # the protocol gets the pipes; fds 0 and 1 become /dev/null, as a run's stdin is,
    # so that nothing a run does at the fd level (a child process inheriting them)
    # can read or corrupt the protocol
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    # the imports every run needs, once (as a process start would, before the run)
    import ruchy_opt.cli  # noqa: F401
    import ruchy_opt.launch  # noqa: F401
    LoweringMemo().install()
    answers.write(b'{"ready": true}\n')
    answers.flush()
    for line in requests:
        req = json.loads(line)
        status, out, err = run_in_process(req["options"], req["path"], req.get("cwd"))
        answers.write(json.dumps({"status": status, "stdout": out, "stderr": err})
                      .encode("utf-8") + b"\n")
        answers.flush()
    return 0


# --- the campaign's side ----------------------------------------------------------------

class WorkerDied(Exception):
    """The worker ended without answering (killed, or crashed)."""

    def __init__(self, status: Optional[int]) -> None:
        super().__init__(f"worker ended with status {status}")
        self.status = status


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self, env: dict[str, str], label: str, log: Path) -> None:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", label]
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "wb") as errors:  # a worker's own stderr: only why it failed
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=errors, env=env, cwd=ROOT,
                                         start_new_session=True)
        self.runs = 0
        self.ready = False
        self._buf = bytearray()

    def start(self, timeout: float) -> None:
        """Wait until the worker has imported the compiler; RuntimeError if it fails."""
        try:
            line = self._read_line(time.monotonic() + timeout)
        except WorkerDied as e:
            raise RuntimeError(f"a difftest worker failed to start ({e}):\n"
                               f"{self.log.read_text(errors='replace')}") from None
        if line is None:
            self.kill()
            raise RuntimeError(f"a difftest worker did not start within {timeout} s")
        self.ready = True

    def ask(self, request: dict, timeout: float) -> Optional[dict]:
        """The answer to ``request``; None if it took longer than ``timeout`` seconds
        (the worker is then killed). WorkerDied if the worker ended."""
        assert self.proc.stdin is not None
        self.runs += 1
        try:
            self.proc.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerDied(self._wait()) from None
        line = self._read_line(time.monotonic() + timeout)
        if line is None:
            self.kill()
            return None
        return json.loads(line)

    def _read_line(self, deadline: float) -> Optional[bytes]:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise WorkerDied(self._wait())
            self._buf += chunk
        line, _, rest = bytes(self._buf).partition(b"\n")
        self._buf = bytearray(rest)
        return line

    def _wait(self) -> Optional[int]:
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.proc.returncode

    def kill(self) -> None:
        """Kill the worker and everything it started, and reap it. Its pipes stay open:
        the thread that owns the worker may be reading them (it sees EOF), and closes
        them (discard)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass  # it ended already
        self.proc.wait()

    def discard(self) -> None:
        """Kill the worker and close the pipes to it: by its owner, or when idle."""
        self.kill()
        self._close_pipes()

    def close(self) -> None:
        """End an idle worker: EOF on its requests, then a kill if it lingers."""
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.discard()

    def _close_pipes(self) -> None:
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                if f is not None:
                    f.close()
            except OSError:
                pass


class Interrupted(Exception):
    """stop() was called: the run in progress means nothing (difftest re-exports its own
    Interrupted as this class)."""


class WorkerPool:
    """Runs ``ruchy-opt run OPTIONS PATH`` of tier 0 and the IR in worker processes, one
    run per worker at a time (a campaign thread takes an idle worker, or starts one)."""

    #: seconds a worker may take to start (import the compiler), besides any run's
    START_TIMEOUT = 120.0

    def __init__(self, env: dict[str, str], timeout: float, work: Path,
                 label: str = "") -> None:
        self.env = env
        self.timeout = timeout
        self.work = work  # where the workers' own stderr logs go
        self.label = label or str(work)  # on their command lines: whose workers they are
        self._lock = threading.Lock()
        self._idle: list[Worker] = []
        self._busy: set[Worker] = set()
        self._stopping = False
        self._started = 0

    def __call__(self, options: list[str], path: Path, cwd: Optional[Path] = None,
                 timeout: Optional[float] = None) -> Result:
        """(status, stdout, stderr) as difftest.Runner gives them; ``("timeout", "",
        "")`` past ``timeout`` (at most the pool's). Raises Interrupted after stop()."""
        worker = self._take()
        request = {"options": list(options), "path": str(path),
                   "cwd": str(cwd) if cwd is not None else None}
        limit = min(timeout or self.timeout, self.timeout)
        keep = False
        try:
            try:
                answer = worker.ask(request, limit)
            except WorkerDied as e:
                if self._stopping:
                    raise Interrupted from None
                # as a process killed by a signal: its (negative) status, output lost
                return (e.status if e.status is not None else -1, "",
                        f"difftest: the worker died (status {e.status})\n")
            if self._stopping:
                raise Interrupted
            if answer is None:
                return ("timeout", "", "")
            keep = worker.runs < RUNS_PER_WORKER
            return (answer["status"], answer["stdout"], answer["stderr"])
        finally:
            self._give_back(worker, keep)

    def _take(self) -> Worker:
        with self._lock:
            if self._stopping:
                raise Interrupted
            worker = self._idle.pop() if self._idle else None
            if worker is None:
                self._started += 1
                log = self.work / f"worker{self._started}.log"
                worker = Worker(self.env, self.label, log)
            self._busy.add(worker)
        if not worker.ready:
            try:
                worker.start(self.START_TIMEOUT)
            except BaseException:
                self._give_back(worker, False)
                if self._stopping:
                    raise Interrupted from None
                raise
        return worker

    def _give_back(self, worker: Worker, keep: bool) -> None:
        with self._lock:
            self._busy.discard(worker)
            if keep and not self._stopping:
                self._idle.append(worker)
                return
        worker.discard()  # timed out, died, recycled, or the campaign is stopping

    @property
    def started(self) -> int:
        """Workers started so far (the first, and one after each timeout or recycle)."""
        return self._started

    def stop(self) -> None:
        """Kill every worker; later calls raise Interrupted."""
        with self._lock:
            self._stopping = True
            busy, idle = list(self._busy), self._idle
            self._idle = []
        for w in busy:
            w.kill()  # their threads see them end, raise Interrupted and discard them
        for w in idle:
            w.discard()

    def close(self) -> None:
        """End the idle workers (the campaign is over)."""
        with self._lock:
            workers, self._idle = self._idle, []
        for w in workers:
            w.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        sys.exit(worker_main())
    sys.exit(__doc__)

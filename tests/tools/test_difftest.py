"""tools/difftest.py: the differential-testing campaign, a short bounded run of it, and
that it reports a disagreement (a configuration that differs from tier 0)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import difftest as D  # noqa: E402


def test_a_short_campaign_agrees(tmp_path, capsys):
    status = D.main(["--seeds", "7:9", "--size", "10", "--configs", "t2,jit0",
                     "--jobs", "2", "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "2 programs, 0 disagreed" in out
    assert not list((tmp_path / "out").glob("*.ruchy"))  # agreeing programs are not kept


def test_a_disagreement_is_kept_and_reported(tmp_path, capsys, monkeypatch):
    # --jit-log is refused outside auto mode (status 2): a configuration that disagrees
    monkeypatch.setitem(D.CONFIGS, "broken", ["--tier=0", "--jit-log"])
    status = D.main(["--seeds", "3:4", "--size", "6", "--configs", "broken",
                     "--jobs", "1", "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert status == 1
    assert "seed 3: broken disagree with tier 0" in out
    assert (tmp_path / "out" / "gen3.ruchy").exists()
    assert "status 2" in (tmp_path / "out" / "gen3.broken.diff.txt").read_text()


def test_unknown_configuration_is_refused(tmp_path, capsys):
    try:
        D.main(["--configs", "t9", "--out", str(tmp_path)])
    except SystemExit as e:
        assert e.code == 2
    assert "unknown configuration t9" in capsys.readouterr().err


# --- campaigns: resuming, Ctrl-C, and the regression tests --reduce writes ------------

def _summary(out: str) -> list[str]:
    """The summary's lines but its time: what two runs of one campaign must agree on."""
    lines = out[out.index("campaign summary"):].splitlines()
    return [ln for ln in lines if not ln.strip().startswith("time")]


def _outcomes(state: Path) -> dict:
    recs = D.State(state, D.Generator(size=4)).records
    return {k: r["outcome"] for k, r in recs.items()}


CAMPAIGN = ["--seeds", "0:2", "--size", "4", "--configs", "t1,ir", "--jobs", "2"]


def test_a_limited_campaign_resumes_with_the_same_totals(tmp_path, capsys):
    whole = tmp_path / "whole.jsonl"
    assert D.main(CAMPAIGN + ["--out", str(tmp_path / "o1"), "--state", str(whole)]) == 0
    want = _summary(capsys.readouterr().out)
    sliced = tmp_path / "sliced.jsonl"
    args = CAMPAIGN + ["--out", str(tmp_path / "o2"), "--state", str(sliced)]
    assert D.main(args + ["--limit", "1"]) == 0
    first = capsys.readouterr().out
    assert "runs                   2  of 4, 2 left" in first
    assert "2 runs left; run the same command again" in first
    assert D.main(args) == 0
    again = capsys.readouterr().out
    assert "2 runs were done before" in again
    assert _summary(again) == want
    assert "agreements             4" in "\n".join(want)
    assert _outcomes(sliced) == _outcomes(whole)
    assert D.main(args) == 0  # all done: nothing runs, the same totals again
    assert _summary(capsys.readouterr().out) == want


def test_a_state_of_other_programs_is_refused(tmp_path, capsys):
    state = tmp_path / "s.jsonl"
    D.State(state, D.Generator(size=9))
    try:
        D.main(CAMPAIGN + ["--out", str(tmp_path), "--state", str(state)])
    except SystemExit as e:
        assert e.code == 2
    else:
        raise AssertionError("expected a refusal")
    assert "campaign over other programs" in capsys.readouterr().err


def test_a_torn_last_record_is_dropped(tmp_path):
    state = tmp_path / "s.jsonl"
    s = D.State(state, D.Generator(size=4))
    s.add([{"seed": 0, "config": "t1", "outcome": "agree"}])
    with open(state, "a") as f:
        f.write('{"seed": 1, "config": "t1", "outc')  # the machine stopped mid-write
    assert _outcomes(state) == {(0, "t1"): "agree"}
    assert state.read_text().endswith('"agree", "seed": 0}\n')  # rewritten without it


#: runs difftest with a configuration "same" (tier 0 against itself), whose programs of
#: seeds >= 1 loop forever while DIFFTEST_HANG is set: runs that Ctrl-C must kill
WRAPPER = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
sys.path.insert(0, {tools!r})
import difftest as D
D.CONFIGS["same"] = ["--tier=0"]
real = D.Generator.program
def program(self, seed):
    if seed >= 1 and os.environ.get("DIFFTEST_HANG"):
        return "let mut i = 0\\nwhile i >= 0 {{ i = i + 1 - 1 }}\\n"
    return real(self, seed)
D.Generator.program = program
sys.exit(D.main(sys.argv[1:]))
"""


def _live_processes_mentioning(text: str) -> list[str]:
    found = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit() and int(p.name) != os.getpid():
            try:
                cmd = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in cmd:
                found.append(f"{p.name}: {cmd}")
    return found


def test_ctrl_c_ends_cleanly_and_the_campaign_resumes(tmp_path):
    out, state = tmp_path / "out", tmp_path / "s.jsonl"
    cmd = [sys.executable, "-c", WRAPPER.format(tools=str(ROOT / "tools")), "--seeds", "0:3",
           "--size", "4", "--configs", "same", "--jobs", "2", "--timeout", "300",
           "--out", str(out), "--state", str(state)]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, DIFFTEST_HANG="1"))
    try:
        deadline = time.monotonic() + 120  # a bound on waiting, not a timing assertion
        while '"seed": 0' not in (state.read_text() if state.exists() else ""):
            assert p.poll() is None and time.monotonic() < deadline, p.communicate()
            time.sleep(0.05)
        time.sleep(0.3)  # the runs of seeds 1 and 2 are under way (and never end)
        p.send_signal(signal.SIGINT)
        stdout, stderr = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    assert "interrupted; run the same command again" in stdout
    assert "runs                   1  of 3, 2 left" in stdout
    assert _live_processes_mentioning(str(out)) == []  # no run outlives the campaign
    assert _outcomes(state) == {(0, "same"): "agree"}
    assert not list(out.glob("gen*.ruchy"))  # the interrupted programs' files are gone
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "runs                   3  of 3" in r.stdout
    assert "agreements             3" in r.stdout and "1 runs were done before" in r.stdout
    assert _outcomes(state) == {(s, "same"): "agree" for s in range(3)}


class FakeRunner:
    """ruchy-opt without processes: a program "prints" its lines that call println, and
    the configuration with ``--fake-bug`` loses those that multiply."""

    def __init__(self, cache: str = "", timeout: float = 0, bug: bool = True) -> None:
        self.bug = bug

    def __call__(self, options, path, cwd=None, timeout=None):
        text = (Path(cwd or ROOT) / path).read_text()
        lines = [ln.strip() for ln in text.splitlines() if "println" in ln]
        if self.bug and "--fake-bug" in options:
            lines = [ln for ln in lines if "*" not in ln]
        return (0, "".join(ln + "\n" for ln in lines), "")

    def stop(self) -> None:
        pass


def test_reduce_writes_each_disagreement_as_a_regression_test(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(D, "Runner", FakeRunner)
    monkeypatch.setitem(D.CONFIGS, "buggy", ["--fake-bug"])
    reg, state = tmp_path / "regressions", tmp_path / "s.jsonl"
    args = ["--seeds", "0:6", "--size", "6", "--configs", "buggy", "--jobs", "2",
            "--out", str(tmp_path / "out"), "--state", str(state), "--reduce",
            "--regressions", str(reg)]
    assert D.main(args) == 1
    out = capsys.readouterr().out
    bad = sorted(s for (s, _), o in _outcomes_of(state).items() if o == "mismatch")
    assert bad, "the fake bug shows on some of these programs"
    cases = sorted(reg.glob("*.json"))
    assert [c.stem.split("-")[1] for c in cases] == [f"seed{s}" for s in bad]
    for case in cases:
        meta = json.loads(case.read_text())
        prog = reg / meta["program"]
        assert prog.stem == case.stem and case.stem.startswith("buggy-seed")
        small = prog.read_text()
        seed = meta["found"]["seed"]
        assert len(small) < len(D.Generator(size=6).program(seed)) / 3, small
        assert any("println" in ln and "*" in ln for ln in small.splitlines()), small
        assert meta["runs"] == [{"config": "buggy", "options": ["--fake-bug"]}]
        assert meta["expected"]["stdout"] == FakeRunner()(["--tier=0"], prog)[1]
        assert f"seed {seed}: buggy disagree with tier 0; reduced: {case}" in out
        # the test fails while the bug is there, and passes once it is fixed
        assert "buggy (--fake-bug): status 0" in D.check_regression(case, FakeRunner())
        assert D.check_regression(case, FakeRunner(bug=False)) is None
    assert D.main(args) == 1  # resumed: nothing runs again, nothing is written twice
    assert sorted(reg.glob("*.json")) == cases
    assert "runs were done before" in capsys.readouterr().out


def _outcomes_of(state: Path) -> dict:
    recs = D.State(state, D.Generator(size=6)).records
    return {k: r["outcome"] for k, r in recs.items()}


def test_a_regression_test_runs_the_real_command(tmp_path, monkeypatch):
    # --jit-log is refused outside auto mode (status 2): a configuration that disagrees
    monkeypatch.setitem(D.CONFIGS, "broken", ["--tier=0", "--jit-log"])
    runner = D.Runner(str(tmp_path / "cache"), timeout=120)
    case = D.write_regression("println(6 * 7)\nlet z = 0\nprintln(1 / z)\n", "broken", 5,
                              D.Generator(), runner, tmp_path / "reg")
    meta = json.loads(case.read_text())
    assert case.name.startswith("broken-seed5-") and meta["program"] == case.stem + ".ruchy"
    assert meta["expected"]["status"] == 1 and meta["expected"]["stdout"] == "42\n"
    # the message names the file as the test runs it: by name, from its directory
    assert meta["expected"]["stderr"].startswith(f"{meta['program']}:3:")
    assert meta["found"]["config_printed"]["status"] == 2
    assert "broken (--tier=0 --jit-log): status 2 (expected 1)" in \
        D.check_regression(case, runner)
    monkeypatch.setitem(D.CONFIGS, "broken", ["--tier=2"])  # "fixed"
    meta["runs"][0]["options"] = D.CONFIGS["broken"]
    case.write_text(json.dumps(meta))
    assert D.check_regression(case, runner) is None


def test_a_disagreement_that_goes_away_stops_the_reducer(tmp_path, monkeypatch):
    calls = []

    class Vanishing(FakeRunner):
        def __call__(self, options, path, cwd=None, timeout=None):
            calls.append(path)
            self.bug = len(calls) <= 2  # the program disagrees once, then never again
            return super().__call__(options, path, cwd, timeout)

    monkeypatch.setitem(D.CONFIGS, "buggy", ["--fake-bug"])
    text = "let a = 2\nprintln(a * 3)\nprintln(a)\n" * 30
    want, got = (0, "x\n", ""), (0, "", "")
    try:
        D.reduce_mismatch(text, "buggy", 0, want, got, Vanishing(), tmp_path)
    except ValueError as e:
        assert "went away" in str(e)
    else:
        raise AssertionError("expected a ValueError")
    assert len(calls) <= 2 * (D.RECHECK_EVERY + 2)  # it gave up, not tried every edit

"""tools/difftest.py: the differential-testing campaign, a short bounded run of it, and
that it reports a disagreement (a configuration that differs from tier 0)."""
from __future__ import annotations

import sys
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

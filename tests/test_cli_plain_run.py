"""cli._plain_run: ``run --tier=0 FILE [ARGS]`` and ``run [--tier=auto] FILE [ARGS]`` are
read without argparse (start-up), as the run parser reads them; anything else goes to
the parser."""
from __future__ import annotations

from ruchy_opt import cli


def test_plain_tier0_command_lines() -> None:
    ns, prog = cli._plain_run(["--tier=0", "p.ruchy", "a", "-b"])
    assert (ns.tier, ns.file, prog) == ("0", "p.ruchy", ["a", "-b"])
    ns, prog = cli._plain_run(["--tier", "0", "p.ruchy", "--", "-x"])
    assert (ns.file, prog) == ("p.ruchy", ["-x"])
    assert cli._plain_run(["--tier=0", "p.ruchy", "x", "--", "y"])[1] == ["x", "--", "y"]
    assert cli._plain_run(["p.ruchy"])[0].tier == "auto"  # (not tier 0)
    for argv in (["--tier=1", "p.ruchy"], ["--tier=0", "--no-cache", "p.ruchy"],
                 ["--tier=0"], ["--tier", "0"], ["-O2", "--tier=0", "p.ruchy"]):
        assert cli._plain_run(argv) is None, argv


def test_plain_tier0_run_matches_the_parser(tmp_path, capsys) -> None:
    src = tmp_path / "p.ruchy"
    src.write_text('fn main() { let a: Vec<String> = std::env::args().collect(); '
                   'println!("{}", a.len()); }\n')
    assert cli.main(["run", "--tier=0", str(src), "x", "y"]) == 0
    assert cli.main(["run", "--tier=0", "--no-cache", str(src), "x"]) == 0
    assert capsys.readouterr().out == "3\n2\n"
    assert cli.main(["run", "--tier=0", str(tmp_path / "missing.ruchy")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_plain_auto_command_lines() -> None:
    """``run FILE`` and ``run --tier=auto FILE`` skip argparse too."""
    ns, prog = cli._plain_run(["p.ruchy", "a", "-b"])
    assert (ns.tier, ns.file, prog) == ("auto", "p.ruchy", ["a", "-b"])
    ns, prog = cli._plain_run(["--tier=auto", "p.ruchy", "--", "-x"])
    assert (ns.file, prog) == ("p.ruchy", ["-x"])
    ns, prog = cli._plain_run(["--tier", "auto", "p.ruchy"])
    assert (ns.tier, ns.file, prog) == ("auto", "p.ruchy", [])
    for argv in (["--jit-log", "p.ruchy"], ["--tier=2", "p.ruchy"], ["p.ssa"], ["-"],
                 [], ["--tier=auto"], ["--no-cache", "p.ruchy"]):
        assert cli._plain_run(argv) is None, argv


def test_plain_auto_run_matches_the_parser(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("RUCHY_OPT_JIT_AHEAD", "0")
    src = tmp_path / "p.ruchy"
    src.write_text('fn main() { let a: Vec<String> = std::env::args().collect(); '
                   'println!("{}", a.len()); }\n')
    assert cli.main(["run", str(src), "x", "y"]) == 0
    assert cli.main(["run", "--jit-log", str(src), "x"]) == 0
    assert capsys.readouterr().out == "3\n2\n"
    assert cli.main(["run", str(tmp_path / "missing.ruchy")]) == 2
    assert "cannot read" in capsys.readouterr().err

"""The command line's error contract: usage errors exit 2, errors in the Ruchy program exit 1
as ``FILE:LINE:COL: error: MESSAGE`` + source line + caret, syntax errors run nothing, deep
nesting is an error and not a crash, and no Python traceback ever reaches the user."""
from __future__ import annotations

from pathlib import Path

import pytest

from ruchy_harness import TRACEBACK_MARK, diagnostic_problems, run_cli, run_program, run_source

HELLO = 'println("hello")\n'


@pytest.fixture
def hello(tmp_path: Path) -> Path:
    path = tmp_path / "hello.ruchy"
    path.write_text(HELLO)
    return path


def assert_usage_error(res, *fragments: str) -> None:
    assert res.status == 2, (res.status, res.stderr)
    assert res.stdout == ""
    assert TRACEBACK_MARK not in res.stderr
    assert res.stderr.strip(), "a usage error must say what is wrong"
    for f in fragments:
        assert f in res.stderr, f"{f!r} not in {res.stderr!r}"


# --- usage errors: exit 2 ---------------------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["run", "--bogus", "{file}"],
    ["--bogus", "{file}"],
    ["run", "--tier"],
    ["run"],
    [],
])
def test_bad_arguments_exit_2(argv, hello):
    res = run_cli([a.replace("{file}", str(hello)) for a in argv])
    assert_usage_error(res)


def test_words_after_the_file_are_the_programs_arguments(tmp_path):
    # Issue 13: `ruchy-opt run prog.ruchy a b` (as `ruchy run`), not a usage error.
    path = tmp_path / "args.ruchy"
    path.write_text('let a: Vec<String> = std::env::args().collect()\nprintln("{:?}", &a[1..])\n')
    res = run_cli(["run", "--tier=0", str(path), "extra.ruchy", "--tier=1"])
    assert (res.status, res.stdout) == (0, '["extra.ruchy", "--tier=1"]\n'), res.stderr


@pytest.mark.parametrize("sub", [True, False])
def test_missing_file(tmp_path, sub):
    missing = tmp_path / "no_such_file.ruchy"
    res = run_cli(["run", "--tier=0", str(missing)], subprocess_=sub)
    assert_usage_error(res, "no_such_file.ruchy")


def test_directory_instead_of_file(tmp_path):
    assert_usage_error(run_cli(["run", "--tier=0", str(tmp_path)]))


def test_unreadable_bytes_are_not_a_traceback(tmp_path):
    path = tmp_path / "binary.ruchy"
    path.write_bytes(b"println(1)\n\xff\xfe\x00\x80 garbage\n")
    res = run_cli(["run", "--tier=0", str(path)])
    assert res.status in (1, 2)
    assert TRACEBACK_MARK not in res.stderr
    assert res.stdout == ""


@pytest.mark.parametrize("tier", ["7", "fast", "", "00"])
def test_unknown_tier(hello, tier):
    res = run_cli(["run", f"--tier={tier}", str(hello)])
    assert_usage_error(res, "tier")


@pytest.mark.parametrize("tier", ["ir", "1", "2", "auto"])
def test_planned_tier_runs_or_is_refused_clearly(hello, tier):
    """A tier that does not exist yet is refused by name, never silently run at tier 0."""
    res = run_cli(["run", f"--tier={tier}", str(hello)])
    if res.status == 0:
        assert res.stdout == "hello\n"
        return
    assert_usage_error(res, "not implemented yet", tier)


def test_default_tier_runs(hello):
    res = run_cli(["run", str(hello)])
    assert (res.status, res.stdout, res.stderr) == (0, "hello\n", "")


def test_help_exits_0():
    for argv in (["--help"], ["run", "--help"]):
        res = run_cli(argv)
        assert res.status == 0 and "usage" in res.stdout.lower()


def test_subprocess_exit_statuses(tmp_path, hello):
    """The real process (not only main()'s return value) exits 0, 1 and 2."""
    assert run_program(hello, "0", subprocess_=True).status == 0
    bad = tmp_path / "bad.ruchy"
    bad.write_text("println(1 / 0)\n")
    assert run_program(bad, "0", subprocess_=True).status == 1
    assert run_cli(["run", "--tier=nope", str(hello)], subprocess_=True).status == 2


# --- syntax errors: exit 1, located, nothing runs ------------------------------------

SYNTAX_ERRORS = {
    # name: (source, (line, col) when the position is unambiguous, else just the line)
    "unexpected_token": ('println("ran")\nlet = 5\n', (2, 5)),
    "bad_character": ('println("ran")\nlet x = 5 @ 3\n', (2, 11)),
    "extra_paren": ('println("ran")\nprintln(1))\n', (2, 11)),
    "unterminated_string": ('println("ran")\nlet s = "abc\nprintln(s)\n', (2,)),
    "unclosed_brace": ('println("ran")\nfun f() {\n    1\n', ()),
    "unclosed_bracket": ('println("ran")\nlet a = [1, 2\n', ()),
    "missing_operand": ('println("ran")\nlet x = 1 +\n', ()),
    "let_without_name": ('println("ran")\nlet mut = 3\n', (2,)),
    "fun_without_body": ('println("ran")\nfun f(a, b)\n', ()),
    "two_operators": ('println("ran")\nlet x = 1 * / 2\n', (2, 13)),
    "unclosed_block_comment": ('println("ran")\n/* never closed\nprintln(2)\n', ()),
    "error_in_main": ('fun main() {\n    println("ran")\n    let = 1\n}\n', (3, 9)),
}


#: Known bugs (reported to the lead); strict, so a fix makes the entry go.
SYNTAX_KNOWN_BUGS: dict[str, str] = {}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(reason=SYNTAX_KNOWN_BUGS[n], strict=True))
    if n in SYNTAX_KNOWN_BUGS else n for n in sorted(SYNTAX_ERRORS)])
def test_syntax_error_runs_nothing(tmp_path, name):
    source, where = SYNTAX_ERRORS[name]
    path = tmp_path / f"{name}.ruchy"
    path.write_text(source)
    res = run_program(path)
    assert res.status == 1, res.stderr
    assert res.stdout == "", "nothing may run before a syntax error is reported"
    assert not diagnostic_problems(res.stderr, str(path), source), res.stderr
    first = res.stderr.split("\n")[0]
    loc = first[len(str(path)) + 1:].split(": error:")[0]
    if where:
        assert loc.split(":")[: len(where)] == [str(n) for n in where], first


def test_syntax_error_with_emit_ast(tmp_path):
    path = tmp_path / "bad.ruchy"
    path.write_text("let = 1\n")
    res = run_cli(["--emit=ast", str(path)])
    assert res.status == 1 and res.stdout == ""
    assert res.stderr.startswith(f"{path}:1:")


def test_tab_indented_source_caret(tmp_path):
    """The caret line keeps tabs so that it lines up under tab-indented source."""
    source = "fun f() {\n\tlet x = 1 @ 2\n}\n"
    res = run_source(source, tmp_path)
    assert res.status == 1
    assert not diagnostic_problems(res.stderr, str(tmp_path / "prog.ruchy"), source), res.stderr


# --- runtime errors: exit 1, located, earlier output kept --------------------------------

@pytest.mark.parametrize("sub", [False, True])
def test_runtime_error_format_and_flushed_output(tmp_path, sub):
    source = 'println("one")\nprint("two")\nlet z = 0\nprintln(5 / z)\n'
    res = run_source(source, tmp_path, subprocess_=sub)
    assert res.status == 1
    assert res.stdout == "one\ntwo"
    path = str(tmp_path / "prog.ruchy")
    assert res.stderr.startswith(f"{path}:4:")
    assert "division by zero" in res.stderr.split("\n")[0]
    assert not diagnostic_problems(res.stderr, path, source), res.stderr


def test_empty_program(tmp_path):
    assert run_source("", tmp_path) .status == 0
    res = run_source("// only a comment\n", tmp_path)
    assert (res.status, res.stdout, res.stderr) == (0, "", "")


# --- deep nesting: an error (or a result), never a crash -------------------------------

DEEP = 100_000  # the brief's figure, for the cheap-to-parse shapes
WIDE = 30_000   # enough to overflow any recursion on nesting; lark needs seconds for more

DEEP_PROGRAMS = {
    "parens": "println(" + "(" * DEEP + "1" + ")" * DEEP + ")\n",
    "unary_minus": "println(" + "-" * DEEP + "1)\n",
    "unary_minus_spaced": "println(" + "- " * DEEP + "1)\n",
    "not": "println(" + "!" * DEEP + "true)\n",
    "blocks": "println(" + "{" * WIDE + "1" + "}" * WIDE + ")\n",
    "arrays": "println(" + "[" * WIDE + "1" + "]" * WIDE + ")\n",
    "ifs": "let x = " + "if true { " * WIDE + "1" + " }" * WIDE + "\nprintln(x)\n",
    "binary_chain_parens": "println(" + "(1 + " * WIDE + "1" + ")" * WIDE + ")\n",
    "long_flat_sum": "println(" + " + ".join(["1"] * WIDE) + ")\n",
    "calls": "fun f(x) { x }\nprintln(" + "f(" * WIDE + "1" + ")" * WIDE + ")\n",
    "index_chain": "let a = [0]\nprintln(a" + "[0]" * WIDE + ")\n",
    "nested_loops": "let mut n = 0\n" + "while n < 1 { " * WIDE + "n += 1" + " }" * WIDE + "\n",
}


@pytest.mark.parametrize("name", sorted(DEEP_PROGRAMS))
def test_deep_nesting_is_an_error_not_a_crash(tmp_path, name):
    """In a real process: a stack overflow of the parser or translator would kill it."""
    res = run_source(DEEP_PROGRAMS[name], tmp_path, subprocess_=True)
    assert TRACEBACK_MARK not in res.stderr, res.stderr[-2000:]
    assert res.status in (0, 1), (res.status, res.stderr[-2000:])
    if res.status == 1:
        assert res.stderr.startswith(str(tmp_path / "prog.ruchy")), res.stderr[:500]
        assert res.stdout == ""
    elif name == "long_flat_sum":
        assert res.stdout == f"{WIDE}\n"


@pytest.mark.parametrize("depth", [50, 200])
def test_moderate_nesting_runs(tmp_path, depth):
    """Nesting that real programs reach must work."""
    src = ("println(" + "(" * depth + "1" + ")" * depth + ", "
           + "-" * (depth - depth % 2) + "1, "
           + "{" * (depth // 4) + "2" + "}" * (depth // 4) + ")\n")
    res = run_source(src, tmp_path)
    assert (res.status, res.stdout, res.stderr) == (0, "1 1 2\n", "")


def test_installed_console_script(tmp_path, hello):
    """`ruchy-opt` as pip installed it (next to the interpreter running the tests)."""
    import subprocess
    import sys
    exe = Path(sys.executable).parent / "ruchy-opt"
    if not exe.exists():
        pytest.skip("ruchy-opt is not installed in this environment")
    p = subprocess.run([str(exe), "run", str(hello)], capture_output=True, text=True,
                       timeout=60)
    assert (p.returncode, p.stdout, p.stderr) == (0, "hello\n", "")
    bad = tmp_path / "bad.ruchy"
    bad.write_text("let = 1\n")
    p = subprocess.run([str(exe), "run", str(bad)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 1 and p.stderr.startswith(f"{bad}:1:")

"""Usage errors are one line on stderr with exit code 2 and no traceback, whatever typer/click raises."""

from __future__ import annotations

import subprocess
import sys

import pytest

EXE = [sys.executable, "-m", "speerpunt"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*EXE, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("lq", "--bogus"), "--bogus"),
        (("nocommand",), "nocommand"),
        (("lq", "--data", "be-employment", "--year", "abc"), "--year"),
        (("shiftshare", "--start"), "--start"),
        (("registry", "nosuchsub"), "nosuchsub"),
    ],
)
def test_usage_error_is_one_line_exit_2(args, words):
    res = run(*args)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("error: ") and words in lines[0]
    assert "Traceback" not in res.stderr and res.stdout == ""


def test_bare_command_prints_help_and_succeeds():
    res = run()
    assert res.returncode == 0
    assert "Usage" in res.stdout and "Traceback" not in res.stderr


def test_constraints_pin_every_installed_dependency():
    """The lock file pins the click-vendoring typer this entry point was written against."""
    from pathlib import Path

    lock = Path(__file__).resolve().parents[2] / "constraints.txt"
    pins = dict(
        line.split("==", 1)
        for line in lock.read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert all(v.strip() for v in pins.values())
    for name in ("typer", "pandas", "numpy", "fastapi", "sqlalchemy"):
        assert name in {k.lower() for k in pins}, name


def test_help_loads_neither_pandas_nor_the_web_or_report_stacks():
    """Start-up imports only what the command line needs (issue 11: `speerpunt --help` ≤ 0.4 s)."""
    code = (
        "import sys, runpy\n"
        "sys.argv = ['speerpunt', '--help']\n"
        "try:\n    runpy.run_module('speerpunt', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = ['pandas', 'matplotlib', 'sqlalchemy', 'fastapi', 'weasyprint', 'duckdb']\n"
        "print('LOADED:' + ','.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip().splitlines()[-1] == "LOADED:"

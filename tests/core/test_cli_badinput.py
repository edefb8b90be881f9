"""Every file of the malformed-input corpus, through the CLI: one line, the row, exit 2, no traceback."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "badinput"
CASES = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8")))
OPTION = {
    "scheme": "--sectors",
    "encoding": "--encoding",
    "decimal": "--decimal",
    "thousands": "--thousands",
    "sheet": "--sheet",
    "variable": "--variable",
}
#: The CLI always gives the reader a variable name (``--variable``, default employment): files that only
#: lacked one read, and a file with several value columns is asked for the one named employment.
CLI_READS = {"missing_column.csv", "wide_without_variable.csv"}
CLI_MESSAGE = {"several_value_columns.csv": "no column 'employment' (the variable asked for)"}


def test_corpus_is_large_enough():
    assert len(CASES) >= 60


def _lq(path: Path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "speerpunt", "lq", "--data", str(path), "--region", "BE21"]
    return subprocess.run(
        [*cmd, "--year", "2000", *extra], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("name", sorted(CLI_READS))
def test_cli_variable_reaches_the_reader(name):
    res = _lq(CORPUS / name, "--reference", "BE21", "--format", "csv")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    # BE21 is its own reference: every LQ is 1 and the variable is the one the CLI named.
    assert {r["variable"] for r in rows} == {"employment"}
    assert {float(r["lq"]) for r in rows} == {1.0}
    assert {r["sector"] for r in rows} == {"A", "F"}


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["file"] not in CLI_READS], ids=lambda c: c["file"] + c["options"]
)
def test_bad_file_gives_one_line_error(case):
    extra: list[str] = []
    for item in filter(None, case["options"].split(";")):
        key, value = item.split("=", 1)
        extra += [OPTION[key], value]
    res = _lq(CORPUS / case["file"], *extra)
    assert res.returncode == 2
    err = res.stderr.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert case["file"] in err and CLI_MESSAGE.get(case["file"], case["message"]) in err
    if case["line"]:
        assert f"line {case['line']}" in err
    if case["column"]:
        assert f"column '{case['column']}'" in err
    assert res.stdout == ""

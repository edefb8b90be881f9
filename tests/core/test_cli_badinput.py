"""Every file of the malformed-input corpus, through the CLI: one line, the row, exit 2, no traceback."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "badinput"
CASES = list(csv.DictReader((CORPUS / "expected.csv").open(encoding="utf-8")))
OPTION = {"scheme": "--sectors", "encoding": "--encoding"}


def test_corpus_is_large_enough():
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_file_gives_one_line_error(case):
    extra: list[str] = []
    for item in filter(None, case["options"].split(";")):
        key, value = item.split("=", 1)
        extra += [OPTION[key], value]
    cmd = [
        sys.executable,
        "-m",
        "speerpunt",
        "lq",
        "--data",
        str(CORPUS / case["file"]),
        "--region",
        "BE21",
        "--year",
        "2000",
        *extra,
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    err = res.stderr.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert case["file"] in err and case["message"] in err
    assert f"line {case['line']}" in err
    if case["column"]:
        assert f"column '{case['column']}'" in err
    assert res.stdout == ""

"""Every file of the malformed-input corpus gives its own one-line DataError (file, line, column, text).

``expected.csv`` lists, per file, the reader options, a substring of the message, the 1-based line
(header = line 1) and the column; all were worked out by reading the files, not by running the reader.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from speerpunt.errors import DataError
from speerpunt.io import check_file

HERE = Path(__file__).resolve().parent


def _cases() -> list[dict[str, str]]:
    with open(HERE / "expected.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _options(spec: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in spec.split(";") if part)


def test_corpus_is_complete():
    listed = {c["file"] for c in _cases()}
    present = {
        p.name
        for p in HERE.iterdir()
        if p.suffix not in (".py",) and p.name != "expected.csv" and not p.name.startswith("__")
    }
    assert listed == present
    assert len(listed) >= 18


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["file"])
def test_bad_file_gives_one_line_error(case):
    with pytest.raises(DataError) as info:
        check_file(HERE / case["file"], **_options(case["options"]))
    err = info.value
    line = err.one_line()
    assert "\n" not in line
    assert line.startswith(case["file"] + ", ")
    assert case["message"] in line
    assert err.row == int(case["line"])
    assert f"line {case['line']}" in line
    if case["column"]:
        assert err.column == case["column"]
        assert f"column '{case['column']}'" in line
    else:
        assert err.column is None

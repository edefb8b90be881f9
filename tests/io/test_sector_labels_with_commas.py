"""--sectors with data labels that hold a comma: quoted or ';'-separated, through the CLI and the library."""

from __future__ import annotations

import subprocess
import sys

import pytest

from speerpunt.classify.aggregates import sector_set, split_codes
from speerpunt.classify.sector_build import parse_inline
from speerpunt.errors import ClassificationError
from speerpunt.io import read_panel

ROWS = [
    ("R1", "Chemie, pharma", 30),
    ("R1", "Bouw", 20),
    ("R1", "TOTAL", 60),
    ("R2", "Chemie, pharma", 10),
    ("R2", "Bouw", 40),
    ("R2", "TOTAL", 100),
]


def _file(tmp_path):
    lines = ["region;sector;year;variable;value"]
    lines += [f"{r};{s};2018;employment;{v}" for r, s, v in ROWS]
    path = tmp_path / "labels.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_split_codes_quotes_and_semicolons():
    assert split_codes('"Chemie, pharma",Bouw') == ["Chemie, pharma", "Bouw"]
    assert split_codes("Chemie, pharma;Bouw") == ["Chemie, pharma", "Bouw"]
    assert split_codes("C, F") == ["C", "F"]
    assert sector_set('"Chemie, pharma",Bouw', available=["Chemie, pharma", "Bouw", "TOTAL"]) == [
        "Chemie, pharma",
        "Bouw",
    ]


def test_inline_definition_with_a_quoted_label():
    (chem, log) = parse_inline('"Chemie, pharma"=C20,C21;log=H49-H50')
    assert (chem.name, chem.nace) == ("Chemie, pharma", ("20", "21"))
    assert log.nace == ("49", "50")


def test_cli_lq_with_a_quoted_label(tmp_path):
    path = _file(tmp_path)
    assert set(read_panel(path).sectors) == {"Chemie, pharma", "Bouw", "TOTAL"}
    cmd = [sys.executable, "-m", "speerpunt", "lq", "--data", str(path), "--region", "R1"]
    cmd += ["--reference", "R2", "--year", "2018", "--format", "csv"]
    res = subprocess.run(
        [*cmd, "--sectors", '"Chemie, pharma",Bouw'], capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr
    # LQ(R1, Chemie, pharma) = (30/60) / (10/100) = 5.0; Bouw: (20/60)/(40/100) = 0.8333
    assert '"Chemie, pharma"' in res.stdout and ",5.0," in res.stdout
    assert ",0.8333" in res.stdout
    semi = subprocess.run(
        [*cmd, "--sectors", "Chemie, pharma;Bouw"], capture_output=True, text=True, timeout=120
    )
    assert semi.returncode == 0, semi.stderr
    assert semi.stdout == res.stdout


def test_unknown_quoted_label_is_named():
    with pytest.raises(ClassificationError, match="Chemie, farma"):
        sector_set('"Chemie, farma",Bouw', available=["Chemie, pharma", "Bouw"])

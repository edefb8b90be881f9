"""Totals and overlapping aggregates on every read: what is summed, what is refused, what is flagged."""

from __future__ import annotations

import subprocess
import sys

import pytest

from speerpunt.errors import DataError
from speerpunt.io import inspect_file, read_panel
from speerpunt.measures import location_quotient

HEADER = "region,sector,year,variable,value\n"


def _file(tmp_path, rows: list[tuple[str, str, float]], name: str = "p.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{r},{s},2018,employment,{v}\n" for r, s, v in rows))
    return path


def test_suppressed_zero_is_flagged_and_the_lq_note_says_so(tmp_path):
    # B-E = 100 but B + C + D + E = 75: the 0 of B is probably a suppressed value.
    r1 = [("R1", "B-E", 100), ("R1", "B", 0), ("R1", "C", 60), ("R1", "D", 10), ("R1", "E", 5)]
    r2 = [("R2", "B-E", 200), ("R2", "B", 20), ("R2", "C", 150), ("R2", "D", 20), ("R2", "E", 10)]
    path = _file(tmp_path, r1 + r2)
    # B-E and its parts overlap: the library refuses by default, naming both codes …
    with pytest.raises(DataError, match="sector B is inside sector B-E"):
        read_panel(path)
    # … and reads them when asked to (or when the analysis's sectors choose among them).
    assert set(read_panel(path, sectors=list("BCDE")).sectors) == {"B-E", "B", "C", "D", "E"}
    panel = read_panel(path, allow_overlaps=True)
    assert any("contain each other" in w for w in panel.meta.reading["warnings"])
    flags = panel.data.set_index(["region", "sector"])["flag"]
    assert flags["R1", "B"] == "q" and flags["R2", "B"] == ""  # R2's parts add up: no flag
    res = location_quotient(
        panel,
        variable="employment",
        year=2018,
        reference="R2",
        regions=["R1"],
        sectors=list("BCDE"),
    ).set_index("sector")
    assert "looks suppressed" in res.loc["B", "note"] and res.loc["C", "note"] == ""


def test_division_inside_its_section_and_class_inside_its_division_are_found(tmp_path):
    rows = [("R", "C", 50), ("R", "20", 10), ("R", "20.1", 4), ("R", "F", 20), ("R", "TOTAL", 80)]
    summary = inspect_file(_file(tmp_path, rows))
    assert set(summary.aggregates) == {"20 is inside C", "20.1 is inside 20", "20.1 is inside C"}
    # Only C and F (inside no other) are held against TOTAL: 70 ≤ 80 passes, 50 + 10 + 4 + 20 would not.
    assert summary.parts_of_total.startswith("C, F (")


def test_parts_above_total_are_refused_without_a_scheme_and_allowed_on_request(tmp_path):
    path = _file(tmp_path, [("R", "Bouw", 60), ("R", "Zorg", 70), ("R", "Totaal", 100)])
    with pytest.raises(DataError, match="sectors Bouw, Zorg sum to 130, above TOTAL 100") as info:
        read_panel(path)
    assert info.value.row == 4
    panel = read_panel(path, allow_parts_exceed_total=True)
    assert "TOTAL" in panel.sectors
    assert any("parts exceed TOTAL" in w for w in panel.meta.reading["warnings"])


def test_cli_refuses_overlapping_sectors_unless_chosen(tmp_path):
    rows = [(r, s, v) for r in ("R1", "R2") for s, v in (("B-E", 40), ("C", 30), ("F", 10))]
    path = _file(tmp_path, rows + [("R1", "TOTAL", 60), ("R2", "TOTAL", 70)])
    base = [sys.executable, "-m", "speerpunt", "lq", "--data", str(path), "--region", "R1"]
    base += ["--reference", "R2", "--year", "2018", "--format", "csv"]
    res = subprocess.run(base, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "sector C is inside sector B-E" in res.stderr
    res = subprocess.run([*base, "--sectors", "B-E,F"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    lq = dict(line.split(",")[2::9] for line in res.stdout.splitlines()[1:])
    # (40/60) / (40/70) by hand: TOTAL, not B-E + C + F, is the region total.
    assert float(lq["B-E"]) == pytest.approx((40 / 60) / (40 / 70))

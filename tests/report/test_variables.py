"""Reports on value added and on both variables together (the embedded data have employment only)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from speerpunt.panel import Panel, PanelMeta
from speerpunt.report import build_report_data, write_report
from speerpunt.report.html import render_html


def _panel() -> Panel:
    emp = {
        "R": {"A": (30, 45), "B": (10, 10), "C": (40, 30), "D": (20, 15)},
        "N": {"A": (100, 110), "B": (200, 220), "C": (300, 300), "D": (400, 370)},
    }
    va = {
        "R": {"A": (5, 6), "B": (50, 60), "C": (30, 30), "D": (15, 14)},
        "N": {"A": (100, 110), "B": (200, 220), "C": (300, 300), "D": (400, 370)},
    }
    rows = [
        (reg, s, y, var, float(v))
        for var, table in (("employment", emp), ("value_added", va))
        for reg, secs in table.items()
        for s, vals in secs.items()
        for y, v in zip((2000, 2010), vals, strict=True)
    ]
    meta = PanelMeta(
        name="hand",
        units={"employment": "persons", "value_added": "million euro"},
        source="hand-made test panel",
        attribution="Source: test",
    )
    return Panel(
        pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]), meta
    )


@pytest.fixture(scope="module")
def both():
    return build_report_data(
        _panel(),
        region="R",
        reference="N",
        lang="nl",
        variables=("employment", "value_added"),
        providers=[],
    )


def test_both_variables_get_their_own_tables(both):
    keys = [tb.key for tb in both.tables()]
    for stem in ("structure", "lq", "shiftshare"):
        assert f"{stem}-employment" in keys and f"{stem}-value_added" in keys
    structure = {tb.key: tb for tb in both.tables()}["structure-value_added"].frame.set_index(
        "sector"
    )
    # value added of R in 2010: 6, 60, 30, 14 of 110
    assert structure["share"].to_dict() == pytest.approx(
        {"A": 6 / 110, "B": 60 / 110, "C": 30 / 110, "D": 14 / 110}
    )


def test_screening_uses_value_added_when_present(both):
    reasons = {tb.key: tb for tb in both.tables()}["reasons"].frame.set_index("sector")["reason"]
    # B is important in value added (share 60 / 110) though not in employment (10 %): combine "any"
    assert "toegevoegde waarde aandeel 54,5% ≥" in reasons["B"]  # 60 / 110
    assert "niet in de gegevens" not in " ".join(reasons)


def test_key_figure_sheets_have_the_value_added_block(both):
    html = render_html(both)
    assert "Toegevoegde waarde in R (miljoen euro)" in html
    assert "Aandeel in toegevoegde waarde R" in html


def test_value_added_alone(tmp_path):
    out = write_report(
        _panel(),
        region="R",
        reference="N",
        lang="en",
        out=tmp_path / "va.html",
        variables=("value_added",),
        progress=False,
    )
    text = out.read_text(encoding="utf-8")
    assert 'data-table="structure-value_added"' in text
    assert not re.search(r'data-table="structure-employment"', text)


def test_progress_bar_on_stderr(tmp_path, capsys):
    write_report(
        _panel(), region="R", reference="N", lang="nl", out=tmp_path / "r.xlsx", progress=True
    )
    err = capsys.readouterr().err
    assert "schrijf xlsx" in err and "7/7" in err  # six build steps and one file, all done (nl)

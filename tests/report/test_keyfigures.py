"""Key-figure sheets (the study's Tabel 5–11) and their Dutch and English number formats."""

from __future__ import annotations

import pandas as pd
import pytest

from speerpunt.panel import ClassificationBreak, Panel, PanelMeta
from speerpunt.report.fmt import fmt_index, fmt_number, fmt_percent
from speerpunt.report.keyfigures import format_key_figures, key_figures


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (35991, "35.991", "35,991"),
        (7000, "7.000", "7,000"),
        (857, "857", "857"),
        (114.6, "114,6", "114.6"),
        (87500, "87.500", "87,500"),
    ],
)
def test_numbers_as_in_the_study(value, nl, en):
    assert fmt_number(value, "nl") == nl
    assert fmt_number(value, "en") == en


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (0.054, "5,4%", "5.4%"),
        (-0.034, "-3,4%", "-3.4%"),
        (0.189, "18,9%", "18.9%"),
        (0.438, "43,8%", "43.8%"),
    ],
)
def test_percentages_as_in_the_study(value, nl, en):
    assert fmt_percent(value, "nl") == nl
    assert fmt_percent(value, "en") == en


def test_index_and_not_available():
    assert fmt_index(2.3, "nl") == "2,3"
    assert fmt_index(1.02, "nl", 2) == "1,02"
    assert fmt_index(float("nan"), "nl") == "/"
    assert fmt_percent(None, "en") == "/"


def _logistics_panel(meta: PanelMeta | None = None) -> Panel:
    """The study's logistics sector: 44.313 jobs in 2008 → 42.762 in 2010 ("daalde … met 3,5%")."""
    rows = []
    region = {
        "H": {2000: 36000, 2007: 43000, 2008: 44313, 2010: 42762},
        "X": {2000: 600000, 2007: 610000, 2008: 620000, 2010: 626000},
    }
    nation = {
        "H": {2000: 150000, 2007: 160000, 2008: 163000, 2010: 161000},
        "X": {2000: 3500000, 2007: 3600000, 2008: 3650000, 2010: 3700000},
    }
    for reg, table in (("R", region), ("N", nation)):
        for sector, series in table.items():
            rows += [(reg, sector, y, "employment", float(v)) for y, v in series.items()]
    return Panel(
        pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]), meta
    )


def test_study_example_logistics_minus_three_and_a_half_percent():
    kf = key_figures(
        _logistics_panel(),
        region="R",
        reference="N",
        sectors=["H"],
        variables=["employment"],
        year=2010,
        periods=[(2000, 2007), (2008, 2010), (2000, 2010)],
        lq_year=2007,
        lq_period=(2000, 2007),
    )
    nl = format_key_figures(kf, "nl", region_name="de provincie Antwerpen", reference_name="BE")
    text = dict(zip(nl["label"], nl["text"], strict=True))
    assert text["Trend 2008-2010"] == "-3,5%"  # 42762 / 44313 − 1 = −3.50 %
    assert text["Trend 2000-2007"] == "19,4%"  # 43000 / 36000 − 1
    assert text["Werkgelegenheid in de provincie Antwerpen"] == "42.762"
    assert text["Aandeel in werkgelegenheid de provincie Antwerpen"] == "6,4%"  # 42762 / 668762
    # LQ 2007 = (43000 / 653000) / (160000 / 3760000) = 1.547 → "1,55" (two decimals, like Tabel 9's 1,02);
    # LQ 2000 = (36000 / 636000) / (150000 / 3650000) = 1.377 → rose: "+"
    assert text["Specialisatie-index 2007 (BE)"] == "1,55"
    assert text["Trend specialisatie-index 2000-2007"] == "+"
    # the region's share of the reference's sector ("meer dan 50% van de werkgelegenheid in de chemische
    # sector"): 42762 / 161000 = 26.56 %
    assert text["Aandeel van de provincie Antwerpen in de sector in BE"] == "26,6%"
    en = format_key_figures(kf, "en", region_name="the province", reference_name="BE")
    text_en = dict(zip(en["label"], en["text"], strict=True))
    assert text_en["Trend 2008-2010"] == "-3.5%"
    assert text_en["Employment in the province"] == "42,762"


def test_value_added_absent_shows_slash_with_a_note():
    kf = key_figures(
        _logistics_panel(),
        region="R",
        reference="N",
        sectors=["H"],
        variables=["employment", "value_added"],
        year=2010,
        periods=[(2008, 2010)],
    )
    sheet = format_key_figures(kf, "nl")
    va = sheet[sheet["variable"] == "value_added"]
    # level, share, share of the reference's sector, one trend, index, its trend
    assert len(va) == 6 and (va["text"] == "/").all()
    assert (va["note"] == "Toegevoegde waarde zit niet in de gegevens").all()
    assert (
        kf.loc[kf["variable"] == "value_added", "note"] == "value_added is not in the data"
    ).all()
    assert sheet.loc[sheet["variable"] == "employment", "text"].ne("/").all()


def test_trend_across_a_declared_break_is_slash_with_a_note():
    meta = PanelMeta(breaks=(ClassificationBreak(2008, "NACE-BEL 2003 → 2008"),))
    kf = key_figures(
        _logistics_panel(meta),
        region="R",
        reference="N",
        sectors=["H"],
        variables=["employment"],
        year=2010,
    )
    sheet = format_key_figures(kf, "nl")
    text = dict(zip(sheet["label"], sheet["text"], strict=True))
    notes = dict(zip(sheet["label"], sheet["note"], strict=True))
    # default periods split at the break: 2000–2007, 2008–2010 and 2000–2010
    assert text["Trend 2000-2007"] == "19,4%"
    assert text["Trend 2008-2010"] == "-3,5%"
    assert text["Trend 2000-2010"] == "/"
    assert "classification break in 2008" in notes["Trend 2000-2010"]
    assert text["Trend specialisatie-index 2000-2010"] == "/"


def test_stable_index_gets_the_equals_symbol():
    rows = [
        (r, s, y, "employment", v)
        for r, s, y, v in [
            ("R", "A", 2000, 10.0),
            ("R", "B", 2000, 90.0),
            ("R", "A", 2010, 10.2),
            ("R", "B", 2010, 89.8),
            ("N", "A", 2000, 100.0),
            ("N", "B", 2000, 900.0),
            ("N", "A", 2010, 100.0),
            ("N", "B", 2010, 900.0),
        ]
    ]
    panel = Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))
    kf = key_figures(
        panel,
        region="R",
        reference="N",
        sectors=["A", "B"],
        variables=["employment"],
        periods=[(2000, 2010)],
    )
    sym = kf[kf["item"] == "lq_trend"].set_index("sector")["text"]
    # LQ A: 1.0 → 1.02 (change .02 ≤ tolerance .05): "="
    assert sym.to_dict() == {"A": "=", "B": "="}

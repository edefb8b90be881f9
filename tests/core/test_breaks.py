"""A declared classification break blocks trends across it unless a conversion key is supplied."""

from __future__ import annotations

import pandas as pd
import pytest

from speerpunt.measures import growth, lq_trend, shift_share
from speerpunt.panel import ClassificationBreak, Panel, PanelMeta

ROWS = [
    (r, s, y, "employment", v)
    for r, s, y, v in [
        ("BE", "A", 2000, 100.0),
        ("BE", "B", 2000, 300.0),
        ("BE", "A", 2008, 110.0),
        ("BE", "B", 2008, 330.0),
        ("BE", "A", 2010, 120.0),
        ("BE", "B", 2010, 300.0),
        ("BE21", "A", 2000, 20.0),
        ("BE21", "B", 2000, 30.0),
        ("BE21", "A", 2008, 22.0),
        ("BE21", "B", 2008, 33.0),
        ("BE21", "A", 2010, 30.0),
        ("BE21", "B", 2010, 33.0),
    ]
]
BREAK = ClassificationBreak(year=2008, description="NACE-BEL 2003 → 2008")


def _panel(brk: ClassificationBreak) -> Panel:
    df = pd.DataFrame(ROWS, columns=["region", "sector", "year", "variable", "value"])
    return Panel(df, PanelMeta(breaks=(brk,)))


def test_trend_across_the_break_is_missing_and_says_why():
    p = _panel(BREAK)
    g = growth(p, variable="employment", start=2000, end=2010, regions=["BE21"], sectors=["A", "B"])
    assert g["growth"].isna().all() and g["cagr"].isna().all()
    assert g["note"].str.contains("crosses a classification break in 2008").all()
    ss = shift_share(
        p, variable="employment", start=2000, end=2010, regions=["BE21"], sectors=["A", "B"]
    )
    body = ss[ss["sector"] != "TOTAL"]
    assert body["regional_shift"].isna().all() and body["note"].str.contains("conversion key").all()
    t = lq_trend(
        p, variable="employment", start=2000, end=2010, regions=["BE21"], sectors=["A", "B"]
    )
    assert (t["trend"] == "").all() and t["note"].str.contains("NACE-BEL").all()


def test_trend_after_the_break_is_computed():
    g = growth(
        _panel(BREAK),
        variable="employment",
        start=2008,
        end=2010,
        regions=["BE21"],
        sectors=["A", "B"],
    ).set_index("sector")
    assert g.loc["A", "growth"] == pytest.approx(30 / 22 - 1)


def test_a_conversion_key_lifts_the_block():
    key = pd.DataFrame({"old_sector": ["A"], "new_sector": ["A"], "weight": [1.0]})
    p = _panel(ClassificationBreak(year=2008, description="NACE-BEL 2003 → 2008", conversion=key))
    g = growth(
        p, variable="employment", start=2000, end=2010, regions=["BE21"], sectors=["A", "B"]
    ).set_index("sector")
    assert g.loc["A", "growth"] == pytest.approx(0.5) and g.loc["A", "note"] == ""

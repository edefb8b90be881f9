"""Core measures against published examples and hand calculation."""

from __future__ import annotations

import pandas as pd
import pytest

from speerpunt.measures import location_quotient, locq, shift_share
from speerpunt.panel import Panel
from tests.results import published as pub


def _panel(rows: list[tuple]) -> Panel:
    return Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))


def test_reat_locq_example():
    assert locq(*pub.REAT_LOCQ_ARGS) == pytest.approx(pub.REAT_LOCQ, abs=5e-8)


def _fk_panel() -> Panel:
    rows = []
    for reg, data in (("A", pub.FK_REGION), ("N", pub.FK_NATION)):
        for s, a, b in zip("1234", data["t0"], data["t1"], strict=True):
            rows += [(reg, s, 2000, "employment", a), (reg, s, 2010, "employment", b)]
    return _panel(rows)


def test_farhauer_kroell_shift_share_by_hand():
    ss = shift_share(
        _fk_panel(), variable="employment", start=2000, end=2010, reference="N", regions=["A"]
    ).set_index("sector")
    # G = 1265/1100 − 1 = 0.15; G_i = 0.10, 0.40, −0.10, 0.20
    national = {"1": 13.5, "2": 3.0, "3": 1.5, "4": 9.0}
    mix = {"1": 90 * -0.05, "2": 20 * 0.25, "3": 10 * -0.25, "4": 60 * 0.05}
    regional = {
        "1": 90 * (10 / 90 - 0.1),
        "2": 20 * (1.0 - 0.4),
        "3": 10 * (0.0 + 0.1),
        "4": 60 * (-5 / 60 - 0.2),
    }
    for s in "1234":
        assert ss.loc[s, "national_share"] == pytest.approx(national[s])
        assert ss.loc[s, "industry_mix"] == pytest.approx(mix[s])
        assert ss.loc[s, "regional_shift"] == pytest.approx(regional[s])
    assert ss.loc["TOTAL", "actual_change"] == pytest.approx(25.0)
    assert ss.loc["TOTAL", "national_share"] == pytest.approx(27.0)
    assert ss.loc["TOTAL", "industry_mix"] == pytest.approx(1.0)
    assert ss.loc["TOTAL", "regional_shift"] == pytest.approx(-3.0)


def _serv_panel() -> Panel:
    rows = []
    for reg, years in pub.SERV_TABLE1.items():
        for year, values in years.items():
            for name, v in zip([*pub.SERV_BRANCHES, "TOTAL"], values, strict=True):
                rows.append((reg, name, year, "employment", v))
    return _panel(rows)


@pytest.mark.parametrize("region,year", list(pub.SERV_MANUFACTURING_SHARE_PCT))
def test_serv_table1_published_manufacturing_share(region, year):
    ref = "BE"
    res = location_quotient(
        _serv_panel(),
        variable="employment",
        year=year,
        reference=ref,
        regions=[region],
        sectors=pub.SERV_BRANCHES,
    ).set_index("sector")
    share = res.loc["Verwerkende nijverheid", "share"] * 100
    assert round(share, 1) == pub.SERV_MANUFACTURING_SHARE_PCT[(region, year)]


def test_serv_table1_lq_and_shift_share_flanders_by_hand():
    p = _serv_panel()
    lq = location_quotient(
        p,
        variable="employment",
        year=2013,
        reference="BE",
        regions=["VL"],
        sectors=pub.SERV_BRANCHES,
    ).set_index("sector")["lq"]
    # Manufacturing 2013: (363 900 / 2 631 384) / (520 186 / 4 545 781)
    assert lq["Verwerkende nijverheid"] == pytest.approx((363900 / 2631384) / (520186 / 4545781))
    assert lq["Verwerkende nijverheid"] == pytest.approx(1.2085, abs=1e-4)
    assert lq["Landbouw"] == pytest.approx((40202 / 2631384) / (58385 / 4545781))
    ss = shift_share(
        p,
        variable="employment",
        start=1995,
        end=2013,
        reference="BE",
        regions=["VL"],
        sectors=pub.SERV_BRANCHES,
    ).set_index("sector")
    big_g = 4545781 / 3872938 - 1  # Belgian total growth from the published totals
    g_manuf = 520186 / 675278 - 1
    assert ss.loc["Verwerkende nijverheid", "national_share"] == pytest.approx(470148 * big_g)
    assert ss.loc["Verwerkende nijverheid", "industry_mix"] == pytest.approx(
        470148 * (g_manuf - big_g)
    )
    assert ss.loc["Verwerkende nijverheid", "regional_shift"] == pytest.approx(
        470148 * ((363900 / 470148 - 1) - g_manuf)
    )
    assert ss.loc["Verwerkende nijverheid", "regional_shift"] == pytest.approx(1731.5, abs=0.05)
    total = ss.loc["TOTAL"]
    # sum of the six branches: 2 631 384 − 2 213 649 (the published 1995 total is 1 lower: rounding)
    assert total["actual_change"] == pytest.approx(417735)
    assert total[["national_share", "industry_mix", "regional_shift"]].sum() == pytest.approx(
        total["actual_change"]
    )


def test_zero_base_cell_keeps_components_finite():
    rows = [
        ("R", "A", 2000, "x", 0.0),
        ("R", "A", 2010, "x", 5.0),
        ("R", "B", 2000, "x", 10.0),
        ("R", "B", 2010, "x", 12.0),
        ("N", "A", 2000, "x", 20.0),
        ("N", "A", 2010, "x", 30.0),
        ("N", "B", 2000, "x", 80.0),
        ("N", "B", 2010, "x", 90.0),
    ]
    ss = shift_share(
        _panel(rows), variable="x", start=2000, end=2010, reference="N", regions=["R"]
    ).set_index("sector")
    assert ss.loc["A", "regional_shift"] == 5.0
    assert ss.loc["A", "national_share"] == 0.0 and ss.loc["A", "industry_mix"] == 0.0
    assert "zero in 2000" in ss.loc["A", "note"]
    assert ss.loc["TOTAL", "actual_change"] == 7.0
    assert ss.loc["TOTAL", ["national_share", "industry_mix", "regional_shift"]].notna().all()


def test_missing_cell_stays_missing_with_its_flag():
    df = pd.DataFrame(
        [
            ("R", "A", 2000, "x", None, "c"),
            ("R", "B", 2000, "x", 10.0, ""),
            ("N", "A", 2000, "x", 20.0, ""),
            ("N", "B", 2000, "x", 80.0, "p"),
        ],
        columns=["region", "sector", "year", "variable", "value", "flag"],
    )
    res = location_quotient(
        Panel(df), variable="x", year=2000, reference="N", regions=["R"], sectors=["A", "B"]
    ).set_index("sector")
    assert pd.isna(res.loc["A", "lq"]) and pd.isna(res.loc["A", "value"])
    assert "confidential" in res.loc["A", "note"]
    # The region total is unknown (one part confidential), so B's share is unknown too — never 0.
    assert pd.isna(res.loc["B", "lq"]) and "region total missing" in res.loc["B", "note"]

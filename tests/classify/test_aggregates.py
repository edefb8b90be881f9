"""Eurostat aggregates, schemes, partitions and summing panels into aggregates."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speerpunt.classify import (
    A38,
    A64,
    aggregate_members,
    aggregate_panel,
    is_partition,
    partitions,
    sector_label,
    sector_set,
)
from speerpunt.errors import ClassificationError
from speerpunt.panel import Panel

SECTIONS = list("ABCDEFGHIJKLMNOPQRSTU")
EUROSTAT_SECTORS = [
    "A",
    "B-E",
    "C",
    "F",
    "G-I",
    "G-J",
    "J",
    "K",
    "K-N",
    "L",
    "M_N",
    "O-Q",
    "O-U",
    "R-U",
]


def test_a10_is_the_partition_of_the_regional_accounts() -> None:
    a10 = sector_set("a10")
    assert a10 == ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]
    assert is_partition(a10)
    members = [s for code in a10 for s in aggregate_members(code)]
    assert sorted(members) == SECTIONS  # each section exactly once


def test_coarse_and_named_partitions() -> None:
    assert sector_set("a10-coarse") == ["A", "B-E", "F", "G-J", "K-N", "O-U"]
    assert sector_set("sections") == SECTIONS
    for name, codes in partitions().items():
        assert is_partition(codes), name
    assert len(A38) == 38 and len(A64) == 64
    assert len(partitions()["divisions"]) == 88


@pytest.mark.parametrize(
    "codes",
    [
        ["B-E", "C"],
        SECTIONS[:-1],
        ["A", "B-E", "F", "G-I", "G-J", "K-N", "O-U"],
        ["TOTAL", "A"],
    ],
)
def test_not_partitions(codes: list[str]) -> None:
    assert not is_partition(codes)


def test_members() -> None:
    assert aggregate_members("G-I") == ["G", "H", "I"]
    assert aggregate_members("O-U") == ["O", "P", "Q", "R", "S", "T", "U"]
    assert aggregate_members("TOTAL") == SECTIONS
    assert aggregate_members("CE") == ["20"]
    assert aggregate_members("C10-C12") == ["10", "11", "12"]
    assert aggregate_members("N80-N82") == ["80", "81", "82"]
    assert aggregate_members("C16-C18") == aggregate_members("CC") == ["16", "17", "18"]
    assert is_partition(
        [
            "A",
            "B",
            "C10-C12",
            "C13-C15",
            "C16-C18",
            "C19",
            "C20",
            "C21",
            "C22_C23",
            "C24_C25",
            "C26",
            "C27",
            "C28",
            "C29_C30",
            "C31-C33",
            "D",
            "E",
            "F",
            "G",
            "H",
            "I",
            "J58-J60",
            "J61",
            "J62_J63",
            "K",
            "L",
            "M69-M71",
            "M72",
            "M73-M75",
            "N",
            "O",
            "P",
            "Q86",
            "Q87_Q88",
            "R",
            "S",
            "T",
            "U",
        ]
    )
    with pytest.raises(ClassificationError, match="'XYZ'"):
        aggregate_members("XYZ")


def test_labels() -> None:
    assert sector_label("G-I", "nl") == "Handel, vervoer en horeca"
    assert sector_label("G-I", "en") == (
        "Wholesale and retail trade, transport, accommodation and food service activities"
    )
    assert sector_label("C", "nl") == "Industrie"
    assert sector_label("TOTAL", "en").startswith("Total")
    assert sector_label("CE", "en") == "Manufacture of chemicals and chemical products"
    for code in EUROSTAT_SECTORS + ["TOTAL"]:
        assert sector_label(code, "nl") and sector_label(code, "en")


def test_sector_set_validates_against_available() -> None:
    with pytest.raises(ClassificationError, match="M_N"):
        sector_set("a10", available=[c for c in EUROSTAT_SECTORS if c != "M_N"])
    assert sector_set("a10", available=EUROSTAT_SECTORS + ["TOTAL"]) == sector_set("a10")
    with pytest.raises(ClassificationError, match="'bakkers'"):
        sector_set("nace", available=["C", "bakkers"])
    with pytest.raises(ClassificationError, match="unknown sector scheme or code 'a11'"):
        sector_set("a11")
    assert sector_set("divisions", available=["20", "C", "21"]) == ["20", "21"]
    assert sector_set(["C", "F"], available=EUROSTAT_SECTORS) == ["C", "F"]
    assert sector_set("C") == ["C"]
    assert sector_set("C, F") == ["C", "F"]


def _eurostat_panel(path) -> Panel:
    wide = pd.read_csv(path, dtype={"geo": str})
    long = wide.melt(id_vars=["geo", "year"], var_name="sector", value_name="value")
    long = long.rename(columns={"geo": "region"}).assign(variable="employment")
    return Panel(long)


def test_partitions_sum_to_the_published_total(shared_dir) -> None:
    """Σ parts = TOTAL and G-I + J = G-J on the real Belgian panel.

    README-be states the coarse identity (A+B-E+F+G-J+K-N+O-U) within 0.2; with ten terms each rounded to
    0.1 the a10 sum may be off by up to 10 × 0.05 = 0.5.
    """
    panel = _eurostat_panel(shared_dir / "data/eurostat/be_nama_10r_3empers_EMP_THS_2000_2018.csv")
    total = panel.select(sectors=["TOTAL"]).data.set_index(["region", "year"])["value"]
    for scheme, tolerance in (("a10-coarse", 0.2), ("a10", 0.5)):
        parts = panel.select(sectors=sector_set(scheme))
        summed = aggregate_panel(parts, {"SUM": sector_set(scheme)}).data.set_index(
            ["region", "year"]
        )
        both = pd.concat([summed["value"], total], axis=1, keys=["sum", "total"]).dropna()
        assert len(both) > 700
        assert (both["sum"] - both["total"]).abs().max() <= tolerance + 1e-9, scheme
    gj = aggregate_panel(panel.select(sectors=["G-I", "J"]), ["G-J"]).data.set_index(
        ["region", "year"]
    )
    published = panel.select(sectors=["G-J"]).data.set_index(["region", "year"])["value"]
    diff = (gj["value"] - published).dropna()
    assert len(diff) > 700 and diff.abs().max() <= 0.2 + 1e-9


def test_aggregate_prefers_published_subtotals() -> None:
    df = pd.DataFrame(
        {
            "region": "R",
            "sector": ["G-I", "G", "H", "I", "J"],
            "year": 2010,
            "variable": "x",
            "value": [10.0, 1.0, 2.0, 3.0, 4.0],
        }
    )
    out = aggregate_panel(Panel(df), ["G-J"]).data
    assert out["value"].tolist() == [14.0]  # G-I (10) + J (4), not 1 + 2 + 3 + 4


def test_missing_member_makes_the_sum_missing_with_flag() -> None:
    df = pd.DataFrame(
        {
            "region": ["R", "R", "R", "S", "S"],
            "sector": ["G", "H", "I", "G", "H"],
            "year": 2010,
            "variable": "x",
            "value": [1.0, np.nan, 3.0, 1.0, 2.0],
            "flag": ["", "c", "p", "", ""],
        }
    )
    out = aggregate_panel(Panel(df), ["G-I"]).data.set_index("region")
    assert math.isnan(out.loc["R", "value"]) and set(out.loc["R", "flag"]) == {"c", "p"}
    assert math.isnan(out.loc["S", "value"]) and out.loc["S", "flag"] == ":"  # I is absent for S


def test_aggregate_that_cannot_be_built_names_the_gap() -> None:
    df = pd.DataFrame(
        {"region": "R", "sector": ["C", "F"], "year": 2010, "variable": "x", "value": 1.0}
    )
    with pytest.raises(ClassificationError, match="'B-E'.*05, 06"):
        aggregate_panel(Panel(df), ["B-E"])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 1e6)), min_size=21, max_size=21))
def test_sections_into_a10_property(values: list[float | None]) -> None:
    """Each a10 value is the plain sum of its sections, or missing when one of them is."""
    vals = [np.nan if v is None else v for v in values]
    df = pd.DataFrame(
        {"region": "R", "sector": SECTIONS, "year": 2000, "variable": "x", "value": vals}
    )
    out = aggregate_panel(Panel(df), "a10").data.set_index("sector")["value"]
    by_section = dict(zip(SECTIONS, vals, strict=True))
    for code in sector_set("a10"):
        parts = [by_section[s] for s in aggregate_members(code)]
        if any(math.isnan(p) for p in parts):
            assert math.isnan(out[code])
        else:
            assert out[code] == pytest.approx(math.fsum(parts), rel=1e-12, abs=1e-9)


def test_divisions_scheme_lists_all_88() -> None:
    # NACE Rev. 2 divisions (Eurostat 2008, pp. 61-90): 01-99 without the unused numbers
    # 04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89 → 99 − 11 = 88 codes.
    unused = {4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89}
    expected = [f"{d:02d}" for d in range(1, 100) if d not in unused]
    assert len(expected) == 88
    assert sector_set("divisions") == expected

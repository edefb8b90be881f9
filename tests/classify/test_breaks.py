"""Classification breaks: blocking trends, conversion keys and their weights."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from speerpunt.classify import apply_conversion, check_break, nacebel_2008_break, read_conversion
from speerpunt.errors import ConfigError
from speerpunt.panel import Panel


def _panel() -> Panel:
    # Old codes (NACE-BEL 2003 style "DG", "DH") before 2008, new ones (20, 22) from 2008.
    rows = [
        ("BE21", "DG", 2000, 100.0),
        ("BE21", "DH", 2000, 40.0),
        ("BE21", "20", 2008, 90.0),
        ("BE21", "22", 2008, 45.0),
        ("BE21", "20", 2010, 95.0),
        ("BE21", "22", 2010, 50.0),
    ]
    df = pd.DataFrame(rows, columns=["region", "sector", "year", "value"]).assign(
        variable="employment"
    )
    return Panel(df).with_meta(breaks=(nacebel_2008_break(),))


def test_break_blocks_2000_2010_but_not_2008_2010() -> None:
    p = _panel()
    blocking = check_break(p, 2000, 2010, "employment")
    assert len(blocking) == 1
    assert blocking[0].message == (
        "trend 2000–2010 crosses the NACE-BEL 2003→2008 break; supply a conversion key"
    )
    assert str(blocking[0]) == blocking[0].message
    assert check_break(p, 2008, 2010, "employment") == []
    assert check_break(p, 2000, 2007, "employment") == []
    assert len(check_break(p, 2010, 2000, "employment")) == 1  # order of the years does not matter


def test_conversion_maps_old_codes_with_weights() -> None:
    key = pd.DataFrame(
        {
            "old_sector": ["DG", "DG", "DH"],
            "new_sector": ["20", "22", "22"],
            "weight": [0.8, 0.2, 1.0],
        }
    )
    out = apply_conversion(_panel(), key)
    v = out.data.set_index(["sector", "year"])["value"]
    assert v[("20", 2000)] == pytest.approx(80.0)  # 0.8 × 100
    assert v[("22", 2000)] == pytest.approx(60.0)  # 0.2 × 100 + 1.0 × 40
    assert v[("20", 2010)] == 95.0  # years after the break are untouched
    assert set(out.sectors) == {"20", "22"}
    assert check_break(out, 2000, 2010, "employment") == []


def test_missing_old_cell_makes_new_cells_missing() -> None:
    p = _panel()
    d = p.data.copy()
    d.loc[d["sector"] == "DH", ["value", "flag"]] = [np.nan, "c"]
    key = pd.DataFrame(
        {"old_sector": ["DG", "DH"], "new_sector": ["20", "22"], "weight": [1.0, 1.0]}
    )
    out = apply_conversion(Panel(d, p.meta), key).data.set_index(["sector", "year"])
    assert out.loc[("20", 2000), "value"] == 100.0
    assert math.isnan(out.loc[("22", 2000), "value"]) and out.loc[("22", 2000), "flag"] == "c"


def test_weights_must_sum_to_one(tmp_path: Path) -> None:
    path = tmp_path / "key.csv"
    path.write_text(
        "old_sector,new_sector,weight\nDG,20,0.8\nDG,22,0.3\nDH,22,1\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="weights of old sector 'DG' sum to 1.1, not 1") as info:
        read_conversion(path)
    assert info.value.file == str(path) and info.value.row == 2
    with pytest.raises(ConfigError, match="sum to 1.1"):
        apply_conversion(_panel(), path)


def test_bad_weight_and_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "key.csv"
    path.write_text("old_sector,new_sector,weight\nDG,20,1\nDH,22,-1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a number ≥ 0") as info:
        read_conversion(path)
    assert info.value.row == 3
    with pytest.raises(ConfigError, match="lacks column"):
        read_conversion(pd.DataFrame({"old_sector": ["DG"], "weight": [1.0]}))


def test_key_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "key.csv"
    path.write_text(
        "old_sector,new_sector,weight\nDG,20,0.5\nDG,22,0.5\nDH,22,1\n", encoding="utf-8"
    )
    out = apply_conversion(_panel(), path).data.set_index(["sector", "year"])["value"]
    assert out[("20", 2000)] == 50.0 and out[("22", 2000)] == 90.0

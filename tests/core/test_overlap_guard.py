"""Read through the library (not the CLI), a file whose sectors contain each other must never give a
silently wrong measure: without TOTAL the region total would be a sum counting division 20 twice. The
reader refuses such a file; read anyway (``allow_overlaps=True``), every measure refuses to sum them."""

from __future__ import annotations

import pytest

from speerpunt.errors import DataError, MeasureError
from speerpunt.io import read_panel
from speerpunt.measures import location_quotient, shift_share

ROWS = """region,sector,year,variable,value
R,C,2010,employment,90
R,20,2010,employment,25
R,F,2010,employment,40
R,C,2020,employment,100
R,20,2020,employment,30
R,F,2020,employment,50
N,C,2010,employment,950
N,20,2010,employment,180
N,F,2010,employment,700
N,C,2020,employment,1000
N,20,2020,employment,200
N,F,2020,employment,800
"""


@pytest.fixture
def panel(tmp_path):
    path = tmp_path / "overlap.csv"
    path.write_text(ROWS, encoding="utf-8")
    with pytest.raises(DataError, match="20 is inside sector C"):
        read_panel(path)
    return read_panel(path, allow_overlaps=True)


def test_the_read_warns_and_every_measure_over_all_sectors_refuses(panel):
    assert any("20 is inside C" in w for w in panel.meta.reading["warnings"])
    with pytest.raises(MeasureError, match="20 is inside C"):
        location_quotient(panel, variable="employment", year=2020, regions=["R"], reference="N")
    with pytest.raises(MeasureError, match="20 is inside C"):
        shift_share(
            panel, variable="employment", start=2010, end=2020, regions=["R"], reference="N"
        )
    with pytest.raises(MeasureError, match="count 20 twice"):
        location_quotient(
            panel,
            variable="employment",
            year=2020,
            regions=["R"],
            reference="N",
            sectors=["C", "20"],
        )


def test_sectors_that_do_not_overlap_give_the_hand_computed_lq(panel):
    lq = location_quotient(
        panel, variable="employment", year=2020, regions=["R"], reference="N", sectors=["C", "F"]
    ).set_index("sector")["lq"]
    # totals 100 + 50 = 150 and 1000 + 800 = 1800 (20 is inside C, so not added)
    assert lq["C"] == pytest.approx((100 / 150) / (1000 / 1800), rel=1e-12)
    assert lq["F"] == pytest.approx((50 / 150) / (800 / 1800), rel=1e-12)

"""Reading and validating firm records on both engines: counted cases and one-line errors."""

from __future__ import annotations

import pandas as pd
import pytest

from speerpunt.errors import DataError, MeasureError
from tests.firms.conftest import register

GOOD = [
    (1, 2019, "11002", "20140", 5),
    (1, 2020, "12025", "20140", 6),  # moves from Antwerpen to Mechelen
    (2, 2019, "11002", "46", 12),
    (2, 2020, "11002", "47", 12),  # moves sector
    (3, 2020, "21001", "C", 0),
]


def test_report_counts_firm_years_firms_and_moves(load):
    recs = load(register(GOOD))
    r = recs.report
    assert (r.rows, r.firms, r.first_year, r.last_year) == (5, 3, 2019, 2020)
    assert (r.region_moves, r.sector_moves) == (1, 1)
    table = r.to_frame().set_index("case")
    assert int(table.loc["firms moving region", "count"]) == 1
    assert recs.nace_min_depth == 1  # firm 3 is coded at the section level


def test_parquet_and_csv_give_the_same_records(load):
    a = load(register(GOOD), fmt="csv", name="a")
    b = load(register(GOOD), fmt="parquet", name="b")
    cols = ["firm_id", "year", "region", "nace", "employees"]
    ta = a.execute(a.table).sort_values(["firm_id", "year"])[cols].reset_index(drop=True)
    tb = b.execute(b.table).sort_values(["firm_id", "year"])[cols].reset_index(drop=True)
    # CSV ids are read as text, Parquet keeps integers: the same firms either way
    ta["firm_id"], tb["firm_id"] = ta["firm_id"].astype(str), tb["firm_id"].astype(str)
    pd.testing.assert_frame_equal(ta, tb, check_dtype=False)
    assert ta["nace"].tolist() == ["20140", "20140", "46", "47", "C"]


BAD = [
    (
        "duplicate",
        GOOD + [(1, 2019, "11002", "20140", 7)],
        "firms.csv, column 'firm_id': duplicate firm-year: firm 1 has 2 records in 2019 (1 duplicated firm-year)",
    ),
    (
        "negative",
        GOOD + [(4, 2019, "11002", "20140", -3)],
        "firms.csv, column 'employees': negative number of employees '-3' for firm 4 in 2019 (1 record)",
    ),
    (
        "fractional",
        GOOD + [(4, 2019, "11002", "20140", 2.5)],
        "firms.csv, column 'employees': not a whole number '2.5' for firm 4 in 2019 (1 record)",
    ),
    (
        "unknown nace",
        GOOD + [(4, 2019, "11002", "99999", 1), (5, 2019, "11002", "99999", 1)],
        "firms.csv, column 'nace': unknown NACE code '99999' (firm 4; 2 record(s) with 1 unknown code(s))",
    ),
    (
        "unknown municipality",
        GOOD + [(4, 2019, "99999", "20140", 1)],
        "firms.csv, column 'region': unknown NIS code '99999' (firm 4; 1 record(s) with 1 unknown code(s))",
    ),
]


@pytest.mark.parametrize("case,rows,message", BAD, ids=[b[0] for b in BAD])
def test_bad_records_are_one_line_errors(load, case, rows, message):
    with pytest.raises(DataError) as err:
        load(register(rows))
    assert str(err.value) == message
    assert "\n" not in str(err.value)


def test_missing_column_and_non_numeric_year(load):
    with pytest.raises(DataError, match=r"missing required column\(s\): employees"):
        load(register(GOOD).drop(columns="employees"))
    rows = register(GOOD).astype({"year": object})
    rows.loc[2, "year"] = "twenty"
    with pytest.raises(DataError, match="column 'year': not a number 'twenty' for firm 2"):
        load(rows)


def test_numeric_codes_in_parquet_are_refused(load):
    rows = register(GOOD)
    rows["nace"] = [20140, 20140, 46, 47, 1]
    with pytest.raises(DataError, match="column 'nace': must be text"):
        load(rows, fmt="parquet")


def test_asking_finer_nace_than_the_records_have_is_an_error(load):
    from speerpunt.firms.panels import firm_panel

    recs = load(register(GOOD))
    with pytest.raises(MeasureError, match="NACE codes at the section level; they cannot be split"):
        firm_panel(recs, nace_level="division")
    coarse = load(register(GOOD + [(4, 2020, "10000", "20140", 3)]), name="coarse")
    with pytest.raises(
        MeasureError, match="region code 10000 \\(province\\), which cannot be split into arr"
    ):
        firm_panel(coarse, territory="arrondissement", nace_level="section")
    p = firm_panel(coarse, territory="province", nace_level="section", confidentiality=None)
    d = p.data
    emp = d[(d["variable"] == "employees") & (d["sector"] == "C") & (d["year"] == 2020)]
    # 2020: firm 1 in Mechelen (6) and firm 4 coded at the province (3); firm 3 in Brussels (0)
    assert emp.set_index("region")["value"].to_dict() == {"10000": 6 + 3, "04000": 0.0}

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


def test_duplicate_firm_years_among_other_years_are_counted(load):
    # firm 7: 2018 once and 2019 three times; firm 8: 2020 twice -> two duplicated firm-years
    rows = GOOD + [
        (7, 2018, "11002", "20140", 1),
        (7, 2019, "11002", "20140", 1),
        (7, 2019, "11002", "20140", 2),
        (7, 2019, "11002", "20140", 3),
        (8, 2020, "11002", "46", 1),
        (8, 2020, "11002", "46", 1),
    ]
    with pytest.raises(DataError) as err:
        load(register(rows))
    assert str(err.value) == (
        "firms.csv, column 'firm_id': duplicate firm-year: firm 7 has 3 records in 2019 "
        "(2 duplicated firm-years)"
    )


def test_years_62_apart_are_told_apart(load):
    # 1957 and 2019 are bits 0 and 62 of a firm's year mask; 1987 is bit 30. A mask built in 32-bit
    # integers would wrap bit 62 onto bit 30 and see firm 9's two years as one (a false duplicate).
    rows = GOOD + [(9, 1987, "11002", "46", 1), (9, 2019, "11002", "46", 1)]
    rows += [(10, 1957, "11002", "46", 1)]
    # 32-bit years in Parquet (as the synthetic registers write them) are where a narrow mask would bite
    r = load(register(rows).astype({"year": "int32"}), fmt="parquet").report
    assert (r.rows, r.firms, r.first_year, r.last_year) == (8, 5, 1957, 2020)
    with pytest.raises(
        DataError, match="firm 9 has 2 records in 2019 \\(1 duplicated firm-year\\)"
    ):
        load(register(rows + [(9, 2019, "11002", "46", 2)]), name="dup")


def test_years_at_the_edge_of_the_32_bit_mask(load):
    # Spans under 31 years use 32-bit masks (bits 0-30), from 31 years 64-bit ones: 1990-2020 puts
    # 2020 on bit 30, the last a 32-bit mask holds; 1989-2020 puts it on bit 31.
    for first in (1990, 1989):
        rows = GOOD + [(9, first, "11002", "46", 1), (9, 2019, "11002", "46", 1)]
        rows += [(10, first + 30, "11002", "46", 1)]
        data = register(rows).astype({"year": "int32"})
        r = load(data, fmt="parquet", name=f"ok{first}").report
        assert (r.rows, r.firms, r.first_year, r.last_year) == (8, 5, first, 2020)
        with pytest.raises(DataError, match="firm 9 has 2 records in 2019 \\(1 duplicated"):
            load(register(rows + [(9, 2019, "11002", "46", 2)]), name=f"dup{first}")


def test_years_spanning_more_than_the_mask_holds(load):
    # 1900-2020 needs 121 bits: duplicates are then found by counting distinct firm-years
    rows = GOOD + [(11, 1900, "21001", "C", 2), (11, 2019, "21001", "C", 2)]
    r = load(register(rows)).report
    assert (r.rows, r.firms, r.first_year, r.region_moves) == (7, 4, 1900, 1)
    with pytest.raises(
        DataError, match="firm 11 has 2 records in 1900 \\(1 duplicated firm-year\\)"
    ):
        load(register(rows + [(11, 1900, "21001", "C", 3)]), name="dup")


def test_blank_codes_are_missing_values(load):
    rows = register(GOOD + [(4, 2019, "  ", "20140", 1)])
    with pytest.raises(DataError) as err:
        load(rows, fmt="parquet")
    assert str(err.value) == (
        "firms.parquet, column 'region': missing value '  ' for firm 4 in 2019 (1 record)"
    )
    rows = register(GOOD + [(4, 2019, "11002", " ", 1), (5, 2020, "11002", "", 1)])
    with pytest.raises(DataError) as err:
        load(rows, fmt="parquet")
    assert str(err.value) == (
        "firms.parquet, column 'nace': missing value ' ' for firm 4 in 2019 (2 records)"
    )


def test_moves_are_the_same_when_codes_are_compared_as_text(load):
    # Moves compare hashes of the codes when the hashes tell the codes present apart, the codes
    # themselves otherwise (Spark's 32-bit hash can collide); both ways must count the same firms.
    from dataclasses import replace

    from speerpunt.firms import records as R

    recs = load(register(GOOD))
    raw = recs.table
    scan = R._Scan(regions=pd.DataFrame(), rows=5, first_year=2019, last_year=2020)
    codes = R._Codes(
        regions=set(recs.region_codes),
        naces=set(recs.nace_codes),
        min_depth=1,
        clean_region=True,
        clean_nace=True,
        keys_ok=False,
    )
    as_text = R._report(recs.con, raw, "firms.csv", scan, codes, False)
    assert (as_text.region_moves, as_text.sector_moves, as_text.firms) == (1, 1, 3)
    hashed = R._report(
        recs.con,
        raw,
        "firms.csv",
        scan,
        replace(codes, keys_ok=True),
        False,
    )
    assert hashed == as_text


def test_a_hash_shared_by_two_codes_is_noticed():
    from speerpunt.firms.records import _hash_tells_apart

    ok = pd.DataFrame({"code": ["46", "46", "47"], "h": [5, 5, 6]})  # one code spelt two ways
    clash = pd.DataFrame({"code": ["46", "47"], "h": [5, 5]})
    assert _hash_tells_apart(ok) and not _hash_tells_apart(clash)


def test_the_direct_firm_table_setting_is_put_back(tmp_path):
    # DuckDB indexes the per-firm table by firm id during validation only; the connection's own
    # setting (12 bits by default) is restored, and the firms are counted either way.
    from speerpunt.firms.engine import connect
    from speerpunt.firms.records import load_records

    con = connect("duckdb")
    path = tmp_path / "firms.parquet"
    register(GOOD + [(70_000, 2019, "11002", "46", 1)]).to_parquet(path, index=False)
    r = load_records(path, con=con).report
    assert (r.firms, r.rows, r.region_moves, r.sector_moves) == (4, 6, 1, 1)
    setting = con.raw_sql("select current_setting('perfect_ht_threshold')").fetchone()[0]
    assert int(setting) == 12


def test_the_direct_firm_table_is_used_only_when_every_thread_s_copy_fits(tmp_path):
    # Two threads and the merge hold a table each: 3 × 2^22 slots × 48 bytes = 604 MB fits in 1 GB,
    # 3 × 2^24 × 48 = 2.42 GB does not (then the spilling hash table is used and the setting untouched).
    from speerpunt.firms.engine import connect
    from speerpunt.firms.records import _direct_firm_table, _direct_table_fits

    con = connect("duckdb", threads=2, memory_limit="1GB")
    assert _direct_table_fits(con, 22) and not _direct_table_fits(con, 24)

    def threshold() -> int:
        return int(con.raw_sql("select current_setting('perfect_ht_threshold')").fetchone()[0])

    with _direct_firm_table(con, (0, 2**24 - 1)):  # 24 bits: too large for 1 GB
        assert threshold() == 12
    with _direct_firm_table(con, (0, 2**22 - 1)):  # 22 bits
        assert threshold() == 22
    assert threshold() == 12


#: The same refusals in Dutch (written by hand from the English above).
BAD_NL = {
    "duplicate": "firms.csv, kolom 'firm_id': dubbel ondernemingsjaar: onderneming 1 heeft 2 records "
    "in 2019 (1 dubbel ondernemingsjaar)",
    "negative": "firms.csv, kolom 'employees': negatief aantal werknemers '-3' voor onderneming 4 "
    "in 2019 (1 record)",
    "unknown nace": "firms.csv, kolom 'nace': onbekende NACE-code '99999' (onderneming 4; "
    "2 record(s) met 1 onbekende code(s))",
}


@pytest.mark.parametrize("case", sorted(BAD_NL))
def test_bad_records_are_one_line_errors_in_dutch(load, case):
    rows = dict((b[0], b[1]) for b in BAD)[case]
    with pytest.raises(DataError) as err:
        load(register(rows))
    assert err.value.one_line("nl") == BAD_NL[case]


TYPED_BAD = [
    # (column, value, expected message after "firms.parquet, column '<column>': ")
    ("employees", -3, "negative number of employees '-3' for firm 9 in 2020 (2 records)"),
    ("employees", None, "missing value (empty) for firm 9 in 2020 (2 records)"),
    ("year", None, "missing value (empty) for firm 9 in (empty) (2 records)"),
    ("firm_id", None, "missing value (empty) for firm (empty) in 2020 (2 records)"),
]


@pytest.mark.parametrize(
    "column,value,message", TYPED_BAD, ids=[f"{c}={v}" for c, v, _ in TYPED_BAD]
)
def test_bad_values_in_typed_parquet_row_groups(
    engine, connection, tmp_path, column, value, message
):
    # Typed columns are checked from the Parquet statistics on DuckDB (every row group's null count
    # and minimum), per record on Spark: a bad value in the last of many row groups must be found by
    # both, with the same count and the same first example.
    import pyarrow as pa
    import pyarrow.parquet as pq

    from speerpunt.firms.records import load_records

    # 15 records in row groups of 2; the bad ones are the last two, both firm 9 in 2020 (also a
    # duplicate firm-year: values are checked first), so the example named is the same either way
    later = [(8 + i, 2019, "11002", "46", 1) for i in range(8)] + [(9, 2020, "11002", "46", 4)] * 2
    rows = register(GOOD + later)
    rows = rows.astype({"firm_id": "Int64", "year": "Int32", "employees": "Int32"})
    rows.iloc[-2:, rows.columns.get_loc(column)] = value
    path = tmp_path / "firms.parquet"
    pq.write_table(pa.Table.from_pandas(rows, preserve_index=False), path, row_group_size=2)
    assert pq.ParquetFile(path).metadata.num_row_groups == 8
    with pytest.raises(DataError) as err:
        load_records(path, con=connection(engine))
    assert str(err.value) == f"firms.parquet, column '{column}': {message}"

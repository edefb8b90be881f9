"""DuckDB and Spark give identical results on a synthetic register; the generator is deterministic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from speerpunt.firms.demography import demography
from speerpunt.firms.engine import EngineError, check_engine
from speerpunt.firms.panels import firm_cells
from speerpunt.firms.records import load_records
from speerpunt.firms.synthetic import synthetic_register, write_register
from speerpunt.firms.transitions import transition_matrix


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    return write_register(
        tmp_path_factory.mktemp("synth") / "r.parquet", 6_000, years=(2016, 2019), seed=7
    )


def test_synthetic_register_is_deterministic_and_plausible(parquet):
    a = synthetic_register(1_500, years=(2016, 2019), seed=7)
    assert a.equals(synthetic_register(1_500, years=(2016, 2019), seed=7))
    assert not a.equals(synthetic_register(1_500, years=(2016, 2019), seed=8))
    back = pd.read_parquet(parquet)
    # the Parquet writer streams the same register (6,000 firm-years over 4 years = 1,500 a year)
    pd.testing.assert_frame_equal(back, a, check_dtype=False)
    assert not back.duplicated(["firm_id", "year"]).any()
    first = back[back["year"] == 2016]
    micro = (first["employees"] < 10).mean()
    assert 0.8 < micro < 0.99  # most firms are micro firms, as in Belgian registers
    big = synthetic_register(50_000, years=(2019, 2019), seed=1)["employees"]
    assert 0 < (big >= 250).mean() < 0.002  # … and the lognormal tail reaches a few large firms
    assert back.groupby("firm_id")["region"].nunique().gt(1).any()  # some firms move
    assert set(back["year"]) == {2016, 2017, 2018, 2019}


def test_spark_and_duckdb_agree(parquet, connection):
    duck = load_records(parquet, con=connection("duckdb"))
    spark = load_records(parquet, con=connection("spark"))
    assert duck.report == spark.report
    keys = {"territory": "province", "nace_level": "division"}
    a, b = firm_cells(duck, **keys), firm_cells(spark, **keys)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    ta = transition_matrix(duck, 2016, 2019, by="sector")
    tb = transition_matrix(spark, 2016, 2019, by="sector")
    pd.testing.assert_frame_equal(ta, tb, check_dtype=False)
    da, db = demography(duck), demography(spark)
    pd.testing.assert_frame_equal(da, db, check_dtype=False)
    assert np.isclose(a["employees"].sum(), pd.read_parquet(parquet)["employees"].sum())


def test_unknown_engine_is_a_one_line_error():
    with pytest.raises(
        EngineError, match="unknown engine 'polars' \\(choose from duckdb, spark\\)"
    ):
        check_engine("polars")


def test_code_tables_reach_spark_without_the_arrow_fallback(parquet, connection):
    # pandas 3 keeps text in Arrow chunks, which PySpark 4.0's Arrow path refused ("Cannot convert
    # pyarrow.lib.ChunkedArray"): it fell back row by row and warned on every command.
    import warnings

    spark = load_records(parquet, con=connection("spark"))
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*Arrow optimization.*")
        cells = firm_cells(spark, territory="arrondissement", nace_level="division")
    assert cells["employees"].sum() == pd.read_parquet(parquet)["employees"].sum()

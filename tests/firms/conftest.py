"""One suite, two engines: every test taking ``engine`` runs on DuckDB and on Spark (local[2]).

The Spark session is started once for the whole test session (``speerpunt.firms.engine`` caches it) and
stopped at the end. Tests write their registers to CSV/Parquet and read them back through the engine,
so the file readers are exercised on both engines too.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from speerpunt.firms.engine import connect, stop_spark
from speerpunt.firms.records import load_records

ENGINES = ["duckdb", "spark"]


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def connection():
    """One backend per engine for the session (Spark starts once)."""
    cons: dict[str, object] = {}

    def get(name: str):
        if name not in cons:
            cons[name] = connect(name)
        return cons[name]

    yield get
    stop_spark()


@pytest.fixture
def load(engine, connection, tmp_path):
    """Write a register to a file (CSV by default) and read it on the engine under test."""

    def _load(rows: pd.DataFrame | dict, fmt: str = "csv", name: str = "firms"):
        df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
        path = Path(tmp_path) / f"{name}.{fmt}"
        if fmt == "csv":
            df.to_csv(path, index=False)
        else:
            df.to_parquet(path, index=False)
        return load_records(path, con=connection(engine))

    return _load


def register(rows: list[tuple]) -> pd.DataFrame:
    """``(firm_id, year, region, nace, employees)`` tuples → a records DataFrame."""
    return pd.DataFrame(rows, columns=["firm_id", "year", "region", "nace", "employees"])

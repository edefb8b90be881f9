"""Raw files of the embedded detailed datasets, read with plain pandas/sqlite3 (never through speerpunt)."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture(scope="session")
def sbs_raw(shared_dir) -> pd.DataFrame:
    """The SBS long table as shipped in ../shared: geo, nace_r2 (C20 …), persons employed."""
    path = shared_dir / "data/eurostat/sbs_nuts2_2014/sbs_r_nuts06_r2_2014_V16110_long.csv"
    return pd.read_csv(path, dtype={"geo": str, "nace_r2": str})


@pytest.fixture(scope="session")
def sbs_wide(sbs_raw) -> pd.DataFrame:
    """geo × division (C20 …) of persons employed, zeros as in the file."""
    return sbs_raw.pivot(index="geo", columns="nace_r2", values="persons_employed_V16110")


def selection_lq(sel, variable: str, year: int) -> pd.DataFrame:
    """Location quotients of a :class:`speerpunt.classify.selection.Selection` (the code under test)."""
    from speerpunt.measures import location_quotient

    return location_quotient(sel.panel, variable=variable, year=year, **sel.kwargs())

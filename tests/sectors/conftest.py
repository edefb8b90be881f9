"""Raw files of the embedded detailed datasets, read with plain pandas/sqlite3 (never through speerpunt)."""

from __future__ import annotations

import sqlite3
import zipfile

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


@pytest.fixture(scope="session")
def statbel_raw(shared_dir, tmp_path_factory) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Statbel fact table (every legal form) and its municipality table."""
    zpath = shared_dir / "data/statbel/vat_enterprises_2019/TF_VAT_NACE_SQ_2019.zip"
    folder = tmp_path_factory.mktemp("statbel")
    with zipfile.ZipFile(zpath) as zf:
        zf.extractall(folder)
    con = sqlite3.connect(folder / "TF_VAT_NACE_2019.sqlite")
    facts = pd.read_sql_query("SELECT * FROM TF_VAT_NACE_2019", con)
    munis = pd.read_sql_query("SELECT * FROM TD_MUNTY_REFNIS", con)
    con.close()
    return facts, munis


def selection_lq(sel, variable: str, year: int) -> pd.DataFrame:
    """Location quotients of a :class:`speerpunt.classify.selection.Selection` (the code under test)."""
    from speerpunt.measures import location_quotient

    return location_quotient(sel.panel, variable=variable, year=year, **sel.kwargs())

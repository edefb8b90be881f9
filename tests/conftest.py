"""Fixtures shared by every test area."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory):
    """Validations remembered by tests stay in the test session (never in the user's cache)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SPEERPUNT_CACHE_DIR", str(tmp_path_factory.mktemp("speerpunt-cache")))
        yield


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ``../shared`` folder beside the checkout (data, seeds, oracles)."""
    assert SHARED.is_dir(), f"expected the shared folder at {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


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

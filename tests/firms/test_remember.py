"""A register that passed validation and has not changed since is not validated again.

Registers are written by hand with counts checked by eye; the passes are observed by replacing them with
functions that fail if called (the second load must not need them).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import speerpunt.firms.records as records
from speerpunt.errors import DataError
from speerpunt.firms.engine import connect
from speerpunt.firms.panels import firm_cells
from speerpunt.firms.records import load_records

HOUR_NS = 3600 * 10**9


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SPEERPUNT_CACHE_DIR", str(folder))
    monkeypatch.delenv("SPEERPUNT_REMEMBER_VALIDATION", raising=False)
    return folder / "records"


def _register() -> pd.DataFrame:
    # firm 1 moves from Antwerpen (11002) to Gent (44021) in 2020; firm 2 changes sector in 2020
    return pd.DataFrame(
        {
            "firm_id": [1, 1, 2, 2, 3],
            "year": [2019, 2020, 2019, 2020, 2020],
            "region": ["11002", "44021", "11002", "11002", "44021"],
            "nace": ["20.14", "20.14", "46.90", "47.11", "20.14"],
            "employees": [12, 15, 3, 4, 60],
            "size_class": ["10-49", "10-49", "0-9", "0-9", "50-249"],
        }
    )


def _write(df: pd.DataFrame, path: Path, age_ns: int = HOUR_NS) -> Path:
    # plain, uncompressed columns: the same number of rows gives the same file size
    df.to_parquet(path, index=False, compression=None, use_dictionary=False)
    then = os.stat(path).st_mtime_ns - age_ns
    os.utime(path, ns=(then, then))  # written an hour ago, as a register usually is
    return path


def _no_passes(monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise AssertionError("validated again")

    for name in ("_scan", "_check_codes", "_report"):
        monkeypatch.setattr(records, name, fail)


def test_second_load_reads_what_the_first_found(tmp_path, cache, monkeypatch) -> None:
    path = _write(_register(), tmp_path / "firms.parquet")
    con = connect("duckdb")
    first = load_records(path, con=con)
    assert (first.report.rows, first.report.firms) == (5, 3)
    assert (first.report.region_moves, first.report.sector_moves) == (1, 1)
    assert len(list(cache.glob("*.json"))) == 1
    _no_passes(monkeypatch)
    again = load_records(path, con=con, name="register 2019-2020")
    assert again.report.source == "register 2019-2020"
    assert (again.report.rows, again.report.firms, again.report.first_year) == (5, 3, 2019)
    assert (again.report.region_moves, again.report.sector_moves) == (1, 1)
    notes = again.report.notes
    assert any("size_class" in n for n in notes)  # the unused column is still reported
    assert any(n.startswith("validated on 20") and "not run again" in n for n in notes)
    assert not any("not run again" in n for n in first.report.notes)
    assert again.region_codes == {"11002", "44021"}
    assert again.nace_codes == {"2014", "4690", "4711"}
    cells = firm_cells(again, territory="province", nace_level="division")
    got = cells.set_index(["region", "sector", "year"])["employees"].to_dict()
    # by hand: Antwerpen province 10000, Oost-Vlaanderen 40000 (Gent 44021)
    assert got[("10000", "20", 2019)] == 12
    assert got[("40000", "20", 2020)] == 15 + 60
    assert got[("10000", "46", 2019)] == 3 and got[("10000", "47", 2020)] == 4


def test_a_changed_file_is_validated_again(tmp_path, cache) -> None:
    path = _write(_register(), tmp_path / "firms.parquet")
    con = connect("duckdb")
    load_records(path, con=con)
    dup = _register()
    dup.loc[4, ["firm_id", "year"]] = [2, 2020]  # firm 2 twice in 2020
    _write(dup, path, age_ns=0)
    with pytest.raises(DataError, match="duplicate"):
        load_records(path, con=con)
    assert len(list(cache.glob("*.json"))) == 1  # the refusal is not remembered


def test_same_size_and_time_but_another_footer_is_validated_again(tmp_path, cache) -> None:
    """A rewrite that keeps the size and (set back) modification time still changes the Parquet
    footer's statistics: validated again, and the negative value refused."""
    path = _write(_register(), tmp_path / "firms.parquet")
    con = connect("duckdb")
    load_records(path, con=con)
    before = os.stat(path)
    bad = _register()
    bad.loc[2, "employees"] = -3
    bad.to_parquet(path, index=False, compression=None, use_dictionary=False)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    with pytest.raises(DataError, match="negative"):
        load_records(path, con=con)


def test_a_file_written_just_now_is_not_remembered(tmp_path, cache) -> None:
    path = _write(_register(), tmp_path / "firms.parquet", age_ns=0)
    load_records(path, con=connect("duckdb"))
    assert not cache.exists() or not list(cache.glob("*.json"))


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_remembering_can_be_switched_off(tmp_path, cache, monkeypatch, how) -> None:
    path = _write(_register(), tmp_path / "firms.parquet")
    if how == "environment":
        monkeypatch.setenv("SPEERPUNT_REMEMBER_VALIDATION", "0")
    load_records(path, con=connect("duckdb"), remember=how != "argument")
    assert not cache.exists() or not list(cache.glob("*.json"))


def test_a_cache_folder_that_cannot_be_made_only_means_nothing_is_remembered(
    tmp_path, monkeypatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SPEERPUNT_CACHE_DIR", str(blocker))
    path = _write(_register(), tmp_path / "firms.parquet")
    recs = load_records(path, con=connect("duckdb"))
    assert recs.report.rows == 5
    assert blocker.read_text() == "x"


def test_recheck_runs_the_passes_on_a_remembered_file(tmp_path, cache, monkeypatch) -> None:
    path = _write(_register(), tmp_path / "firms.parquet")
    con = connect("duckdb")
    load_records(path, con=con)
    calls = []
    real = records._report

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(records, "_report", counted)
    load_records(path, con=con)
    assert calls == []
    again = load_records(path, con=con, recheck=True)
    assert calls == [1] and again.report.firms == 3


def test_cli_check_always_checks_and_later_commands_say_they_did_not(tmp_path, cache) -> None:
    """``firms check`` runs the checks; ``firms panel`` on the unchanged file says it did not."""
    import subprocess
    import sys

    path = _write(_register(), tmp_path / "firms.parquet")
    exe = Path(sys.executable).with_name("speerpunt")
    env = {**os.environ, "SPEERPUNT_CACHE_DIR": str(cache.parent)}
    first = subprocess.run(
        [str(exe), "firms", "check", str(path)], capture_output=True, text=True, env=env
    )
    assert first.returncode == 0, first.stderr
    assert "not run again" not in first.stderr
    later = subprocess.run(
        [str(exe), "firms", "panel", str(path), "--territory", "province", "--format", "csv"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert later.returncode == 0, later.stderr
    assert "not run again" in later.stderr
    rows = pd.read_csv(io.StringIO(later.stdout), dtype={"region": str, "sector": str})
    cell = rows[rows["variable"] == "employees"].set_index(["region", "sector", "year"])
    # two firms in the cell: confidential under the default rule, so no number is shown
    assert cell.loc[("40000", "20", 2020), "flag"] == "c"
    assert np.isnan(cell.loc[("40000", "20", 2020), "value"])
    checked = subprocess.run(
        [str(exe), "firms", "check", str(path)], capture_output=True, text=True, env=env
    )
    assert "not run again" not in checked.stderr

"""Real exports: the German REAT panels (``../shared/data/reat``) through the CLI with ``--variable``, and
Eurostat files. Expected numbers come from the raw files read with plain pandas in the test."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from speerpunt.io import inspect_file, read_panel


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "speerpunt", *args], capture_output=True, text=True, timeout=180
    )


@pytest.fixture(scope="module")
def reat(shared_dir):
    return shared_dir / "data" / "reat"


def test_german_regions_lq_uses_insgesamt_as_the_total(reat):
    path = reat / "G.regions.emp.csv"
    raw = pd.read_csv(path)
    raw = raw[raw["year"] == 2014].set_index(["region", "industry"])["emp"]
    sectors = ["Baugewerbe (F)", "Verarbeitendes Gewerbe (C)"]
    res = cli(
        "lq",
        "--data",
        str(path),
        "--variable",
        "emp",
        "--region",
        "Bayern",
        "--reference",
        "Insgesamt",
        "--year",
        "2014",
        "--sectors",
        ",".join(sectors),
        "--format",
        "json",
    )
    assert res.returncode == 0, res.stderr
    rows = {r["sector"]: r for r in json.loads(res.stdout)}
    for sector in sectors:
        share = raw["Bayern", sector] / raw["Bayern", "Insgesamt"]
        ref = raw["Insgesamt", sector] / raw["Insgesamt", "Insgesamt"]
        assert rows[sector]["total"] == raw["Bayern", "Insgesamt"]  # 5 065 073, not 11.47 M
        assert rows[sector]["lq"] == pytest.approx(share / ref, rel=1e-9)


def test_german_regions_without_sectors_or_variable_are_refused_in_one_line(reat):
    path = str(reat / "G.regions.emp.csv")
    common = ["--region", "Bayern", "--reference", "Insgesamt", "--year", "2014"]
    res = cli("lq", "--data", path, *common)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "no column 'employment'" in res.stderr and "emp" in res.stderr
    res = cli("lq", "--data", path, "--variable", "emp", *common)
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    assert (
        "Verarbeitendes Gewerbe (C) is inside sector Produzierendes Gewerbe ohne Baugewerbe (B-E)"
        in res.stderr
    )
    assert "--sectors" in res.stderr


def test_german_industries_codes_and_value_column(reat):
    path = reat / "G.regions.industries.csv"
    raw = pd.read_csv(path)
    panel = read_panel(path, variable="emp_all")
    bavaria_c = raw[(raw["region"] == "Bayern") & (raw["ind_code"] == "WZ08-C")]["emp_all"]
    cell = panel.data[(panel.data["region"] == "Bayern") & (panel.data["sector"] == "C")]
    assert cell["value"].tolist() == bavaria_c.tolist()
    assert panel.variables == ["emp_all"] and len(panel) == len(raw)
    summary = inspect_file(path, variable="emp_all")
    assert summary.sector_relabels["WZ08-C"] == "C"
    assert set(summary.ignored_columns) == {"region_code", "ind_name", "firms", "pop", "area_sqkm"}
    res = cli("inspect", str(path), "--variable", "firms", "--format", "json")
    assert res.returncode == 0, res.stderr
    shown = json.loads(res.stdout)
    assert shown["variables"] == ["firms"] and shown["rows"] == len(raw)
    assert shown["header_mapping"]["sector"] == "ind_code"


def test_eu28_file_finds_its_only_value_column(reat):
    path = reat / "EU28.emp.csv"
    raw = pd.read_csv(path)
    panel = read_panel(path)
    assert panel.variables == ["emp1000"]
    at = raw[(raw["geo"] == "AT") & (raw["nace_r2"] == "A") & (raw["time"] == 2016)]["emp1000"]
    got = panel.data[
        (panel.data["region"] == "AT")
        & (panel.data["sector"] == "A")
        & (panel.data["year"] == 2016)
    ]["value"]
    assert got.tolist() == at.tolist()
    assert raw["emp1000"].isna().sum() == (panel.data["flag"] == ":").sum()
    res = cli(
        "lq",
        "--data",
        str(path),
        "--variable",
        "emp1000",
        "--region",
        "BE",
        "--reference",
        "DE",
        "--year",
        "2016",
        "--format",
        "json",
    )
    assert res.returncode == 0, res.stderr
    lq = {r["sector"]: r["lq"] for r in json.loads(res.stdout)}
    y = raw[raw["time"] == 2016].set_index(["geo", "nace_r2"])["emp1000"]
    be, de = y["BE"], y["DE"]
    assert lq["F"] == pytest.approx((be["F"] / be.sum()) / (de["F"] / de.sum()), rel=1e-9)


def test_goettingen_layout_gives_a_one_line_error(reat):
    res = cli("inspect", str(reat / "Goettingen.csv"))
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    assert "Goettingen.csv, line 1" in res.stderr and "no 'region'" in res.stderr


def test_eurostat_regional_file_summary(shared_dir):
    path = shared_dir / "data" / "eurostat" / "be_nama_10r_3empers_EMP_THS_2000_2018.csv"
    raw = pd.read_csv(path)
    summary = inspect_file(path)
    assert summary.layout == "wide-sector" and summary.separator == ","
    assert summary.header_mapping == {"region": "geo", "year": "year"}
    assert summary.rows == raw.shape[0] * (raw.shape[1] - 2)
    assert summary.parts_of_total.startswith("A, B-E, F, G-I, J, K, L, M_N, O-Q, R-U (the a10")
    assert "C is inside B-E" in summary.aggregates
    assert summary.suppressed == 0
    text = summary.to_text()
    assert "numbers: decimal point '.'" in text and "parts of TOTAL" in text

"""The core commands end to end, as a user runs them (a real subprocess, real files)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

EXE = [sys.executable, "-m", "speerpunt"]


def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
    res = subprocess.run([*EXE, *args], capture_output=True, text=True, timeout=300)
    if ok:
        assert res.returncode == 0, res.stderr
    return res


def csv_out(*args: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(run(*args, "--format", "csv").stdout))


@pytest.fixture(scope="module")
def be_wide(shared_dir: Path) -> pd.DataFrame:
    return pd.read_csv(shared_dir / "data/eurostat/be_nama_10r_3empers_EMP_THS_2000_2018.csv")


def test_datasets_lists_the_embedded_belgian_panel():
    out = run("datasets").stdout
    assert "be-employment" in out and "nama_10r_3empers" in out


def test_lq_on_embedded_data_matches_hand_calculation(be_wide):
    df = csv_out(
        "lq", "--data", "be-employment", "--region", "BE21", "--reference", "BE", "--year", "2018"
    )
    row = be_wide[be_wide["year"] == 2018].set_index("geo")
    a10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]
    assert df["sector"].tolist() == a10
    for sector, lq in zip(df["sector"], df["lq"], strict=True):
        expected = (row.loc["BE21", sector] / row.loc["BE21", "TOTAL"]) / (
            row.loc["BE", sector] / row.loc["BE", "TOTAL"]
        )
        assert lq == pytest.approx(expected, rel=1e-12)


def test_shiftshare_rows_and_total(be_wide):
    df = csv_out(
        "shiftshare",
        "--data",
        "be-employment",
        "--region",
        "BE21",
        "--reference",
        "BE",
        "--start",
        "2008",
        "--end",
        "2018",
        "--sectors",
        "C,F",
    )
    assert df["sector"].tolist() == ["C", "F", "TOTAL"]
    w = be_wide.set_index(["geo", "year"])
    be_g = w.loc[("BE", 2018), "TOTAL"] / w.loc[("BE", 2008), "TOTAL"] - 1
    c0 = w.loc[("BE21", 2008), "C"]
    c = df.set_index("sector").loc["C"]
    assert c["national_share"] == pytest.approx(c0 * be_g)
    assert c["industry_mix"] == pytest.approx(
        c0 * (w.loc[("BE", 2018), "C"] / w.loc[("BE", 2008), "C"] - 1 - be_g)
    )
    assert c["actual_change"] == pytest.approx(w.loc[("BE21", 2018), "C"] - c0)
    assert c["regional_shift"] == pytest.approx(
        c0
        * (
            (w.loc[("BE21", 2018), "C"] / c0 - 1)
            - (w.loc[("BE", 2018), "C"] / w.loc[("BE", 2008), "C"] - 1)
        )
    )
    # TOTAL sums the two requested sectors, each change read off the file
    total = df.set_index("sector").loc["TOTAL"]
    changes = {s: w.loc[("BE21", 2018), s] - w.loc[("BE21", 2008), s] for s in ("C", "F")}
    assert total["actual_change"] == pytest.approx(changes["C"] + changes["F"])


def test_indicators_all_regions_to_parquet(tmp_path, be_wide):
    out = tmp_path / "ind.parquet"
    run(
        "indicators",
        "--all-regions",
        "--start",
        "2008",
        "--end",
        "2018",
        "--format",
        "parquet",
        "--out",
        str(out),
    )
    df = pd.read_parquet(out)
    assert {"BE21", "BE2", "BE100", "BE3"} <= set(df["region"])
    assert {"lq_start", "lq_end", "lq_trend", "growth", "cagr", "regional_shift"} <= set(df.columns)
    assert set(df["lq_trend"].dropna()) <= {"+", "−", "=", ""}
    # Antwerp's construction (F) against Belgium, from the raw file
    w = be_wide.set_index(["geo", "year"])
    f = df[(df["region"] == "BE21") & (df["sector"] == "F")].iloc[0]

    def lq(year):
        region, nation = w.loc[("BE21", year)], w.loc[("BE", year)]
        return (region["F"] / region["TOTAL"]) / (nation["F"] / nation["TOTAL"])

    x0, x1 = w.loc[("BE21", 2008), "F"], w.loc[("BE21", 2018), "F"]
    big_g_f = w.loc[("BE", 2018), "F"] / w.loc[("BE", 2008), "F"] - 1
    assert f["lq_start"] == pytest.approx(lq(2008), rel=1e-9)
    assert f["lq_end"] == pytest.approx(lq(2018), rel=1e-9)
    assert f["growth"] == pytest.approx(x1 / x0 - 1, rel=1e-9)
    assert f["cagr"] == pytest.approx((x1 / x0) ** (1 / 10) - 1, rel=1e-9)
    assert f["regional_shift"] == pytest.approx(x0 * ((x1 / x0 - 1) - big_g_f), rel=1e-9)


def test_unknown_region_is_a_one_line_error_without_traceback():
    res = run("lq", "--region", "XX99", "--year", "2018", ok=False)
    assert res.returncode == 2
    assert "XX99" in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_absent_year_names_the_available_span():
    res = run("lq", "--region", "BE21", "--year", "1990", ok=False)
    assert res.returncode == 2 and "1990" in res.stderr and "2000–2018" in res.stderr


def _reat_goettingen_long(shared_dir: Path, path: Path) -> None:
    """Göttingen vs Germany (REAT data) as a long CSV; the A-R row is the published total."""
    wide = pd.read_csv(shared_dir / "data/reat/Goettingen.csv")
    rows = []
    for _, r in wide.iterrows():
        sector = "TOTAL" if r["WZ2008_Code"] == "A-R" else r["WZ2008_Code"]
        for year in range(2008, 2018):
            rows.append(("Goettingen", sector, year, "employment", r[f"Goettingen{year}"]))
            rows.append(("DE", sector, year, "employment", r[f"BRD{year}"]))
    pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]).to_csv(
        path, index=False
    )


def test_goettingen_against_germany_through_the_cli(shared_dir, tmp_path):
    path = tmp_path / "goettingen.csv"
    _reat_goettingen_long(shared_dir, path)
    lq = csv_out(
        "lq",
        "--data",
        str(path),
        "--region",
        "Goettingen",
        "--reference",
        "DE",
        "--year",
        "2017",
        "--sectors",
        "all",
    ).set_index("sector")["lq"]
    # Manufacturing (C) 2017 from the raw file: (7874 / 69403) / (6797172 / 32164973)
    assert lq["C"] == pytest.approx((7874 / 69403) / (6797172 / 32164973))
    ss = csv_out(
        "shiftshare",
        "--data",
        str(path),
        "--region",
        "Goettingen",
        "--reference",
        "DE",
        "--start",
        "2008",
        "--end",
        "2017",
        "--sectors",
        "all",
    ).set_index("sector")
    # national share of C: 9116 × (32164973 / 27695398 − 1)
    assert ss.loc["C", "national_share"] == pytest.approx(9116 * (32164973 / 27695398 - 1))
    parts = ss.loc["TOTAL", ["national_share", "industry_mix", "regional_shift"]].sum()
    assert parts == pytest.approx(ss.loc["TOTAL", "actual_change"])


def test_freiburg_growth_matches_the_published_rates(shared_dir, tmp_path):
    raw = pd.read_csv(shared_dir / "data/reat/Freiburg.csv")
    rows = []
    for _, r in raw.iterrows():
        for year, col_f, col_g in (
            (2008, "e_Freiburg2008", "e_Germany2008"),
            (2014, "e_Freiburg2014", "e_Germany2014"),
        ):
            rows.append(("Freiburg", r["industry"], year, "employment", r[col_f]))
            rows.append(("DE", r["industry"], year, "employment", r[col_g]))
    path = tmp_path / "freiburg.csv"
    pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]).to_csv(
        path, index=False
    )
    ind = csv_out(
        "indicators",
        "--data",
        str(path),
        "--region",
        "Freiburg",
        "--reference",
        "DE",
        "--start",
        "2008",
        "--end",
        "2014",
        "--sectors",
        "all",
    ).set_index("sector")
    published = raw.set_index("industry")["e_g_Freiburg_0814"]
    for sector, pct in published.items():
        assert ind.loc[sector, "growth"] * 100 == pytest.approx(pct, rel=1e-9)

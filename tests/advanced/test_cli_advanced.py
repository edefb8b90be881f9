"""The advanced-measure commands end to end (a real subprocess, real files), checked by hand calculation."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.core.test_cli import csv_out, run
from tests.results import reat_manual as reat

A10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]


@pytest.fixture(scope="module")
def be_2018(shared_dir: Path) -> pd.DataFrame:
    w = pd.read_csv(shared_dir / "data/eurostat/be_nama_10r_3empers_EMP_THS_2000_2018.csv")
    return w[w["year"] == 2018].set_index("geo")


def test_specialisation_of_antwerp_by_hand(be_2018):
    df = csv_out(
        "specialisation",
        "--data",
        "be-employment",
        "--region",
        "BE21",
        "--reference",
        "BE",
        "--variable",
        "employment",
        "--year",
        "2018",
    )
    assert df.columns.tolist() == ["measure", "value"]
    got = df.set_index("measure")["value"]
    s = be_2018.loc["BE21", A10] / be_2018.loc["BE21", A10].sum()
    r = be_2018.loc["BE", A10] / be_2018.loc["BE", A10].sum()
    assert got["krugman"] == pytest.approx((s - r).abs().sum(), rel=1e-9)
    assert got["herfindahl"] == pytest.approx((s**2).sum(), rel=1e-9)
    assert got["entropy"] == pytest.approx(-(s * np.log2(s)).sum(), rel=1e-9)
    assert got["theil_relative"] == pytest.approx((s * np.log(s / r)).sum(), rel=1e-9)
    assert got["related_variety"] + got["unrelated_variety"] == pytest.approx(
        got["entropy"], rel=1e-9
    )


def test_specialisation_reat_goettingen_from_a_long_csv(shared_dir, tmp_path):
    wide = pd.read_csv(shared_dir / "data" / "reat" / "Goettingen.csv")
    rows = [
        (reg, code, 2017, "employment", v)
        for code, g, b in zip(
            wide["WZ2008_Code"], wide["Goettingen2017"], wide["BRD2017"], strict=True
        )
        for reg, v in (("GOE", g), ("DE", b))
        if code != "A-R"
    ]
    path = tmp_path / "goettingen.csv"
    pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]).to_csv(
        path, index=False
    )
    got = csv_out(
        "specialisation",
        "--data",
        str(path),
        "--region",
        "GOE",
        "--reference",
        "DE",
        "--variable",
        "employment",
        "--year",
        "2017",
        "--sectors",
        ",".join(reat.GOETTINGEN_SECTIONS),
    )
    assert got.set_index("measure").loc["krugman", "value"] == pytest.approx(
        reat.KRUGMAN_GOETTINGEN_2017, abs=5e-7
    )


def test_concentration_of_flemish_provinces_by_hand(be_2018):
    provinces = ["BE21", "BE22", "BE23", "BE24", "BE25"]
    df = csv_out(
        "concentration",
        "--data",
        "be-employment",
        "--year",
        "2018",
        "--regions",
        ",".join(provinces),
    ).set_index("sector")
    assert df.index.tolist() == A10
    x = be_2018.loc[provinces, A10]
    totals = x.sum(axis=1)
    share_f = x["F"] / x["F"].sum()
    assert df.loc["F", "hoover"] == pytest.approx(
        0.5 * (share_f - totals / totals.sum()).abs().sum(), rel=1e-9
    )
    assert df.loc["F", "herfindahl"] == pytest.approx((share_f**2).sum(), rel=1e-9)
    assert (df["n_regions"] == 5).all()


def test_lq_ci_delta_by_hand(be_2018):
    df = csv_out(
        "lq-ci",
        "--data",
        "be-employment",
        "--region",
        "BE21",
        "--reference",
        "BE",
        "--year",
        "2018",
        "--scale",
        "1000",
    ).set_index("sector")
    a, b = be_2018.loc["BE21", "F"] * 1000, be_2018.loc["BE21", "TOTAL"] * 1000
    c, d = be_2018.loc["BE", "F"] * 1000, be_2018.loc["BE", "TOTAL"] * 1000
    lq = (a / b) / (c / d)
    se = math.sqrt(1 / a - 1 / b + 1 / c - 1 / d)
    assert df.loc["F", "lq"] == pytest.approx(lq, rel=1e-9)
    assert df.loc["F", "lower"] == pytest.approx(lq * math.exp(-1.959963984540054 * se), rel=1e-9)
    assert df.loc["F", "upper"] == pytest.approx(lq * math.exp(1.959963984540054 * se), rel=1e-9)
    assert not df["small_cell"].any()


def test_lq_variants_command_standardises_per_sector(be_2018):
    df = csv_out(
        "lq-variants",
        "--data",
        "be-employment",
        "--regions",
        "BE21,BE22,BE23,BE24,BE25",
        "--reference",
        "BE",
        "--year",
        "2018",
    )
    means = df.groupby("sector")["lq_std"].mean()
    sds = df.groupby("sector")["lq_std"].std()
    np.testing.assert_allclose(means.to_numpy(), 0.0, atol=1e-12)
    np.testing.assert_allclose(sds.to_numpy(), 1.0, rtol=1e-12)
    # By hand: LQ of each province against Belgium, z-scored over the five with the sample sd
    provinces = ["BE21", "BE22", "BE23", "BE24", "BE25"]
    share = be_2018.loc[provinces, A10].div(be_2018.loc[provinces, "TOTAL"], axis=0)
    lq = share / (be_2018.loc["BE", A10] / be_2018.loc["BE", "TOTAL"])
    z = (lq - lq.mean()) / lq.std(ddof=1)
    got = df.set_index(["region", "sector"])
    for region in provinces:
        for s in A10:
            assert got.loc[(region, s), "lq"] == pytest.approx(lq.loc[region, s], rel=1e-9)
            assert got.loc[(region, s), "lq_std"] == pytest.approx(
                z.loc[region, s], rel=1e-9, abs=1e-12
            )


def test_bad_method_is_one_line_error():
    res = run(
        "lq-ci", "--data", "be-employment", "--region", "BE21", "--method", "bootstrap", ok=False
    )
    assert res.returncode == 2
    assert res.stderr.startswith("error:") and "unknown method 'bootstrap'" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


def test_concentration_defaults_to_the_deepest_complete_nuts_level(be_2018):
    # The embedded panel has NUTS3 only for part of Belgium: the provinces (NUTS2) are the deepest level
    # that covers the whole country, and the extra-regio code BEZZ is no territory.
    df = csv_out("concentration", "--data", "be-employment", "--year", "2018").set_index("sector")
    provinces = [
        "BE10",
        "BE21",
        "BE22",
        "BE23",
        "BE24",
        "BE25",
        "BE31",
        "BE32",
        "BE33",
        "BE34",
        "BE35",
    ]
    assert (df["n_regions"] == len(provinces)).all()
    x = be_2018.loc[provinces, A10]
    share_k = x["K"] / x["K"].sum()
    totals = x.sum(axis=1)
    assert df.loc["K", "hoover"] == pytest.approx(
        0.5 * (share_k - totals / totals.sum()).abs().sum(), rel=1e-9
    )

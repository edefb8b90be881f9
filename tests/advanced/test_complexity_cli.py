"""The complexity command family end to end: real files in, CSV out, one-line errors."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.results import ecomplexity_stata as st

SPEERPUNT = str(Path(sys.executable).with_name("speerpunt"))


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([SPEERPUNT, *args], capture_output=True, text=True, timeout=120)


def _csv(proc: subprocess.CompletedProcess) -> pd.DataFrame:
    assert proc.returncode == 0, proc.stderr
    return pd.read_csv(io.StringIO(proc.stdout), keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def stata_csv(shared_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "trade.csv"
    st.stata_input(st.read_fixture(shared_dir)).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory) -> Path:
    """Five Belgian provinces, A*10 sectors plus TOTAL, 2008 and 2018."""
    rng = np.random.default_rng(11)
    sectors = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]
    rows = []
    for year in (2008, 2018):
        for region in ("BE21", "BE22", "BE23", "BE24", "BE25"):
            values = rng.lognormal(3, 1, len(sectors))
            rows += [
                (region, s, year, "employment", v) for s, v in zip(sectors, values, strict=True)
            ]
            rows.append((region, "TOTAL", year, "employment", values.sum()))
    path = tmp_path_factory.mktemp("cli") / "provinces.csv"
    pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]).to_csv(
        path, index=False
    )
    return path


A10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]


def _values(path: Path, year: int) -> pd.DataFrame:
    """Region × sector values of one year, read back from the CSV (TOTAL left out)."""
    d = pd.read_csv(path)
    d = d[(d["year"] == year) & (d["sector"] != "TOTAL")]
    return d.pivot(index="region", columns="sector", values="value")[A10]


def _shares(path: Path, year: int) -> pd.DataFrame:
    v = _values(path, year)
    return v.div(v.sum(axis=1), axis=0)


@pytest.mark.parametrize(
    ("what", "columns", "key"),
    [
        ("regions", ["region", "diversity", "eci"], "region"),
        ("sectors", ["sector", "ubiquity", "pci"], "sector"),
    ],
)
def test_complexity_matches_stata(stata_csv, shared_dir, what, columns, key):
    args = ["--data", str(stata_csv), "--year", "1995", "--variable", st.VARIABLE, "--what", what]
    out = _csv(_run("complexity", *args, "--format", "csv"))
    assert list(out.columns) == columns
    out[key] = out[key].astype(str)
    ref = st.read_fixture(shared_dir).drop_duplicates(key).set_index(key)
    measure = columns[-1]
    np.testing.assert_allclose(out.set_index(key)[measure], ref[measure].loc[out[key]], atol=1e-8)


def test_density_with_chart(small_csv, tmp_path):
    chart = tmp_path / "s3.svg"
    out = _csv(
        _run(
            "density",
            "--data",
            str(small_csv),
            "--region",
            "BE21",
            "--year",
            "2018",
            "--variable",
            "employment",
            "--chart",
            str(chart),
            "--format",
            "csv",
        )
    )
    assert list(out.columns) == ["sector", "rca", "density", "pci"]
    assert len(out) == 10 and "TOTAL" not in set(out["sector"])
    assert out["density"].between(0, 1).all()
    # By hand (Hidalgo et al. 2007, Stata convention): M = RCA ≥ 1 over the five provinces;
    # φ_ij = Σ_r M_ri·M_rj / max(u_i, u_j); density_i = Σ_{j≠i} M_j·φ_ij / Σ_{j≠i} φ_ij for BE21.
    x = _values(small_csv, 2018)
    rca = x.div(x.sum(axis=1), axis=0) / (x.sum(axis=0) / x.to_numpy().sum())
    m = (rca >= 1).astype(float).to_numpy()
    u = m.sum(axis=0)
    phi = (m.T @ m) / np.maximum.outer(u, u)
    np.fill_diagonal(phi, 0.0)
    own = m[list(x.index).index("BE21")]
    density = dict(zip(A10, (phi @ own) / phi.sum(axis=1), strict=True))
    got = out.set_index("sector")
    for s in A10:
        assert got.loc[s, "rca"] == pytest.approx(rca.loc["BE21", s], rel=1e-12), s
        assert got.loc[s, "density"] == pytest.approx(density[s], rel=1e-12), s
    assert ">M_N<" in chart.read_text(encoding="utf-8")


def test_similar(small_csv):
    out = _csv(
        _run(
            "similar",
            "--data",
            str(small_csv),
            "--region",
            "BE21",
            "--year",
            "2018",
            "--top",
            "3",
            "--method",
            "krugman",
            "--format",
            "csv",
        )
    )
    assert list(out.columns) == ["rank", "region", "score", "top_sectors", "note"]
    assert out["rank"].tolist() == [1, 2, 3] and "BE21" not in set(out["region"])
    # Krugman by hand: Σ_i |s_BE21,i − s_r,i| over the sector shares of 2018, for every other province
    shares = _shares(small_csv, 2018)
    by_hand = {
        r: (shares.loc["BE21"] - shares.loc[r]).abs().sum() for r in shares.index if r != "BE21"
    }
    best = sorted(by_hand, key=by_hand.get)[:3]
    assert out["region"].tolist() == best
    for region, score in zip(out["region"], out["score"], strict=True):
        assert score == pytest.approx(by_hand[region], rel=1e-12), region


def test_benchmark(small_csv):
    out = _csv(
        _run(
            "benchmark",
            "--data",
            str(small_csv),
            "--regions",
            "BE21,BE22+BE23",
            "--year",
            "2018",
            "--start",
            "2008",
            "--format",
            "csv",
        )
    )
    assert list(out.columns) == [
        "sector",
        "share_BE21",
        "share_BE22+BE23",
        "lq_BE21",
        "lq_BE22+BE23",
        "growth_BE21",
        "growth_BE22+BE23",
    ]
    t = out.set_index("sector")
    assert t.loc["TOTAL", "share_BE21"] == 1.0
    # By hand from the file: the combined region BE22+BE23 is the sum of both, and without an EU
    # aggregate in the data the reference is the group BE21 + BE22 + BE23.
    x = {y: _values(small_csv, y) for y in (2008, 2018)}
    combined = {y: x[y].loc["BE22"] + x[y].loc["BE23"] for y in x}
    group = x[2018].loc["BE21"] + combined[2018]
    for s in A10:
        share = x[2018].loc["BE21", s] / x[2018].loc["BE21"].sum()
        share_c = combined[2018][s] / combined[2018].sum()
        ref_share = group[s] / group.sum()
        assert t.loc[s, "share_BE21"] == pytest.approx(share, rel=1e-12), s
        assert t.loc[s, "share_BE22+BE23"] == pytest.approx(share_c, rel=1e-12), s
        assert t.loc[s, "lq_BE21"] == pytest.approx(share / ref_share, rel=1e-12), s
        assert t.loc[s, "lq_BE22+BE23"] == pytest.approx(share_c / ref_share, rel=1e-12), s
        growth = x[2018].loc["BE21", s] / x[2008].loc["BE21", s] - 1
        assert t.loc[s, "growth_BE21"] == pytest.approx(growth, rel=1e-12), s
        growth_c = combined[2018][s] / combined[2008][s] - 1
        assert t.loc[s, "growth_BE22+BE23"] == pytest.approx(growth_c, rel=1e-12), s


def test_entry_exit(small_csv):
    out = _csv(
        _run(
            "entry-exit",
            "--data",
            str(small_csv),
            "--start",
            "2008",
            "--end",
            "2018",
            "--all",
            "--format",
            "csv",
        )
    )
    assert len(out) == 5 * 10
    # By hand: RCA = (x_rs / x_r) / (X_s / X) over the five provinces, M = RCA ≥ 1, in each year
    m = {}
    for year in (2008, 2018):
        x = _values(small_csv, year)
        rca = x.div(x.sum(axis=1), axis=0) / (x.sum(axis=0) / x.to_numpy().sum())
        m[year] = rca >= 1
    verdict = {(True, True): "kept", (False, False): "absent", (False, True): "entry"}
    verdict[(True, False)] = "exit"
    got = out.set_index(["region", "sector"])["change"]
    for region in m[2008].index:
        for sector in A10:
            expected = verdict[
                (bool(m[2008].loc[region, sector]), bool(m[2018].loc[region, sector]))
            ]
            assert got[(region, sector)] == expected, (region, sector)
    assert {"entry", "exit"} <= set(got)  # the seeded panel has both kinds of change


def test_errors_are_one_line(small_csv):
    proc = _run("density", "--data", str(small_csv), "--region", "NL41", "--year", "2018")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: column 'region': region NL41 is not in the data for 'employment'"
    ]
    proc = _run("complexity", "--data", str(small_csv), "--year", "2018", "--convention", "r")
    assert proc.returncode == 2 and "unknown convention 'r'" in proc.stderr


SBS_2014 = "eurostat/sbs_nuts2_2014/sbs_r_nuts06_r2_2014_V16110_long.csv"


@pytest.mark.parametrize("start", [None, "2014"])
def test_benchmark_on_one_year_leaves_growth_missing(shared_dir, start):
    """eu-sbs-2014 holds 2014 only: growth over 2014→2014 is no period at all, so it must be missing
    (with a note on stderr), never 0 %; an explicit --start equal to --year likewise."""
    args = ["benchmark", "--data", "eu-sbs-2014", "--regions", "BE21,BE22", "--year", "2014"]
    proc = _run(*args, *(["--start", start] if start else []), "--format", "csv")
    out = _csv(proc).set_index("sector")
    assert "growth is missing" in proc.stderr and "zero-length" in proc.stderr
    for col in ("growth_BE21", "growth_BE22"):
        assert out[col].isna().all(), out[col].dropna()
    # the shares still come out: C20 chemicals in Antwerp by hand from the raw SBS file
    raw = pd.read_csv(shared_dir / "data" / SBS_2014)
    be21 = raw[raw["geo"] == "BE21"]
    c20 = be21.loc[be21["nace_r2"] == "C20", "persons_employed_V16110"].item()
    assert c20 == 16850  # PROVENANCE.md: "Prov. Antwerpen (BE21): C20 chemicals 16,850"
    share = c20 / be21["persons_employed_V16110"].sum()
    assert out.loc["20", "share_BE21"] == pytest.approx(share, rel=1e-12)

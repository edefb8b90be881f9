"""Territories and policy-sector sets in the web app, over HTTP against a real server.

Expected values are computed here from the raw files in ../shared with plain pandas/sqlite3.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

SBS = "data/eurostat/sbs_nuts2_2014/sbs_r_nuts06_r2_2014_V16110_long.csv"
UNION = {"data": "eu-sbs-2014", "region": "BE21+BE22", "reference": "BE"}
WESTHOEK = ("32000", "33000", "38000")  # arrondissements Diksmuide, Ieper, Veurne


@pytest.fixture(scope="module")
def sbs(shared_dir) -> pd.DataFrame:
    raw = pd.read_csv(shared_dir / SBS, dtype={"geo": str, "nace_r2": str})
    return raw.pivot(index="geo", columns="nace_r2", values="persons_employed_V16110")


def test_policy_sector_lq_of_a_union_against_belgium(anon, sbs):
    """chem = divisions 20 + 21 for BE21 + BE22 against BE; the total is the sum of the 68 divisions."""
    r = anon.get(
        "/api/lq",
        params={**UNION, "sectors": "chem=20,21;bouw=41,42,43", "year": 2014},
    )
    assert r.status_code == 200, r.text[:300]
    rows = {row["sector"]: row for row in r.json()["records"]}
    assert set(rows) == {"chem", "bouw"}
    union = sbs.loc[["BE21", "BE22"]].sum()
    be = sbs.loc["BE"]
    for name, divs in (("chem", ["C20", "C21"]), ("bouw", ["F41", "F42", "F43"])):
        expected = (union[divs].sum() / union.sum()) / (be[divs].sum() / be.sum())
        assert rows[name]["region"] == "BE21+BE22"
        assert rows[name]["lq"] == pytest.approx(expected, rel=1e-9), name


def test_resoc_area_enterprise_lq_from_its_municipalities(anon, statbel_raw):
    facts, munis = statbel_raw
    nis = munis.loc[munis["CD_ADM_DSTR_REFNIS"].isin(WESTHOEK), "CD_REFNIS"].unique()
    area = facts[facts["CD_REFNIS"].isin(nis)]
    built = lambda df: df.loc[df["CD_NACE"].str[:2].isin(["41", "42", "43"]), "MS_NUM_VAT"].sum()  # noqa: E731
    expected = (built(area) / area["MS_NUM_VAT"].sum()) / (built(facts) / facts["MS_NUM_VAT"].sum())
    r = anon.get(
        "/api/lq",
        params={
            "data": "be-enterprises-2019",
            "variable": "enterprises",
            "region": "resoc:westhoek",
            "sectors": "bouw",
            "year": 2019,
        },
    )
    assert r.status_code == 200, r.text[:300]
    (row,) = r.json()["records"]
    assert row["reference"] == "BE" and row["total"] == area["MS_NUM_VAT"].sum()
    assert row["lq"] == pytest.approx(expected, rel=1e-12)


def test_pages_show_the_territory_the_set_labels_and_the_coverage(anon):
    params = {
        "data": "eu-sbs-2014",
        "region": "BE21+BE22",
        "reference": "BE",
        "sectors": "antwerp-2013",
    }
    for path in ("/region", "/screening", "/sector", "/similar", "/report"):
        r = anon.get(path, params={**params, "lang": "nl"})
        assert r.status_code == 200, (path, r.text[:300])
        # every link carries the territory and the set as typed
        assert "region=BE21%2BBE22" in r.text and "sectors=antwerp-2013" in r.text, path
    page = anon.get("/region", params={**params, "lang": "nl"}).text
    assert "Provincie Antwerpen + Provincie Limburg" in page
    assert "Chemie en life sciences" in page  # the vocabulary's label, not chemie_life_sciences
    coverage = re.search(r'data-testid="coverage">(.*?)</details>', page, re.S).group(1)
    # creative industry's 18.1 is a NACE group asked of division data; care (86-88) is outside SBS
    assert "benaderd door een ruimere code" in coverage and "18.1" in coverage
    assert "overlappen" in coverage  # wholesale & logistics contains wholesale
    en = anon.get("/screening", params={**params, "lang": "en"}).text
    assert "Chemicals and life sciences" in en and "chemie_life_sciences</td>" not in en


def test_unknown_territory_or_set_is_a_clear_400_not_a_500(anon):
    r = anon.get("/region", params={"data": "eu-sbs-2014", "region": "resoc:nowhere", "lang": "en"})
    assert r.status_code == 400 and "resoc:nowhere" in r.text and "territory" in r.text
    r = anon.get(
        "/api/lq", params={"data": "eu-sbs-2014", "region": "BE21", "sectors": "no-such-set"}
    )
    assert r.status_code == 400 and "no-such-set" in r.text
    # in the page's language, with the library's reason
    r = anon.get("/region", params={"data": "eu-sbs-2014", "region": "resoc:nowhere", "lang": "nl"})
    assert r.status_code == 400 and "Gebied &#39;resoc:nowhere&#39; is onbekend" in r.text
    r = anon.get("/screening", params={"data": "eu-sbs-2014", "region": "BE21", "sectors": "x-set"})
    assert r.status_code == 400 and "Sectorenset &#39;x-set&#39; is onbekend" in r.text
    # arrondissements cannot be summed from NUTS2 data: refused, not approximated
    r = anon.get(
        "/region", params={"data": "eu-sbs-2014", "region": "resoc:westhoek", "lang": "en"}
    )
    assert r.status_code == 400 and "Territory &#39;resoc:westhoek&#39;" in r.text
    assert "BE252" in r.text or "not in the data" in r.text
    # sector definitions are never read from files on the server
    r = anon.get("/region", params={"region": "BE21", "sectors": "/etc/passwd.yaml"})
    assert r.status_code == 400 and "files" in r.text


def test_the_region_picker_offers_named_territories_and_the_sets(anon):
    page = anon.get(
        # with a set: the dashboard of all ~800 NACE-BEL activities takes a minute to draw
        "/region",
        params={"data": "be-enterprises-2019", "variable": "enterprises", "sectors": "bouw"},
    ).text
    picker = re.search(r'data-testid="region-select">(.*?)</select>', page, re.S).group(1)
    assert '<option value="resoc:westhoek">RESOC Westhoek</option>' in picker
    sets = re.search(r'data-testid="set-select">(.*?)</select>', page, re.S).group(1)
    assert 'value="antwerp-2013"' in sets


def test_the_map_of_a_union_shows_its_members(anon, sbs):
    """No boundary exists for BE21+BE22: the choropleth shows the provinces, the two members marked."""
    r = anon.get(
        "/api/map",
        params={**UNION, "sectors": "antwerp-2013-spearheads", "sector": "bouw"},
    )
    assert r.status_code == 200, r.text[:300]
    feats = {f["id"]: f["properties"] for f in r.json()["features"]}
    assert {k for k, p in feats.items() if p["selected"]} == {"BE21", "BE22"}
    assert {f"BE{i}" for i in (10, 21, 22, 23, 24, 25, 31, 32, 33, 34, 35)} <= set(feats)
    share = lambda g: sbs.loc[g, ["F41", "F42", "F43"]].sum() / sbs.loc[g].sum()  # noqa: E731
    assert feats["BE22"]["value"] == pytest.approx(share("BE22") / share("BE"), rel=1e-9)
    assert (
        "region=BE22" in feats["BE22"]["href"] and "sectors=antwerp-2013" in feats["BE22"]["href"]
    )


def test_a_dashboard_of_a_thousand_subclasses_draws_the_largest_and_lists_all(anon, statbel_raw):
    facts, _ = statbel_raw
    page = anon.get("/region", params={"data": "be-enterprises-2019", "variable": "enterprises"})
    assert page.status_code == 200
    shown, total = map(
        int, re.search(r'data-testid="charts-limited">\D*(\d+)\D+(\d+)', page.text).groups()
    )
    table = re.search(r'data-testid="sector-table">(.*?)</table>', page.text, re.S).group(1)
    rows = table.split("<tbody>", 1)[1].count("<tr")
    assert shown == 40 and rows == total + 1  # every sector plus the TOTAL row
    # the data's subclasses are those of the raw Statbel file
    assert total == facts["CD_NACE"].nunique()

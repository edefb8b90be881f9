"""The Statbel enterprise data (be-enterprises-2019): RESOC areas summed from municipalities, demography.

Expected values are computed here from the raw SQLite in ../shared with plain pandas.
"""

from __future__ import annotations

import pytest

from speerpunt.classify.selection import select
from speerpunt.io.datasets import load_dataset
from speerpunt.screening.demography import business_demography
from tests.sectors.conftest import selection_lq

WESTHOEK = (
    "32000",
    "33000",
    "38000",
)  # arrondissements Diksmuide, Ieper, Veurne (registry actors.yaml)


@pytest.fixture(scope="module")
def vat():
    return load_dataset("be-enterprises-2019")


@pytest.fixture(scope="module")
def westhoek_raw(statbel_raw):
    facts, munis = statbel_raw
    in_area = munis["CD_ADM_DSTR_REFNIS"].isin(WESTHOEK) & (munis["CD_REFNIS"].str.strip() != "")
    nis = munis.loc[in_area, "CD_REFNIS"].unique()
    assert len(nis) == 18  # the RESOC area's municipalities
    return facts, facts[facts["CD_REFNIS"].isin(nis)]


def _construction(df):
    return df.loc[df["CD_NACE"].str[:2].isin(["41", "42", "43"])]


def test_resoc_enterprise_lq_is_the_sum_of_its_municipalities(vat, westhoek_raw):
    facts, area = westhoek_raw
    share = _construction(area)["MS_NUM_VAT"].sum() / area["MS_NUM_VAT"].sum()
    national = _construction(facts)["MS_NUM_VAT"].sum() / facts["MS_NUM_VAT"].sum()
    sel = select(vat, regions=["RESOC Westhoek"], reference="country", sectors="bouw")
    assert sel.reference == "BE"
    row = selection_lq(sel, "enterprises", 2019).iloc[0]
    assert row["total"] == area["MS_NUM_VAT"].sum()
    assert row["reference_total"] == facts["MS_NUM_VAT"].sum() == 1010635
    assert row["lq"] == pytest.approx(share / national, rel=1e-12)


def test_a_list_of_municipalities_is_a_region(vat, statbel_raw):
    facts, _ = statbel_raw
    codes = ["11002", "11005"]  # Antwerpen, Boom
    sel = select(vat, regions=["+".join(codes)], reference="BE", sectors="bouw")
    got = sel.panel.wide("enterprises", 2019).loc["11002+11005", "TOTAL"]
    assert got == facts.loc[facts["CD_REFNIS"].isin(codes), "MS_NUM_VAT"].sum()


def test_start_and_stop_rates_of_a_resoc_area(vat, westhoek_raw):
    facts, area = westhoek_raw
    c = _construction(area)
    n = _construction(facts)
    sel = select(vat, regions=["resoc:westhoek"], reference="country", sectors="bouw")
    d = business_demography(
        sel.panel, regions=sel.regions, sectors=sel.sectors, reference=sel.reference
    ).iloc[0]
    start = c["MS_NUM_VAT_START"].sum() / c["MS_NUM_VAT"].sum()
    assert d["start_rate"] == pytest.approx(start, rel=1e-12)
    assert d["stop_rate"] == pytest.approx(c["MS_NUM_VAT_STOP"].sum() / c["MS_NUM_VAT"].sum())
    national = n["MS_NUM_VAT_START"].sum() / n["MS_NUM_VAT"].sum()
    assert d["start_rate_ratio"] == pytest.approx(start / national, rel=1e-12)


def test_province_totals_match_the_published_counts(vat):
    """PROVENANCE.md: Antwerpen 169,944 (arrondissements 98,709, 30,369, 40,866); Belgium 1,010,635."""
    w = vat.wide("enterprises", 2019)["TOTAL"]
    assert w[["BE21", "BE211", "BE212", "BE213", "BE"]].tolist() == [
        169944,
        98709,
        30369,
        40866,
        1010635,
    ]


def test_municipalities_are_named_as_in_the_statbel_file(statbel_raw):
    """Statbel data are by NIS code: pages and reports name each municipality as Statbel does."""
    from speerpunt.i18n import region_name

    _, munis = statbel_raw
    rows = munis[munis["CD_REFNIS"].str.fullmatch(r"\d{5}")].drop_duplicates("CD_REFNIS")
    # the municipalities of 2019 (abroad and unknown are not municipalities)
    assert len(rows) == 581
    for code, nl, fr in zip(
        rows["CD_REFNIS"], rows["TX_MUNTY_DESCR_NL"], rows["TX_MUNTY_DESCR_FR"], strict=True
    ):
        assert (region_name(code, "nl"), region_name(code, "fr")) == (nl, fr), code
    assert region_name("11002+11004", "nl") == "Antwerpen + Boechout"

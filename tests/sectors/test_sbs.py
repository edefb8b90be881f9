"""The SBS division data (eu-sbs-2014): policy-sector LQs, the true region total, suppressed zeros.

Expected values are computed here from the raw CSV in ../shared with plain pandas.
"""

from __future__ import annotations

import math

import pytest

from speerpunt.classify.policy import policy_sector_panel, policy_sectors
from speerpunt.classify.selection import select
from speerpunt.errors import MeasureError
from speerpunt.io.datasets import load_dataset
from speerpunt.measures import location_quotient
from tests.sectors.conftest import selection_lq

CHEM = ["C20", "C21"]
LOGISTICS = ["G46", "H49", "H50", "H51", "H52", "H53"]
PROVINCES = ["BE10", "BE21", "BE22", "BE23", "BE24", "BE25", "BE31", "BE32", "BE33", "BE34", "BE35"]


@pytest.fixture(scope="module")
def sbs():
    return load_dataset("eu-sbs-2014")


def _lq(wide, region, ref, codes):
    total_r, total_n = wide.loc[region].sum(), wide.loc[ref].sum()
    return (wide.loc[region, codes].sum() / total_r) / (wide.loc[ref, codes].sum() / total_n)


def test_chemistry_and_logistics_lq_of_antwerp_against_belgium(sbs, sbs_wide):
    expected_chem = _lq(sbs_wide, "BE21", "BE", CHEM)
    expected_log = _lq(sbs_wide, "BE21", "BE", LOGISTICS)
    # PROVENANCE.md's table: BE21 25,853 / 525,016 vs BE 67,578 / 2,745,175 → 2.0003
    assert expected_chem == pytest.approx(2.0003, abs=1e-4)
    sel = select(sbs, regions=["BE21"], reference="BE", sectors="chem=C20,C21;log=G46,H49-H53")
    res = selection_lq(sel, "employment", 2014).set_index("sector")
    assert res.loc["chem", "lq"] == pytest.approx(expected_chem, rel=1e-12)
    assert res.loc["log", "lq"] == pytest.approx(expected_log, rel=1e-12)
    assert res.loc["chem", "total"] == sbs_wide.loc["BE21"].sum() == 525016


def test_policy_sector_share_is_taken_against_the_true_region_total(sbs, sbs_wide):
    """The bug: policy_sector_panel dropped TOTAL, so a share was taken against the chosen sectors' sum."""
    chosen = [policy_sectors()[n] for n in ("bouw", "chemie_life_sciences", "groothandel")]
    built = policy_sector_panel(sbs, chosen)
    lq = location_quotient(
        built, variable="employment", year=2014, reference="BE", regions=["BE21"]
    )
    lq = lq.set_index("sector")
    construction = sbs_wide.loc["BE21", ["F41", "F42", "F43"]].sum()
    true_share = construction / sbs_wide.loc["BE21"].sum()  # 54,492 / 525,016 = 10.4 %
    wrong_share = construction / (
        construction
        + sbs_wide.loc["BE21", ["C20", "C21", "C22"]].sum()
        + sbs_wide.loc["BE21", "G46"]
    )
    assert true_share == pytest.approx(0.10379, abs=1e-5)
    assert lq.loc["bouw", "share"] == pytest.approx(true_share, rel=1e-12)
    assert abs(wrong_share - true_share) > 0.2  # what the bug gave (41 %), far from the truth


def test_suppressed_zero_is_missing_not_zero(sbs, sbs_wide):
    """Belgium's C28 is 33,581 while its provinces add to 19,616: some provincial zeros are suppressed."""
    assert sbs_wide.loc["BE", "C28"] == 33581
    assert sbs_wide.loc[PROVINCES, "C28"].sum() == 19616
    zero = [p for p in PROVINCES if sbs_wide.loc[p, "C28"] == 0]
    assert zero  # the zeros that hide the 13,965 missing persons
    cells = sbs.data[(sbs.data["sector"] == "28") & sbs.data["region"].isin(zero)]
    assert cells["value"].isna().all() and (cells["flag"] == ":").all()
    union = "+".join(PROVINCES)
    sel = select(sbs, regions=[union], reference="BE", sectors="C28")
    row = location_quotient(
        sel.panel,
        variable="employment",
        year=2014,
        reference="BE",
        regions=sel.regions,
        sectors=sel.sectors,
    ).iloc[0]
    assert math.isnan(row["value"]) and math.isnan(row["lq"])  # never 19,616
    assert "missing" in row["note"]


def test_arrondissements_that_make_up_a_province_use_the_province(sbs, sbs_wide):
    sel = select(sbs, regions=["BE211+BE212+BE213"], reference="BE", sectors="bouw")
    w = sel.panel.wide("employment", 2014)
    assert w.loc["BE211+BE212+BE213", "bouw"] == sbs_wide.loc["BE21", ["F41", "F42", "F43"]].sum()
    with pytest.raises(MeasureError, match="BE252, BE253, BE258 not in the data"):
        select(sbs, regions=["RESOC Westhoek"], reference="BE", sectors="bouw")


def test_group_asked_of_division_data_is_flagged_estimated(sbs):
    sel = select(sbs, regions=["BE21"], reference="BE", sectors="creatieve_industrie")
    cov = sel.coverage.set_index("code")
    assert cov.loc["46.42", "status"] == "approximated" and cov.loc["90", "status"] == "missing"
    cell = sel.panel.data[
        (sel.panel.data["sector"] == "creatieve_industrie") & (sel.panel.data["region"] == "BE21")
    ].iloc[0]
    assert "e" in cell["flag"]

"""Statbel's VAT enterprises through the DuckDB path: totals checked against the raw file and Statbel.

Published figures: PROVENANCE.md of ../shared/data/statbel/vat_enterprises_2019 ("Belgium total:
1,010,635 VAT-registered enterprises, with 103,747 starts and 69,421 stops"; "Antwerpen 169,944
(arrondissements Antwerpen 98,709, Mechelen 30,369, Turnhout 40,866)"; "Antwerp province by NACE division:
20 → 145 … 46 → 11,458"). The loader is the DuckDB path by design (the file is small), so these tests do
not run on Spark.
"""

from __future__ import annotations

import sqlite3
import zipfile

import pandas as pd
import pytest

from speerpunt.firms.statbel import statbel_demography

ZIP = "data/statbel/vat_enterprises_2019/TF_VAT_NACE_SQ_2019.zip"


@pytest.fixture(scope="module")
def raw(shared_dir, tmp_path_factory) -> pd.DataFrame:
    """The fact table read independently (sqlite3 + pandas), with each municipality's province."""
    tmp = tmp_path_factory.mktemp("statbel")
    with zipfile.ZipFile(shared_dir / ZIP) as z:
        db = z.extract("TF_VAT_NACE_2019.sqlite", tmp)
    con = sqlite3.connect(db)
    facts = pd.read_sql("select * from TF_VAT_NACE_2019", con)
    munty = pd.read_sql(
        "select CD_REFNIS, CD_PROV_REFNIS, CD_ADM_DSTR_REFNIS from TD_MUNTY_REFNIS", con
    )
    con.close()
    return facts.merge(munty, on="CD_REFNIS", how="left")


@pytest.fixture(scope="module")
def path(shared_dir):
    return shared_dir / ZIP


def test_belgium_and_antwerp_totals(raw, path):
    country = statbel_demography(path, territory="country", nace_level="section").set_index(
        ["region", "sector"]
    )
    total = country.loc[("BE", "TOTAL")]
    assert total["enterprises"] == raw["MS_NUM_VAT"].sum() == 1_010_635
    assert total["starts"] == raw["MS_NUM_VAT_START"].sum() == 103_747
    assert total["stops"] == raw["MS_NUM_VAT_STOP"].sum() == 69_421
    prov = statbel_demography(path, territory="province", nace_level="division").set_index(
        ["region", "sector"]
    )
    antwerp = raw[raw["CD_PROV_REFNIS"] == "10000"]
    assert prov.loc[("10000", "TOTAL"), "enterprises"] == antwerp["MS_NUM_VAT"].sum() == 169_944
    div = antwerp.assign(d=antwerp["CD_NACE"].str[:2]).groupby("d")["MS_NUM_VAT"].sum()
    assert prov.loc[("10000", "20"), "enterprises"] == div["20"] == 145
    assert prov.loc[("10000", "46"), "enterprises"] == div["46"] == 11_458
    assert prov.loc[("10000", "TOTAL"), "start_rate"] == pytest.approx(
        antwerp["MS_NUM_VAT_START"].sum() / 169_944
    )


def test_demography_by_resoc_and_spearhead_sector(raw, path):
    d = statbel_demography(path, territory="resoc", nace_level="division").set_index(
        ["region", "sector"]
    )
    kempen = raw[raw["CD_ADM_DSTR_REFNIS"] == "13000"]
    assert d.loc[("RESOC Kempen", "TOTAL"), "enterprises"] == kempen["MS_NUM_VAT"].sum() == 40_866
    waas = raw[raw["CD_ADM_DSTR_REFNIS"].isin(["46000", "42000"])]
    assert d.loc[("RESOC Waas & Dender", "TOTAL"), "stops"] == waas["MS_NUM_VAT_STOP"].sum()
    p = statbel_demography(path, territory="resoc", sectors="policy").set_index(
        ["region", "sector"]
    )
    from speerpunt.classify.policy import policy_sectors

    classes = {c.replace(".", "") for c in policy_sectors()["chemie_life_sciences"].classes()}
    chem = kempen[kempen["CD_NACE"].str[:4].isin(classes)]
    assert (
        p.loc[("RESOC Kempen", "chemie_life_sciences"), "enterprises"] == chem["MS_NUM_VAT"].sum()
    )
    assert p.loc[("RESOC Kempen", "chemie_life_sciences"), "enterprises"] > 0

"""Specialisation and concentration measures against the published examples of the REAT manual."""

from __future__ import annotations

import pandas as pd
import pytest

from speerpunt.measures.concentration import concentration
from speerpunt.measures.specialisation import (
    gini,
    herfindahl,
    krugman_matrix,
    specialisation,
    specialisation_table,
    theil,
)
from speerpunt.panel import Panel
from tests.results import reat_manual as reat


def _two_region_panel(region: list[float], reference: list[float], names=("J", "N")) -> Panel:
    sectors = [f"S{i}" for i in range(len(region))]
    rows = [(names[0], s, 2020, "employment", v) for s, v in zip(sectors, region, strict=True)]
    rows += [(names[1], s, 2020, "employment", v) for s, v in zip(sectors, reference, strict=True)]
    return Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))


@pytest.fixture(scope="module")
def goettingen(shared_dir) -> Panel:
    """The REAT data set Goettingen as a panel: regions Goettingen and BRD, the A-R row as TOTAL."""
    wide = pd.read_csv(shared_dir / "data" / "reat" / "Goettingen.csv")
    long = wide.drop(columns="WZ2008_Name").melt(
        id_vars="WZ2008_Code", var_name="key", value_name="value"
    )
    long["region"] = long["key"].str.extract(r"^([A-Za-z]+)")[0]
    long["year"] = long["key"].str.extract(r"(\d{4})$")[0].astype(int)
    long["sector"] = long["WZ2008_Code"].replace({"A-R": "TOTAL"})
    long["variable"] = "employment"
    return Panel(long[["region", "sector", "year", "variable", "value"]])


def test_krugman_goettingen_2017(goettingen):
    res = specialisation(
        goettingen,
        region="Goettingen",
        reference="BRD",
        variable="employment",
        year=2017,
        sectors=reat.GOETTINGEN_SECTIONS,
    ).set_index("measure")["value"]
    assert res["krugman"] == pytest.approx(reat.KRUGMAN_GOETTINGEN_2017, abs=5e-8)
    # The ½ convention and the Hoover coefficient are half of it; RDI is its inverse.
    assert res["hoover"] == pytest.approx(reat.KRUGMAN_GOETTINGEN_2017 / 2, abs=5e-8)
    assert res["rdi"] == pytest.approx(1 / reat.KRUGMAN_GOETTINGEN_2017, rel=1e-7)
    half = specialisation(
        goettingen,
        region="Goettingen",
        reference="BRD",
        variable="employment",
        year=2017,
        sectors=reat.GOETTINGEN_SECTIONS,
        half=True,
    ).set_index("measure")
    assert half.loc["krugman", "value"] == pytest.approx(reat.KRUGMAN_GOETTINGEN_2017 / 2, abs=5e-8)


def test_krugman_matrix_goettingen_is_symmetric_with_published_value(goettingen):
    m = krugman_matrix(
        goettingen,
        variable="employment",
        year=2017,
        regions=["Goettingen", "BRD"],
        sectors=reat.GOETTINGEN_SECTIONS,
    )
    assert m.loc["Goettingen", "BRD"] == pytest.approx(reat.KRUGMAN_GOETTINGEN_2017, abs=5e-8)
    assert m.loc["BRD", "Goettingen"] == pytest.approx(reat.KRUGMAN_GOETTINGEN_2017, abs=5e-8)
    assert m.loc["BRD", "BRD"] == 0.0


def test_krugman_maximum_for_disjoint_structures():
    p = _two_region_panel(reat.KRUGMAN_FK_REGION_J, reat.KRUGMAN_FK_REGION_L)
    res = specialisation(
        p,
        region="J",
        reference="N",
        variable="employment",
        year=2020,
        sectors=[f"S{i}" for i in range(5)],
    ).set_index("measure")["value"]
    assert res["krugman"] == pytest.approx(reat.KRUGMAN_FK)


def test_theil_stoermann():
    assert theil(reat.THEIL_STOERMANN_INCOME) == pytest.approx(reat.THEIL_STOERMANN, abs=5e-8)


def test_herfindahl_doersam():
    assert herfindahl(reat.DOERSAM_SALES) == pytest.approx(reat.HERF_DOERSAM, abs=5e-3)
    assert herfindahl(reat.DOERSAM_SALES, normalise=True) == pytest.approx(
        reat.HERF_DOERSAM_NORM, abs=5e-3
    )


def test_gini_doersam_and_laender():
    assert gini(reat.DOERSAM_SALES) == pytest.approx(reat.GINI_DOERSAM, abs=5e-3)
    assert gini(reat.DOERSAM_SALES, normalise=True) == pytest.approx(
        reat.GINI_DOERSAM_NORM, abs=5e-3
    )
    assert gini(reat.DOERSAM_INCOME, weights=reat.DOERSAM_CLASS_SIZE) == pytest.approx(
        reat.GINI_DOERSAM_WEIGHTED, abs=5e-5
    )
    assert gini(reat.GDP_LAENDER_2015) == pytest.approx(reat.GINI_GDP_LAENDER_2015, abs=5e-5)


def test_weighted_gini_does_not_depend_on_input_order():
    order = [5, 0, 3, 1, 4, 2]
    x = [reat.DOERSAM_INCOME[i] for i in order]
    w = [reat.DOERSAM_CLASS_SIZE[i] for i in order]
    assert gini(x, weights=w) == pytest.approx(reat.GINI_DOERSAM_WEIGHTED, abs=5e-5)


def test_gini_spec_farhauer_kroell():
    p = _two_region_panel(reat.GINI_SPEC_FK_REGION, reat.GINI_SPEC_FK_NATION)
    t = specialisation_table(
        p,
        variable="employment",
        year=2020,
        reference="N",
        regions=["J"],
        sectors=[f"S{i}" for i in range(5)],
    )
    assert t.loc[0, "gini"] == pytest.approx(reat.GINI_SPEC_FK, abs=5e-8)


def test_gini_spec_freiburg(shared_dir):
    f = pd.read_csv(shared_dir / "data" / "reat" / "Freiburg.csv")
    p = _two_region_panel(f["e_Freiburg2014"].tolist(), f["e_Germany2014"].tolist())
    t = specialisation_table(
        p,
        variable="employment",
        year=2020,
        reference="N",
        regions=["J"],
        sectors=[f"S{i}" for i in range(len(f))],
    )
    assert t.loc[0, "gini"] == pytest.approx(reat.GINI_SPEC_FREIBURG_2014, abs=5e-8)


def test_gini_conc_farhauer_kroell():
    # One industry ("I") and the rest ("O") in five regions; REAT takes region totals as given.
    rows = []
    for k, (ind, tot) in enumerate(
        zip(reat.GINI_CONC_FK_INDUSTRY, reat.GINI_CONC_FK_REGIONS, strict=True)
    ):
        rows += [
            (f"R{k}", "I", 2020, "employment", ind),
            (f"R{k}", "O", 2020, "employment", tot - ind),
        ]
    p = Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))
    c = concentration(p, variable="employment", year=2020, sectors=["I", "O"]).set_index("sector")
    assert c.loc["I", "locational_gini"] == pytest.approx(reat.GINI_CONC_FK, abs=5e-8)
    assert c.loc["I", "n_regions"] == 5


def test_rdi_is_undefined_for_the_same_structure_in_thousands():
    # R1 is 3 × R0 and the nation their sum, in thousands: all three have the structure 126 : 107, so
    # Krugman's sum is 0 and RDI = 1/0 is undefined for both regions. The shares of 0.378 / 0.699 and
    # 0.504 / 0.932 differ in the last bit; RDI came out as 6.0e15 for R1 (Hypothesis found it).
    rows = []
    for region, values in {"R0": [0.126, 0.107], "R1": [0.378, 0.321]}.items():
        rows += [
            (region, s, 2000, "employment", v) for s, v in zip(["S0", "S1"], values, strict=True)
        ]
    rows += [
        ("N", "S0", 2000, "employment", 0.126 + 0.378),
        ("N", "S1", 2000, "employment", 0.107 + 0.321),
    ]
    panel = Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))
    t = specialisation_table(
        panel, variable="employment", year=2000, reference="N", regions=["R0", "R1"]
    )
    assert t["rdi"].isna().all()
    assert (t["note"] == "same structure as the reference: RDI undefined").all()
    assert t["krugman"].abs().max() < 1e-15
    # a structure that differs in the fourth decimal keeps its RDI: 1 / Σ|s − s_R| by hand
    data = panel.data.copy()
    data.loc[(data["region"] == "R1") & (data["sector"] == "S0"), "value"] = 0.3781
    changed = Panel(data)
    t = specialisation_table(
        changed, variable="employment", year=2000, reference="N", regions=["R1"]
    )
    s, r = 0.3781 / (0.3781 + 0.321), 0.504 / (0.504 + 0.428)
    assert t.loc[0, "rdi"] == pytest.approx(1 / (2 * abs(s - r)), rel=1e-9)

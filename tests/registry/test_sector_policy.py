"""A sector's policy page: choices, statistics, what serves it and where choices and numbers disagree."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from speerpunt.errors import RegistryError
from speerpunt.io import read_panel
from speerpunt.registry.sections import sector_policy_section
from speerpunt.registry.sector_policy import PROVINCES, sector_policy


@pytest.fixture(scope="module")
def panel():
    return read_panel("be-employment")


def test_statistics_are_the_screenings_of_the_aggregate(registry, panel):
    from speerpunt.screening import screen

    page = sector_policy(registry, "Logistiek", panel=panel)
    assert page.sector["id"] == "logistics"
    stats = page.statistics.set_index("region")
    assert list(stats.index) == [*PROVINCES.values(), "BE2"]
    # independent: the LQ of G-I in BE21 against BE from the raw panel, (x_ri/x_r)/(x_Ri/x_R)
    d = panel.data[(panel.data["variable"] == "employment") & (panel.data["year"] == 2018)]
    v = d.set_index(["region", "sector"])["value"]
    lq = (v[("BE21", "G-I")] / v[("BE21", "TOTAL")]) / (v[("BE", "G-I")] / v[("BE", "TOTAL")])
    assert stats.at["BE21", "lq"] == pytest.approx(lq, rel=1e-9)
    status = (
        screen(panel, region="BE24", reference="BE").table.set_index("sector").at["G-I", "status"]
    )
    assert stats.at["BE24", "status"] == status
    assert "aggregate G-I" in page.notes[0]


def test_shared_cache_screens_each_region_once_and_changes_nothing(registry, panel):
    import pandas as pd

    cache: dict = {}
    sectors = ["logistics", "care", "chemistry_life_sciences"]
    cached = [sector_policy(registry, s, panel=panel, cache=cache) for s in sectors]
    # six regions (five provinces and Flanders) with the default configuration, plus six with the
    # finer aggregate's own sector list: not one screening per sector and region (18)
    assert len(cache) == 12
    for s, page in zip(sectors, cached, strict=True):
        alone = sector_policy(registry, s, panel=panel)
        pd.testing.assert_frame_equal(page.statistics, alone.statistics)
    # another reference is another screening, never the cached one
    other = sector_policy(registry, "logistics", panel=panel, reference="BE2", cache=cache)
    assert len(cache) == 18
    assert not other.statistics["lq"].equals(cached[0].statistics["lq"])


def test_choices_agreement_and_doubt(registry, panel):
    page = sector_policy(registry, "care", panel=panel)
    ch = page.choices.set_index("actor")
    # 001 Tabel 5 line 1683: RESOC Kempen (certain), Antwerpen and Mechelen (ambiguous), since 2008
    assert ch.loc["resoc-kempen", "since"] == 2008 and not ch.loc["resoc-kempen", "ambiguous"]
    assert bool(ch.loc["resoc-antwerpen", "ambiguous"])
    ag = page.agreement.set_index("province")
    antwerp = ag.loc["prov-antwerpen"]
    assert antwerp["chosen_by"] == "resoc-antwerpen resoc-kempen resoc-mechelen"
    assert antwerp["ambiguous"] and antwerp["ambiguity"] == "resoc-antwerpen resoc-mechelen"
    # Limburg: only RESOC Limburg's update (line 2052) — chosen; the verdict follows the screening
    stats = page.statistics.set_index("region")["status"]
    for prov, region in PROVINCES.items():
        chosen = bool(ag.loc[prov, "chosen_by"])
        selected = stats[region] in ("candidate", "added by override")
        assert ag.loc[prov, "verdict"].startswith("agree" if chosen == selected else "disagree")


def test_what_serves_the_sector(registry):
    page = sector_policy(registry, "logistics")
    assert page.statistics.empty and page.agreement.empty  # no panel: no numbers, no verdict
    assert {"vil", "blauwe-cluster"} <= set(page.clusters["id"])
    assert "waterstof" in set(page.projects["id"])
    assert set(page.recommendations["line"]) == {1927, 1971, 1992, 2024}
    assert {"bench-hamburg", "bench-noord-brabant"} <= set(page.benchmark["actor"])
    assert page.benchmark["ambiguous"].all()  # 000 line 782: "in bijna alle regio's"
    assert len(page.features) == len(registry.features(sector="logistics"))
    aviation = sector_policy(registry, "aviation")
    assert list(aviation.benchmark["actor"]) == ["bench-hamburg"]
    assert not aviation.benchmark["ambiguous"].any()


def test_finer_aggregate_gets_figures_but_no_verdict(registry, panel):
    # chemistry is measured by C, which sits inside the screened A*10 sector B-E
    page = sector_policy(registry, "chemistry_life_sciences", panel=panel)
    stats = page.statistics.set_index("region")
    assert set(stats["status"]) == {"not screened"} and stats["lq"].notna().all()
    d = panel.data[(panel.data["variable"] == "employment") & (panel.data["year"] == 2018)]
    v = d.set_index(["region", "sector"])["value"]
    lq = (v[("BE21", "C")] / v[("BE21", "TOTAL")]) / (v[("BE", "C")] / v[("BE", "TOTAL")])
    assert stats.at["BE21", "lq"] == pytest.approx(lq, rel=1e-9)
    assert set(page.agreement["verdict"]) == {"no verdict: the aggregate is not screened"}


def test_sector_without_aggregate_gets_no_verdict(registry, panel):
    page = sector_policy(registry, "cleantech", panel=panel)
    assert page.statistics.empty and "no NACE aggregate" in page.notes[0]
    with pytest.raises(RegistryError, match="unknown sector"):
        sector_policy(registry, "no such sector")


def test_report_section(registry, panel):
    sec = sector_policy_section(sector_policy(registry, "logistics", panel=panel), lang="nl")
    assert sec.title == "Beleid voor de sector: Logistiek"
    keys = [t.key for t in sec.tables]
    assert keys[:3] == [
        "registry-sector-statistics",
        "registry-sector-agreement",
        "registry-sector-choices",
    ]


def test_cli_sector(loaded_url):
    from speerpunt.cli.registry import register

    app = typer.Typer()
    register(app)
    res = CliRunner().invoke(
        app, ["registry", "sector", "care", "--format", "json", "--db", loaded_url]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["sector"]["id"] == "care" and len(doc["agreement"]) == 5
    assert len(doc["statistics"]) == 6
    bad = CliRunner().invoke(
        app, ["registry", "sector", "care", "--format", "csv", "--db", loaded_url]
    )
    assert isinstance(bad.exception, RegistryError) and "--part" in bad.exception.one_line()


def test_registry_section_in_a_region_report(registry, panel):
    from speerpunt.registry.sections import registry_provider
    from speerpunt.report.build import build_report_data
    from speerpunt.report.html import render_html

    data = build_report_data(
        panel,
        region="BE21",
        reference="BE",
        lang="en",
        providers=[registry_provider(registry, sectors=["logistics"])],
    )
    (extra,) = [s for s in data.sections if s.key == "extra"]  # where providers' sections go
    (section,) = [s for s in extra.subsections if s.key == "registry"]
    keys = [s.key for s in section.subsections]
    assert keys == ["registry-scorecard", "registry-sector-logistics"]
    # the scorecard covers the Antwerp actors the study coded: the province and its three RESOCs
    totals = section.subsections[0].tables[0].frame
    assert set(totals["actor"]) == {
        "Provincie Antwerpen",
        "RESOC Antwerpen",
        "RESOC Kempen",
        "RESOC Mechelen",
    }
    html = render_html(data)
    assert (
        "Policy for the sector: Logistics" in html
        and "Assessment of the strategy documents" in html
    )
    import matplotlib.pyplot as plt

    plt.close(
        "all"
    )  # the report's figures stay open until rendered; do not leak them to other tests

"""The report a deputy reads first: the cover and the one-page summary, checked against the Eurostat file."""

from __future__ import annotations

import csv
import re

import pytest

from speerpunt.i18n import sector_name
from speerpunt.io import read_panel
from speerpunt.report.build import build_report_data
from speerpunt.report.html import render_html
from speerpunt.screening import SELECTED_STATUSES, load_config, screen


@pytest.fixture(scope="module")
def panel():
    return read_panel("be-employment")


@pytest.fixture(scope="module")
def reports(panel):
    out = {
        lang: build_report_data(panel, region="BE21", reference="BE", lang=lang)
        for lang in ("nl", "en")
    }
    yield out
    for r in out.values():
        r.close()


def _candidates(html: str) -> list[str]:
    block = html.split("<ul>", 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li><strong>(.*?)</strong>", block)


def test_cover_names_region_period_and_organisation(reports):
    nl = reports["nl"].cover
    assert nl["region"] == "Provincie Antwerpen (BE21)"
    assert nl["period"] == "Periode 2008–2018, vergeleken met België"
    assert nl["organisation"] and re.fullmatch(r"\d\d-\d\d-\d{4}", nl["date"])
    assert reports["en"].cover["title"] == "Spearhead sectors"


def test_summary_comes_first_and_lists_exactly_the_candidates(panel, reports):
    rejected = screen(panel, region="BE21", reference="BE", config=load_config()).table
    chosen = rejected.loc[rejected["status"].isin(SELECTED_STATUSES), "sector"].tolist()
    others = rejected.loc[~rejected["status"].isin(SELECTED_STATUSES), "sector"].tolist()
    summary = reports["nl"].sections[0]
    assert summary.key == "summary" and summary.title == "Samenvatting"
    names = _candidates(summary.paragraphs[1])
    assert names == [sector_name(s, "nl") for s in chosen]
    assert not set(names) & {sector_name(s, "nl") for s in others}


def test_what_changed_matches_the_eurostat_file(reports, shared_dir):
    """BE21 employment 2008 → 2018 and Belgium's, by hand from the raw CSV."""
    path = shared_dir / "data" / "eurostat" / "be_nama_10r_3empers_EMP_THS_2000_2018.csv"
    rows = {(r["geo"], r["year"]): r for r in csv.DictReader(path.open(encoding="utf-8"))}

    def growth(geo: str) -> float:
        return float(rows[(geo, "2018")]["TOTAL"]) / float(rows[(geo, "2008")]["TOTAL"]) - 1

    text = reports["nl"].sections[0].paragraphs[3]
    own = f"{growth('BE21') * 100:.1f}%".replace(".", ",")
    ref = f"{growth('BE') * 100:.1f}%".replace(".", ",")
    assert f"groeide van 2008 tot 2018 met {own}, tegen {ref} in de referentie" in text


def test_html_report_has_cover_summary_and_no_negative_zero(reports):
    html = render_html(reports["nl"])
    assert html.index('data-testid="cover"') < html.index("Samenvatting") < html.index("Inhoud")
    shown = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"-0,0+(?!\d)|-0,0+%", shown), re.findall(r".{30}-0,0+.{10}", shown)[:3]
    assert "Kanttekeningen" in shown and "Wat veranderde" in shown


def test_print_maps_of_the_candidates_from_the_geo_folder(panel, shared_dir, monkeypatch):
    """With boundaries configured the report maps each candidate's LQ; the regions named above 1 are
    those of a hand calculation from the Eurostat file."""
    monkeypatch.setenv("SPEERPUNT_GEO_DIR", str(shared_dir / "data" / "geo"))
    report = build_report_data(panel, region="BE21", reference="BE", lang="nl")
    try:
        extra = next(s for s in report.sections if s.key == "extra")
        maps = next(s for s in extra.subsections if s.key == "maps")
        chosen = screen(panel, region="BE21", reference="BE", config=load_config()).selected
        assert [c.name for c in maps.charts] == [f"map-{s}" for s in chosen[:3]]
        path = shared_dir / "data" / "eurostat" / "be_nama_10r_3empers_EMP_THS_2000_2018.csv"
        rows = {(r["geo"], r["year"]): r for r in csv.DictReader(path.open(encoding="utf-8"))}
        be, sector = rows[("BE", "2018")], chosen[0]
        above = [
            geo
            for (geo, year), r in rows.items()
            if year == "2018"
            and len(geo) == 4
            and geo != "BEZZ"
            and r[sector] not in ("", ":")
            and (float(r[sector]) / float(r["TOTAL"])) / (float(be[sector]) / float(be["TOTAL"]))
            > 1
        ]
        from speerpunt.i18n import region_name

        named = maps.charts[0].alt.split("Boven 1: ", 1)[1].rstrip(".").split(", ")
        assert sorted(named) == sorted(region_name(g, "nl") for g in above)
        assert 'id="BE21"' in maps.charts[0].svg()  # the region's boundary is drawn
    finally:
        report.close()


def test_summary_markup_renders_as_lists_not_as_escaped_text(reports, panel):
    """The summary is our own markup around escaped data: the page shows lists and bold headings, and a
    reader never sees '<li>' or '<strong>' as text (the template escapes everything else)."""
    for lang in ("nl", "en"):
        html = render_html(reports[lang])
        page = html.split('<div class="summary-page">', 1)[1].split("</div>", 1)[0]
        assert "&lt;" not in page, page[:300]
        assert page.count("<ul>") == 3 and "<li>" in page and "<strong>" in page
    rejected = screen(panel, region="BE21", reference="BE", config=load_config()).table
    chosen = rejected.loc[rejected["status"].isin(SELECTED_STATUSES), "sector"].tolist()
    page = render_html(reports["nl"]).split('<div class="summary-page">', 1)[1]
    assert _candidates(page) == [sector_name(s, "nl") for s in chosen]


def test_summary_names_undecided_sectors_as_a_caveat_not_as_rejected():
    """A confidential cell leaves one sector's growth unknown: the summary says no verdict is possible."""
    import pandas as pd

    from speerpunt.panel import Panel
    from speerpunt.report.summary import summary_section
    from speerpunt.screening.config import parse_config

    rows = [
        ("R", "TOTAL", 2000, 100.0, ""),
        ("R", "TOTAL", 2010, 120.0, ""),
        ("R", "C", 2000, 30.0, ""),
        ("R", "C", 2010, 45.0, ""),
        ("R", "F", 2000, 20.0, ""),
        ("R", "F", 2010, float("nan"), "c"),
        ("N", "TOTAL", 2000, 1000.0, ""),
        ("N", "TOTAL", 2010, 1100.0, ""),
        ("N", "C", 2000, 200.0, ""),
        ("N", "C", 2010, 210.0, ""),
        ("N", "F", 2000, 100.0, ""),
        ("N", "F", 2010, 90.0, ""),
    ]
    frame = pd.DataFrame(rows, columns=["region", "sector", "year", "value", "flag"])
    panel = Panel(frame.assign(variable="employment"))
    cfg = parse_config(
        "criteria:\n  growing: {measure: growth, op: '>', threshold: 0}\nrule: growing\n"
    )
    result = screen(panel, region="R", reference="N", config=cfg)
    # by hand: C grows 30 → 45; F's 2010 value is confidential, so its growth is unknown
    assert dict(zip(result.table["sector"], result.table["status"], strict=True)) == {
        "C": "candidate",
        "F": "undecided",
    }
    sens = pd.DataFrame({"sector": ["C", "F"], "stability": [1.0, float("nan")]})
    html = "".join(summary_section(panel, result, sens, "R", "nl").paragraphs)
    caveats = html.rsplit("<ul>", 1)[1]
    assert f"Voor {sector_name('F', 'nl')} valt geen besluit te nemen" in caveats
    assert sector_name("F", "nl") not in _candidates(html.split("</ul>", 1)[0] + "</ul>")


def test_dutch_reasons_and_data_notes_quote_the_notes_in_dutch():
    """One year of data: growth is unknown, and the Dutch reason says why in Dutch (not the English note)."""
    import pandas as pd

    from speerpunt.classify.selection import select
    from speerpunt.panel import Panel
    from speerpunt.report.build import _data_notes
    from speerpunt.screening.config import parse_config

    rows = [
        ("R", "TOTAL", 100.0), ("R", "41", 30.0), ("R", "20", 10.0),
        ("N", "TOTAL", 1000.0), ("N", "41", 200.0), ("N", "20", 50.0),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["region", "sector", "value"])
    panel = Panel(frame.assign(year=2020, variable="employment"))
    cfg = parse_config(
        "criteria:\n  growing: {measure: growth, op: '>', threshold: 0}\nrule: growing\n"
    )
    result = screen(panel, region="R", reference="N", config=cfg)
    nl, en = result.reasons("nl"), result.reasons("en")
    assert "no growth period" in en["41"]
    assert "no growth period" not in nl["41"] and "geen groeiperiode" in nl["41"]
    built = select(panel, regions=["R"], reference="N", sectors="bouw,zorg")
    section = _data_notes(built.panel, "R", "N", ["employment"], "nl", result.metrics)
    notes = " ".join(str(v) for _, v in section.items)
    assert "opgebouwd uit het fijnste NACE-niveau" in notes and "Bouw" in notes
    assert "helemaal niet in de gegevens: Welzijn en zorg" in notes
    assert "policy sectors built" not in notes

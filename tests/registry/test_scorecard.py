"""Assessment scorecards: totals by hand from the curated file, every criterion, compare, chart, CLI."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from speerpunt.errors import RegistryError
from speerpunt.registry import scorecard as sc
from speerpunt.registry.curated import DATA
from speerpunt.registry.sections import scorecard_chart, scorecard_section


@pytest.fixture
def card(registry):
    return sc.scorecard(
        registry.records("assessments"),
        registry.records("criteria"),
        None,
        registry.records("documents"),
    )


def test_resoc_leuven_by_hand(card):
    # assessments.csv, RESOC Leuven's 7 rows: visie explicit (001:951); uitvoering explicit (1130),
    # budget absent (1152), samenwerking_binnen explicit (1189); verantwoordelijke (1124), tijdschema
    # (1241), politieke_steun (1265) explicit. explicit = 2, absent = 0.
    tot = sc.totals(card[card["actor"] == "resoc-leuven"]).set_index("group")
    assert tot.loc["inhoud", ["coded", "score", "max_score"]].tolist() == [1, 2, 2]
    assert tot.loc["analyse", ["coded", "score", "max_score"]].tolist() == [3, 4, 6]
    assert tot.loc["implementatie", ["coded", "score", "max_score"]].tolist() == [3, 6, 6]
    assert tot.loc["total", ["coded", "explicit", "absent", "score", "max_score"]].tolist() == [
        7,
        6,
        1,
        12,
        14,
    ]
    assert tot.loc["total", "share"] == pytest.approx(12 / 14)


def test_totals_of_every_actor_from_the_csv(card):
    group = {
        c["id"]: c["category"]
        for c in yaml.safe_load((DATA / "criteria.yaml").read_text())["criteria"]
    }
    points = {"explicit": 2, "implicit": 1, "absent": 0}
    expected: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    with (DATA / "assessments.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            for g in (group[r["criterion"]], "total"):
                expected[(r["actor"], g)][0] += 1
                expected[(r["actor"], g)][1] += points[r["code"]]
    tot = sc.totals(card)
    got = {(r.actor, r.group): [r.coded, r.score] for r in tot.itertuples() if r.coded}
    assert got == dict(expected)
    assert len(tot[tot["group"] == "total"]) == 20


def test_every_criterion_with_quote_and_line(card, shared_dir):
    # 20 actors × 22 criteria; 82 coded, the rest "not coded" with no score (never a zero)
    assert len(card) == 20 * 22
    assert Counter(card["code"]) == {"explicit": 67, "absent": 15, sc.NOT_CODED: 440 - 82}
    assert card.loc[card["code"] == sc.NOT_CODED, "score"].isna().all()
    assert list(card.drop_duplicates("criterion")["group"].unique()) == [
        "inhoud",
        "analyse",
        "implementatie",
    ]
    seed = (shared_dir / "seeds" / "001_b9a7bd31d35a8ce6.txt").read_text(encoding="utf-8")
    lines = seed.splitlines()
    coded = card[card["code"] != sc.NOT_CODED]
    for r in coded.itertuples():
        # words hyphenated across a line break ("Cleantech-" / "initiatief") are joined again
        window = " ".join(" ".join(lines[r.line - 3 : r.line + 6]).split()).replace("- ", "-")
        quote = " ".join(str(r.quote).split()).replace("- ", "-")
        assert quote[:25] in window, (r.actor, r.criterion, r.line)


def test_compare_actors_and_generations(registry, card, tmp_path):
    both = sc.compare(card[card["actor"].isin(["resoc-leuven", "resoc-kempen"])])
    row = both.set_index("criterion").loc["uitvoering"]
    assert (row["resoc-leuven"], row["resoc-kempen"]) == ("explicit", sc.NOT_CODED)
    # a newer assessment of RESOC Kempen's 2013 streekpact (000 Tabel 13) adds a generation
    path = tmp_path / "a.csv"
    path.write_text(
        "id,actor,criterion,code,quote,document,doc,line\n"
        "kempen-2013-visie,resoc-kempen,visie,implicit,,resoc-kempen-2013,000,3017\n",
        encoding="utf-8",
    )
    registry.import_records("assessments", path, user="test")
    card2 = sc.scorecard(
        registry.records("assessments"),
        registry.records("criteria"),
        ["resoc-kempen"],
        registry.records("documents"),
    )
    gens = sc.compare(card2, by="generation").set_index("criterion")
    assert gens.loc["visie", "streekpact-2007"] == "explicit"
    assert gens.loc["visie", "synthese-2014"] == "implicit"
    tot = sc.totals(card2).set_index(["generation", "group"])
    assert tot.loc[("synthese-2014", "total"), "score"] == 1
    with pytest.raises(RegistryError, match="exactly one actor"):
        sc.compare(card, by="generation")


def test_chart_and_report_section(registry, card):
    chart = scorecard_chart(
        card[card["actor"] == "resoc-leuven"], names={"resoc-leuven": "RESOC Leuven"}
    )
    svg = chart.svg()
    assert svg.startswith("<svg") and "RESOC Leuven" in svg and "Visie / missie / doel" in svg
    assert "12/14" in chart.alt
    chart.close()
    sec = scorecard_section(
        registry.records("assessments"), registry.records("criteria"), ["resoc-leuven"], lang="nl"
    )
    totals, detail = sec.tables
    assert totals.frame.set_index("group").loc["totaal", "score"] == 12
    assert len(detail.frame) == 7 and set(detail.frame["source"]) >= {"001:1152", "001:951"}
    assert sec.charts and sec.paragraphs


def test_two_codes_for_one_criterion_are_refused():
    a = pd.DataFrame(
        {
            "actor": ["x", "x"],
            "criterion": ["c", "c"],
            "code": ["explicit", "absent"],
            "quote": [None, None],
            "doc": ["001", "001"],
            "line": [1, 2],
        }
    )
    c = pd.DataFrame({"id": ["c"], "category": ["inhoud"], "nl": ["C"], "line": [1]})
    with pytest.raises(RegistryError, match="2 codes for criterion c"):
        sc.scorecard(a, c)


def test_cli_scorecard(loaded_url, tmp_path):
    import typer

    from speerpunt.cli.registry import register

    app = typer.Typer()
    register(app)
    res = CliRunner().invoke(
        app,
        [
            "registry",
            "scorecard",
            "--actor",
            "RESOC Leuven",
            "--view",
            "totals",
            "--format",
            "csv",
            "--chart",
            str(tmp_path / "card.svg"),
            "--db",
            loaded_url,
        ],
    )
    assert res.exit_code == 0, res.output
    rows = {r["group"]: r for r in csv.DictReader(res.stdout.splitlines())}
    assert (rows["total"]["score"], rows["total"]["max_score"]) == ("12", "14")
    assert (tmp_path / "card.svg").read_text().startswith("<svg")

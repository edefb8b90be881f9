"""Policy objects (instruments, projects, clusters' stages, recommendations, survey, policy domains):
curated facts against the seeds, the 0002 migration, and imports with bad input on both backends."""

from __future__ import annotations

import re

import pytest
from alembic import command
from sqlalchemy import text

from speerpunt.errors import RegistryError
from speerpunt.registry.store import Registry, _alembic_config, make_engine


def _by_id(rows: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in rows}


def test_instrument_amounts_are_those_of_the_brochure(seed, data):
    inst = _by_id(data["instruments"])
    # 002 line 786: "halen jaarlijks tot 15.000 euro subsidies uit"
    m = re.search(r"tot ([\d.]+) euro", seed("002", inst["kmo-portefeuille"]["line"]))
    assert inst["kmo-portefeuille"]["amount"] == float(m.group(1).replace(".", "")) == 15000
    # 002 line 800: "en Acceleratie Fonds”) bevat 200 miljoen"
    m = re.search(r"bevat (\d+) miljoen", seed("002", inst["tina-fonds"]["line"]))
    assert inst["tina-fonds"]["amount"] == int(m.group(1)) * 1_000_000
    # an amount the brochure does not state stays missing, never zero
    assert inst["fabriek-van-de-toekomst"]["amount"] is None
    # about 50 pre-cluster projects (002 line 1154: "moment zijn er al een 50-tal van dergelijke")
    assert "50-tal" in seed("002", 1154) and "50-tal" in inst["fabriek-van-de-toekomst"]["note"]


def test_transformation_projects_durations_and_zeetex_budget(seed, data):
    proj = _by_id(data["projects"])
    for pid in ("flanders-wind-farm", "symbiose", "biocluster", "waterstof"):
        p = proj[pid]
        m = re.search(r"Transformatietraject - \w+ - (\d+) maanden", seed("002", p["line"]))
        assert p["kind"] == "transformation" and p["duration_months"] == int(m.group(1)), pid
        assert p["budget"] is None  # the brochure gives no budget for them
    # 002 line 706: "budget van € 665.636,83"
    m = re.search(r"€ ([\d.]+),(\d+)", seed("002", proj["zeetex"]["line"]))
    assert proj["zeetex"]["budget"] == pytest.approx(
        float(m.group(1).replace(".", "") + "." + m.group(2))
    )
    assert len(proj["zeetex"]["partners"]) == 4


def test_cluster_lifecycle(seed, data):
    clusters = _by_id(data["clusters"])
    # 003 lines 74-88: the seven spearhead clusters, each a (full) cluster
    spear = [c for c in clusters.values() if c["kind"] == "flemish spearhead cluster"]
    assert len(spear) == 7 and {c["stage"] for c in spear} == {"cluster"}
    assert "ZeeTex is wat we noemen een preclus" in seed("002", 676)
    assert clusters["zeetex"]["stage"] == "pre-cluster"
    history = [s for s in data["cluster_stages"] if s["cluster"] == "dsp-valley"]
    assert [s["stage"] for s in sorted(history, key=lambda s: s["line"])] == ["cluster", "roadmap"]
    assert "roadmaps" in " ".join(seed("002", n) for n in range(658, 662))
    assert clusters["fisch"]["line"] == 841 and "FISCH" in seed("002", 841)


def test_recommendations_are_every_aanbeveling_of_chapter_4(seed, data):
    lines = seed.texts["000"]
    expected = [
        n for n in range(1301, 2963) if " ".join(lines[n - 1].split()).startswith("Aanbeveling:")
    ]
    recs = data["recommendations"]
    assert sorted(r["line"] for r in recs) == expected and len(expected) == 27
    for r in recs:
        written = seed("000", r["line"])[len("Aanbeveling:") :].strip()
        assert r["text"].startswith(written.rstrip(".")), r["line"]
        assert r["owner"] == "prov-antwerpen" and r["status"] == "proposed"
    blocks = {r["building_block"] for r in recs}
    # 000 lines 3273-3292 list four building blocks (line 3263 announces five)
    assert blocks == {
        "innovatie en ondernemerschap",
        "arbeidsmarkt en talent",
        "ruimte en innovatieve kennisclusters",
        "netwerkvorming, samenwerking en internationalisatie",
    }
    per_sector = {r["sector"] for r in recs}
    assert per_sector == {
        "chemistry_life_sciences",
        "logistics",
        "metal",
        "construction",
        "creative",
        "business_services",
    }


def test_survey_counts(seed, data):
    survey = _by_id(data["survey"])
    # 001 line 1319: "30 uitnodigingen"; 1324: "17 enquêtes"; 1326: "één enquête ... op papier"
    assert survey["s01"]["count"] == int(re.search(r"(\d+) uitnodigingen", seed("001", 1319))[1])
    assert survey["s02"]["count"] == int(re.search(r"online (\d+) enquêtes", seed("001", 1324))[1])
    assert "één enquête ingevuld op papier" in seed("001", 1326) and survey["s03"]["count"] == 1
    assert survey["s04"]["count"] == 9 and "(9 ingevulde enquêtes)" in seed("001", 1334)
    # figures whose counts the extraction lost keep no count (never 0)
    lost = [s for s in survey.values() if "counts lost" in (s["note"] or "")]
    assert lost and all(s["count"] is None for s in lost)
    assert {s["figure"] for s in survey.values() if s["figure"]} == {
        f"Figuur {i}" for i in range(1, 11)
    }


def test_seven_provincial_policy_domains(seed, data):
    bullets = [seed("003", n).lstrip("• ").strip() for n in range(28, 41, 2)]
    names = [d["name"] for d in sorted(data["policy_domains"], key=lambda d: d["line"])]
    assert len(names) == 7
    assert names == bullets


def test_migration_0002_upgrades_a_0001_database(db_url):
    engine = make_engine(db_url)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            text(
                "INSERT INTO actors (id, type, name, aliases, territory, version) "
                "VALUES ('x', 'city', 'X', '[]', '[]', 1)"
            )
        )
    engine.dispose()
    reg = Registry(db_url, create=True)  # upgrades to head; not empty, so nothing is loaded
    try:
        assert reg.get("actors", "x")["country"] is None
        assert reg.count("instruments") == 0 and reg.count("selections") == 0
        assert {"document"} <= set(reg.records("assessments").columns)
    finally:
        reg.close()


BAD = {
    "instruments": (
        "id,name,level,kind,amount,sectors,actors,valid_from,valid_to\n"
        "i1,Fine,flemish,subsidy,100,logistics,prov-antwerpen,2020-01-01,2021-12-31\n"
        "i2,Neg,flemish,subsidy,-5,,,,\n"
        "i3,Sec,flemish,subsidy,,nosuchsector,,,\n"
        "i4,Act,flemish,subsidy,,,nobody,,\n"
        "i5,Dates,flemish,subsidy,,,,2021-01-01,2020-01-01\n",
        [
            "line 3: amount: -5.0 is negative",
            "line 4: sectors: unknown sector(s) nosuchsector",
            "line 5: actors: unknown actor(s) nobody",
            "line 6: valid_to: 2020-01-01 is before valid_from 2021-01-01",
        ],
    ),
    "recommendations": (
        "id,sector,building_block,text,owner,status,date,valid_from,valid_to\n"
        "r1,logistics,arbeidsmarkt en talent,Fine,prov-antwerpen,ongoing,2024-05-01,,\n"
        "r2,nosuchsector,arbeidsmarkt en talent,Bad sector,,proposed,,,\n"
        "r3,logistics,arbeidsmarkt en talent,Bad owner,nobody,proposed,,,\n"
        "r4,logistics,arbeidsmarkt en talent,Bad dates,,done,,2024-02-01,2023-01-01\n"
        "r5,logistics,arbeidsmarkt en talent,Bad status,,finished,,,\n",
        [
            "line 3: sector: unknown sector 'nosuchsector'",
            "line 4: owner: unknown actor 'nobody'",
            "line 5: valid_to: 2023-01-01 is before valid_from 2024-02-01",
            "line 6: status: 'finished' is not one of",
        ],
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_imports_change_nothing(registry, tmp_path, kind):
    body, problems = BAD[kind]
    path = tmp_path / f"{kind}.csv"
    path.write_text(body, encoding="utf-8")
    before = (registry.count(kind), len(registry.history()))
    with pytest.raises(RegistryError) as err:
        registry.import_records(kind, path, user="test")
    message = err.value.one_line()
    assert "\n" not in message and str(path) in message
    for p in problems:
        assert p in message, (p, message)
    assert (registry.count(kind), len(registry.history())) == before
    # the good line alone imports, with its history row
    path.write_text("\n".join(body.splitlines()[:2]) + "\n", encoding="utf-8")
    assert registry.import_records(kind, path, user="ann") == 1
    hist = registry.history(kind)
    assert hist.iloc[-1]["user"] == "ann" and hist.iloc[-1]["action"] == "insert"


def test_city_university_and_voka_priorities(seed, registry):
    sel = registry.selections()
    city = sel[sel["actor"] == "stad-antwerpen"]
    # 000 lines 562-564: "(o.a. diamant, logistiek, chemie, cleantech, zakelijke dienstverlening)"
    text = f"{seed('000', 562)} {seed('000', 564)}"
    assert "diamant, logistiek, chemie, cleantech," in text and "zakelijke dienstverlening" in text
    assert set(city["sector"]) == {
        "diamond",
        "logistics",
        "chemistry_life_sciences",
        "cleantech",
        "business_services",
    }
    voka = sel[sel["actor"] == "voka-antwerpen-waasland"].set_index("line")
    # 000 lines 684-694: the six growth poles, each on its own line
    for line in (684, 686, 688, 690, 692, 694):
        assert seed("000", line).lstrip("\uf0b7 ") in set(voka.loc[[line], "label"]), line  # bullet
    assert bool(voka.loc[694, "ambiguous"])  # 'Watergebonden expertise': sector not said
    ua = sel[sel["actor"] == "universiteit-antwerpen"]
    assert {seed("000", n).split(". ", 1)[1] for n in (635, 639, 648)} == set(ua["label"])
    # they join the logistics page as 'others', outside the study's scope
    from speerpunt.registry.sector_policy import sector_policy

    page = sector_policy(registry, "logistics")
    assert set(page.others["actor"]) == {
        "stad-antwerpen",
        "universiteit-antwerpen",
        "voka-antwerpen-waasland",
    }
    assert not set(page.choices["actor"]) & set(page.others["actor"])


def test_add_record_validates_and_logs(registry):
    good = {
        "id": "i-new",
        "name": "Provinciale innovatiesubsidie",
        "level": "provincial",
        "kind": "subsidy",
        "amount": 2500.0,
        "sectors": ["logistics"],
        "actors": ["prov-antwerpen"],
    }
    before = len(registry.history())
    rec = registry.add_record("instruments", good, user="ann")
    assert rec["amount"] == 2500.0 and rec["version"] == 1
    assert len(registry.history()) == before + 1
    with pytest.raises(RegistryError, match="exists already"):
        registry.add_record("instruments", good, user="ann")
    with pytest.raises(RegistryError, match="amount: -1.0 is negative"):
        registry.add_record("instruments", {**good, "id": "i-bad", "amount": -1.0}, user="ann")
    assert registry.count("instruments") == 7 and len(registry.history()) == before + 1


def test_recommendation_follow_up_year_by_year(registry, loaded_url):
    from speerpunt.registry.followup import status_by_year

    rid = "000-1927"  # 'Inzetten op knelpuntvacatures in logistiek en groothandel' (000 line 1927)
    rec = registry.get("recommendations", rid)
    rec = registry.update_record(
        "recommendations",
        rid,
        {"status": "ongoing", "date": "2020-06-01"},
        user="province",
        expected_version=rec["version"],
    )
    registry.update_record(
        "recommendations",
        rid,
        {"status": "done", "date": "2024-03-01"},
        user="province",
        expected_version=rec["version"],
    )
    hist = registry.history("recommendations", rid)
    got = status_by_year(hist, [2013, 2014, 2019, 2020, 2023, 2024]).iloc[0].to_dict()
    assert got == {
        "recommendation": rid,
        "2013": None,  # before the study: no status, not 'proposed'
        "2014": "proposed",
        "2019": "proposed",
        "2020": "ongoing",
        "2023": "ongoing",
        "2024": "done",
    }
    import typer
    from typer.testing import CliRunner

    from speerpunt.cli.registry import register

    app = typer.Typer()
    register(app)
    res = CliRunner().invoke(
        app,
        [
            "registry",
            "recommendations",
            "--sector",
            "Logistiek",
            "--years",
            "2014,2024",
            "--format",
            "json",
            "--db",
            loaded_url,
        ],
    )
    assert res.exit_code == 0, res.output
    import json

    rows = {r["recommendation"]: r for r in json.loads(res.stdout)}
    assert set(rows) == {"000-1927", "000-1971", "000-1992", "000-2024"}
    assert rows["000-1927"]["2024"] == "done" and rows["000-1971"]["2024"] == "proposed"


def test_bad_import_and_edits_are_refused_in_dutch(registry, tmp_path):
    """Record validation speaks the catalogue: the same refusal in Dutch names the same lines, fields and
    values (texts written by hand here), and the English stays as above."""
    body, _ = BAD["instruments"]
    path = tmp_path / "instrumenten.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        registry.import_records("instruments", path, user="test")
    dutch = err.value.one_line("nl")
    assert "\n" not in dutch and str(path) in dutch
    for part in (
        "4 fout(e) record(s), niets ingelezen",
        "regel 3: amount: -5.0 is negatief",
        "regel 4: sectors: onbekende sector(s) nosuchsector",
        "regel 5: actors: onbekende actor(s) nobody",
        "regel 6: valid_to: 2020-01-01 valt vóór valid_from 2021-01-01",
    ):
        assert part in dutch, (part, dutch)
    assert "line 3" not in dutch and "is negative" not in dutch
    good = {"id": "i-nl", "name": "Steun", "level": "provincial", "kind": "subsidy"}
    registry.add_record("instruments", good, user="ann")
    with pytest.raises(RegistryError) as again:
        registry.add_record("instruments", good, user="ann")
    assert again.value.one_line("nl") == "kolom 'id': een instrument met id 'i-nl' bestaat al"
    with pytest.raises(RegistryError) as bad:
        registry.update_record(
            "instruments", "i-nl", {"level": "galactisch"}, user="ann", expected_version=1
        )
    assert bad.value.one_line() == (
        "column 'instruments': level: 'galactisch' is not one of "
        "european, federal, flemish, provincial, local"
    )
    assert bad.value.one_line("nl") == (
        "kolom 'instruments': level: 'galactisch' is geen van "
        "european, federal, flemish, provincial, local"
    )
    with pytest.raises(RegistryError) as gone:
        registry.get("instruments", "i-niet")
    assert gone.value.one_line("nl") == "geen instrument met id 'i-niet'"


def test_every_kind_has_a_word_in_both_languages():
    from speerpunt.i18n.catalog import messages
    from speerpunt.registry.models import MODELS
    from speerpunt.registry.records import kind_word

    nl, en = messages("nl"), messages("en")
    for kind in MODELS:
        key = kind_word(kind).key
        assert key in nl and key in en, kind
    assert str(kind_word("criteria")) == "criterion" and kind_word("criteria").text("nl") == (
        "criterium"
    )

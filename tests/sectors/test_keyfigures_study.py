"""Key figures beside the study's printed Tabel 5–11 values, and the commands on the shipped data."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from speerpunt.classify.nace import normalise_nace
from speerpunt.classify.policy import policy_sectors
from speerpunt.classify.vocabulary import named_sets
from speerpunt.cli.main import _register_all, app
from speerpunt.report.keyfigures import published_key_figures

SEED = "seeds/000_5f628ccc190b7276.txt"


@pytest.fixture(scope="module")
def cli():
    _register_all()
    return app


def _run(cli, *args):
    res = CliRunner().invoke(cli, list(args))
    assert res.exit_code == 0, res.output
    return pd.read_csv(io.StringIO(res.stdout), keep_default_na=False)


def _keyfigures(cli, *args):
    return _run(cli, "keyfigures", "--data", "eu-sbs-2014", "--region", "BE21", *args)


def test_every_published_value_is_printed_on_its_seed_line(shared_dir):
    lines = (shared_dir / SEED).read_text(encoding="utf-8").splitlines()
    pub = published_key_figures()
    assert len(pub) == 6 * 14  # Tabel 5, 6, 7, 8, 9, 11: seven items for each of two variables
    for row in pub.itertuples():
        assert row.text in lines[row.seed_line - 1], (row.table, row.seed_line, row.text)


def test_construction_index_published_beside_recomputed_with_the_reason(cli, sbs_wide, shared_dir):
    # Tabel 9 prints a specialisation index of 1,02 for construction (seed 000, line 2388)
    assert "1,02" in (shared_dir / SEED).read_text(encoding="utf-8").splitlines()[2387]
    sheet = _keyfigures(
        cli,
        "--reference",
        "BE",
        "--sector",
        "bouw",
        "--variable",
        "employment",
        "--format",
        "csv",
    )
    lq = sheet[sheet["label"] == "Specialisatie-index 2014 (BE)"].iloc[0]
    f = ["F41", "F42", "F43"]
    expected = (sbs_wide.loc["BE21", f].sum() / sbs_wide.loc["BE21"].sum()) / (
        sbs_wide.loc["BE", f].sum() / sbs_wide.loc["BE"].sum()
    )
    assert lq["text"] == f"{expected:.2f}".replace(".", ",") == "0,88"
    assert lq["published"] == "1,02 (Tabel 9, r. 2388)"
    # why they differ: RSZ employee jobs (2007) vs SBS persons employed with the self-employed (2014)
    assert (
        "RSZ" in lq["difference"]
        and "2014" in lq["difference"]
        and "41, 42, 43" in lq["difference"]
    )
    level = sheet[sheet["label"].str.startswith("Werkgelegenheid in")].iloc[0]
    assert level["text"] == "54.492" and level["published"] == "40.000 (Tabel 9, r. 2378)"


def test_keyfigures_of_chemistry_as_in_the_issue(cli, sbs_wide):
    sheet = _keyfigures(
        cli,
        "--sector",
        "chemie_life_sciences",
        "--lang",
        "nl",
        "--format",
        "csv",
    )
    chem = ["C20", "C21", "C22"]
    ref_share = sbs_wide.loc["BE21", chem].sum() / sbs_wide.loc["BE", chem].sum()
    row = sheet[sheet["label"] == "Aandeel van Provincie Antwerpen in de sector in BE"].iloc[0]
    assert row["text"] == f"{100 * ref_share:.1f}%".replace(".", ",")  # 29,087 / 90,571 = 32,1%
    assert (sheet["published"] == "35.991 (Tabel 5, r. 1172)").any()


def test_screen_compares_with_the_studys_six_choices(cli):
    table = _run(
        cli,
        "screen",
        "--data",
        "eu-sbs-2014",
        "--region",
        "BE21",
        "--reference",
        "BE",
        "--sectors",
        "antwerp-2013",
        "--view",
        "study",
        "--format",
        "csv",
    )
    chosen = table.loc[table["study"] == "chosen", "sector"].tolist()
    assert chosen == named_sets()["antwerp-2013-spearheads"]["sectors"]
    differs = table[table["agreement"] == "differs"]
    assert (differs["why"] != "").all() and (
        table.loc[table["agreement"] == "agrees", "why"] == ""
    ).all()


def test_registry_sectors_point_to_the_policy_sector_files(repo_dir):
    """One vocabulary: a registry sector with ``policy_sector`` has the same NACE codes as that file."""
    path = repo_dir / "src/speerpunt/registry/data/sectors.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["sectors"]
    linked = [e for e in entries if e.get("policy_sector")]
    assert len(linked) >= 9
    files = policy_sectors()
    for e in linked:
        assert {normalise_nace(c) for c in e["nace"]} == set(files[e["policy_sector"]].nace), e[
            "id"
        ]


def test_gdp_per_person_employed_of_the_benchmarks(cli, shared_dir):
    table = _run(cli, "benchmark-study", "--view", "economy", "--year", "2014", "--format", "csv")
    gdp = pd.read_csv(shared_dir / "data/eurostat/gdp_regions/gdp_rows_verbatim.csv")
    emp = pd.concat(
        pd.read_csv(shared_dir / f"data/eurostat/{f}_nama_10r_3empers_EMP_THS_2000_2018.csv")
        for f in ("be", "bench")
    )

    def at(geo):
        g = gdp[(gdp["geo"] == f"nuts/{geo}") & (gdp["time"] == 2014)].iloc[0]
        e = emp[(emp["geo"] == geo) & (emp["year"] == 2014)]["TOTAL"].iloc[0]
        return g["NUM_EUR"], g["NUM_EUR"] / g["EUR_HAB"], e

    got = table.set_index("region")
    g, _, e = at("DE60")
    assert got.loc["DE60", "gdp_per_person_employed"] == pytest.approx(g / (e * 1000), rel=1e-9)
    parts = [at("DK01"), at("SE22")]
    gdp_sum = sum(p[0] for p in parts)
    assert got.loc["DK01+SE22", "gdp_per_inhabitant"] == pytest.approx(
        gdp_sum / sum(p[1] for p in parts), rel=1e-9
    )
    assert got.loc["DK01+SE22", "gdp_per_person_employed"] == pytest.approx(
        gdp_sum / (sum(p[2] for p in parts) * 1000), rel=1e-9
    )

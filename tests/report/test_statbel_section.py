"""The report section on Statbel's VAT enterprises: a region's demography against Belgium, checked against
the raw Statbel file (read with sqlite3 + pandas here) and Statbel's published totals (Belgium 1,010,635
enterprises at the end of 2019, Antwerp province 169,944)."""

from __future__ import annotations

import pytest

from speerpunt.report.html import table_rows
from speerpunt.report.statbel_section import statbel_section

ZIP = "data/statbel/vat_enterprises_2019/TF_VAT_NACE_SQ_2019.zip"
CONSTRUCTION = ("41", "42", "43")  # the spearhead sector 'bouw': NACE divisions 41-43


@pytest.fixture(scope="module")
def antwerp(shared_dir):
    section = statbel_section("BE21", "nl", path=shared_dir / ZIP)
    (table,) = section.tables
    return section, table


def test_antwerp_province_and_belgium_totals(antwerp, statbel_raw):
    facts, munis = statbel_raw
    province = munis.loc[munis["CD_PROV_REFNIS"] == "10000", "CD_REFNIS"].unique()
    prov = facts[facts["CD_REFNIS"].isin(province)]
    _, table = antwerp
    total = table.frame.set_index("sector").loc["TOTAL"]
    assert total["enterprises"] == prov["MS_NUM_VAT"].sum() == 169_944
    assert total["reference_enterprises"] == facts["MS_NUM_VAT"].sum() == 1_010_635
    assert total["starts"] == prov["MS_NUM_VAT_START"].sum()
    assert total["stop_rate"] == pytest.approx(prov["MS_NUM_VAT_STOP"].sum() / 169_944)
    assert total["reference_start_rate"] == pytest.approx(103_747 / 1_010_635)


def test_a_spearhead_sector_against_the_raw_file(antwerp, statbel_raw):
    facts, munis = statbel_raw
    province = munis.loc[munis["CD_PROV_REFNIS"] == "10000", "CD_REFNIS"].unique()
    build = facts[facts["CD_NACE"].str[:2].isin(CONSTRUCTION)]
    here = build[build["CD_REFNIS"].isin(province)]
    _, table = antwerp
    row = table.frame.set_index("sector").loc["bouw"]
    assert row["enterprises"] == here["MS_NUM_VAT"].sum()
    assert row["stops"] == here["MS_NUM_VAT_STOP"].sum()
    assert row["start_rate"] == pytest.approx(
        here["MS_NUM_VAT_START"].sum() / here["MS_NUM_VAT"].sum()
    )
    assert row["reference_enterprises"] == build["MS_NUM_VAT"].sum()
    assert row["reference_stop_rate"] == pytest.approx(
        build["MS_NUM_VAT_STOP"].sum() / build["MS_NUM_VAT"].sum()
    )


def test_dutch_wording_and_cells(antwerp):
    section, table = antwerp
    assert section.title.startswith("Ondernemingen, oprichtingen en stopzettingen")
    assert "Provincie Antwerpen" in table.title or "Antwerpen" in table.title
    rows = {r["key"]: [c["text"] for c in r["cells"]] for r in table_rows(table, "nl")}
    total = rows["TOTAL"]
    assert total[0] == "Totaal" and total[1] == "169944" and total[6] == "1010635"
    # 18,417 starts over 169,944 enterprises = 10.84 %, written the Dutch way
    assert total[4].startswith("10,8")


def test_belgium_itself_and_a_region_outside_belgium(shared_dir):
    section = statbel_section("BE", "en", path=shared_dir / ZIP)
    total = section.tables[0].frame.set_index("sector").loc["TOTAL"]
    assert (total["enterprises"], total["starts"], total["stops"]) == (1_010_635, 103_747, 69_421)
    assert statbel_section("NL41", "en", path=shared_dir / ZIP) is None


def test_report_command_adds_the_section(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "r.html"
    cmd = [sys.executable, "-m", "speerpunt", "report", "--data", "be-employment", "--region"]
    cmd += [
        "BE21",
        "--statbel",
        "--out",
        str(out),
        "--no-registry",
        "--no-progress",
        "--lang",
        "nl",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-800:]
    html = out.read_text(encoding="utf-8")
    assert "Ondernemingen, oprichtingen en stopzettingen" in html
    assert "169944" in html and "1010635" in html  # the shipped file: Antwerp province, Belgium

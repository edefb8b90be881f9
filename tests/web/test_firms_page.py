"""The SME page (/firms) of a server started with a firm register: Statbel demography of a RESOC area
and the register's size-class transitions, checked against the raw Statbel file and a hand count."""

from __future__ import annotations

import re

import httpx
import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.report.test_firms_section import ROWS
from tests.web.conftest import start_server, stop_server

WESTHOEK = ("32000", "33000", "38000")  # arrondissements Diksmuide, Ieper, Veurne
ANTWERP = ("11000", "12000", "13000")  # the arrondissements of province Antwerp (BE21)


def _cells(html: str, testid: str) -> list[list[str]]:
    table = re.search(rf'data-testid="{testid}">(.*?)</table>', html, re.S).group(1)
    body = table.split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S)]
        for r in rows
    ]


@pytest.fixture(scope="module")
def firms_server(tmp_path_factory, shared_dir):
    tmp = tmp_path_factory.mktemp("firms-web")
    df = pd.DataFrame(ROWS, columns=["firm_id", "year", "region", "nace", "employees"])
    df.to_parquet(tmp / "register.parquet", index=False)
    proc, base = start_server(
        tmp, shared_dir / "data" / "geo", "--firms", str(tmp / "register.parquet")
    )
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            yield client
    finally:
        stop_server(proc)


def test_statbel_demography_of_a_resoc_area(firms_server, statbel_raw):
    facts, munis = statbel_raw
    nis = munis.loc[munis["CD_ADM_DSTR_REFNIS"].isin(WESTHOEK), "CD_REFNIS"].unique()
    area = facts[facts["CD_REFNIS"].isin(nis) & facts["CD_NACE"].str[:2].isin(["41", "42", "43"])]
    stock = int(area["MS_NUM_VAT"].sum())
    r = firms_server.get(
        "/firms", params={"region": "resoc:westhoek", "sector": "bouw", "lang": "nl"}
    )
    assert r.status_code == 200, r.text[:300]
    (row,) = _cells(r.text, "firms-demography")
    assert row[0] == "RESOC Westhoek"
    assert row[1] == f"{stock:,}".replace(",", ".")  # Dutch thousands separator


def test_register_transitions_of_construction_in_antwerp(firms_server):
    r = firms_server.get("/firms", params={"region": "BE21", "sector": "bouw", "lang": "nl"})
    assert r.status_code == 200, r.text[:300]
    rows = {c[1]: c for c in _cells(r.text, "firms_transitions")}
    # by hand (see tests/report/test_firms_section.py): 0-9 in 2018: 4 firms, 2 stayed, 1 grew, 1 exited
    assert rows["0-9"][2:7] == ["4", "50,0%", "25,0%", "0,0%", "25,0%"]
    assert rows["Totaal"][2:4] == ["5", "60,0%"]
    size = {c[1]: c for c in _cells(r.text, "firms_size")}
    assert size["10-49"][2:4] == ["2", "/"]  # two firms: employees confidential, never a number


def test_without_a_register_the_page_says_so(anon):
    r = anon.get("/firms", params={"region": "BE21", "lang": "en"})
    assert r.status_code == 200
    assert "This server has no firm register" in r.text


def _rows(page, testid: str) -> dict[str, list[str]]:
    """Body rows of a table shown in Chromium, by their first cell's visible text."""
    rows = page.get_by_test_id(testid).locator("tbody tr")
    out = {}
    for i in range(rows.count()):
        cells = [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        out[cells[0]] = cells[1:]
    return out


def test_all_spearhead_sectors_side_by_side_in_chromium(firms_server, browser, statbel_raw):
    facts, munis = statbel_raw
    nis = munis.loc[munis["CD_ADM_DSTR_REFNIS"].isin(ANTWERP), "CD_REFNIS"].unique()
    area = facts[facts["CD_REFNIS"].isin(nis)]
    building = area[area["CD_NACE"].str[:2].isin(["41", "42", "43"])]
    context = browser.new_context(base_url=str(firms_server.base_url), locale="nl-BE")
    page = context.new_page()
    try:
        page.goto("/firms?region=BE21&sector=bouw&lang=nl")
        expect(page.get_by_role("heading", name="Alle speerpuntsectoren")).to_be_visible()
        rows = _rows(page, "firms-overview")
        # one row per spearhead sector (14) after Statbel's row for all sectors
        assert len(rows) == 15 and "Totaal" in rows
        stock = f"{int(building['MS_NUM_VAT'].sum()):,}".replace(",", ".")
        total = f"{int(area['MS_NUM_VAT'].sum()):,}".replace(",", ".")
        assert rows["Bouw"][0] == stock and rows["Totaal"][0] == total
        # the register in BE21, 2020, by hand (tests/report/test_firms_section.py): firms 2, 3, 6 have
        # 0-9 employees, firms 1 and 5 10-49; all five are SMEs; firm 6 was born in 2020 and firm 4's
        # last record is 2018 (deaths are known up to 2018, the year before the register's last)
        assert rows["Bouw"][5:] == ["5", "3", "2", "0", "0", "5", "100,0%", "1", "1"]
        assert rows["Logistiek"][5:] == ["0", "0", "0", "0", "0", "0", "–", "0", "0"]
        heads = page.get_by_test_id("firms-overview").locator("thead").inner_text()
        assert "Oprichtingen 2020" in heads and "Stopzettingen 2018" in heads
        # the detail of one sector stays below; a sector's name in the overview opens its detail
        expect(page.get_by_test_id("firms_transitions")).to_be_visible()
        page.get_by_test_id("firms-overview").get_by_role(
            "link", name="Logistiek", exact=True
        ).click()
        expect(page.locator("h1")).to_contain_text("Logistiek")
        page.goto("/firms?region=BE21&sector=bouw&lang=en")
        expect(page.get_by_role("heading", name="All spearhead sectors")).to_be_visible()
        assert _rows(page, "firms-overview")["Construction"][5:7] == ["5", "3"]
    finally:
        context.close()

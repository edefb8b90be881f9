"""The SME page (/firms) of a server started with a firm register: Statbel demography of a RESOC area
and the register's size-class transitions, checked against the raw Statbel file and a hand count."""

from __future__ import annotations

import re

import httpx
import pandas as pd
import pytest

from tests.report.test_firms_section import ROWS
from tests.web.conftest import start_server, stop_server

WESTHOEK = ("32000", "33000", "38000")  # arrondissements Diksmuide, Ieper, Veurne


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

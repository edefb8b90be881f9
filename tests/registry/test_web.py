"""The registry's web pages over HTTP against a real ``speerpunt serve`` (scorecards, sector policy)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from tests.web.conftest import start_server, stop_server


@pytest.fixture(scope="module")
def web(tmp_path_factory, shared_dir) -> Iterator[httpx.Client]:
    proc, base = start_server(tmp_path_factory.mktemp("regweb"), shared_dir / "data" / "geo")
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            yield client
    finally:
        stop_server(proc)


def _rows(html: str, testid: str) -> list[list[str]]:
    table = re.search(rf'data-testid="{testid}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    ]


def test_actor_page_shows_the_scorecard(web):
    r = web.get("/registry/actors/resoc-leuven", params={"lang": "en"})
    assert r.status_code == 200
    criteria = _rows(r.text, "scorecard-criteria")
    assert len(criteria) == 22
    coded = [c for c in criteria if c[2] != "not coded"]
    # RESOC Leuven's 7 coded criteria (assessments.csv), each with its source line
    assert len(coded) == 7 and all(c[4].startswith("001:") for c in coded)
    assert coded[2][:3] == ["analysis", "Budget", "absent"]
    totals = {row[0]: row for row in _rows(r.text, "scorecard-totals")}
    assert totals["total"][1] == "7" and totals["total"][5:7] == ["12", "14"]
    assert "<svg" in r.text and "RESOC Leuven" in r.text

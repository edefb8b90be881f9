"""The registry's web pages over HTTP against a real ``speerpunt serve`` (scorecards, sector policy)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import httpx
import pytest
from tests.web.conftest import ADMIN_PASSWORD, login, start_server, stop_server


@pytest.fixture(scope="module")
def web(tmp_path_factory, shared_dir) -> Iterator[httpx.Client]:
    proc, base = start_server(tmp_path_factory.mktemp("regweb"), shared_dir / "data" / "geo")
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            client.base = base  # type: ignore[attr-defined]
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
    src = re.search(r'<img src="([^"]+scorecard\.svg[^"]*)" alt="([^"]+)"', r.text)
    assert "12/14" in src.group(2)
    chart = web.get(html.unescape(src.group(1)))
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert chart.text.startswith("<svg") and "RESOC Leuven" in chart.text


def test_sector_policy_page_and_api(web):
    r = web.get("/registry/sectors/logistics", params={"lang": "en"})
    assert r.status_code == 200, r.text[:300]
    stats = _rows(r.text, "policy-statistics")
    assert [row[0] for row in stats] == ["BE21", "BE22", "BE23", "BE24", "BE25", "BE2"]
    assert {row[1] for row in stats} == {"G-I"}
    agreement = _rows(r.text, "policy-agreement")
    assert len(agreement) == 5 and all(
        row[3].startswith(("agree", "disagree")) for row in agreement
    )
    choices = _rows(r.text, "policy-choices")
    assert any(row[0] == "RESOC Kempen" for row in choices)
    bench = _rows(r.text, "policy-benchmark")
    assert {row[0] for row in bench} == {"Hamburg", "Waals-Brabant", "Noord-Brabant", "Öresund"}
    recs = _rows(r.text, "policy-recommendations")
    assert len(recs) == 4 and all(row[3] == "proposed" for row in recs)
    api = web.get("/api/registry/sectors/Logistiek", params={"part": "choices"}).json()["records"]
    assert {c["actor"] for c in api} >= {"resoc-kempen", "prov-antwerpen"}
    bad = web.get("/api/registry/sectors/logistics", params={"part": "nope"})
    assert bad.status_code == 400 and "unknown part" in bad.text
    assert web.get("/registry/sectors/nosuchsector").status_code == 400
    form = web.get("/registry/sectors", params={"sector": "care"}, follow_redirects=False)
    assert form.status_code == 303 and form.headers["location"] == "/registry/sectors/care"


def test_map_page_marks_features_on_ambiguous_cells(web):
    r = web.get(
        "/registry/map", params={"province": "prov-antwerpen", "sector": "care", "lang": "en"}
    )
    assert r.status_code == 200
    marked = re.findall(r'data-testid="feature-doubt"><abbr title="([^"]+)"', r.text)
    assert sorted(marked) == ["resoc-antwerpen: 001 line 1683", "resoc-mechelen: 001 line 1683"]
    gj = web.get(
        "/api/registry/map", params={"province": "prov-antwerpen", "sector": "care"}
    ).json()
    flags = {f["properties"]["name"]: f["properties"]["ambiguous"] for f in gj["features"]}
    assert flags["RESOC Antwerpen"] and not flags["RESOC Kempen"]


def test_matrix_marks_ambiguous_cells_and_keeps_headers_in_view(web):
    r = web.get("/registry/matrix", params={"lang": "en"})
    assert r.status_code == 200
    assert '<link rel="stylesheet" href="/static/registry.css">' in r.text
    css = web.get("/static/registry.css")
    assert css.status_code == 200 and "position: sticky" in css.text
    cells = re.findall(r'<td class="cell on shaky" title="([^"]+)" data-ambiguous="1">', r.text)
    # the ambiguous-only pairs of all generations, e.g. RESOC Antwerpen's care (001 line 1683)
    assert any("001 line 1683" in c for c in cells)
    assert any("000 line 782" in c for c in cells)  # the benchmark regions' 'almost all'


def test_audit_log_filters_and_pages(web):
    admin = login(web.base, "admin", ADMIN_PASSWORD)
    try:
        r = admin.get("/admin/audit", params={"action": "instruments.insert"})
        assert r.status_code == 200
        rows = _rows(r.text, "audit")
        assert len(rows) == 6 and all("instruments.insert" in row[2] for row in rows)
        first = admin.get("/admin/audit", params={"action": "features.insert"})
        assert "232 / " in first.text and "1 / 5" in first.text
        assert len(_rows(first.text, "audit")) == 50
        last = admin.get("/admin/audit", params={"action": "features.insert", "page": 5})
        assert len(_rows(last.text, "audit")) == 232 - 4 * 50
    finally:
        admin.close()


def test_new_recommendation_through_the_web_form(web):
    from tests.web.conftest import csrf_of

    admin = login(web.base, "admin", ADMIN_PASSWORD)
    try:
        assert admin.get("/registry/new/recommendations").status_code == 200
        token = csrf_of(admin)
        form = {
            "csrf_token": token,
            "id": "antwerp-2024-logistics-1",
            "sector": "logistics",
            "building_block": "arbeidsmarkt en talent",
            "text": "Opleidingspunt logistiek",
            "owner": "prov-antwerpen",
            "status": "ongoing",
            "date": "2024-05-01",
        }
        r = admin.post("/registry/new/recommendations", data=form)
        assert r.status_code == 303, r.text[:300]
        rec = admin.get("/api/registry/recommendations/antwerp-2024-logistics-1").json()
        assert rec["record"]["status"] == "ongoing" and rec["record"]["date"] == "2024-05-01"
        assert rec["history"][0]["user"] == "admin" and rec["history"][0]["action"] == "insert"
        # the same validation as the CLI: one line, nothing written
        bad = admin.post(
            "/registry/new/recommendations?lang=nl",
            data={
                **form,
                "id": "bad-1",
                "sector": "nosuchsector",
                "valid_from": "2024-02-01",
                "valid_to": "2023-01-01",
            },
        )
        assert bad.status_code == 400
        message = html.unescape(bad.text)
        # the page is Dutch, and so is the validation (the catalogue's rg_* texts)
        assert "onbekende sector 'nosuchsector'" in message and "valt vóór valid_from" in message
        assert '<span lang="en">' not in bad.text
        assert admin.get("/api/registry/recommendations/bad-1").status_code == 400
        again = admin.post("/registry/new/recommendations?lang=nl", data=form)
        assert again.status_code == 400 and "bestaat al" in html.unescape(again.text)
    finally:
        admin.close()


def test_survey_answers_and_cluster_stages_through_admin_forms(web):
    """Kinds outside the editors' forms (survey answers, cluster stages) get the same form for admins,
    with the same validation and history; an editor is refused."""
    from tests.web.conftest import PASSWORD, csrf_of

    admin = login(web.base, "admin", ADMIN_PASSWORD)
    made = admin.post(
        "/api/users",
        json={
            "username": "sam",
            "password": PASSWORD,
            "role": "editor",
            "actors": ["resoc-kempen"],
        },
    )
    assert made.status_code == 201, made.text
    editor = login(web.base, "sam", PASSWORD)
    try:
        assert admin.get("/registry/new/survey").status_code == 200
        assert admin.get("/registry/new/cluster_stages").status_code == 200
        assert editor.get("/registry/new/survey").status_code == 403
        assert admin.get("/registry/new/nosuchkind").status_code == 400
        form = {
            "csrf_token": csrf_of(admin),
            "id": "survey-2026-q1-yes",
            "question": "Werkt uw RESOC met speerpuntsectoren?",
            "answer": "ja",
            "count": "12",
            "base": "18",
        }
        r = admin.post("/registry/new/survey", data=form)
        assert r.status_code == 303, r.text[:300]
        rec = admin.get("/api/registry/survey/survey-2026-q1-yes").json()
        assert rec["record"]["count"] == 12 and rec["record"]["base"] == 18
        assert rec["history"][0]["user"] == "admin" and rec["history"][0]["action"] == "insert"
        bad = admin.post(
            "/registry/new/survey?lang=nl", data={**form, "id": "bad-2", "count": "-3"}
        )
        assert bad.status_code == 400 and "count: -3 is negatief" in html.unescape(bad.text)
        assert admin.get("/api/registry/survey/bad-2").status_code == 400
        refused = editor.post(
            "/registry/new/survey",
            data={**form, "id": "sam-1", "csrf_token": csrf_of(editor)},
        )
        assert refused.status_code == 403
        assert admin.get("/api/registry/survey/sam-1").status_code == 400
    finally:
        admin.close()
        editor.close()

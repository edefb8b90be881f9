"""The JSON/CSV API over HTTP against a real server: values, formats, locking, audit, uploads, limits."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.web.conftest import PASSWORD

A10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]


def test_lq_by_hand_from_the_eurostat_file(anon, shared_dir):
    """Every A*10 LQ of Antwerp in 2018 from the raw Eurostat CSV: (x_ri/x_r)/(x_Ri/x_R)."""
    path = shared_dir / "data" / "eurostat" / "be_nama_10r_3empers_EMP_THS_2000_2018.csv"
    rows = {(r["geo"], r["year"]): r for r in csv.DictReader(path.open(encoding="utf-8"))}
    be21, be = rows[("BE21", "2018")], rows[("BE", "2018")]
    r = anon.get("/api/lq", params={"region": "BE21", "reference": "BE", "year": 2018})
    assert r.status_code == 200
    lq = {row["sector"]: row["lq"] for row in r.json()["records"]}
    assert sorted(lq) == sorted(A10)
    for sector in A10:
        expected = (float(be21[sector]) / float(be21["TOTAL"])) / (
            float(be[sector]) / float(be["TOTAL"])
        )
        assert lq[sector] == pytest.approx(expected, rel=1e-12), sector


def test_csv_download_matches_json(anon):
    params = {"region": "BE21", "reference": "BE", "year": 2018}
    as_json = anon.get("/api/lq", params=params).json()["records"]
    r = anon.get("/api/lq", params={**params, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["sector"] for row in rows] == [row["sector"] for row in as_json]
    assert [float(row["lq"]) for row in rows] == pytest.approx(
        [row["lq"] for row in as_json], rel=1e-12
    )


TABLE_ENDPOINTS = [
    "/api/lq?region=BE10",
    "/api/indicators?region=BE21&start=2008&end=2018",
    "/api/screening?region=BE21&table=evidence",
    "/api/screening?region=BE21&table=sensitivity",
    "/api/shift-share?region=BE21&start=2008&end=2018",
    "/api/lq-map?sector=F&region=BE21",
    "/api/timeseries?region=BE21",
    "/api/sector?sector=F&region=BE21",
    "/api/screening?region=BE21",
    "/api/similar?region=BE21",
    "/api/relatedness?region=BE21",
    "/api/specialisation?region=BE21",
    "/api/registry/actors",
    "/api/registry/selections",
    "/api/registry/features",
    "/api/registry/matrix",
    "/api/registry/overlaps",
]


@pytest.mark.parametrize("path", TABLE_ENDPOINTS)
def test_every_table_has_json_and_csv(anon, path):
    j = anon.get(path)
    assert j.status_code == 200, j.text[:300]
    body = j.json()
    table = parse_qs(urlsplit(path).query).get("table", ["records"])[0]
    records = body[table]
    assert records, path
    c = anon.get(path + "&format=csv" if "?" in path else path + "?format=csv")
    assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(c.text)))) == len(records)


def test_openapi_describes_every_api_route(anon):
    from speerpunt.web import Settings, create_app
    from speerpunt.web.app import all_routes

    spec = anon.get("/openapi.json").json()
    documented = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    app = create_app(Settings(db_url="sqlite://"))
    api = {(m, p) for m, p, _ in all_routes(app) if p.startswith("/api/") and m != "HEAD"}
    assert api and api <= documented, api - documented
    for path, ops in spec["paths"].items():
        for op in ops.values():
            assert op.get("description") or op.get("summary"), path


def test_screening_threshold_changes_candidates(anon):
    strict = anon.get("/api/screening?region=BE21&th_specialised=5&th_important=0.99").json()
    loose = anon.get("/api/screening?region=BE21&th_specialised=0.5&th_important=0.2").json()
    assert set(strict["selected"]) < set(loose["selected"])
    assert strict["sensitivity"] and strict["evidence"]


def test_stale_edit_gets_409_and_audit_records_before_after(clients):
    eddie, admin = clients["eddie"], clients["admin"]
    record = eddie.get("/api/registry/actors/resoc-kempen").json()["record"]
    r = eddie.patch(
        "/api/registry/actors/resoc-kempen",
        json={"version": record["version"], "changes": {"note": "edited over the API"}},
    )
    assert r.status_code == 200, r.text
    assert r.json()["version"] == record["version"] + 1
    stale = eddie.patch(
        "/api/registry/actors/resoc-kempen",
        json={"version": record["version"], "changes": {"note": "stale"}},
        headers={"Accept-Language": "en"},
    )
    assert stale.status_code == 409
    assert f"version {record['version'] + 1}" in stale.json()["error"]
    assert (
        "changed this record" in stale.json()["error"]
        and stale.json()["current"]["note"] == "edited over the API"
    )
    audit = admin.get("/api/audit").json()["records"]
    entry = next(e for e in audit if e["target"] == "resoc-kempen" and e["user"] == "eddie")
    assert (
        entry["after"]["note"] == "edited over the API"
        and entry["before"]["note"] != entry["after"]["note"]
    )
    assert clients["vera"].get("/api/audit").status_code == 403


def test_editor_cannot_edit_another_actors_record(clients):
    erin = clients["erin"]
    rec = erin.get("/api/registry/actors/resoc-kempen").json()["record"]
    r = erin.patch(
        "/api/registry/actors/resoc-kempen",
        json={"version": rec["version"], "changes": {"note": "x"}},
    )
    assert r.status_code == 403
    own = erin.get("/api/registry/selections").json()["records"]
    mine = next(s for s in own if s["actor"] == "resoc-antwerpen")
    r = erin.patch(
        f"/api/registry/selections/{mine['id']}",
        json={"version": mine["version"], "changes": {"note": "checked by erin"}},
    )
    assert r.status_code == 200 and r.json()["note"] == "checked by erin"


def test_login_is_rate_limited(server, clients):
    admin = clients["admin"]
    assert (
        admin.post(
            "/api/users", json={"username": "rita", "password": PASSWORD, "role": "viewer"}
        ).status_code
        == 201
    )
    c = httpx.Client(base_url=server, timeout=60)
    token = c.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    codes = [
        c.post(
            "/login",
            data={"username": "rita", "password": "wrong-password!", "csrf_token": token},
            headers={"Accept": "application/json"},
        ).status_code
        for _ in range(5)
    ]
    assert codes == [401] * 5
    blocked = c.post(
        "/login",
        data={"username": "rita", "password": PASSWORD, "csrf_token": token},
        headers={"Accept": "application/json"},
    )
    assert blocked.status_code == 429
    c.close()


def test_password_is_stored_as_argon2(server_info, clients):
    from sqlalchemy import create_engine, text

    db = server_info["db"]
    with create_engine(f"sqlite:///{db}").connect() as conn:
        hashes = [h for (h,) in conn.execute(text("select password_hash from web_users"))]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(PASSWORD in h for h in hashes)


def test_session_cookie_flags(server):
    c = httpx.Client(base_url=server)
    r = c.get("/login")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "sp_session=" in cookie
    assert "default-src 'self'" in r.headers["content-security-policy"]
    c.close()


def test_upload_valid_and_invalid(clients, anon):
    vera = clients["vera"]
    good = "region,sector,year,variable,value\n" + "".join(
        f"{r},{s},{y},jobs,{v}\n"
        for r, s, y, v in [
            ("R1", "A", 2010, 10),
            ("R1", "B", 2010, 30),
            ("R2", "A", 2010, 20),
            ("R2", "B", 2010, 40),
            ("R1", "A", 2020, 12),
            ("R1", "B", 2020, 33),
            ("R2", "A", 2020, 19),
            ("R2", "B", 2020, 45),
        ]
    )
    r = vera.post("/api/upload", files={"file": ("mine.csv", good, "text/csv")})
    assert r.status_code == 201, r.text
    key = r.json()["data"]
    lq = anon.get(
        "/api/lq",
        params={"data": key, "region": "R1", "reference": "R2", "year": 2010, "variable": "jobs"},
    ).json()["records"]
    # (10/40) / (20/60) = 0.75 by hand
    assert {x["sector"]: x["lq"] for x in lq}["A"] == pytest.approx(0.75)
    for page in ("/region", "/sector", "/screening", "/similar", "/report"):
        r = anon.get(
            page, params={"data": key, "region": "R1", "reference": "R2", "variable": "jobs"}
        )
        assert r.status_code == 200, (page, r.text[:300])
    bad = good.replace("R2,B,2020,jobs,45", "R2,B,2020,jobs,many")
    r = vera.post("/api/upload", files={"file": ("bad.csv", bad, "text/csv")})
    assert r.status_code == 400
    assert "bad.csv" in r.json()["error"] and "many" in r.json()["error"]
    assert "data" not in r.json()
    big = b"x" * (10 * 1024 * 1024 + 10)
    r = vera.post("/api/upload", files={"file": ("big.csv", big, "text/csv")})
    assert r.status_code == 413
    assert anon.post("/api/upload", files={"file": ("mine.csv", good, "text/csv")}).status_code in (
        401,
        403,
    )


def test_saved_configuration_and_override_change_the_screening(clients, anon):
    eddie = clients["eddie"]
    base = anon.get("/api/screening?region=BE21").json()
    rejected = next(r["sector"] for r in base["records"] if r["status"] == "rejected")
    saved = eddie.post(
        "/api/screening/configs", json={"name": "kempen-test", "mapping": base["configuration"]}
    )
    assert saved.status_code == 201 and saved.json()["owner"] == "eddie"
    r = eddie.post(
        "/api/screening/overrides",
        json={
            "config": "kempen-test",
            "sector": rejected,
            "action": "add",
            "justification": "Port cluster.",
        },
    )
    assert r.status_code == 201 and r.json()["version"] == 2
    out = anon.get("/api/screening?region=BE21&config=kempen-test").json()
    row = next(x for x in out["records"] if x["sector"] == rejected)
    assert row["status"] == "added by override" and rejected in out["selected"]
    empty = eddie.post(
        "/api/screening/overrides",
        json={"config": "kempen-test", "sector": rejected, "action": "add", "justification": "  "},
    )
    assert empty.status_code == 400 and "justification" in empty.json()["error"]
    audit = clients["admin"].get("/api/audit").json()["records"]
    assert any(
        e["action"] == "screening.save" and e["target"] == "kempen-test" and e["user"] == "eddie"
        for e in audit
    )


@pytest.mark.parametrize(("fmt", "magic"), [("xlsx", b"PK\x03\x04"), ("html", b"<")])
def test_report_downloads(anon, fmt, magic):
    r = anon.get(f"/api/report?region=BE21&start=2008&end=2018&format={fmt}&lang=nl")
    assert r.status_code == 200, r.text[:300]
    assert r.content.lstrip()[: len(magic)] == magic and len(r.content) > 2000
    assert f".{fmt}" in r.headers["content-disposition"]


def test_language_switch_and_number_format(server):
    with httpx.Client(base_url=server, timeout=120) as c:
        nl = c.get("/region?region=BE21&start=2008&end=2018").text
        assert "Sectortabel" in nl and "836,0" in nl  # Dutch decimal comma
        en = c.get("/region?region=BE21&start=2008&end=2018&lang=en")
        assert "Sector table" in en.text and "836.0" in en.text
        assert "sp_lang=en" in en.headers["set-cookie"]
        again = c.get("/sector?region=BE21").text  # the cookie keeps English
        assert "Key figures" in again


def test_edit_form_with_a_stale_version_gets_409_page(clients):
    erin = clients["erin"]
    sel = next(
        s
        for s in erin.get("/api/registry/selections").json()["records"]
        if s["actor"] == "resoc-antwerpen"
    )
    form = {
        "version": str(sel["version"]),
        "note": "first save",
        "csrf_token": erin.headers["X-CSRF-Token"],
    }
    assert erin.post(f"/registry/selections/{sel['id']}/edit", data=form).status_code == 200
    stale = erin.post(
        f"/registry/selections/{sel['id']}/edit", data={**form, "note": "second, stale"}
    )
    assert stale.status_code == 409
    assert "Iemand anders heeft dit record intussen gewijzigd" in stale.text
    assert (
        erin.get(f"/api/registry/selections/{sel['id']}").json()["record"]["note"] == "first save"
    )


def test_upload_page_shows_the_readers_message(clients):
    vera = clients["vera"]
    bad = "region,sector,year,variable,value\nR1,A,2010,jobs,-5\n"
    r = vera.post(
        "/upload",
        files={"file": ("neg.csv", bad, "text/csv")},
        data={"csrf_token": vera.headers["X-CSRF-Token"]},
    )
    assert r.status_code == 400
    assert 'data-testid="upload-error"' in r.text and "neg.csv" in r.text
    assert "upload-ok" not in r.text

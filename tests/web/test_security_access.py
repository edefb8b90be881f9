"""Access rules over HTTP on the real server: record ownership before and after a change, assigned actors
that must exist, and optimistic concurrency on screening configurations."""

from __future__ import annotations

import threading

import pytest

from tests.web.conftest import PASSWORD


@pytest.fixture(scope="module")
def kempen_selection(clients) -> dict:
    records = clients["eddie"].get("/api/registry/selections").json()["records"]
    rec = next(r for r in records if r["actor"] == "resoc-kempen")
    return clients["eddie"].get(f"/api/registry/selections/{rec['id']}").json()["record"]


def test_editor_cannot_move_a_record_to_another_actor(clients, kempen_selection):
    eddie, rid = clients["eddie"], kempen_selection["id"]
    url = f"/api/registry/selections/{rid}"
    current = eddie.get(url).json()["record"]
    r = eddie.patch(
        url, json={"version": current["version"], "changes": {"actor": "resoc-antwerpen"}}
    )
    assert r.status_code == 403, r.text
    assert "resoc-antwerpen" in r.json()["error"]
    assert eddie.get(url).json()["record"] == current
    # the same through the edit form
    form = eddie.post(
        f"/registry/selections/{rid}/edit",
        data={"version": str(current["version"]), "actor": "resoc-antwerpen"},
    )
    assert form.status_code == 403
    assert eddie.get(url).json()["record"]["actor"] == "resoc-kempen"
    # a change that keeps the record hers still works
    ok = eddie.patch(url, json={"version": current["version"], "changes": {"note": "checked"}})
    assert ok.status_code == 200 and ok.json()["actor"] == "resoc-kempen"
    # and the admin may move it
    admin = clients["admin"]
    moved = admin.patch(
        url, json={"version": ok.json()["version"], "changes": {"actor": "resoc-antwerpen"}}
    )
    assert moved.status_code == 200 and moved.json()["actor"] == "resoc-antwerpen"
    back = admin.patch(
        url, json={"version": moved.json()["version"], "changes": {"actor": "resoc-kempen"}}
    )
    assert back.status_code == 200


def test_editor_cannot_give_away_a_feature(clients):
    """A feature belongs to its actors and its province: dropping one's own actor moves it away."""
    admin, erin = clients["admin"], clients["erin"]
    feats = admin.get("/api/registry/features").json()["records"]
    feat = next(f for f in feats if f["province"] == "prov-antwerpen")
    url = f"/api/registry/features/{feat['id']}"
    shared = admin.patch(
        url,
        json={
            "version": feat["version"],
            "changes": {"actors": ["prov-antwerpen", "resoc-antwerpen"]},
        },
    )
    assert shared.status_code == 200
    v = shared.json()["version"]
    away = erin.patch(url, json={"version": v, "changes": {"actors": ["prov-antwerpen"]}})
    assert away.status_code == 403, away.text
    assert admin.get(url).json()["record"]["actors"] == ["prov-antwerpen", "resoc-antwerpen"]
    edit = erin.patch(url, json={"version": v, "changes": {"remark": "checked by erin"}})
    assert edit.status_code == 200
    restore = admin.patch(
        url,
        json={
            "version": edit.json()["version"],
            "changes": {"actors": feat["actors"], "remark": feat["remark"]},
        },
    )
    assert restore.status_code == 200


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("Provincie Limburg", "prov-limburg"),
        ("does-not-exist", None),
        ("resoc-kempenn", "resoc-kempen"),
    ],
)
def test_admin_api_refuses_unknown_actors(clients, typed, hint):
    admin = clients["admin"]
    name = "nina" + str(abs(hash(typed)) % 10_000)
    r = admin.post(
        "/api/users",
        json={"username": name, "password": PASSWORD, "role": "editor", "actors": [typed]},
    )
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert f"'{typed}' is not an actor id" in error
    if hint:
        assert f"did you mean '{hint}'" in error
    assert name not in {u["username"] for u in admin.get("/api/users").json()["records"]}


def test_admin_form_keeps_typed_input_and_update_keeps_old_actors(clients):
    admin = clients["admin"]
    r = admin.post(
        "/admin/users",
        params={"lang": "nl"},  # the clients share a server: another test may have chosen English
        data={
            "username": "petra",
            "password": PASSWORD,
            "role": "editor",
            "actors": "Provincie Limburg",
        },
    )
    assert r.status_code == 400
    # the admin page is Dutch, and so is the refusal (its hint included)
    assert "is geen actor-id van het register" in r.text
    assert "bedoelt u &#39;prov-limburg&#39;" in r.text or "bedoelt u 'prov-limburg'" in r.text
    assert 'value="petra"' in r.text and 'value="Provincie Limburg"' in r.text
    users = {u["username"]: u for u in admin.get("/api/users").json()["records"]}
    assert "petra" not in users
    eddie = users["eddie"]
    bad = admin.patch(f"/api/users/{eddie['id']}", json={"actors": ["does-not-exist"]})
    assert bad.status_code == 400
    form = admin.post(
        f"/admin/users/{eddie['id']}", data={"role": "editor", "actors": "resoc-kempen, nope"}
    )
    assert form.status_code == 400 and 'value="resoc-kempen, nope"' in form.text
    after = {u["username"]: u for u in admin.get("/api/users").json()["records"]}["eddie"]
    assert after["actors"] == ["resoc-kempen"]
    good = admin.post(
        "/api/users",
        json={
            "username": "petra",
            "password": PASSWORD,
            "role": "editor",
            "actors": ["prov-limburg"],
        },
    )
    assert good.status_code == 201 and good.json()["actors"] == ["prov-limburg"]


def _mapping(anon) -> dict:
    return anon.get("/api/screening?region=BE21").json()["configuration"]


def test_stale_configuration_save_is_409(clients, anon):
    eddie, erin = clients["eddie"], clients["erin"]
    mapping = _mapping(anon)
    first = eddie.post("/api/screening/configs", json={"name": "shared-cfg", "mapping": mapping})
    assert first.status_code == 201 and first.json()["version"] == 1
    # both editors load version 1; erin saves first
    erin_map = dict(mapping, rule="specialised and growing")
    saved = erin.post(
        "/api/screening/configs", json={"name": "shared-cfg", "mapping": erin_map, "version": 1}
    )
    assert saved.status_code == 201 and saved.json()["version"] == 2
    stale = eddie.post(
        "/api/screening/configs",
        json={"name": "shared-cfg", "mapping": {**mapping, "rule": "specialised"}, "version": 1},
    )
    assert stale.status_code == 409, stale.text
    body = stale.json()
    assert "now at version 2" in body["error"] and "started from version 1" in body["error"]
    assert body["current"]["version"] == 2
    blind = eddie.post("/api/screening/configs", json={"name": "shared-cfg", "mapping": mapping})
    assert blind.status_code == 409 and "already exists" in blind.json()["error"]
    current = anon.get("/api/screening/configs").json()["records"]
    cfg = next(c for c in current if c["name"] == "shared-cfg")
    assert cfg["version"] == 2 and cfg["mapping"]["rule"] == "specialised and growing"  # erin's


def test_stale_form_save_is_409_and_fresh_one_redirects(clients, anon):
    # its own configuration at version 2 (xdist may run the test that makes shared-cfg elsewhere)
    eddie = clients["eddie"]
    mapping = _mapping(anon)
    first = eddie.post("/api/screening/configs", json={"name": "form-cfg", "mapping": mapping})
    assert first.status_code == 201
    second = eddie.post(
        "/api/screening/configs",
        json={"name": "form-cfg", "mapping": {**mapping, "rule": "specialised"}, "version": 1},
    )
    assert second.status_code == 201
    v = second.json()["version"]
    page = eddie.get("/screening", params={"region": "BE21", "config": "form-cfg"})
    assert f'name="version" value="{v}"' in page.text
    base = {"name": "form-cfg", "config": "form-cfg", "region": "BE21"}
    stale = eddie.post("/screening/save", data={**base, "version": str(v - 1)})
    assert stale.status_code == 409 and f"staat nu op versie {v}" in stale.text  # Dutch page
    fresh = eddie.post("/screening/save", data={**base, "version": str(v)})
    assert fresh.status_code == 303


def test_concurrent_saves_from_one_version_let_exactly_one_through(clients, anon):
    mapping = _mapping(anon)
    eddie, erin = clients["eddie"], clients["erin"]
    r = eddie.post("/api/screening/configs", json={"name": "race-cfg", "mapping": mapping})
    assert r.status_code == 201
    results: list[int] = []
    barrier = threading.Barrier(2)

    def save(client, rule: str) -> None:
        barrier.wait()
        out = client.post(
            "/api/screening/configs",
            json={"name": "race-cfg", "mapping": {**mapping, "rule": rule}, "version": 1},
        )
        results.append(out.status_code)

    threads = [
        threading.Thread(target=save, args=(eddie, mapping["rule"])),
        threading.Thread(target=save, args=(erin, mapping["rule"])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201, 409]
    cfg = next(
        c for c in anon.get("/api/screening/configs").json()["records"] if c["name"] == "race-cfg"
    )
    assert cfg["version"] == 2

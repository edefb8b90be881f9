"""Logged-in readers share one rendering of a page per view (role and assigned actors), with their own
CSRF token and name put back in: a reader never sees another reader's name or token, readers with
other actors see their own edit badges, and a saved screening configuration is shown at the next
request (the cache key holds the configurations' version)."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.web.conftest import PASSWORD, login

PAGES = [
    "/",
    "/region?region=BE21",
    "/sector?region=BE21&sector=F",
    "/screening?region=BE21",
    "/registry",
    "/registry/matrix",
    "/registry/map?province=prov-antwerpen&sector=logistics",
    "/api/screening?region=BE23",
]


@pytest.fixture(scope="module")
def twins(server, clients) -> dict[str, httpx.Client]:
    """Two viewers (same view) and a second editor with eddie's actor."""
    for name, role, actors in [
        ("walt", "viewer", []),
        ("wendy", "viewer", []),
        ("edna", "editor", ["resoc-kempen"]),
    ]:
        r = clients["admin"].post(
            "/api/users",
            json={"username": name, "password": PASSWORD, "role": role, "actors": actors},
        )
        assert r.status_code == 201, r.text
    out = {name: login(server, name, PASSWORD) for name in ("walt", "wendy", "edna")}
    yield out
    for c in out.values():
        c.close()


def _badge(html: str) -> str:
    return re.search(r'data-testid="user">([^<]*) <small>', html).group(1)


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


@pytest.mark.parametrize("path", PAGES)
def test_a_reader_never_gets_another_readers_name_or_token(twins, path):
    walt, wendy = twins["walt"], twins["wendy"]
    token = {"walt": walt.headers["X-CSRF-Token"], "wendy": wendy.headers["X-CSRF-Token"]}
    assert token["walt"] != token["wendy"]
    # walt fills the cache (twice: the second answer comes from it), then wendy, then walt again
    for name, client in [("walt", walt), ("walt", walt), ("wendy", wendy), ("walt", walt)]:
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:300])
        other = "wendy" if name == "walt" else "walt"
        assert token[other] not in r.text and other not in r.text, (path, name)
        if r.headers["content-type"].startswith("text/html"):
            assert _badge(r.text) == name
            assert _tokens(r.text) == {token[name]}, path  # the logout form carries one's own token


def test_a_page_naming_its_reader_elsewhere_is_not_shared(twins, clients):
    """eddie owns a saved configuration, so the workbench names him in its list; edna (same view) must
    see eddie as the owner there but her own name in the header and her own token."""
    eddie, edna = clients["eddie"], twins["edna"]
    mapping = eddie.get("/api/screening?region=BE21").json()["configuration"]
    r = eddie.post("/api/screening/configs", json={"name": "eddies-eigen", "mapping": mapping})
    assert r.status_code == 201, r.text
    mine = eddie.get("/screening?region=BE21").text
    hers = edna.get("/screening?region=BE21").text
    assert _badge(mine) == "eddie" and _badge(hers) == "edna"
    assert _tokens(hers) == {edna.headers["X-CSRF-Token"]}
    assert eddie.headers["X-CSRF-Token"] not in hers
    assert "eddies-eigen" in hers and "eddie" in hers  # the owner, as data
    again = eddie.get("/screening?region=BE21").text
    assert _badge(again) == "eddie" and _tokens(again) == {eddie.headers["X-CSRF-Token"]}


def test_readers_with_other_actors_see_their_own_edit_badges(clients):
    def edit_rows(html: str) -> set[str]:
        rows = re.findall(
            r'<a href="/registry/actors/([^"]+)">[^<]*</a> <span class="badge yes">', html
        )
        return set(rows)

    for _ in range(2):  # the second round from the cache
        assert edit_rows(clients["eddie"].get("/registry").text) == {"resoc-kempen"}
        assert edit_rows(clients["erin"].get("/registry").text) == {"resoc-antwerpen"}
        assert edit_rows(clients["vera"].get("/registry").text) == set()


def test_a_saved_configuration_is_shown_at_the_next_request(twins, clients, anon):
    walt = twins["walt"]
    for reader in (walt, anon):
        assert "intussen-bewaard" not in reader.get("/screening?region=BE22").text
        assert "intussen-bewaard" not in reader.get("/screening?region=BE22").text  # cached
    mapping = anon.get("/api/screening?region=BE22").json()["configuration"]
    r = clients["erin"].post(
        "/api/screening/configs", json={"name": "intussen-bewaard", "mapping": mapping}
    )
    assert r.status_code == 201, r.text
    for reader in (walt, anon):
        assert "intussen-bewaard" in reader.get("/screening?region=BE22").text
    # a new version of it changes the page too: its rule, loaded by name
    page = walt.get("/screening?region=BE22&config=intussen-bewaard").text
    rule = re.search(r'name="rule" value="([^"]+)"', page).group(1)
    assert rule == "belangrijk of (gespecialiseerd en (groeiend of regionale_groei))"
    changed = {**mapping, "rule": "specialised"}
    r = clients["erin"].post(
        "/api/screening/configs",
        json={"name": "intussen-bewaard", "mapping": changed, "version": 1},
    )
    assert r.status_code == 201 and r.json()["version"] == 2
    page = walt.get("/screening?region=BE22&config=intussen-bewaard").text
    assert re.search(r'name="rule" value="([^"]+)"', page).group(1) == "gespecialiseerd"

"""Authorisation matrix over every state-changing route × every role, CSRF, and no external URLs."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from speerpunt.web import Settings, create_app
from speerpunt.web.accounts import RANK
from speerpunt.web.app import all_routes, required_role
from tests.web.conftest import ADMIN_PASSWORD, PASSWORD, csrf_of, login

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
PUBLIC = {("POST", "/login")}
#: values for path parameters: records the editor "eddie" (assigned resoc-kempen) owns, absent users
PATH_VALUES = {"user_id": "999999", "kind": "actors", "record_id": "resoc-kempen"}
ROLE_USERS = {
    "viewer": ("vera", PASSWORD),
    "editor": ("eddie", PASSWORD),
    "admin": ("admin", ADMIN_PASSWORD),
}


def unsafe_routes() -> list[tuple[str, str, str | None]]:
    """Enumerated from the app itself, so a new endpoint cannot escape the matrix."""
    app = create_app(Settings(db_url="sqlite://"))
    return [(m, p, required_role(r)) for m, p, r in all_routes(app) if m in UNSAFE]


ROUTES = unsafe_routes()


def test_every_state_changing_route_requires_a_role():
    assert len(ROUTES) >= 14
    unprotected = {(m, p) for m, p, role in ROUTES if role is None}
    assert unprotected == PUBLIC


def _client(server: str, role: str | None) -> httpx.Client:
    if role is None:
        c = httpx.Client(base_url=server, timeout=120)
        c.headers["X-CSRF-Token"] = csrf_of(
            c
        )  # a valid token: the request fails on the role, not on CSRF
        return c
    name, password = ROLE_USERS[role]
    return login(server, name, password)


@pytest.fixture(scope="module")
def role_clients(server):
    out = {role: _client(server, role) for role in (None, "viewer", "editor", "admin")}
    yield out
    for c in out.values():
        c.close()


@pytest.mark.parametrize("role", [None, "viewer", "editor", "admin"])
@pytest.mark.parametrize(
    ("method", "path", "needed"),
    [r for r in ROUTES if (r[0], r[1]) not in PUBLIC],
    ids=[f"{m} {p}" for m, p, _ in ROUTES if (m, p) not in PUBLIC],
)
def test_authorisation_matrix(server, role_clients, role, method, path, needed):
    url = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)
    # logging out ends the session, so it gets a client of its own
    client = _client(server, role) if path == "/logout" else role_clients[role]
    kwargs = {"json": {}} if path.startswith("/api/") else {"data": {}}
    r = client.request(method, url, **kwargs)
    if role is None:
        if path.startswith("/api/"):
            assert r.status_code == 401, r.text[:200]
        else:
            assert r.status_code == 303 and r.headers["location"].startswith("/login"), (
                r.status_code
            )
    elif RANK[role] < RANK[needed]:
        assert r.status_code == 403, (r.status_code, r.text[:200])
    else:
        assert r.status_code not in (401, 403), (r.status_code, r.text[:200])
        assert not (r.status_code == 303 and r.headers["location"].startswith("/login"))


def test_csrf_is_required(server, clients):
    eddie, erin = clients["eddie"], clients["erin"]
    before = eddie.get("/api/registry/actors/resoc-kempen").json()["record"]
    body = {"version": before["version"], "changes": {"note": "csrf attack"}}
    token = eddie.headers.pop("X-CSRF-Token")
    try:
        assert eddie.patch("/api/registry/actors/resoc-kempen", json=body).status_code == 403
        bad = eddie.patch(
            "/api/registry/actors/resoc-kempen", json=body, headers={"X-CSRF-Token": "0" * 64}
        )
        assert bad.status_code == 403
        # another session's valid token does not work with this session's cookie
        other = eddie.patch(
            "/api/registry/actors/resoc-kempen",
            json=body,
            headers={"X-CSRF-Token": erin.headers["X-CSRF-Token"]},
        )
        assert other.status_code == 403
        form = eddie.post(
            "/registry/actors/resoc-kempen/edit",
            data={"version": str(before["version"]), "note": "csrf attack"},
        )
        assert form.status_code == 403
    finally:
        eddie.headers["X-CSRF-Token"] = token
    after = eddie.get("/api/registry/actors/resoc-kempen").json()["record"]
    assert after == before
    anon = httpx.Client(base_url=server)
    assert (
        anon.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD}).status_code
        == 403
    )
    anon.close()


EXTERNAL = re.compile(
    r"""(?:src|href|action|xlink:href|poster|data)\s*=\s*["']\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I
)
CSS_EXTERNAL = re.compile(
    r"""(?:url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//)""", re.I
)
LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"'#]+)""", re.I)
SKIP = ("/api/report", "/logout")


def test_no_page_references_an_external_url(server, clients):
    """Crawl every page reachable from the home page (as admin, so admin pages are included)."""
    client = clients["admin"]
    seen: set[str] = set()
    queue = deque(
        ["/", "/registry/map", "/admin/audit", "/registry/actors/resoc-kempen/edit", "/upload"]
    )
    pages = 0
    while queue and pages < 120:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        r = client.get(path)
        assert r.status_code == 200, (path, r.status_code)
        ctype = r.headers.get("content-type", "")
        text = r.text if ("html" in ctype or "css" in ctype or "javascript" in ctype) else ""
        assert not EXTERNAL.search(text), (path, EXTERNAL.search(text).group(0))
        assert not CSS_EXTERNAL.search(text), path
        if "html" not in ctype:
            continue
        pages += 1
        for link in LINK.findall(text):
            target = urljoin(server + path, link.replace("&amp;", "&"))
            parts = urlsplit(target)
            assert parts.netloc == urlsplit(server).netloc, (path, link)
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(SKIP) or "format=" in parts.query:
                continue
            if parts.path.startswith("/static/") or not parts.path.startswith("/api/"):
                queue.append(local)
    assert pages >= 20 and any(p.startswith("/static/") for p in seen)


def test_login_to_read_mode(tmp_path, shared_dir):
    from tests.web.conftest import start_server, stop_server

    proc, base = start_server(tmp_path, shared_dir / "data" / "geo", "--login-to-read")
    try:
        with httpx.Client(base_url=base, timeout=120) as anon:
            page = anon.get("/region?region=BE21")
            assert page.status_code == 303 and page.headers["location"].startswith(
                "/login?next=/region"
            )
            assert anon.get("/api/lq?region=BE21").status_code == 401
            assert anon.get("/login").status_code == 200
        admin = login(base, "admin", ADMIN_PASSWORD)
        assert admin.get("/api/lq?region=BE21").status_code == 200
        admin.close()
    finally:
        stop_server(proc)

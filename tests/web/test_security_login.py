"""Servers of their own (their login limits are spent here): the limit counts a user name however it is
written and the real client address, X-Forwarded-For only from configured proxies; /openapi.json behind
--login-to-read; expired uploads and reports from an earlier run removed at start."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.web.conftest import ADMIN_PASSWORD, PASSWORD, csrf_of, login, start_server, stop_server

WEEK = 7 * 86400


def _age(path, seconds: float) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


@pytest.fixture(scope="module")
def closed_server(tmp_path_factory, shared_dir) -> Iterator[dict]:
    """``--login-to-read``, started over a files folder that holds old and fresh leftovers."""
    tmp = tmp_path_factory.mktemp("closed")
    reports, owner = tmp / "files" / "reports", tmp / "files" / "uploads" / "0123456789abcdef0123"
    reports.mkdir(parents=True)
    owner.mkdir(parents=True)
    left = {
        "old_report": reports / "speerpunt_BE21_nl_aaaa.pdf",
        "part": reports / "speerpunt_BE21_nl_bbbb.1234.part.pdf",
        "fresh_report": reports / "speerpunt_BE22_nl_cccc.pdf",
        "old_upload": owner / "u-AAAAAAAAAAAA.parquet",
        "fresh_upload": owner / "u-BBBBBBBBBBBB.parquet",
    }
    for path in left.values():
        path.write_bytes(b"x")
    _age(left["old_report"], 2 * 3600)
    _age(left["part"], 2 * 3600)
    _age(left["old_upload"], WEEK + 3600)
    proc, base = start_server(tmp, shared_dir / "data" / "geo", "--login-to-read")
    try:
        admin = login(base, "admin", ADMIN_PASSWORD)
        r = admin.post(
            "/api/users", json={"username": "lena", "password": PASSWORD, "role": "viewer"}
        )
        assert r.status_code == 201, r.text
        admin.close()
        yield {"base": base, "left": left}
    finally:
        stop_server(proc)


def _attempt(base: str, username: str, password: str, forwarded: str | None = None) -> int:
    with httpx.Client(base_url=base, timeout=60) as c:
        token = csrf_of(c)
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        r = c.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token},
            headers=headers,
        )
        return r.status_code


def test_expired_files_of_an_earlier_run_are_removed_at_start(closed_server):
    left = closed_server["left"]
    assert not left["old_report"].exists() and not left["part"].exists()
    assert not left["old_upload"].exists()
    assert left["fresh_report"].exists() and left["fresh_upload"].exists()
    folder = left["fresh_report"].parent
    assert folder.stat().st_mode & 0o777 == 0o700


def test_openapi_is_closed_with_login_to_read(closed_server):
    base = closed_server["base"]
    with httpx.Client(base_url=base, timeout=60) as anon:
        assert anon.get("/openapi.json", headers={"Accept": "application/json"}).status_code == 401
        page = anon.get("/openapi.json")
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        assert anon.get("/docs").status_code in (401, 303, 404)
        assert anon.get("/redoc").status_code in (401, 303, 404)
    lena = login(base, "lena", PASSWORD)
    spec = lena.get("/openapi.json")
    assert spec.status_code == 200 and "/api/lq" in spec.json()["paths"]
    lena.close()


def test_user_name_variants_count_as_one_and_forwarded_for_is_ignored(closed_server):
    base = closed_server["base"]
    variants = [" lena", "LENA", "ｌｅｎａ", "Lena ", "lena"]  # full-width letters fold by NFKC
    for i, name in enumerate(variants):
        # a different made-up address each time: without a configured proxy it changes nothing
        assert _attempt(base, name, "wrong-password-123", f"198.51.100.{i}") == 401
    assert _attempt(base, "lena", PASSWORD, "198.51.100.99") == 429
    assert _attempt(base, "\tLeNa\u00a0", PASSWORD) == 429


def test_client_address_limit_is_not_escaped_by_forwarded_for(closed_server):
    base = closed_server["base"]
    # Twenty failures from this client (four times the per-user limit) close it to every name, whatever
    # address each one claims. Other tests of this module on the same server may have spent some of them
    # first (under xdist they may also run elsewhere), so: failures until refused, then refused for good.
    codes = [
        _attempt(base, f"nobody{i}", "wrong-password-123", f"203.0.113.{i}") for i in range(20)
    ]
    failures = codes.count(401)
    assert codes == [401] * failures + [429] * (20 - failures)
    assert _attempt(base, "admin", ADMIN_PASSWORD, "203.0.113.200") == 429


@pytest.fixture(scope="module")
def proxied_server(tmp_path_factory, shared_dir) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("proxied")
    proc, base = start_server(tmp, shared_dir / "data" / "geo", "--trusted-proxy", "127.0.0.1")
    try:
        yield base
    finally:
        stop_server(proc)


def test_forwarded_for_counts_only_behind_a_configured_proxy(proxied_server):
    base = proxied_server
    for i in range(20):
        assert _attempt(base, f"nobody{i}", "wrong-password-123", "192.0.2.7") == 401
    assert _attempt(base, "admin", ADMIN_PASSWORD, "192.0.2.7") == 429
    # a client cannot step out by prepending addresses: the proxy appended the real one last
    assert _attempt(base, "admin", ADMIN_PASSWORD, "192.0.2.99, 192.0.2.7") == 429
    # another client behind the same proxy is not blocked
    assert _attempt(base, "admin", ADMIN_PASSWORD, "192.0.2.8") == 303


def test_failures_count_across_servers_on_one_database(tmp_path_factory, shared_dir):
    """Failures live in the database: worker processes (or servers) sharing it share the limit."""
    first, second = tmp_path_factory.mktemp("one"), tmp_path_factory.mktemp("two")
    geo = shared_dir / "data" / "geo"
    p1, b1 = start_server(first, geo)
    try:
        p2, b2 = start_server(second, geo, "--db", f"sqlite:///{first / 'web.sqlite'}")
        try:
            for _ in range(3):
                assert _attempt(b1, "admin", "wrong-password-123") == 401
            for _ in range(2):
                assert _attempt(b2, " Admin", "wrong-password-123") == 401
            assert _attempt(b1, "admin", ADMIN_PASSWORD) == 429
            assert _attempt(b2, "admin", ADMIN_PASSWORD) == 429
        finally:
            stop_server(p2)
    finally:
        stop_server(p1)


def test_limits_and_proxies_come_from_the_environment(monkeypatch):
    from speerpunt.errors import ConfigError
    from speerpunt.web.config import Settings
    from speerpunt.web.security import client_address, parse_proxies

    monkeypatch.setenv("SPEERPUNT_UPLOAD_MAX_COUNT", "3")
    monkeypatch.setenv("SPEERPUNT_REPORT_TTL_SECONDS", "60")
    monkeypatch.setenv("SPEERPUNT_TRUSTED_PROXIES", "10.0.0.0/8, ::1")
    s = Settings.from_env()
    assert (s.upload_max_count, s.report_ttl_seconds) == (3, 60)
    proxies = parse_proxies(s.trusted_proxies)
    assert client_address("10.1.2.3", "192.0.2.1, 10.9.9.9", proxies) == "192.0.2.1"
    assert client_address("::1", "192.0.2.5", proxies) == "192.0.2.5"
    assert client_address("192.0.2.9", "10.0.0.1", proxies) == "192.0.2.9"  # not a proxy
    monkeypatch.setenv("SPEERPUNT_UPLOAD_MAX_COUNT", "ten")
    with pytest.raises(ConfigError, match="SPEERPUNT_UPLOAD_MAX_COUNT"):
        Settings.from_env()

"""A real ``speerpunt serve`` on 127.0.0.1 (free port, temporary SQLite) and logged-in HTTP clients."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

ADMIN_PASSWORD = "admin-password-for-tests"
PASSWORD = "a-long-test-password"
#: user name → (role, assigned actors)
USERS = {
    "eddie": ("editor", ["resoc-kempen"]),
    "erin": ("editor", ["resoc-antwerpen"]),
    "vera": ("viewer", []),
}
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def csrf_of(client: httpx.Client) -> str:
    """The CSRF token the server put in a page for this client's session."""
    html = client.get("/login").text
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(base: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
    token = csrf_of(client)
    r = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert r.status_code == 303, r.text[:300]
    client.headers["X-CSRF-Token"] = csrf_of(client)
    return client


def start_server(tmp: Path, geo: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """``speerpunt serve`` on a free port with a fresh SQLite database in ``tmp``; waits until it answers."""
    port = free_port()
    env = dict(
        os.environ,
        SPEERPUNT_ADMIN_PASSWORD=ADMIN_PASSWORD,
        SPEERPUNT_SECRET_KEY="test-secret",
        SPEERPUNT_FILES_DIR=str(tmp / "files"),  # uploads and report files of this server only
    )
    with open(tmp / "server.log", "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from speerpunt.cli.main import main; main()",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--db",
                f"sqlite:///{tmp / 'web.sqlite'}",
                "--data",
                "be-employment",
                "--geo-dir",
                str(geo),
                *extra,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((tmp / "server.log").read_text())
        try:
            if httpx.get(base + "/login", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    stop_server(proc)
    raise RuntimeError("server did not start: " + (tmp / "server.log").read_text())


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def server_info(tmp_path_factory, shared_dir) -> Iterator[dict]:
    """A running server: ``base`` URL, ``db`` file, ``log`` file; stopped at the end of the session."""
    tmp = tmp_path_factory.mktemp("web")
    proc, base = start_server(tmp, shared_dir / "data" / "geo")
    admin = login(base, "admin", ADMIN_PASSWORD)
    for name, (role, actors) in USERS.items():
        r = admin.post(
            "/api/users",
            json={"username": name, "password": PASSWORD, "role": role, "actors": actors},
        )
        assert r.status_code == 201, r.text
    admin.close()
    try:
        yield {
            "base": base,
            "db": tmp / "web.sqlite",
            "log": tmp / "server.log",
            "files": tmp / "files",
        }
    finally:
        stop_server(proc)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "server.log").write_text((tmp / "server.log").read_text())


@pytest.fixture(scope="session")
def server(server_info) -> str:
    return server_info["base"]


@pytest.fixture
def anon(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=120) as c:
        yield c


@pytest.fixture(scope="session")
def clients(server) -> Iterator[dict[str, httpx.Client]]:
    """One logged-in client per role (and the second editor), CSRF header set."""
    out = {"admin": login(server, "admin", ADMIN_PASSWORD)}
    out.update({name: login(server, name, PASSWORD) for name in USERS})
    yield out
    for c in out.values():
        c.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# ---- Debian's Chromium driven by Playwright (never `playwright install`) -----------------------------
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    assert shutil.which(CHROMIUM) or shutil.os.path.exists(CHROMIUM), (
        "run scripts/setup.d/30-chromium.sh"
    )
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def browser_login(page, name: str, password: str) -> None:
    """Log in through the Dutch login form in Chromium."""
    page.goto("/login?lang=nl")
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_test_id("user")).to_contain_text(name)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(
        base_url=server,
        viewport={"width": 1280, "height": 900},
        locale="nl-BE",
        accept_downloads=True,
    )
    context.set_default_timeout(240_000)
    pg = context.new_page()
    external: list[str] = []
    pg.on("request", lambda req: None if req.url.startswith(server) else external.append(req.url))
    yield pg
    context.close()
    assert not external, f"the page requested external URLs: {external}"

"""Registry pages are cached per registry version; a save through one server process is seen by another
process on the same database at its next request (the version lives in the database, not in a process),
by anonymous readers and by logged-in readers (whose pages come from the shared rendering of their view)."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.web.conftest import ADMIN_PASSWORD, PASSWORD, login, start_server, stop_server


def _matrix_cell(page: str, actor_name: str, col: int) -> str:
    """The text of cell ``col`` (0 = first sector) in the matrix row of ``actor_name``."""
    row = re.search(rf">{re.escape(actor_name)}</a></th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return re.sub(r"<[^>]+>", "", cells[col]).strip()


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory, shared_dir):
    """Two ``speerpunt serve`` processes on one SQLite database (like two workers)."""
    tmp = tmp_path_factory.mktemp("twoservers")
    geo = shared_dir / "data" / "geo"
    a, base_a = start_server(tmp, geo)
    b, base_b = start_server(tmp, geo)
    try:
        yield base_a, base_b
    finally:
        stop_server(a)
        stop_server(b)


def test_a_save_in_one_process_refreshes_the_cached_pages_of_another(two_servers):
    base_a, base_b = two_servers
    anon_b = httpx.Client(base_url=base_b, timeout=120)
    admin_a = login(base_a, "admin", ADMIN_PASSWORD)
    r = admin_a.post(
        "/api/users",
        json={"username": "rita", "password": PASSWORD, "role": "viewer", "actors": []},
    )
    assert r.status_code == 201, r.text
    rita_b = login(base_b, "rita", PASSWORD)  # a logged-in reader: the shared rendering of her view
    try:
        sels = admin_a.get("/api/registry/selections").json()["records"]
        sel = next(s for s in sels if s["actor"] == "resoc-kempen")
        actor = admin_a.get("/api/registry/actors/resoc-kempen").json()["record"]
        matrix = anon_b.get("/registry/matrix", params={"lang": "en"}).text
        assert anon_b.get("/registry/matrix", params={"lang": "en"}).text == matrix  # cached
        columns = re.findall(
            r"<th scope=\"col\" title=", matrix
        )  # the sectors (the actor column has no title)
        sectors = sorted({s["sector"] for s in sels})
        assert len(columns) == len(sectors)
        new_sector = next(s for s in sectors if s != sel["sector"])
        col_old, col_new = sectors.index(sel["sector"]), sectors.index(new_sector)
        # counts of resoc-kempen's selections per sector, by hand from the records
        mine = [s["sector"] for s in sels if s["actor"] == "resoc-kempen"]
        before_old, before_new = mine.count(sel["sector"]), mine.count(new_sector)
        assert _matrix_cell(matrix, actor["name"], col_old).rstrip("?") == str(before_old)
        for _ in range(2):  # filled, then from the cache
            assert actor["name"] in rita_b.get("/registry", params={"lang": "en"}).text
            assert (
                rita_b.get("/registry/matrix", params={"lang": "en"})
                .text.replace(rita_b.headers["X-CSRF-Token"], "")
                .count(f">{actor['name']}</a>")
                == 1
            )

        r = admin_a.patch(
            "/api/registry/actors/resoc-kempen",
            json={"version": actor["version"], "changes": {"name": "RESOC Kempen (renamed)"}},
        )
        assert r.status_code == 200, r.text
        r = admin_a.patch(
            f"/api/registry/selections/{sel['id']}",
            json={"version": sel["version"], "changes": {"sector": new_sector}},
        )
        assert r.status_code == 200, r.text

        after = anon_b.get("/registry/matrix", params={"lang": "en"}).text
        name = "RESOC Kempen (renamed)"
        assert name in after and f">{actor['name']}</a>" not in after
        expect_old = str(before_old - 1) if before_old > 1 else "0"
        assert _matrix_cell(after, name, col_old).rstrip("?") == expect_old
        assert _matrix_cell(after, name, col_new).rstrip("?") == str(before_new + 1)
        assert name in anon_b.get("/registry", params={"lang": "en"}).text
        mine = rita_b.get("/registry", params={"lang": "en"}).text
        assert name in mine and f">{actor['name']}</a>" not in mine
        assert _matrix_cell(
            rita_b.get("/registry/matrix", params={"lang": "en"}).text, name, col_new
        ).rstrip("?") == str(before_new + 1)
    finally:
        anon_b.close()
        admin_a.close()
        rita_b.close()

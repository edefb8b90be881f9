"""Safe output over HTTP on the real server: hostile codes in uploaded data cannot steer where report files go,
are only text in every report format, export as CSV without live formulas or a 500 outside Latin-1; uploads
live on disk per user with a count quota; expired report files are cleaned after serving."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
from openpyxl import load_workbook

from speerpunt.io.safe import safe_filename
from tests.report.test_safe_output import IMG, SCRIPT, TRAVERSAL, Elements, hostile_rows

UPLOAD_FILES = re.compile(r"u-[A-Za-z0-9_-]{12}\.(parquet|json)")


@pytest.fixture(scope="module")
def hostile_key(clients) -> str:
    csv = hostile_rows().to_csv(index=False).encode("utf-8")
    r = clients["vera"].post("/api/upload", files={"file": ("hostile.csv", csv, "text/csv")})
    assert r.status_code == 201, r.text
    assert TRAVERSAL in r.json()["regions"]
    return r.json()["data"]


def _report(client, key: str, region: str, fmt: str):
    return client.get(
        "/api/report",
        params={"data": key, "region": region, "reference": "BE", "lang": "nl", "format": fmt},
    )


def test_traversal_code_cannot_place_a_report_outside_its_folder(clients, hostile_key, server_info):
    started = time.time() - 1
    r = _report(clients["vera"], hostile_key, TRAVERSAL, "html")
    assert r.status_code == 200, r.text[:300]
    name = safe_filename("speerpunt", TRAVERSAL, "nl", suffix=".html")
    assert name.startswith("speerpunt_tmp_x-") and "/" not in name
    assert f"filename*=UTF-8''{quote(name, safe='')}" in r.headers["content-disposition"]
    reports = server_info["files"] / "reports"
    assert all(p.parent == reports for p in reports.rglob("*"))
    assert any(p.name.startswith("speerpunt_tmp_x-") for p in reports.iterdir())
    # nothing new where the code points to, from the report folder (as the old name did) or from /
    aimed = {(reports / f"{prefix}../../../../tmp").resolve() for prefix in ("", "speerpunt-")}
    for folder in aimed | {Path("/tmp"), Path("/tmp/tmp")}:
        if folder.is_dir():
            new = [
                p
                for p in folder.iterdir()
                if p.name.startswith(("x-", "x_", "x.")) and p.stat().st_mtime >= started
            ]
            assert not new, new


@pytest.mark.parametrize("region", [SCRIPT, IMG])
def test_report_html_download_escapes_hostile_codes(clients, hostile_key, region):
    r = _report(clients["vera"], hostile_key, region, "html")
    assert r.status_code == 200
    parser = Elements()
    parser.feed(r.text)
    assert not [t for t, _ in parser.tags if t == "script"]
    assert not [a for _, a in parser.tags if any(k.startswith("on") for k in a)]
    assert region in "".join(parser.text)


def test_report_pdf_and_xlsx_downloads_show_codes_as_text(clients, hostile_key, tmp_path):
    pdf = _report(clients["vera"], hostile_key, SCRIPT, "pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(tmp_path / "r.pdf"), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert SCRIPT in " ".join(text.split())
    xlsx = _report(clients["vera"], hostile_key, SCRIPT, "xlsx")
    assert xlsx.status_code == 200
    (tmp_path / "r.xlsx").write_bytes(xlsx.content)
    wb = load_workbook(tmp_path / "r.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'=1+2" in texts and "'@SUM(1)" in texts
    assert any(isinstance(c.value, float) and c.value < 0 for c in cells)


def test_csv_download_outside_latin1_and_without_formulas(clients, hostile_key):
    r = clients["vera"].get(
        "/api/lq",
        params={
            "data": hostile_key,
            "region": "Łódź€",
            "reference": "BE",
            "year": 2018,
            "format": "csv",
        },
    )
    assert r.status_code == 200, r.text[:300]
    disposition = r.headers["content-disposition"]
    assert "filename*=UTF-8''lq-%C5%81%C3%B3d%C5%BA" in disposition
    assert disposition.encode("latin-1")  # the header itself is plain ASCII
    body = r.content.decode("utf-8")
    rows = pd.read_csv(pd.io.common.StringIO(body), keep_default_na=False)
    assert set(rows["region"]) == {"Łódź€"}
    assert {"'=1+2", "'@SUM(1)", "A"} <= set(rows["sector"])
    assert not [line for line in body.splitlines() if re.search(r"(^|,)[=@+]", line)]
    # numbers stay numbers: the LQ of A recomputed from the raw rows
    raw = hostile_rows()
    r18 = raw[raw["year"] == 2018].set_index(["region", "sector"])["value"]
    lq = (r18[("Łódź€", "A")] / r18[("Łódź€", "TOTAL")]) / (r18[("BE", "A")] / r18[("BE", "TOTAL")])
    assert rows.set_index("sector").loc["A", "lq"] == pytest.approx(lq, rel=1e-12)
    report = _report(clients["vera"], hostile_key, "Łódź€", "xlsx")
    assert report.status_code == 200
    name = safe_filename("speerpunt", "Łódź€", "nl", suffix=".xlsx")
    assert name.startswith("speerpunt_Łódź-")
    assert f"filename*=UTF-8''{quote(name, safe='')}" in report.headers["content-disposition"]


def _owner_dirs(files: Path) -> dict[Path, list[str]]:
    uploads = files / "uploads"
    return {d: sorted(p.name for p in d.iterdir()) for d in uploads.iterdir() if d.is_dir()}


def test_uploads_live_on_disk_per_user_with_a_count_quota(clients, server_info, hostile_key):
    small = (
        pd.DataFrame(
            [
                (r, s, y, "employment", v)
                for r, s, v in [("BE", "TOTAL", 10.0), ("BE", "A", 4.0)]
                for y in (2017, 2018)
            ],
            columns=["region", "sector", "year", "variable", "value"],
        )
        .to_csv(index=False)
        .encode()
    )
    keys = []
    for i in range(11):
        r = clients["eddie"].post("/api/upload", files={"file": (f"s{i}.csv", small, "text/csv")})
        assert r.status_code == 201, r.text
        keys.append(r.json()["data"])
    dirs = _owner_dirs(server_info["files"])
    mine = [d for d, names in dirs.items() if f"{keys[-1]}.parquet" in names]
    assert len(mine) == 1
    names = dirs[mine[0]]
    assert all(UPLOAD_FILES.fullmatch(n) for n in names)
    assert len([n for n in names if n.endswith(".parquet")]) == 10  # the quota per user
    assert f"{keys[0]}.parquet" not in names  # the oldest made room
    gone = clients["eddie"].get("/api/meta", params={"data": keys[0]})
    assert gone.status_code == 400 and keys[0] in gone.json()["error"]
    assert clients["eddie"].get("/api/meta", params={"data": keys[-1]}).status_code == 200
    # another user's uploads (vera's, from the hostile_key fixture) are in another folder
    vera = [d for d, n in dirs.items() if d != mine[0] and any(x.endswith(".parquet") for x in n)]
    assert vera


def test_expired_report_files_are_removed_after_serving(clients, server_info):
    reports = server_info["files"] / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    old = reports / "speerpunt_BE99_nl_0000.html"
    old.write_text("stale")
    long_ago = time.time() - 2 * 86400
    os.utime(old, (long_ago, long_ago))
    fresh = reports / "speerpunt_BE98_nl_0000.html"
    fresh.write_text("fresh")
    r = clients["vera"].get("/api/report", params={"region": "BE21", "format": "html"})
    assert r.status_code == 200
    deadline = time.time() + 10
    while old.exists() and time.time() < deadline:
        time.sleep(0.2)
    assert not old.exists() and fresh.exists()


def test_upload_store_expiry_and_size_quota(tmp_path):
    from speerpunt.errors import DataError, MeasureError
    from speerpunt.io import read_panel
    from speerpunt.web.storage import UploadStore

    rows = [
        ("BE", s, y, "employment", v)
        for s, v in (("TOTAL", 10.0), ("A", 4.0))
        for y in (2017, 2018)
    ]
    pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]).to_csv(
        tmp_path / "p.csv", index=False
    )
    panel = read_panel(tmp_path / "p.csv")
    store = UploadStore(tmp_path / "files", ttl=3600, max_count=3, quota_bytes=10**6)
    key = store.add(panel, "p.csv", "user:1")
    back, name = store.get(key)
    assert name == "p.csv" and back.data.equals(panel.data)
    parquet = next((tmp_path / "files" / "uploads").glob(f"*/{key}.parquet"))
    t = time.time() - 7200
    os.utime(parquet, (t, t))
    assert not store.has(key)
    with pytest.raises(MeasureError, match=key):
        store.get(key)  # also when it was still in the in-memory cache
    assert store.cleanup() >= 1 and not parquet.exists()
    tiny = UploadStore(tmp_path / "tiny", ttl=3600, max_count=3, quota_bytes=100)
    with pytest.raises(DataError, match="more than the"):
        tiny.add(panel, "p.csv", "user:1")
    assert not list((tmp_path / "tiny" / "uploads").rglob("*.parquet"))


@pytest.mark.parametrize("page", ["/region", "/sector", "/screening", "/report", "/similar"])
def test_pages_show_hostile_codes_as_text(clients, hostile_key, page):
    for region in (SCRIPT, IMG):
        r = clients["vera"].get(
            page, params={"data": hostile_key, "region": region, "reference": "BE"}
        )
        assert r.status_code == 200, (page, r.status_code, r.text[:200])
        parser = Elements()
        parser.feed(r.text)
        scripts = [a for t, a in parser.tags if t == "script"]
        assert all(a.get("src", "").startswith("/static/") for a in scripts), (page, scripts)
        handlers = [(t, a) for t, a in parser.tags if any(k.startswith("on") for k in a)]
        assert not handlers, (page, handlers[:3])
        assert not [a for t, a in parser.tags if t == "img" and a.get("src") == "x"]
        assert region in "".join(parser.text) or region in str(parser.tags)  # shown, as text

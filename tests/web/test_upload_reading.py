"""The web upload reads as the CLI does: the read summary first, and the decimal/thousands/sheet/variable
fields settle what the file leaves open (real server, real HTTP)."""

from __future__ import annotations

import re

import pytest

AMBIGUOUS = "regio;sector;jaar;waarde\nR1;A;2018;35.991\nR1;B;2018;12.345\nR2;A;2018;20.500\nR2;B;2018;4.500\n"


def test_upload_refuses_an_ambiguous_file_and_the_fields_settle_it(clients):
    vera = clients["vera"]
    files = {"file": ("nl.csv", AMBIGUOUS, "text/csv")}
    r = vera.post("/api/upload", files=files, data={"variable": "jobs"})
    assert r.status_code == 400
    assert "ambiguous number '35.991'" in r.json()["error"] and "line 2" in r.json()["error"]
    r = vera.post(
        "/api/upload", files=files, data={"variable": "jobs", "decimal": ",", "thousands": "."}
    )
    assert r.status_code == 201, r.text
    body = r.json()
    reading = body["reading"]
    assert reading["separator"] == ";" and reading["header_mapping"]["region"] == "regio"
    assert "decimal comma" in reading["numbers"] and "as given" in reading["numbers"]
    key = body["data"]
    records = (
        clients["vera"]
        .get(
            "/api/lq",
            params={
                "data": key,
                "region": "R1",
                "reference": "R2",
                "year": 2018,
                "variable": "jobs",
            },
        )
        .json()["records"]
    )
    # 35.991 read as 35991 (thousands dot): A's share is 35991/48336 in R1 and 20500/25000 in R2.
    assert {x["sector"]: x["lq"] for x in records}["A"] == pytest.approx(
        (35991 / 48336) / (20500 / 25000)
    )


def test_upload_page_shows_the_read_summary_first(clients):
    vera = clients["vera"]
    page = vera.get("/upload")
    assert 'name="decimal"' in page.text and 'name="thousands"' in page.text
    assert 'name="sheet"' in page.text and 'name="variable"' in page.text
    text = "Werkgelegenheid\n\ngewest;sector;jaar;waarde\nR1;A;2018;4,5\nR1;TOTAL;2018;10\n\nBron: Statbel\n"
    r = vera.post(
        "/upload",
        files={"file": ("statbel.csv", text, "text/csv")},
        data={"variable": "jobs", "csrf_token": vera.headers.get("X-CSRF-Token", "")},
    )
    assert r.status_code == 200, r.text[:500]
    assert 'data-testid="read-summary"' in r.text
    # the page is Dutch (the default language), so is the summary's wording
    assert (
        "overgeslagen: regel 1: Werkgelegenheid" in r.text
        and "overgeslagen: regel 7: Bron: Statbel" in r.text
    )
    assert "kop op regel 3" in r.text and "skipped:" not in r.text


def test_dutch_upload_page_gives_the_readers_error_and_warnings_in_dutch(clients):
    """The ambiguous file on the Dutch page: the reader's own error in Dutch (not marked English), with
    the same line and column as the JSON API's English; a file with overlapping sectors: its warning."""
    vera = clients["vera"]
    token = {"csrf_token": vera.headers.get("X-CSRF-Token", "")}
    files = {"file": ("dubbelzinnig.csv", AMBIGUOUS, "text/csv")}
    r = vera.post("/upload?lang=nl", files=files, data={"variable": "jobs", **token})
    assert r.status_code == 400
    error = re.search(r'data-testid="upload-error">(.*?)</p>', r.text, re.S).group(1)
    assert error.startswith("dubbelzinnig.csv, regel 2, kolom &#39;waarde&#39;: dubbelzinnig getal")
    assert 'lang="en"' not in error and "ambiguous" not in error
    a10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]
    rows = [f"R1,{s},2018,jobs,10" for s in a10] + ["R1,C,2018,jobs,4", "R1,TOTAL,2018,jobs,100"]
    text = "region,sector,year,variable,value\n" + "\n".join(rows) + "\n"
    r = vera.post("/upload?lang=nl", files={"file": ("deel.csv", text, "text/csv")}, data=token)
    assert r.status_code == 200, r.text[:300]
    warnings = re.search(r'data-testid="read-warnings">(.*?)</ul>', r.text, re.S).group(1)
    assert "sectoren bevatten elkaar (C ligt binnen B-E)" in warnings
    assert "contain each other" not in r.text and 'lang="en"' not in warnings

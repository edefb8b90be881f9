"""The analyst's workflow in Debian's Chromium and over HTTP: a selection that follows every link, an upload
that stays selected and asks for a missing reference, Dutch pages with no English words, a Leaflet map with
tooltips and popups, and pages that fit 1366 and 390 pixel wide screens.

Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import csv
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, browser_login

pytestmark = pytest.mark.browser

A10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]
LIMBURG = {"region": "BE22", "start": "2010", "end": "2018"}
#: English words that must not appear on a Dutch page (none of them is also a Dutch word).
ENGLISH = {
    "the", "and", "with", "candidate", "rejected", "pass", "fail", "unknown", "growth",
    "region", "reference", "threshold", "evidence", "sensitivity", "similar", "report",
    "home", "save", "users", "measure", "value", "total", "employment", "meets", "does", "not",
    "quantile", "cosine", "specialised", "important", "growing", "entropy", "variety", "missing",
    "sectors", "key", "figures", "table", "series", "change", "year", "log", "own", "upload",
    "file", "show", "language", "guest", "editor", "viewer", "operator", "rule",
    # the read summary's detected values and the error pages
    "delimited", "text", "comma", "semicolon", "line", "decimal", "thousands", "wide", "inside",
    "found", "page", "allowed", "configuration", "changed", "meanwhile", "version", "started",
    "reload", "again", "request", "invalid", "error",
}  # fmt: skip
PAGES = [
    "/",
    "/region",
    "/sector",
    "/screening",
    "/similar",
    "/firms",
    "/report",
    "/upload",
    "/login",
]
#: The text a person sees: every text node outside drop-down lists, data shown as is (translate="no")
#: and text marked as being in another language than the page (library notes carry lang="en").
VISIBLE_TEXT = """() => {
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const out = [];
  let n;
  while ((n = walk.nextNode())) {
    const el = n.parentElement;
    if (el.closest("select, script, style, noscript, [translate=no], .leaflet-container")) continue;
    if (el.closest("[lang]").lang !== document.documentElement.lang) continue;
    if (el.closest("[hidden], details:not([open]) > :not(summary)")) continue;
    out.push(n.textContent);
  }
  return out.join(" ");
}"""


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_selection_survives_navigation_on_every_page(page, artifacts):
    page.goto("/region?region=BE22&start=2010&end=2018")
    for path in [
        "/sector",
        "/screening",
        "/similar",
        "/report",
        "/upload",
        "/registry",
        "/",
        "/region",
    ]:
        page.locator(f"#nav a[href^='{path}?'], a.brand[href^='{path}?']").first.click()
        page.wait_for_url(re.compile(re.escape(path) + r"\?"))
        q = _query(page.url)
        assert {k: q.get(k) for k in LIMBURG} == LIMBURG, (path, page.url)
        if path in ("/region", "/sector", "/screening", "/similar", "/report"):
            expect(page.get_by_test_id("region-select").first).to_have_value("BE22")
            expect(page.locator("select[name='start']").first).to_have_value("2010")
            expect(page.locator("select[name='end']").first).to_have_value("2018")
    page.goto("/screening?region=BE22&start=2010&end=2018")
    expect(page.locator("h1")).to_contain_text("Limburg")
    expect(page.locator("h1")).to_contain_text("2010–2018")
    page.screenshot(path=artifacts / "screening-limburg.png", full_page=True)


def test_filter_form_keeps_the_rest_of_the_selection(page):
    page.goto("/sector?region=BE22&start=2010&end=2018&sector=F&lang=nl")
    page.locator("select[name='end']").first.select_option("2016")  # submits itself (app.js)
    page.wait_for_url("**end=2016**")
    q = _query(page.url)
    assert (q["region"], q["start"], q["end"], q["lang"]) == ("BE22", "2010", "2016", "nl")


def test_upload_stays_selected_and_asks_for_a_missing_reference(clients, anon):
    """Regions RA1, RA2 and RB1 have no country total in the file: the page asks for a reference."""
    rows = {("RA1", "A"): 30, ("RA1", "B"): 70, ("RA2", "A"): 10, ("RA2", "B"): 90}
    rows |= {("RB1", "A"): 60, ("RB1", "B"): 40}
    rows |= {("ALL", s): sum(v for (r, t), v in rows.items() if t == s) for s in "AB"}
    text = "region,sector,year,variable,value\n" + "".join(
        f"{r},{s},{y},jobs,{v + (y - 2010)}\n" for (r, s), v in rows.items() for y in (2010, 2020)
    )
    r = clients["vera"].post("/api/upload", files={"file": ("regions.csv", text, "text/csv")})
    assert r.status_code == 201, r.text
    key = r.json()["data"]
    form = anon.get("/region", params={"data": key, "region": "RA1", "variable": "jobs"})
    assert form.status_code == 200, form.text[:300]
    assert 'data-testid="reference-form"' in form.text and 'value="ALL"' in form.text
    assert f'name="data" value="{key}"' in form.text  # the upload stays selected through the form
    as_json = anon.get("/api/indicators", params={"data": key, "region": "RA1", "variable": "jobs"})
    assert as_json.status_code == 400 and "reference" in as_json.json()["error"]
    params = {"data": key, "region": "RA1", "variable": "jobs", "reference": "ALL"}
    page = anon.get("/region", params=params)
    assert page.status_code == 200 and 'data-testid="sector-table"' in page.text
    menu = re.findall(r'<nav id="nav".*?</nav>', page.text, re.S)[0]
    links = re.findall(r'href="([^"]+)"', menu)
    assert links and all(f"data={key}" in link for link in links), links
    ind = anon.get("/api/indicators", params=params).json()["records"]
    # LQ of A in RA1 against ALL, 2020, by hand: (40/120) / (110/320)
    lq = {x["sector"]: x["lq_end"] for x in ind}
    assert lq["A"] == pytest.approx((40 / 120) / (110 / 320))


def test_dutch_rule_with_dutch_labels_is_accepted(anon):
    """The rule as the Dutch page shows it: candidates are exactly the sectors that are important and not
    specialised (each criterion's pass/fail as the evidence table reports it)."""
    base = anon.get("/screening", params={"region": "BE22"})
    shown = re.search(r'name="rule" value="([^"]+)"', base.text).group(1)
    assert shown == "belangrijk of (gespecialiseerd en (groeiend of regionale_groei))"
    r = anon.get(
        "/api/screening", params={"region": "BE22", "rule": "Belangrijk EN niet gespecialiseerd"}
    )
    assert r.status_code == 200, r.text
    records = r.json()["records"]
    expected = {
        x["sector"] for x in records if x["important"] == "pass" and x["specialised"] == "fail"
    }
    assert expected and {x["sector"] for x in records if x["status"] == "candidate"} == expected
    page = anon.get(
        "/screening", params={"region": "BE22", "rule": "belangrijk en niet gespecialiseerd"}
    )
    assert page.status_code == 200
    assert 'value="belangrijk en niet gespecialiseerd"' in page.text
    for word in ("kandidaat", "afgewezen", "voldoet"):
        assert word in page.text
    bad = anon.get("/screening", params={"region": "BE22", "rule": "belangrijk en onbekend"})
    assert bad.status_code == 400 and "onbekend" in bad.text


@pytest.mark.parametrize("path", PAGES)
def test_dutch_pages_show_no_english_words(page, path):
    page.goto(f"{path}?region=BE22&start=2010&end=2018&lang=nl")
    words = set(re.findall(r"[a-z]+", page.evaluate(VISIBLE_TEXT).lower()))
    assert not words & ENGLISH, sorted(words & ENGLISH)


def _english_words(page, codes: frozenset[str] = frozenset()) -> list[str]:
    """Words of the English list on the page, apart from ``codes``: data shown as it was uploaded (the
    sector code ``TOTAL``), matched with their exact case."""
    words = re.findall(r"[A-Za-z]+", page.evaluate(VISIBLE_TEXT))
    return sorted({w.lower() for w in words if w not in codes} & ENGLISH)


def test_dutch_404_and_405_pages_are_html_in_dutch(page, anon):
    answer = page.goto("/bestaat-niet?region=BE22&lang=nl")
    assert answer.status == 404 and answer.headers["content-type"].startswith("text/html")
    expect(page.locator("h1")).to_have_text("Pagina niet gevonden")
    expect(page.get_by_test_id("error")).to_have_text("Er is geen pagina op /bestaat-niet.")
    assert _english_words(page) == []
    # a route that exists, with the wrong method: an HTML page that names the method, Allow kept
    wrong = anon.request("DELETE", "/region", headers={"Accept-Language": "nl"})
    assert wrong.status_code == 405 and wrong.headers["content-type"].startswith("text/html")
    assert (
        "/region aanvaardt geen DELETE-verzoek." in wrong.text and "GET" in wrong.headers["allow"]
    )
    english = anon.get("/no-such-page", params={"lang": "en"})
    assert english.status_code == 404 and "There is no page at /no-such-page." in english.text
    # the JSON API keeps its English messages for programs
    api = anon.get("/api/no-such-thing")
    assert (
        api.status_code == 404 and api.json()["error"] == "There is no page at /api/no-such-thing."
    )


def test_dutch_upload_read_summary_has_no_english_words(page, artifacts):
    """A semicolon file with decimal commas, a title line above the table and a note below: every
    detected value (format, separator, layout, numbers, skipped lines) is written in Dutch."""
    browser_login(page, "vera", PASSWORD)
    page.goto("/upload?lang=nl")
    text = "Werkgelegenheid per sector\n\ngewest;sector;jaar;waarde\n"
    text += "R1;A;2018;4,5\nR1;B;2018;5,5\nR1;TOTAL;2018;10\n\nBron: Statbel\n"
    page.locator("input[name='file']").set_input_files(
        files=[{"name": "statbel.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.locator("input[name='variable']").fill("jobs")
    page.locator("form[action='/upload'] button[type='submit']").click()
    summary = page.get_by_test_id("read-summary")
    expect(summary).to_be_visible()
    shown = summary.inner_text()
    for line in (
        "formaat: tekst met scheidingstekens",
        "scheidingsteken: puntkomma",
        "overgeslagen: regel 1: Werkgelegenheid per sector",
        "overgeslagen: regel 8: Bron: Statbel",  # lines 2 and 7 are empty
    ):
        assert line in shown, shown
    assert "decimaalkomma ','" in shown and "lang (één waarde per regel)" in shown, shown
    assert "gewest → regio, sector → sector, jaar → jaar, waarde → waarde" in shown, shown
    page.screenshot(path=artifacts / "upload-summary-nl.png", full_page=True)
    assert _english_words(page, codes=frozenset({"TOTAL"})) == []


def test_dutch_upload_shows_the_readers_error_in_dutch(page):
    """A semicolon file whose dotted numbers could be decimals or thousands: the reader refuses it, and
    the Dutch page says so in Dutch, naming line and column (option names are code, not words)."""
    browser_login(page, "vera", PASSWORD)
    page.goto("/upload?lang=nl")
    text = "regio;sector;jaar;waarde\nR1;A;2018;35.991\nR1;B;2018;12.345\nR2;A;2018;20.500\n"
    page.locator("input[name='file']").set_input_files(
        files=[{"name": "punten.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.locator("input[name='variable']").fill("banen")
    page.locator("form[action='/upload'] button[type='submit']").click()
    error = page.get_by_test_id("upload-error")
    expect(error).to_contain_text(
        "punten.csv, regel 2, kolom 'waarde': dubbelzinnig getal '35.991'"
    )
    expect(error).to_contain_text("het leest als 35.991 (duizendtalscheiding '.') of als 35,991")
    assert error.locator("[lang=en]").count() == 0
    assert _english_words(page, codes=frozenset({"decimal", "thousands"})) == []


def test_dutch_stale_configuration_message(page, clients, anon):
    """Eddie opens configuration version 1, Erin saves version 2 meanwhile: Eddie's save is refused
    (409) with the Dutch message naming both versions."""
    mapping = anon.get("/api/screening?region=BE21").json()["configuration"]
    made = clients["eddie"].post(
        "/api/screening/configs", json={"name": "nl-stale-cfg", "mapping": mapping}
    )
    assert made.status_code == 201 and made.json()["version"] == 1
    browser_login(page, "eddie", PASSWORD)
    page.goto("/screening?region=BE21&config=nl-stale-cfg&lang=nl")
    expect(page.locator("form[action='/screening/save'] input[name='version']")).to_have_value("1")
    again = clients["erin"].post(
        "/api/screening/configs",
        json={"name": "nl-stale-cfg", "mapping": {**mapping, "rule": "specialised"}, "version": 1},
    )
    assert again.status_code == 201 and again.json()["version"] == 2
    with page.expect_response("**/screening/save") as answer:
        page.locator("form[action='/screening/save'] button[type='submit']").click()
    assert answer.value.status == 409
    message = page.get_by_test_id("error")
    expect(message).to_contain_text("configuratie 'nl-stale-cfg' werd intussen gewijzigd")
    expect(message).to_contain_text("staat nu op versie 2")
    expect(message).to_contain_text("je begon van versie 1")
    assert _english_words(page) == []


def test_the_english_word_check_can_fail(page):
    page.goto("/screening?region=BE22&lang=en")
    words = set(re.findall(r"[a-z]+", page.evaluate(VISIBLE_TEXT).lower()))
    assert {"candidate", "rejected", "growth", "threshold"} <= words


def test_map_draws_boundaries_with_tooltips_and_popups(page, shared_dir, artifacts):
    path = shared_dir / "data" / "eurostat" / "be_nama_10r_3empers_EMP_THS_2000_2018.csv"
    rows = {(r["geo"], r["year"]): r for r in csv.DictReader(path.open(encoding="utf-8"))}
    lim, be = rows[("BE22", "2018")], rows[("BE", "2018")]
    lq = (float(lim["B-E"]) / float(lim["TOTAL"])) / (float(be["B-E"]) / float(be["TOTAL"]))
    page.set_default_timeout(30_000)
    page.goto("/region?region=BE22&sector=B-E&lang=nl")
    leaflet = page.get_by_test_id("map")
    expect(leaflet).to_have_attribute("data-ready", "true")
    shapes = leaflet.locator("path.leaflet-interactive")
    # Brussels, five Flemish and five Walloon provinces (NUTS 2)
    expect(shapes).to_have_count(11)
    expect(page.get_by_test_id("map-legend").locator("span")).to_have_count(6)
    box = leaflet.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.62, box["y"] + box["height"] * 0.35)
    page.wait_for_timeout(300)
    page.screenshot(path=artifacts / "map-tooltip.png")
    # the selected province has the thick dark outline: click it and read its popup
    limburg = leaflet.locator("path[data-region='BE22']")
    expect(limburg).to_have_attribute("stroke", "#1d2733")
    limburg.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Provincie Limburg (BE22)")
    expect(popup).to_contain_text(f"LQ {lq:.2f}".replace(".", ","))
    href = popup.locator("a").get_attribute("href")
    assert _query(href)["region"] == "BE22" and _query(href)["sector"] == "B-E"
    page.screenshot(path=artifacts / "map-popup.png", full_page=True)
    tip = page.locator(".leaflet-tooltip")
    limburg.hover(force=True)
    expect(tip).to_contain_text("Limburg")


@pytest.mark.parametrize("width", [1366, 390])
def test_pages_fit_the_screen_width(browser, server, artifacts, width):
    context = browser.new_context(
        base_url=server, viewport={"width": width, "height": 900}, locale="nl-BE"
    )
    context.set_default_timeout(240_000)
    pg = context.new_page()
    wide = []
    for path in PAGES + ["/registry"]:
        pg.goto(f"{path}?region=BE22&start=2010&end=2018")
        pg.wait_for_load_state("networkidle")
        name = path.strip("/") or "home"
        pg.screenshot(path=artifacts / f"page-{name}-{width}.png", full_page=True)
        scroll = pg.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide.append((path, scroll))
    context.close()
    assert not wide, f"horizontal scrolling at {width}px: {wide}"


def test_dutch_error_messages_name_the_place_and_the_field(anon, clients):
    """A wrong year and a form without its required field: the page's language, the place (column) and
    the field named; the JSON API keeps the English text."""
    r = anon.get("/region", params={"region": "BE21", "start": "abc", "lang": "nl"})
    assert r.status_code == 400 and "kolom &#39;start&#39;: &#39;abc&#39; is geen jaar" in r.text
    api = anon.get("/api/lq", params={"region": "BE21", "start": "abc"})
    assert api.status_code == 400 and api.json()["error"] == "column 'start': 'abc' is not a year"
    form = clients["eddie"].post("/screening/save?lang=nl", data={})
    assert form.status_code == 422 and "name: ontbreekt" in form.text, form.text[-600:]
    # the web's own refusals carry catalogue ids too (a message the catalogue does not know would be
    # shown as it is and marked lang="en": the doctest of speerpunt.web.errors)
    unknown = clients["eddie"].get("/registry/new/nonsense", params={"lang": "nl"})
    assert unknown.status_code == 400
    assert "kolom &#39;kind&#39;: geen formulier voor een nieuwe nonsense: kies uit" in unknown.text
    assert '<span lang="en">' not in unknown.text

"""A territory and a policy-sector set stay selected through the menu and the forms, in Chromium.

The HTTP tests (test_territories.py) check the numbers; this one checks what only a browser does: following
every menu link and submitting the screening form (the browser encodes ``:`` itself) keeps the territory and
the set. A union keeping its ``+`` through a form is test_browser.py's
``test_territory_and_sector_set_survive_navigation``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

#: The menu in the order a user might follow it; the pages with a selection form come first.
MENU = (
    "/sector",
    "/screening",
    "/similar",
    "/firms",
    "/report",
    "/registry",
    "/upload",
    "/",
    "/region",
)
#: Pages whose selection form shows the region picker (the screening form carries the set hidden).
WITH_FORM = {"/region", "/sector", "/screening", "/similar", "/firms", "/report"}


def query(page) -> dict[str, str]:
    """The current URL's query, decoded as the server decodes it (``%2B`` → ``+``, ``+`` → space)."""
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def follow_menu(page, href: str) -> None:
    page.locator(f"#nav a[href^='{href}?']").click()
    page.wait_for_url(lambda u: urlparse(u).path == href)


def test_resoc_area_and_study_set_survive_every_menu_page_and_the_form(page, artifacts):
    page.set_default_timeout(90_000)  # the first page builds the area's panel from the Statbel file
    page.goto(
        "/region?data=be-enterprises-2019&variable=enterprises&region=resoc:westhoek"
        "&sectors=antwerp-2013"
    )
    expect(page.locator("h1")).to_contain_text("RESOC Westhoek")
    table = page.get_by_test_id("sector-table")
    expect(table).to_contain_text("Chemie en life sciences")  # the vocabulary's label …
    expect(table).not_to_contain_text("chemie_life_sciences")  # … not the set's id
    expect(page.get_by_test_id("coverage")).to_contain_text("overlappen")
    for href in MENU:
        follow_menu(page, href)
        q = query(page)
        assert (q.get("data"), q.get("region"), q.get("sectors")) == (
            "be-enterprises-2019",
            "resoc:westhoek",
            "antwerp-2013",
        ), (href, page.url)
        if href in WITH_FORM:
            assert page.get_by_test_id("region-select").input_value() == "resoc:westhoek", href
            chosen = page.locator("[data-testid='set-select'], #workbench input[name='sectors']")
            assert chosen.first.input_value() == "antwerp-2013", href
            expect(page.locator("main")).to_contain_text("RESOC Westhoek")
    page.screenshot(path=artifacts / "territory-region.png", full_page=True)
    # the screening's own form, submitted by the browser, keeps the territory and the set
    follow_menu(page, "/screening")
    page.get_by_test_id("th-specialised").fill("1,5")
    page.get_by_test_id("apply").click()
    page.wait_for_url("**th_specialised=1**")
    q = query(page)
    assert (q["data"], q["region"], q["sectors"]) == (
        "be-enterprises-2019",
        "resoc:westhoek",
        "antwerp-2013",
    )
    expect(page.locator("h1")).to_contain_text("RESOC Westhoek")
    expect(page.get_by_test_id("candidates")).to_contain_text("Bouw")
    follow_menu(page, "/report")  # and the menu after it
    assert query(page)["region"] == "resoc:westhoek" and query(page)["sectors"] == "antwerp-2013"
    for fmt in ("html", "pdf", "xlsx"):  # the downloads ask for the same selection
        link = parse_qs(urlparse(page.get_by_test_id(f"report-{fmt}").get_attribute("href")).query)
        assert (link["region"], link["sectors"]) == (["resoc:westhoek"], ["antwerp-2013"]), fmt

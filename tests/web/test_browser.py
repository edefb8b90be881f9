"""End to end in Debian's headless Chromium driven by Playwright (never ``playwright install``).

Screenshots go to tests/artifacts/ (gitignored) as test artefacts.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD
from tests.web.conftest import browser_login as login

pytestmark = pytest.mark.browser


def test_dashboard_region_change_updates_chart(page, artifacts):
    page.goto("/region?region=BE21&start=2008&end=2018")
    chart = page.get_by_test_id("lq-chart")
    expect(chart.locator("svg")).to_be_visible()
    before = chart.inner_html()
    assert "Antwerpen" in page.locator("h1").inner_text()
    page.screenshot(path=artifacts / "dashboard-BE21.png", full_page=True)
    page.get_by_test_id("region-select").first.select_option("BE10")  # submits itself (app.js)
    page.wait_for_url("**region=BE10**")
    expect(page.locator("h1")).not_to_contain_text("Antwerpen")
    after = page.get_by_test_id("lq-chart").inner_html()
    assert after != before
    assert page.get_by_test_id("sector-table").locator("tbody tr").count() >= 10
    page.screenshot(path=artifacts / "dashboard-BE10.png", full_page=True)


def test_sector_table_sorts_by_click(page):
    page.goto("/region?region=BE21")
    table = page.get_by_test_id("sector-table")
    table.locator("thead th").nth(5).get_by_role("button").click()  # LQ end year, ascending
    values = [
        float(v)
        for v in table.locator("tbody tr:not(.total) td:nth-child(6)").evaluate_all(
            "cells => cells.map(c => c.dataset.sort)"
        )
        if v
    ]
    assert values == sorted(values) and len(values) >= 9


def test_screening_threshold_changes_candidates(page, artifacts):
    page.goto("/screening?region=BE21")
    rows = page.get_by_test_id("candidates").locator("tbody tr[data-status='candidate']")
    loose = rows.count()
    assert loose >= 2
    page.get_by_test_id("th-specialised").fill("3")
    page.get_by_test_id("th-important").fill("0,99")
    page.get_by_test_id("apply").click()
    page.wait_for_url("**th_specialised=3**")
    strict = page.get_by_test_id("candidates").locator("tbody tr[data-status='candidate']").count()
    assert strict < loose
    page.screenshot(path=artifacts / "screening.png", full_page=True)


def test_editor_edits_own_actor_but_not_another(page, artifacts):
    login(page, "eddie", PASSWORD)
    page.goto("/registry/actors/resoc-kempen")
    page.get_by_test_id("edit-actor").click()
    form = page.get_by_test_id("edit-form")
    form.locator("textarea[name='note']").fill("Kempen: bijgewerkt in de browser")
    form.get_by_role("button").click()
    expect(page.locator(".flash")).to_contain_text("Opgeslagen")
    page.screenshot(path=artifacts / "edit-own-actor.png", full_page=True)
    page.goto("/registry/actors/resoc-kempen")
    expect(page.locator("dl.sheet")).to_contain_text("Kempen: bijgewerkt in de browser")
    # another actor: no edit button, and the edit page itself refuses
    page.goto("/registry/actors/resoc-antwerpen")
    expect(page.get_by_test_id("edit-actor")).to_have_count(0)
    response = page.goto("/registry/actors/resoc-antwerpen/edit")
    assert response.status == 403
    expect(page.get_by_test_id("error")).to_contain_text("resoc-antwerpen")
    page.screenshot(path=artifacts / "edit-other-actor-refused.png", full_page=True)


def test_pdf_report_download(page, artifacts):
    page.goto("/report?region=BE21&start=2008&end=2018")
    with page.expect_download(timeout=600_000) as info:
        page.get_by_test_id("report-pdf").click()
    download = info.value
    target = artifacts / "report-BE21.pdf"
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000


def test_phone_width_and_keyboard(browser, server, artifacts):
    context = browser.new_context(
        base_url=server, viewport={"width": 375, "height": 800}, locale="en-GB"
    )
    context.set_default_timeout(240_000)
    page = context.new_page()
    page.goto("/region?region=BE21&lang=en")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"horizontal scrolling at phone width ({width}px)"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    expect(page.locator(".skip")).to_contain_text("Skip to content")
    page.get_by_role("button", name="menu").click()
    expect(page.locator("#nav")).to_be_visible()
    page.screenshot(path=artifacts / "dashboard-phone.png", full_page=True)
    for svg in page.locator("svg.chart").all():
        assert svg.get_attribute("role") == "img" and svg.locator("title").count() >= 1
    page.goto("/registry/map?province=prov-antwerpen&sector=logistics&lang=en")
    page.screenshot(path=artifacts / "registry-map-phone.png", full_page=True)
    context.close()


def test_territory_and_sector_set_survive_navigation(page, artifacts):
    """A union of provinces and a policy-sector set chosen on the dashboard stay selected, as typed,
    when the user moves to the screening and the sector pages through the menu."""
    page.goto("/region?data=eu-sbs-2014&region=BE21%2BBE22&reference=BE&lang=nl")
    page.get_by_test_id("set-select").first.select_option("antwerp-2013-spearheads")  # submits
    page.wait_for_url("**antwerp-2013-spearheads**")
    table = page.get_by_test_id("sector-table")
    expect(table).to_contain_text("Chemie en life sciences")
    assert (
        table.locator("tbody tr:not(.total)").count() == 6
    )  # the six spearheads, not 68 divisions
    for nav, path in (("Screening", "/screening"), ("Sector", "/sector")):
        page.locator("nav#nav").get_by_role("link", name=nav, exact=True).click()
        page.wait_for_url(f"**{path}?**")
        url = page.url
        assert "region=BE21%2BBE22" in url and "sectors=antwerp-2013-spearheads" in url, url
        assert "data=eu-sbs-2014" in url and "reference=BE" in url, url
        expect(page.get_by_test_id("region-select").first).to_have_value("BE21+BE22")
        expect(page.locator("main")).to_contain_text("Chemie en life sciences")
    expect(page.locator("h1")).not_to_contain_text("_")  # a policy sector's label, not its id
    page.screenshot(path=artifacts / "territory-set-sector.png", full_page=True)

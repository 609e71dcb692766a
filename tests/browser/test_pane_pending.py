"""A click while onOffice is down: the pane shows it waiting, greyed, across reloads and mail
switches, and turns it into a normal link once onOffice answers and the server has applied it.

The demo backend's own sandbox onOffice is switched off (HTTP 503 pages): the real outbox, drainer
and GET /api/v1/links do the rest.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import office_item
from .pages import READY, open_outlook

pytestmark = pytest.mark.browser

TEXTS = {
    "de-DE": ("Verknüpfen", "Anmelden", "Gespeichert – wird verknüpft, sobald onOffice antwortet",
              "Wartet auf onOffice"),
    "en-US": ("Link", "Sign in", "Saved, will be linked as soon as onOffice answers",
              "Waiting for onOffice"),
}


@pytest.mark.parametrize("language", ["de-DE", "en-US"])
def test_a_click_while_onoffice_is_down_waits_greyed_then_becomes_a_link(
        page: Page, backend, demo_messages, shot, language: str) -> None:
    link, sign_in, saved, waiting = TEXTS[language]
    sandbox = backend.app.extensions["onoffice_mail_link"].extras["sandbox"]
    first, other = office_item(demo_messages[0]), office_item(demo_messages[1])
    open_outlook(page, backend, item=first, language=language)
    page.get_by_role("button", name=sign_in).click()
    expect(page.locator(READY)).to_be_visible()
    suggestion = page.locator(".suggestions .record").first
    record_id = suggestion.get_attribute("data-id")
    title = suggestion.locator(".title").inner_text().split("\n")[-1]

    sandbox.set_mode("5xx")
    suggestion.get_by_role("button", name=link).first.click()
    row = page.locator(f'.record.pending[data-id="{record_id}"]')
    expect(row).to_contain_text(saved)
    expect(row).to_contain_text(title)
    expect(page.get_by_role("heading", name=waiting)).to_be_visible()
    assert float(row.evaluate("el => getComputedStyle(el).opacity")) < 1  # greyed
    # What waits to be linked is not offered again, where a second click would queue twice.
    expect(page.locator(f'.suggestions .record[data-id="{record_id}"]')).to_have_count(0)
    shot(page, f"pending-{language}-waiting")

    page.reload()  # onOffice still down: the error, and under it the click that waits
    expect(page.locator('#pane[data-state="error"]')).to_be_visible()
    expect(page.locator(f'.record.pending[data-id="{record_id}"]')).to_contain_text(saved)

    page.evaluate("item => window.__office.select(item)", {**other, "bodyText": ""})
    expect(page.locator(".record.pending")).to_have_count(0)  # not this mail's click
    page.evaluate("item => window.__office.select(item)", {**first, "bodyText": ""})
    expect(page.locator(f'.record.pending[data-id="{record_id}"]')).to_contain_text(saved)

    sandbox.set_mode("up")
    linked = page.locator(f'.linked .record[data-id="{record_id}"]')
    expect(linked).to_be_visible(timeout=40_000)
    expect(page.locator(".record.pending")).to_have_count(0)
    expect(page.locator(READY)).to_be_visible()
    [applied] = [p for _, _, p in sandbox.applied]  # once, after onOffice came back
    assert int(record_id) in (applied.get("addressIds") or [applied.get("addressid")])
    shot(page, f"pending-{language}-linked")

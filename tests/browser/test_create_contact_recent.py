"""Issue 11 in the pane: suggestions from the mail's text with their reason, "Create contact and
link" for an unknown sender (and its refusal when the contact exists), "Recently linked"."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import office_item, tb_header
from .pages import READY, open_outlook, open_thunderbird, session_token
from .test_outlook_pane import server_links, suggestion

pytestmark = pytest.mark.browser

NEUMANN = "<3f9c2a71.5d0e@neumann-consult.de>"


def mail(demo_messages: list[dict[str, Any]], message_id: str) -> dict[str, Any]:
    return next(m for m in demo_messages if m["messageId"] == message_id)


def api_post(base: str, path: str, token: str, body: dict[str, Any]) -> tuple[int, Any]:
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def sign_in(page: Page, label: str) -> None:
    page.get_by_role("button", name=label).click()
    expect(page.locator(READY)).to_be_visible()


def test_unknown_sender_becomes_a_contact_and_is_linked_in_one_click_german(
        page: Page, backend: str, demo_messages, shot) -> None:
    m = mail(demo_messages, NEUMANN)
    open_outlook(page, backend, item=office_item(m), language="de-DE")
    sign_in(page, "Anmelden")
    # The body was read as text and named the estate; the reason says where.
    assert page.evaluate("__office.log.bodyReads") == ["text"]
    expect(suggestion(page, "estate", 2649).locator(".reason")).to_have_text(
        "„Venloer Str. 312“ in der E-Mail")
    section = page.locator("section.create-contact")
    expect(section.get_by_role("heading")).to_have_text("Noch nicht in onOffice")
    shot(page, "create-contact-de-offer")

    section.get_by_role("button", name="Dr. Friedrich Neumann als Kontakt anlegen und verknüpfen").click()
    form = section.get_by_role("form")
    expect(form.get_by_label("Titel")).to_have_value("Dr.")
    expect(form.get_by_label("Vorname")).to_have_value("Friedrich")
    expect(form.get_by_label("Nachname")).to_have_value("Neumann")
    expect(form.get_by_label("Anrede")).to_have_value("")  # left to the agent
    expect(form.get_by_label("E-Mail")).to_have_value("f.neumann@neumann-consult.de")
    form.get_by_label("Anrede").select_option("Herr")
    shot(page, "create-contact-de-form")
    form.get_by_role("button", name="Kontakt anlegen und verknüpfen").click()

    expect(page.get_by_role("status")).to_have_text(
        "Friedrich Neumann ist jetzt mit dieser E-Mail verknüpft.")
    linked = page.locator('section.linked li[data-kind="address"]')
    expect(linked).to_contain_text("Friedrich Neumann")
    expect(page.locator("section.create-contact")).to_have_count(0)
    new_id = int(linked.get_attribute("data-id"))
    token = session_token(page)
    assert [a["id"] for a in server_links(backend, token, NEUMANN)["addresses"]] == [new_id]
    status, body = api_post(backend, "/api/v1/addresses", token,
                            {"email": "f.neumann@neumann-consult.de"})
    assert (status, body["error"]["details"]["addressIds"]) == (409, [new_id])
    shot(page, "create-contact-de-linked")


def test_duplicate_is_refused_plainly_in_english(page: Page, backend: str, demo_messages, shot) -> None:
    m = mail(demo_messages, NEUMANN)
    open_outlook(page, backend, item=office_item(m), language="en-US")
    sign_in(page, "Sign in")
    page.get_by_role("button", name="Create Dr. Friedrich Neumann as a contact and link").click()
    # Meanwhile a colleague creates the same contact.
    token = session_token(page)
    status, first = api_post(backend, "/api/v1/addresses", token,
                             {"email": "f.neumann@neumann-consult.de", "lastName": "Neumann"})
    assert status == 201
    form = page.locator("section.create-contact").get_by_role("form")
    form.get_by_role("button", name="Create contact and link").click()
    expect(form.get_by_role("alert")).to_have_text(
        "onOffice already has a contact with f.neumann@neumann-consult.de. No new one was created: "
        "link the existing one from the search.")
    expect(form.get_by_role("button", name="Create contact and link")).to_be_disabled()
    assert server_links(backend, token, NEUMANN)["addresses"] == []
    shot(page, "create-contact-en-duplicate")
    form.get_by_role("button", name="Cancel").click()
    offer = page.get_by_role("button", name="Create Dr. Friedrich Neumann as a contact and link")
    expect(offer).to_be_focused()
    assert first["id"] > 0


@pytest.mark.parametrize(("language", "sign", "heading", "box_name"), [
    ("de-DE", "Anmelden", "Zuletzt verknüpft", "Adressen und Immobilien suchen"),
    ("en-US", "Sign in", "Recently linked", "Search addresses and properties"),
])
def test_recent_records_in_the_empty_search(page: Page, backend: str, demo_messages, shot,
                                            language: str, sign: str, heading: str,
                                            box_name: str) -> None:
    open_outlook(page, backend, item=office_item(demo_messages[0]), language=language)
    sign_in(page, sign)
    box = page.get_by_role("searchbox", name=box_name)
    box.focus()
    results = page.locator("#search-results")
    expect(results.get_by_role("heading", name=heading)).to_be_visible()
    expect(results.locator("li.record")).to_have_count(0)

    suggestion(page, "estate", 2649).locator('button[data-action="link"]').click()
    expect(page.locator('section.linked li[data-kind="estate"][data-id="2649"]')).to_be_visible()
    suggestion(page, "address", 605).locator('button[data-action="link"]').click()
    expect(page.locator('section.linked li[data-kind="address"][data-id="605"]')).to_be_visible()

    box.focus()
    rows = results.locator("li.record")
    expect(rows).to_have_count(2)
    assert rows.evaluate_all("els => els.map(e => e.dataset.kind + ':' + e.dataset.id)") == [
        "address:605", "estate:2649"]
    expect(results.locator('li[data-id="605"]')).to_contain_text("Brigitte Weiß")
    shot(page, f"recent-{language[:2]}")
    box.press_sequentially("Sc", delay=30)
    expect(results.get_by_role("heading", name=heading)).to_have_count(0)
    box.fill("")
    box.dispatch_event("input")
    expect(results.get_by_role("heading", name=heading)).to_be_visible()


def test_thunderbird_reads_the_text_parts_for_suggestions(page: Page, backend: str, demo_messages) -> None:
    m = mail(demo_messages, NEUMANN)
    open_thunderbird(page, backend, displayed=[tb_header(m, 5)], language="en")
    sign_in(page, "Sign in")
    assert page.evaluate("__tb.log.fullReads") == [5]
    expect(page.locator('section.suggestions li[data-kind="estate"][data-id="2649"] .reason')).to_have_text(
        "“Venloer Str. 312” in the email")
    page.get_by_role("button", name="Create Dr. Friedrich Neumann as a contact and link").click()
    form = page.locator("section.create-contact").get_by_role("form")
    expect(form.get_by_label("Last name")).to_have_value("Neumann")
    form.get_by_role("button", name="Create contact and link").click()
    expect(page.locator('section.linked li[data-kind="address"]')).to_contain_text(
        re.compile("Friedrich Neumann"))


def test_missing_write_right_names_the_right_in_german(page: Page, backend: str, demo_messages) -> None:
    # The backend's 502 for onOffice error 261 (tests/test_api_contacts.py checks the backend side).
    refusal = {"error": {"code": "onoffice_refused", "message": "The onOffice API user may not create "
                         "addresses. (onOffice error 261)",
                         "details": {"onofficeCode": 261, "onofficeMessage": "Missing write right"}}}
    page.route("**/api/v1/addresses", lambda route: route.fulfill(
        status=502, content_type="application/json", body=json.dumps(refusal)))
    open_outlook(page, backend, item=office_item(mail(demo_messages, NEUMANN)), language="de-DE")
    sign_in(page, "Anmelden")
    page.get_by_role("button", name="Dr. Friedrich Neumann als Kontakt anlegen und verknüpfen").click()
    form = page.locator("section.create-contact").get_by_role("form")
    form.get_by_role("button", name="Kontakt anlegen und verknüpfen").click()
    expect(form.get_by_role("alert")).to_contain_text(
        "das Recht zu geben, Adressen zu schreiben (onOffice-Fehler 261)")
    expect(form.get_by_role("button", name="Kontakt anlegen und verknüpfen")).to_be_enabled()

"""Several contacts on one mail and mails in a shared mailbox, in the pane against the demo backend."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from server.sandbox.data import SHARED_MAILBOX

from .conftest import office_item, tb_header
from .pages import ANNA, READY, open_outlook, open_thunderbird, session_token

pytestmark = pytest.mark.browser


def links(base: str, token: str, message_id: str, mailbox: str | None = None) -> dict[str, Any]:
    q = urllib.parse.urlencode({"messageId": message_id, **({"mailbox": mailbox} if mailbox else {})})
    req = urllib.request.Request(f"{base}/api/v1/links?{q}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def row(page: Page, section: str, kind: str, record_id: int) -> Any:
    return page.locator(f'section.{section} li[data-kind="{kind}"][data-id="{record_id}"]')


def shared_mail(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return next(m for m in messages if m["mailbox"] == SHARED_MAILBOX)


def test_a_second_contact_joins_and_one_of_two_unlinks(page: Page, backend: str, demo_messages, shot) -> None:
    mail = demo_messages[0]  # from Jürgen Müller, Brigitte Weiß in copy: both are suggested
    open_outlook(page, backend, item=office_item(mail), language="de-DE")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(READY)).to_be_visible()
    row(page, "suggestions", "address", 601).locator('button[data-action="link"]').click()
    expect(row(page, "linked", "address", 601)).to_be_visible()
    row(page, "suggestions", "address", 605).locator('button[data-action="link"]').click()
    expect(row(page, "linked", "address", 605)).to_be_visible()
    expect(row(page, "linked", "address", 601)).to_be_visible()  # joined, not replaced
    expect(page.locator("section.linked .contacts-count")).to_have_text("2 Kontakte")
    row(page, "suggestions", "estate", 2649).locator('button[data-action="link"]').click()
    expect(row(page, "linked", "estate", 2649)).to_be_visible()
    token = session_token(page)
    assert sorted(a["id"] for a in links(backend, token, mail["messageId"])["addresses"]) == [601, 605]
    shot(page, "outlook-de-two-contacts")

    juergen = row(page, "linked", "address", 601)
    juergen.get_by_role("button", name="Verknüpfung mit Jürgen Müller lösen").click()
    expect(page.get_by_role("status")).to_have_text("Die Verknüpfung mit Jürgen Müller ist gelöst.")
    expect(row(page, "linked", "address", 601)).to_have_count(0)
    expect(row(page, "linked", "address", 605)).to_be_visible()
    view = links(backend, token, mail["messageId"])
    assert [a["id"] for a in view["addresses"]] == [605]
    assert [e["id"] for e in view["estates"]] == [2649]  # the estate stays
    assert view["history"][0]["removedIds"] == [601]


def test_outlook_links_in_a_shared_mailbox_under_its_identity(page: Page, backend: str, demo_messages,
                                                              shot) -> None:
    mail = shared_mail(demo_messages)
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "/api/v1/links" in r.url else None)
    open_outlook(page, backend, item={**office_item(mail), "sharedOwner": SHARED_MAILBOX}, language="en-US")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(READY)).to_be_visible()
    expect(page.locator(".shared-mailbox")).to_have_text(f"In the mailbox {SHARED_MAILBOX}")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(seen[-1]).query)["mailbox"] == [SHARED_MAILBOX]
    row(page, "suggestions", "address", 602).locator('button[data-action="link"]').click()
    # The person who acted, by name, not the shared mailbox.
    expect(row(page, "linked", "address", 602)).to_contain_text("by Anna Schmidt")
    row(page, "suggestions", "address", 603).locator('button[data-action="link"]').click()
    expect(row(page, "linked", "address", 603)).to_be_visible()
    shot(page, "outlook-en-shared-mailbox")
    view = links(backend, session_token(page), mail["messageId"], SHARED_MAILBOX)
    assert sorted(a["id"] for a in view["addresses"]) == [602, 603]
    assert (view["mailbox"], view["uid"]) == (SHARED_MAILBOX, mail["uid"])
    assert {(h["by"], h["mailbox"]) for h in view["history"]} == {(ANNA, SHARED_MAILBOX)}


@pytest.fixture
def backend_config(request, tmp_path: Path) -> dict[str, str]:
    if "refusal" not in request.node.name:
        return {}
    grants = tmp_path / "shared.txt"
    grants.write_text(f"{SHARED_MAILBOX} = jonas.weber@makler-demo.de\n")
    return {"SHARED_MAILBOXES": str(grants)}


def test_refusal_without_a_grant_names_the_line(page: Page, backend: str, demo_messages, shot) -> None:
    mail = shared_mail(demo_messages)
    open_outlook(page, backend, item={**office_item(mail), "sharedOwner": SHARED_MAILBOX}, language="de-DE")
    page.get_by_role("button", name="Anmelden").click()
    pane = page.locator('#pane[data-state="error"]')
    expect(pane).to_have_attribute("data-error-code", "mailbox_not_allowed")
    expect(page.get_by_role("heading", name="Kein Zugriff auf dieses Postfach")).to_be_visible()
    expect(page.locator("#pane")).to_contain_text(
        f"{SHARED_MAILBOX} = jonas.weber@makler-demo.de, {ANNA}")
    shot(page, "outlook-de-shared-refused")


def test_thunderbird_sends_the_other_accounts_address(page: Page, backend: str, demo_messages) -> None:
    mail = shared_mail(demo_messages)
    header = {**tb_header(mail), "folder": {"accountId": "account2", "path": "/INBOX", "name": "INBOX"}}
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "/api/v1/links" in r.url else None)
    open_thunderbird(page, backend, displayed=[header], language="en",
                     accounts={"account1": [ANNA], "account2": [SHARED_MAILBOX]})
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(READY)).to_be_visible()
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(seen[-1]).query)["mailbox"] == [SHARED_MAILBOX]
    row(page, "suggestions", "address", 602).locator('button[data-action="link"]').click()
    expect(row(page, "linked", "address", 602)).to_be_visible()
    token = page.evaluate("__tb.local.get('session').token")
    assert [a["id"] for a in links(backend, token, mail["messageId"], SHARED_MAILBOX)["addresses"]] == [602]

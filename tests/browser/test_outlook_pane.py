"""The pane in a (fake) Outlook and as the browser demo, against the real demo backend."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import office_item
from .pages import READY, open_demo, open_outlook, session_token

pytestmark = pytest.mark.browser


def api_get(base: str, path: str, token: str) -> Any:
    req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def server_links(base: str, token: str, message_id: str) -> dict[str, Any]:
    q = urllib.parse.urlencode({"messageId": message_id})
    return api_get(base, f"/api/v1/links?{q}", token)


def suggestion(page: Page, kind: str, record_id: int) -> Any:
    return page.locator(f'section.suggestions li[data-kind="{kind}"][data-id="{record_id}"]')


def test_sign_in_link_and_unlink_in_german(page: Page, backend: str, demo_messages, shot) -> None:
    mail = demo_messages[0]
    open_outlook(page, backend, item=office_item(mail), language="de-DE")
    expect(page.locator('#pane[data-state="signedout"]')).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    shot(page, "outlook-de-signed-out")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(READY)).to_be_visible()
    assert page.evaluate("__office.log.dialogs") == [f"{backend}/auth/login?client=outlook"]
    expect(page.get_by_role("heading", name=mail["subject"])).to_be_visible()
    expect(page.locator("section.linked")).to_contain_text("noch mit keiner Adresse")
    shot(page, "outlook-de-suggestions")

    suggestion(page, "address", 601).get_by_role(
        "button", name="Jürgen Müller mit dieser E-Mail verknüpfen"
    ).click()
    linked = page.locator('section.linked li[data-kind="address"][data-id="601"]')
    # The person's name from the sign-in, not the mailbox address.
    expect(linked).to_contain_text("verknüpft von Anna Schmidt am")
    expect(page.get_by_role("status")).to_have_text("Jürgen Müller ist jetzt mit dieser E-Mail verknüpft.")
    # The confirmation is seen, not only announced: a banner under the mail, in body text size.
    banner = page.locator(".confirm")
    expect(banner).to_be_visible()
    expect(banner).to_have_text("✓Jürgen Müller ist jetzt mit dieser E-Mail verknüpft.")
    assert banner.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") >= 14
    assert banner.evaluate("el => el.getBoundingClientRect().bottom") < page.viewport_size["height"]
    # Linked once, under "Linked": not again under "Suggestions".
    expect(suggestion(page, "address", 601)).to_have_count(0)
    token = session_token(page)
    assert [a["id"] for a in server_links(backend, token, mail["messageId"])["addresses"]] == [601]
    shot(page, "outlook-de-linked")

    linked.get_by_role("button", name="Verknüpfung mit Jürgen Müller lösen").click()
    expect(page.get_by_role("status")).to_have_text("Die Verknüpfung mit Jürgen Müller ist gelöst.")
    expect(banner).to_have_text("✓Die Verknüpfung mit Jürgen Müller ist gelöst.")
    expect(page.locator("section.linked")).to_contain_text("noch mit keiner Adresse")
    expect(suggestion(page, "address", 601)).to_be_visible()
    assert server_links(backend, token, mail["messageId"])["addresses"] == []


def test_search_is_debounced_and_links_in_english(page: Page, backend: str, demo_messages, shot) -> None:
    mail = demo_messages[1]
    open_outlook(page, backend, item=office_item(mail), language="en-US")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(READY)).to_be_visible()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/v1/search" in r.url else None)

    box = page.get_by_role("searchbox", name="Search addresses and properties")
    hint = page.get_by_text("Type at least 2 characters.")
    expect(hint).to_be_hidden()
    box.press_sequentially("V")
    expect(hint).to_be_visible()
    box.press_sequentially("enloer", delay=40)
    results = page.locator("#search-results")
    expect(results.locator('li[data-kind="estate"][data-id="2649"]')).to_be_visible()
    # The hint is for a term that is too short; next to results it is noise.
    expect(hint).to_be_hidden()
    # One address and one estate request, both for the full word: no request per keystroke.
    assert sorted(re.sub(r".*kind=(\w+).*q=(\w+).*", r"\1:\2", u) for u in asked) == [
        "address:Venloer",
        "estate:Venloer",
    ]
    expect(page.get_by_role("status")).to_have_text("1 results.")
    shot(page, "outlook-en-search")
    results.get_by_role("button", name=re.compile("^Link Venloer")).click()
    linked = page.locator('section.linked li[data-kind="estate"][data-id="2649"]')
    expect(linked).to_contain_text("linked by Anna Schmidt on")
    # The same title as in the search results (one formatter on the server).
    expect(linked.locator(".title")).to_have_text("Property: Venloer Straße 312, Köln")
    expect(results.locator('li[data-id="2649"] .title')).to_have_text("Property: Venloer Straße 312, Köln")
    assert [e["id"] for e in server_links(backend, session_token(page), mail["messageId"])["estates"]] == [
        2649
    ]

    box.fill("zzzz-nothing")
    expect(results).to_contain_text("Nothing found for “zzzz-nothing”.")
    box.press("Escape")
    expect(results).to_be_empty()


def test_pinned_pane_follows_the_selected_mail(page: Page, backend: str, demo_messages, shot) -> None:
    first, second = demo_messages[0], demo_messages[1]
    open_outlook(page, backend, item=office_item(first), language="en-US")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(READY)).to_be_visible()
    expect(suggestion(page, "address", 601)).to_be_visible()
    box = page.get_by_role("searchbox")
    box.fill("Venloer")
    expect(page.locator('#search-results li[data-id="2649"]')).to_be_visible()

    page.evaluate("item => __office.select(item)", office_item(second))
    expect(page.get_by_role("heading", name=second["subject"])).to_be_visible()
    expect(page.locator(READY)).to_be_visible()
    expect(suggestion(page, "address", 602)).to_be_visible()
    expect(suggestion(page, "address", 601)).to_have_count(0)
    # The search of the last mail does not carry over to this one.
    expect(box).to_have_value("")
    expect(page.locator("#search-results")).to_be_empty()
    shot(page, "outlook-en-pinned-second-mail")

    page.evaluate("__office.select(null)")
    expect(page.locator('#pane[data-state="nomessage"]')).to_contain_text("Select a single email")


def test_open_in_onoffice_asks_for_the_link_on_click(page: Page, backend: str, demo_messages) -> None:
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="en-US")
    page.get_by_role("button", name="Sign in").click()
    suggestion(page, "address", 601).get_by_role("button", name="Open Jürgen Müller in onOffice").click()
    page.wait_for_function("__office.log.opened.length === 1")
    assert page.evaluate("__office.log.opened") == [f"{backend}/demo/records/address/601"]


def test_keyboard_only_link(page: Page, backend: str, demo_messages) -> None:
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="en-US")
    # The button exists once the pane has read the mail (asynchronously, like Outlook).
    expect(page.locator('#pane[data-state="signedout"]')).to_be_visible()
    sign_in = page.get_by_role("button", name="Sign in")
    # Past the language switch (Deutsch, English) the next stop is "Sign in".
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(sign_in).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(READY)).to_be_visible()
    target = suggestion(page, "estate", 2649).get_by_role("button", name=re.compile("^Link "))
    for _ in range(30):
        if target.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(target).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator('section.linked li[data-kind="estate"][data-id="2649"]')).to_be_visible()


def test_dark_mode(page: Page, backend: str, demo_messages, shot) -> None:
    page.emulate_media(color_scheme="dark")
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="de-DE")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(READY)).to_be_visible()
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg == "rgb(41, 41, 41)"
    shot(page, "outlook-de-dark")


def test_demo_in_a_plain_browser_without_office_js(page: Page, backend: str, demo_messages, shot) -> None:
    """Done-when: /taskpane.html on the demo backend shows a demo mail with suggestions; a click links."""
    open_demo(page, backend, "?lang=de")
    expect(page.locator("#pane")).to_have_attribute("data-host", "demo")
    expect(page.get_by_label("Demo-E-Mail")).to_be_visible()
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(READY)).to_be_visible()
    expect(page.get_by_role("heading", name=demo_messages[0]["subject"])).to_be_visible()
    shot(page, "demo-de-suggestions")
    suggestion(page, "address", 601).get_by_role("button", name=re.compile("verknüpfen$")).click()
    expect(page.locator('section.linked li[data-id="601"]')).to_be_visible()
    shot(page, "demo-de-linked")

    # The picker says whose mailbox each mail is in; picking a colleague's mail says so too.
    jonas = next(m for m in demo_messages if m["mailbox"] != demo_messages[0]["mailbox"])
    groups = page.locator("#demo-pick optgroup")
    expect(groups).to_have_count(len({m["mailbox"] for m in demo_messages}))
    jonas_group = page.locator(f'#demo-pick optgroup[label="Postfach Jonas Weber <{jonas["mailbox"]}>"]')
    expect(jonas_group.locator("option")).to_have_count(
        len([m for m in demo_messages if m["mailbox"] == jonas["mailbox"]]))
    expect(page.locator("#demo-owner")).to_have_text(f"Postfach Anna Schmidt <{demo_messages[0]['mailbox']}>")
    page.get_by_label("Demo-E-Mail").select_option(jonas["messageId"])
    expect(page.locator("#demo-owner")).to_have_text(f"Postfach Jonas Weber <{jonas['mailbox']}>")
    expect(page.locator('#pane[data-state="signedout"]')).to_be_visible()
    expect(page.get_by_role("heading", name="E-Mail aus einem anderen Postfach")).to_be_visible()
    expect(page.locator(".notice")).to_contain_text(
        f"im Postfach {jonas['mailbox']}; angemeldet sind Sie als {demo_messages[0]['mailbox']}"
    )
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(READY)).to_be_visible()
    expect(page.get_by_role("heading", name=jonas["subject"])).to_be_visible()


def test_demo_open_in_onoffice_opens_a_window(page: Page, backend: str) -> None:
    open_demo(page, backend, "?lang=en")
    page.get_by_role("button", name="Sign in").click()
    with page.expect_popup() as popup:
        suggestion(page, "address", 601).get_by_role("button", name=re.compile("^Open ")).click()
    popup.value.wait_for_url(f"{backend}/demo/records/address/601")
    expect(popup.value.get_by_role("heading")).to_have_text("Jürgen Müller")

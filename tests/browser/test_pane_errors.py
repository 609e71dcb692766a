"""Every error the pane can meet, in plain words with the right way out.

Real where the demo backend can produce it (unknown mail, bad token, unmapped mailbox);
injected at the network layer with the contract's error shape where it cannot (onOffice down).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from .conftest import office_item
from .pages import READY, open_outlook

pytestmark = pytest.mark.browser
ERROR = '#pane[data-state="error"]'


def fail_with(status: int, code: str, message: str) -> Any:
    body = json.dumps({"error": {"code": code, "message": message, "details": {}}})

    def handler(route: Route) -> None:
        route.fulfill(status=status, content_type="application/json", body=body)

    return handler


def test_mail_not_in_the_onoffice_mailbox(page: Page, backend: str, demo_messages, shot) -> None:
    item = {**office_item(demo_messages[0]), "internetMessageId": "<not-in-any-mailbox@example.com>"}
    open_outlook(page, backend, item=item, language="de-DE")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(ERROR)).to_have_attribute("data-error-code", "message_not_found")
    expect(page.get_by_role("heading", name="E-Mail nicht in onOffice")).to_be_visible()
    expect(page.locator(".notice")).to_contain_text("Verschieben Sie sie in den Posteingang")
    expect(page.get_by_role("button", name="Erneut versuchen")).to_be_focused()
    shot(page, "error-de-message-not-found")


@pytest.mark.parametrize("backend_config", [{"IDENTITY_PATTERN": ""}])
def test_mailbox_without_onoffice_identity(page: Page, backend: str, demo_messages, shot) -> None:
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="en-US")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(ERROR)).to_have_attribute("data-error-code", "identity_not_mapped")
    expect(page.get_by_role("heading", name="Mailbox not set up")).to_be_visible()
    expect(page.locator(".notice")).to_contain_text("Ask your onOffice administrator")
    # Nothing the user can retry: no button that would only fail again.
    expect(page.locator(".notice button")).to_have_count(0)
    shot(page, "error-en-identity-not-mapped")


def test_expired_token_signs_out_with_a_sign_in_button(page: Page, backend: str, demo_messages, shot) -> None:
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="de-DE", token="oml.expired")
    expect(page.locator('#pane[data-state="signedout"]')).to_be_visible()
    expect(page.get_by_role("heading", name="Nicht angemeldet")).to_be_visible()
    assert page.evaluate("localStorage.getItem('onoffice.session')") is None
    shot(page, "error-de-signed-out")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(READY)).to_be_visible()


# The server's sentences are English; the pane uses its own words in the pane's language, so
# the injected message must never be what the user reads.
SERVER_SENTENCE = "SERVER SENTENCE, never shown"


@pytest.mark.parametrize(
    ("status", "code", "lang", "title", "text"),
    [
        (503, "onoffice_unreachable", "de-DE", "onOffice nicht erreichbar", "in einer Minute noch einmal"),
        (504, "onoffice_timeout", "en-US", "onOffice is not reachable", "did not answer in time"),
        (503, "mail_server_unreachable", "de-DE", "Mailserver nicht erreichbar", "Der Mailserver antwortet"),
        (500, "internal_error", "de-DE", "Fehler auf dem Server", "ist protokolliert"),
    ],
)
def test_backend_errors_then_retry(
    page: Page, backend: str, demo_messages, shot, status: int, code: str, lang: str, title: str, text: str
) -> None:
    page.route("**/api/v1/links?*", fail_with(status, code, SERVER_SENTENCE))
    open_outlook(page, backend, item=office_item(demo_messages[0]), language=lang)
    page.get_by_role("button", name="Anmelden" if lang == "de-DE" else "Sign in").click()
    expect(page.locator(ERROR)).to_have_attribute("data-error-code", code)
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator(".notice")).to_contain_text(text)
    expect(page.locator("#pane")).not_to_contain_text(SERVER_SENTENCE)
    expect(page.get_by_role("status")).to_have_text(title)
    shot(page, f"error-{lang[:2]}-{code}")
    page.unroute("**/api/v1/links?*")
    page.get_by_role("button", name="Erneut versuchen" if lang == "de-DE" else "Try again").click()
    expect(page.locator(READY)).to_be_visible()


@pytest.mark.parametrize(
    ("onoffice_code", "reason", "title", "text"),
    [
        (137, "credentials", "Zugang zu onOffice gestört", "nur Ihre Administration"),
        (149, "permission", "Keine Berechtigung in onOffice", "fehlt dafür ein Recht"),
        (500, "refused", "Von onOffice abgelehnt", "Ein erneuter Versuch ändert daran nichts"),
    ],
)
def test_onoffice_refusal_offers_no_retry(
    page: Page, backend: str, demo_messages, shot, onoffice_code: int, reason: str, title: str, text: str
) -> None:
    body = json.dumps({"error": {"code": "onoffice_refused", "message": SERVER_SENTENCE,
                                 "details": {"onofficeCode": onoffice_code, "reason": reason}}})
    page.route("**/api/v1/links?*",
               lambda route: route.fulfill(status=502, content_type="application/json", body=body))
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="de-DE")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(ERROR)).to_have_attribute("data-error-code", "onoffice_refused")
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator(".notice")).to_contain_text(text)
    expect(page.locator("#pane")).not_to_contain_text(SERVER_SENTENCE)
    # A retry can only fail again: no button.
    expect(page.locator(".notice button")).to_have_count(0)
    shot(page, f"error-de-onoffice-refused-{onoffice_code}")


def test_backend_not_reachable_is_not_blamed_on_the_connection(
    page: Page, backend: str, demo_messages
) -> None:
    page.route("**/api/v1/suggestions", lambda route: route.abort("connectionrefused"))
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="de-DE")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(ERROR)).to_have_attribute("data-error-code", "network")
    expect(page.get_by_role("heading", name="Server nicht erreichbar")).to_be_visible()
    expect(page.locator(".notice")).to_contain_text("Der Server des Add-ins antwortet nicht")
    expect(page.locator(".notice")).not_to_contain_text("Internetverbindung")
    expect(page.get_by_role("button", name="Erneut versuchen")).to_be_visible()


def test_a_proxy_answering_for_a_stopped_backend(page: Page, backend: str, demo_messages) -> None:
    """503 with an HTML page and no error body of ours: the server is in trouble, not the user."""
    page.route("**/api/v1/links?*", lambda route: route.fulfill(
        status=503, content_type="text/html", body="<html><h1>503 Service Unavailable</h1></html>"))
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="en-US")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(ERROR)).to_have_attribute("data-error-code", "server_unavailable")
    expect(page.get_by_role("heading", name="Server trouble")).to_be_visible()
    expect(page.locator(".notice")).not_to_contain_text("internet connection")


def test_an_error_whose_words_cannot_load_still_says_the_server_is_in_trouble(
    page: Page, backend: str, demo_messages
) -> None:
    """errors.js loads with the first error; when the server is gone it cannot come either."""
    page.route("**/static/js/core/errors.js", lambda route: route.abort())
    page.route("**/api/v1/links?*", lambda route: route.fulfill(
        status=503, content_type="text/html", body="<html><h1>503 Service Unavailable</h1></html>"))
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="en-US")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(ERROR)).to_have_attribute("data-error-code", "server_unavailable")
    expect(page.get_by_role("heading", name="Server trouble")).to_be_visible()
    expect(page.get_by_role("button", name="Try again")).to_be_visible()


def test_an_offline_device_is_told_so(page: Page, backend: str, demo_messages) -> None:
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="en-US")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(READY)).to_be_visible()
    page.context.set_offline(True)
    try:
        page.get_by_role("searchbox").fill("Müller")
        expect(page.locator("#search-results")).to_contain_text("Your device is offline.")
    finally:
        page.context.set_offline(False)


def test_failed_link_keeps_the_pane_and_says_why(page: Page, backend: str, demo_messages, shot) -> None:
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="de-DE")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(READY)).to_be_visible()
    page.route("**/api/v1/links", fail_with(504, "onoffice_timeout", SERVER_SENTENCE))
    button = page.locator('section.suggestions li[data-id="601"] button[data-action="link"]')
    button.click()
    expect(page.get_by_role("alert")).to_contain_text(
        "onOffice nicht erreichbar: onOffice hat nicht rechtzeitig geantwortet."
    )
    expect(page.locator(READY)).to_be_visible()
    expect(button).to_be_enabled()
    shot(page, "error-de-link-failed")


def test_failed_search_says_so_in_the_results(page: Page, backend: str, demo_messages) -> None:
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="en-US")
    page.get_by_role("button", name="Sign in").click()
    page.route("**/api/v1/search?*", fail_with(503, "onoffice_unreachable", SERVER_SENTENCE))
    page.get_by_role("searchbox").fill("Müller")
    expect(page.locator("#search-results")).to_contain_text("onOffice is not answering right now.")


def test_cancelled_sign_in_dialog(page: Page, backend: str, demo_messages) -> None:
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="en-US", dialog="cancel")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Signing in did not work. Please try again.")
    expect(page.get_by_role("status")).to_have_text("Not signed in")  # not "Signing in …" any more
    expect(page.get_by_role("button", name="Sign in")).to_be_enabled()
    expect(page.locator('#pane[data-state="signedout"]')).to_be_visible()


def test_sign_in_page_refusal_is_explained(page: Page, backend: str, demo_messages) -> None:
    """/auth/login's page sends {"error": {...}} through messageParent when it refuses."""
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="de-DE", dialog="refuse")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(ERROR)).to_have_attribute("data-error-code", "identity_not_mapped")
    expect(page.get_by_role("heading", name="Postfach nicht zugeordnet")).to_be_visible()

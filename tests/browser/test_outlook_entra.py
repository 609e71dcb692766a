"""The Outlook pane end to end on a real (non-demo) deployment, with no test-only route anywhere.

Chromium runs taskpane.html with the fake office.js. "Sign in" opens the fake Office dialog: a real
window on the backend's real /auth/login, which sends it to the fake Entra (real HTTPS, its own
CA); the fake Entra signs Anna in and posts the code back to /auth/callback (form_post); the
backend redeems it over HTTPS, validates the token against the fake's keys, and its last page
hands the session over with Office.context.ui.messageParent. The pane then links a mail that a
real Dovecot holds, found by the IMAP locator, in the sandbox onOffice over HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.auth.conftest import CLIENT_ID, CLIENT_SECRET, TENANT
from tests.fakes.entra import FakeEntra, FakeUser
from tests.imap.conftest import Seeder, dovecot, minter, new_message_id, teach  # noqa: F401
from tests.imap.dovecot import MASTER_PASSWORD, MASTER_USER, Dovecot

from ..conftest import ANNA
from ..servers import serve
from .conftest import SCREENSHOTS, _Late
from .pages import HERE, OFFICE_JS, READY

pytestmark = [pytest.mark.browser, pytest.mark.dovecot]


@pytest.fixture(scope="module")
def entra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeEntra]:
    with FakeEntra(TENANT, CLIENT_ID, CLIENT_SECRET, workdir=tmp_path_factory.mktemp("entra")) as fake:
        fake.user = FakeUser(ANNA, "Anna Schmidt")
        yield fake


@pytest.fixture
def real_backend(config: dict[str, str], entra: FakeEntra, dovecot: Dovecot) -> Iterator[tuple[str, Any]]:  # noqa: F811
    """create_app exactly as in production: no demo, no test routes. Yields (base URL, app)."""
    from server import create_app

    late = _Late()
    with serve(late) as base:
        env = {**config, "PUBLIC_URL": base, "ENTRA_AUTHORITY_HOST": entra.base,
               "SSL_CERT_FILE": entra.ca_pem, "IMAP_HOST": dovecot.host,
               "IMAP_PORT": str(dovecot.port), "IMAP_TLS": "none", "IMAP_AUTH": "password",
               "IMAP_USERNAME": f"{{mailbox}}*{MASTER_USER}", "IMAP_PASSWORD": MASTER_PASSWORD}
        app = create_app(env)
        assert not app.config["SETTINGS"].demo
        assert not [r.rule for r in app.url_map.iter_rules() if r.rule.startswith(("/test", "/demo"))
                    and r.endpoint.startswith("test")]
        late.app = app
        yield base, app
        app.extensions["onoffice_mail_link"].locator.close()
        app.extensions["onoffice_mail_link"].onoffice.close()


@pytest.fixture
def outlook(browser: Browser) -> Iterator[BrowserContext]:
    """A browser context in which every page, the dialog window too, gets the fake office.js.
    The fake Entra's certificate comes from a throwaway CA that Chromium does not know."""
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 380, "height": 760})
    context.route(OFFICE_JS, lambda route: route.fulfill(path=str(HERE / "fake_office.js"),
                                                         content_type="text/javascript"))
    yield context
    context.close()


def test_sign_in_through_entra_and_link_a_mail_dovecot_holds(
    outlook: BrowserContext, real_backend: tuple[str, Any], entra: FakeEntra, dovecot: Dovecot,  # noqa: F811
    sandbox: Any,
) -> None:
    base, app = real_backend
    mid = new_message_id("outlook-e2e")
    folder, uid, _ = Seeder(dovecot).append("Kunden/M&APw-ller", mid, subject="Anfrage Venloer Straße")
    teach(sandbox, folder, uid, mid)
    item = {"internetMessageId": mid, "subject": "Anfrage Venloer Straße",
            "from": {"displayName": "Dr. Jürgen Müller", "emailAddress": "j.mueller@mueller-partner.de"},
            "to": [{"displayName": "Anna Schmidt", "emailAddress": ANNA}], "cc": []}
    cfg = {"language": "de-DE", "email": ANNA, "item": item, "dialog": "real"}
    page: Page = outlook.new_page()
    page.add_init_script(f"window.__FAKE_OFFICE__ = {json.dumps(cfg)};")
    page.goto(f"{base}/taskpane.html")
    expect(page.locator('#pane[data-state="signedout"]')).to_be_visible()

    with outlook.expect_page() as opened:
        page.get_by_role("button", name="Anmelden").click()
    dialog = opened.value
    expect(page.locator(READY)).to_be_visible(timeout=15_000)

    # The dialog really went the whole way: our /auth/login, Entra's authorize, our callback.
    assert page.evaluate("__office.log.dialogs") == [f"{base}/auth/login?client=outlook"]
    assert page.evaluate("__office.log.dialogMessages") == 1
    assert dialog.is_closed()
    assert entra.requests.count("authorize") == 1
    assert entra.requests.count("grant:authorization_code") == 1
    session = page.evaluate("JSON.parse(localStorage.getItem('onoffice.session'))")
    assert session["mailbox"] == ANNA and session["token"].startswith("oml.")

    # The mail Dovecot holds is found by the IMAP locator and linked in onOffice.
    page.locator('section.suggestions li[data-kind="address"][data-id="601"]').get_by_role(
        "button", name="Jürgen Müller mit dieser E-Mail verknüpfen").click()
    linked = page.locator('section.linked li[data-kind="address"][data-id="601"]')
    expect(linked).to_contain_text("verknüpft von Anna Schmidt am")
    expect(page.locator("section.suggestions")).to_contain_text("Alle Vorschläge sind schon verknüpft.")
    assert sandbox.links[(ANNA, mid)]["addresses"] == [601]
    assign = [a for a in sandbox.received if a.get("resourcetype") == "emailassignments"][-1]
    assert (assign["parameters"]["folder"], assign["parameters"]["uid"]) == ("Kunden/M&APw-ller", uid)
    assert assign["parameters"]["emailidentity"] == ANNA
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "outlook-entra-de-linked.png"), full_page=True)


def test_refused_sign_in_comes_back_to_the_pane_in_its_words(
    outlook: BrowserContext, real_backend: tuple[str, Any], entra: FakeEntra,
) -> None:
    """The user declines at Entra: /auth/callback's refusal travels through messageParent too."""
    base, _ = real_backend
    entra.user = None  # the fake answers access_denied at /authorize
    try:
        cfg = {"language": "en-US", "email": ANNA, "dialog": "real",
               "item": {"internetMessageId": "<x@y>", "subject": "x", "to": [], "cc": [],
                        "from": {"displayName": "", "emailAddress": "j.mueller@mueller-partner.de"}}}
        page = outlook.new_page()
        page.add_init_script(f"window.__FAKE_OFFICE__ = {json.dumps(cfg)};")
        page.goto(f"{base}/taskpane.html")
        page.get_by_role("button", name="Sign in").click()
        error = page.locator('#pane[data-state="error"]')
        expect(error).to_have_attribute("data-error-code", "sign_in_failed")
        expect(page.get_by_role("heading", name="Sign-in failed")).to_be_visible()
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        assert page.evaluate("localStorage.getItem('onoffice.session')") is None
    finally:
        entra.user = FakeUser(ANNA, "Anna Schmidt")

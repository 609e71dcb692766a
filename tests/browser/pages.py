"""Opening the pane the way each host does, for the browser tests and the bench."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js"
ANNA = "anna.schmidt@makler-demo.de"
READY = '#pane[data-state="ready"]'


def open_outlook(
    page: Any,
    base: str,
    *,
    item: dict[str, Any] | None,
    language: str = "de-DE",
    email: str = ANNA,
    dialog: str = "ok",
    token: str | None = None,
) -> None:
    """taskpane.html with the fake office.js standing in for Microsoft's CDN copy."""
    page.route(
        OFFICE_JS,
        lambda route: route.fulfill(path=str(HERE / "fake_office.js"), content_type="text/javascript"),
    )
    cfg = {"language": language, "email": email, "item": item, "dialog": dialog}
    script = f"window.__FAKE_OFFICE__ = {json.dumps(cfg)};"
    if token:
        session = {"token": token, "mailbox": email, "expiresAt": None}
        script += f"localStorage.setItem('onoffice.session', {json.dumps(json.dumps(session))});"
    page.add_init_script(script)
    page.goto(f"{base}/taskpane.html")


def open_demo(page: Any, base: str, query: str = "") -> None:
    """taskpane.html in a plain browser where office.js cannot load at all."""
    page.route(OFFICE_JS, lambda route: route.abort())
    page.goto(f"{base}/taskpane.html{query}")


def open_thunderbird(
    page: Any,
    base: str,
    *,
    displayed: list[dict[str, Any]],
    shape: str = "mv2",
    language: str = "de-DE",
    email: str = ANNA,
    auth: str = "ok",
    accounts: dict[str, list[str]] | None = None,
) -> None:
    """The add-on's popup (unpacked from the served xpi) with a fake messenger.*, plus its
    real background script in the same page."""
    cfg = {"shape": shape, "displayed": displayed, "language": language, "email": email, "auth": auth,
           "accounts": accounts}
    page.route("**/auth/demo/thunderbird", _stop_at_the_add_on_redirect)
    page.add_init_script(f"window.__FAKE_TB__ = {json.dumps(cfg)};")
    page.add_init_script(path=str(HERE / "fake_messenger.js"))
    page.goto(f"{base}/tb/popup/popup.html?tabId=7")
    page.add_script_tag(url=f"{base}/tb/background.js", type="module")


def _stop_at_the_add_on_redirect(route: Any) -> None:
    """Thunderbird ends identity.launchWebAuthFlow at the redirect to the add-on's own URL
    (it never loads it); here the test does, and hands the fake the URL it was sent to."""
    response = route.fetch(max_redirects=0)
    route.fulfill(status=200, json={"status": response.status,
                                    "location": response.headers.get("location", "")})


def session_token(page: Any) -> str:
    return str(page.evaluate("JSON.parse(localStorage.getItem('onoffice.session')).token"))

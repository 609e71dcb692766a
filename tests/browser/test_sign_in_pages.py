"""The last sign-in page under its Content-Security-Policy, in a real browser: the Outlook
dialog still reaches messageParent (office.js from the CDN host, our script from /static),
and a hostile error text stays text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page

from .pages import OFFICE_JS

pytestmark = pytest.mark.browser

# Stands in for office.js: Office.onReady(callback) and messageParent, nothing else.
FAKE_DIALOG_OFFICE = """window.Office = {
  onReady(cb) {
    const info = {host: "Outlook"};
    Promise.resolve(info).then(cb);
    return Promise.resolve(info);
  },
  context: {ui: {messageParent: (m) => { window.__sent = m; }}},
};"""
HOSTILE = '</script><script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'


def _open(page: Page, url: str) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.route(OFFICE_JS,
               lambda route: route.fulfill(body=FAKE_DIALOG_OFFICE, content_type="text/javascript"))
    page.goto(url)
    return violations


def test_outlook_dialog_page_sends_the_session_to_the_pane(page: Page, backend: str) -> None:
    violations = _open(page, f"{backend}/test/sign-in-done/outlook")
    page.wait_for_function("window.__sent !== undefined")
    sent: dict[str, Any] = json.loads(page.evaluate("window.__sent"))
    assert sent == {"token": "oml.test-token", "mailbox": "anna.schmidt@makler-demo.de",
                    "expiresAt": "2030-01-01T00:00:00+00:00"}
    assert violations == []


def test_outlook_dialog_refusal_reaches_the_pane_and_hostile_text_stays_text(page: Page,
                                                                             backend: str) -> None:
    violations = _open(page, f"{backend}/test/sign-in-done/outlook?refuse={HOSTILE}")
    page.wait_for_function("window.__sent !== undefined")
    sent = json.loads(page.evaluate("window.__sent"))
    assert sent["error"] == {"code": "sign_in_failed", "message": HOSTILE}
    assert page.evaluate("window.__xss") is None
    assert HOSTILE in page.locator("body").inner_text()
    assert violations == []


def test_browser_page_runs_its_copy_button_under_the_policy(page: Page, backend: str) -> None:
    violations = _open(page, f"{backend}/test/sign-in-done/browser")
    assert page.locator("#token").input_value() == "oml.test-token"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#copy").click()
    assert page.evaluate("navigator.clipboard.readText()") == "oml.test-token"
    assert violations == []

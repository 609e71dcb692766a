"""A real (non-demo) deployment opened in a plain browser: it says plainly, in the page's
language, that the pane runs inside Outlook or Thunderbird, and points an admin to the manifests."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .pages import open_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def backend_config(config: dict[str, str]) -> dict[str, str]:
    """A real deployment's configuration (onOffice credentials: no demo mode)."""
    return {k: v for k, v in config.items() if k != "PUBLIC_URL"}


@pytest.mark.parametrize(("query", "lang"), [("?lang=de", "de"), ("?lang=en", "en")])
def test_real_deployment_in_a_plain_browser_says_where_the_pane_runs(
    page: Page, backend: str, shot: Any, query: str, lang: str
) -> None:
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    open_demo(page, backend, query)
    pane = page.locator('#pane[data-state="outside"]')
    expect(pane).to_be_visible()
    heading = {"de": "Dieses Add-in läuft in Outlook oder Thunderbird",
               "en": "This add-in runs inside Outlook or Thunderbird"}[lang]
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    # Nothing that cannot work here: no demo picker, no sign-in, no retry.
    expect(page.locator("#demo-pick")).to_have_count(0)
    expect(page.locator(".notice button")).to_have_count(0)
    expect(pane).not_to_contain_text("Demo")
    # An admin finds the manifests, and they are really served.
    for href in ("/addin/outlook/manifest.xml", "/addin/outlook/manifest.json",
                 "/addin/outlook/app-package.zip", "/addin/thunderbird.xpi"):
        link = page.locator(f'a[href="{href}"]')
        expect(link).to_be_visible()
        assert page.request.get(backend + href).status == 200, href
    assert not [u for u in asked if "/api/v1/" in u or "/auth/" in u]
    shot(page, f"outside-office-{lang}")

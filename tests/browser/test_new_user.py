"""What a newcomer meets: the language switch, the badges in light and dark, and a real
(non-demo) deployment opened in a plain browser. Screenshots in both languages, light and dark."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import office_item
from .pages import READY, open_demo, open_outlook

pytestmark = pytest.mark.browser

CONTRAST = """el => {
  const rgb = (c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const lin = (v) => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    const [r, g, b] = rgb(c).map(lin);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const s = getComputedStyle(el);
  const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["de-DE", "en-US"])
def test_badges_and_confirmation_read_well(
    page: Page, backend: str, demo_messages: list[dict[str, Any]], shot: Any, scheme: str, language: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    open_outlook(page, backend, item=office_item(demo_messages[0]), language=language)
    page.get_by_role("button", name="Anmelden" if language == "de-DE" else "Sign in").click()
    expect(page.locator(READY)).to_be_visible()
    for kind, word in (("address", ("Adresse", "Address")), ("estate", ("Immobilie", "Property"))):
        badge = page.locator(f'section.suggestions li[data-kind="{kind}"] .badge').first
        # A picture of a person or a house, named in the pane's language, not a letter.
        expect(badge.locator("svg path")).to_have_count(1)
        expect(badge).to_have_text("")
        expect(badge).to_have_attribute("title", word[0] if language == "de-DE" else word[1])
        assert badge.evaluate(CONTRAST) >= 4.5, (kind, scheme)
    page.locator('section.suggestions li[data-kind="estate"] button[data-action="link"]').first.click()
    banner = page.locator(".confirm")
    expect(banner).to_be_visible()
    assert banner.evaluate(CONTRAST) >= 4.5
    shot(page, f"pane-{language[:2]}-{scheme}")


def test_language_switch_is_visible_and_kept(
    page: Page, backend: str, demo_messages: list[dict[str, Any]]
) -> None:
    open_outlook(page, backend, item=office_item(demo_messages[0]), language="en-US")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    switch = page.get_by_role("group", name="Sprache / Language")
    expect(switch.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    switch.get_by_role("button", name="Deutsch").click()
    expect(page.get_by_role("button", name="Anmelden")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.reload()
    expect(page.get_by_role("button", name="Anmelden")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_lang_in_the_address_wins_and_the_switch_follows_it(page: Page, backend: str) -> None:
    open_demo(page, backend, "?lang=de")
    expect(page.get_by_role("button", name="Anmelden")).to_be_visible()
    page.get_by_role("button", name="English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

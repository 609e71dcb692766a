"""The add-on in a real Thunderbird: installed from the served xpi, opened with a real click on
its button, signed in through the demo page and through (fake) Entra, linking mails that
Dovecot holds, the umlaut folder too. Every test ends with Thunderbird's consoles free of
add-on errors (the ``tb`` fixture)."""

from __future__ import annotations

import pytest

from server.addin.render import THUNDERBIRD_ADDON_ID

from ..conftest import ANNA
from . import chrome
from .conftest import Backend
from .driver import Driver, Mail, wait_for

pytestmark = pytest.mark.thunderbird

SUGGESTED_ADDRESS = 'section.suggestions li[data-kind="address"]'


def signed_in(tb: Driver, mail: Mail) -> None:
    """Show ``mail`` with the popup open and the pane ready, signing in (demo) if needed."""
    tb.show(mail)
    if tb.open_popup() == "signedout":
        tb.demo_sign_in(ANNA)
        tb.open_popup()
    tb.wait_state("ready")
    assert tb.popup("return document.querySelector('h2.subject').textContent") == mail.subject


def link_first_suggested_address(tb: Driver) -> int:
    address = int(tb.popup(f"return document.querySelector('{SUGGESTED_ADDRESS}').dataset.id"))
    tb.click_in(f'{SUGGESTED_ADDRESS}[data-id="{address}"] button[data-action="link"]')
    wait_for(lambda: tb.popup(f"return !!document.querySelector("
                              f"'section.linked li[data-id=\"{address}\"]')"), "the link in the pane")
    return address


def assert_linked_in_onoffice(backend: Backend, name: str, mail: Mail, address: int) -> None:
    sandbox = backend.sandboxes[name]
    assert address in sandbox.links[(ANNA, mail.message_id)]["addresses"]
    sent = [a["parameters"] for a in sandbox.received  # the link actions ("messageid")
            if a["parameters"].get("messageid") == mail.message_id]
    # onOffice was told the folder and UID under which Dovecot keeps the mail.
    assert (sent[-1]["folder"], sent[-1]["uid"]) == (mail.folder, mail.uid), sent


def test_the_add_on_is_installed_and_its_background_runs(tb: Driver) -> None:
    state = tb.tb.js(chrome.ADDON_STATE, THUNDERBIRD_ADDON_ID)
    assert state["active"] and state["version"] == "0.1.0", state
    assert state["background"] == "running", state
    assert any(v.startswith("background moz-extension://") and v.endswith("/background.html")
               for v in state["views"]), state


def test_demo_sign_in_then_a_click_links_the_displayed_mail(tb: Driver, backend: Backend,
                                                             mails: dict[str, Mail],
                                                             screenshot) -> None:  # type: ignore[no-untyped-def]
    tb.show(mails["inbox"])
    tb.sign_out()
    assert tb.popup("return document.querySelector('h2.subject').textContent") == mails["inbox"].subject
    screenshot("three-pane-signed-out")
    tb.demo_sign_in(ANNA)
    # The popup closed when the sign-in window took focus; the sign-in ran in the background.
    assert not tb.popup_is_open()
    assert tb.open_popup() == "ready"
    address = link_first_suggested_address(tb)
    assert_linked_in_onoffice(backend, "demo", mails["inbox"], address)
    screenshot("three-pane-linked")


@pytest.mark.parametrize("key", ["umlaut", "sent"])
def test_link_lands_with_the_folder_and_uid_dovecot_has(tb: Driver, backend: Backend,
                                                       mails: dict[str, Mail], key: str) -> None:
    signed_in(tb, mails[key])
    address = link_first_suggested_address(tb)
    assert_linked_in_onoffice(backend, "demo", mails[key], address)


def test_popup_fits_400_by_450_and_search_is_at_hand(tb: Driver, mails: dict[str, Mail],
                                                    screenshot) -> None:  # type: ignore[no-untyped-def]
    signed_in(tb, mails["inbox"])
    width, height = tb.popup_size()
    assert width <= 402 and height <= 452, (width, height)  # the panel adds a 1 px border
    box = tb.popup("const r = document.getElementById('search').getBoundingClientRect();"
                   "return [r.top, r.bottom, content.innerHeight]")
    assert box[1] <= box[2], box  # visible without scrolling
    tb.click_in("#search")
    tb.display.type("Sabine")
    assert tb.popup("return document.getElementById('search').value") == "Sabine"
    row = '#search-results li[data-kind="address"][data-id="602"]'
    wait_for(lambda: tb.popup(f"return !!document.querySelector('{row}')"), "search results")
    assert tb.popup_size()[1] <= 452  # results scroll inside, the popup does not grow
    screenshot("three-pane-search")


def test_the_pane_follows_the_next_mail(tb: Driver, mails: dict[str, Mail]) -> None:
    signed_in(tb, mails["inbox"])
    tb.show(mails["next"])  # the selection moves on, the popup stays open
    wait_for(lambda: tb.popup("return document.querySelector('h2.subject')?.textContent")
             == mails["next"].subject, "the next mail in the pane")
    tb.wait_state("ready")


def test_popup_in_a_message_tab(tb: Driver, mails: dict[str, Mail], screenshot) -> None:  # type: ignore[no-untyped-def]
    signed_in(tb, mails["umlaut"])
    tb.close_popup()
    tb.show(mails["umlaut"], in_tab=True)
    assert tb.open_popup() == "ready"
    assert tb.popup("return document.querySelector('h2.subject').textContent") == mails["umlaut"].subject
    screenshot("message-tab")


def test_closing_the_sign_in_window_leaves_the_add_on_signed_out(tb: Driver, mails: dict[str, Mail]) -> None:
    """The popup dies while the sign-in runs; no promise of it may be rejected afterwards."""
    tb.show(mails["inbox"])
    tb.sign_out()
    tb.start_sign_in()
    wait_for(lambda: tb.page_open("/auth/login"), "the demo sign-in page")
    tb.tb.js(chrome.CLOSE_WINDOWS_WITH, "/auth/login")
    wait_for(lambda: not tb.sign_in_window_open(), "the sign-in window to close")
    assert tb.open_popup() == "signedout"  # and the ``tb`` fixture finds no Conduits error


def test_sign_in_through_entra(tb: Driver, backend: Backend, mails: dict[str, Mail], fake_entra) -> None:  # type: ignore[no-untyped-def]
    tb.show(mails["inbox"])
    backend.use("entra")  # a real deployment: the demo session is not valid here
    assert tb.open_popup() == "signedout"
    fake_entra.requests.clear()
    tb.start_sign_in()
    # The fake Entra signs Anna in at once and posts back to /auth/callback, which sends the
    # add-on its one-time code; the window closes by itself.
    wait_for(lambda: "grant:authorization_code" in fake_entra.requests, "the code redeemed", timeout=30)
    wait_for(lambda: not tb.sign_in_window_open(), "the sign-in window to close")
    assert tb.open_popup() == "ready"
    address = link_first_suggested_address(tb)
    assert_linked_in_onoffice(backend, "entra", mails["inbox"], address)

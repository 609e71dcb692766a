"""What a test does in Thunderbird, in a user's terms: show a mail, press the add-on's button,
click in its popup or in the sign-in window; plus what it checks: the popup's page, the
windows, Thunderbird's consoles. Clicks are real pointer clicks (xdotool) at screen positions."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import chrome
from .harness import Display, Thunderbird

POPUP = "popup/popup.html"
# Centre of an element on screen; scrolled into view first, like a user scrolling to it.
_CENTER = """const e = document.querySelector(args[0]);
if (!e) return null;
e.scrollIntoView({ block: "nearest" });
const r = e.getBoundingClientRect();
return [content.mozInnerScreenX + r.left + r.width / 2, content.mozInnerScreenY + r.top + r.height / 2];"""


@dataclass(frozen=True)
class Mail:
    """A mail seeded into Dovecot, as Dovecot reported it (APPENDUID)."""

    message_id: str  # with angle brackets
    folder: str  # as the server spells it, e.g. "Kunden/M&APw-ller"
    uid: int
    subject: str


def wait_for(check: Any, what: str, timeout: float = 30.0, every: float = 0.2) -> Any:
    """Poll ``check()`` until it returns something truthy; fail naming ``what`` and the last value."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}; last seen: {last!r}")


class Driver:
    def __init__(self, tb: Thunderbird, display: Display, addon_id: str, root_uri: str):
        self.tb, self.display, self.addon_id, self.root_uri = tb, display, addon_id, root_uri
        self.button_id = addon_id.replace("@", "_").replace(".", "_") + \
            "-messageDisplayAction-toolbarbutton"
        self.missed_clicks: list[Any] = []

    # ---- Thunderbird ----
    def show(self, mail: Mail, *, in_tab: bool = False) -> None:
        self.tb.js(chrome.SHOW_MAIL, f"{self.root_uri}/{mail.folder}", mail.message_id.strip("<>"),
                   in_tab, timeout=70)

    def close_message_tabs(self) -> None:
        self.tb.js(chrome.CLOSE_MESSAGE_TABS)

    def windows(self) -> list[dict[str, Any]]:
        return list(self.tb.js(chrome.WINDOWS))

    def page_open(self, fragment: str) -> bool:
        return any(fragment in p for w in self.windows() for p in w["pages"])

    def console_mark(self) -> dict[str, int]:
        return dict(self.tb.js(chrome.CONSOLE, {"console": 0, "api": 0})["length"])

    def addon_errors(self, mark: dict[str, int], backend: str) -> list[dict[str, Any]]:
        """Errors and warnings since ``mark`` from the add-on's pages or our backend's pages."""
        found = self.tb.js(chrome.CONSOLE, mark)["messages"]
        # Gecko's "Layout was forced before the page was fully loaded" depends only on how busy
        # the machine is when a window opens, not on anything the page does wrong.
        found = [m for m in found if not (m["kind"] == "warning" and m.get("category") == "Layout")]
        return [m for m in found if m["kind"] != "message" and (
            str(m.get("source") or "").startswith(("moz-extension://", backend))
            or "Conduits" in m["text"] or "context unloaded" in m["text"])]

    def screenshot(self, path: Path) -> None:
        data = self.tb.js(chrome.SCREENSHOT, POPUP)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data.split(",", 1)[1]))

    # ---- the popup and other pages ----
    def run(self, code: str, *args: Any, where: str = POPUP) -> dict[str, Any]:
        return dict(self.tb.js(chrome.IN_PAGE, where, code, json.dumps(list(args))))

    def popup(self, code: str, *args: Any) -> Any:
        """The value of ``code`` run in the open popup; fails if no popup is open."""
        answer = self.run(code, *args)
        assert not answer.get("absent") and answer.get("panel") == "open", f"no open popup: {answer}"
        assert "error" not in answer, answer["error"]
        return answer["value"]

    def popup_is_open(self) -> bool:
        answer = self.run("return true")
        return not answer.get("absent") and answer.get("panel") == "open"

    def popup_size(self) -> list[float]:
        return list(self.run("return true")["size"])

    def state(self) -> str | None:
        answer = self.run("return document.getElementById('pane')?.dataset.state || null")
        return None if answer.get("absent") or answer.get("panel") != "open" else answer.get("value")

    def wait_state(self, *states: str, timeout: float = 30.0) -> str:
        return str(wait_for(lambda: (s := self.state()) in states and s, f"popup state in {states}",
                            timeout))

    def click_in(self, selector: str, where: str = POPUP) -> None:
        answer = self.run(_CENTER, selector, where=where)
        point = answer.get("value")
        assert point, f"{selector} not found in {where}: {answer}"
        self.display.click(*point)

    # ---- the add-on, as a user ----
    def open_popup(self) -> str:
        """Press the add-on's button in the shown mail (unless its popup is open); the pane's state."""
        for _ in range(3):  # the header may still be laid out under the first click
            if self.popup_is_open():
                break
            point = wait_for(lambda: self.tb.js(chrome.ACTION_BUTTON, self.button_id),
                             "the add-on's button in the message header")
            self.display.click(*point)
            try:
                wait_for(self.popup_is_open, "the popup to open", timeout=8)
            except AssertionError:
                self.missed_clicks.append(point)
        assert self.popup_is_open(), f"no popup after clicks at {self.missed_clicks}"
        return self.wait_state("signedout", "ready", "error", "nomessage")

    def close_popup(self) -> None:
        if self.popup_is_open():
            self.display.key("Escape")
            wait_for(lambda: not self.popup_is_open(), "the popup to close")

    def sign_out(self) -> None:
        """Signed out in the add-on: its own "Sign out" button, if signed in."""
        if self.open_popup() != "signedout":
            self.click_in(".top .btn.subtle")
            self.wait_state("signedout")

    def start_sign_in(self) -> None:
        """Press "Sign in"; Thunderbird opens the sign-in window and the popup closes."""
        assert self.open_popup() == "signedout"
        self.click_in("#pane .card.notice .btn.primary")
        wait_for(self.sign_in_window_open, "the sign-in window")

    def sign_in_window_open(self) -> bool:
        """identity.launchWebAuthFlow's window."""
        return any(w["type"] == "mail:extensionPopup" for w in self.windows())

    def demo_sign_in(self, mailbox: str) -> None:
        self.start_sign_in()
        wait_for(lambda: self.run("return document.readyState === 'complete'",
                                  where="/auth/login").get("value"), "the demo sign-in page")
        self.click_in(f'button[name="mailbox"][value="{mailbox}"]', where="/auth/login")
        wait_for(lambda: not self.sign_in_window_open(), "the sign-in window to close")

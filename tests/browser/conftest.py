"""Browser tests: Debian's Chromium via Playwright drives the pane against the real demo backend.

office.js (Microsoft's CDN) and Thunderbird's messenger.* are replaced by fakes written here;
everything behind them (pane, API, sandbox onOffice, audit log) is the real thing.
"""

from __future__ import annotations

import io
import mimetypes
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, abort

from ..servers import require_binary, serve

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE.parents[1] / "test-artifacts" / "screenshots"
OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    path = require_binary("chromium", "apt-get install -y --no-install-recommends chromium")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def base_url() -> None:
    """Replaces pytest-base-url's fixture (deprecated fixture style, an error under
    filterwarnings=error); tests pass absolute URLs of the `backend` fixture."""
    return None


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """About the width of Outlook's task pane."""
    return {**browser_context_args, "viewport": {"width": 380, "height": 760}}


class _Late:
    """WSGI app bound after the socket: the app needs its own URL as PUBLIC_URL."""

    app: Any = None

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.app(environ, start_response)


def _serve_xpi(app: Flask) -> None:
    """Serve the add-on exactly as built by /addin/thunderbird.xpi, unpacked, under /tb/."""
    files: dict[str, bytes] = {}

    def tb_file(name: str) -> Response:
        if name not in files:
            abort(404)
        kind = "text/javascript" if name.endswith(".js") else mimetypes.guess_type(name)[0]
        response = Response(files[name], mimetype=kind or "application/octet-stream")
        # Thunderbird's default policy for MV2 extension pages, instead of the backend's own.
        response.headers["Content-Security-Policy"] = "script-src 'self'; object-src 'self'"
        return response

    app.add_url_rule("/tb/<path:name>", "test_tb_file", tb_file)
    xpi = app.test_client().get("/addin/thunderbird.xpi").data
    with zipfile.ZipFile(io.BytesIO(xpi)) as zf:
        files.update({name: zf.read(name) for name in zf.namelist()})


def _serve_sign_in_pages(app: Flask) -> None:
    """The last page of /auth/callback as each client gets it (Entra is not there in demo
    mode): the Outlook dialog's success and refusal, and the browser page."""
    from datetime import UTC, datetime

    from flask import request

    from server.api import auth_pages

    def done(client: str) -> Response:
        if request.args.get("refuse"):
            return auth_pages.refusal(401, "sign_in_failed", request.args["refuse"], client)
        return auth_pages.hand_over(client, "oml.test-token", "anna.schmidt@makler-demo.de",
                                    datetime(2030, 1, 1, tzinfo=UTC), request.host_url.rstrip("/"))

    app.add_url_rule("/test/sign-in-done/<client>", "test_sign_in_done", done)


class BackendUrl(str):
    """The backend's base URL; ``.app`` is the Flask app behind it (a test switches its onOffice off)."""

    app: Any = None


@pytest.fixture
def backend_config() -> dict[str, str]:
    """Extra environment for the backend; tests override it to reach real error states."""
    return {}


@pytest.fixture
def backend(tmp_path: Path, backend_config: dict[str, str]) -> Iterator[str]:
    """The real backend in demo mode on a loopback socket; yields its base URL."""
    from server import create_app

    late = _Late()
    with serve(late) as base:
        env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'pane.sqlite3'}", "PUBLIC_URL": base}
        app = create_app({**env, **backend_config})
        if "addin" not in app.blueprints:  # until server/__init__.py calls it itself
            from server.addin import init_app

            init_app(app)
        _serve_sign_in_pages(app)
        _serve_xpi(app)
        late.app = app
        url = BackendUrl(base)
        url.app = app
        yield url


@pytest.fixture
def demo_messages(backend: str) -> list[dict[str, Any]]:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{backend}/demo/messages") as r:
        return list(json.load(r)["messages"])


@pytest.fixture
def shot() -> Any:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


def office_item(m: dict[str, Any]) -> dict[str, Any]:
    """A demo message in the shape of an Office.js read-mode item."""

    def person(p: dict[str, str]) -> dict[str, str]:
        return {"displayName": p["name"], "emailAddress": p["email"]}

    return {
        "internetMessageId": m["messageId"],
        "subject": m["subject"],
        "from": person(m["from"]),
        "to": [person(p) for p in m["to"]],
        "cc": [person(p) for p in m["cc"]],
        "bodyText": m.get("body", ""),  # fake_office.js serves it through item.body.getAsync
    }


def tb_header(m: dict[str, Any], msg_id: int = 1) -> dict[str, Any]:
    """A demo message in the shape of a Thunderbird MessageHeader (ids without brackets)."""

    def text(p: dict[str, str]) -> str:
        return f"{p['name']} <{p['email']}>" if p["name"] else p["email"]

    return {
        "id": msg_id,
        "headerMessageId": m["messageId"].strip("<>"),
        "subject": m["subject"],
        "author": text(m["from"]),
        "recipients": [text(p) for p in m["to"]],
        "ccList": [text(p) for p in m["cc"]],
        "date": m["date"],
        "external": False,
        "folder": {"accountId": "account1", "path": "/" + m["folder"], "name": m["folder"]},
        "bodyText": m.get("body", ""),  # fake_messenger.js serves it through messages.getFull
    }

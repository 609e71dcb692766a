"""The add-in side of the backend: manifests, the Thunderbird xpi and the task pane page.

`init_app(app)` registers the `/addin/*` routes, `/taskpane.html` and the `flask manifest` CLI.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, redirect, send_from_directory

from .cli import manifest_cli
from .render import (
    STATIC_DIR,
    build_xpi,
    render_outlook_xml,
    render_unified_json,
    render_unified_package,
)

__all__ = ["bp", "init_app"]

bp = Blueprint("addin", __name__)
DEFAULT_PUBLIC_URL = "http://localhost:5000"


def _public_url() -> str:
    return str(current_app.config.get("PUBLIC_URL") or DEFAULT_PUBLIC_URL)


def office_sso() -> tuple[str, str] | None:
    """(client id, App ID URI) for the manifest's Office SSO block, if Entra is set up."""
    settings = current_app.config.get("SETTINGS")
    if settings is None or not settings.entra_client_id:
        return None
    # The last App ID URI is the api://<host>/<client-id> form legacy Office SSO requires.
    return settings.entra_client_id, settings.app_id_uris[-1]


def _no_cache(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.get("/addin/outlook/manifest.xml")
def outlook_manifest() -> Response:
    body = render_outlook_xml(_public_url(), office_sso())
    return _no_cache(Response(body, mimetype="application/xml"))


@bp.get("/addin/outlook/manifest.json")
def unified_manifest() -> Response:
    return _no_cache(Response(render_unified_json(_public_url()), mimetype="application/json"))


@bp.get("/addin/outlook/app-package.zip")
def unified_package() -> Response:
    resp = Response(render_unified_package(_public_url()), mimetype="application/zip")
    resp.headers["Content-Disposition"] = "attachment; filename=onoffice-outlook-app.zip"
    return _no_cache(resp)


@bp.get("/addin/thunderbird.xpi")
def thunderbird_xpi() -> Response:
    resp = Response(build_xpi(_public_url()), mimetype="application/x-xpinstall")
    resp.headers["Content-Disposition"] = "attachment; filename=onoffice-thunderbird.xpi"
    return _no_cache(resp)


# office.js (Microsoft's CDN) pulls in further scripts, styles and telemetry from hosts that
# Microsoft does not document, and Outlook frames the pane; so the pane's policy only shuts
# what it never uses. The pane itself puts server strings into the DOM as text, never as HTML.
TASKPANE_CSP = "object-src 'none'; base-uri 'none'"


def taskpane() -> Response:
    resp = _no_cache(send_from_directory(STATIC_DIR, "taskpane.html", max_age=0))
    resp.headers["Content-Security-Policy"] = TASKPANE_CSP
    return resp


def home() -> Response:
    return redirect("/taskpane.html")  # type: ignore[return-value]


def static_file(filename: str) -> Response:
    return send_from_directory(STATIC_DIR, filename)


def init_app(app: Flask) -> None:
    """Register the add-in routes and the `flask manifest` command on the app."""
    app.config.setdefault("PUBLIC_URL", DEFAULT_PUBLIC_URL)
    app.register_blueprint(bp)
    app.cli.add_command(manifest_cli)
    taken = {rule.rule for rule in app.url_map.iter_rules()}
    if "/taskpane.html" not in taken:
        app.add_url_rule("/taskpane.html", "addin_taskpane", taskpane)
    if "/" not in taken:
        app.add_url_rule("/", "addin_home", home)
    # The pane's assets are the package's static/ folder, served under /static/.
    if "static" not in app.view_functions:
        app.add_url_rule("/static/<path:filename>", "static", static_file)
    elif app.static_folder and STATIC_DIR.resolve() != Path(app.static_folder).resolve():
        app.logger.warning("static folder is %s; the task pane needs %s", app.static_folder, STATIC_DIR)

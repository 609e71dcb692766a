"""The manifests and the xpi download from the running app; `flask manifest` writes them."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from flask import Flask

from server.addin.render import addin_ids

from .conftest import PUBLIC_URL


def test_downloads(app: Flask) -> None:
    c = app.test_client()
    xml = c.get("/addin/outlook/manifest.xml")
    assert xml.status_code == 200
    assert xml.mimetype == "application/xml"
    assert addin_ids(PUBLIC_URL)[0].encode() in xml.data
    unified = c.get("/addin/outlook/manifest.json")
    assert unified.mimetype == "application/json"
    assert unified.get_json()["id"] == addin_ids(PUBLIC_URL)[1]
    xpi = c.get("/addin/thunderbird.xpi")
    assert xpi.mimetype == "application/x-xpinstall"
    assert "attachment" in xpi.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(xpi.data)) as zf:
        assert json.loads(zf.read("config.json"))["backendUrl"] == PUBLIC_URL
    package = c.get("/addin/outlook/app-package.zip")
    with zipfile.ZipFile(io.BytesIO(package.data)) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]


def test_pane_page_and_assets(app: Flask) -> None:
    c = app.test_client()
    with c.get("/taskpane.html") as page:
        assert page.status_code == 200
        assert b'src="/static/js/main-outlook.js"' in page.data
    with c.get("/") as home:
        assert home.headers["Location"].endswith("/taskpane.html")
    with c.get("/static/js/core/pane.js") as js:
        assert js.status_code == 200
        assert js.mimetype in ("text/javascript", "application/javascript")
    with c.get("/static/css/pane.css") as css:
        assert css.status_code == 200


def test_cli_writes_each_file(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    for kind, name in (("outlook", "m.xml"), ("unified", "m.json"), ("thunderbird", "o.xpi")):
        out = tmp_path / name
        result = runner.invoke(args=["manifest", kind, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    assert addin_ids(PUBLIC_URL)[0] in (tmp_path / "m.xml").read_text()
    assert zipfile.is_zipfile(tmp_path / "o.xpi")
    shown = runner.invoke(args=["manifest", "unified"])
    assert shown.exit_code == 0, (shown.output, shown.exception)
    assert json.loads(shown.stdout)["validDomains"] == ["onoffice-link.makler-demo.de"]


def test_manifest_carries_the_sso_block_when_entra_is_configured(tmp_path: Path) -> None:
    """ENTRA_CLIENT_ID reaches the XML manifest, or Office.auth.getAccessToken() can never work."""
    from server import create_app

    cid = "66666666-7777-8888-9999-000000000000"
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'e.sqlite3'}", "PUBLIC_URL": PUBLIC_URL,
                      "ENTRA_TENANT_ID": "11111111-2222-3333-4444-555555555555",
                      "ENTRA_CLIENT_ID": cid})
    served = app.test_client().get("/addin/outlook/manifest.xml").get_data(as_text=True)
    assert f"<Id>{cid}</Id>" in served
    out = tmp_path / "m.xml"
    result = app.test_cli_runner().invoke(args=["manifest", "outlook", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text() == served


def test_cli_reports_an_unwritable_output_in_one_line(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(
        args=["manifest", "outlook", "-o", str(tmp_path / "missing" / "m.xml")])
    assert result.exit_code == 1
    assert "cannot write" in result.output and "Traceback" not in result.output


def test_pane_names_an_icon_that_exists(app: Flask) -> None:
    """Without one the browser asks for /favicon.ico and logs a 404 on every demo load."""
    c = app.test_client()
    with c.get("/taskpane.html") as page:
        assert '<link rel="icon" href="/static/icons/icon-32.png">' in page.get_data(as_text=True)
    with c.get("/static/icons/icon-32.png") as icon:
        assert icon.status_code == 200

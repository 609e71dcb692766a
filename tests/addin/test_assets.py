"""The served-files check: start-up and `doctor` notice an install that lacks part of its package
data (the wheel test, tests/deploy/, proves the real wheel carries it all)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask

from server import ConfigError, preflight
from server.addin import assets, render

from .conftest import PUBLIC_URL


def test_the_package_serves_the_whole_pane_graph() -> None:
    found, bad = assets.problems(PUBLIC_URL)
    assert bad == []
    # main-outlook.js is named by the page; dom.js only by imports of imports.
    assert {"/taskpane.html", "/static/css/pane.css", "/static/js/main-outlook.js",
            "/static/js/core/dom.js", "/static/js/hosts/office-ready.js"} <= set(found)
    assert not any("appsforoffice" in url for url in found)  # Microsoft's CDN is not ours


def test_references_and_imports_are_parsed_like_a_browser_would() -> None:
    html = ('<script src="https://cdn.example/x.js"></script><link rel=icon href="/static/i.png?v=2">'
            "<script type=module src='a.js'></script><img src=\"//cdn.example/p.png\">"
            '<link rel="stylesheet" href="../css/p.css"><img src="data:image/png;base64,AAAA">')
    assert assets.html_references(html, "/popup/popup.html") == ["/static/i.png", "/popup/a.js", "/css/p.css"]
    js = ('import { a } from "./a.js";\nimport "../side.js";\nexport { b } from \'./sub/b.js\';\n'
          'const m = await import("./lazy.js");\nconst t = "not an import: from here";\n'
          'const css = new URL("../../css/form.css", import.meta.url).href;')
    assert assets.js_imports(js, "/static/js/core/x.js") == [
        "/static/js/core/a.js", "/static/js/side.js", "/static/js/core/sub/b.js", "/static/js/core/lazy.js",
        "/static/css/form.css"]


def test_a_stylesheet_a_module_loads_itself_is_followed() -> None:
    found, _ = assets.problems(PUBLIC_URL)
    assert "/static/css/contact-form.css" in found  # new URL(…, import.meta.url) in contact-form.js


def test_an_add_on_module_the_xpi_does_not_carry_is_named(tmp_path, monkeypatch) -> None:
    templates = tmp_path / "manifests"
    shutil.copytree(render.TEMPLATES, templates)
    popup = templates / "thunderbird" / "popup" / "popup.js"
    popup.write_text('import "../js/hosts/outlook.js";\n' + popup.read_text())  # not copied into the xpi
    monkeypatch.setattr(render, "TEMPLATES", templates)
    _, bad = assets.problems(PUBLIC_URL)
    assert bad == ["/js/hosts/outlook.js inside /addin/thunderbird.xpi"]


def _static_copy_without(tmp_path: Path, *missing: str) -> Path:
    copy = tmp_path / "static"
    shutil.copytree(render.STATIC_DIR, copy)
    for rel in missing:
        (copy / rel).unlink()
    return copy


def test_a_module_missing_deep_in_the_import_graph_is_named(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(render, "STATIC_DIR", _static_copy_without(tmp_path, "js/core/dom.js"))
    _, bad = assets.problems(PUBLIC_URL)
    copy = tmp_path / "static"
    # the pane's copy and the xpi's copy of the same module
    assert bad == [f"/static/js/core/dom.js (looked for it in {copy})",
                   "/js/core/dom.js inside /addin/thunderbird.xpi"]


def test_doctor_fails_on_an_empty_static_dir(app: Flask, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(render, "STATIC_DIR", tmp_path)
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "pane and add-ins" in x)
    assert line.startswith("FAIL pane and add-ins: this install cannot serve /taskpane.html"), line
    # the app package and the xpi need icons from static/ too
    assert "more" in line and f"fix: {assets.REINSTALL}" in result.output


def test_doctor_fails_without_the_manifest_templates(app: Flask, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(render, "TEMPLATES", tmp_path)
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert result.exit_code == 1
    assert ("FAIL pane and add-ins: this install cannot serve /addin/outlook/manifest.xml "
            f"(cannot read {tmp_path / 'outlook' / 'manifest.xml'}) and 3 more") in result.output


def test_doctor_passes_the_check_on_a_whole_package(app: Flask) -> None:
    found, _ = assets.problems(PUBLIC_URL)
    result = app.test_cli_runner().invoke(args=["doctor"])
    assert f"ok   pane and add-ins: the pane and the {len(found) - 1} files it loads" in result.output


def test_start_up_refuses_a_package_without_its_pane_in_one_line(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(render, "STATIC_DIR", _static_copy_without(tmp_path, "js/hosts/outlook.js"))
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    with pytest.raises(ConfigError) as exc:
        preflight(env)
    message = str(exc.value)
    assert "\n" not in message
    assert message.startswith("this install cannot serve /static/js/hosts/outlook.js")
    assert message.endswith("reinstall the package (its package data is incomplete)")
    assert not (tmp_path / "demo.sqlite3").exists()  # refused before touching the database


def test_manifest_command_names_a_missing_file_in_one_line(app: Flask, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(render, "STATIC_DIR", tmp_path)  # the xpi copies the pane's core from here
    result = app.test_cli_runner().invoke(args=["manifest", "thunderbird", "-o", str(tmp_path / "a.xpi")])
    assert result.exit_code == 1
    missing = tmp_path / "js" / "hosts" / "thunderbird.js"
    assert result.output == f"Error: cannot read {missing}: {assets.REINSTALL}\n"
    assert not (tmp_path / "a.xpi").exists()

"""The unified manifest, validated offline against Microsoft's schema bundled in the pinned
npm office-addin-manifest (its JSON validation needs no network)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from server.addin.render import addin_ids, render_unified_json

from .conftest import PUBLIC_URL, node_tool


def validate(tmp_path: Path, manifest: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    tool = node_tool("office-addin-manifest")
    return subprocess.run([tool, "validate", str(path)], capture_output=True, text=True, timeout=120)


@pytest.fixture
def manifest() -> dict[str, Any]:
    return dict(json.loads(render_unified_json(PUBLIC_URL)))


def test_schema_accepts_it(tmp_path: Path, manifest: dict[str, Any]) -> None:
    done = validate(tmp_path, manifest)
    assert done.returncode == 0, done.stdout + done.stderr


def test_schema_rejects_a_broken_copy(tmp_path: Path, manifest: dict[str, Any]) -> None:
    """The validator really validates: a non-hex accent colour must fail."""
    done = validate(tmp_path, {**manifest, "accentColor": "blue"})
    assert done.returncode != 0
    assert "accentColor" in done.stdout + done.stderr


def test_contents(manifest: dict[str, Any]) -> None:
    xml_id, unified_id = addin_ids(PUBLIC_URL)
    assert manifest["manifestVersion"] == "1.22"
    assert manifest["id"] == unified_id
    assert manifest["validDomains"] == ["onoffice-link.makler-demo.de"]
    assert manifest["authorization"]["permissions"]["resourceSpecific"] == [
        {"name": "MailboxItem.Read.User", "type": "Delegated"}
    ]
    ext = manifest["extensions"][0]
    runtime = ext["runtimes"][0]
    assert runtime["code"]["page"] == f"{PUBLIC_URL}/taskpane.html"
    assert runtime["actions"][0]["pinnable"] is True
    assert ext["ribbons"][0]["contexts"] == ["mailRead"]
    hide = [a["hide"] for a in ext["alternates"] if "hide" in a]
    assert hide == [{"customOfficeAddin": {"officeAddinId": xml_id}}]


def test_every_url_under_public_url(manifest: dict[str, Any]) -> None:
    urls: list[str] = []

    def walk(v: Any) -> None:
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str) and v.startswith(("http:", "https:")) and "json-schemas" not in v:
            urls.append(v)

    walk(manifest)
    assert len(urls) >= 10
    assert all(u.startswith(PUBLIC_URL + "/") for u in urls), urls

"""Render the Outlook manifests and the Thunderbird add-on for one deployment's PUBLIC_URL.

Pure functions, no Flask: the blueprint and the CLI both call these.
"""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr


def _package_dir(package: str, name: str) -> Path:
    # Package data, so a wheel serves exactly what a checkout serves. Installs are unzipped,
    # so the resource is a real directory that send_from_directory can serve from.
    return Path(str(files(package) / name))


STATIC_DIR = _package_dir("server", "static")
TEMPLATES = _package_dir("server.addin", "manifests")

OUTLOOK_XML_VERSION = "1.0.0.0"
UNIFIED_VERSION = "1.0.0"
THUNDERBIRD_VERSION = "0.1.0"
THUNDERBIRD_ADDON_ID = "onoffice-mail-link@mail-link.invalid"

_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def normalize_public_url(public_url: str) -> str:
    """'https://crm.example.com/' -> 'https://crm.example.com'; rejects anything but http(s)."""
    url = str(public_url).strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"PUBLIC_URL must be an http(s) URL, got {public_url!r}")
    return url


def addin_ids(public_url: str) -> tuple[str, str]:
    """Stable (XML add-in id, unified app id) for a deployment: same URL, same ids."""
    base = normalize_public_url(public_url)
    xml_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/addin/outlook/manifest.xml")
    unified_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{base}/addin/outlook/manifest.json")
    return str(xml_id), str(unified_id)


def fill(template: str, values: dict[str, str]) -> str:
    """Replace every {{NAME}}; a placeholder without a value is a bug, not an empty string."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"no value for placeholder {{{{{name}}}}}")
        return values[name]

    return _PLACEHOLDER.sub(one, template)


def _xml_text(value: str) -> str:
    return quoteattr(value)[1:-1]


def _web_application_info(sso: tuple[str, str] | None) -> str:
    """Legacy Office SSO needs this block (last child of VersionOverrides); NAA does not."""
    if not sso:
        return ""
    client_id, app_id_uri = sso
    resource = _xml_text(app_id_uri)
    return (
        "\n      <WebApplicationInfo>"
        f"\n        <Id>{_xml_text(client_id)}</Id>"
        f"\n        <Resource>{resource}</Resource>"
        "\n        <Scopes>"
        "\n          <Scope>openid</Scope>"
        "\n          <Scope>profile</Scope>"
        "\n        </Scopes>"
        "\n      </WebApplicationInfo>"
    )


def render_outlook_xml(public_url: str, sso: tuple[str, str] | None = None) -> str:
    base = normalize_public_url(public_url)
    xml_id, _ = addin_ids(base)
    template = (TEMPLATES / "outlook" / "manifest.xml").read_text(encoding="utf-8")
    return fill(
        template,
        {
            "PUBLIC_URL": _xml_text(base),
            "ADDIN_ID": xml_id,
            "VERSION": OUTLOOK_XML_VERSION,
            "WEB_APPLICATION_INFO": _web_application_info(sso),
        },
    )


def render_unified_json(public_url: str) -> str:
    base = normalize_public_url(public_url)
    xml_id, unified_id = addin_ids(base)
    template = (TEMPLATES / "outlook" / "manifest.json").read_text(encoding="utf-8")

    def js(value: str) -> str:
        return json.dumps(value)[1:-1]

    text = fill(
        template,
        {
            "PUBLIC_URL": js(base),
            "HOST": js(urlsplit(base).hostname or ""),
            "ADDIN_ID": xml_id,
            "UNIFIED_ID": unified_id,
            "VERSION": UNIFIED_VERSION,
        },
    )
    json.loads(text)  # the template must stay valid JSON after filling
    return text


def _zip(entries: dict[str, bytes]) -> bytes:
    """A zip with sorted names and fixed timestamps: same input, same bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[name])
    return buf.getvalue()


def render_unified_package(public_url: str) -> bytes:
    """The zip the Microsoft 365 admin center takes: unified manifest plus its two icons."""
    icons = STATIC_DIR / "icons"
    return _zip(
        {
            "manifest.json": render_unified_json(public_url).encode(),
            "color.png": (icons / "color.png").read_bytes(),
            "outline.png": (icons / "outline.png").read_bytes(),
        }
    )


def thunderbird_files(public_url: str) -> dict[str, bytes]:
    """Every file of the add-on, keyed by its path inside the xpi."""
    base = normalize_public_url(public_url)
    parts = urlsplit(base)
    src = TEMPLATES / "thunderbird"
    files: dict[str, bytes] = {}
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src).as_posix()
        if path.is_file() and rel != "manifest.json":
            files[rel] = path.read_bytes()
    manifest = fill(
        (src / "manifest.json").read_text(encoding="utf-8"),
        {
            "VERSION": THUNDERBIRD_VERSION,
            "ADDON_ID": THUNDERBIRD_ADDON_ID,
            "PUBLIC_URL": json.dumps(base)[1:-1],
            "BACKEND_ORIGIN": f"{parts.scheme}://{parts.hostname}",
        },
    )
    json.loads(manifest)
    files["manifest.json"] = manifest.encode()
    files["config.json"] = json.dumps({"backendUrl": base}, indent=2).encode()
    # The popup runs the same core as the Outlook pane: copied in, never duplicated in source.
    for path in sorted((STATIC_DIR / "js" / "core").glob("*.js")):
        files[f"js/core/{path.name}"] = path.read_bytes()
    files["js/hosts/thunderbird.js"] = (STATIC_DIR / "js" / "hosts" / "thunderbird.js").read_bytes()
    for name in ("pane.css", "contact-form.css"):  # the form's styles load with the form
        files[f"css/{name}"] = (STATIC_DIR / "css" / name).read_bytes()
    for size in (16, 32, 48, 64, 128):
        files[f"icons/icon-{size}.png"] = (STATIC_DIR / "icons" / f"icon-{size}.png").read_bytes()
    return files


def build_xpi(public_url: str) -> bytes:
    return _zip(thunderbird_files(public_url))

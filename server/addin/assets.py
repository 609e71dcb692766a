"""Can this install serve what Outlook and Thunderbird will ask for?

The task pane and every file it loads (found by following its HTML references and then the ES
module import graph), the sign-in pages' files, both Outlook manifests, the app package and the
xpi (whose popup and background pages must find their modules inside it), all from the package
data. Start-up refuses an install that lacks one, with one line,
instead of a 404 or 500 at the first click; `doctor` reports the same check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from posixpath import normpath
from urllib.parse import urljoin

from . import render

PANE_URL = "/taskpane.html"
REINSTALL = "reinstall the package (its package data is incomplete)"
STATIC_URL = "/static/"

# src/href of script, link and img tags; a query or fragment is not part of the file.
_HTML_REF = re.compile(r"""<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"'#?]+)""", re.I)
# import … from "x", export … from "x", import "x", import("x"): relative or site-absolute only;
# and new URL("x", import.meta.url), how a module names a file it loads itself.
_JS_IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*\(?\s*["']((?:\.{1,2})?/[^"'/][^"']*)["']""")
_JS_URL = re.compile(r"""\bnew\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)""")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)  # https:, data:, //cdn…


def html_references(html: str, url: str = "/") -> list[str]:
    """Same-site paths a page at ``url`` loads; CDN URLs (office.js) are not ours to serve."""
    return [normpath(urljoin(url, ref)) for ref in _HTML_REF.findall(html) if not _EXTERNAL.match(ref)]


def js_imports(source: str, url: str) -> list[str]:
    """Site paths of what the ES module at ``url`` imports or loads relative to itself."""
    refs = [*_JS_IMPORT.findall(source), *_JS_URL.findall(source)]
    return [normpath(urljoin(url, ref)) for ref in refs if not _EXTERNAL.match(ref)]


def crawl(read: Callable[[str], bytes | None], start: str = PANE_URL) -> tuple[list[str], list[str]]:
    """Follow a page's references and its modules' imports: (paths found, paths missing).

    ``read(path)`` returns a file's bytes, or None when it cannot be had.
    """
    found: list[str] = []
    missing: list[str] = []
    todo = [start]
    while todo:
        url = todo.pop(0)
        if url in found or url in missing:
            continue
        body = read(url)
        if body is None:
            missing.append(url)
            continue
        found.append(url)
        if url.endswith(".html"):
            todo += html_references(body.decode("utf-8"), url)
        elif url.endswith(".js"):
            todo += js_imports(body.decode("utf-8"), url)
    return found, missing


def _package_reader(static_dir: Path) -> Callable[[str], bytes | None]:
    def read(url: str) -> bytes | None:
        rel = url.removeprefix(STATIC_URL) if url.startswith(STATIC_URL) else url.lstrip("/")
        try:
            return (static_dir / rel).read_bytes()
        except OSError:
            return None

    return read


def _auth_page_assets() -> list[str]:
    from ..api.auth_pages import PAGE  # the sign-in result page's own CSS and script

    return [url for url in html_references(PAGE) if "{{" not in url]  # not {{ office_js }}


def problems(public_url: str) -> tuple[list[str], list[str]]:
    """(the pane's files found, what this install could not serve, one phrase each)."""
    read = _package_reader(render.STATIC_DIR)
    found, missing = crawl(read)
    missing += [url for url in _auth_page_assets() if read(url) is None]
    out = [f"{url} (looked for it in {render.STATIC_DIR})" for url in missing]
    out += _xpi_problems(public_url)
    renders: dict[str, Callable[[], object]] = {
        "/addin/outlook/manifest.xml": lambda: render.render_outlook_xml(public_url),
        "/addin/outlook/manifest.json": lambda: render.render_unified_json(public_url),
        "/addin/outlook/app-package.zip": lambda: render.render_unified_package(public_url),
        "/addin/thunderbird.xpi": lambda: render.build_xpi(public_url),
    }
    for url, build in renders.items():
        try:
            build()
        except OSError as exc:
            out.append(f"{url} (cannot read {exc.filename or exc})")
        except (KeyError, ValueError) as exc:
            out.append(f"{url} (its template is broken: {exc})")
    return found, out


def _xpi_problems(public_url: str) -> list[str]:
    """The add-on's popup and background pages must find every file they load inside the xpi."""
    try:
        files = render.thunderbird_files(public_url)
    except (OSError, KeyError, ValueError):
        return []  # reported below, where the xpi itself is built
    missing: list[str] = []
    for page in ("/popup/popup.html", "/background.html"):
        missing += crawl(lambda url: files.get(url.lstrip("/")), page)[1]
    return [f"{url} inside /addin/thunderbird.xpi" for url in dict.fromkeys(missing)]


def summary(public_url: str) -> tuple[bool, str]:
    """(ok, one line) for start-up and doctor."""
    found, bad = problems(public_url)
    if bad:
        more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
        return False, f"this install cannot serve {bad[0]}{more}"
    return True, (f"the pane and the {len(found) - 1} files it loads, the sign-in page's files, both "
                  "Outlook manifests, the app package and the Thunderbird xpi")

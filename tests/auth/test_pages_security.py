"""HTML of /auth/* and /demo/*: escaped, no inline script, a strict CSP, nosniff everywhere."""

from __future__ import annotations

import re

import pytest

from .test_code_flow import HTML, _callback, _login

HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)>'


def _inline_scripts(html: str) -> list[str]:
    """Script elements that would execute: no src and not a JSON data block."""
    return [tag for tag in re.findall(r"<script\b[^>]*>", html)
            if "src=" not in tag and 'type="application/json"' not in tag]


def _script_src(csp: str) -> str:
    return next(d for d in csp.split(";") if d.strip().startswith("script-src"))


@pytest.mark.parametrize("client_name", ["browser", "outlook"])
def test_sign_in_pages_have_a_strict_policy_and_no_inline_script(client, entra, client_name):
    r = _callback(client, _login(client, entra, f"client={client_name}"))
    assert r.status_code == 200
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "base-uri 'none'" in csp
    assert "'unsafe-inline'" not in _script_src(csp) and "'unsafe-eval'" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert _inline_scripts(r.get_data(as_text=True)) == []
    assert ("frame-ancestors 'none'" in csp) == (client_name == "browser")


def test_hostile_microsoft_error_text_is_escaped(client, entra):
    r = client.get("/auth/login?client=browser")
    state = re.search(r"state=([^&]+)", r.headers["Location"]).group(1)
    page = client.get("/auth/callback", query_string={"state": state, "error": "access_denied",
                                                      "error_description": HOSTILE}, headers=HTML)
    html = page.get_data(as_text=True)
    assert page.status_code == 401 and "access_denied" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert _inline_scripts(html) == [] and "Content-Security-Policy" in page.headers


def test_bad_request_page_reflects_nothing_executable(client, entra):
    r = client.get("/auth/login", query_string={"client": HOSTILE}, headers=HTML)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "<script>alert" not in html and _inline_scripts(html) == []


def test_demo_record_page_runs_no_script(demo_client):
    r = demo_client.get("/demo/records/address/601")
    assert r.status_code == 200 and r.mimetype == "text/html"
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_json_and_the_pane_are_nosniff_too(client, demo_client):
    assert client.get("/healthz").headers["X-Content-Type-Options"] == "nosniff"
    with demo_client.get("/taskpane.html") as pane:
        assert pane.headers["X-Content-Type-Options"] == "nosniff"
        assert "object-src 'none'" in pane.headers["Content-Security-Policy"]

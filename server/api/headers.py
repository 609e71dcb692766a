"""Security headers on every response: nosniff everywhere, a script-free CSP on HTML by default.

A view that needs scripts sets its own ``Content-Security-Policy`` (the sign-in pages, the
task pane); every other HTML page, including error pages and any page added later, gets a
policy that runs no script at all.
"""

from __future__ import annotations

from flask import Flask, Response

DEFAULT_HTML_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
                    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def _secure(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html" and "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = DEFAULT_HTML_CSP
    return response


def init_app(app: Flask) -> None:
    app.after_request(_secure)

"""What /auth/callback shows or sends: the token hand-over per client, and error pages (de/en)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import Response, redirect, render_template_string, request

OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js"

TEXT: dict[str, dict[str, str]] = {
    "de": {
        "title": "Anmeldung bei onOffice-Mail-Link",
        "done": "Sie sind angemeldet. Dieses Fenster schließt sich gleich.",
        "browser": "Sie sind angemeldet als {mailbox}. Ihr Sitzungsschlüssel (gültig bis {expires}):",
        "copy": "Kopieren",
        "failed": "Die Anmeldung hat nicht geklappt.",
        "retry": "Bitte schließen Sie dieses Fenster und melden Sie sich erneut an.",
        "sign_in_expired": "Dieser Anmeldevorgang ist unbekannt, schon benutzt oder abgelaufen.",
        "sign_in_failed": "Microsoft hat die Anmeldung nicht bestätigt.",
        "identity_not_mapped": "Ihr Postfach hat hier keine onOffice-E-Mail-Identität. Bitten Sie "
                               "Ihre Administration, es in die Identitätszuordnung einzutragen.",
        "signin_unavailable": "Die Microsoft-Anmeldung ist gerade nicht erreichbar.",
        "bad_request": "Die Anmeldeanfrage ist ungültig.",
        "not_found": "Die Microsoft-Anmeldung ist hier nicht eingerichtet.",
    },
    "en": {
        "title": "Sign-in to onOffice mail link",
        "done": "You are signed in. This window closes in a moment.",
        "browser": "You are signed in as {mailbox}. Your session key (valid until {expires}):",
        "copy": "Copy",
        "failed": "Sign-in did not succeed.",
        "retry": "Please close this window and sign in again.",
        "sign_in_expired": "This sign-in is unknown, already used or expired.",
        "sign_in_failed": "Microsoft did not confirm the sign-in.",
        "identity_not_mapped": "Your mailbox has no onOffice e-mail identity here. Ask your "
                               "administrator to add it to the identity map.",
        "signin_unavailable": "Microsoft sign-in cannot be reached right now.",
        "bad_request": "The sign-in request is not valid.",
        "not_found": "Microsoft sign-in is not set up here.",
    },
}

PAGE = """<!doctype html><html lang="{{ lang }}"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t.title }}</title>
<link rel="stylesheet" href="/static/css/auth.css">
{% if office %}<script src="{{ office_js }}"></script>{% endif %}
<script type="application/json" id="sign-in-result">{{ payload | tojson }}</script>
<script src="/static/js/auth/done.js" defer></script>
<body>
{% if error %}<h1>{{ t.failed }}</h1><p>{{ t.get(error.code, error.message) }}</p>
<p><small>{{ error.message }}</small></p><p>{{ t.retry }}</p>
{% elif office %}<p>{{ t.done }}</p>
{% else %}<p>{{ t.browser.format(mailbox=result.mailbox, expires=result.expiresAt) }}</p>
<textarea id="token" readonly rows="6">{{ result.token }}</textarea>
<button type="button" id="copy">{{ t.copy }}</button>{% endif %}
</body></html>"""

# No inline script, no plugins, no base or form tricks. office.js (Outlook dialog only) comes
# from Microsoft's CDN and loads parts of itself from there and from ajax.aspnetcdn.com; it
# sets inline styles. The Outlook dialog may not forbid framing: Office decides how it hosts it.
_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
_CSP_OFFICE = ("default-src 'none'; script-src 'self' https://appsforoffice.microsoft.com "
               "https://ajax.aspnetcdn.com; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "connect-src 'self'; base-uri 'none'; form-action 'none'")


def language() -> str:
    return request.accept_languages.best_match(["de", "en"]) or "de"


def _page(status: int, **context: Any) -> Response:
    lang = language()
    values = {"result": None, "error": None, "origin": "", "office": False, **context}
    payload = {"result": values["result"] or {"error": values["error"]},
               "office": values["office"], "origin": values["origin"]}
    html = render_template_string(PAGE, lang=lang, t=TEXT[lang], office_js=OFFICE_JS,
                                  payload=payload, **values)
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Content-Security-Policy"] = _CSP_OFFICE if values["office"] else _CSP
    private(response)
    return response


def private(response: Response) -> None:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"


def hand_over_code(redirect_uri: str, code: str) -> Response:
    """Thunderbird: send the add-on its one-time code; it fetches the token at /auth/token."""
    response = redirect(f"{redirect_uri}?{urlencode({'code': code})}", code=303)
    private(response)
    return response


def hand_over(client: str, token: str, mailbox: str, expires: datetime, origin: str) -> Response:
    """Give the session token to the Outlook dialog or the browser page that started the sign-in."""
    result = {"token": token, "mailbox": mailbox, "expiresAt": expires.isoformat()}
    return _page(200, result=result, office=client == "outlook", origin=origin)


def refusal(status: int, code: str, message: str, client: str | None) -> Response:
    """An error as a page in the user's language, or as the API's JSON shape if JSON is wanted."""
    error = {"code": code, "message": message}
    if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
        response = Response(json.dumps({"error": {**error, "details": {}}}), status=status,
                            mimetype="application/json")
        private(response)
        return response
    return _page(status, error=error, office=client == "outlook")


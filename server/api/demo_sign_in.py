"""Demo mode's stand-in for Microsoft sign-in, for the Thunderbird add-on.

``/auth/login?client=thunderbird`` shows the demo mailboxes; picking one starts a demo session
and sends the add-on a one-time code exactly as ``/auth/callback`` does after Entra, which the
add-on exchanges at ``POST /auth/token``. Only in demo mode without Entra settings: the page
gives a session to anyone who asks, as ``POST /auth/demo`` does.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, render_template_string

from ..errors import ApiError
from ..sandbox import data
from .auth_pages import hand_over_code, language, private
from .context import services

TEXT = {
    "de": {"title": "Demo-Anmeldung", "lead": "Als welches Demo-Postfach möchten Sie sich anmelden?",
           "note": "Dieser Server läuft im Demo-Modus mit Beispieldaten: ohne Passwort, ohne "
                   "Microsoft-Anmeldung."},
    "en": {"title": "Demo sign-in", "lead": "Which demo mailbox do you want to sign in as?",
           "note": "This server runs in demo mode with sample data: no password, no Microsoft "
                   "sign-in."},
}

_PAGE = """<!doctype html><html lang="{{ lang }}"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t.title }}</title>
<link rel="stylesheet" href="/static/css/auth.css">
<body><h1>{{ t.title }}</h1><p>{{ t.lead }}</p>
<form method="post" action="/auth/demo/thunderbird" class="mailboxes">
<input type="hidden" name="redirect_uri" value="{{ target }}">
{% for m in mailboxes %}<button type="submit" name="mailbox" value="{{ m.email }}">
{{ m.name }} &lt;{{ m.email }}&gt;</button>
{% endfor %}</form>
<p><small>{{ t.note }}</small></p>
</body></html>"""


def available() -> bool:
    settings = services().settings
    return settings.demo and not settings.entra_configured


def _policy(target: str) -> str:
    """No script at all; the form may post here only, and its answer redirects to the add-on."""
    parts = urlsplit(target)
    return ("default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
            f"form-action 'self' {parts.scheme}://{parts.netloc}; frame-ancestors 'none'")


def page(target: str) -> Response:
    """The mailbox picker; ``target`` is the add-on's validated redirect URL."""
    lang = language()
    mailboxes = [{"email": m, "name": data.user_name(m)} for m in data.MAILBOXES]
    html = render_template_string(_PAGE, lang=lang, t=TEXT[lang], target=target,
                                  mailboxes=mailboxes)
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = _policy(target)
    private(response)
    return response


def hand_over(mailbox: str, target: str) -> Response:
    """Start a demo session for ``mailbox`` and redirect the add-on with its one-time code."""
    mailbox = mailbox.strip().lower()
    if mailbox not in data.MAILBOXES:
        raise ApiError(422, "validation_failed", f"Demo mailboxes are {', '.join(data.MAILBOXES)}.",
                       {"mailbox": [mailbox[:100]]})
    svc = services()
    record = svc.sessions.start(f"demo:{mailbox}", mailbox, data.user_name(mailbox), "demo")
    return hand_over_code(target, svc.extras["handover_codes"].issue(record.id, target))

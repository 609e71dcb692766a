"""Routes outside /api/v1: health check, and the demo sign-in and demo mailbox."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template_string

from ..errors import ApiError
from ..sandbox import data
from . import schemas as s
from .context import json_body, services

bp = Blueprint("site", __name__)

_demo_in, _token_out = s.DemoSignInSchema(), s.SessionTokenSchema()


@bp.get("/healthz")
def healthz() -> Any:
    return {"status": "ok"}


def _require_demo() -> None:
    settings = services().settings
    if not settings.demo or settings.entra_configured:
        raise ApiError(404, "not_found", "Demo sign-in exists only in demo mode without Entra ID.")


@bp.post("/auth/demo")
def demo_sign_in() -> Any:
    """Demo mode only: a session token for one of the demo mailboxes, no password."""
    _require_demo()
    mailbox = (json_body(_demo_in).get("mailbox") or data.MAILBOXES[0]).lower()
    if mailbox not in data.MAILBOXES:
        raise ApiError(422, "validation_failed",
                       f"Demo mailboxes are {', '.join(data.MAILBOXES)}.", {"mailbox": [mailbox]})
    token, expires = services().sessions.issue(f"demo:{mailbox}", mailbox, data.user_name(mailbox),
                                               "demo")
    return _token_out.dump({"token": token, "mailbox": mailbox, "expiresAt": expires})


def _owner(mailbox: str) -> str:
    """The person whose demo mailbox it is; "" for the shared one, which belongs to nobody."""
    return data.user_name(mailbox) if mailbox in data.USERS else ""


def _person(pair: tuple[str, str]) -> dict[str, str]:
    return {"name": pair[0], "email": pair[1]}


@bp.get("/demo/messages")
def demo_messages() -> Any:
    _require_demo()
    return {"messages": [
        {"messageId": m.message_id, "subject": m.subject, "from": _person(m.sender),
         "to": [_person(p) for p in m.to], "cc": [_person(p) for p in m.cc], "date": m.date,
         "mailbox": m.mailbox, "mailboxName": _owner(m.mailbox), "folder": m.folder,
         "uid": m.uid, "body": m.body, "shared": m.mailbox == data.SHARED_MAILBOX}
        for m in data.MAILS]}


_RECORD_PAGE = """<!doctype html><html lang="de"><meta charset="utf-8">
<title>{{ title }} – onOffice (Demo)</title>
<body style="font-family:system-ui;margin:2rem"><p>Demo: so öffnet onOffice enterprise den
Datensatz / this is where onOffice enterprise would open the record.</p>
<h1>{{ title }}</h1><p>{{ kind }} #{{ id }}</p></body></html>"""


@bp.get("/demo/records/<any(address, estate):kind>/<int:record_id>")
def demo_record(kind: str, record_id: int) -> Any:
    _require_demo()
    table = {"address": {a.id: f"{a.firstname} {a.surname}" for a in data.ADDRESSES},
             "estate": {e.id: e.title for e in data.ESTATES}}[kind]
    if record_id not in table:
        raise ApiError(404, "not_found", f"No demo {kind} {record_id}.")
    return render_template_string(_RECORD_PAGE, title=table[record_id], kind=kind, id=record_id)

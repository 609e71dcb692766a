"""/api/v1: links, suggestions, search, me."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from .. import address_forms, onoffice
from ..auth import Principal
from ..errors import ApiError, to_api_error
from ..identities import Resolution
from ..linking import LinkRequest
from ..store import AuditEntry
from ..store.outbox import QueuedClick
from ..suggest.service import Suggester
from . import schemas as s
from .context import account, identity, json_body, principal, query, services
from .idempotency import once

bp = Blueprint("api", __name__, url_prefix="/api/v1")

_link_in, _link_out = s.LinkRequestSchema(), s.LinkResultSchema()
_links_q, _links_out = s.LinksQuerySchema(), s.LinksSchema()
_sugg_q, _sugg_out = s.SuggestionsQuerySchema(), s.SuggestionsSchema()
_sugg_body = s.SuggestionsBodySchema()
MAX_SUGGESTION_REQUEST = 1024 * 1024
_search_q, _search_out = s.SearchQuerySchema(), s.SearchResultSchema()
_me_out, _url_out = s.MeSchema(), s.RecordUrlSchema()
_queued_out, _pending_out = s.QueuedSchema(), s.PendingSchema()


@bp.get("/me")
def me() -> Any:
    who = principal()
    return _me_out.dump({"mailbox": who.mailbox, "identity": identity(), "name": who.name})


@bp.get("/links")
def get_links() -> Any:
    args = query(_links_q)
    acct = account(args.get("mailbox"))
    try:
        current = services().links.current(acct, args["messageId"], args.get("folder"),
                                           args.get("uid"))
    except onoffice.TransportError as exc:
        # onOffice is down: still say which clicks of this mail wait, so the pane shows them.
        error = to_api_error(exc)
        error.details["pending"] = _pending(acct.identity, args["messageId"])
        raise error from None
    history = current.history
    return _links_out.dump({
        "messageId": args["messageId"], "folder": current.location.folder,
        "uid": current.location.uid, "mailbox": acct.mailbox,
        "addresses": [_with_author(r, history, "address_id") for r in current.addresses],
        "estates": [_with_author(r, history, "estate_id") for r in current.estates],
        "history": [_history(e) for e in history],
        "pending": _pending(acct.identity, args["messageId"]),
    })


def _pending(identity: str, message_id: str) -> list[dict[str, Any]]:
    return [_pending_out.dump(_pending_item(c))
            for c in services().outbox.pending(identity, message_id)]


def _pending_item(c: QueuedClick) -> dict[str, Any]:
    return {"id": c.id, "at": c.created_at, "by": c.by_mailbox, "action": c.action, **c.form,
            "attempts": c.attempts, "lastError": c.last_error}


def _with_author(record: dict[str, Any], history: list[AuditEntry], key: str) -> dict[str, Any]:
    last = next((e for e in history if e.outcome == "ok" and _linked_by(e, key, record["id"])),
                None)
    return {**record, "linkedBy": last.mailbox if last else None,
            "linkedByName": (last.name or None) if last else None,
            "linkedAt": last.at if last else None}


def _linked_by(e: AuditEntry, key: str, record_id: int) -> bool:
    if key == "address_id" and e.added_ids is not None:
        return record_id in e.added_ids
    return getattr(e, key) == record_id


def _history(e: AuditEntry) -> dict[str, Any]:
    return {"at": e.at, "by": e.mailbox, "byName": e.name, "action": e.action, "addressId": e.address_id,
            "estateId": e.estate_id, "outcome": e.outcome, "errorCode": e.onoffice_code,
            "mailbox": e.in_mailbox or e.mailbox, "addedIds": e.added_ids,
            "removedIds": e.removed_ids}


@bp.post("/links")
def post_link() -> Any:
    body = json_body(_link_in)
    form = address_forms.from_fields(body)
    if form is None and body.get("estateId") is None:
        raise ApiError(422, "validation_failed",
                       "Name an address form (addressId, addressIds, addAddressIds, "
                       "removeAddressIds) or an estateId; with neither, onOffice would report "
                       "success and link nothing.",
                       {"addressId": ["an address form or estateId is required"]})
    if body.get("uid") is not None and body.get("folder") is None:
        # A folder alone is a search hint (Thunderbird knows it); a uid means nothing without one.
        raise ApiError(422, "validation_failed", "A uid needs its folder.",
                       {"uid": ["send the folder with the uid"]})
    who, acct = principal(), account(body.get("mailbox"))
    req = LinkRequest(body["messageId"], form, body.get("estateId"), body.get("folder"),
                      body.get("uid"))
    return once(services().idempotency, who.user_id, body, lambda: _link(who, acct, req))


def _link(who: Principal, acct: Resolution, req: LinkRequest) -> tuple[dict[str, Any], int]:
    done = services().links.link(who, acct, req)
    echo = {"messageId": req.message_id, "identity": acct.identity, "mailbox": acct.mailbox,
            "estateId": None, **req.form()}
    if done.queued is not None:
        return _queued_out.dump({**echo, "status": "queued", "folder": req.folder, "uid": req.uid,
                                 "pending": _pending_item(done.queued)}), 202
    loc = done.location
    assert loc is not None
    return _link_out.dump({**echo, "folder": loc.folder, "uid": loc.uid}), 200


@bp.route("/suggestions", methods=["GET", "POST"])
def suggestions() -> Any:
    own = principal().mailbox  # who asks first: no parsing of a mail's text for strangers
    if request.method == "POST":
        # The body field is cut to 16 KiB, never refused: let a long mail through to be cut.
        request.max_content_length = MAX_SUGGESTION_REQUEST
        args = json_body(_sugg_body)
    else:
        args = query(_sugg_q)
    others = [p for p in args.get("participants", []) if p.lower() != own]
    found = Suggester(services().onoffice).suggest(
        args["from_"], others, args.get("subject") or "", args.get("body") or "", own)
    return _sugg_out.dump(found)


@bp.get("/search")
def search() -> Any:
    args = query(_search_q)
    principal()
    results = services().links.search(args["kind"], args["q"], args["limit"])
    return _search_out.dump({"results": results})


@bp.get("/records/<any(address, estate):kind>/<int:record_id>/url")
def record_url(kind: str, record_id: int) -> Any:
    principal()
    if record_id > s.MAX_ID:  # the route takes any digits; onOffice ids are 32-bit
        raise ApiError(422, "validation_failed", "That is not an onOffice record id.",
                       {"id": [f"must be at most {s.MAX_ID}"]})
    return _url_out.dump({"url": services().onoffice.record_url(kind, record_id)})  # type: ignore[arg-type]

"""GET /api/openapi.json: the OpenAPI document, generated from the marshmallow schemas."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, current_app

from . import schemas as s

bp = Blueprint("openapi", __name__)

_ERRORS = {
    "400": "Body is not JSON", "401": "No or bad token",
    "403": "No onOffice identity, or a shared mailbox without a grant",
    "404": "Message not in the mailbox onOffice reads", "409": "Conflict", "413": "Body too large",
    "422": "Invalid input", "502": "onOffice or the mail server refused",
    "503": "onOffice or the mail server unreachable", "504": "onOffice timed out",
}

# (path, method, summary, query schema, body schema, response schema, authenticated)
_OPERATIONS: list[tuple[str, str, str, Any, Any, Any, bool]] = [
    ("/healthz", "get", "Liveness check", None, None, s.HealthSchema, False),
    ("/api/v1/me", "get", "The signed-in mailbox and its onOffice identity", None, None,
     s.MeSchema, True),
    ("/api/v1/links", "get", "Current links of a mail (onOffice's view and our audit log)",
     s.LinksQuerySchema, None, s.LinksSchema, True),
    ("/api/v1/links", "post", "Link or unlink a mail: estateId (0 unlinks) and at most one address "
     "form: addressId (0 unlinks), addressIds (the whole list), addAddressIds/removeAddressIds",
     None, s.LinkRequestSchema, s.LinkResultSchema, True),
    ("/api/v1/suggestions", "get", "Addresses and estates for the mail's participants",
     s.SuggestionsQuerySchema, None, s.SuggestionsSchema, True),
    ("/api/v1/suggestions", "post", "The same, plus estates named in the mail's plain-text body "
     "(first 16 KiB read, never stored or logged)", None, s.SuggestionsBodySchema,
     s.SuggestionsSchema, True),
    ("/api/v1/addresses", "post", "Create a contact (201); 409 address_exists when one with this "
     "e-mail exists", None, s.NewAddressSchema, s.RecordSchema, True),
    ("/api/v1/recent", "get", "Addresses and estates this user linked lately, newest first",
     None, None, s.RecentSchema, True),
    ("/api/v1/search", "get", "Quick search over addresses or estates", s.SearchQuerySchema,
     None, s.SearchResultSchema, True),
    ("/api/v1/records/{kind}/{id}/url", "get", "A link that opens the record in onOffice",
     None, None, s.RecordUrlSchema, True),
    ("/auth/token", "post", "Thunderbird add-on: exchange the one-time sign-in code (from the "
     "redirect after /auth/callback, valid two minutes, single use) for a session token", None,
     s.TokenRequestSchema, s.SessionTokenSchema, False),
    ("/auth/demo", "post", "Demo mode only: a session token for a demo mailbox", None,
     s.DemoSignInSchema, s.SessionTokenSchema, False),
]

_RECORD_PATH_PARAMS = [
    {"in": "path", "name": "kind", "required": True,
     "schema": {"type": "string", "enum": ["address", "estate"]}},
    {"in": "path", "name": "id", "required": True,
     "schema": {"type": "integer", "minimum": 0, "maximum": s.MAX_ID}},
]


def build_spec(server_url: str) -> dict[str, Any]:
    spec = APISpec(
        title="onOffice mail link", version="1", openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()], servers=[{"url": server_url}],
        info={"description": "Link e-mails to onOffice addresses and estates."},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=s.ErrorSchema)
    for path, method, summary, query, body, response, authed in _OPERATIONS:
        op = _operation(summary, query, body, response, authed)
        if "{kind}" in path:
            op["parameters"] = _RECORD_PATH_PARAMS
        if (path, method) == ("/api/v1/links", "post"):
            _queueing(op)
        spec.path(path=path, operations={method: op})
    return spec.to_dict()


def _queueing(op: dict[str, Any]) -> None:
    """POST /links: the 202 of a click kept in the outbox, and the Idempotency-Key header."""
    op["responses"]["202"] = {
        "description": "onOffice did not answer: the click is kept and applied later, in order",
        "content": {"application/json": {"schema": s.QueuedSchema}}}
    op["parameters"] = [{"in": "header", "name": "Idempotency-Key", "required": False,
                         "description": "one per click; a repeat within 24 h gets the first answer",
                         "schema": {"type": "string", "maxLength": 255}}]


def _operation(summary: str, query: Any, body: Any, response: Any, authed: bool) -> dict[str, Any]:
    ok = "201" if body is s.NewAddressSchema else "200"
    op: dict[str, Any] = {"summary": summary,
                          "responses": {ok: {"description": "OK",
                                                "content": {"application/json": {"schema": response}}}}}
    for status, text in _ERRORS.items():
        op["responses"][status] = {"description": text, "content": {
            "application/json": {"schema": "Error"}}}
    if query is not None:
        op["parameters"] = [{"in": "query", "schema": query}]
    if body is not None:
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": body}}}
    if authed:
        op["security"] = [{"bearer": []}]
    return op


@bp.get("/api/openapi.json")
def openapi_json() -> Any:
    return build_spec(current_app.config["PUBLIC_URL"])

"""/auth/login and /auth/callback: Microsoft sign-in (msal auth-code flow + PKCE) -> session token.

``/auth/login?client=outlook|thunderbird|browser[&redirect_uri=...]`` keeps the msal flow
server-side (single use, ten minutes) and sends the browser to Entra. Entra posts the code
back to ``/auth/callback`` (``response_mode=form_post``); the code is redeemed for an access
token for this API, which is validated like any bearer token, the mailbox is mapped to its
onOffice identity, and a session token is handed to the client that asked for it.

Thunderbird's hand-over never puts the session token in a URL: ``/auth/callback`` redirects
to the add-on's redirect URL with a one-time code (two minutes, single use, tied to that
redirect URL), and the add-on's background script exchanges it at ``POST /auth/token``.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, g, jsonify, redirect, request
from marshmallow import ValidationError

from ..auth.authenticator import BearerValidator
from ..auth.msal_client import EntraClient
from ..auth.redirects import extension_redirect
from ..errors import ApiError, to_api_error
from ..store.auth_flows import AuthFlowStore
from ..store.handover_codes import CodeRefused
from . import auth_pages, demo_sign_in
from .context import json_body, services
from .schemas import SessionTokenSchema, TokenRequestSchema

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__, url_prefix="/auth")

CLIENTS = ("outlook", "thunderbird", "browser")


@bp.errorhandler(Exception)
def _refuse(exc: Exception) -> Response:
    error = to_api_error(exc)
    if error.code == "internal_error":
        log.exception("sign-in failed")
    elif error.status >= 500:
        log.warning("%s: %s", error.code, error.message)
    if request.endpoint == "auth.token":  # an API for the add-on: always the JSON shape
        response = error.response()
        response.headers["Cache-Control"] = "no-store"
        return response
    return auth_pages.refusal(error.status, error.code, error.message, g.get("auth_client"))


def _entra() -> tuple[EntraClient, AuthFlowStore, BearerValidator]:
    svc = services()
    validator = svc.authenticator.entra
    if "entra" not in svc.extras or validator is None:
        raise ApiError(404, "not_found", "Microsoft sign-in is not configured on this server "
                       "(ENTRA_TENANT_ID, ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET).")
    return svc.extras["entra"], svc.extras["auth_flows"], validator


def _redirect_target(client: str, raw: str | None) -> str | None:
    """Thunderbird must name its redirect URL (validated); the other clients must not."""
    if client != "thunderbird" and raw is None:
        return None
    target = extension_redirect(raw) if client == "thunderbird" else None
    if target is None:
        raise ApiError(400, "bad_request", "redirect_uri is required for client=thunderbird and "
                       "must be its https://<id>.extensions.allizom.org/ or http://127.0.0.1 "
                       "redirect URL; other clients send none.")
    return target


def _api_scope() -> str:
    s = services().settings
    return f"{s.app_id_uris[0]}/{s.entra_api_scope}"


@bp.get("/login")
def login() -> Any:
    client = request.args.get("client", "browser")
    if client not in CLIENTS:
        raise ApiError(400, "bad_request", f"client must be one of {', '.join(CLIENTS)}.")
    g.auth_client = client
    target = _redirect_target(client, request.args.get("redirect_uri"))
    if client == "thunderbird" and target and demo_sign_in.available():
        return demo_sign_in.page(target)
    entra, flows, _ = _entra()
    callback = f"{services().settings.public_url}/auth/callback"
    flow = entra.start_sign_in([_api_scope()], callback)
    flows.put(flow, client, target)
    response = redirect(flow["auth_uri"], code=302)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/callback", methods=["GET", "POST"])
def callback() -> Any:
    answer = (request.form if request.method == "POST" else request.args).to_dict()
    entra, flows, validator = _entra()
    pending = flows.take(answer["state"]) if answer.get("state") else None
    if pending is None:
        raise ApiError(400, "sign_in_expired", "This sign-in is unknown, already used or expired; "
                       "please start the sign-in again.")
    g.auth_client = pending.client
    svc = services()
    who = validator.validate(entra.finish_sign_in(pending.flow, answer))
    svc.identities.resolve(who.mailbox)  # refuse now (403) rather than hand out a useless session
    if pending.client == "thunderbird" and pending.redirect_uri:
        record = svc.sessions.start(who.user_id, who.mailbox, who.name, "entra")
        code = svc.extras["handover_codes"].issue(record.id, pending.redirect_uri)
        return auth_pages.hand_over_code(pending.redirect_uri, code)
    token, expires = svc.sessions.issue(who.user_id, who.mailbox, who.name, "entra")
    return auth_pages.hand_over(pending.client, token, who.mailbox, expires,
                                svc.settings.public_url)


@bp.post("/demo/thunderbird")
def demo_thunderbird() -> Any:
    """Demo mode: the mailbox picked on the demo sign-in page -> the add-on's one-time code."""
    g.auth_client = "thunderbird"
    if not demo_sign_in.available():
        raise ApiError(404, "not_found", "Demo sign-in exists only in demo mode without Entra ID.")
    target = _redirect_target("thunderbird", request.form.get("redirect_uri"))
    return demo_sign_in.hand_over(request.form.get("mailbox", ""), target)


_token_in, _token_out = TokenRequestSchema(), SessionTokenSchema()


@bp.post("/token")
def token() -> Any:
    """The Thunderbird add-on exchanges its one-time code for the session token."""
    try:
        body = json_body(_token_in)
    except ValidationError as exc:
        raise ApiError(400, "bad_request", "Send {\"code\": ..., \"redirectUri\": ...} as JSON.",
                       {str(k): v for k, v in exc.messages.items()}
                       if isinstance(exc.messages, dict) else {}) from None
    svc = services()
    try:
        redeemed = svc.extras["handover_codes"].redeem(body["code"], body["redirectUri"])
    except CodeRefused as refused:
        if refused.session_id:  # RFC 6749 §4.1.2: a replayed code ends what it yielded
            svc.sessions.revoke(refused.session_id)
            log.warning("a used sign-in code was presented again; its session is revoked")
        raise ApiError(401, refused.code, refused.message) from None
    token, record = svc.sessions.token_for(redeemed.session_id)
    response = jsonify(_token_out.dump({"token": token, "mailbox": record.mailbox,
                                        "expiresAt": record.expires_at}))
    response.headers["Cache-Control"] = "no-store"
    return response


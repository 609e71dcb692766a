"""/auth/login and /auth/callback: Microsoft sign-in (msal auth-code flow + PKCE) -> session token.

``/auth/login?client=outlook|thunderbird|browser[&redirect_uri=...]`` keeps the msal flow
server-side (single use, ten minutes) and sends the browser to Entra. Entra posts the code
back to ``/auth/callback`` (``response_mode=form_post``); the code is redeemed for an access
token for this API, which is validated like any bearer token, the mailbox is mapped to its
onOffice identity, and a session token is handed to the client that asked for it.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, g, redirect, request

from ..auth.authenticator import BearerValidator
from ..auth.msal_client import EntraClient
from ..auth.redirects import extension_redirect
from ..errors import ApiError, to_api_error
from ..store.auth_flows import AuthFlowStore
from . import auth_pages
from .context import services

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
    return auth_pages.refusal(error.status, error.code, error.message, g.get("auth_client"))


def _entra() -> tuple[EntraClient, AuthFlowStore, BearerValidator]:
    svc = services()
    validator = svc.authenticator.entra
    if "entra" not in svc.extras or validator is None:
        raise ApiError(404, "not_found", "Microsoft sign-in is not configured on this server "
                       "(ENTRA_TENANT_ID, ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET).")
    return svc.extras["entra"], svc.extras["auth_flows"], validator


def _redirect_target(client: str) -> str | None:
    """Thunderbird must name its redirect URL (validated); the other clients must not."""
    raw = request.args.get("redirect_uri")
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
    return f"{s.entra_app_id_uri or f'api://{s.entra_client_id}'}/{s.entra_api_scope}"


@bp.get("/login")
def login() -> Any:
    client = request.args.get("client", "browser")
    if client not in CLIENTS:
        raise ApiError(400, "bad_request", f"client must be one of {', '.join(CLIENTS)}.")
    g.auth_client = client
    target = _redirect_target(client)
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
    token, expires = svc.sessions.issue(who.user_id, who.mailbox, who.name, "entra")
    return auth_pages.hand_over(pending.client, pending.redirect_uri, token, who.mailbox, expires,
                                svc.settings.public_url)


"""``Idempotency-Key`` on POST: a repeat within 24 hours gets the first answer and runs nothing.

The key is scoped to the signed-in user. The same key with another body is a 422
``idempotency_key_reused``; a repeat while the first request still runs waits for its answer,
up to ``WAIT`` seconds, then gets a 409 ``request_in_progress``.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from flask import Response, request

from ..errors import ApiError, to_api_error
from ..store.idempotency import IdempotencyStore, Stored

HEADER = "Idempotency-Key"
MAX_KEY = 255
WAIT = 15.0  # seconds; longer than a click takes when onOffice is slow, shorter than a proxy's limit

Handler = Callable[[], tuple[dict[str, Any], int]]


def once(store: IdempotencyStore, user_id: str, body: dict[str, Any], handler: Handler) -> Response:
    """Run ``handler`` (returning body and status) at most once per key and user."""
    key = request.headers.get(HEADER)
    if key is None:
        return _json(*handler())
    _check(key)
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    stored = store.begin(user_id, key, digest)
    if stored is not None:
        return _repeat(store, user_id, key, digest, stored)
    try:
        payload, status = handler()
    except Exception as exc:
        error = to_api_error(exc)
        if error.code == "internal_error":  # nothing worth repeating: the key may be used again
            store.abandon(user_id, key)
        else:
            store.finish(user_id, key, error.status, json.dumps(_error_body(error)))
        raise
    text = json.dumps(payload)
    store.finish(user_id, key, status, text)
    return _json(payload, status)


def _check(key: str) -> None:
    if not key.strip():
        raise ApiError(400, "bad_request", f"The {HEADER} header is empty.",
                       {HEADER: ["must not be empty"]})
    if len(key) > MAX_KEY:
        raise ApiError(400, "bad_request", f"The {HEADER} header is longer than {MAX_KEY} "
                       "characters.", {HEADER: [f"at most {MAX_KEY} characters"]})


def _repeat(store: IdempotencyStore, user_id: str, key: str, digest: str,
            stored: Stored) -> Response:
    deadline = time.monotonic() + WAIT
    while True:
        if stored.body_hash != digest:
            raise ApiError(422, "idempotency_key_reused",
                           f"This {HEADER} was already used for a different request; send a new "
                           "key for a new click.", {HEADER: ["used with another body"]})
        if stored.status is not None and stored.response is not None:
            resp = Response(stored.response, status=stored.status, mimetype="application/json")
            resp.headers["Idempotent-Replayed"] = "true"
            return resp
        if time.monotonic() > deadline:
            raise ApiError(409, "request_in_progress",
                           "The first request with this Idempotency-Key is still running; "
                           "ask again in a moment.")
        time.sleep(0.05)
        again = store.get(user_id, key)
        if again is None:  # the first request ended without an answer: this one may run it
            raise ApiError(409, "request_in_progress",
                           "The first request with this Idempotency-Key ended without an answer; "
                           "send it again.")
        stored = again


def _error_body(error: ApiError) -> dict[str, Any]:
    return {"error": {"code": error.code, "message": error.message, "details": error.details}}


def _json(payload: dict[str, Any], status: int) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")

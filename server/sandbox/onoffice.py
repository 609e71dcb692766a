"""A sandbox onOffice API: same envelope, HMAC v2 and timestamp checks, documented error codes.

:class:`SandboxOnOffice` is a pure ``handle(body) -> envelope`` plus a WSGI entry point, so
the same object serves demo mode (in-process transport), tests (a real socket) and the
benchmark (a separate process with added latency).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from . import data, handlers
from .handlers import ActionFailed, Matches
from .protocol import CREATE, DO, GET, READ, TIMESTAMP_WINDOW, hmac_matches

RECEIVED_KEPT = 1000  # actions kept for tests to inspect; a long-running demo must not grow
APPLIED_KEPT = 100_000  # links that took effect, kept for the outage tests and the drain bench
DOWN_MODES = {
    "5xx": ("503 Service Unavailable", b"<html><body>503 Service Unavailable</body></html>"),
    "hang": ("504 Gateway Timeout", b"<html><body>504 Gateway Timeout</body></html>"),
    "garbage": ("200 OK", b"<html><body>Wartungsarbeiten</body></html>"),
}


class Received(deque):  # type: ignore[type-arg]
    """A bounded deque that tests may compare with a list (``sandbox.received == []``)."""

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, list):
            return list(self) == other
        return super().__eq__(other)


def _ok(records: list[dict[str, Any]], total: int | None, cacheable: bool) -> dict[str, Any]:
    return {"cacheable": cacheable, "data": {"meta": {"cntabsolute": total}, "records": records},
            "status": {"errorcode": 0, "message": "OK"}}


def _cacheable(action: dict[str, Any]) -> bool:
    # Docs: "all API calls of the type read or get are cacheable"; the search example says false.
    return action.get("actionid") in (READ, GET) and action.get("resourcetype") != "search"


class SandboxOnOffice:
    """An onOffice API user (token + secret) with the sample brokerage's data."""

    def __init__(
        self,
        token: str,
        secret: str,
        *,
        clock: Callable[[], float] = time.time,
        latency: float = 0.0,
        link_base: str = "https://sandbox.onoffice.invalid",
    ):
        self.token, self._secret = token, secret
        self.clock, self.latency, self.link_base = clock, latency, link_base.rstrip("/")
        self.addresses = {a.id: a for a in data.ADDRESSES}
        self.estates = {e.id: e for e in data.ESTATES}
        self.mails = list(data.MAILS)
        # Which mailbox onOffice reads under each e-mail identity the API user has; a brokerage
        # may name identities differently from mailboxes (tests add such pairs).
        self.identities: dict[str, str] = {m: m for m in (*data.MAILBOXES, data.SHARED_MAILBOX)}
        # False acts like an onOffice API from before 05/2024, which refuses addressIds.
        self.address_lists = True
        self.links: dict[tuple[str, str], dict[str, Any]] = {}
        # The newest actions that arrived, for tests to inspect.
        self.received = Received(maxlen=RECEIVED_KEPT)
        # Links that took effect: (mailbox, Message-ID, the parameters that set it).
        self.applied = Received(maxlen=APPLIED_KEPT)
        self.mode = "up"
        self._back_up = threading.Event()
        self.address_write_right = True  # tests take it away to see onOffice's rights error
        self._next_address_id = max(self.addresses) + 1
        self._lock = threading.Lock()
        self._handlers = self._handler_table()

    def take_address_id(self) -> int:
        new_id, self._next_address_id = self._next_address_id, self._next_address_id + 1
        return new_id

    def __repr__(self) -> str:
        return f"SandboxOnOffice(token={self.token[:4]}…, mails={len(self.mails)})"

    # -- WSGI ------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        """Switch the whole API off and on, as an outage looks from outside (tests, bench).

        ``up``; ``5xx``: HTTP 503 with an HTML page, as a load balancer answers; ``hang``: no
        answer until switched back up (then a 504 page, nothing applied); ``garbage``: HTTP 200
        with a body that is not onOffice's envelope.
        """
        if mode not in DOWN_MODES and mode != "up":
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        if mode == "up":
            self._back_up.set()
        else:
            self._back_up.clear()

    def _down(self, mode: str, start_response: Callable[..., Any]) -> list[bytes]:
        if mode == "hang":
            self._back_up.wait(60)
        status, body = DOWN_MODES[mode]
        start_response(status, [("Content-Type", "text/html"), ("Content-Length", str(len(body)))])
        return [body]

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        if self.mode != "up":
            return self._down(self.mode, start_response)
        if environ.get("REQUEST_METHOD") != "POST":
            body = self.envelope_error(500, 9, "Request method must be POST")
        else:
            size = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(size) if size else b""
            try:
                body = self.handle(json.loads(raw))
            except (ValueError, UnicodeDecodeError):
                body = self.envelope_error(500, 5, "Request is not valid JSON")
        if self.latency:
            time.sleep(self.latency)
        payload = json.dumps(body).encode()
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(payload)))])
        return [payload]

    # -- the envelope ----------------------------------------------------------------

    @staticmethod
    def envelope_error(code: int, errorcode: int, message: str) -> dict[str, Any]:
        return {"status": {"code": code, "errorcode": errorcode, "message": message}}

    def handle(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("request"), dict):
            return self.envelope_error(500, 13, "Missing element: request")
        if body.get("token") != self.token:
            return self.envelope_error(400, 22, "not authenticated")
        actions = body["request"].get("actions")
        if not isinstance(actions, list) or not actions:
            return self.envelope_error(500, 9, "Empty request")
        results = [self._action(a) for a in actions]
        failed = any(r["status"]["errorcode"] for r in results)
        top = {"code": 200, "errorcode": 97 if failed else 0,
               "message": "Error in action" if failed else "OK"}
        return {"status": top, "response": {"results": results}}

    def _action(self, action: Any) -> dict[str, Any]:
        if not isinstance(action, dict):
            return self._failed({}, 13, "Action is not an object")
        with self._lock:
            self.received.append(action)
        try:
            self._authenticate(action)
            handler = self._handlers.get((action.get("actionid"), action.get("resourcetype")))
            if handler is None:
                raise ActionFailed(24, "No configuration for this actionId and resourceType")
            params = action.get("parameters")
            if params == []:  # PHP's json_encode of an empty array: what the SDK sends for "none"
                params = {}
            if not isinstance(params, dict):
                raise ActionFailed(167, "parameters must be an object")
            with self._lock:
                answer = handler(str(action.get("resourceid") or ""), params)
        except ActionFailed as exc:
            return self._failed(action, exc.code, exc.message)
        records, total = (answer.records, answer.total) if isinstance(answer, Matches) else (answer, None)
        return {**self._echo(action), **_ok(records, total, _cacheable(action))}

    def _authenticate(self, action: dict[str, Any]) -> None:
        if str(action.get("hmac_version")) != "2":
            raise ActionFailed(137, "HMAC invalid (only hmac_version 2 is accepted here)")
        stamp = action.get("timestamp")
        if not isinstance(stamp, int) or abs(self.clock() - stamp) > TIMESTAMP_WINDOW:
            raise ActionFailed(136, "Timestamp is too old or the server time is wrong")
        ok = hmac_matches(action.get("hmac"), self._secret, stamp, self.token,
                          str(action.get("resourcetype", "")), str(action.get("actionid", "")))
        if not ok:
            raise ActionFailed(137, "HMAC invalid")

    @staticmethod
    def _echo(action: dict[str, Any]) -> dict[str, Any]:
        return {k: action.get(k, "") for k in ("actionid", "resourceid", "resourcetype", "identifier")}

    def _failed(self, action: dict[str, Any], code: int, message: str) -> dict[str, Any]:
        # As onOffice does for a bad HMAC: data is an empty list, the action carries the code.
        return {**self._echo(action), "cacheable": False, "data": [],
                "status": {"errorcode": code, "message": message}}

    def _handler_table(self) -> dict[tuple[str, str], Callable[[str, dict[str, Any]], Any]]:
        return {
            (DO, "emailassignments"): lambda _r, p: handlers.link(self, p),
            (GET, "emailInfo"): lambda _r, p: handlers.email_info(self, p),
            (GET, "search"): lambda r, p: handlers.search(self, r, p),
            (READ, "address"): lambda _r, p: handlers.read_addresses(self, p),
            (READ, "estate"): lambda r, p: handlers.read_estates(self, r, p),
            (CREATE, "address"): lambda _r, p: handlers.create_address(self, p),
            (GET, "users"): lambda _r, p: handlers.own_user(self, p),
            (GET, "getlink"): lambda r, p: handlers.get_link(self, r, p),
        }

"""The onOffice API client: one signed POST per batch of actions, answers checked in layers.

The client takes an ``httpx`` transport, so tests hand it the sandbox (over a socket or
in-process); it never reads the environment and imports nothing from Flask.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from . import actions as act
from .errors import (
    AddressListUnsupported,
    APIError,
    AuthenticationError,
    BadResponse,
    ConnectError,
    InvalidRequest,
    OnOfficeError,
    Timeout,
    TransportError,
    api_error,
)
from .signing import HMAC_VERSION, hmac_v2

log = logging.getLogger(__name__)

Clock = Callable[[], float]


@dataclass(frozen=True)
class Record:
    id: Any
    type: str
    elements: dict[str, Any]


@dataclass(frozen=True)
class Result:
    """One action's answer; ``error`` is set when onOffice refused that action alone."""

    action: act.Action
    records: list[Record]
    error: APIError | None = None

    def unwrap(self) -> list[Record]:
        if self.error is not None:
            raise self.error
        return self.records


@dataclass(frozen=True)
class EmailLinks:
    addresses: list[dict[str, Any]]
    estates: list[dict[str, Any]]


class OnOfficeClient:
    """Talks to one onOffice API endpoint with one API user's token and secret."""

    def __init__(
        self,
        url: str,
        token: str,
        secret: str,
        *,
        transport: httpx.BaseTransport | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 20.0,
        verify: ssl.SSLContext | bool = True,
        clock: Clock = time.time,
        read_retries: int = 2,
        retry_pause: float = 0.2,
    ):
        self.url = url
        self._token = token
        self._secret = secret
        self._clock = clock
        self._read_retries = read_retries
        self._retry_pause = retry_pause
        self.read_timeout, self.connect_timeout = read_timeout, connect_timeout
        self._http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            verify=verify,
            follow_redirects=False,  # a redirect is reported, never followed with our token
            trust_env=False,
            headers={"Accept": "application/json"},
        )

    def __repr__(self) -> str:
        return f"OnOfficeClient(url={self.url!r})"

    def close(self) -> None:
        self._http.close()

    # -- typed calls ---------------------------------------------------------------

    def link_email(self, identity: str, message_id: str, folder: str, uid: int, **ids: Any) -> None:
        """Set or clear links; raises unless onOffice reports ``success``."""
        try:
            records = self.call_one(act.link_email(identity, message_id, folder, uid, **ids))
        except InvalidRequest as exc:
            if ids.get("address_ids") is None or exc.code in act.ADDRESS_IDS_CODES:
                raise
            raise AddressListUnsupported.from_error(exc) from None
        if not any(r.elements.get("success") == "success" for r in records):
            raise BadResponse("onOffice did not confirm the link (no 'success' record)")

    def email_links(self, identity: str, message_id: str, folder: str, uid: int) -> EmailLinks:
        records = self.call_one(act.email_info(identity, message_id, folder, uid))
        elements = records[0].elements if records else {}
        return EmailLinks(
            addresses=list(elements.get("addresses") or []),
            estates=list(elements.get("estates") or []),
        )

    def search(self, kind: act.RecordKind, text: str, limit: int = 10) -> list[Record]:
        return self.call_one(act.search(kind, text, limit))

    def addresses_by_email(self, email: str, limit: int = 10) -> list[Record]:
        return self.call_one(act.addresses_by_email(email, limit))

    def create_address(self, fields: dict[str, str], email: str, phone: str = "") -> int:
        """A new address; answers its record id."""
        records = self.call_one(act.create_address(fields, email, phone))
        try:
            return int(records[0].id)
        except (IndexError, TypeError, ValueError):
            raise BadResponse("onOffice did not answer the new address's id") from None

    def read_estates(self, ids: Sequence[int]) -> list[Record]:
        return self.call_one(act.read_estates(ids)) if ids else []

    def own_user(self) -> Record:
        records = self.call_one(act.own_user())
        if not records:
            raise BadResponse("onOffice returned no user for 'users get onlyOwn'")
        return records[0]

    def record_url(self, kind: act.RecordKind, record_id: int) -> str:
        records = self.call_one(act.record_link(kind, record_id))
        url = records[0].elements.get("url") if records else None
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise BadResponse("onOffice returned no link for the record")
        return url

    # -- the envelope --------------------------------------------------------------

    def call_one(self, action: act.Action) -> list[Record]:
        return self.call([action])[0].unwrap()

    def call(self, batch: Sequence[act.Action]) -> list[Result]:
        """Send actions in one POST; results are matched to actions by position.

        Reads are retried on transport errors, all attempts within one deadline of the read
        timeout, so a hanging onOffice costs a request about one timeout, not three. A write is
        sent once: after a timeout onOffice may have applied it (the outbox decides what next).
        """
        if not batch:
            return []
        retry = all(a.retry_safe for a in batch)
        deadline = time.monotonic() + self.read_timeout
        for attempt in range(1, 2 + (self._read_retries if retry else 0)):
            left = deadline - time.monotonic() if retry else None
            try:
                return self._results(self._post(batch, left), batch)
            except TransportError as exc:
                pause = self._retry_pause * attempt
                if attempt > self._read_retries or not retry or deadline - time.monotonic() < pause + 0.05:
                    raise
                log.warning("onOffice %s, retrying (%d/%d)", exc.message, attempt, self._read_retries)
                time.sleep(pause)
        raise AssertionError("unreachable")

    def _sign(self, action: act.Action) -> dict[str, Any]:
        timestamp = int(self._clock())  # read once: the same value is sent and signed
        return {
            "actionid": action.actionid,
            "resourceid": action.resourceid,
            "identifier": action.identifier,
            "resourcetype": action.resourcetype,
            "timestamp": timestamp,
            "hmac_version": HMAC_VERSION,
            "hmac": hmac_v2(
                self._token, self._secret, timestamp, action.resourcetype, action.actionid
            ),
            "parameters": action.parameters,
        }

    def _post(self, batch: Sequence[act.Action], left: float | None = None) -> dict[str, Any]:
        """One POST; ``left`` caps its time limits to what is left of the request's deadline."""
        body = {"token": self._token, "request": {"actions": [self._sign(a) for a in batch]}}
        what = ", ".join(a.describe() for a in batch)
        started = time.perf_counter()
        timeout: Any = httpx.USE_CLIENT_DEFAULT
        if left is not None:
            left = max(left, 0.05)
            timeout = httpx.Timeout(min(self.read_timeout, left),
                                    connect=min(self.connect_timeout, left))
        try:
            response = self._http.post(self.url, json=body, timeout=timeout)
        except httpx.TimeoutException as exc:
            raise Timeout(f"onOffice did not answer in time ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise ConnectError(f"could not reach onOffice at {self.url}: {type(exc).__name__}") from None
        elapsed = (time.perf_counter() - started) * 1000
        log.info("onOffice %s -> HTTP %d in %.0f ms", what, response.status_code, elapsed)
        return _parse_envelope(response)

    def _results(self, envelope: dict[str, Any], batch: Sequence[act.Action]) -> list[Result]:
        _check_top_status(envelope)
        results = (envelope.get("response") or {}).get("results")
        if not isinstance(results, list):
            raise BadResponse("onOffice answer has no response.results list")
        if len(results) != len(batch):
            raise BadResponse(f"onOffice returned {len(results)} results for {len(batch)} actions")
        return [_result(action, raw) for action, raw in zip(batch, results, strict=True)]


def _parse_envelope(response: httpx.Response) -> dict[str, Any]:
    if response.is_redirect:
        target = response.headers.get("location", "?")
        raise BadResponse(f"onOffice redirected to {target}; set ONOFFICE_API_URL to that URL")
    try:
        data = response.json()
    except ValueError:
        raise BadResponse(
            f"onOffice answered HTTP {response.status_code} without JSON"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("status"), dict):
        raise BadResponse(f"onOffice answered HTTP {response.status_code} without a status")
    return data


def _check_top_status(envelope: dict[str, Any]) -> None:
    status = envelope["status"]
    code, errorcode = _int(status.get("code")), _int(status.get("errorcode"))
    message = str(status.get("message") or "")
    if code == 400:
        raise AuthenticationError(errorcode or 22, message or "not authenticated",
                                  hint="Check ONOFFICE_API_TOKEN and ONOFFICE_API_SECRET.")
    if errorcode not in (0, 97):  # 97 = "error in action": the per-action statuses say which
        raise api_error(errorcode, message or "request refused")
    if code not in (200, 0) and errorcode == 0:
        raise BadResponse(f"onOffice status code {code}: {message}")


def _result(action: act.Action, raw: Any) -> Result:
    if not isinstance(raw, dict):
        raise BadResponse("onOffice result is not an object")
    status = raw.get("status") or {}
    errorcode = _int(status.get("errorcode"))
    if errorcode:
        error = api_error(errorcode, str(status.get("message") or ""), action.describe())
        return Result(action, [], error)
    data = raw.get("data") or {}
    records = data.get("records") if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise BadResponse(f"onOffice result for {action.describe()} has no records list")
    return Result(action, [_record(r) for r in records])


def _record(raw: Any) -> Record:
    if not isinstance(raw, dict):
        raise BadResponse("onOffice record is not an object")
    elements = raw.get("elements")
    return Record(raw.get("id"), str(raw.get("type") or ""), elements if isinstance(elements, dict) else {})


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


__all__ = ["EmailLinks", "OnOfficeClient", "OnOfficeError", "Record", "Result"]

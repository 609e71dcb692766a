"""Suggestions for one mail: addresses of everyone on it, estates its subject and body name.

Everything is asked in one batched onOffice POST: one address read per e-mail address and
one estate quick search per reference. The body is only read here, never kept or logged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import records
from ..onoffice import OnOfficeClient, Record
from ..onoffice import actions as act
from .mailtext import Reference, body_emails, body_references, subject_references

MAX_EMAILS = 10
MAX_ESTATE_SEARCHES = 8
PER_SEARCH = 5


@dataclass(frozen=True)
class _Ask:
    action: act.Action
    reason: dict[str, str]
    ref: Reference | None = None


class Suggester:
    def __init__(self, client: OnOfficeClient):
        self._client = client

    def suggest(self, sender: str, participants: Iterable[str], subject: str,
                body: str = "", own: str = "") -> dict[str, Any]:
        """``own``: the signed-in mailbox, never suggested as a contact."""
        asks = _address_asks(sender, participants, body_emails(body), own) + _estate_asks(subject,
                                                                                         body)
        results = self._client.call([a.action for a in asks])
        found = [(ask, r) for ask, r in zip(asks, results, strict=True) if r.error is None]
        if results and not found:
            raise results[0].error  # type: ignore[misc]
        addresses: dict[int, dict[str, Any]] = {}
        estates: dict[int, dict[str, Any]] = {}
        for ask, result in found:
            for rec in result.records:
                if ask.ref is None:
                    addresses.setdefault(int(rec.id), {**records.from_address_read(rec),
                                                       "reason": ask.reason})
                elif _is_named(ask.ref, rec):
                    estates.setdefault(int(rec.id), {**records.from_search(rec), "reason": ask.reason})
        return {"addresses": list(addresses.values()), "estates": list(estates.values())}


def _address_asks(sender: str, participants: Iterable[str], named: Iterable[str],
                  own: str) -> list[_Ask]:
    asks: list[_Ask] = []
    seen: set[str] = {own.strip().lower()} - {""}
    people = [("sender", sender), *(("participant", p) for p in participants),
              *(("body", e) for e in named)]
    for kind, email in people:
        key = (email or "").strip().lower()
        if key and key not in seen and len(asks) < MAX_EMAILS:
            seen.add(key)
            asks.append(_Ask(act.addresses_by_email(key, limit=5), {"kind": kind, "text": key}))
    return asks


def _estate_asks(subject: str, body: str) -> list[_Ask]:
    asks: list[_Ask] = []
    seen: set[str] = set()
    tagged: Sequence[tuple[str, list[Reference]]] = (
        ("subject", subject_references(subject)), ("body", body_references(body, subject)))
    for kind, refs in tagged:
        for ref in refs:
            if ref.query.casefold() in seen or len(asks) >= MAX_ESTATE_SEARCHES:
                continue
            seen.add(ref.query.casefold())
            asks.append(_Ask(act.search("estate", ref.query, limit=PER_SEARCH),
                             {"kind": kind, "text": ref.text}, ref))
    return asks


def _is_named(ref: Reference, rec: Record) -> bool:
    """The quick search matches loosely (substrings, any field); keep what the mail really names."""
    e = rec.elements
    return ref.matches(str(e.get("externalestateno") or ""), str(e.get("street") or ""),
                       str(e.get("houseno") or ""))

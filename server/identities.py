"""Which onOffice e-mail identity a mailbox may act under: IDENTITY_MAP, then IDENTITY_PATTERN.

The client never names an identity; it is always derived here from the signed-in mailbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


class IdentityNotMapped(LookupError):
    def __init__(self, mailbox: str):
        super().__init__(mailbox)
        self.mailbox = mailbox


class IdentityMapError(ValueError):
    """The identity map file is malformed; the message names file and line."""


@dataclass(frozen=True)
class Resolution:
    mailbox: str
    identity: str
    source: str  # "map file line N", "pattern {…}"


def normalize_mailbox(mailbox: str) -> str:
    return mailbox.strip().lower()


def parse_identity_map(path: Path) -> dict[str, tuple[str, int]]:
    """Read ``mailbox = identity`` lines; ``#`` starts a comment."""
    entries: dict[str, tuple[str, int]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise IdentityMapError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        mailbox, sep, identity = (part.strip() for part in text.partition("="))
        if not sep or not _ADDRESS.fullmatch(mailbox) or not _ADDRESS.fullmatch(identity):
            raise IdentityMapError(f"{path}:{number}: expected 'mailbox@domain = identity@domain'")
        key = normalize_mailbox(mailbox)
        if key in entries:
            raise IdentityMapError(f"{path}:{number}: {mailbox} is mapped twice")
        entries[key] = (identity, number)
    return entries


class IdentityResolver:
    def __init__(self, map_path: Path | None, pattern: str):
        self._path = map_path
        self._pattern = pattern
        self._entries = parse_identity_map(map_path) if map_path else {}

    def resolve(self, mailbox: str) -> Resolution:
        key = normalize_mailbox(mailbox)
        if key in self._entries:
            identity, line = self._entries[key]
            return Resolution(key, identity, f"{self._path} line {line}")
        local, _, domain = key.partition("@")
        if self._pattern and local and domain:
            identity = self._pattern.format(mailbox=key, local=local, domain=domain)
            return Resolution(key, identity, f"IDENTITY_PATTERN {self._pattern}")
        raise IdentityNotMapped(key)

"""Who may act in which shared or delegated mailbox: the SHARED_MAILBOXES file.

One ``shared@domain = user@domain, other@domain, *@domain`` a line, ``#`` comments.
Addresses compare case-insensitively; ``*@domain`` grants everyone of that domain. Plain
Python, no Flask: the API asks :meth:`SharedMailboxes.allows` before anything is looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .identities import normalize_mailbox

# ASCII only: a look-alike letter (Cyrillic "а") must never match a grant or reach IMAP.
ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_WILDCARD = re.compile(r"\*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


class SharedMailboxesError(ValueError):
    """The file is malformed; the message names file and line."""


@dataclass(frozen=True)
class Grant:
    shared: str
    members: tuple[str, ...]  # lower-case addresses and "*@domain" entries
    line: int


@dataclass(frozen=True)
class SharedMailboxes:
    path: Path | None = None
    grants: dict[str, Grant] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> SharedMailboxes:
        return cls(path, parse_shared_mailboxes(path)) if path else cls()

    @classmethod
    def demo(cls, shared: str, domain: str) -> SharedMailboxes:
        """Demo mode without a file: everyone of the demo domain may use the demo's shared inbox."""
        return cls(None, {shared: Grant(shared, (f"*@{domain}",), 0)})

    def allows(self, user: str, shared: str) -> bool:
        grant = self.grants.get(normalize_mailbox(shared))
        if grant is None:
            return False
        user = normalize_mailbox(user)
        domain = user.rpartition("@")[2]
        return user in grant.members or f"*@{domain}" in grant.members

    def line_to_add(self, user: str, shared: str) -> str:
        """The line an admin would write so that ``user`` may act in ``shared``."""
        shared, user = normalize_mailbox(shared), normalize_mailbox(user)
        grant = self.grants.get(shared)
        members = [*grant.members, user] if grant else [user]
        return f"{shared} = {', '.join(members)}"

    def granted_to(self, user: str) -> list[str]:
        return sorted(s for s in self.grants if self.allows(user, s))


def parse_shared_mailboxes(path: Path) -> dict[str, Grant]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SharedMailboxesError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    grants: dict[str, Grant] = {}
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        shared, sep, rest = (part.strip() for part in text.partition("="))
        members = [m.strip() for m in rest.split(",")]
        if not sep or not ADDRESS.fullmatch(shared) or not all(members) or not all(
                ADDRESS.fullmatch(m) or _WILDCARD.fullmatch(m) for m in members):
            raise SharedMailboxesError(
                f"{path}:{number}: expected 'shared@domain = user@domain, other@domain, *@domain'")
        key = normalize_mailbox(shared)
        if key in grants:
            raise SharedMailboxesError(f"{path}:{number}: {shared} is listed twice "
                                       f"(first on line {grants[key].line}); join the lines")
        grants[key] = Grant(key, tuple(dict.fromkeys(normalize_mailbox(m) for m in members)),
                            number)
    return grants

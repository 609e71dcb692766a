"""Message-ID validation: the one gate every Message-ID passes before it goes anywhere.

Only the RFC 5322 ``<id-left@id-right>`` shape of printable ASCII is accepted, so a
Message-ID can never smuggle a header, an IMAP command or a NUL into another system.
"""

from __future__ import annotations

import re

MAX_LENGTH = 998  # RFC 5322 line length limit
_SHAPE = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")  # printable ASCII without '<', '>' and space


class InvalidMessageId(ValueError):
    """The Message-ID is malformed; the message says what is wrong."""


def normalize_message_id(raw: str) -> str:
    """Return the Message-ID with angle brackets, or raise :class:`InvalidMessageId`."""
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidMessageId("messageId is empty")
    if any(c in raw for c in "\r\n\x00"):
        raise InvalidMessageId("messageId contains a line break or NUL character")
    if len(raw) > MAX_LENGTH:
        raise InvalidMessageId(f"messageId is longer than {MAX_LENGTH} characters")
    value = raw.strip()
    if value.lower().startswith("md5:"):
        # Thunderbird invents md5:… ids for mails without a Message-ID header.
        raise InvalidMessageId("this message has no Message-ID, so it cannot be linked")
    if not value.startswith("<") and not value.endswith(">"):
        value = f"<{value}>"  # Thunderbird hands out the id without its brackets
    if len(value) > MAX_LENGTH or not _SHAPE.fullmatch(value):
        raise InvalidMessageId("messageId is not of the form <id@domain>")
    return value

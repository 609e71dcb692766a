"""One logged-in IMAP connection and the three commands a lookup needs: LIST, EXAMINE + SEARCH, FETCH.

IMAPClient does the connection, login, LIST and FETCH. EXAMINE and ``UID SEARCH`` are sent
*pipelined* (RFC 3501 §5.5) through IMAPClient's underlying imaplib object, so that looking
in one folder costs one round trip plus one for the confirming FETCH. Pipelining them is safe:
a failed EXAMINE leaves no mailbox selected (RFC 3501 §6.3.1), so the SEARCH behind it fails
instead of searching some other folder. Every argument is quoted by imaplib's own ``_quote``
(IMAPClient would send a Message-ID without quotes as an atom, which breaks on ``(``, ``%``, ``{``).
"""

from __future__ import annotations

import contextlib
import imaplib
import socket
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32

from imapclient import IMAPClient

MAX_CONFIRM = 50  # HEADER search is a substring match; never fetch more candidates than this
_HEADER_ITEM = b"BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"
_HEADER_KEY = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"
_NOT_SELECTABLE = {"\\noselect", "\\nonexistent"}


class ServerError(Exception):
    """The server answered a lookup command with BAD or NO where it should not."""


@dataclass(frozen=True)
class Folder:
    name: str  # as the server spells it: modified UTF-7, its own delimiter
    delimiter: str | None
    flags: frozenset[str]  # lower-cased, e.g. "\\sent", "\\noselect"

    @property
    def selectable(self) -> bool:
        return not self.flags & _NOT_SELECTABLE


@dataclass(frozen=True)
class Hit:
    folder: str
    uid: int
    uidvalidity: int | None


class ImapSession:
    """Wraps a logged-in :class:`IMAPClient`; not thread-safe (the pool hands it to one user)."""

    def __init__(self, client: IMAPClient):
        client.folder_encode = False  # keep names exactly as the server spells them
        self.client = client
        _no_delay(client)

    def close(self) -> None:
        # shutdown() closes the socket without a LOGOUT round trip: the server copes.
        self.client.shutdown()

    def list_folders(self) -> list[Folder]:
        return [Folder(_text(name), _text(delim) if delim else None,
                       frozenset(_text(f).lower() for f in flags))
                for flags, delim, name in self.client.list_folders()]

    def find(self, folder: str, message_id: str) -> Hit | None:
        """The confirmed UID of ``message_id`` in ``folder``; None when absent or not selectable."""
        found = self._examine_and_search(folder, message_id)
        if found is None:
            return None
        uidvalidity, uids = found
        uid = self._confirm(uids, message_id) if uids else None
        return Hit(folder, uid, uidvalidity) if uid is not None else None

    def _examine_and_search(self, folder: str, message_id: str) -> tuple[int | None, list[int]] | None:
        imap = self.client._imap
        imap.untagged_responses = {}  # as imaplib's select() does: start from a clean slate
        examine = imap._command("EXAMINE", imap._quote(folder))
        imap.state, imap.is_readonly = "SELECTED", True
        search = imap._command("UID", "SEARCH", "HEADER", "Message-ID", imap._quote(message_id))
        try:
            typ, _ = imap._command_complete("EXAMINE", examine)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error:  # BAD: a name this server cannot parse; same as absent
            typ = "BAD"
        try:
            s_typ, s_data = imap._command_complete("UID", search)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error as exc:  # BAD: expected after a failed EXAMINE
            if typ == "OK":
                raise ServerError(f"SEARCH failed in {folder}: {exc}") from None
            s_typ = "BAD"
        if typ != "OK":
            imap.state = "AUTH"
            return None
        if s_typ != "OK":
            raise ServerError(f"SEARCH refused in {folder}: {s_typ}")
        _, lines = imap._untagged_response(s_typ, s_data, "SEARCH")
        uids = sorted({int(n) for line in lines if line for n in line.split()})
        return _uidvalidity(imap), uids

    def _confirm(self, uids: list[int], message_id: str) -> int | None:
        """The lowest UID whose Message-ID header equals ``message_id`` exactly."""
        fetched = self.client.fetch(uids[:MAX_CONFIRM], [_HEADER_ITEM])
        for uid in sorted(fetched):
            raw = fetched[uid].get(_HEADER_KEY) or b""
            values = BytesHeaderParser(policy=compat32).parsebytes(raw).get_all("Message-ID") or []
            if any("".join(str(v).split()) == message_id for v in values):
                return uid
        return None


def _uidvalidity(imap: imaplib.IMAP4) -> int | None:
    values = imap.untagged_responses.get("UIDVALIDITY") or []
    try:
        return int(values[-1])
    except (IndexError, TypeError, ValueError):
        return None


def _text(value: bytes | str | int) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")  # mUTF-7 is ASCII; UTF8=ACCEPT is not enabled
    return str(value)


def _no_delay(client: IMAPClient) -> None:
    # Pipelined commands go out as two small writes; without TCP_NODELAY, Nagle would hold
    # the second until the first is acknowledged and undo the saved round trip.
    with contextlib.suppress(OSError):
        client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

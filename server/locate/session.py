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
        self._uidvalidity: int | None = None  # of the folder examined last
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
        uids = self._select_and_search(folder, message_id)
        if uids is None:
            return None
        uid = self._confirm(uids, message_id) if uids else None
        return Hit(folder, uid, self._uidvalidity) if uid is not None else None

    def _select_and_search(self, folder: str, message_id: str) -> list[int] | None:
        """One round trip: EXAMINE + UID SEARCH, pipelined. None if not selectable.

        EXAMINE even when ``folder`` is still selected from the last lookup: a SEARCH sees
        only mail the session was told about, and the mail being linked usually arrived
        since. Pipelining NOOP instead does not help: Dovecot runs the SEARCH alongside the
        NOOP, before NOOP's sync (tests/imap/test_locator.py shows the miss).
        """
        imap = self.client._imap
        imap.untagged_responses = {}  # as imaplib's select() does: start from a clean slate
        examine = imap._command("EXAMINE", imap._quote(folder))
        imap.state, imap.is_readonly = "SELECTED", True
        search = imap._command("UID", "SEARCH", "HEADER", "Message-ID", imap._quote(message_id))
        typ = _complete(imap, examine)
        s_typ, s_data = _complete_search(imap, search, folder, first_ok=typ == "OK")
        if typ != "OK":
            imap.state = "AUTH"  # a failed EXAMINE leaves no mailbox selected
            return None
        self._uidvalidity = _uidvalidity(imap)
        if s_typ != "OK":
            raise ServerError(f"SEARCH refused in {folder}: {s_typ}")
        _, lines = imap._untagged_response(s_typ, s_data, "SEARCH")
        return sorted({int(n) for line in lines if line for n in line.split()})

    def _confirm(self, uids: list[int], message_id: str) -> int | None:
        """The lowest UID whose Message-ID header equals ``message_id`` exactly."""
        fetched = self.client.fetch(uids[:MAX_CONFIRM], [_HEADER_ITEM])
        for uid in sorted(fetched):
            raw = fetched[uid].get(_HEADER_KEY) or b""
            values = BytesHeaderParser(policy=compat32).parsebytes(raw).get_all("Message-ID") or []
            if any("".join(str(v).split()) == message_id for v in values):
                return uid
        return None


def _complete(imap: imaplib.IMAP4, tag: bytes) -> str:
    try:
        return imap._command_complete("EXAMINE", tag)[0]
    except imaplib.IMAP4.abort:
        raise
    except imaplib.IMAP4.error:  # BAD: a name this server cannot parse; same as absent
        return "BAD"


def _complete_search(imap: imaplib.IMAP4, tag: bytes, folder: str, first_ok: bool) -> tuple[str, list]:
    try:
        return imap._command_complete("UID", tag)
    except imaplib.IMAP4.abort:
        raise
    except imaplib.IMAP4.error as exc:  # BAD is expected only behind a failed EXAMINE
        if first_ok:
            raise ServerError(f"SEARCH failed in {folder}: {exc}") from None
        return "BAD", []


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

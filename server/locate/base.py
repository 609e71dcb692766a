"""The locator interface and its errors.

    LocateError
    ├── MessageNotFound         no folder of the mailbox holds that Message-ID
    ├── LocationRequired        no server-side lookup here, and the client sent no folder/uid
    ├── MailServerUnreachable   the IMAP server did not answer
    └── MailServerRefused       the IMAP server refused our login (a setup problem, not the user's)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Location:
    folder: str  # as the server spells it (modified UTF-7, its own delimiter)
    uid: int
    uidvalidity: int | None = None
    source: str = "client"  # "client", "imap", "sandbox", "cache"


class LocateError(Exception):
    def __init__(self, message: str, *, mailbox: str = "", server: str = ""):
        super().__init__(message)
        self.message, self.mailbox, self.server = message, mailbox, server


class MessageNotFound(LocateError):
    pass


class LocationRequired(LocateError):
    pass


class MailServerUnreachable(LocateError):
    pass


class MailServerRefused(LocateError):
    pass


class Locator(Protocol):
    def locate(self, mailbox: str, message_id: str, folder_hint: str | None = None, *,
               identity: str | None = None) -> Location:
        """Return where ``message_id`` sits in ``mailbox``, or raise a :class:`LocateError`.

        ``mailbox`` is where the mail sits (the user's own or a shared one); ``identity`` is its
        onOffice e-mail identity, which only the IMAP login template may use.
        """
        ...

    def forget(self, mailbox: str, message_id: str) -> None:
        """Drop a cached location (onOffice said the mail is not there any more)."""
        ...


class NoLocator:
    """Used when IMAP_HOST is unset: only client-supplied locations work."""

    def locate(self, mailbox: str, message_id: str, folder_hint: str | None = None, *,
               identity: str | None = None) -> Location:
        raise LocationRequired(
            "This deployment has no IMAP lookup (IMAP_HOST is unset), so the add-in must send "
            "the message's folder and uid.", mailbox=mailbox)

    def forget(self, mailbox: str, message_id: str) -> None:
        return None
